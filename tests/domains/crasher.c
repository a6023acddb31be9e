/* SPDX-License-Identifier: MIT */
/* Writes through a bad pointer: its supervisor must report the fault. */
#include <stdint.h>
#include <stdio.h>

int main(void)
{
	volatile uint64_t *bad = (volatile uint64_t *)(uintptr_t)0xdead0000;

	printf("crasher: about to write to %p\n", (void *)bad);
	fflush(stdout);
	*bad = 42;
	printf("crasher: still alive?!\n");
	return 0;
}
