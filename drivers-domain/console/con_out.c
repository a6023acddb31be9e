/* SPDX-License-Identifier: MIT */
/*
 * The console's output seams (con.h) on the real hardware: lines to the
 * PL011, with "\r\n" line ends as a terminal expects, and doorbells as
 * notification signals. Each line is written whole by the one server
 * thread, so lines never mix. Without a UART, lines go to the kernel log.
 */
#include <stdio.h>
#include <string.h>

#include <rift/syscall.h>

#include "con.h"
#include "con_uart.h"

void con_out_line(const char *tag, const char *text, size_t len)
{
	if (!con_uart_ready()) {
		/* No UART: the kernel log, which tags it "[console]". */
		printf("[%s] %.*s\n", tag, (int)len, text);
		return;
	}
	con_uart_write("[", 1);
	con_uart_write(tag, strlen(tag));
	con_uart_write("] ", 2);
	con_uart_write(text, len);
	con_uart_write("\r\n", 2);
}

void con_out_raw(const char *text, size_t len)
{
	size_t start = 0;

	for (size_t i = 0; i < len; i++) {
		if (text[i] == '\n') {
			con_uart_write(text + start, i - start);
			con_uart_write("\r\n", 2);
			start = i + 1;
		}
	}
	if (start < len) {
		con_uart_write(text + start, len - start);
		con_uart_write("\r\n", 2);
	}
}

void con_out_doorbell(uint64_t slot)
{
	rift_signal(slot);
}
