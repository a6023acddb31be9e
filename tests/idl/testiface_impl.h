/* SPDX-License-Identifier: MIT */
/*
 * Server handlers and client event handlers for tests/idl/testiface.idl.
 * Methods echo their arguments; what each handler saw is kept in `tf_seen`
 * so tests can check what the dispatcher passed on.
 */
#ifndef RIFT_TEST_TESTIFACE_IMPL_H
#define RIFT_TEST_TESTIFACE_IMPL_H

#include "testiface.h"

/* Make a handler misbehave, to test the dispatcher's checks of outputs. */
enum tf_misbehave {
	TF_BEHAVE = 0,
	TF_BLOB_TOO_LONG,   /* blob returns o_len = 65 */
	TF_BAD_ENUM_OUT,    /* colors returns rc = 3 */
	TF_POSITIVE_STATUS, /* nothing returns 7 */
};

struct tf_seen {
	int handler_calls; /* any server handler */
	uint64_t badge;
	uint32_t poke_v;
	int poke_calls;
	uint32_t ping_seq;
	uint8_t ping_note[16];
	uint16_t ping_note_len;
	int ping_calls;
	uint64_t gift_f;
	uint32_t gift_off, gift_len;
	int gift_calls;
	uint16_t arrays_v[3];
	bool arrays_b[2];
	enum testiface_color arrays_c[2];
};

extern struct tf_seen tf_seen;
extern enum tf_misbehave tf_misbehave;

void tf_reset(void);

/* Adapters for struct rift_chan (loopback.h). */
int tf_dispatch(void *srv, uint64_t badge, const struct rift_msg *req,
		struct rift_msg *reply);
int tf_event_dispatch(void *cli, uint64_t badge, const struct rift_msg *msg,
		      struct rift_msg *unused);

#endif
