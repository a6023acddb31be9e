/* SPDX-License-Identifier: MIT */
/*
 * Input routing. Bytes typed on the UART go to the client that has the
 * focus at the moment they arrive, into its own queue; switching the focus
 * later does not move bytes already queued. A client learns of input by its
 * doorbell notification, rung when its queue turns non-empty, and takes the
 * bytes with console_read() until that returns none. Input with nobody
 * focused, or beyond a full queue, is dropped and counted: the console never
 * blocks on a reader.
 */
#include <stdio.h>
#include <string.h>

#include <rift/msg.h>

#include "con.h"

static void queue_push(struct con_queue *q, uint8_t b)
{
	q->data[(q->head + q->len) % CON_INPUT_MAX] = b;
	q->len++;
}

static uint16_t queue_pop(struct con_queue *q, uint8_t *out, uint16_t max)
{
	uint16_t n = 0;

	while (n < max && q->len > 0) {
		out[n++] = q->data[q->head];
		q->head = (q->head + 1) % CON_INPUT_MAX;
		q->len--;
	}
	return n;
}

/** Says once (until the focus changes) that typed input is being dropped. */
static void input_tell_dropped(struct con_state *s, const char *why)
{
	char msg[96];

	if (s->told_dropped) {
		return;
	}
	snprintf(msg, sizeof(msg), "console: input dropped: %s", why);
	con_lines_say(msg);
	s->told_dropped = true;
}

void con_input_put(struct con_state *s, const uint8_t *data, size_t len)
{
	struct con_client *c;
	bool was_empty;
	size_t n = 0;

	if (s->focus == 0) {
		s->input_dropped += len;
		input_tell_dropped(s, "no domain has the input focus");
		return;
	}
	c = &s->clients[s->focus];
	was_empty = c->input.len == 0;
	while (n < len && c->input.len < CON_INPUT_MAX) {
		queue_push(&c->input, data[n++]);
	}
	if (n < len) {
		s->input_dropped += len - n;
		input_tell_dropped(s, "the focused domain's queue is full");
	}
	if (was_empty && n > 0 && c->doorbell != 0) {
		con_out_doorbell(c->doorbell);
	}
}

size_t con_input_room(const struct con_state *s, size_t chunk)
{
	if (s->focus == 0) {
		return chunk;
	}
	return CON_INPUT_MAX - s->clients[s->focus].input.len;
}

uint16_t con_input_take(struct con_state *s, uint64_t badge, uint8_t *out,
			uint16_t max)
{
	struct con_client *c = con_lines_client(s, badge);

	return c == NULL ? 0 : queue_pop(&c->input, out, max);
}

/** Announces the new focus as a console line. */
static void input_tell_focus(const struct con_state *s)
{
	char msg[CON_NAME_MAX + 32];

	snprintf(msg, sizeof(msg), "console: input focus: %s",
		 s->focus ? s->clients[s->focus].name : "nobody");
	con_lines_say(msg);
}

int con_input_focus(struct con_state *s, uint64_t caller, uint32_t badge)
{
	struct con_client *c = con_lines_client(s, caller);
	struct con_client *to;

	if (c == NULL || (caller != 0 && !c->focus_admin)) {
		return RIFT_EPERM;
	}
	if (badge != 0 &&
	    (badge > CON_MAX_CLIENTS || s->clients[badge].name[0] == '\0')) {
		return RIFT_ENOENT;
	}
	s->focus = badge;
	s->told_dropped = false;
	input_tell_focus(s);
	to = &s->clients[badge];
	if (badge != 0 && to->input.len > 0 && to->doorbell != 0) {
		con_out_doorbell(to->doorbell);
	}
	return RIFT_OK;
}
