/* SPDX-License-Identifier: MIT */
/*
 * Generated IDL code for tests/idl/testiface.idl: golden encodings (exact
 * bytes written by hand from docs/idl.md, not by the generator) and
 * encode/dispatch/decode round trips through a loopback channel.
 */

#include "test.h"

#include "loopback.h"
#include "testiface_impl.h"

#define LABEL(id) rift_msg_label(TESTIFACE_VERSION, (id))
#define REQ(name) LABEL(TESTIFACE_METHOD_##name)
#define OK_REPLY LABEL(0)
#define SAME(m, ...)                                                         \
	msg_is((m), (const uint8_t[]){ __VA_ARGS__ },                       \
	       sizeof((const uint8_t[]){ __VA_ARGS__ }))

static uint8_t shm_buf[100];
static struct testiface_server srv = { .ctx = shm_buf, .shm_size = sizeof(shm_buf) };
static struct testiface_client cli = { .ctx = NULL, .shm_size = 4096 };

/* A channel that answers with an empty success reply: shows the request. */
static void capture(struct rift_chan *ch)
{
	tf_reset();
	loop_init(ch, tf_dispatch, &srv);
	loop_canned(ch, OK_REPLY, NULL, 0);
}

static void loopback(struct rift_chan *ch)
{
	tf_reset();
	loop_init(ch, tf_dispatch, &srv);
	ch->badge = 0xb0b;
}

/* -- golden encodings: requests ---------------------------------------- */

TEST(golden_ints)
{
	struct rift_chan ch;

	capture(&ch);
	testiface_ints(&ch, 0x12, 0x3456, 0x789abcde, 0x0123456789abcdefull,
		       -2, -3, -4, -5, NULL, NULL, NULL, NULL, NULL, NULL,
		       NULL, NULL);
	CHECK_EQ(ch.calls, 1);
	CHECK(ch.sent.label == REQ(INTS));
	CHECK_EQ(ch.sent.cap_count, 0);
	CHECK(SAME(&ch.sent, 0x12, 0x56, 0x34, 0xde, 0xbc, 0x9a, 0x78,
		   0xef, 0xcd, 0xab, 0x89, 0x67, 0x45, 0x23, 0x01,
		   0xfe, 0xfd, 0xff, 0xfc, 0xff, 0xff, 0xff,
		   0xfb, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff));
}

TEST(golden_bool)
{
	struct rift_chan ch;

	capture(&ch);
	testiface_flags(&ch, true, NULL);
	CHECK(ch.sent.label == REQ(FLAGS));
	CHECK(SAME(&ch.sent, 0x01));
	testiface_flags(&ch, false, NULL);
	CHECK(SAME(&ch.sent, 0x00));
}

TEST(golden_enum)
{
	struct rift_chan ch;

	capture(&ch);
	testiface_colors(&ch, TESTIFACE_COLOR_BLUE, TESTIFACE_LEVEL_HIGH,
			 NULL, NULL);
	CHECK(SAME(&ch.sent, 0x07, 0, 0, 0, 0xff, 0xff, 0xff, 0x7f));
	testiface_colors(&ch, TESTIFACE_COLOR_RED, TESTIFACE_LEVEL_LOW,
			 NULL, NULL);
	CHECK(SAME(&ch.sent, 0, 0, 0, 0, 10, 0, 0, 0));
}

TEST(golden_struct)
{
	struct rift_chan ch;
	struct testiface_record r = {
		.a = 1, .b = 0x0302, .c = 0x07060504, .d = 0x0f0e0d0c0b0a0908ull,
		.e = -1, .f = -2, .g = -3, .h = -4,
		.flag = true, .col = TESTIFACE_COLOR_GREEN,
		.pts = { { 5, -6 }, { 0x7f, 0x100 } },
		.tag = { 'a', 'b', 'c' },
	};

	capture(&ch);
	testiface_records(&ch, &r, NULL);
	CHECK(ch.sent.label == REQ(RECORDS));
	CHECK(SAME(&ch.sent,
		   0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,           /* a b c */
		   0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f,     /* d */
		   0xff, 0xfe, 0xff, 0xfd, 0xff, 0xff, 0xff,           /* e f g */
		   0xfc, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,     /* h */
		   0x01, 0x01, 0x00, 0x00, 0x00,                       /* flag col */
		   0x05, 0, 0, 0, 0xfa, 0xff, 0xff, 0xff,              /* pts[0] */
		   0x7f, 0, 0, 0, 0x00, 0x01, 0, 0,                    /* pts[1] */
		   'a', 'b', 'c'));
}

TEST(golden_array)
{
	struct rift_chan ch;
	const uint16_t v[3] = { 1, 2, 0x300 };
	const bool b[2] = { true, false };
	const enum testiface_color c[2] = { TESTIFACE_COLOR_GREEN,
					    TESTIFACE_COLOR_BLUE };

	capture(&ch);
	testiface_arrays(&ch, v, b, c, NULL);
	CHECK(SAME(&ch.sent, 0x01, 0x00, 0x02, 0x00, 0x00, 0x03, 0x01, 0x00,
		   0x01, 0, 0, 0, 0x07, 0, 0, 0));
}

TEST(golden_bytes)
{
	struct rift_chan ch;

	capture(&ch);
	testiface_blob(&ch, (const uint8_t *)"abc", 3, NULL, NULL, NULL);
	CHECK(SAME(&ch.sent, 0x03, 0x00, 'a', 'b', 'c'));
	testiface_blob(&ch, NULL, 0, NULL, NULL, NULL);
	CHECK(SAME(&ch.sent, 0x00, 0x00));
	/* bytes followed by another argument: no padding, no gap */
	testiface_mixed(&ch, (const uint8_t *)"xy", 2, 0x33, NULL, NULL, NULL);
	CHECK(SAME(&ch.sent, 0x02, 0x00, 'x', 'y', 0x33));
}

TEST(golden_shmbytes)
{
	struct rift_chan ch;

	capture(&ch);
	testiface_shm(&ch, 0x10, 0x20, NULL);
	CHECK(SAME(&ch.sent, 0x10, 0, 0, 0, 0x20, 0, 0, 0));
}

TEST(golden_caps)
{
	struct rift_chan ch;

	capture(&ch);
	loop_canned(&ch, OK_REPLY, NULL, 0);
	ch.canned.cap_count = 1;
	ch.canned.cap_kinds[0] = RIFT_CAP_FRAME;
	testiface_caps(&ch, 5, 6, 7, NULL);
	CHECK_EQ(ch.sent.len, 0);
	CHECK_EQ(ch.sent.cap_count, 3);
	CHECK_EQ(ch.sent.caps[0], 5);
	CHECK_EQ(ch.sent.caps[1], 6);
	CHECK_EQ(ch.sent.caps[2], 7);
	CHECK_EQ(ch.sent.cap_kinds[0], RIFT_CAP_FRAME);
	CHECK_EQ(ch.sent.cap_kinds[1], RIFT_CAP_ENDPOINT);
	CHECK_EQ(ch.sent.cap_kinds[2], RIFT_CAP_NOTIFICATION);
}

TEST(golden_oneway)
{
	struct rift_chan ch;

	capture(&ch);
	CHECK_EQ(testiface_poke(&ch, 0xdeadbeef), 0);
	CHECK_EQ(ch.calls, 0);
	CHECK_EQ(ch.sends, 1);
	CHECK(ch.sent.label == REQ(POKE));
	CHECK(SAME(&ch.sent, 0xef, 0xbe, 0xad, 0xde));
}

TEST(golden_no_args)
{
	struct rift_chan ch;

	capture(&ch);
	CHECK_EQ(testiface_nothing(&ch), 0);
	CHECK(ch.sent.label == REQ(NOTHING));
	CHECK_EQ(ch.sent.len, 0);
	CHECK_EQ(ch.sent.cap_count, 0);
}

TEST(golden_events)
{
	struct rift_chan ch;

	capture(&ch);
	CHECK_EQ(testiface_event_ping(&ch, 9, (const uint8_t *)"hi", 2), 0);
	CHECK(ch.sent.label == LABEL(TESTIFACE_EVENT_PING));
	CHECK(SAME(&ch.sent, 0x09, 0, 0, 0, 0x02, 0x00, 'h', 'i'));
	CHECK_EQ(testiface_event_gift(&ch, 0x77, 1, 2), 0);
	CHECK(ch.sent.label == LABEL(TESTIFACE_EVENT_GIFT));
	CHECK(SAME(&ch.sent, 1, 0, 0, 0, 2, 0, 0, 0));
	CHECK_EQ(ch.sent.cap_count, 1);
	CHECK_EQ(ch.sent.caps[0], 0x77);
	CHECK_EQ(ch.sent.cap_kinds[0], RIFT_CAP_FRAME);
}

TEST(ids)
{
	CHECK_EQ(TESTIFACE_METHOD_INTS, 1);
	CHECK_EQ(TESTIFACE_METHOD_MIXED, 11);
	CHECK_EQ(TESTIFACE_EVENT_PING, 20);
	/* derived: 0x10000 + fnv1a32(name) % 0x7fff0000, see docs/idl.md */
	CHECK_EQ(TESTIFACE_METHOD_DERIVED, 35982614);
	CHECK_EQ(TESTIFACE_METHOD_NOTHING, 1384033930);
	CHECK_EQ(TESTIFACE_BLOB_DATA_MAX, 64);
	CHECK(TESTIFACE_VERSION != 0);
}

/* -- golden encodings: replies ----------------------------------------- */

TEST(golden_reply)
{
	struct rift_msg req, reply;
	const uint8_t in[] = { 0x02, 0x00, 'x', 'y', 0x33 };

	tf_reset();
	msg_make(&req, REQ(MIXED), in, sizeof(in));
	CHECK_EQ(testiface_dispatch(&srv, 1, &req, &reply), RIFT_IDL_REPLY);
	CHECK(reply.label == OK_REPLY);
	CHECK_EQ(reply.cap_count, 0);
	CHECK(SAME(&reply, 0x02, 0x00, 'y', 'x', 0x34));
}

TEST(golden_error_reply)
{
	struct rift_msg req, reply;
	const uint8_t in[] = { 0xf7, 0xff, 0xff, 0xff }; /* -9 */

	tf_reset();
	msg_make(&req, REQ(FAIL), in, sizeof(in));
	CHECK_EQ(testiface_dispatch(&srv, 1, &req, &reply), RIFT_IDL_REPLY);
	CHECK(reply.label == ((uint64_t)TESTIFACE_VERSION << 32 | 0xfffffff7u));
	CHECK_EQ(reply.len, 0);
	CHECK_EQ(reply.cap_count, 0);
}

TEST(golden_reply_decode)
{
	struct rift_chan ch;
	const uint8_t out[] = { 0x03, 0x00, 'a', 'b', 'c', 0x03, 0x00 };
	uint8_t o[TESTIFACE_BLOB_O_MAX];
	uint16_t o_len = 0, n = 0;

	capture(&ch);
	loop_canned(&ch, OK_REPLY, out, sizeof(out));
	CHECK_EQ(testiface_blob(&ch, NULL, 0, o, &o_len, &n), 0);
	CHECK_EQ(o_len, 3);
	CHECK_EQ(n, 3);
	CHECK(memcmp(o, "abc", 3) == 0);
}

/* -- round trips through the dispatcher -------------------------------- */

TEST(rt_ints)
{
	struct rift_chan ch;
	uint8_t ra;
	uint16_t rb;
	uint32_t rc;
	uint64_t rd;
	int8_t re;
	int16_t rf;
	int32_t rg;
	int64_t rh;

	loopback(&ch);
	CHECK_EQ(testiface_ints(&ch, UINT8_MAX, UINT16_MAX, UINT32_MAX,
				UINT64_MAX, INT8_MIN, INT16_MIN, INT32_MIN,
				INT64_MIN, &ra, &rb, &rc, &rd, &re, &rf, &rg,
				&rh), 0);
	CHECK(ra == UINT8_MAX && rb == UINT16_MAX && rc == UINT32_MAX);
	CHECK(rd == UINT64_MAX && re == INT8_MIN && rf == INT16_MIN);
	CHECK(rg == INT32_MIN && rh == INT64_MIN);
	CHECK_EQ(testiface_ints(&ch, 0, 0, 0, 0, INT8_MAX, INT16_MAX,
				INT32_MAX, INT64_MAX, &ra, &rb, &rc, &rd, &re,
				&rf, &rg, &rh), 0);
	CHECK(ra == 0 && rb == 0 && rc == 0 && rd == 0);
	CHECK(re == INT8_MAX && rf == INT16_MAX && rg == INT32_MAX &&
	      rh == INT64_MAX);
	CHECK_EQ(tf_seen.badge, 0xb0b);
}

TEST(rt_bool_enum)
{
	struct rift_chan ch;
	bool r = false;
	enum testiface_color rc;
	enum testiface_level rl;
	const enum testiface_color colors[] = { TESTIFACE_COLOR_RED,
		TESTIFACE_COLOR_GREEN, TESTIFACE_COLOR_BLUE };

	loopback(&ch);
	CHECK_EQ(testiface_flags(&ch, true, &r), 0);
	CHECK(r);
	CHECK_EQ(testiface_flags(&ch, false, &r), 0);
	CHECK(!r);
	for (int i = 0; i < 3; i++) {
		CHECK_EQ(testiface_colors(&ch, colors[i], TESTIFACE_LEVEL_HIGH,
					  &rc, &rl), 0);
		CHECK_EQ(rc, colors[i]);
		CHECK_EQ(rl, TESTIFACE_LEVEL_HIGH);
	}
}

TEST(rt_struct_array)
{
	struct rift_chan ch;
	struct testiface_record r = {
		.a = 9, .b = 8, .c = 7, .d = 6, .e = -5, .f = -4, .g = -3,
		.h = INT64_MIN, .flag = true, .col = TESTIFACE_COLOR_BLUE,
		.pts = { { INT32_MIN, INT32_MAX }, { -1, 1 } },
		.tag = { 0, 0xff, 0x80 },
	}, o;
	const uint16_t v[3] = { 0xffff, 0, 0x1234 };
	const bool b[2] = { false, true };
	const enum testiface_color c[2] = { TESTIFACE_COLOR_BLUE,
					    TESTIFACE_COLOR_RED };
	uint16_t ov[3] = { 0 };

	loopback(&ch);
	memset(&o, 0, sizeof(o));
	CHECK_EQ(testiface_records(&ch, &r, &o), 0);
	CHECK(o.a == 9 && o.b == 8 && o.c == 7 && o.d == 6 && o.e == -5);
	CHECK(o.f == -4 && o.g == -3 && o.h == INT64_MIN && o.flag);
	CHECK(o.col == TESTIFACE_COLOR_BLUE);
	CHECK(o.pts[0].x == INT32_MIN && o.pts[0].y == INT32_MAX);
	CHECK(o.pts[1].x == -1 && o.pts[1].y == 1);
	CHECK(o.tag[0] == 0 && o.tag[1] == 0xff && o.tag[2] == 0x80);
	CHECK_EQ(testiface_arrays(&ch, v, b, c, ov), 0);
	CHECK(ov[0] == 0xffff && ov[1] == 0 && ov[2] == 0x1234);
	CHECK(!tf_seen.arrays_b[0] && tf_seen.arrays_b[1]);
	CHECK(tf_seen.arrays_c[0] == TESTIFACE_COLOR_BLUE);
	CHECK(tf_seen.arrays_c[1] == TESTIFACE_COLOR_RED);
}

TEST(rt_bytes)
{
	struct rift_chan ch;
	uint8_t data[64], o[TESTIFACE_BLOB_O_MAX];
	uint16_t o_len, n;
	const uint16_t lens[] = { 0, 1, 63, 64 };

	loopback(&ch);
	for (int i = 0; i < 64; i++) {
		data[i] = (uint8_t)(i * 7 + 1);
	}
	for (unsigned k = 0; k < sizeof(lens) / sizeof(lens[0]); k++) {
		memset(o, 0, sizeof(o));
		CHECK_EQ(testiface_blob(&ch, data, lens[k], o, &o_len, &n), 0);
		CHECK_EQ(o_len, lens[k]);
		CHECK_EQ(n, lens[k]);
		CHECK(memcmp(o, data, lens[k]) == 0);
	}
}

TEST(rt_mixed)
{
	struct rift_chan ch;
	uint8_t b[TESTIFACE_MIXED_B_MAX];
	uint16_t b_len;
	uint8_t tail2;

	loopback(&ch);
	CHECK_EQ(testiface_mixed(&ch, (const uint8_t *)"12345678", 8, 0xfe, b,
				 &b_len, &tail2), 0);
	CHECK_EQ(b_len, 8);
	CHECK(memcmp(b, "87654321", 8) == 0);
	CHECK_EQ(tail2, 0xff);
}

TEST(rt_shmbytes)
{
	struct rift_chan ch;
	uint32_t sum = 0;

	loopback(&ch);
	for (unsigned i = 0; i < sizeof(shm_buf); i++) {
		shm_buf[i] = 1;
	}
	CHECK_EQ(testiface_shm(&ch, 0, sizeof(shm_buf), &sum), 0);
	CHECK_EQ(sum, sizeof(shm_buf));
	CHECK_EQ(testiface_shm(&ch, 90, 10, &sum), 0);
	CHECK_EQ(sum, 10);
	CHECK_EQ(testiface_shm(&ch, sizeof(shm_buf), 0, &sum), 0);
	CHECK_EQ(sum, 0);
	CHECK_EQ(testiface_shm(&ch, 91, 10, &sum), RIFT_ERANGE);
}

TEST(rt_caps)
{
	struct rift_chan ch;
	uint64_t o = 0;

	loopback(&ch);
	CHECK_EQ(testiface_caps(&ch, 0x1111, 0x2222, 0x3333, &o), 0);
	CHECK_EQ(o, 0x1111);
}

TEST(rt_oneway)
{
	struct rift_chan ch;

	loopback(&ch);
	CHECK_EQ(testiface_poke(&ch, 42), 0);
	CHECK_EQ(ch.last_dispatch, RIFT_IDL_NO_REPLY);
	CHECK_EQ(tf_seen.poke_calls, 1);
	CHECK_EQ(tf_seen.poke_v, 42);
}

TEST(rt_status)
{
	struct rift_chan ch;

	loopback(&ch);
	CHECK_EQ(testiface_fail(&ch, 0), 0);
	CHECK_EQ(testiface_fail(&ch, RIFT_EPERM), RIFT_EPERM);
	CHECK_EQ(testiface_fail(&ch, -1000), -1000);
	CHECK_EQ(testiface_fail(&ch, INT32_MIN), INT32_MIN);
	/* a positive handler result is a handler bug: reported as EINVAL */
	CHECK_EQ(testiface_fail(&ch, 5), RIFT_EINVAL);
	tf_misbehave = TF_POSITIVE_STATUS;
	CHECK_EQ(testiface_nothing(&ch), RIFT_EINVAL);
}

TEST(rt_derived_and_empty)
{
	struct rift_chan ch;
	uint32_t y = 0;

	loopback(&ch);
	CHECK_EQ(testiface_derived(&ch, 41, &y), 0);
	CHECK_EQ(y, 42);
	CHECK_EQ(testiface_nothing(&ch), 0);
	CHECK_EQ(tf_seen.handler_calls, 2);
}

TEST(rt_events)
{
	struct rift_chan ch;

	tf_reset();
	loop_init(&ch, tf_event_dispatch, &cli);
	CHECK_EQ(testiface_event_ping(&ch, 7, (const uint8_t *)"hello", 5), 0);
	CHECK_EQ(ch.last_dispatch, 0);
	CHECK_EQ(tf_seen.ping_calls, 1);
	CHECK_EQ(tf_seen.ping_seq, 7);
	CHECK_EQ(tf_seen.ping_note_len, 5);
	CHECK(memcmp(tf_seen.ping_note, "hello", 5) == 0);
	CHECK_EQ(testiface_event_gift(&ch, 0x55, 4000, 96), 0);
	CHECK_EQ(tf_seen.gift_calls, 1);
	CHECK_EQ(tf_seen.gift_f, 0x55);
	CHECK(tf_seen.gift_off == 4000 && tf_seen.gift_len == 96);
	/* the client checks shmbytes against its own buffer size */
	CHECK_EQ(testiface_event_gift(&ch, 0x55, 4000, 97), 0);
	CHECK_EQ(ch.last_dispatch, RIFT_ERANGE);
	CHECK_EQ(tf_seen.gift_calls, 1);
}

TEST(null_outs)
{
	struct rift_chan ch;

	loopback(&ch);
	CHECK_EQ(testiface_ints(&ch, 1, 2, 3, 4, 5, 6, 7, 8, NULL, NULL, NULL,
				NULL, NULL, NULL, NULL, NULL), 0);
	CHECK_EQ(testiface_blob(&ch, (const uint8_t *)"a", 1, NULL, NULL,
				NULL), 0);
	CHECK_EQ(testiface_caps(&ch, 1, 2, 3, NULL), 0);
}

TEST(client_checks_inputs)
{
	struct rift_chan ch;
	uint8_t big[65] = { 0 };

	loopback(&ch);
	CHECK_EQ(testiface_records(&ch, NULL, NULL), RIFT_EINVAL);
	CHECK_EQ(testiface_arrays(&ch, NULL, NULL, NULL, NULL), RIFT_EINVAL);
	CHECK_EQ(testiface_blob(&ch, NULL, 3, NULL, NULL, NULL), RIFT_EINVAL);
	CHECK_EQ(testiface_blob(&ch, big, 65, NULL, NULL, NULL), RIFT_ERANGE);
	CHECK_EQ(testiface_colors(&ch, (enum testiface_color)3,
				  TESTIFACE_LEVEL_LOW, NULL, NULL), RIFT_ERANGE);
	CHECK_EQ(testiface_colors(&ch, TESTIFACE_COLOR_RED,
				  (enum testiface_level)0, NULL, NULL),
		 RIFT_ERANGE);
	CHECK_EQ(testiface_event_ping(&ch, 1, big, 17), RIFT_ERANGE);
	CHECK_EQ(ch.calls + ch.sends, 0);
	CHECK_EQ(tf_seen.handler_calls, 0);
}

TEST(server_checks_outputs)
{
	struct rift_chan ch;
	uint8_t o[TESTIFACE_BLOB_O_MAX];
	enum testiface_color rc;

	loopback(&ch);
	tf_misbehave = TF_BLOB_TOO_LONG;
	CHECK_EQ(testiface_blob(&ch, (const uint8_t *)"a", 1, o, NULL, NULL),
		 RIFT_ERANGE);
	tf_misbehave = TF_BAD_ENUM_OUT;
	CHECK_EQ(testiface_colors(&ch, TESTIFACE_COLOR_RED,
				  TESTIFACE_LEVEL_LOW, &rc, NULL), RIFT_ERANGE);
}

TEST(req_reply_alias)
{
	struct rift_msg m;
	const uint8_t in[] = { 0x03, 0x00, 'a', 'b', 'c' };

	tf_reset();
	msg_make(&m, REQ(BLOB), in, sizeof(in));
	CHECK_EQ(testiface_dispatch(&srv, 1, &m, &m), RIFT_IDL_REPLY);
	CHECK(m.label == OK_REPLY);
	CHECK(SAME(&m, 0x03, 0x00, 'a', 'b', 'c', 0x03, 0x00));
}

TEST(transport_errors)
{
	struct rift_chan ch;

	loopback(&ch);
	ch.fail = RIFT_EIO;
	CHECK_EQ(testiface_nothing(&ch), RIFT_EIO);
	CHECK_EQ(testiface_poke(&ch, 1), RIFT_EIO);
	ch.fail = 3; /* nonsense from the transport */
	CHECK_EQ(testiface_nothing(&ch), RIFT_EIO);
	CHECK_EQ(testiface_poke(&ch, 1), RIFT_EIO);
	CHECK_EQ(tf_seen.handler_calls, 0);
}

TEST_MAIN("idl_codec",
	  TEST_ENTRY(golden_ints), TEST_ENTRY(golden_bool),
	  TEST_ENTRY(golden_enum), TEST_ENTRY(golden_struct),
	  TEST_ENTRY(golden_array), TEST_ENTRY(golden_bytes),
	  TEST_ENTRY(golden_shmbytes), TEST_ENTRY(golden_caps),
	  TEST_ENTRY(golden_oneway), TEST_ENTRY(golden_no_args),
	  TEST_ENTRY(golden_events), TEST_ENTRY(ids),
	  TEST_ENTRY(golden_reply), TEST_ENTRY(golden_error_reply),
	  TEST_ENTRY(golden_reply_decode), TEST_ENTRY(rt_ints),
	  TEST_ENTRY(rt_bool_enum), TEST_ENTRY(rt_struct_array),
	  TEST_ENTRY(rt_bytes), TEST_ENTRY(rt_mixed), TEST_ENTRY(rt_shmbytes),
	  TEST_ENTRY(rt_caps), TEST_ENTRY(rt_oneway), TEST_ENTRY(rt_status),
	  TEST_ENTRY(rt_derived_and_empty), TEST_ENTRY(rt_events),
	  TEST_ENTRY(null_outs), TEST_ENTRY(client_checks_inputs),
	  TEST_ENTRY(server_checks_outputs), TEST_ENTRY(req_reply_alias),
	  TEST_ENTRY(transport_errors))
