/* SPDX-License-Identifier: MIT */
/* Unsupported Linux system calls fail with ENOSYS and are logged once. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

int main(void)
{
	for (int i = 0; i < 3; i++) {
		FILE *f = fopen("/etc/passwd", "r");

		if (f || errno != ENOSYS) {
			printf("FAILED: fopen gave %p, errno %d\n", (void *)f, errno);
			return 1;
		}
	}
	printf("linuxcalls: fopen failed with ENOSYS three times\n");
	return 0;
}
