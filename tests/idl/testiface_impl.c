/* SPDX-License-Identifier: MIT */
/* Handlers for tests/idl/testiface.idl; see testiface_impl.h. */

#include <string.h>

#include "testiface_impl.h"

struct tf_seen tf_seen;
enum tf_misbehave tf_misbehave;

void tf_reset(void)
{
	memset(&tf_seen, 0, sizeof(tf_seen));
	tf_misbehave = TF_BEHAVE;
}

static void seen(uint64_t badge)
{
	tf_seen.handler_calls++;
	tf_seen.badge = badge;
}

int tf_dispatch(void *srv, uint64_t badge, const struct rift_msg *req,
		struct rift_msg *reply)
{
	return testiface_dispatch(srv, badge, req, reply);
}

int tf_event_dispatch(void *cli, uint64_t badge, const struct rift_msg *msg,
		      struct rift_msg *unused)
{
	(void)unused;
	return testiface_event_dispatch(cli, badge, msg);
}

int testiface_handle_ints(struct testiface_server *srv, uint64_t badge,
			  uint8_t a, uint16_t b, uint32_t c, uint64_t d,
			  int8_t e, int16_t f, int32_t g, int64_t h,
			  uint8_t *ra, uint16_t *rb, uint32_t *rc, uint64_t *rd,
			  int8_t *re, int16_t *rf, int32_t *rg, int64_t *rh)
{
	(void)srv;
	seen(badge);
	*ra = a;
	*rb = b;
	*rc = c;
	*rd = d;
	*re = e;
	*rf = f;
	*rg = g;
	*rh = h;
	return 0;
}

int testiface_handle_flags(struct testiface_server *srv, uint64_t badge,
			   bool v, bool *r)
{
	(void)srv;
	seen(badge);
	*r = v;
	return 0;
}

int testiface_handle_colors(struct testiface_server *srv, uint64_t badge,
			    enum testiface_color c, enum testiface_level l,
			    enum testiface_color *rc, enum testiface_level *rl)
{
	(void)srv;
	seen(badge);
	*rc = tf_misbehave == TF_BAD_ENUM_OUT ? (enum testiface_color)3 : c;
	*rl = l;
	return 0;
}

int testiface_handle_records(struct testiface_server *srv, uint64_t badge,
			     const struct testiface_record *r,
			     struct testiface_record *o)
{
	(void)srv;
	seen(badge);
	*o = *r;
	return 0;
}

int testiface_handle_arrays(struct testiface_server *srv, uint64_t badge,
			    const uint16_t v[3], const bool b[2],
			    const enum testiface_color c[2], uint16_t o[3])
{
	(void)srv;
	seen(badge);
	for (int i = 0; i < 3; i++) {
		tf_seen.arrays_v[i] = v[i];
		o[i] = v[i];
	}
	for (int i = 0; i < 2; i++) {
		tf_seen.arrays_b[i] = b[i];
		tf_seen.arrays_c[i] = c[i];
	}
	return 0;
}

int testiface_handle_blob(struct testiface_server *srv, uint64_t badge,
			  const uint8_t *data, uint16_t data_len, uint8_t *o,
			  uint16_t *o_len, uint16_t *n)
{
	(void)srv;
	seen(badge);
	memcpy(o, data, data_len);
	*o_len = tf_misbehave == TF_BLOB_TOO_LONG ? 65 : data_len;
	*n = data_len;
	return 0;
}

int testiface_handle_shm(struct testiface_server *srv, uint64_t badge,
			 uint32_t region_off, uint32_t region_len,
			 uint32_t *sum)
{
	const uint8_t *buf = srv->ctx;

	seen(badge);
	*sum = 0;
	for (uint32_t i = 0; i < region_len; i++) {
		*sum += buf[region_off + i];
	}
	return 0;
}

int testiface_handle_caps(struct testiface_server *srv, uint64_t badge,
			  uint64_t f, uint64_t e, uint64_t n, uint64_t *o)
{
	(void)srv;
	(void)e;
	(void)n;
	seen(badge);
	*o = f;
	return 0;
}

int testiface_handle_poke(struct testiface_server *srv, uint64_t badge,
			  uint32_t v)
{
	(void)srv;
	seen(badge);
	tf_seen.poke_v = v;
	tf_seen.poke_calls++;
	return 0;
}

int testiface_handle_fail(struct testiface_server *srv, uint64_t badge,
			  int32_t status)
{
	(void)srv;
	seen(badge);
	return status;
}

int testiface_handle_mixed(struct testiface_server *srv, uint64_t badge,
			   const uint8_t *a, uint16_t a_len, uint8_t tail,
			   uint8_t *b, uint16_t *b_len, uint8_t *tail2)
{
	(void)srv;
	seen(badge);
	for (uint16_t i = 0; i < a_len; i++) {
		b[i] = a[a_len - 1 - i];
	}
	*b_len = a_len;
	*tail2 = (uint8_t)(tail + 1);
	return 0;
}

int testiface_handle_derived(struct testiface_server *srv, uint64_t badge,
			     uint32_t x, uint32_t *y)
{
	(void)srv;
	seen(badge);
	*y = x + 1;
	return 0;
}

int testiface_handle_nothing(struct testiface_server *srv, uint64_t badge)
{
	(void)srv;
	seen(badge);
	return tf_misbehave == TF_POSITIVE_STATUS ? 7 : 0;
}

int testiface_on_ping(struct testiface_client *cli, uint64_t badge,
		      uint32_t seq, const uint8_t *note, uint16_t note_len)
{
	(void)cli;
	(void)badge;
	tf_seen.ping_calls++;
	tf_seen.ping_seq = seq;
	tf_seen.ping_note_len = note_len;
	memcpy(tf_seen.ping_note, note, note_len);
	return 0;
}

int testiface_on_gift(struct testiface_client *cli, uint64_t badge,
		      uint64_t f, uint32_t region_off, uint32_t region_len)
{
	(void)cli;
	(void)badge;
	tf_seen.gift_calls++;
	tf_seen.gift_f = f;
	tf_seen.gift_off = region_off;
	tf_seen.gift_len = region_len;
	return 0;
}
