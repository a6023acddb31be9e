/* SPDX-License-Identifier: MIT */
/*
 * Version mismatch, both ways: a client and a server generated from two
 * versions of the same interface (tests/idl/testiface.idl and
 * testiface_v2.idl) refuse each other with RIFT_EVERSION, and neither
 * server handler ever runs.
 */

#include "test.h"

#include "loopback.h"
#include "testiface_impl.h"
#include "testiface_v2.h"

static int v2_calls;

int testiface_v2_handle_flags(struct testiface_v2_server *srv, uint64_t badge,
			      bool v, uint8_t extra, bool *r)
{
	(void)srv;
	(void)badge;
	(void)extra;
	v2_calls++;
	*r = v;
	return 0;
}

int testiface_v2_handle_nothing(struct testiface_v2_server *srv,
				uint64_t badge)
{
	(void)srv;
	(void)badge;
	v2_calls++;
	return 0;
}

static int v2_dispatch(void *srv, uint64_t badge, const struct rift_msg *req,
		       struct rift_msg *reply)
{
	return testiface_v2_dispatch(srv, badge, req, reply);
}

static struct testiface_server v1_srv;
static struct testiface_v2_server v2_srv;

TEST(hashes_differ)
{
	CHECK(TESTIFACE_VERSION != TESTIFACE_V2_VERSION);
	/* unchanged method ids: only the hash tells the versions apart */
	CHECK_EQ(TESTIFACE_METHOD_FLAGS, TESTIFACE_V2_METHOD_FLAGS);
	CHECK_EQ(TESTIFACE_METHOD_NOTHING, TESTIFACE_V2_METHOD_NOTHING);
}

TEST(same_version_works)
{
	struct rift_chan ch;
	bool r = false;

	loop_init(&ch, v2_dispatch, &v2_srv);
	v2_calls = 0;
	CHECK_EQ(testiface_v2_flags(&ch, true, 3, &r), 0);
	CHECK(r);
	CHECK_EQ(testiface_v2_nothing(&ch), 0);
	CHECK_EQ(v2_calls, 2);
}

TEST(old_client_new_server)
{
	struct rift_chan ch;
	bool r = false;

	loop_init(&ch, v2_dispatch, &v2_srv);
	v2_calls = 0;
	CHECK_EQ(testiface_flags(&ch, true, &r), RIFT_EVERSION);
	CHECK(!r);
	/* refused even for a method whose signature did not change */
	CHECK_EQ(testiface_nothing(&ch), RIFT_EVERSION);
	CHECK_EQ(v2_calls, 0);
	/* the server's error reply carries its own version */
	CHECK_EQ(ch.last_dispatch, RIFT_IDL_REPLY);
}

TEST(new_client_old_server)
{
	struct rift_chan ch;
	bool r = false;

	tf_reset();
	loop_init(&ch, tf_dispatch, &v1_srv);
	CHECK_EQ(testiface_v2_flags(&ch, true, 1, &r), RIFT_EVERSION);
	CHECK_EQ(testiface_v2_nothing(&ch), RIFT_EVERSION);
	CHECK_EQ(tf_seen.handler_calls, 0);
}

TEST(server_reply_labels)
{
	struct rift_msg req, reply;

	msg_make(&req, rift_msg_label(TESTIFACE_VERSION,
				      TESTIFACE_METHOD_NOTHING), NULL, 0);
	CHECK_EQ(testiface_v2_dispatch(&v2_srv, 0, &req, &reply),
		 RIFT_IDL_REPLY);
	CHECK_EQ(rift_msg_iface(reply.label), TESTIFACE_V2_VERSION);
	CHECK_EQ(msg_status(&reply), RIFT_EVERSION);
}

TEST(old_reply_to_new_client)
{
	struct rift_chan ch;
	const uint8_t ok[] = { 1 };

	/* a reply that decodes fine but carries the other version */
	loop_init(&ch, NULL, NULL);
	loop_canned(&ch, rift_msg_label(TESTIFACE_VERSION, 0), ok, 1);
	CHECK_EQ(testiface_v2_flags(&ch, true, 1, NULL), RIFT_EVERSION);
	loop_canned(&ch, rift_msg_label(TESTIFACE_V2_VERSION, 0), ok, 1);
	CHECK_EQ(testiface_v2_flags(&ch, true, 1, NULL), 0);
}

TEST(events_cross_version)
{
	struct rift_msg m;
	struct testiface_v2_client cli = { 0 };

	msg_make(&m, rift_msg_label(TESTIFACE_VERSION, TESTIFACE_EVENT_PING),
		 (const uint8_t[]){ 1, 0, 0, 0, 0, 0 }, 6);
	CHECK_EQ(testiface_v2_event_dispatch(&cli, 0, &m), RIFT_EVERSION);
}

TEST_MAIN("idl_version",
	  TEST_ENTRY(hashes_differ), TEST_ENTRY(same_version_works),
	  TEST_ENTRY(old_client_new_server), TEST_ENTRY(new_client_old_server),
	  TEST_ENTRY(server_reply_labels), TEST_ENTRY(old_reply_to_new_client),
	  TEST_ENTRY(events_cross_version))
