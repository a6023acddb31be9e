/* SPDX-License-Identifier: MIT */
/*
 * memhog CHUNK-KIB TOTAL-MIB: mallocs CHUNK-KIB pieces (each written at
 * both ends) until TOTAL-MIB are held or malloc fails, and says which
 * (malloc_to_quota, tests/system/malloc.dts). When the runtime runs out of
 * slots or quota it logs which limit it hit; this program only reports.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	size_t chunk, total, held = 0, n = 0;

	if (argc < 3) {
		printf("memhog: usage: memhog CHUNK-KIB TOTAL-MIB\n");
		return 2;
	}
	chunk = (size_t)strtoul(argv[1], NULL, 0) << 10;
	total = (size_t)strtoul(argv[2], NULL, 0) << 20;
	while (held < total) {
		char *p = malloc(chunk);

		if (!p) {
			printf("memhog: malloc(%zu KiB) failed after %zu KiB in "
			       "%zu pieces: %s\n", chunk >> 10, held >> 10, n,
			       strerror(errno));
			return 0;
		}
		p[0] = 1;
		p[chunk - 1] = 1;
		held += chunk;
		n++;
	}
	printf("memhog: %zu MiB in %zu pieces of %zu KiB\n", held >> 20, n,
	       chunk >> 10);
	return 0;
}
