/* SPDX-License-Identifier: MIT */
/*
 * idl/console.idl as its users will see it: a mock console server behind
 * the generated dispatcher, called through the generated client stubs.
 */

#include "test.h"

#include "console.h"
#include "loopback.h"

#define SUPERVISOR 1 /* badge of the supervisor's channel */

struct mock_console {
	char out[1024];
	uint32_t out_len;
	const char *input;
	uint32_t focus;
};

static struct mock_console con;
static struct console_server srv = { .ctx = &con };
static int input_events;
static uint32_t input_pending;

int console_handle_write(struct console_server *s, uint64_t badge,
			 const uint8_t *data, uint16_t data_len,
			 uint32_t *accepted)
{
	struct mock_console *c = s->ctx;
	uint32_t room = sizeof(c->out) - c->out_len;
	uint32_t n = data_len < room ? data_len : room;

	(void)badge;
	memcpy(c->out + c->out_len, data, n);
	c->out_len += n;
	*accepted = n;
	return 0;
}

int console_handle_read(struct console_server *s, uint64_t badge,
			uint16_t max, uint8_t *data, uint16_t *data_len)
{
	struct mock_console *c = s->ctx;
	size_t n = strlen(c->input);

	if (badge != c->focus) {
		return RIFT_EPERM;
	}
	if (n > max) {
		n = max;
	}
	if (n > CONSOLE_READ_DATA_MAX) {
		n = CONSOLE_READ_DATA_MAX;
	}
	memcpy(data, c->input, n);
	c->input += n;
	*data_len = (uint16_t)n;
	return 0;
}

int console_handle_set_focus(struct console_server *s, uint64_t badge,
			     uint32_t domain)
{
	struct mock_console *c = s->ctx;

	if (badge != SUPERVISOR) {
		return RIFT_EPERM;
	}
	c->focus = domain;
	return 0;
}

int console_on_input_ready(struct console_client *cli, uint64_t badge,
			   uint32_t pending)
{
	(void)cli;
	(void)badge;
	input_events++;
	input_pending = pending;
	return 0;
}

static int con_dispatch(void *s, uint64_t badge, const struct rift_msg *req,
			struct rift_msg *reply)
{
	return console_dispatch(s, badge, req, reply);
}

static int con_events(void *cli, uint64_t badge, const struct rift_msg *msg,
		      struct rift_msg *unused)
{
	(void)unused;
	return console_event_dispatch(cli, badge, msg);
}

static void setup(struct rift_chan *ch, uint64_t badge)
{
	memset(&con, 0, sizeof(con));
	con.input = "";
	loop_init(ch, con_dispatch, &srv);
	ch->badge = badge;
}

TEST(write)
{
	struct rift_chan ch;
	uint32_t accepted = 0;

	setup(&ch, 7);
	CHECK_EQ(console_write(&ch, (const uint8_t *)"hello\n", 6, &accepted),
		 0);
	CHECK_EQ(accepted, 6);
	CHECK_EQ(con.out_len, 6);
	CHECK(memcmp(con.out, "hello\n", 6) == 0);
}

TEST(write_partial_and_bounds)
{
	struct rift_chan ch;
	uint8_t buf[CONSOLE_WRITE_DATA_MAX + 1];
	uint32_t accepted = 0;

	setup(&ch, 7);
	memset(buf, 'x', sizeof(buf));
	for (int i = 0; i < 4; i++) {
		CHECK_EQ(console_write(&ch, buf, CONSOLE_WRITE_DATA_MAX,
				       &accepted), 0);
		CHECK_EQ(accepted, CONSOLE_WRITE_DATA_MAX);
	}
	CHECK_EQ(console_write(&ch, buf, 1, &accepted), 0);
	CHECK_EQ(accepted, 0); /* full */
	CHECK_EQ(console_write(&ch, buf, sizeof(buf), &accepted), RIFT_ERANGE);
}

TEST(read_and_focus)
{
	struct rift_chan ch;
	uint8_t data[CONSOLE_READ_DATA_MAX];
	uint16_t len = 99;

	setup(&ch, SUPERVISOR);
	con.input = "ls -l\n";
	CHECK_EQ(console_read(&ch, 16, data, &len), RIFT_EPERM);
	CHECK_EQ(console_set_focus(&ch, SUPERVISOR), 0);
	CHECK_EQ(console_read(&ch, 3, data, &len), 0);
	CHECK_EQ(len, 3);
	CHECK(memcmp(data, "ls ", 3) == 0);
	CHECK_EQ(console_read(&ch, 100, data, &len), 0);
	CHECK_EQ(len, 3);
	CHECK(memcmp(data, "-l\n", 3) == 0);
	CHECK_EQ(console_read(&ch, 100, data, &len), 0);
	CHECK_EQ(len, 0);
	ch.badge = 9;
	CHECK_EQ(console_set_focus(&ch, 9), RIFT_EPERM);
}

TEST(input_ready_event)
{
	struct rift_chan ch;
	struct console_client cli = { 0 };

	loop_init(&ch, con_events, &cli);
	input_events = 0;
	CHECK_EQ(console_event_input_ready(&ch, 12), 0);
	CHECK_EQ(ch.last_dispatch, 0);
	CHECK_EQ(input_events, 1);
	CHECK_EQ(input_pending, 12);
}

TEST(wire_format)
{
	struct rift_chan ch;

	setup(&ch, 7);
	loop_canned(&ch, rift_msg_label(CONSOLE_VERSION, 0),
		    (const uint8_t[]){ 2, 0, 0, 0 }, 4);
	CHECK_EQ(console_write(&ch, (const uint8_t *)"ok", 2, NULL), 0);
	CHECK(ch.sent.label == rift_msg_label(CONSOLE_VERSION,
					      CONSOLE_METHOD_WRITE));
	CHECK(msg_is(&ch.sent, (const uint8_t[]){ 2, 0, 'o', 'k' }, 4));
	CHECK_EQ(CONSOLE_METHOD_WRITE, 1);
	CHECK_EQ(CONSOLE_METHOD_READ, 2);
	CHECK_EQ(CONSOLE_METHOD_SET_FOCUS, 3);
	CHECK_EQ(CONSOLE_EVENT_INPUT_READY, 16);
}

TEST_MAIN("idl_console",
	  TEST_ENTRY(write), TEST_ENTRY(write_partial_and_bounds),
	  TEST_ENTRY(read_and_focus), TEST_ENTRY(input_ready_event),
	  TEST_ENTRY(wire_format))
