/* SPDX-License-Identifier: MIT */
/* The test transport; see loopback.h. */

#include <stdlib.h>
#include <string.h>

#include "loopback.h"

#if defined(__SANITIZE_ADDRESS__)
#define HAVE_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HAVE_ASAN 1
#endif
#endif
#ifdef HAVE_ASAN
#include <sanitizer/asan_interface.h>
#else
#define ASAN_POISON_MEMORY_REGION(a, n) ((void)(a), (void)(n))
#define ASAN_UNPOISON_MEMORY_REGION(a, n) ((void)(a), (void)(n))
#endif

#ifndef RIFT_IDL_REPLY
#define RIFT_IDL_REPLY 1
#endif

void loop_init(struct rift_chan *ch, loop_dispatch_fn fn, void *srv)
{
	memset(ch, 0, sizeof(*ch));
	ch->mode = LOOP_DISPATCH;
	ch->dispatch = fn;
	ch->srv = srv;
}

void loop_canned(struct rift_chan *ch, uint64_t label, const uint8_t *data,
		 uint32_t len)
{
	ch->mode = LOOP_CANNED;
	msg_make(&ch->canned, label, data, len);
}

void msg_make(struct rift_msg *m, uint64_t label, const uint8_t *data,
	      uint32_t len)
{
	memset(m, 0, sizeof(*m));
	m->label = label;
	m->len = len;
	if (len > 0 && len <= RIFT_MSG_MAX_BYTES) {
		memcpy(m->data, data, len);
	}
}

int msg_is(const struct rift_msg *m, const uint8_t *data, uint32_t len)
{
	return m->len == len && memcmp(m->data, data, len) == 0;
}

struct rift_msg *msg_fence(const struct rift_msg *src)
{
	struct rift_msg *m = malloc(sizeof(*m));
	uint32_t len = src->len, caps = src->cap_count;

	if (m == NULL) {
		abort();
	}
	*m = *src;
	if (len < RIFT_MSG_MAX_BYTES) {
		ASAN_POISON_MEMORY_REGION(m->data + len, RIFT_MSG_MAX_BYTES - len);
	}
	if (caps < RIFT_MSG_CAPS) {
		ASAN_POISON_MEMORY_REGION(&m->caps[caps],
					  (RIFT_MSG_CAPS - caps) * sizeof(m->caps[0]));
		ASAN_POISON_MEMORY_REGION(&m->cap_kinds[caps],
					  (RIFT_MSG_CAPS - caps) * sizeof(m->cap_kinds[0]));
	}
	return m;
}

void msg_unfence(struct rift_msg *m)
{
	ASAN_UNPOISON_MEMORY_REGION(m, sizeof(*m));
	free(m);
}

int32_t msg_status(const struct rift_msg *m)
{
	return (int32_t)rift_msg_method(m->label);
}

int rift_chan_call(struct rift_chan *ch, struct rift_msg *req,
		   struct rift_msg *reply)
{
	ch->calls++;
	ch->sent = *req;
	if (ch->fail != 0) {
		return ch->fail;
	}
	if (ch->mode == LOOP_CANNED) {
		*reply = ch->canned;
		return 0;
	}
	ch->last_dispatch = ch->dispatch(ch->srv, ch->badge, req, reply);
	return ch->last_dispatch == RIFT_IDL_REPLY ? 0 : RIFT_EIO;
}

int rift_chan_send(struct rift_chan *ch, struct rift_msg *msg)
{
	struct rift_msg unused_reply;

	ch->sends++;
	ch->sent = *msg;
	if (ch->fail != 0) {
		return ch->fail;
	}
	if (ch->mode == LOOP_DISPATCH && ch->dispatch != NULL) {
		ch->last_dispatch = ch->dispatch(ch->srv, ch->badge, msg,
						 &unused_reply);
	}
	return 0;
}
