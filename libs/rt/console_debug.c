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

/** Writes buf through the kernel log in pieces of at most sizeof(data). */
__attribute__((weak)) void rt_console_write(const void *buf, size_t len)
{
	struct rift_ipcbuf *ib = rift_ipcbuf();
	const uint8_t *p = buf;

	if (ib == NULL) {
		return;
	}
	while (len > 0) {
		size_t n = len < sizeof(ib->data) ? len : sizeof(ib->data);

		memcpy(ib->data, p, n);
		rift_debug_write(n);
		p += n;
		len -= n;
	}
}
