/* SPDX-License-Identifier: MIT */
/*
 * An ordinary C program: printf, malloc of 64 MiB touched page by page,
 * and an exit status the supervisor reports.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BIG (64u << 20)

int main(int argc, char **argv)
{
	struct timespec ts;
	uint8_t *p;
	uint64_t sum = 0;

	printf("hello from %s: argc=%d, pid=%d\n", argv[0], argc,
	       (int)getpid());
	p = malloc(BIG);
	if (!p) {
		printf("malloc(64 MiB) failed\n");
		return 1;
	}
	for (size_t i = 0; i < BIG; i += 4096) {
		p[i] = (uint8_t)(i >> 12);
	}
	for (size_t i = 0; i < BIG; i += 4096) {
		sum += p[i];
	}
	free(p);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	printf("touched %u pages of 64 MiB, checksum %llu, clock %lld.%03ld\n",
	       BIG / 4096, (unsigned long long)sum, (long long)ts.tv_sec,
	       ts.tv_nsec / 1000000);
	printf("%s: goodbye, exiting with status 3\n", argv[0]);
	return 3;
}
