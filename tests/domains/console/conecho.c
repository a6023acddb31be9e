/* SPDX-License-Identifier: MIT */
/*
 * Console input test (console_input): the focused domain. It waits on its
 * input doorbell (console_input_doorbell(): the channel "echo-input"), takes what the console queued
 * with console_read() until none is left, and echoes every complete line
 * back as "echo: <line>". It ends on the line "quit".
 */
#include <stdio.h>
#include <string.h>

#include <rift/msg.h>
#include <rift/syscall.h>

#include "console.h"
#include "console_client.h"

#define LINE_BYTES 256

struct echo_line {
	char text[LINE_BYTES];
	size_t len;
	unsigned lines;
	size_t bytes;
};

/** Takes one input byte; returns 1 when the line "quit" ends. */
static int echo_byte(struct echo_line *l, char c)
{
	l->bytes++;
	if (c != '\n' && c != '\r') {
		if (l->len < LINE_BYTES - 1) {
			l->text[l->len++] = c;
		}
		return 0;
	}
	if (l->len == 0) {
		return 0; /* the \n of a \r\n, or an empty line */
	}
	l->text[l->len] = '\0';
	l->len = 0;
	l->lines++;
	printf("echo: %s\n", l->text);
	return strcmp(l->text, "quit") == 0;
}

/** Reads everything queued; returns 1 on "quit", -1 on error. */
static int echo_drain(struct echo_line *l)
{
	uint8_t buf[CONSOLE_READ_DATA_MAX];

	for (;;) {
		uint16_t len = 0;
		int err = console_read(console_client_chan(), sizeof(buf), buf,
				       &len);

		if (err != RIFT_OK) {
			printf("FAILED: console_read: error %d\n", err);
			return -1;
		}
		if (len == 0) {
			return 0;
		}
		for (uint16_t i = 0; i < len; i++) {
			if (echo_byte(l, (char)buf[i])) {
				return 1;
			}
		}
	}
}

int main(void)
{
	struct echo_line l = { 0 };
	int done = 0;

	printf("echo: ready\n");
	while (!done) {
		uint64_t word = 0;
		long err = rift_wait(console_input_doorbell(), &word);

		if (err != 0) {
			printf("FAILED: waiting for input: error %ld\n", err);
			return 1;
		}
		done = echo_drain(&l);
	}
	printf("echo: %u lines, %zu bytes of input; bye\n", l.lines, l.bytes);
	return done < 0 ? 1 : 0;
}
