/* SPDX-License-Identifier: MIT */
/*
 * Revocation on destroy: "owner" makes a frame and passes it to "holder",
 * then exits. When the supervisor destroys owner, the copy holder received
 * (derived from owner's original) must disappear from holder's cspace, and
 * its mapping with it.
 */
#include "common.h"

#define SLOT_EP test_cap("handover")

#include <rift/rt.h>
#include <string.h>

#define HOLDER_VA 0x0000005200000000ull

static int holder(void)
{
	struct rift_ipcbuf *b = rift_ipcbuf();
	uint64_t slot = rt_slot_alloc();
	struct rift_regs_msg m;
	struct rift_cap_info ci;
	long err;
	int polls;

	b->recv_slots[0] = slot;
	err = rift_recv(SLOT_EP, &m);
	TEST_REQUIRE(err == 0 && RIFT_INFO_CAPS(m.info) == 1, "recv %ld", err);
	err = rift_map(0, slot, HOLDER_VA, RIFT_MAP_READ);
	TEST_REQUIRE(err == 0, "map %ld", err);
	TEST_REQUIRE(*(volatile uint32_t *)HOLDER_VA == 0x600dcafe,
		     "frame content");
	printf("revoke holder: holding the owner's frame, mapped\n");
	m.info = 0;
	rift_reply(&m);
	for (polls = 0; polls < 1000000; polls++) {
		if (rift_cap_info(slot, &ci) != 0) {
			break;
		}
		rift_yield();
	}
	TEST_REQUIRE(polls < 1000000, "copy never revoked");
	/* The mapping went with the capability: mapping here again works. */
	err = rift_frame_alloc(0, slot, 0, -1, 0);
	TEST_REQUIRE(err == 0, "slot reusable: %ld", err);
	err = rift_map(0, slot, HOLDER_VA, RIFT_MAP_READ);
	TEST_REQUIRE(err == 0, "VA free again: %ld", err);
	printf("revoke holder: copy revoked when its owner was destroyed, "
	       "mapping gone\n");
	return 0;
}

static int owner(void)
{
	struct rift_ipcbuf *b = rift_ipcbuf();
	uint64_t slot = rt_slot_alloc();
	struct rift_regs_msg m = { 1, RIFT_INFO(0, 1), { 0 }, 0 };
	long err = rift_frame_alloc(0, slot, 0, -1, 0);

	TEST_REQUIRE(err == 0, "frame %ld", err);
	err = rift_map(0, slot, 0x0000005100000000ull,
		       RIFT_MAP_READ | RIFT_MAP_WRITE);
	TEST_REQUIRE(err == 0, "map %ld", err);
	*(volatile uint32_t *)0x0000005100000000ull = 0x600dcafe;
	b->send_caps[0] = slot;
	err = rift_call(SLOT_EP, &m);
	TEST_REQUIRE(err == 0, "call %ld", err);
	printf("revoke owner: frame handed over; exiting\n");
	return 0;
}

int main(int argc, char **argv)
{
	return argc >= 2 && strcmp(argv[1], "holder") == 0 ? holder() : owner();
}
