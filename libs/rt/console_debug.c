/* SPDX-License-Identifier: MIT */
/*
 * Default console backend: the kernel log via RIFT_SYS_DEBUG_WRITE, which
 * tags each write with the domain's name. Weak, so a console client that
 * defines rt_console_write() replaces it at link time.
 *
 * It uses ipcbuf->data as scratch: a program must not leave data there
 * across a call that may write output (printf, ...).
 */
#include <string.h>

#include <rift/rt.h>
#include <rift/syscall.h>

/** Writes buf through the kernel log in pieces of RIFT_DEBUG_WRITE_MAX. */
void rt_debug_write(const void *buf, size_t len)
{
	struct rift_ipcbuf *ib = rift_ipcbuf();
	const uint8_t *p = buf;

	if (ib == NULL) {
		return;
	}
	while (len > 0) {
		size_t n = len < RIFT_DEBUG_WRITE_MAX ? len : RIFT_DEBUG_WRITE_MAX;

		/* A piece ends a tagged line: cut after a newline if there
		 * is one, so short lines stay whole. */
		if (n < len) {
			size_t nl = n;

			while (nl > 0 && p[nl - 1] != '\n') {
				nl--;
			}
			n = nl ? nl : n;
		}

		memcpy(ib->data, p, n);
		rift_debug_write(n);
		p += n;
		len -= n;
	}
}

__attribute__((weak)) void rt_console_write(const void *buf, size_t len)
{
	rt_debug_write(buf, len);
}
