/* SPDX-License-Identifier: MIT */
/*
 * A server that answers one request and exits, and a client that calls it
 * twice: the second call must fail (the server is gone and will not be
 * restarted), never hang.
 */
#include "common.h"

#define SLOT_EP test_cap("once")

#include <string.h>

static int server(void)
{
	struct rift_regs_msg m;

	TEST_REQUIRE(rift_recv(SLOT_EP, &m) == 0, "recv");
	m.info = 0;
	rift_reply(&m);
	printf("oneshot server: answered once, exiting\n");
	return 0;
}

static int client(void)
{
	struct rift_regs_msg m = { 1, 0, { 0 }, 0 };
	long err = rift_call(SLOT_EP, &m);

	TEST_REQUIRE(err == 0, "first call %ld", err);
	m.label = 2;
	err = rift_call(SLOT_EP, &m);
	TEST_REQUIRE(err != 0, "second call to a dead server succeeded");
	printf("oneshot client: first call served, second failed with %ld\n",
	       err);
	return 0;
}

int main(int argc, char **argv)
{
	return argc >= 2 && strcmp(argv[1], "server") == 0 ? server() :
							      client();
}
