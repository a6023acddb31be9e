/* SPDX-License-Identifier: MIT */
/*
 * Output lines. Each writer (badge) has its own line buffer in the server:
 * bytes collect there until a newline, and only then does the whole line go
 * to the UART, tagged with the writer's name. A writer may deliver a line in
 * any number of pieces, interleaved with other writers' pieces; the lines
 * that come out are never torn or mixed. A line longer than CON_LINE_MAX is
 * cut into pieces, each a tagged line of its own.
 *
 * Bytes that could steer a terminal (control characters, DEL, bytes >= 0x80)
 * are shown as '?', so no domain can forge another's tag or move the
 * cursor; tabs pass and carriage returns are dropped. The kernel's
 * RIFT_SYS_DEBUG_WRITE treats bytes the same way.
 */
#include <stdio.h>
#include <string.h>

#include "con.h"

struct con_client *con_lines_client(struct con_state *s, uint64_t badge)
{
	return badge <= CON_MAX_CLIENTS ? &s->clients[badge] : NULL;
}

void con_lines_tag(const struct con_state *s, uint64_t badge, char *tag,
		   size_t size)
{
	if (badge == 0) {
		snprintf(tag, size, "supervisor");
	} else if (badge <= CON_MAX_CLIENTS && s->clients[badge].name[0]) {
		snprintf(tag, size, "%s", s->clients[badge].name);
	} else {
		snprintf(tag, size, "client%llu", (unsigned long long)badge);
	}
}

/** Sends @badge's buffered line out, whole, and starts a new one. */
static void lines_emit(const struct con_state *s, uint64_t badge,
		       struct con_client *c)
{
	char tag[CON_NAME_MAX + 16];

	con_lines_tag(s, badge, tag, sizeof(tag));
	con_out_line(tag, c->line, c->line_len);
	c->line_len = 0;
}

/** What a byte looks like on the console: itself, '?', or nothing (-1). */
static int lines_shown(uint8_t ch)
{
	if (ch == '\r') {
		return -1;
	}
	if ((ch < 0x20 && ch != '\t') || ch >= 0x7f) {
		return '?';
	}
	return ch;
}

void con_lines_put(struct con_state *s, uint64_t badge, const uint8_t *data,
		   size_t len)
{
	struct con_client *c = con_lines_client(s, badge);

	if (c == NULL) {
		return;
	}
	for (size_t i = 0; i < len; i++) {
		int ch;

		if (data[i] == '\n') {
			lines_emit(s, badge, c);
			continue;
		}
		ch = lines_shown(data[i]);
		if (ch < 0) {
			continue;
		}
		c->line[c->line_len++] = (char)ch;
		if (c->line_len == CON_LINE_MAX) {
			lines_emit(s, badge, c);
		}
	}
}

void con_lines_say(const char *text)
{
	con_out_line("console", text, strlen(text));
}
