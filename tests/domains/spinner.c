/* SPDX-License-Identifier: MIT */
/* Spins forever without a system call: only timer preemption lets anyone
 * else at its priority run. */
#include <stdio.h>

int main(void)
{
	volatile unsigned long n = 0;

	printf("spinner: spinning\n");
	for (;;) {
		n++;
	}
}
