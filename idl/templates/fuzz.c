/*# libFuzzer harness for one interface, built twice:
    -DRIFT_FUZZ_SERVER: arbitrary requests into <p>_dispatch();
    -DRIFT_FUZZ_CLIENT: arbitrary replies into every reply decoder and
    arbitrary events into <p>_event_dispatch().
    Linked with <p>_client.c and <p>_server.c. Every accepted message must
    re-encode to exactly the same bytes (the encoding is canonical), and the
    decoders must never touch bytes past msg->len (they are poisoned). #*/
/* SPDX-License-Identifier: MIT */
/*- include 'helpers/banner.c' -*/
#include <sanitizer/asan_interface.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "/*? p ?*/.h"

/*- include 'helpers/runtime.c' -*/
/*- set codec_side = 'both' -*/
/*- include 'helpers/codec.c' -*/

struct rift_chan {
	int unused;
};

static struct rift_chan rift_fuzz_chan;
static struct rift_msg rift_fuzz_msg;   /* the fuzzed message */
static struct rift_msg rift_fuzz_sent;  /* what a stub or sender encoded */

static void rift_fuzz_copy(struct rift_msg *dst, const struct rift_msg *src)
{
	dst->label = src->label;
	dst->len = src->len;
	dst->cap_count = src->cap_count;
	for (uint32_t i = 0; i < src->cap_count && i < RIFT_MSG_CAPS; i++) {
		dst->caps[i] = src->caps[i];
		dst->cap_kinds[i] = src->cap_kinds[i];
	}
	for (uint32_t i = 0; i < src->len && i < RIFT_MSG_MAX_BYTES; i++) {
		dst->data[i] = src->data[i];
	}
}

static int rift_fuzz_same(const struct rift_msg *a, const struct rift_msg *b)
{
	if (a->label != b->label || a->len != b->len ||
	    a->cap_count != b->cap_count || a->len > RIFT_MSG_MAX_BYTES ||
	    a->cap_count > RIFT_MSG_CAPS) {
		return 0;
	}
	for (uint32_t i = 0; i < a->cap_count; i++) {
		if (a->caps[i] != b->caps[i] || a->cap_kinds[i] != b->cap_kinds[i]) {
			return 0;
		}
	}
	return memcmp(a->data, b->data, a->len) == 0;
}

/* A stub or event sender re-encoded decoded arguments: same bytes? */
static void rift_fuzz_check(int err)
{
	if (err != RIFT_EIO || !rift_fuzz_same(&rift_fuzz_sent, &rift_fuzz_msg)) {
		__builtin_trap();
	}
}

int rift_chan_call(struct rift_chan *ch, struct rift_msg *req, struct rift_msg *reply)
{
	(void)ch;
	(void)reply;
	rift_fuzz_copy(&rift_fuzz_sent, req);
	return RIFT_EIO;
}

int rift_chan_send(struct rift_chan *ch, struct rift_msg *msg)
{
	(void)ch;
	rift_fuzz_copy(&rift_fuzz_sent, msg);
	return RIFT_EIO;
}
/*- for m in iface.methods -*/

/*? proto('int', p ~ '_handle_' ~ m.name, ['struct ' ~ p ~ '_server *srv', 'uint64_t badge'], m.params, '') ?*/
{
	(void)srv;
	(void)badge;
/*- for prm in m.params if prm.type.kind == 'shmbytes' -*/
	if ((uint64_t)/*? prm.name ?*/_off + /*? prm.name ?*/_len > srv->shm_size) {
		__builtin_trap();
	}
/*- endfor -*/
/*- for a in plain_args(m.outs) -*/
	(void)/*? a ?*/;
/*- endfor -*/
	/*? wrap('rift_fuzz_check(' ~ m.cname, ['&rift_fuzz_chan'] + plain_args(m.ins) + ['NULL'] * (c_params(m.outs) | length), ');', '\t') ?*/
	return 0;
}
/*- endfor -*/
/*- for m in iface.events -*/

/*? proto('int', p ~ '_on_' ~ m.name, ['struct ' ~ p ~ '_client *cli', 'uint64_t badge'], m.params, '') ?*/
{
	(void)cli;
	(void)badge;
/*- for prm in m.params if prm.type.kind == 'shmbytes' -*/
	if ((uint64_t)/*? prm.name ?*/_off + /*? prm.name ?*/_len > cli->shm_size) {
		__builtin_trap();
	}
/*- endfor -*/
	/*? wrap('rift_fuzz_check(' ~ p ~ '_event_' ~ m.name, ['&rift_fuzz_chan'] + plain_args(m.params), ');', '\t') ?*/
	return 0;
}
/*- endfor -*/

#ifdef RIFT_FUZZ_SERVER
static const uint32_t rift_fuzz_ids[] = {
/*- for m in iface.methods -*/
	/*? P ?*/_METHOD_/*? m.name | upper ?*/,
/*- endfor -*/
	0,
};

/* The server's own reply must decode. */
static void rift_fuzz_reply(const struct rift_msg *reply, uint32_t id)
{
	if (reply->len > RIFT_MSG_MAX_BYTES || reply->cap_count > RIFT_MSG_CAPS ||
	    rift_msg_iface(reply->label) != /*? P ?*/_VERSION) {
		__builtin_trap();
	}
	if (rift_msg_method(reply->label) != 0) {
		return;
	}
	switch (id) {
/*- for m in iface.methods if m.has_reply -*/
	case /*? P ?*/_METHOD_/*? m.name | upper ?*/: {
		struct /*? m.iname ?*/_out out;

		if (/*? m.iname ?*/_out_decode(reply, 0, &out) != 0) {
			__builtin_trap();
		}
		return;
	}
/*- endfor -*/
	default:
		__builtin_trap();
	}
}

static void rift_fuzz_one(uint32_t id, uint32_t shm_size)
{
	struct /*? p ?*/_server srv = { NULL, shm_size };
	struct rift_msg reply;
	int ret = /*? p ?*/_dispatch(&srv, 0x42, &rift_fuzz_msg, &reply);

	if (ret == RIFT_IDL_REPLY) {
		rift_fuzz_reply(&reply, id);
	} else if (ret > 0) {
		__builtin_trap();
	}
}
#else
static const uint32_t rift_fuzz_ids[] = {
/*- for m in iface.messages if m.is_event or m.has_reply -*/
	/*? P ?*/_/*? 'EVENT' if m.is_event else 'METHOD' ?*/_/*? m.name | upper ?*/,
/*- endfor -*/
	0,
};

static void rift_fuzz_one(uint32_t id, uint32_t shm_size)
{
	struct /*? p ?*/_client cli = { NULL, shm_size };
	struct rift_msg again;

	(void)again;
	switch (id) {
/*- for m in iface.methods if m.has_reply -*/
	case /*? P ?*/_METHOD_/*? m.name | upper ?*/: {
		struct /*? m.iname ?*/_out out;

		if (/*? m.iname ?*/_out_decode(&rift_fuzz_msg, shm_size, &out) == 0 &&
		    (/*? m.iname ?*/_out_encode(&again, &out, rift_fuzz_msg.label) != 0 ||
		     !rift_fuzz_same(&again, &rift_fuzz_msg))) {
			__builtin_trap();
		}
		return;
	}
/*- endfor -*/
	default:
		(void)/*? p ?*/_event_dispatch(&cli, 0x42, &rift_fuzz_msg);
	}
}
#endif

/*
 * Input: [0] message selector, [1] flags, [2..5] shm_size, [6] cap count,
 * [7] cap kinds (2 bits each), then the payload.
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const size_t nids = sizeof(rift_fuzz_ids) / sizeof(rift_fuzz_ids[0]);
	struct rift_msg *m = &rift_fuzz_msg;
	uint32_t id, shm_size, len;

	if (size < 8) {
		return 0;
	}
	id = rift_fuzz_ids[data[0] % nids];
	if (id == 0) {
		id = data[0]; /* most likely unknown */
	}
	shm_size = (uint32_t)data[2] | ((uint32_t)data[3] << 8) |
		   ((uint32_t)data[4] << 16) | ((uint32_t)data[5] << 24);
	len = (uint32_t)(size - 8);
	len = len > RIFT_MSG_MAX_BYTES ? RIFT_MSG_MAX_BYTES : len;
	memcpy(m->data, data + 8, len);
	m->len = (data[1] & 2) ? RIFT_MSG_MAX_BYTES + 1 + data[1] : len;
	m->label = rift_msg_label(/*? P ?*/_VERSION ^ ((data[1] & 1) ? data[1] : 0), id);
	m->cap_count = data[6] % (RIFT_MSG_CAPS + 2);
	for (uint32_t i = 0; i < RIFT_MSG_CAPS; i++) {
		m->caps[i] = 0x100 + i;
		m->cap_kinds[i] = (data[7] >> (2 * i)) & 3;
	}
	/* Nothing may read past the valid payload or the valid caps. */
	ASAN_POISON_MEMORY_REGION(m->data + len, RIFT_MSG_MAX_BYTES - len);
	if (m->cap_count < RIFT_MSG_CAPS) {
		ASAN_POISON_MEMORY_REGION(&m->caps[m->cap_count],
				(RIFT_MSG_CAPS - m->cap_count) * sizeof(m->caps[0]));
	}
	rift_fuzz_one(id, shm_size);
	ASAN_UNPOISON_MEMORY_REGION(m, sizeof(*m));
	return 0;
}
