/* SPDX-License-Identifier: MIT */
/*
 * A hostile domain: system calls with random and extreme arguments, bogus
 * capabilities, kernel and foreign addresses, IPC buffers that are not page
 * aligned. Every call must fail cleanly or succeed harmlessly; the kernel
 * must stay up. Slots below RIFT_SLOT_FIRST_FREE (its IPC buffer) and the
 * program image at the top of the cspace are left alone, and so are the
 * calls that would only stop this domain (exit, a new upcall entry, a
 * blocking wait on an object it made itself): the point is to attack the
 * kernel, not to commit suicide.
 */
#include "common.h"

#include <rift/rt.h>
#include <stdbool.h>
#include <string.h>

static uint64_t rng = 0x2545f4914f6cdd1dull;
static uint64_t slot_lo, slot_hi; /* a block of slots it may hit */
static uint64_t slots;            /* cspace size */

#define BLOCK 96

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static const uint64_t extremes[] = {
	0, 1, 2, 63, 64, 4095, 4096, 0x7fffffffffffffffull,
	0x8000000000000000ull, ~0ull, ~0ull - 4095, 1ull << 48,
	(1ull << 48) - 4096, 0xffff000000000000ull, 0xffffffff80000000ull,
	0x40000000ull, 0x08000000ull, 0x09000000ull, 0x0000004000000000ull,
	0x0000001000000001ull, 18, 9, 65536, 65535,
	/* issue 9's classes: slot limits, rights bits, interrupt numbers of
	 * the kernel and the controller, GIC / ITS / SMMU / PCI windows */
	16384, 16383, 8, 15, 16, 26, 27, 33, 1020, 1023, 0x08000000ull,
	0x08080000ull, 0x080a0000ull, 0x09050000ull, 0x10000000ull,
	0x8000000000ull, 0x3eff0000ull,
};

/** Keep values that name one of its own vital slots inside the block. */
static uint64_t guard(uint64_t v)
{
	if ((v > 0 && v < slot_lo) || (v >= slot_hi && v < slots)) {
		return slot_lo + v % (slot_hi - slot_lo);
	}
	return v;
}

static uint64_t arg(void)
{
	uint64_t r = next();

	switch (r % 4) {
	case 0:
		return guard(extremes[(r >> 8) % (sizeof(extremes) / 8)]);
	case 1:
		return slot_lo + (r >> 8) % (slot_hi - slot_lo);
	case 2:
		return guard((r >> 8) & 0xfff);
	default:
		return guard(next());
	}
}

/** Calls that would only end or hang this domain. */
static bool self_harm(uint32_t nr)
{
	return nr == RIFT_SYS_EXIT || nr == RIFT_SYS_SET_UPCALL ||
	       nr == RIFT_SYS_LINUX || nr == RIFT_SYS_WAIT ||
	       nr == RIFT_SYS_RECV || nr == RIFT_SYS_REPLY_RECV ||
	       nr == RIFT_SYS_CALL || nr == RIFT_SYS_SEND ||
	       nr == RIFT_SYS_UPCALL_RETURN || nr == RIFT_SYS_THREAD_START ||
	       nr == RIFT_SYS_DOMAIN_SET_FAULT;
}

static long raw_call(uint32_t nr, const uint64_t a[8]);
static void attacks_issue9(void);

#define CASE(n)                                                          \
	case n: {                                                        \
		register uint64_t x0 __asm__("x0") = a[0];               \
		register uint64_t x1 __asm__("x1") = a[1];               \
		register uint64_t x2 __asm__("x2") = a[2];               \
		register uint64_t x3 __asm__("x3") = a[3];               \
		register uint64_t x4 __asm__("x4") = a[4];               \
		register uint64_t x5 __asm__("x5") = a[5];               \
		register uint64_t x6 __asm__("x6") = a[6];               \
		register uint64_t x7 __asm__("x7") = a[7];               \
		register uint64_t x8 __asm__("x8") = 0;                  \
		__asm__ volatile("svc #" #n                              \
				 : "+r"(x0), "+r"(x1), "+r"(x2),         \
				   "+r"(x3), "+r"(x4), "+r"(x5),         \
				   "+r"(x6), "+r"(x7), "+r"(x8)          \
				 :                                       \
				 : "memory");                            \
		return (long)x0;                                         \
	}

#define CASE8(n) CASE(n) CASE(n + 1) CASE(n + 2) CASE(n + 3) \
		CASE(n + 4) CASE(n + 5) CASE(n + 6) CASE(n + 7)

static long raw_call(uint32_t nr, const uint64_t a[8])
{
	switch (nr) {
		CASE8(0) CASE8(8) CASE8(16) CASE8(24) CASE8(32) CASE8(40)
		CASE8(48) CASE8(56) CASE8(64) CASE8(72) CASE8(80) CASE8(88)
		CASE8(96) CASE8(104) CASE8(112) CASE8(120)
	default:
		return -1;
	}
}

/** The rights and argument classes of issue 9: each refused, by name. */
static void attacks_issue9(void)
{
	uint64_t a = rt_slot_alloc(), b = rt_slot_alloc(), c = rt_slot_alloc();
	uint64_t d = rt_slot_alloc(), e = rt_slot_alloc();
	long err;

	/* Destroying needs the original: a copy of a child cannot. */
	TEST_REQUIRE(rift_domain_create(a, 16, 64, 1, "victim") >= 0, "child");
	TEST_REQUIRE(rift_cap_copy(a, 0, b, RIFT_RIGHTS_ALL, 0) == 0, "copy");
	err = rift_domain_destroy(b);
	TEST_REQUIRE(err == RIFT_KERIGHTS, "destroyed through a copy: %ld", err);
	/* A domain made inside the child, our copy in c. */
	err = rift_domain_create_in(b, 8, 4, 64, 1, c, "inner");
	TEST_REQUIRE(err >= 0, "create in a child: %ld", err);
	err = rift_domain_destroy(c);
	TEST_REQUIRE(err == RIFT_KERIGHTS, "destroyed a grandchild by copy");
	err = rift_domain_create_in(b, 8, 4, 64, 1, d, "again");
	TEST_REQUIRE(err == RIFT_KEFULL, "slot reused: %ld", err);
	err = rift_domain_create_in(b, 9, 4, RIFT_MAX_SLOTS * 2, 1, d, "big");
	TEST_REQUIRE(err == RIFT_KEINVAL, "cspace over the limit: %ld", err);
	err = rift_domain_create_in(b, 9, 4, 64, 255, d, "prio");
	TEST_REQUIRE(err == RIFT_KEINVAL, "priority above the parent's");
	TEST_REQUIRE(rift_domain_destroy(a) == 0, "destroy the original");
	TEST_REQUIRE(rift_cap_info(b, &(struct rift_cap_info){ 0 }) == RIFT_KECAP &&
			     rift_cap_info(c, &(struct rift_cap_info){ 0 }) ==
				     RIFT_KECAP,
		     "copies outlived the domain");

	/* W^X per frame, across copies; executable only as 4 KiB. */
	TEST_REQUIRE(rift_frame_alloc(0, a, 0, -1, 0) == 0, "frame");
	TEST_REQUIRE(rift_cap_copy(a, 0, b, RIFT_RIGHTS_ALL, 0) == 0, "copy");
	TEST_REQUIRE(rift_map(0, a, 0x6100000000ull,
			      RIFT_MAP_READ | RIFT_MAP_WRITE) == 0, "map W");
	err = rift_map(0, b, 0x6200000000ull, RIFT_MAP_READ | RIFT_MAP_EXEC);
	TEST_REQUIRE(err == RIFT_KEBUSY, "W and X through two copies: %ld", err);
	TEST_REQUIRE(rift_frame_alloc(0, c, 9, -1, 0) == 0, "2 MiB frame");
	err = rift_map(0, c, 0x6400000000ull, RIFT_MAP_READ | RIFT_MAP_EXEC);
	TEST_REQUIRE(err == RIFT_KEINVAL, "2 MiB executable: %ld", err);
	/* A 2 MiB frame is no kernel log, no device, no timer authority. */
	err = rift_klog_attach(c, a, NULL, NULL);
	TEST_REQUIRE(err != 0, "an ordinary frame as the kernel log");
	/* A frame carves into naturally aligned blocks only, and W^X holds
	 * across the blocks of one frame. */
	err = rift_cap_carve(c, d, 4096, 8192, RIFT_RIGHTS_ALL);
	TEST_REQUIRE(err == RIFT_KERANGE, "carved a misaligned block: %ld", err);
	err = rift_cap_carve(c, d, 0, 4096, RIFT_RIGHTS_ALL);
	TEST_REQUIRE(err == 0, "carve a 4 KiB block: %ld", err);
	TEST_REQUIRE(rift_map(0, c, 0x6400000000ull,
			      RIFT_MAP_READ | RIFT_MAP_WRITE) == 0, "map c W");
	err = rift_map(0, d, 0x6600000000ull, RIFT_MAP_READ | RIFT_MAP_EXEC);
	TEST_REQUIRE(err == RIFT_KEBUSY, "W and X through a carved block: %ld",
		     err);
	TEST_REQUIRE(rift_unmap(c) == 0 && rift_cap_delete(d) == 0,
		     "drop the block");
	err = rift_tick_bind(c, a);
	TEST_REQUIRE(err == RIFT_KETYPE, "tick bound with a frame: %ld", err);
	err = rift_irq_ack(c, NULL);
	TEST_REQUIRE(err == RIFT_KETYPE, "acked a frame: %ld", err);
	err = rift_device_frame(c, d, 0x09000000, 0);
	TEST_REQUIRE(err == RIFT_KETYPE, "device frame from RAM: %ld", err);
	/* Debug-only calls do not exist in a release kernel. */
	err = raw_call(RIFT_SYS_DEBUG_RECURSE,
		       (uint64_t[8]){ 100000, 0, 0, 0, 0, 0, 0, 0 });
	TEST_REQUIRE(err == RIFT_KENOSYS, "debug call in a release kernel");
	/* A huge frame charged and freed exactly. */
	err = rift_frame_alloc(0, e, 18, -1, 0);
	TEST_REQUIRE(err == RIFT_KENOMEM, "1 GiB beyond the quota: %ld", err);
	for (uint64_t s = a; s <= e; s++) {
		rift_cap_delete(s);
	}
	rt_slot_free(e);
	rt_slot_free(d);
	rt_slot_free(c);
	rt_slot_free(b);
	rt_slot_free(a);
}

/** Targeted attacks, each of which must be refused. */
static void attacks(void)
{
	static const uint64_t bad_va[] = { 0xffff000040000000ull,
					   0xffffffff80000000ull, 1ull << 48,
					   ~0ull - 4095 };
	uint64_t s = rt_slot_alloc();
	long err;

	TEST_REQUIRE(rift_frame_alloc(0, s, 0, -1, 0) == 0, "frame");
	for (size_t i = 0; i < sizeof(bad_va) / 8; i++) {
		err = rift_map(0, s, bad_va[i], RIFT_MAP_READ);
		TEST_REQUIRE(err != 0, "mapped at kernel VA %llx",
			     (unsigned long long)bad_va[i]);
	}
	err = rift_map(0, s, 0x6000000000ull, RIFT_MAP_WRITE | RIFT_MAP_EXEC);
	TEST_REQUIRE(err != 0, "W+X mapping allowed");
	err = rift_device_frame(s, s + 1, 0x40000000, 0);
	TEST_REQUIRE(err != 0, "RAM as a device frame");
	err = rift_thread_set_ipcbuf(RIFT_SLOT_THREAD, s, 0x6000000ff8ull);
	TEST_REQUIRE(err != 0, "unaligned IPC buffer");
	err = rift_domain_destroy(0);
	TEST_REQUIRE(err != 0, "destroyed itself");
	err = rift_thread_start(s, 0xffffffff80000000ull, 0, 0);
	TEST_REQUIRE(err != 0, "started a frame as a thread");
	err = rift_domain_set_fault(0, s, 0);
	TEST_REQUIRE(err != 0, "a frame as fault endpoint");
	rift_cap_delete(s);
	rt_slot_free(s);
	attacks_issue9();
	printf("hostile: targeted attacks refused\n");
}

int main(int argc, char **argv)
{
	long calls = argc >= 2 ? atol(argv[1]) : 100000;
	long ok = 0, refused = 0;
	struct rift_domain_info di;

	if (argc >= 3) {
		rng = strtoull(argv[2], NULL, 0) | 1; /* xorshift: never 0 */
	}
	rift_domain_info(&di);
	slots = di.cspace_slots;
	attacks();
	/* A contiguous block of slots nothing else uses. */
	slot_lo = rt_slot_alloc();
	for (slot_hi = slot_lo + 1; slot_hi < slot_lo + BLOCK; slot_hi++) {
		TEST_REQUIRE(rt_slot_alloc() == slot_hi, "slot block");
	}
	while (ok + refused < calls) {
		uint64_t a[8];
		uint32_t nr = (uint32_t)(next() % 72); /* every call, a few beyond */

		if (self_harm(nr)) {
			continue;
		}
		for (int k = 0; k < 8; k++) {
			a[k] = arg();
		}
		if (nr == RIFT_SYS_DEBUG_WRITE) {
			a[0] = 0; /* keep the log readable */
		}
		if (raw_call(nr, a) == 0) {
			ok++;
		} else {
			refused++;
		}
	}
	printf("hostile: %ld random system calls: %ld refused, %ld "
	       "harmless; kernel still up\n",
	       ok + refused, refused, ok);
	return 0;
}
