/* SPDX-License-Identifier: MIT */
/*
 * Console robustness and permission test (console_bad_message): sends the
 * console malformed requests — unknown method ids, a wrong version hash,
 * short and over-long payloads, bytes over their bound, a message whose
 * length the transport cannot even unpack — and checks each gets the right
 * error reply carrying the console's version; then checks focus rules and
 * that a normal write is still served.
 *
 * Capabilities: "console" is its console channel end (a focus admin in the
 * description), "peer" a second end of the same channel (the console knows
 * it as "conbad:peer"), without rights.
 *
 * With the argument "absent" it runs where there is no console at all and
 * checks that writing fails at once with RIFT_EIO (never hangs) and that
 * printf output still reaches the kernel log.
 */
#include <stdio.h>
#include <string.h>

#include <rift/chan.h>
#include <rift/msg.h>
#include <rift/rt.h>
#include <rift/syscall.h>

#include "console.h"
#include "console_client.h"

#define SLOT_PEER rt_cap("peer")
#define CONSOLE_SLOT_EP rt_cap(CONSOLE_CAP)

static unsigned refused;

/** A status the console should answer with, for one malformed request. */
struct bad_case {
	const char *what;
	uint32_t version;
	uint32_t method;
	uint8_t data[RIFT_MSG_MAX_BYTES];
	uint32_t len;
	int expect;
};

static const char *err_name(int err)
{
	static const char *const names[] = {
		"OK",  "EINVAL", "EVERSION", "ENOSYS", "ERANGE", "ENOCAP",
		"EIO", "EPERM",  "ENOMEM",   "EBUSY",  "ENOENT", "EOVERFLOW",
	};

	return err <= 0 && -err < 12 ? names[-err] : "?";
}

static void fail(const char *what, const char *fmt, int a, int b)
{
	printf("FAILED: %s: ", what);
	printf(fmt, a, b);
	printf("\n");
	rift_exit(1);
}

/** Sends one request as given and checks the reply's version and status. */
static void expect_reply(const struct bad_case *c)
{
	static struct rift_msg req, reply;
	struct rift_chan ch = { CONSOLE_SLOT_EP, 0 };
	int err, status;

	memset(&req, 0, sizeof(req));
	req.label = rift_msg_label(c->version, c->method);
	req.len = c->len;
	memcpy(req.data, c->data, c->len);
	err = rift_chan_call(&ch, &req, &reply);
	if (err != RIFT_OK) {
		fail(c->what, "transport error %d%.0d", err, 0);
	}
	if (rift_msg_iface(reply.label) != CONSOLE_VERSION || reply.len != 0) {
		fail(c->what, "reply hash %#x, %d payload bytes",
		     (int)rift_msg_iface(reply.label), (int)reply.len);
	}
	status = (int32_t)rift_msg_method(reply.label);
	if (status != c->expect) {
		fail(c->what, "status %d, expected %d", status, c->expect);
	}
	printf("conbad: %s: %s\n", c->what, err_name(status));
	refused++;
}

/** Requests the generated dispatcher must refuse. */
static void bad_requests(void)
{
	static struct bad_case cases[] = {
		{ "unknown method id", CONSOLE_VERSION, 99, { 0 }, 0,
		  RIFT_ENOSYS },
		{ "event id sent as a method", CONSOLE_VERSION, 16, { 0 }, 4,
		  RIFT_ENOSYS },
		{ "wrong version hash", CONSOLE_VERSION ^ 0x80000000u, 1,
		  { 2, 0, 'h', 'i' }, 4, RIFT_EVERSION },
		{ "write without payload", CONSOLE_VERSION, 1, { 0 }, 0,
		  RIFT_EINVAL },
		{ "write with half a length", CONSOLE_VERSION, 1, { 5 }, 1,
		  RIFT_EINVAL },
		{ "write with bytes past the payload", CONSOLE_VERSION, 1,
		  { 100, 0, 'a', 'b' }, 4, RIFT_EINVAL },
		{ "write with trailing bytes", CONSOLE_VERSION, 1,
		  { 2, 0, 'o', 'k', 1, 2, 3 }, 7, RIFT_EINVAL },
		{ "write over its 256-byte bound", CONSOLE_VERSION, 1,
		  { 0x2c, 0x01 }, 302, RIFT_ERANGE },
		{ "write of a 512-byte length", CONSOLE_VERSION, 1,
		  { 0xfe, 0x01 }, 512, RIFT_ERANGE },
		{ "read with a short payload", CONSOLE_VERSION, 2, { 1 }, 1,
		  RIFT_EINVAL },
		{ "set_focus with trailing bytes", CONSOLE_VERSION, 3,
		  { 1, 0, 0, 0, 0 }, 5, RIFT_EINVAL },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		expect_reply(&cases[i]);
	}
}

/**
 * A message the transport itself rejects: no words but three pad bytes,
 * so its length would be negative. Sent with the raw call.
 */
static void bad_length(void)
{
	struct rift_regs_msg m = { 0 };
	long err;

	m.label = rift_msg_label(CONSOLE_VERSION, CONSOLE_METHOD_WRITE);
	m.info = RIFT_INFO_WITH_PAD(RIFT_INFO(0, 0), 3);
	err = rift_call(CONSOLE_SLOT_EP, &m);
	if (err != 0 || m.label != rift_msg_label(CONSOLE_VERSION,
						  (uint32_t)RIFT_EINVAL)) {
		fail("negative length", "error %d, label low %d", (int)err,
		     (int)(uint32_t)m.label);
	}
	printf("conbad: negative length: EINVAL\n");
	refused++;
}

static void check(const char *what, int got, int want)
{
	if (got != want) {
		fail(what, "got %d, expected %d", got, want);
	}
	printf("conbad: %s: %s\n", what, err_name(got));
}

/** Who may read and who may move the focus. */
static void focus_rules(void)
{
	struct rift_chan peer = { SLOT_PEER, 0 };
	struct rift_cap_info ci;
	uint8_t buf[CONSOLE_READ_DATA_MAX];
	uint16_t len = 99;

	rift_cap_info(CONSOLE_SLOT_EP, &ci);
	check("read without the focus",
	      console_read(console_client_chan(), 16, buf, &len), RIFT_EPERM);
	check("set_focus by a client without the right",
	      console_set_focus(&peer, (uint32_t)ci.badge), RIFT_EPERM);
	check("set_focus to nobody known",
	      console_set_focus(console_client_chan(), 99), RIFT_ENOENT);
	check("set_focus to itself",
	      console_set_focus(console_client_chan(), (uint32_t)ci.badge),
	      RIFT_OK);
	check("read with the focus",
	      console_read(console_client_chan(), 16, buf, &len), RIFT_OK);
	check("nothing typed", len, 0);
	check("read by the other end", console_read(&peer, 16, buf, &len),
	      RIFT_EPERM);
	check("set_focus to nobody",
	      console_set_focus(console_client_chan(), 0), RIFT_OK);
}

/** After all that, an ordinary write is still served. */
static void still_serving(void)
{
	static const char line[] = "conbad: a direct console_write after "
				   "the refusals\n";
	uint32_t accepted = 0;
	int err = console_write(console_client_chan(), (const uint8_t *)line,
				sizeof(line) - 1, &accepted);

	if (err != RIFT_OK || accepted != sizeof(line) - 1) {
		fail("write after refusals", "error %d, accepted %d", err,
		     (int)accepted);
	}
	printf("conbad: %u malformed requests refused; the console still "
	       "serves\n", refused);
}

/** No console: writing fails at once and printf falls back. */
static int absent(void)
{
	size_t done = 1;
	int err = console_client_write("x\n", 2, &done);

	if (err != RIFT_EIO || done != 0) {
		fail("write with no console", "error %d, %d bytes", err,
		     (int)done);
	}
	printf("conbad: no console: console_write fails with EIO at once; "
	       "printf still reaches the kernel log\n");
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "absent") == 0) {
		return absent();
	}
	bad_requests();
	bad_length();
	focus_rules();
	still_serving();
	return 0;
}
