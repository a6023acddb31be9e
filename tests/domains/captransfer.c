/* SPDX-License-Identifier: MIT */
/*
 * Capability transfer: the client fills a frame and passes its capability
 * in a call; the server maps what it received, checks the pattern, writes
 * its answer into the same memory and replies; the client sees the answer.
 */
#include "common.h"

#define SLOT_EP test_cap("frames")

#include <rift/rt.h>
#include <string.h>

#define LABEL 0xca9ull
#define CLIENT_VA 0x0000005000000000ull
#define SERVER_VA 0x0000005100000000ull

static int server(void)
{
	struct rift_ipcbuf *b = rift_ipcbuf();
	struct rift_regs_msg m;
	uint64_t slot = rt_slot_alloc();
	volatile uint32_t *p = (volatile uint32_t *)SERVER_VA;
	long err;

	b->recv_slots[0] = slot;
	err = rift_recv(SLOT_EP, &m);
	TEST_REQUIRE(err == 0 && RIFT_INFO_CAPS(m.info) == 1,
		     "recv %ld, caps %u", err, RIFT_INFO_CAPS(m.info));
	TEST_REQUIRE(b->recv_types[0] == RIFT_CAP_FRAME_T, "type %llu",
		     (unsigned long long)b->recv_types[0]);
	err = rift_map(0, slot, SERVER_VA, RIFT_MAP_READ | RIFT_MAP_WRITE);
	TEST_REQUIRE(err == 0, "map received frame: %ld", err);
	for (uint32_t i = 0; i < 1024; i++) {
		TEST_REQUIRE(p[i] == 0xc0de0000u + i, "word %u = %x", i, p[i]);
	}
	for (uint32_t i = 0; i < 1024; i++) {
		p[i] = 0xfeed0000u + i;
	}
	printf("captransfer server: frame received, 1024 words checked\n");
	rift_unmap(slot);
	rift_cap_delete(slot);
	m.label = LABEL + 1;
	m.info = RIFT_INFO(0, 0);
	rift_reply(&m);
	for (;;) {
		rift_recv(SLOT_EP, &m);
	}
}

static int client(void)
{
	struct rift_ipcbuf *b = rift_ipcbuf();
	struct rift_regs_msg m = { LABEL, RIFT_INFO(0, 1), { 0 }, 0 };
	uint64_t slot = rt_slot_alloc();
	volatile uint32_t *p = (volatile uint32_t *)CLIENT_VA;
	long err = rift_frame_alloc(0, slot, 0, -1, 0);

	TEST_REQUIRE(err == 0, "frame_alloc %ld", err);
	err = rift_map(0, slot, CLIENT_VA, RIFT_MAP_READ | RIFT_MAP_WRITE);
	TEST_REQUIRE(err == 0, "map %ld", err);
	for (uint32_t i = 0; i < 1024; i++) {
		p[i] = 0xc0de0000u + i;
	}
	b->send_caps[0] = slot;
	err = rift_call(SLOT_EP, &m);
	TEST_REQUIRE(err == 0 && m.label == LABEL + 1, "call %ld", err);
	for (uint32_t i = 0; i < 1024; i++) {
		TEST_REQUIRE(p[i] == 0xfeed0000u + i, "answer word %u = %x", i,
			     p[i]);
	}
	printf("captransfer: frame passed, written through by the server, "
	       "answer verified\n");
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "server") == 0) {
		return server();
	}
	return client();
}
