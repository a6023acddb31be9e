/* SPDX-License-Identifier: MIT */
/* Keeps printing while another domain crashes next to it. */
#include <rift/syscall.h>
#include <stdio.h>

int main(void)
{
	for (int i = 1; i <= 5; i++) {
		for (int j = 0; j < 20; j++) {
			rift_yield();
		}
		printf("ticker: round %d\n", i);
	}
	printf("ticker: finished all rounds\n");
	return 0;
}
