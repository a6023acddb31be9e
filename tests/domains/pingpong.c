/* SPDX-License-Identifier: MIT */
/*
 * IPC round trips. "pingpong server" answers on SLOT_EP; "pingpong client"
 * calls it N times with 8 words (5 in registers, 3 in the IPC buffer) and
 * checks every word of every reply.
 */
#include "common.h"

#define SLOT_EP test_cap("pingpong")

#include <string.h>

#define WORDS 8
#define LABEL 0x70696e67ull

static uint64_t expect(uint64_t round, int w)
{
	return (round << 8) ^ (0x9e3779b97f4a7c15ull * (uint64_t)(w + 1));
}

static int server(void)
{
	struct rift_ipcbuf *b = rift_ipcbuf();
	struct rift_regs_msg m;
	long err = rift_recv(SLOT_EP, &m);
	uint64_t served = 0;

	for (;;) {
		TEST_REQUIRE(err == 0, "recv: %ld", err);
		TEST_REQUIRE(m.label == LABEL && RIFT_INFO_WORDS(m.info) == WORDS,
			     "bad request label %llx info %llx",
			     (unsigned long long)m.label,
			     (unsigned long long)m.info);
		for (int w = 0; w < 5; w++) {
			m.mr[w] = ~m.mr[w];
		}
		for (int w = 5; w < WORDS; w++) {
			b->mr[w] = ~b->mr[w];
		}
		m.label = LABEL + 1;
		m.info = RIFT_INFO(WORDS, 0);
		served++;
		err = rift_reply_recv(SLOT_EP, &m);
	}
	return 0;
}

static int client(long rounds)
{
	struct rift_ipcbuf *b = rift_ipcbuf();

	for (long r = 0; r < rounds; r++) {
		struct rift_regs_msg m = { LABEL, RIFT_INFO(WORDS, 0), { 0 }, 0 };
		long err;

		for (int w = 0; w < 5; w++) {
			m.mr[w] = expect((uint64_t)r, w);
		}
		for (int w = 5; w < WORDS; w++) {
			b->mr[w] = expect((uint64_t)r, w);
		}
		err = rift_call(SLOT_EP, &m);
		TEST_REQUIRE(err == 0, "call %ld: %ld", r, err);
		TEST_REQUIRE(m.label == LABEL + 1, "round %ld: label %llx", r,
			     (unsigned long long)m.label);
		for (int w = 0; w < WORDS; w++) {
			uint64_t got = w < 5 ? m.mr[w] : b->mr[w];

			TEST_REQUIRE(got == ~expect((uint64_t)r, w),
				     "round %ld word %d: %llx", r, w,
				     (unsigned long long)got);
		}
	}
	printf("pingpong: %ld round trips, every payload word verified\n",
	       rounds);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "server") == 0) {
		return server();
	}
	return client(argc >= 3 ? atol(argv[2]) : 10000);
}
