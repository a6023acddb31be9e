/* SPDX-License-Identifier: MIT */
/*
 * The server loop and the console interface's handlers. One thread does
 * everything: it answers each request before it receives the next (the
 * kernel keeps one pending reply per server thread), never blocks anywhere
 * but in receive, and handles the wakers' kicks (UART input, kernel log) as
 * requests of its own. A malformed request gets the error reply the
 * generated dispatcher builds, is logged (up to a limit per client), and the
 * loop goes on.
 */
#include <stdio.h>

#include <rift/chan.h>
#include <rift/syscall.h>

#include "con.h"
#include "con_uart.h"
#include "console.h"

static const char *serve_error_name(int err)
{
	static const char *const names[] = {
		"OK",   "EINVAL", "EVERSION", "ENOSYS", "ERANGE",   "ENOCAP",
		"EIO",  "EPERM",  "ENOMEM",   "EBUSY",  "ENOENT",   "EOVERFLOW",
	};

	return err <= 0 && -err < (int)(sizeof(names) / sizeof(names[0])) ?
		       names[-err] :
		       "?";
}

/* ---------------------------------------------------------------- handlers */

int console_handle_write(struct console_server *srv, uint64_t badge,
			 const uint8_t *data, uint16_t data_len,
			 uint32_t *accepted)
{
	struct con_server *cs = srv->ctx;
	struct con_state *s = &cs->state;

	if (con_lines_client(s, badge) == NULL) {
		return RIFT_EPERM;
	}
	con_lines_put(s, badge, data, data_len);
	*accepted = data_len;
	return RIFT_OK;
}

int console_handle_read(struct console_server *srv, uint64_t badge,
			uint16_t max, uint8_t *data, uint16_t *data_len)
{
	struct con_server *cs = srv->ctx;

	if (badge == 0 || badge != cs->state.focus) {
		return RIFT_EPERM;
	}
	if (max > CONSOLE_READ_DATA_MAX) {
		max = CONSOLE_READ_DATA_MAX;
	}
	*data_len = con_input_take(&cs->state, badge, data, max);
	if (cs->rx_paused && *data_len > 0) {
		con_serve_uart(cs); /* room again: take what waited */
	}
	return RIFT_OK;
}

int console_handle_set_focus(struct console_server *srv, uint64_t badge,
			     uint32_t domain)
{
	struct con_server *cs = srv->ctx;
	int err = con_input_focus(&cs->state, badge, domain);

	if (err == RIFT_OK && cs->rx_paused) {
		con_serve_uart(cs); /* the new focus may have room */
	}
	return err;
}

/* ------------------------------------------------------------------- kicks */

void con_serve_uart(struct con_server *cs)
{
	uint8_t buf[64];

	for (;;) {
		size_t room = con_input_room(&cs->state, sizeof(buf));
		size_t n;

		if (room == 0) {
			cs->rx_paused = true;
			return; /* no ack: the interrupt stays masked */
		}
		n = con_uart_read(buf, room < sizeof(buf) ? room : sizeof(buf));
		if (n == 0) {
			break;
		}
		con_input_put(&cs->state, buf, n);
	}
	cs->rx_paused = false;
	if (cs->irq_bound) {
		rift_irq_ack(con_slots.irq, NULL);
	}
}

/** A waker's call: do what it asks; the (empty) reply releases it. */
static void serve_kick(struct con_server *cs, uint64_t kick,
		       struct rift_msg *reply)
{
	if (kick == CON_KICK_UART) {
		con_serve_uart(cs);
	} else if (kick == CON_KICK_KLOG && cs->klog_attached) {
		con_klog_drain(&cs->klog);
	}
	reply->label = 0;
	reply->len = 0;
	reply->cap_count = 0;
}

/* ---------------------------------------------------------------- requests */

/** Logs a refused request, at most CON_REFUSALS_LOGGED times per caller. */
static void serve_refused(struct con_server *cs, uint64_t badge,
			  uint64_t label, int status)
{
	struct con_client *c = con_lines_client(&cs->state, badge);
	uint32_t *count = c ? &c->refusals : &cs->refused_unknown;
	char tag[CON_NAME_MAX + 16], msg[160];

	if (*count > CON_REFUSALS_LOGGED) {
		return;
	}
	con_lines_tag(&cs->state, badge, tag, sizeof(tag));
	if (*count == CON_REFUSALS_LOGGED) {
		snprintf(msg, sizeof(msg), "console: further refused requests "
			 "from %s are not logged", tag);
	} else {
		snprintf(msg, sizeof(msg), "console: refused request 0x%llx "
			 "from %s: %s", (unsigned long long)label, tag,
			 serve_error_name(status));
	}
	(*count)++;
	con_lines_say(msg);
}

/**
 * Handles one received message (or receive error @err); fills @reply.
 * Returns true if @reply is to be sent.
 */
static bool serve_one(struct con_server *cs, int err, uint64_t badge,
		      const struct rift_msg *req, struct rift_msg *reply)
{
	static struct console_server srv;
	int status;

	if (err != RIFT_OK) {
		/* The transport could not even unpack it (bad length). */
		reply->label = rift_msg_label(CONSOLE_VERSION, (uint32_t)err);
		reply->len = 0;
		reply->cap_count = 0;
		serve_refused(cs, badge, 0, err);
		return true;
	}
	if (cs->has_self && badge == cs->self_badge &&
	    rift_msg_iface(req->label) == 0) {
		serve_kick(cs, req->label, reply);
		return true;
	}
	srv.ctx = cs;
	if (console_dispatch(&srv, badge, req, reply) != RIFT_IDL_REPLY) {
		return false; /* a oneway request: nobody waits */
	}
	status = (int32_t)rift_msg_method(reply->label);
	if (status != RIFT_OK) {
		serve_refused(cs, badge, req->label, status);
	}
	return true;
}

void con_serve(struct con_server *cs)
{
	static struct rift_msg req, reply;
	uint64_t badge = 0;
	int err = rift_chan_recv(con_slots.ep, &req, &badge, NULL);

	while (err != RIFT_EIO) {
		if (serve_one(cs, err, badge, &req, &reply)) {
			err = rift_chan_reply_recv(con_slots.ep, &reply, &req,
						   &badge, NULL);
		} else {
			err = rift_chan_recv(con_slots.ep, &req, &badge, NULL);
		}
	}
}
