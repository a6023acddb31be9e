/* SPDX-License-Identifier: MIT */
/*
 * Output line discipline. The kernel (and later the console server) tags
 * every write with the domain's name, so output is collected per line and
 * handed to the backend rt_console_write() only as whole lines: on a
 * newline, when the line buffer is full (a line longer than RT_LINE_MAX is
 * cut into pieces), on rt_out_flush() and at exit. stdout and stderr share
 * the buffer so their order is kept. Host-tested (test_rt_console).
 */
#include <string.h>

#include <rift/rt.h>

#include "internal.h"

/** One line: the size of the IPC buffer's data area, so a line is one write. */
#define RT_LINE_MAX 2048

#define BITS_PER_WORD (8 * sizeof(unsigned long))

static struct {
	char line[RT_LINE_MAX];
	size_t len;
	unsigned long logged[(RT_LOG_ONCE_KEYS + BITS_PER_WORD - 1) / BITS_PER_WORD];
} out;

/** Hands the buffered bytes to the backend. */
static void out_emit(void)
{
	if (out.len > 0) {
		rt_console_write(out.line, out.len);
		out.len = 0;
	}
}

/** Appends output to the line buffer; whole lines go to the backend. */
void rt_out_write(const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		size_t n = RT_LINE_MAX - out.len;
		const char *nl;

		if (n > len) {
			n = len;
		}
		nl = memchr(p, '\n', n);
		if (nl != NULL) {
			n = (size_t)(nl - p) + 1;
		}
		memcpy(out.line + out.len, p, n);
		out.len += n;
		p += n;
		len -= n;
		if (nl != NULL || out.len == RT_LINE_MAX) {
			out_emit();
		}
	}
}

/** Sends a pending partial line to the backend as it is. */
void rt_out_flush(void)
{
	out_emit();
}

/** Formats v in decimal into buf (>= 21 bytes); returns the length. */
size_t rt_fmt_u64(char *buf, uint64_t v)
{
	char tmp[20];
	size_t n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	for (size_t i = 0; i < n; i++) {
		buf[i] = tmp[n - 1 - i];
	}
	buf[n] = '\0';
	return n;
}

/**
 * Writes "rift-rt: <msg>\n" as one line of its own: a pending partial
 * line of the program goes out first. Messages longer than the line are
 * cut.
 */
void rt_log(const char *msg)
{
	static const char prefix[] = "rift-rt: ";
	char line[256];
	size_t n = sizeof(prefix) - 1;
	size_t m = strlen(msg);

	out_emit();
	memcpy(line, prefix, n);
	if (m > sizeof(line) - n - 1) {
		m = sizeof(line) - n - 1;
	}
	memcpy(line + n, msg, m);
	n += m;
	line[n++] = '\n';
	rt_console_write(line, n);
}

/** True the first time key is seen; see internal.h. */
bool rt_log_first(unsigned key)
{
	unsigned long bit;

	if (key >= RT_LOG_ONCE_KEYS) {
		return true;
	}
	bit = 1ul << (key % BITS_PER_WORD);
	if (out.logged[key / BITS_PER_WORD] & bit) {
		return false;
	}
	out.logged[key / BITS_PER_WORD] |= bit;
	return true;
}

/** Ends output at exit: a partial line is completed with a newline. */
void rt_out_finish(void)
{
	if (out.len > 0 && out.line[out.len - 1] != '\n') {
		rt_out_write("\n", 1);
	}
	out_emit();
}
