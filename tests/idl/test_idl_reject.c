/* SPDX-License-Identifier: MIT */
/*
 * Every class of malformed message is rejected with the right error, by the
 * server dispatcher (error reply, handler never called), by the client stub
 * (bad replies) and by the client event dispatcher; random messages never
 * crash or read out of bounds (built with ASan/UBSan).
 */

#include "test.h"

#include "loopback.h"
#include "testiface_impl.h"

#define REQ(name) rift_msg_label(TESTIFACE_VERSION, TESTIFACE_METHOD_##name)
#define EVT(name) rift_msg_label(TESTIFACE_VERSION, TESTIFACE_EVENT_##name)
#define OK_REPLY rift_msg_label(TESTIFACE_VERSION, 0)
#define BYTES(...) (const uint8_t[]){ __VA_ARGS__ }, \
	sizeof((const uint8_t[]){ __VA_ARGS__ })

static uint8_t shm_buf[100];
static struct testiface_server srv = { .ctx = shm_buf, .shm_size = 100 };
static struct testiface_client cli = { .ctx = NULL, .shm_size = 100 };

/*
 * Dispatch a request; return the reply status, or 1000 + the dispatcher's
 * return value when it produced no reply. Fails the test if a rejected
 * request reached a handler.
 */
static int32_t dispatch(const struct rift_msg *msg)
{
	struct rift_msg reply, *req = msg_fence(msg);
	int ret;

	memset(&reply, 0xa5, sizeof(reply));
	tf_reset();
	ret = testiface_dispatch(&srv, 1, req, &reply);
	msg_unfence(req);
	if (ret != RIFT_IDL_REPLY) {
		return 1000 + ret;
	}
	if (rift_msg_iface(reply.label) != TESTIFACE_VERSION) {
		return 2000;
	}
	if (msg_status(&reply) != 0 &&
	    (reply.len != 0 || reply.cap_count != 0 || tf_seen.handler_calls)) {
		return 3000; /* an error reply must be empty, no handler run */
	}
	return msg_status(&reply);
}

static int32_t request(uint64_t label, const uint8_t *data, uint32_t len)
{
	struct rift_msg m;

	msg_make(&m, label, data, len);
	return dispatch(&m);
}

static int32_t with_caps(uint64_t label, uint32_t count, const uint32_t *kinds)
{
	struct rift_msg m;

	msg_make(&m, label, NULL, 0);
	m.cap_count = count;
	for (uint32_t i = 0; i < count && i < RIFT_MSG_CAPS; i++) {
		m.caps[i] = 0x40 + i;
		m.cap_kinds[i] = kinds[i];
	}
	return dispatch(&m);
}

static const uint8_t ints_req[30] = { 1, 2, 0, 3, 0, 0, 0, 4 };

TEST(short_request)
{
	for (uint32_t len = 0; len < sizeof(ints_req); len++) {
		CHECK_EQ(request(REQ(INTS), ints_req, len), RIFT_EINVAL);
	}
	CHECK_EQ(request(REQ(INTS), ints_req, sizeof(ints_req)), 0);
	CHECK_EQ(request(REQ(FLAGS), NULL, 0), RIFT_EINVAL);
	CHECK_EQ(request(REQ(SHM), BYTES(0, 0, 0, 0, 0, 0, 0)), RIFT_EINVAL);
}

TEST(trailing_bytes)
{
	uint8_t long_req[31] = { 0 };

	CHECK_EQ(request(REQ(INTS), long_req, sizeof(long_req)), RIFT_EINVAL);
	CHECK_EQ(request(REQ(NOTHING), BYTES(0)), RIFT_EINVAL);
	CHECK_EQ(request(REQ(FLAGS), BYTES(1, 0)), RIFT_EINVAL);
	CHECK_EQ(request(REQ(BLOB), BYTES(1, 0, 'a', 'b')), RIFT_EINVAL);
	CHECK_EQ(request(REQ(BLOB), BYTES(1, 0, 'a')), 0);
}

TEST(bad_lengths_in_header)
{
	struct rift_msg m;

	msg_make(&m, REQ(NOTHING), NULL, 0);
	m.len = RIFT_MSG_MAX_BYTES + 1;
	CHECK_EQ(dispatch(&m), RIFT_EINVAL);
	m.len = UINT32_MAX;
	CHECK_EQ(dispatch(&m), RIFT_EINVAL);
	m.len = 0;
	m.cap_count = RIFT_MSG_CAPS + 1;
	CHECK_EQ(dispatch(&m), RIFT_EINVAL);
	m.cap_count = UINT32_MAX;
	CHECK_EQ(dispatch(&m), RIFT_EINVAL);
}

TEST(bad_method_id)
{
	CHECK_EQ(request(rift_msg_label(TESTIFACE_VERSION, 0), NULL, 0),
		 RIFT_ENOSYS);
	CHECK_EQ(request(rift_msg_label(TESTIFACE_VERSION, 999), NULL, 0),
		 RIFT_ENOSYS);
	CHECK_EQ(request(rift_msg_label(TESTIFACE_VERSION, UINT32_MAX), NULL,
			 0), RIFT_ENOSYS);
	/* an event id is not a method */
	CHECK_EQ(request(EVT(PING), BYTES(0, 0, 0, 0, 0, 0)), RIFT_ENOSYS);
}

TEST(wrong_hash)
{
	CHECK_EQ(request(rift_msg_label(TESTIFACE_VERSION ^ 1,
					TESTIFACE_METHOD_NOTHING), NULL, 0),
		 RIFT_EVERSION);
	CHECK_EQ(request(rift_msg_label(0, TESTIFACE_METHOD_NOTHING), NULL, 0),
		 RIFT_EVERSION);
}

TEST(enum_out_of_range)
{
	CHECK_EQ(request(REQ(COLORS), BYTES(7, 0, 0, 0, 10, 0, 0, 0)), 0);
	CHECK_EQ(request(REQ(COLORS), BYTES(2, 0, 0, 0, 10, 0, 0, 0)),
		 RIFT_ERANGE);
	CHECK_EQ(request(REQ(COLORS), BYTES(0, 0, 0, 1, 10, 0, 0, 0)),
		 RIFT_ERANGE);
	CHECK_EQ(request(REQ(COLORS), BYTES(0, 0, 0, 0, 0, 0, 0, 0)),
		 RIFT_ERANGE);
	CHECK_EQ(request(REQ(COLORS), BYTES(0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff)),
		 RIFT_ERANGE);
	/* inside an array */
	CHECK_EQ(request(REQ(ARRAYS), BYTES(0, 0, 0, 0, 0, 0, 0, 0,
					   1, 0, 0, 0, 3, 0, 0, 0)),
		 RIFT_ERANGE);
}

static uint8_t record_req[54];

static void make_record(void)
{
	memset(record_req, 0, sizeof(record_req));
}

TEST(enum_and_bool_in_struct)
{
	make_record();
	CHECK_EQ(request(REQ(RECORDS), record_req, sizeof(record_req)), 0);
	record_req[31] = 8; /* col */
	CHECK_EQ(request(REQ(RECORDS), record_req, sizeof(record_req)),
		 RIFT_ERANGE);
	make_record();
	record_req[30] = 2; /* flag */
	CHECK_EQ(request(REQ(RECORDS), record_req, sizeof(record_req)),
		 RIFT_EINVAL);
}

TEST(bool_not_0_or_1)
{
	CHECK_EQ(request(REQ(FLAGS), BYTES(1)), 0);
	CHECK_EQ(request(REQ(FLAGS), BYTES(2)), RIFT_EINVAL);
	CHECK_EQ(request(REQ(FLAGS), BYTES(0xff)), RIFT_EINVAL);
	CHECK_EQ(request(REQ(ARRAYS), BYTES(0, 0, 0, 0, 0, 0, 1, 0x80,
					   1, 0, 0, 0, 1, 0, 0, 0)),
		 RIFT_EINVAL);
}

TEST(bytes_over_bound)
{
	uint8_t m[2 + 65] = { 65, 0 };

	CHECK_EQ(request(REQ(BLOB), m, sizeof(m)), RIFT_ERANGE);
	m[0] = 64;
	CHECK_EQ(request(REQ(BLOB), m, sizeof(m) - 1), 0);
	CHECK_EQ(request(REQ(BLOB), BYTES(0xff, 0xff)), RIFT_ERANGE);
	CHECK_EQ(request(REQ(MIXED), BYTES(9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0)),
		 RIFT_ERANGE);
}

TEST(bytes_over_remaining)
{
	CHECK_EQ(request(REQ(BLOB), BYTES(10, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9)),
		 RIFT_EINVAL);
	CHECK_EQ(request(REQ(BLOB), BYTES(1, 0)), RIFT_EINVAL);
	CHECK_EQ(request(REQ(BLOB), BYTES(1)), RIFT_EINVAL);
	/* the length eats the next argument */
	CHECK_EQ(request(REQ(MIXED), BYTES(3, 0, 'a', 'b', 0x10)),
		 RIFT_EINVAL);
}

TEST(shmbytes_outside_buffer)
{
	/* shm_size is 100 */
	CHECK_EQ(request(REQ(SHM), BYTES(0, 0, 0, 0, 100, 0, 0, 0)), 0);
	CHECK_EQ(request(REQ(SHM), BYTES(100, 0, 0, 0, 0, 0, 0, 0)), 0);
	CHECK_EQ(request(REQ(SHM), BYTES(0, 0, 0, 0, 101, 0, 0, 0)),
		 RIFT_ERANGE);
	CHECK_EQ(request(REQ(SHM), BYTES(100, 0, 0, 0, 1, 0, 0, 0)),
		 RIFT_ERANGE);
	CHECK_EQ(request(REQ(SHM), BYTES(101, 0, 0, 0, 0, 0, 0, 0)),
		 RIFT_ERANGE);
	/* offset + length wraps around 2^32 */
	CHECK_EQ(request(REQ(SHM), BYTES(0xff, 0xff, 0xff, 0xff, 2, 0, 0, 0)),
		 RIFT_ERANGE);
	CHECK_EQ(request(REQ(SHM), BYTES(2, 0, 0, 0, 0xff, 0xff, 0xff, 0xff)),
		 RIFT_ERANGE);
	CHECK_EQ(request(REQ(SHM), BYTES(0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
					 0xff, 0xff)), RIFT_ERANGE);
}

TEST(caps_missing_or_wrong_kind)
{
	const uint32_t good[] = { RIFT_CAP_FRAME, RIFT_CAP_ENDPOINT,
				  RIFT_CAP_NOTIFICATION, RIFT_CAP_FRAME };
	const uint32_t swapped[] = { RIFT_CAP_ENDPOINT, RIFT_CAP_FRAME,
				     RIFT_CAP_NOTIFICATION };
	const uint32_t none[] = { RIFT_CAP_FRAME, RIFT_CAP_ENDPOINT,
				  RIFT_CAP_NONE };

	CHECK_EQ(with_caps(REQ(CAPS), 3, good), 0);
	CHECK_EQ(with_caps(REQ(CAPS), 0, good), RIFT_ENOCAP);
	CHECK_EQ(with_caps(REQ(CAPS), 2, good), RIFT_ENOCAP);
	CHECK_EQ(with_caps(REQ(CAPS), 3, swapped), RIFT_ENOCAP);
	CHECK_EQ(with_caps(REQ(CAPS), 3, none), RIFT_ENOCAP);
	/* extra capabilities are malformed too */
	CHECK_EQ(with_caps(REQ(CAPS), 4, good), RIFT_EINVAL);
	CHECK_EQ(with_caps(REQ(NOTHING), 1, good), RIFT_EINVAL);
}

TEST(oneway_rejected_silently)
{
	struct rift_msg m, reply;

	msg_make(&m, REQ(POKE), (const uint8_t *)"abc", 3);
	memset(&reply, 0x5a, sizeof(reply));
	tf_reset();
	CHECK_EQ(testiface_dispatch(&srv, 1, &m, &reply), RIFT_EINVAL);
	CHECK_EQ(tf_seen.poke_calls, 0);
	CHECK_EQ(reply.len, 0x5a5a5a5a); /* untouched: nothing to send */
	msg_make(&m, REQ(POKE), (const uint8_t *)"abcd", 4);
	CHECK_EQ(testiface_dispatch(&srv, 1, &m, &reply), RIFT_IDL_NO_REPLY);
	CHECK_EQ(tf_seen.poke_calls, 1);
}

/* -- client side: bad replies ------------------------------------------ */

static struct rift_chan ch;

static void canned(uint64_t label, const uint8_t *data, uint32_t len)
{
	tf_reset();
	loop_init(&ch, tf_dispatch, &srv);
	loop_canned(&ch, label, data, len);
}

TEST(reply_too_short_or_long)
{
	int64_t rh = 77;
	bool r = false;

	for (uint32_t len = 0; len < sizeof(ints_req); len++) {
		canned(OK_REPLY, ints_req, len);
		CHECK_EQ(testiface_ints(&ch, 0, 0, 0, 0, 0, 0, 0, 0, NULL, NULL,
					NULL, NULL, NULL, NULL, NULL, &rh),
			 RIFT_EINVAL);
	}
	CHECK_EQ(rh, 77); /* outs untouched on failure */
	canned(OK_REPLY, BYTES(1, 0));
	CHECK_EQ(testiface_flags(&ch, true, &r), RIFT_EINVAL);
	canned(OK_REPLY, BYTES(1));
	CHECK_EQ(testiface_flags(&ch, true, &r), 0);
	CHECK(r);
	canned(OK_REPLY, NULL, 0);
	ch.canned.len = RIFT_MSG_MAX_BYTES + 8;
	CHECK_EQ(testiface_nothing(&ch), RIFT_EINVAL);
}

TEST(reply_bad_values)
{
	uint8_t o[TESTIFACE_BLOB_O_MAX];
	uint8_t big[2 + 65 + 2] = { 65, 0 };

	canned(OK_REPLY, BYTES(2));
	CHECK_EQ(testiface_flags(&ch, true, NULL), RIFT_EINVAL);
	canned(OK_REPLY, BYTES(3, 0, 0, 0, 10, 0, 0, 0));
	CHECK_EQ(testiface_colors(&ch, TESTIFACE_COLOR_RED, TESTIFACE_LEVEL_LOW,
				  NULL, NULL), RIFT_ERANGE);
	canned(OK_REPLY, big, sizeof(big));
	CHECK_EQ(testiface_blob(&ch, NULL, 0, o, NULL, NULL), RIFT_ERANGE);
	canned(OK_REPLY, BYTES(5, 0, 1, 2, 3));
	CHECK_EQ(testiface_blob(&ch, NULL, 0, o, NULL, NULL), RIFT_EINVAL);
}

TEST(reply_caps)
{
	uint64_t o = 0;

	canned(OK_REPLY, NULL, 0);
	CHECK_EQ(testiface_caps(&ch, 1, 2, 3, &o), RIFT_ENOCAP);
	ch.canned.cap_count = 1;
	ch.canned.caps[0] = 9;
	ch.canned.cap_kinds[0] = RIFT_CAP_ENDPOINT;
	CHECK_EQ(testiface_caps(&ch, 1, 2, 3, &o), RIFT_ENOCAP);
	ch.canned.cap_kinds[0] = RIFT_CAP_FRAME;
	ch.canned.cap_count = 2;
	CHECK_EQ(testiface_caps(&ch, 1, 2, 3, &o), RIFT_EINVAL);
	CHECK_EQ(o, 0);
	ch.canned.cap_count = 1;
	CHECK_EQ(testiface_caps(&ch, 1, 2, 3, &o), 0);
	CHECK_EQ(o, 9);
}

TEST(reply_status_and_hash)
{
	uint32_t y = 5;

	canned(rift_msg_label(TESTIFACE_VERSION ^ 0x100, 0), BYTES(1, 0, 0, 0));
	CHECK_EQ(testiface_derived(&ch, 1, &y), RIFT_EVERSION);
	canned(rift_msg_label(TESTIFACE_VERSION ^ 0x100, (uint32_t)RIFT_EPERM),
	       NULL, 0);
	CHECK_EQ(testiface_derived(&ch, 1, &y), RIFT_EVERSION);
	canned(rift_msg_label(TESTIFACE_VERSION, (uint32_t)RIFT_EPERM), NULL, 0);
	CHECK_EQ(testiface_derived(&ch, 1, &y), RIFT_EPERM);
	canned(rift_msg_label(TESTIFACE_VERSION, 5), BYTES(1, 0, 0, 0));
	CHECK_EQ(testiface_derived(&ch, 1, &y), RIFT_EINVAL);
	CHECK_EQ(y, 5);
	canned(OK_REPLY, BYTES(1, 0, 0, 0));
	CHECK_EQ(testiface_derived(&ch, 1, &y), 0);
	CHECK_EQ(y, 1);
}

/* -- client side: bad events ------------------------------------------- */

static int event(uint64_t label, const uint8_t *data, uint32_t len,
		 uint32_t caps)
{
	struct rift_msg m;

	struct rift_msg *fenced;
	int ret;

	msg_make(&m, label, data, len);
	m.cap_count = caps;
	m.cap_kinds[0] = RIFT_CAP_FRAME;
	tf_reset();
	fenced = msg_fence(&m);
	ret = testiface_event_dispatch(&cli, 0, fenced);
	msg_unfence(fenced);
	return ret;
}

TEST(bad_events)
{
	CHECK_EQ(event(EVT(PING), BYTES(1, 0, 0, 0, 1, 0, 'x'), 0), 0);
	CHECK_EQ(tf_seen.ping_calls, 1);
	CHECK_EQ(event(EVT(PING), BYTES(1, 0, 0, 0, 2, 0, 'x'), 0),
		 RIFT_EINVAL);
	CHECK_EQ(event(EVT(PING), BYTES(1, 0, 0, 0, 17, 0), 0), RIFT_ERANGE);
	CHECK_EQ(event(EVT(PING), BYTES(1, 0, 0, 0, 0, 0, 0), 0), RIFT_EINVAL);
	CHECK_EQ(event(rift_msg_label(TESTIFACE_VERSION ^ 1,
				      TESTIFACE_EVENT_PING),
		       BYTES(1, 0, 0, 0, 0, 0), 0), RIFT_EVERSION);
	CHECK_EQ(event(REQ(NOTHING), NULL, 0, 0), RIFT_ENOSYS);
	CHECK_EQ(event(EVT(GIFT), BYTES(0, 0, 0, 0, 100, 0, 0, 0), 1), 0);
	CHECK_EQ(event(EVT(GIFT), BYTES(1, 0, 0, 0, 100, 0, 0, 0), 1),
		 RIFT_ERANGE);
	CHECK_EQ(event(EVT(GIFT), BYTES(0, 0, 0, 0, 1, 0, 0, 0), 0),
		 RIFT_ENOCAP);
	CHECK_EQ(tf_seen.ping_calls + tf_seen.gift_calls, 0);
}

/* -- robustness --------------------------------------------------------- */

static uint32_t rng_state = 0x12345678;

static uint32_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return rng_state;
}

/*
 * Random messages with valid labels for every method and event, random
 * payloads and capabilities: no crash, no out-of-bounds access (ASan), and
 * a well-formed reply to every two-way request.
 */
TEST(random_messages)
{
	static const uint32_t ids[] = {
		TESTIFACE_METHOD_INTS, TESTIFACE_METHOD_FLAGS,
		TESTIFACE_METHOD_COLORS, TESTIFACE_METHOD_RECORDS,
		TESTIFACE_METHOD_ARRAYS, TESTIFACE_METHOD_BLOB,
		TESTIFACE_METHOD_SHM, TESTIFACE_METHOD_CAPS,
		TESTIFACE_METHOD_POKE, TESTIFACE_METHOD_FAIL,
		TESTIFACE_METHOD_MIXED, TESTIFACE_METHOD_DERIVED,
		TESTIFACE_METHOD_NOTHING, TESTIFACE_EVENT_PING,
		TESTIFACE_EVENT_GIFT,
	};
	struct rift_msg *m = malloc(sizeof(*m)), *reply = malloc(sizeof(*reply));
	int accepted = 0;

	for (int iter = 0; iter < 200000; iter++) {
		uint32_t id = ids[rng() % (sizeof(ids) / sizeof(ids[0]))];

		msg_make(m, rift_msg_label(TESTIFACE_VERSION, id), NULL, 0);
		m->len = rng() % 80;
		for (uint32_t i = 0; i < m->len; i++) {
			/* mostly small bytes, so lengths and enums often fit */
			m->data[i] = (uint8_t)(rng() % 4 ? rng() % 3 : rng());
		}
		m->cap_count = rng() % 5;
		for (uint32_t i = 0; i < m->cap_count; i++) {
			m->cap_kinds[i] = rng() % 4;
		}
		struct rift_msg *f = msg_fence(m);

		tf_reset();
		int ret = testiface_dispatch(&srv, 0, f, reply);
		CHECK(ret == RIFT_IDL_REPLY || ret <= RIFT_IDL_NO_REPLY);
		if (ret == RIFT_IDL_REPLY) {
			CHECK(reply->len <= RIFT_MSG_MAX_BYTES);
			CHECK(reply->cap_count <= RIFT_MSG_CAPS);
			accepted += msg_status(reply) == 0;
		}
		(void)testiface_event_dispatch(&cli, 0, f);
		msg_unfence(f);
	}
	free(m);
	free(reply);
	CHECK(accepted > 100); /* the generator reached the handlers too */
}

TEST_MAIN("idl_reject",
	  TEST_ENTRY(short_request), TEST_ENTRY(trailing_bytes),
	  TEST_ENTRY(bad_lengths_in_header), TEST_ENTRY(bad_method_id),
	  TEST_ENTRY(wrong_hash), TEST_ENTRY(enum_out_of_range),
	  TEST_ENTRY(enum_and_bool_in_struct), TEST_ENTRY(bool_not_0_or_1),
	  TEST_ENTRY(bytes_over_bound), TEST_ENTRY(bytes_over_remaining),
	  TEST_ENTRY(shmbytes_outside_buffer),
	  TEST_ENTRY(caps_missing_or_wrong_kind),
	  TEST_ENTRY(oneway_rejected_silently),
	  TEST_ENTRY(reply_too_short_or_long), TEST_ENTRY(reply_bad_values),
	  TEST_ENTRY(reply_caps), TEST_ENTRY(reply_status_and_hash),
	  TEST_ENTRY(bad_events), TEST_ENTRY(random_messages))
