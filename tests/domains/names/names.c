/* SPDX-License-Identifier: MIT */
/*
 * Capabilities by name (sysdesc_names, tests/system/sysdesc_names.dts).
 *
 *   names server     serves the channel "greet" (a service): prints its
 *                    table of clients, then answers every call, naming
 *                    each caller from its badge (rt_cap_client_name())
 *   names client     finds "greet" by name, calls it once on every end it
 *                    holds ("greet" and, if given, "spare"), and checks
 *                    that a name it was not given has no slot
 *
 * No slot number appears here: everything is looked up by name.
 */
#include <rift/caps.h>
#include <rift/chan.h>
#include <rift/rt.h>
#include <stdio.h>
#include <string.h>

#include "../common.h"

static int server(void)
{
	const char *names[8];
	uint64_t badges[8];
	uint32_t n = rt_cap_clients("greet", names, badges, 8);
	uint64_t ep = test_cap("greet");
	struct rift_msg req, reply;
	uint64_t badge;
	int err;

	for (uint32_t i = 0; i < n && i < 8; i++) {
		printf("names: client %s has badge %llu\n", names[i],
		       (unsigned long long)badges[i]);
	}
	memset(&reply, 0, sizeof(reply));
	err = rift_chan_recv(ep, &req, &badge, NULL);
	for (;;) {
		const char *who = rt_cap_client_name("greet", badge);

		TEST_REQUIRE(err == RIFT_OK, "receive: %s", rift_strerror(err));
		TEST_REQUIRE(who != NULL, "no name for badge %llu",
			     (unsigned long long)badge);
		printf("names: call from %s (%.*s)\n", who, (int)req.len,
		       (const char *)req.data);
		err = rift_chan_reply_recv(ep, &reply, &req, &badge, NULL);
	}
}

static void call(const char *end)
{
	struct rift_chan ch = rift_chan_open(end);
	struct rift_msg req, reply;
	const char *me = rt_domain_name();
	int err;

	TEST_REQUIRE(ch.ep != 0, "no capability named '%s'", end);
	memset(&req, 0, sizeof(req));
	req.len = (uint32_t)snprintf((char *)req.data, sizeof(req.data),
				     "%s via %s", me ? me : "?", end);
	err = rift_chan_call(&ch, &req, &reply);
	TEST_REQUIRE(err == RIFT_OK, "call on '%s': %s", end,
		     rift_strerror(err));
}

static int client(void)
{
	const struct rift_cap_entry *e = rt_cap_find("greet");

	TEST_REQUIRE(e != NULL && e->kind == RIFT_CAPK_ENDPOINT_CLIENT,
		     "'greet' is not a client end");
	TEST_REQUIRE(rt_cap("greeet") == 0, "a name never given has a slot");
	call("greet");
	if (rt_cap("spare")) {
		call("spare");
	}
	printf("names: %s called by name, badge %llu\n", rt_domain_name(),
	       (unsigned long long)e->badge);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "server") == 0) {
		return server();
	}
	if (argc > 1 && strcmp(argv[1], "client") == 0) {
		return client();
	}
	printf("names: usage: names server | names client\n");
	return 2;
}
