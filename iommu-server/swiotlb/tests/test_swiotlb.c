/* SPDX-License-Identifier: MIT */
/*
 * Host tests of the swiotlb server's pure parts: the pool's allocator
 * (segments, limits, exhaustion, reuse), the ordered copy, the bounce
 * decision, handles and the option parser.
 */
#include <stdint.h>

#include "pool.h"
#include "swcore.h"
#include "test.h"

static struct swp_pool pool;

TEST(pool_segments_join)
{
	swp_init(&pool);
	CHECK_EQ(swp_add(&pool, 0x40000000, 0xe000000000, 2 << 20), 0);
	CHECK_EQ(swp_add(&pool, 0x40200000, 0xe000200000, 2 << 20), 0);
	CHECK_EQ(pool.nseg, 1); /* contiguous in both: one run */
	CHECK_EQ(swp_add(&pool, 0x48000000, 0xe000400000, 2 << 20), 0);
	CHECK_EQ(pool.nseg, 2);
	CHECK_EQ(pool.pages, 1536);
	CHECK_EQ(swp_add(&pool, 0x48000001, 0xe000600000, 4096), -1);
	CHECK_EQ(swp_add(&pool, 0x50000000, 0xe000600000, 100), -1);
	CHECK(swp_lowest(&pool) == 0x40000000);
	CHECK(swp_highest(&pool) == 0x48200000);
	CHECK(swp_pa(&pool, 1024) == 0x48000000);
	CHECK(swp_va(&pool, 1025) == 0xe000401000ull);
}

TEST(pool_alloc_limits_and_full)
{
	uint32_t a, b, c;

	swp_init(&pool);
	swp_add(&pool, 0x40000000, 0xe000000000, 2 << 20);   /* 512 pages */
	swp_add(&pool, 0x100000000, 0xe000200000, 2 << 20);  /* above 4 GiB */
	CHECK(swp_reachable(&pool, 1ull << 32));
	CHECK(!swp_reachable(&pool, 1ull << 28)); /* edu's 28-bit mask */
	CHECK(swp_reachable(&pool, 0));
	CHECK_EQ(swp_alloc(&pool, 1, 1ull << 28, &a), -1);
	/* a 32-bit device only gets the low run */
	CHECK_EQ(swp_alloc(&pool, 500, 1ull << 32, &a), 0);
	CHECK_EQ(a, 0);
	CHECK_EQ(swp_alloc(&pool, 13, 1ull << 32, &b), -1); /* 12 left low */
	CHECK_EQ(swp_alloc(&pool, 12, 1ull << 32, &b), 0);
	CHECK_EQ(b, 500);
	/* no limit: the high run */
	CHECK_EQ(swp_alloc(&pool, 512, 0, &c), 0);
	CHECK_EQ(c, 512);
	CHECK_EQ(swp_alloc(&pool, 1, 0, &c), -1); /* full */
	CHECK_EQ(pool.used, 1024);
	swp_free(&pool, a, 500);
	swp_free(&pool, a, 500); /* twice: no harm, counts stay right */
	CHECK_EQ(pool.used, 524);
	CHECK_EQ(swp_alloc(&pool, 500, 1ull << 32, &a), 0);
	CHECK_EQ(a, 0);
	CHECK_EQ(swp_alloc(&pool, 0, 0, &a), -1);
	/* a limit inside a run: only the pages wholly below it */
	swp_init(&pool);
	swp_add(&pool, 0x40000000, 0xe000000000, 2 << 20);
	CHECK_EQ(swp_alloc(&pool, 3, 0x40002800, &a), -1);
	CHECK_EQ(swp_alloc(&pool, 2, 0x40002800, &a), 0);
}

TEST(copy_ordered_and_exact)
{
	static uint8_t src[256] __attribute__((aligned(8)));
	static uint8_t dst[256] __attribute__((aligned(8)));

	for (int i = 0; i < 256; i++) {
		src[i] = (uint8_t)(i * 7 + 1);
	}
	for (int off = 0; off < 9; off++) {
		for (int len = 0; len < 40; len++) {
			memset(dst, 0xee, sizeof(dst));
			sw_copy(dst + off, src + off, (size_t)len);
			CHECK(memcmp(dst + off, src + off, (size_t)len) == 0);
			CHECK(off == 0 || dst[off - 1] == 0xee);
			CHECK(dst[off + len] == 0xee);
		}
	}
	/* differently aligned ends still copy right (bytewise) */
	sw_copy(dst + 1, src + 2, 50);
	CHECK(memcmp(dst + 1, src + 2, 50) == 0);
}

TEST(bounce_decision)
{
	CHECK(!sw_needs_bounce(0x40000000, 4096, 64, false));
	CHECK(sw_needs_bounce(0x40000000, 4096, 64, true));
	CHECK(!sw_needs_bounce(0xfffff000, 4096, 32, false));
	CHECK(sw_needs_bounce(0xfffff000, 4097, 32, false));
	CHECK(sw_needs_bounce(0x100000000, 1, 32, false));
	CHECK(sw_needs_bounce(0x40000000, 1, 28, false));
	CHECK(sw_needs_bounce(~0ull, 2, 64, false)); /* wraps */
	CHECK(sw_limit(64) == 0);
	CHECK(sw_limit(32) == 1ull << 32);
}

TEST(handles)
{
	uint32_t h = sw_handle(511, 3);

	CHECK_EQ(sw_handle_index(h), 511);
	CHECK_EQ(sw_handle_gen(h), 3);
	CHECK(sw_handle(5, 1) != sw_handle(5, 2)); /* stale handles differ */
	CHECK_EQ(sw_handle_gen(sw_handle(0, 0x100001)), 1);
}

TEST(sizes)
{
	uint64_t v = 0;

	CHECK(sw_parse_size("8388608", &v) && v == 8388608);
	CHECK(sw_parse_size("8M", &v) && v == 8ull << 20);
	CHECK(sw_parse_size("0x400000", &v) && v == 0x400000);
	CHECK(sw_parse_size("1G", &v) && v == 1ull << 30);
	CHECK(sw_parse_size("64k", &v) && v == 65536);
	CHECK(!sw_parse_size("", &v));
	CHECK(!sw_parse_size("0x", &v));
	CHECK(!sw_parse_size("8MB", &v));
	CHECK(!sw_parse_size("-1", &v));
	CHECK(!sw_parse_size("99999999999999999999", &v));
	CHECK(!sw_parse_size("0xfffffffffffffffffM", &v));
	CHECK(!sw_parse_size("17179869184G", &v));
}

TEST_MAIN("swiotlb", TEST_ENTRY(pool_segments_join),
	  TEST_ENTRY(pool_alloc_limits_and_full),
	  TEST_ENTRY(copy_ordered_and_exact), TEST_ENTRY(bounce_decision),
	  TEST_ENTRY(handles), TEST_ENTRY(sizes))
