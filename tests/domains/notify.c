/* SPDX-License-Identifier: MIT */
/*
 * Notifications: the signaller signals N times; after each signal it waits
 * (on an endpoint call) until the waiter has woken, so every signal must
 * produce exactly one wake-up with the badge bit set.
 */
#include "common.h"

#define SLOT_EP test_cap("handshake")
#define SLOT_NTFN test_cap("doorbell")

#include <string.h>

#define ROUNDS 1000

static int waiter(void)
{
	struct rift_regs_msg m;
	long wakes = 0;

	for (int i = 0; i < ROUNDS; i++) {
		uint64_t word = 0;
		long err = rift_wait(SLOT_NTFN, &word);

		TEST_REQUIRE(err == 0 && word == 0x1, "wait %ld word %llx", err,
			     (unsigned long long)word);
		wakes++;
		err = rift_recv(SLOT_EP, &m);
		TEST_REQUIRE(err == 0, "recv %ld", err);
		m.info = 0;
		rift_reply(&m);
	}
	printf("notify waiter: %ld signals, %ld wake-ups, badge 0x1 each\n",
	       (long)ROUNDS, wakes);
	return 0;
}

static int signaller(void)
{
	for (int i = 0; i < ROUNDS; i++) {
		struct rift_regs_msg m = { 1, 0, { 0 }, 0 };
		long err = rift_signal(SLOT_NTFN);

		TEST_REQUIRE(err == 0, "signal %ld", err);
		err = rift_call(SLOT_EP, &m);
		TEST_REQUIRE(err == 0, "handshake %ld", err);
	}
	printf("notify signaller: done\n");
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "waiter") == 0) {
		return waiter();
	}
	return signaller();
}
