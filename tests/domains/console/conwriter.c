/* SPDX-License-Identifier: MIT */
/*
 * Console interleaving test writer (console_interleave): prints COUNT
 * numbered lines of varying length (20 to 439 bytes, so many take more than
 * one console_write()). Every third line goes through printf (the runtime's
 * line buffer and the console client backend); the others are sent with
 * console_client_write() in two or three pieces with a yield between them,
 * so pieces of the three writers' lines reach the console interleaved. The
 * test checks every line arrives whole, in order, with its writer's tag.
 *
 * Line i of writer W: "W iiii/COUNT len=L <payload>", the payload being
 * L characters of a pattern the test recomputes (see test_20_console.py).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rift/msg.h>
#include <rift/syscall.h>

#include "console_client.h"

#define LINE_MAX_BYTES 600

static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";

/** The writer's seed: the sum of its name's bytes. */
static unsigned seed_of(const char *name)
{
	unsigned s = 0;

	for (const char *p = name; *p; p++) {
		s += (unsigned char)*p;
	}
	return s;
}

/** Builds line @i into @buf (with its newline); returns its length. */
static size_t make_line(char *buf, const char *name, unsigned seed,
			unsigned i, unsigned count)
{
	unsigned len = 20 + (i * 53 + seed) % 420;
	int n = snprintf(buf, LINE_MAX_BYTES, "%s %04u/%u len=%u ", name, i,
			 count, len);

	for (unsigned j = 0; j < len; j++) {
		buf[n + j] = alphabet[(i * 7 + j * 13 + seed) % 36];
	}
	buf[n + len] = '\n';
	return (size_t)n + len + 1;
}

/** Sends @len bytes in @pieces pieces, yielding between them. */
static void write_pieces(const char *buf, size_t len, unsigned pieces)
{
	size_t at = 0;

	for (unsigned k = 0; k < pieces; k++) {
		size_t end = k + 1 == pieces ? len : len * (k + 1) / pieces;
		size_t done = 0;
		int err = console_client_write(buf + at, end - at, &done);

		if (err != RIFT_OK || done != end - at) {
			printf("FAILED: console_client_write: error %d, %zu of "
			       "%zu bytes\n", err, done, end - at);
			exit(1);
		}
		at = end;
		rift_yield();
	}
}

int main(int argc, char **argv)
{
	unsigned count = argc >= 2 ? (unsigned)strtoul(argv[1], NULL, 0) : 10;
	unsigned seed = seed_of(argv[0]);
	char buf[LINE_MAX_BYTES];

	for (unsigned i = 0; i < count; i++) {
		size_t len = make_line(buf, argv[0], seed, i, count);

		if (i % 3 == 0) {
			fwrite(buf, 1, len, stdout);
		} else {
			write_pieces(buf, len, 1 + i % 3);
		}
	}
	printf("%s: wrote %u lines\n", argv[0], count);
	return 0;
}
