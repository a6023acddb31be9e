/* SPDX-License-Identifier: MIT */
/* Writes through a bad pointer: its supervisor must report the fault. */
#include <stdint.h>
#include <stdio.h>

int main(int argc, char **argv)
{
	volatile uint64_t *bad = (volatile uint64_t *)(uintptr_t)0xdead0000;

	if (argc >= 2 && argv[1][0] == 'u') {
		printf("crasher: about to execute an undefined instruction\n");
		fflush(stdout);
		__asm__ volatile("udf #0");
	}
	printf("crasher: about to write to %p\n", (void *)bad);
	fflush(stdout);
	*bad = 42;
	printf("crasher: still alive?!\n");
	return 0;
}
