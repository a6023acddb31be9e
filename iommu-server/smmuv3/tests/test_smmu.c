/* SPDX-License-Identifier: MIT */
/*
 * Host tests of the SMMUv3 server's pure parts: STE, CD and command
 * encodings against values worked out by hand from Arm IHI 0070, event
 * record decoding, queue index arithmetic, the stage-1 table builder (also
 * walked independently, byte by byte, as the SMMU would) and the device
 * address allocator. Runs big-endian under qemu-s390x too.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "../smmu_hw.h"
#include "../smmu_pt.h"
#include "test.h"

/** Reads a little-endian 64-bit value byte by byte (independent of smmu_get64). */
static uint64_t le64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--) {
		v = (v << 8) | p[i];
	}
	return v;
}

TEST(put64_little_endian)
{
	uint64_t w = 0;
	uint8_t *b = (uint8_t *)&w;

	smmu_put64(&w, 0x0807060504030201ull);
	for (int i = 0; i < 8; i++) {
		CHECK_EQ(b[i], i + 1);
	}
	CHECK(smmu_get64(&w) == 0x0807060504030201ull);
}

TEST(ste_encodings)
{
	uint64_t ste[SMMU_STE_WORDS];

	smmu_ste_invalid(ste);
	for (int i = 0; i < SMMU_STE_WORDS; i++) {
		CHECK(ste[i] == 0);
	}
	smmu_ste_s1(ste, 0x4812340c0ull);
	/* V=1, Config=0b101 in 3:1, S1Fmt 0, S1ContextPtr 51:6, S1CDMax 0 */
	CHECK(ste[0] == (0x4812340c0ull | 0xb));
	/* S1CIR=WB 3:2, S1COR=WB 5:4, S1CSH=ISH 7:6, SHCFG=incoming 45:44,
	 * STRW 31:30 = EL1 (0), S1STALLD 27 = 0, EATS 29:28 = 0 */
	CHECK(ste[1] == ((1ull << 2) | (1ull << 4) | (3ull << 6) |
			 (1ull << 44)));
	for (int i = 2; i < SMMU_STE_WORDS; i++) {
		CHECK(ste[i] == 0);
	}
}

TEST(cd_encoding)
{
	uint64_t cd[SMMU_CD_WORDS];

	smmu_cd_s1(cd, 0x1234, 0x4a0003000ull, 4);
	CHECK_EQ(cd[0] & 0x3f, 25);		/* T0SZ: 39-bit input */
	CHECK_EQ((cd[0] >> 6) & 3, 0);		/* TG0 4 KiB */
	CHECK_EQ((cd[0] >> 8) & 3, 1);		/* IR0 WB */
	CHECK_EQ((cd[0] >> 10) & 3, 1);		/* OR0 WB */
	CHECK_EQ((cd[0] >> 12) & 3, 3);		/* SH0 ISH */
	CHECK_EQ((cd[0] >> 14) & 1, 0);		/* EPD0: walks on */
	CHECK_EQ((cd[0] >> 15) & 1, 0);		/* ENDI: little-endian */
	CHECK_EQ((cd[0] >> 30) & 1, 1);		/* EPD1 */
	CHECK_EQ((cd[0] >> 31) & 1, 1);		/* V */
	CHECK_EQ((cd[0] >> 32) & 7, 4);		/* IPS 44 bits */
	CHECK_EQ((cd[0] >> 41) & 1, 1);		/* AA64 */
	CHECK_EQ((cd[0] >> 44) & 1, 0);		/* S: no stall */
	CHECK_EQ((cd[0] >> 45) & 1, 1);		/* R: record faults */
	CHECK_EQ((cd[0] >> 46) & 1, 1);		/* A: abort */
	CHECK_EQ(cd[0] >> 48, 0x1234);		/* ASID */
	CHECK(cd[1] == 0x4a0003000ull);		/* TTB0 */
	CHECK(cd[2] == 0);			/* TTB1 */
	CHECK(cd[3] == 0xff);			/* MAIR attr 0 */
}

TEST(command_encodings)
{
	uint64_t c[SMMU_CMD_WORDS];

	smmu_cmd_cfgi_ste(c, 0x10);
	CHECK(c[0] == 0x0000001000000003ull && c[1] == 1);
	smmu_cmd_cfgi_cd(c, 0xabcd);
	CHECK(c[0] == 0x0000abcd00000005ull && c[1] == 1);
	smmu_cmd_cfgi_all(c);
	CHECK(c[0] == 0x04 && c[1] == 31);
	smmu_cmd_tlbi_all(c);
	CHECK(c[0] == 0x10 && c[1] == 0);
	smmu_cmd_tlbi_asid(c, 7);
	CHECK(c[0] == 0x0007000000000011ull && c[1] == 0);
	smmu_cmd_tlbi_va(c, 7, 0x12345678, true);
	CHECK(c[0] == 0x0007000000000012ull && c[1] == 0x12345001ull);
	smmu_cmd_tlbi_va(c, 7, 0x12345678, false);
	CHECK(c[0] == 0x0007000000000012ull && c[1] == 0x12345000ull);
	smmu_cmd_sync(c);
	CHECK(c[0] == 0x46 && c[1] == 0);
}

TEST(event_decoding)
{
	/* F_TRANSLATION of stream 0x10, device write at 0x4000_1000,
	 * written as the SMMU writes it: little-endian bytes. */
	uint8_t raw[32] = { 0x10, 0, 0, 0, 0x10, 0, 0, 0 };
	uint64_t rec[SMMU_EVT_WORDS];
	struct smmu_evt e;

	raw[16 + 1] = 0x10;
	raw[16 + 3] = 0x40;
	for (int i = 0; i < SMMU_EVT_WORDS; i++) {
		rec[i] = le64(raw + 8 * i);
	}
	smmu_evt_decode(rec, &e);
	CHECK_EQ(e.type, SMMU_EVT_F_TRANSLATION);
	CHECK_EQ(e.sid, 0x10);
	CHECK(e.has_addr && e.addr == 0x40001000ull && e.write);
	CHECK_EQ(smmu_evt_reason(e.type), SMMU_REASON_TRANSLATION);
	/* A read (RnW = 1, bit 35 of word 1) that hit a read-only page. */
	raw[0] = 0x13;
	raw[8 + 4] = 0x08;
	for (int i = 0; i < SMMU_EVT_WORDS; i++) {
		rec[i] = le64(raw + 8 * i);
	}
	smmu_evt_decode(rec, &e);
	CHECK(!e.write);
	CHECK_EQ(smmu_evt_reason(e.type), SMMU_REASON_PERMISSION);
	/* C_BAD_STE carries no address. */
	rec[0] = 0x0000000800000004ull;
	rec[2] = 0xdead;
	smmu_evt_decode(rec, &e);
	CHECK(!e.has_addr && e.addr == 0 && e.sid == 8);
	CHECK_EQ(smmu_evt_reason(e.type), SMMU_REASON_NOT_ATTACHED);
	CHECK(strcmp(smmu_evt_name(4), "C_BAD_STE") == 0);
	CHECK(strcmp(smmu_evt_name(0xff), "UNKNOWN") == 0);
	CHECK_EQ(smmu_evt_reason(0x12), SMMU_REASON_OTHER);
}

TEST(queue_indices)
{
	CHECK(smmu_q_empty(0, 0, 3));
	CHECK(!smmu_q_full(0, 0, 3));
	CHECK(smmu_q_full(8, 0, 3));	    /* same index, wrap differs */
	CHECK(!smmu_q_empty(8, 0, 3));
	CHECK_EQ(smmu_q_next(7, 3), 8);	    /* wrap bit set */
	CHECK_EQ(smmu_q_next(15, 3), 0);    /* and cleared */
	CHECK(smmu_q_empty(0x0100000f, 0xf, 3)); /* high bits (ERR) ignored */
}

/* A pool at a made-up physical address: tables are checked through it. */
#define POOL_PAGES 16
#define POOL_PA 0x48000000ull

static struct smmu_pool pool;
static uint8_t *pool_mem;

static void pool_setup(void)
{
	if (!pool_mem) {
		pool_mem = aligned_alloc(SMMU_PAGE, POOL_PAGES * SMMU_PAGE);
	}
	smmu_pool_init(&pool, pool_mem, POOL_PA, POOL_PAGES);
}

/** Walks the tables as the SMMU does, from bytes; 0 if unmapped. */
static uint64_t walk(uint64_t root, uint64_t iova, uint64_t *desc)
{
	uint64_t table = root;

	for (int level = 1; level <= 3; level++) {
		uint32_t idx = (iova >> (12 + 9 * (3 - level))) & 511;
		uint64_t d = le64(pool_mem + (table - POOL_PA) + 8 * idx);

		if ((d & 3) != 3) {
			return 0;
		}
		table = d & 0x0000fffffffff000ull;
		*desc = d;
	}
	return table | (iova & 0xfff);
}

TEST(pt_map_walk_unmap)
{
	struct smmu_pt pt;
	uint64_t d = 0, pa;
	bool w;

	pool_setup();
	CHECK_EQ(smmu_pt_init(&pt, &pool), 0);
	CHECK_EQ(pool.used, 1);
	CHECK_EQ(smmu_pt_map(&pt, 0x100000, 0x47654000, true), 0);
	CHECK_EQ(pool.used, 3); /* root, level 2, level 3 */
	CHECK(walk(pt.root_pa, 0x100123, &d) == 0x47654123ull);
	/* Page: valid, page, AF, SH=ISH, AP[1] (unprivileged), RW, XN */
	CHECK_EQ(d & 0x7ff, 0x743);
	CHECK(d & (1ull << 53));
	CHECK(d & (1ull << 54));
	CHECK_EQ(smmu_pt_map(&pt, 0x101000, 0x47655000, false), 0);
	CHECK(walk(pt.root_pa, 0x101000, &d) == 0x47655000ull);
	CHECK(d & (1ull << 7)); /* AP[2]: read-only */
	CHECK(smmu_pt_lookup(&pt, 0x101008, &pa, &w) && pa == 0x47655008 &&
	      !w);
	CHECK_EQ(smmu_pt_map(&pt, 0x101000, 0x1000, true), -2); /* twice */
	CHECK_EQ(smmu_pt_map(&pt, 0x102001, 0x1000, true), -2); /* unaligned */
	CHECK_EQ(smmu_pt_map(&pt, 1ull << 39, 0x1000, true), -2); /* too high */
	/* Far apart: a second level-2 and level-3 table. */
	CHECK_EQ(smmu_pt_map(&pt, 0x40000000ull * 5, 0x1000, true), 0);
	CHECK_EQ(pool.used, 5);
	CHECK_EQ(smmu_pt_unmap(&pt, 0x100000), 0);
	CHECK(walk(pt.root_pa, 0x100000, &d) == 0);
	CHECK_EQ(pool.used, 5); /* 0x101000 still in that table */
	CHECK_EQ(smmu_pt_unmap(&pt, 0x100000), -2);
	CHECK_EQ(smmu_pt_unmap(&pt, 0x101000), 0);
	CHECK_EQ(pool.used, 3); /* its level-2 and level-3 tables freed */
	smmu_pt_destroy(&pt);
	CHECK_EQ(pool.used, 0);
}

TEST(pt_pool_exhaustion)
{
	struct smmu_pt pt;
	uint64_t pa;
	bool w;
	int err = 0;
	uint64_t i;

	pool_setup();
	CHECK_EQ(smmu_pt_init(&pt, &pool), 0);
	/* Each 1 GiB apart needs two tables: 15 pages give 7 mappings. */
	for (i = 0; i < 16 && err == 0; i++) {
		err = smmu_pt_map(&pt, i << 30, 0x1000 * (i + 1), true);
	}
	CHECK_EQ(err, -1);
	CHECK_EQ(i, 8);
	CHECK(!smmu_pt_lookup(&pt, 7ull << 30, &pa, &w));
	CHECK(smmu_pt_lookup(&pt, 6ull << 30, &pa, &w) && pa == 0x7000);
	smmu_pt_destroy(&pt);
	CHECK_EQ(pool.used, 0);
}

TEST(iova_first_fit)
{
	static struct smmu_iova a;
	uint64_t x, y, z;

	smmu_iova_init(&a, 0x100000, 0x10000);
	CHECK_EQ(smmu_iova_alloc(&a, 0x2000, &x), 0);
	CHECK(x == 0x100000);
	CHECK_EQ(smmu_iova_alloc(&a, 1, &y), 0);
	CHECK(y == 0x102000);
	CHECK_EQ(smmu_iova_alloc(&a, 0xc000, &z), 0);
	CHECK(z == 0x103000);
	CHECK_EQ(smmu_iova_alloc(&a, 0x2000, &z), -1); /* 4 KiB left */
	CHECK_EQ(smmu_iova_free(&a, x), 0);
	CHECK_EQ(smmu_iova_free(&a, x), -1);
	CHECK_EQ(smmu_iova_alloc(&a, 0x1000, &z), 0);
	CHECK(z == 0x100000);
	CHECK_EQ(smmu_iova_alloc(&a, 0x2000, &z), -1); /* holes of one page */
	CHECK_EQ(smmu_iova_alloc(&a, 0, &z), -1);
}

TEST_MAIN("smmu", TEST_ENTRY(put64_little_endian), TEST_ENTRY(ste_encodings),
	  TEST_ENTRY(cd_encoding), TEST_ENTRY(command_encodings),
	  TEST_ENTRY(event_decoding), TEST_ENTRY(queue_indices),
	  TEST_ENTRY(pt_map_walk_unmap), TEST_ENTRY(pt_pool_exhaustion),
	  TEST_ENTRY(iova_first_fit))
