/* SPDX-License-Identifier: MIT */
/*
 * Host tests of the domain memory manager (libs/rt/mem.c) and its slot
 * and frame tables (slots.c, frames.c), against a fake kernel that checks
 * every request: frames exist before they are mapped, mappings never
 * overlap and are aligned to the frame size, nothing is deleted twice.
 *
 * The brk heap and the metadata area are real host buffers (mem.c writes
 * them); the mmap area is a range of numbers that is never touched.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <rift/abi.h>
#include <rift/rt.h>

#include "../../libs/rt/internal.h"
#include "test.h"

#define SLOTS 4096
#define MMAP_BASE 0x0000010000000000ull
#define MMAP_END 0x0000010100000000ull /* 4 GiB */
#define BRK_SIZE (8ull << 20)
#define META_SIZE (1ull << 20)
#define MB (1ull << 20)

/* ------------------------------------------------------------ fake kernel */

struct fake_frame {
	int present;
	uint32_t order;
	uint64_t va; /**< 0 = not mapped */
};

static struct {
	struct fake_frame slot[SLOTS];
	uint64_t pages;       /**< 4 KiB pages allocated */
	uint64_t quota;       /**< pages allowed */
	int no_large;         /**< refuse orders > 0 with KENOMEM */
	int no_large_map;     /**< refuse to map orders > 0 (smaller mappings in the way) */
	int log_count;
	char last_log[256];
	unsigned logged[2048];
} k;

static uint8_t *brk_mem;
static uint8_t *meta_mem;

long rt_sys_frame_alloc(uint64_t slot, uint32_t order)
{
	if (slot == 0 || slot >= SLOTS) {
		return RIFT_KECAP;
	}
	if (k.slot[slot].present) {
		return RIFT_KEFULL;
	}
	if (order != 0 && order != 9 && order != 18) {
		return RIFT_KEINVAL;
	}
	if ((k.no_large && order > 0) || k.pages + (1ull << order) > k.quota) {
		return RIFT_KENOMEM;
	}
	k.slot[slot] = (struct fake_frame){ 1, order, 0 };
	k.pages += 1ull << order;
	return RIFT_KOK;
}

/** True if [va, va + len) overlaps any mapped frame. */
static int fake_overlaps(uint64_t va, uint64_t len)
{
	for (int i = 0; i < SLOTS; i++) {
		const struct fake_frame *f = &k.slot[i];

		if (f->present && f->va && va < f->va + (4096ull << f->order) && f->va < va + len) {
			return 1;
		}
	}
	return 0;
}

long rt_sys_map(uint64_t slot, uint64_t va)
{
	struct fake_frame *f;
	uint64_t size;

	if (slot == 0 || slot >= SLOTS || !k.slot[slot].present) {
		return RIFT_KECAP;
	}
	f = &k.slot[slot];
	size = 4096ull << f->order;
	if (f->va || va == 0 || va % size != 0) {
		return RIFT_KEINVAL;
	}
	if (k.no_large_map && f->order > 0) {
		return RIFT_KEBUSY;
	}
	if (fake_overlaps(va, size)) {
		return RIFT_KEBUSY;
	}
	f->va = va;
	return RIFT_KOK;
}

long rt_sys_unmap(uint64_t slot)
{
	if (slot == 0 || slot >= SLOTS || !k.slot[slot].present || !k.slot[slot].va) {
		return RIFT_KEINVAL;
	}
	k.slot[slot].va = 0;
	return RIFT_KOK;
}

long rt_sys_cap_delete(uint64_t slot)
{
	if (slot == 0 || slot >= SLOTS || !k.slot[slot].present) {
		return RIFT_KECAP;
	}
	if (k.slot[slot].va) {
		return RIFT_KEBUSY; /* the runtime must unmap first */
	}
	k.pages -= 1ull << k.slot[slot].order;
	k.slot[slot].present = 0;
	return RIFT_KOK;
}

void rt_log(const char *msg)
{
	k.log_count++;
	strncpy(k.last_log, msg, sizeof(k.last_log) - 1);
}

bool rt_log_first(unsigned key)
{
	if (key >= 2048 || k.logged[key]) {
		return false;
	}
	k.logged[key] = 1;
	return true;
}

/** Number of frames of order mapped inside [lo, hi). */
static int fake_mapped(uint64_t lo, uint64_t hi, uint32_t order)
{
	int n = 0;

	for (int i = 0; i < SLOTS; i++) {
		const struct fake_frame *f = &k.slot[i];

		if (f->present && f->va >= lo && f->va < hi && f->order == order) {
			n++;
		}
	}
	return n;
}

/** The fake kernel and the runtime agree on every frame in the mmap area. */
static int consistent(void)
{
	int runtime = (int)rt_mem_frame_count();
	int kernel = 0;

	for (int i = 0; i < SLOTS; i++) {
		const struct fake_frame *f = &k.slot[i];

		if (f->present && f->va >= MMAP_BASE && f->va < MMAP_END) {
			kernel++;
		}
		if (f->present && f->va >= (uint64_t)(uintptr_t)brk_mem &&
		    f->va < (uint64_t)(uintptr_t)brk_mem + BRK_SIZE) {
			kernel++;
		}
	}
	return runtime == kernel;
}

static void setup(void)
{
	struct rt_mem_layout l;

	memset(&k, 0, sizeof(k));
	k.quota = 1u << 20;
	if (brk_mem == NULL) {
		brk_mem = aligned_alloc(2 * MB, BRK_SIZE);
		meta_mem = aligned_alloc(4096, META_SIZE);
	}
	memset(brk_mem, 0, BRK_SIZE);
	memset(meta_mem, 0, META_SIZE); /* "fresh frames are zeroed" */
	l.brk_base = (uint64_t)(uintptr_t)brk_mem;
	l.brk_end = l.brk_base + BRK_SIZE;
	l.mmap_base = MMAP_BASE;
	l.mmap_end = MMAP_END;
	l.meta_base = (uint64_t)(uintptr_t)meta_mem;
	l.meta_end = l.meta_base + META_SIZE;
	rt_mem_init(&l, SLOTS);
}

#define PROT_RW (LX_PROT_READ | LX_PROT_WRITE)
#define ANON (LX_MAP_PRIVATE | LX_MAP_ANONYMOUS)

static long map(uint64_t len)
{
	return rt_mem_mmap(0, len, PROT_RW, ANON, -1, 0);
}

/* ------------------------------------------------------------------ tests */

TEST(slots_table)
{
	unsigned long bits[3] = { 0 };
	struct rt_slots s;

	rt_slots_init(&s, bits, 150, 64);
	CHECK_EQ(rt_slots_alloc(&s), 64);
	CHECK_EQ(rt_slots_alloc(&s), 65);
	CHECK(rt_slots_free(&s, 64));
	CHECK(!rt_slots_free(&s, 64));  /* twice */
	CHECK(!rt_slots_free(&s, 10));  /* reserved */
	CHECK(!rt_slots_free(&s, 150)); /* out of range */
	CHECK_EQ(rt_slots_alloc(&s), 66); /* next fit */
	CHECK(rt_slots_take(&s, 67));
	CHECK(!rt_slots_take(&s, 67));
	CHECK_EQ(rt_slots_alloc(&s), 68);
	for (int i = 69; i < 150; i++) {
		CHECK_EQ(rt_slots_alloc(&s), i);
	}
	CHECK_EQ(rt_slots_alloc(&s), 64); /* wrapped to the freed one */
	CHECK_EQ(rt_slots_alloc(&s), 0);  /* full */
	CHECK_EQ(s.used, 150);
	rt_slots_init(&s, bits, 0, 0);
	CHECK_EQ(rt_slots_alloc(&s), 0);
}

TEST(frames_table)
{
	struct rt_frame rec[8];
	struct rt_frames t = { rec, 0, 0, 8 };
	uint64_t va = 0;

	CHECK(rt_frames_push(&t, 0x10000, 1, 0));
	CHECK(rt_frames_push(&t, 0x11000, 2, 0));
	rt_frames_commit(&t);
	CHECK(rt_frames_push(&t, 0x200000, 3, 9));
	rt_frames_commit(&t);
	CHECK(rt_frames_push(&t, 0x5000, 4, 0));
	rt_frames_commit(&t); /* goes first */
	CHECK_EQ(t.count, 4);
	CHECK_EQ(rec[0].va, 0x5000);
	CHECK_EQ(rec[1].va, 0x10000);
	CHECK_EQ(rec[3].va, 0x200000);
	CHECK_EQ(rt_frames_find(&t, 0x3fffff), 3);
	CHECK_EQ(rt_frames_find(&t, 0x400000), -1);
	CHECK(!rt_frames_range_free(&t, 0x4000, 0x2000));
	CHECK(rt_frames_range_free(&t, 0x6000, 0xa000));
	CHECK(rt_frames_range_covered(&t, 0x10000, 0x2000));
	CHECK(!rt_frames_range_covered(&t, 0x10000, 0x3000));
	CHECK(rt_frames_find_gap(&t, 0x1000, 0x1000000, 0x1000, 0x1000, &va));
	CHECK_EQ(va, 0x1000);
	CHECK(rt_frames_find_gap(&t, 0x5000, 0x1000000, 0xa000, 0x1000, &va));
	CHECK_EQ(va, 0x6000); /* exactly fits before 0x10000 */
	CHECK(rt_frames_find_gap(&t, 0x5000, 0x1000000, 0xb000, 0x1000, &va));
	CHECK_EQ(va, 0x12000); /* one page too big for that gap */
	CHECK(rt_frames_find_gap(&t, 0x5000, 0x1000000, 0xb000, 0x200000, &va));
	CHECK_EQ(va, 0x400000); /* 2 MiB aligned, after the large frame */
	CHECK(rt_frames_find_gap(&t, 0x10800, 0x1000000, 0x1000, 0x1000, &va));
	CHECK_EQ(va, 0x12000); /* lo inside a frame */
	CHECK(!rt_frames_find_gap(&t, 0x200000, 0x401000, 0x2000, 0x1000, &va));
	rt_frames_remove(&t, 1, 2);
	CHECK_EQ(t.count, 2);
	CHECK_EQ(rec[1].va, 0x200000);
	for (int i = 0; i < 6; i++) {
		CHECK(rt_frames_push(&t, 0x800000 + 0x1000 * (uint64_t)i, 10 + i, 0));
	}
	CHECK(!rt_frames_push(&t, 0x900000, 20, 0)); /* full */
}

TEST(init_uses_first_free_slot)
{
	setup();
	CHECK(k.slot[RIFT_SLOT_FIRST_FREE].present); /* the slot bitmap's page */
	CHECK_EQ(k.slot[RIFT_SLOT_FIRST_FREE].va, (uint64_t)(uintptr_t)meta_mem);
	CHECK_EQ(rt_slot_alloc(), RIFT_SLOT_FIRST_FREE + 1);
	CHECK_EQ(rt_mem_frame_count(), 0);
}

TEST(small_mmap_munmap)
{
	long va;
	uint64_t pages;

	setup();
	pages = k.pages;
	va = map(8192);
	CHECK_EQ(va, MMAP_BASE);
	CHECK_EQ(fake_mapped(MMAP_BASE, MMAP_END, 0), 2);
	CHECK(consistent());
	CHECK_EQ(map(100), MMAP_BASE + 8192); /* rounded to a page */
	CHECK_EQ(rt_mem_munmap((uint64_t)va, 8192), 0);
	CHECK_EQ(fake_mapped(MMAP_BASE, MMAP_END, 0), 1);
	CHECK(consistent());
	CHECK_EQ(map(4096), MMAP_BASE); /* the gap is reused */
	CHECK_EQ(rt_mem_munmap(MMAP_BASE, 3 * 4096), 0);
	CHECK_EQ(k.pages, pages + 1); /* only the frame table's page is kept */
	CHECK_EQ(rt_mem_frame_count(), 0);
}

TEST(large_frames)
{
	long va;

	setup();
	CHECK_EQ(map(4096), MMAP_BASE);
	va = map(4 * MB);
	CHECK_EQ(va % (2 * MB), 0);
	CHECK_EQ(fake_mapped(MMAP_BASE, MMAP_END, 9), 2);
	va = map(2 * MB + 8192);
	CHECK_EQ(va % (2 * MB), 0);
	CHECK_EQ(fake_mapped(MMAP_BASE, MMAP_END, 9), 3);
	CHECK_EQ(fake_mapped(MMAP_BASE, MMAP_END, 0), 3);
	CHECK(consistent());
	CHECK_EQ(rt_mem_munmap((uint64_t)va, 2 * MB + 8192), 0);
	CHECK_EQ(fake_mapped(MMAP_BASE, MMAP_END, 9), 2);
	CHECK(consistent());
}

TEST(munmap_never_splits)
{
	long va;

	setup();
	va = map(2 * MB);
	CHECK_EQ(rt_mem_munmap((uint64_t)va, 4096), -LX_EINVAL);
	CHECK_EQ(k.log_count, 1);
	CHECK(strstr(k.last_log, "split") != NULL);
	CHECK_EQ(rt_mem_munmap((uint64_t)va + MB, MB), -LX_EINVAL);
	CHECK_EQ(rt_mem_munmap((uint64_t)va + 4096, 4096), -LX_EINVAL);
	CHECK_EQ(k.log_count, 1); /* logged once */
	CHECK_EQ(fake_mapped(MMAP_BASE, MMAP_END, 9), 1); /* memory kept, not lost */
	CHECK_EQ(rt_mem_munmap((uint64_t)va, 2 * MB), 0);
	CHECK_EQ(fake_mapped(MMAP_BASE, MMAP_END, 9), 0);
}

TEST(munmap_arguments)
{
	setup();
	map(3 * 4096);
	CHECK_EQ(rt_mem_munmap(MMAP_BASE + 1, 4096), -LX_EINVAL);
	CHECK_EQ(rt_mem_munmap(MMAP_BASE, 0), -LX_EINVAL);
	CHECK_EQ(rt_mem_munmap(0x400000, 4096), -LX_EINVAL); /* not the mmap area */
	CHECK_EQ(rt_mem_munmap(MMAP_END - 4096, 8192), -LX_EINVAL);
	CHECK_EQ(rt_mem_munmap(MMAP_BASE + 4096, 1), 0); /* the middle page */
	CHECK_EQ(fake_mapped(MMAP_BASE, MMAP_END, 0), 2);
	CHECK_EQ(rt_mem_munmap(MMAP_BASE + 64 * 4096, 4096), 0); /* nothing there: fine */
	CHECK(consistent());
}

TEST(fallback_to_small_frames)
{
	long va;

	setup();
	k.no_large = 1;
	va = map(4 * MB);
	CHECK(va > 0);
	CHECK_EQ(fake_mapped(MMAP_BASE, MMAP_END, 0), 1024);
	CHECK(consistent()); /* the metadata grew past one page on the way */
	CHECK_EQ(rt_mem_munmap((uint64_t)va + 4096, 4096), 0); /* 4 KiB frames split */
	CHECK_EQ(rt_mem_munmap((uint64_t)va, 4 * MB), 0);
	CHECK_EQ(rt_mem_frame_count(), 0);
}

TEST(fallback_when_large_map_refused)
{
	uint64_t pages;
	long va;

	setup();
	map(4096);
	pages = k.pages;
	k.no_large_map = 1;
	va = map(4 * MB);
	CHECK(va > 0);
	CHECK_EQ(fake_mapped(MMAP_BASE, MMAP_END, 9), 0);
	CHECK_EQ(fake_mapped(MMAP_BASE, MMAP_END, 0), 1 + 1024);
	CHECK(k.pages - pages >= 1024 && k.pages - pages <= 1024 + 8); /* + metadata */
	CHECK_EQ(k.log_count, 0); /* an expected fallback, not an error */
	CHECK(consistent());
}

TEST(out_of_memory_rolls_back)
{
	uint64_t pages;
	long used_before;

	setup();
	map(4096);
	pages = k.pages;
	used_before = (long)rt_mem_frame_count();
	k.quota = pages + 10;
	CHECK_EQ(map(64 * 4096), -LX_ENOMEM);
	CHECK_EQ(k.pages, pages); /* every frame given back */
	CHECK_EQ(rt_mem_frame_count(), used_before);
	CHECK(consistent());
	CHECK_EQ(map(4 * 4096), MMAP_BASE + 4096); /* still works */
}

TEST(occupied_slot_skipped)
{
	uint64_t busy = RIFT_SLOT_FIRST_FREE + 1;

	setup();
	k.slot[busy].present = 1; /* someone put a capability there */
	CHECK_EQ(map(4096), MMAP_BASE);
	CHECK(k.slot[busy].va == 0);
	CHECK_EQ(fake_mapped(MMAP_BASE, MMAP_END, 0), 1);
	CHECK(rt_slot_alloc() != busy);
}

TEST(brk)
{
	uint64_t base = (uint64_t)(uintptr_t)brk_mem;
	uint64_t b;

	setup();
	CHECK_EQ(rt_mem_brk(0), base);
	CHECK_EQ(rt_mem_brk(base + 10), base + 10);
	CHECK_EQ(fake_mapped(base, base + BRK_SIZE, 0), 1);
	CHECK_EQ(rt_mem_brk(base + 5 * MB), base + 5 * MB);
	/* 511 more 4 KiB pages up to 2 MiB, then a 2 MiB frame, then 4 KiB. */
	CHECK_EQ(fake_mapped(base, base + BRK_SIZE, 9), 1);
	CHECK_EQ(fake_mapped(base, base + BRK_SIZE, 0), 512 + 256);
	CHECK(consistent());
	brk_mem[5 * MB - 1] = 0x55;
	brk_mem[100] = 0x66;
	b = rt_mem_brk(base + 50);
	CHECK_EQ(b, base + 50);
	CHECK_EQ(fake_mapped(base, base + BRK_SIZE, 9), 0);
	CHECK_EQ(fake_mapped(base, base + BRK_SIZE, 0), 1);
	CHECK_EQ(brk_mem[100], 0); /* above the break reads as zero again */
	CHECK_EQ(rt_mem_brk(base + BRK_SIZE + 1), base + 50); /* past the end: refused */
	CHECK_EQ(rt_mem_brk(base - 4096), base + 50);
	CHECK_EQ(rt_mem_brk(base), base);
	CHECK_EQ(fake_mapped(base, base + BRK_SIZE, 0), 0);
	CHECK(consistent());
	k.quota = k.pages + 2;
	CHECK_EQ(rt_mem_brk(base + 5 * 4096), base); /* no memory: unchanged */
	CHECK_EQ(fake_mapped(base, base + BRK_SIZE, 0), 0);
}

TEST(map_fixed)
{
	long va;

	setup();
	va = rt_mem_mmap(MMAP_BASE + 16 * 4096, 4096, PROT_RW, ANON | LX_MAP_FIXED, -1, 0);
	CHECK_EQ(va, MMAP_BASE + 16 * 4096);
	CHECK_EQ(map(4096), MMAP_BASE); /* first fit below it */
	va = rt_mem_mmap(MMAP_BASE, 8192, PROT_RW, ANON | LX_MAP_FIXED_NOREPLACE, -1, 0);
	CHECK_EQ(va, -LX_EEXIST);
	va = rt_mem_mmap(MMAP_BASE, 8192, PROT_RW, ANON | LX_MAP_FIXED, -1, 0);
	CHECK_EQ(va, MMAP_BASE); /* replaced */
	CHECK_EQ(fake_mapped(MMAP_BASE, MMAP_END, 0), 3);
	CHECK(consistent());
	va = rt_mem_mmap(0x400000, 4096, PROT_RW, ANON | LX_MAP_FIXED, -1, 0);
	CHECK_EQ(va, -LX_EINVAL);
	va = rt_mem_mmap(MMAP_BASE + 1, 4096, PROT_RW, ANON | LX_MAP_FIXED, -1, 0);
	CHECK_EQ(va, -LX_EINVAL);
	/* A free hint is used without MAP_FIXED. */
	va = rt_mem_mmap(MMAP_BASE + 100 * 4096, 4096, PROT_RW, ANON, -1, 0);
	CHECK_EQ(va, MMAP_BASE + 100 * 4096);
}

TEST(unsupported_requests)
{
	uint64_t base = (uint64_t)(uintptr_t)brk_mem;

	setup();
	CHECK_EQ(rt_mem_mmap(0, 4096, PROT_RW, LX_MAP_PRIVATE, 3, 0), -LX_ENODEV);
	CHECK_EQ(rt_mem_mmap(0, 4096, PROT_RW | LX_PROT_EXEC, ANON, -1, 0), -LX_EINVAL);
	CHECK_EQ(rt_mem_mmap(0, 0, PROT_RW, ANON, -1, 0), -LX_EINVAL);
	CHECK_EQ(rt_mem_mmap(0, UINT64_MAX - 10, PROT_RW, ANON, -1, 0), -LX_ENOMEM);
	CHECK_EQ(rt_mem_mmap(0, 8ull << 30, PROT_RW, ANON, -1, 0), -LX_ENOMEM); /* > area */
	CHECK_EQ(rt_mem_mmap(0, 4096, PROT_RW, LX_MAP_ANONYMOUS, -1, 0), -LX_EINVAL);
	CHECK_EQ(k.log_count, 3); /* file, exec, map type */
	CHECK_EQ(rt_mem_mmap(0, 4096, LX_PROT_NONE, ANON, -1, 0), -LX_EINVAL);
	CHECK_EQ(k.log_count, 4);
	/* musl's malloc guard over the brk heap: refused quietly. */
	rt_mem_brk(base + 2 * 4096);
	CHECK_EQ(rt_mem_mmap(base, 4096, LX_PROT_NONE, ANON | LX_MAP_FIXED, -1, 0), -LX_EINVAL);
	CHECK_EQ(k.log_count, 4);
	CHECK_EQ(rt_mem_frame_count(), 2);
	CHECK(consistent());
}

TEST(mprotect)
{
	uint64_t base = (uint64_t)(uintptr_t)brk_mem;

	setup();
	map(4 * 4096);
	rt_mem_brk(base + 4096);
	CHECK_EQ(rt_mem_mprotect(MMAP_BASE, 4 * 4096, PROT_RW), 0);
	CHECK_EQ(rt_mem_mprotect(MMAP_BASE + 4096, 1, PROT_RW), 0);
	CHECK_EQ(rt_mem_mprotect(base, 4096, PROT_RW), 0);
	CHECK_EQ(rt_mem_mprotect(MMAP_BASE, 5 * 4096, PROT_RW), -LX_ENOMEM);
	CHECK_EQ(rt_mem_mprotect(0x400000, 4096, PROT_RW), -LX_ENOMEM);
	CHECK_EQ(rt_mem_mprotect(MMAP_BASE + 1, 4096, PROT_RW), -LX_EINVAL);
	CHECK_EQ(rt_mem_mprotect(MMAP_BASE, 4096, LX_PROT_READ), -LX_EINVAL);
	CHECK_EQ(rt_mem_mprotect(MMAP_BASE, 0, LX_PROT_READ), 0);
	CHECK_EQ(k.log_count, 1);
}

/** Random mmap/munmap churn keeps the runtime and the kernel in step. */
TEST(churn)
{
	long live[64] = { 0 };
	uint64_t len[64] = { 0 };
	uint64_t state = 7;

	setup();
	for (int round = 0; round < 3000; round++) {
		int i;

		state = state * 6364136223846793005ull + 1442695040888963407ull;
		i = (int)((state >> 33) % 64);
		if (live[i] > 0) {
			CHECK_EQ(rt_mem_munmap((uint64_t)live[i], len[i]), 0);
			live[i] = 0;
		} else {
			len[i] = ((state >> 40) % 4 == 0) ? (2 * MB) * (1 + (state >> 20) % 3) :
							   4096 * (1 + (state >> 24) % 40);
			live[i] = map(len[i]);
			CHECK(live[i] > 0);
		}
		if (round % 100 == 0) {
			CHECK(consistent());
		}
	}
	for (int i = 0; i < 64; i++) {
		if (live[i] > 0) {
			CHECK_EQ(rt_mem_munmap((uint64_t)live[i], len[i]), 0);
		}
	}
	CHECK_EQ(rt_mem_frame_count(), 0);
	CHECK_EQ(fake_mapped(MMAP_BASE, MMAP_END, 0) + fake_mapped(MMAP_BASE, MMAP_END, 9), 0);
}

TEST_MAIN("rt_mem", TEST_ENTRY(slots_table), TEST_ENTRY(frames_table),
	  TEST_ENTRY(init_uses_first_free_slot), TEST_ENTRY(small_mmap_munmap),
	  TEST_ENTRY(large_frames), TEST_ENTRY(munmap_never_splits), TEST_ENTRY(munmap_arguments),
	  TEST_ENTRY(fallback_to_small_frames), TEST_ENTRY(fallback_when_large_map_refused),
	  TEST_ENTRY(out_of_memory_rolls_back),
	  TEST_ENTRY(occupied_slot_skipped), TEST_ENTRY(brk), TEST_ENTRY(map_fixed),
	  TEST_ENTRY(unsupported_requests), TEST_ENTRY(mprotect), TEST_ENTRY(churn))
