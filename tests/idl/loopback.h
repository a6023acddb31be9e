/* SPDX-License-Identifier: MIT */
/*
 * Test transport for generated IDL code: struct rift_chan as the host tests
 * define it. A channel either hands each request straight to a dispatcher
 * (LOOP_DISPATCH) or answers every call with a canned reply (LOOP_CANNED).
 * Either way it keeps a copy of the last message sent, for golden checks.
 */
#ifndef RIFT_TEST_LOOPBACK_H
#define RIFT_TEST_LOOPBACK_H

#include <stdint.h>

#include <rift/msg.h>

enum loop_mode {
	LOOP_DISPATCH, /* call ->dispatch, return its reply */
	LOOP_CANNED,   /* return ->canned as the reply */
};

/* Adapter so one channel type serves every interface's dispatcher. */
typedef int (*loop_dispatch_fn)(void *srv, uint64_t badge,
				const struct rift_msg *req,
				struct rift_msg *reply);

struct rift_chan {
	enum loop_mode mode;
	loop_dispatch_fn dispatch;
	void *srv;
	uint64_t badge;
	int fail;                  /* nonzero: the transport returns this */
	struct rift_msg sent;      /* last request or oneway message */
	struct rift_msg canned;    /* LOOP_CANNED reply */
	int calls;                 /* rift_chan_call count */
	int sends;                 /* rift_chan_send count */
	int last_dispatch;         /* dispatcher's return value */
};

int rift_chan_call(struct rift_chan *ch, struct rift_msg *req, struct rift_msg *reply);
int rift_chan_send(struct rift_chan *ch, struct rift_msg *msg);

void loop_init(struct rift_chan *ch, loop_dispatch_fn fn, void *srv);
void loop_canned(struct rift_chan *ch, uint64_t label, const uint8_t *data,
		 uint32_t len);

/* Build a message from a label and payload bytes; no capabilities. */
void msg_make(struct rift_msg *m, uint64_t label, const uint8_t *data,
	      uint32_t len);

/* Does m's payload equal the given bytes exactly? */
int msg_is(const struct rift_msg *m, const uint8_t *data, uint32_t len);

/*
 * A heap copy of src whose bytes past src->len (and capability slots past
 * cap_count) are poisoned for AddressSanitizer, so a decoder that reads
 * them fails the test. Release with msg_unfence().
 */
struct rift_msg *msg_fence(const struct rift_msg *src);
void msg_unfence(struct rift_msg *m);

/* The status in a reply label, as the signed value it carries. */
int32_t msg_status(const struct rift_msg *m);

#endif
