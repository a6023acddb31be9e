/* SPDX-License-Identifier: MIT */
/*
 * The smallest domain program: linked by `make librift-check` to prove that
 * a program built like every domain enters at _rift_start and carries the
 * upcall handler. It also exercises the usual libc paths when run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/** Prints a greeting through stdio and the heap. */
int main(int argc, char **argv)
{
	char *buf = malloc(64);

	if (buf == NULL) {
		return 1;
	}
	strcpy(buf, "hello from a rift domain");
	printf("%s (argc %d, argv[0] %s)\n", buf, argc, argc > 0 ? argv[0] : "?");
	free(buf);
	return 0;
}
