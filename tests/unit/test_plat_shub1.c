/* SPDX-License-Identifier: MIT */
/*
 * The sgi-shub1 backend (drivers-domain/platform/plat_shub1.c) against a
 * register-level model (plat_model.c): for each operation, the exact
 * sequence of register accesses, addresses and values. The machine is
 * the Altix layout of the Xen-on-Altix talk: nodes 0..3 at nasids 0, 2, 4,
 * 6, memory at 0x30_0000_0000 + nasid << 38, 64 GiB each.
 */
#include <libfdt.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "../../drivers-domain/platform/plat.h"
#include "../../drivers-domain/platform/plat_shub1.h"
#include "plat_model.h"
#include "test.h"

static uint8_t blob[65536] __attribute__((aligned(8)));
static struct plat_ctx ctx;
static char err[160];

#define RTC_HZ 25000000u
#define EPOCH 1170000000ull /* 2007-01-28 */

static void prop_u64(const char *name, uint64_t v)
{
	fdt32_t c[2] = { cpu_to_fdt32((uint32_t)(v >> 32)),
			 cpu_to_fdt32((uint32_t)v) };

	fdt_property(blob, name, c, sizeof(c));
}

static void prop_reg(uint64_t base, uint64_t size)
{
	fdt32_t c[4] = { cpu_to_fdt32((uint32_t)(base >> 32)),
			 cpu_to_fdt32((uint32_t)base),
			 cpu_to_fdt32((uint32_t)(size >> 32)),
			 cpu_to_fdt32((uint32_t)size) };

	fdt_property(blob, "reg", c, sizeof(c));
}

static uint64_t mmr(uint32_t nasid)
{
	return ((uint64_t)nasid << SHUB1_NASID_SHIFT) | SHUB1_GLOBAL_MMR;
}

/** An Altix with @nodes nodes (nasid 2n), two CPUs each; node 0 local. */
static void altix(uint32_t nodes)
{
	char name[48];

	fdt_create(blob, sizeof(blob));
	fdt_finish_reservemap(blob);
	fdt_begin_node(blob, "");
	fdt_property_string(blob, "compatible", "sgi,altix");
	fdt_property_u32(blob, "#address-cells", 2);
	fdt_property_u32(blob, "#size-cells", 2);
	for (uint32_t n = 0; n < nodes; n++) {
		snprintf(name, sizeof(name), "memory@%llx",
			 (unsigned long long)(0x3000000000ull +
					      ((uint64_t)(2 * n) << 38)));
		fdt_begin_node(blob, name);
		fdt_property_string(blob, "device_type", "memory");
		prop_reg(0x3000000000ull + ((uint64_t)(2 * n) << 38),
			 0x1000000000ull);
		fdt_property_u32(blob, "numa-node-id", n);
		fdt_end_node(blob);
	}
	fdt_begin_node(blob, "cpus");
	fdt_property_u32(blob, "#address-cells", 1);
	fdt_property_u32(blob, "#size-cells", 0);
	for (uint32_t c = 0; c < 2 * nodes; c++) {
		snprintf(name, sizeof(name), "cpu@%x", c);
		fdt_begin_node(blob, name);
		fdt_property_string(blob, "device_type", "cpu");
		fdt_property_u32(blob, "reg", (c / 2) << 8 | (c % 2));
		fdt_property_u32(blob, "numa-node-id", c / 2);
		fdt_end_node(blob);
	}
	fdt_end_node(blob);
	fdt_begin_node(blob, "distance-map");
	fdt_property_string(blob, "compatible", "numa-distance-map-v1");
	{
		fdt32_t m[3 * 64];
		int k = 0;

		for (uint32_t a = 0; a < nodes && k < 3 * 63; a++) {
			for (uint32_t b = a; b < nodes && k < 3 * 63; b++) {
				m[k++] = cpu_to_fdt32(a);
				m[k++] = cpu_to_fdt32(b);
				m[k++] = cpu_to_fdt32(a == b ? 10 :
						      20 + (b - a));
			}
		}
		fdt_property(blob, "distance-matrix", m, k * 4);
	}
	fdt_end_node(blob);
	for (uint32_t n = 0; n < nodes; n++) {
		snprintf(name, sizeof(name), "shub@%llx",
			 (unsigned long long)mmr(2 * n));
		fdt_begin_node(blob, name);
		fdt_property_string(blob, "compatible", "sgi,shub1");
		prop_reg(mmr(2 * n), 0x200000000ull);
		fdt_property_u32(blob, "sgi,nasid", 2 * n);
		fdt_property_u32(blob, "numa-node-id", n);
		fdt_property_u32(blob, "clock-frequency", RTC_HZ);
		prop_u64("sgi,rtc-epoch", EPOCH);
		if (n == 0) {
			fdt_property(blob, "sgi,local", NULL, 0);
		}
		fdt_end_node(blob);
	}
	fdt_end_node(blob);
	fdt_finish(blob);
}

/** Builds the Altix, selects and probes; the log then starts empty. */
static int boot(uint32_t nodes)
{
	altix(nodes);
	memset(&ctx, 0, sizeof(ctx));
	model_reset();
	ctx.fdt = blob;
	ctx.backend = plat_select(blob);
	if (plat_topo_parse(blob, &ctx.topo, err, sizeof(err)) != 0 ||
	    ctx.backend->probe(&ctx, err, sizeof(err)) != 0) {
		printf("  boot: %s\n", err);
		return -1;
	}
	model_reset();
	return 0;
}

/** Checks log entry @i: op, address, value. */
static bool is(uint32_t i, char op, uint64_t pa, uint64_t val)
{
	if (i >= model.count || model.log[i].op != op ||
	    model.log[i].pa != pa || model.log[i].val != val) {
		printf("  entry %u: want %c %#llx %#llx\n", i, op,
		       (unsigned long long)pa, (unsigned long long)val);
		model_dump();
		return false;
	}
	return true;
}

#define STATUS (mmr(0) + SHUB1_PIO_WRITE_STATUS_0)
#define IDLE SHUB1_PIO_IDLE

TEST(selected_and_probed)
{
	CHECK_EQ(boot(4), 0);
	CHECK(strcmp(ctx.backend->name, "sgi-shub1") == 0);
	CHECK_EQ(ctx.shub.count, 4);
	CHECK_EQ(ctx.shub.local, 0);
	CHECK_EQ(ctx.shub.shubs[3].nasid, 6);
	CHECK_EQ(ctx.shub.rtc_hz, RTC_HZ);
	CHECK_EQ(ctx.backend->features(&ctx),
		 PLAT_F_RTC | PLAT_F_IPI | PLAT_F_TLB_PURGE);
	/* Probing maps exactly four register pages per Shub. */
	altix(2);
	model_reset();
	CHECK_EQ(ctx.backend->probe(&ctx, err, sizeof(err)), 0);
	CHECK_EQ(model.count, 8);
	CHECK(is(0, 'M', mmr(0) + 0x110000000ull, 0x1000));
	CHECK(is(1, 'M', mmr(0) + 0x1101a0000ull, 0x1000));
	CHECK(is(2, 'M', mmr(0) + 0x1101c0000ull, 0x1000));
	CHECK(is(3, 'M', mmr(0) + 0x120070000ull, 0x1000));
	CHECK(is(4, 'M', mmr(2) + 0x110000000ull, 0x1000));
}

TEST(topology_of_the_altix)
{
	CHECK_EQ(boot(4), 0);
	CHECK_EQ(ctx.topo.node_count, 4);
	CHECK_EQ(ctx.topo.cpu_count, 8);
	CHECK_EQ(ctx.topo.nodes[1].base[0], 0xb000000000ull);
	CHECK_EQ(ctx.topo.nodes[3].base[0], 0x1b000000000ull);
	CHECK_EQ(ctx.topo.nodes[2].size[0], 0x1000000000ull);
	CHECK_EQ(ctx.topo.nodes[2].cpu_count, 2);
	CHECK_EQ(ctx.topo.cpu_hwid[5], 0x201);
	CHECK_EQ(ctx.topo.cpu_node[5], 2);
	CHECK(ctx.topo.have_distances);
	CHECK_EQ(ctx.topo.distance[0][3], 23);
	CHECK_EQ(ctx.topo.distance[3][0], 23);
	CHECK_EQ(ctx.topo.distance[2][2], 10);
}

TEST(ipi_one_write)
{
	CHECK_EQ(boot(4), 0);
	CHECK_EQ(ctx.backend->ipi(&ctx, 2, 0x13, 0xfd, 4), PLAT_OK);
	CHECK_EQ(model.count, 1);
	/* SEND | IDX 0xfd | BASE 0xfee | PID 0x13 | TYPE NMI, at nasid 4. */
	CHECK(is(0, 'W', 0x10910000380ull, 0x8fd00001fdc00134ull));
}

TEST(ipi_refused_without_writes)
{
	CHECK_EQ(boot(4), 0);
	CHECK_EQ(ctx.backend->ipi(&ctx, 2, 0x13, 0xfd, 3), PLAT_EINVAL);
	CHECK_EQ(ctx.backend->ipi(&ctx, 7, 0x13, 0xfd, 0), PLAT_ENOENT);
	CHECK_EQ(ctx.backend->ipi(&ctx, 1, 0x10000, 0xfd, 0), PLAT_ENOENT);
	CHECK_EQ(model.count, 0);
}

TEST(tlb_purge_sequence)
{
	const uint64_t d0 = 0x8000000000123439ull; /* A | PS 14 | RID | START */
	const uint64_t va = 0x2000000000004000ull;
	uint32_t purges = 0, deadlocks = 9;

	CHECK_EQ(boot(4), 0);
	/* Nodes 0 (local: the kernel's ptc.ga), 1 and 3; two 16 KiB pages. */
	CHECK_EQ(ctx.backend->tlb_purge(&ctx, 0xb, va + 0x10, 0x7ff0, 14,
					0x1234, &purges, &deadlocks),
		 PLAT_OK);
	CHECK_EQ(purges, 4);
	CHECK_EQ(deadlocks, 0);
	CHECK_EQ(model.count, 11);
	CHECK(is(0, 'R', STATUS, IDLE));
	CHECK(is(1, 'W', mmr(2) + SHUB1_PTC_0, d0));
	CHECK(is(2, 'W', mmr(2) + SHUB1_PTC_1, va | (1ull << 63)));
	CHECK(is(3, 'W', mmr(6) + SHUB1_PTC_0, d0));
	CHECK(is(4, 'W', mmr(6) + SHUB1_PTC_1, va | (1ull << 63)));
	CHECK(is(5, 'R', STATUS, IDLE));
	CHECK(is(6, 'W', mmr(2) + SHUB1_PTC_0, d0));
	CHECK(is(7, 'W', mmr(2) + SHUB1_PTC_1, (va + 0x4000) | (1ull << 63)));
	CHECK(is(8, 'W', mmr(6) + SHUB1_PTC_0, d0));
	CHECK(is(9, 'W', mmr(6) + SHUB1_PTC_1, (va + 0x4000) | (1ull << 63)));
	CHECK(is(10, 'R', STATUS, IDLE));
}

TEST(tlb_purge_waits_while_busy)
{
	uint32_t purges = 0, deadlocks = 0;

	CHECK_EQ(boot(2), 0);
	model.pio_busy = 3;
	CHECK_EQ(ctx.backend->tlb_purge(&ctx, 0x3, 0x4000, 0x1000, 12, 7,
					&purges, &deadlocks), PLAT_OK);
	/* Three busy reads, the idle one, the pair, the final wait. */
	CHECK_EQ(model.count, 7);
	CHECK(is(3, 'R', STATUS, IDLE));
	CHECK(is(4, 'W', mmr(2) + SHUB1_PTC_0,
		 1 | (12 << 2) | (7 << 8) | (1ull << 63)));
	CHECK(is(5, 'W', mmr(2) + SHUB1_PTC_1, 0x4000 | (1ull << 63)));
	CHECK(is(6, 'R', STATUS, IDLE));
}

TEST(tlb_purge_batches_of_32)
{
	uint32_t purges = 0, deadlocks = 0, writes = 0, waits_at[4], w = 0;

	CHECK_EQ(boot(40), 0);
	CHECK_EQ(ctx.backend->tlb_purge(&ctx, (1ull << 40) - 1, 0, 0x1000, 12,
					1, &purges, &deadlocks), PLAT_OK);
	CHECK_EQ(purges, 39);
	for (uint32_t i = 0; i < model.count && w < 4; i++) {
		if (model.log[i].op == 'W') {
			writes++;
		} else {
			waits_at[w++] = writes;
		}
	}
	/* Before anything, after 32 nodes' pairs, after the other 7. */
	CHECK_EQ(w, 3);
	CHECK_EQ(waits_at[0], 0);
	CHECK_EQ(waits_at[1], 64);
	CHECK_EQ(waits_at[2], 78);
}

TEST(tlb_purge_deadlock_recovery)
{
	const uint64_t d0 = 1 | (12 << 2) | (5ull << 8) | (1ull << 63);
	const uint64_t d1 = 0x7000 | (1ull << 63);
	const uint64_t alias = mmr(0) + SHUB1_PIO_WRITE_STATUS_0_ALIAS;
	uint32_t purges = 0, deadlocks = 0;

	CHECK_EQ(boot(3), 0);
	model.deadlock_at[0] = 2; /* the wait after the batch */
	model.deadlock_count = 1;
	CHECK_EQ(ctx.backend->tlb_purge(&ctx, 0x6, 0x7000, 0x1000, 12, 5,
					&purges, &deadlocks), PLAT_OK);
	CHECK_EQ(purges, 2);
	CHECK_EQ(deadlocks, 1);
	CHECK(is(0, 'R', STATUS, IDLE));
	CHECK(is(1, 'W', mmr(2) + SHUB1_PTC_0, d0));
	CHECK(is(2, 'W', mmr(2) + SHUB1_PTC_1, d1));
	CHECK(is(3, 'W', mmr(4) + SHUB1_PTC_0, d0));
	CHECK(is(4, 'W', mmr(4) + SHUB1_PTC_1, d1));
	CHECK(is(5, 'R', STATUS, IDLE | SHUB1_PIO_DEADLOCK));
	/* Node by node: clear the errors, wait, PTC_0, wait, PTC_1, wait. */
	CHECK(is(6, 'W', alias, 7));
	CHECK(is(7, 'R', STATUS, IDLE));
	CHECK(is(8, 'W', mmr(2) + SHUB1_PTC_0, d0));
	CHECK(is(9, 'R', STATUS, IDLE));
	CHECK(is(10, 'W', mmr(2) + SHUB1_PTC_1, d1));
	CHECK(is(11, 'R', STATUS, IDLE));
	CHECK(is(12, 'W', alias, 7));
	CHECK(is(13, 'R', STATUS, IDLE));
	CHECK(is(14, 'W', mmr(4) + SHUB1_PTC_0, d0));
	CHECK(is(15, 'R', STATUS, IDLE));
	CHECK(is(16, 'W', mmr(4) + SHUB1_PTC_1, d1));
	CHECK(is(17, 'R', STATUS, IDLE));
	CHECK_EQ(model.count, 18);
}

TEST(tlb_purge_recovery_retries_a_deadlocked_step)
{
	const uint64_t alias = mmr(0) + SHUB1_PIO_WRITE_STATUS_0_ALIAS;
	uint32_t purges = 0, deadlocks = 0;

	CHECK_EQ(boot(2), 0);
	/* The batch deadlocks, and so does the recovery's PTC_0: PTC_1 is
	 * not written then, and the node is tried again from the start. */
	model.deadlock_at[0] = 2;
	model.deadlock_at[1] = 4;
	model.deadlock_count = 2;
	CHECK_EQ(ctx.backend->tlb_purge(&ctx, 0x2, 0, 0x1000, 12, 0, &purges,
					&deadlocks), PLAT_OK);
	CHECK(is(4, 'W', alias, 7));
	CHECK(is(6, 'W', mmr(2) + SHUB1_PTC_0, model.log[1].val));
	CHECK(is(7, 'R', STATUS, IDLE | SHUB1_PIO_DEADLOCK));
	CHECK(is(8, 'W', alias, 7));
	CHECK(is(10, 'W', mmr(2) + SHUB1_PTC_0, model.log[1].val));
	CHECK(is(12, 'W', mmr(2) + SHUB1_PTC_1, model.log[2].val));
	CHECK_EQ(model.count, 14);
}

TEST(tlb_purge_stuck_status_is_an_error)
{
	uint32_t purges = 0, deadlocks = 0;

	CHECK_EQ(boot(2), 0);
	model.pio_stuck = true;
	CHECK_EQ(ctx.backend->tlb_purge(&ctx, 0x2, 0, 0x1000, 12, 0, &purges,
					&deadlocks), PLAT_EIO);
	CHECK_EQ(model_count('W'), 0);
	CHECK(model.overflow); /* it did wait, a bounded number of reads */
}

TEST(tlb_purge_refused_without_writes)
{
	uint32_t purges = 0, deadlocks = 0;

	CHECK_EQ(boot(2), 0);
	CHECK_EQ(ctx.backend->tlb_purge(&ctx, 0x2, 0, 0x1000, 15, 0, &purges,
					&deadlocks), PLAT_EINVAL);
	CHECK_EQ(ctx.backend->tlb_purge(&ctx, 0x2, 0, 0, 12, 0, &purges,
					&deadlocks), PLAT_EINVAL);
	CHECK_EQ(ctx.backend->tlb_purge(&ctx, 0x2, 0, 1ull << 40, 12, 0,
					&purges, &deadlocks), PLAT_EINVAL);
	CHECK_EQ(ctx.backend->tlb_purge(&ctx, 0x2, 0, 0x1000, 12, 1u << 27,
					&purges, &deadlocks), PLAT_EINVAL);
	CHECK_EQ(ctx.backend->tlb_purge(&ctx, 0x6, 0, 0x1000, 12, 0, &purges,
					&deadlocks), PLAT_ENOENT);
	CHECK_EQ(model.count, 0);
}

TEST(rtc_read)
{
	struct plat_time t;

	CHECK_EQ(boot(2), 0);
	/* Bits above the 55-bit counter are ignored. */
	model.rtc = 0xff80000000000000ull | (100ull * RTC_HZ + RTC_HZ / 2);
	CHECK_EQ(ctx.backend->rtc_read(&ctx, &t), PLAT_OK);
	CHECK_EQ(t.sec, EPOCH + 100);
	CHECK_EQ(t.nsec, 500000000);
	CHECK(t.precise);
	CHECK_EQ(model.count, 1);
	CHECK(is(0, 'R', mmr(0) + SHUB1_RTC, model.rtc));
}

TEST(probe_refuses_a_wrong_window)
{
	altix(2);
	/* Claim nasid 8 for the first Shub: its reg no longer matches. */
	CHECK_EQ(fdt_setprop_inplace_u32(blob, fdt_path_offset(blob,
					 "/shub@800000000"), "sgi,nasid", 8), 0);
	memset(&ctx, 0, sizeof(ctx));
	ctx.fdt = blob;
	CHECK_EQ(plat_backend_shub1.probe(&ctx, err, sizeof(err)), -1);
	CHECK(strstr(err, "nasid 8") != NULL);
}

TEST_MAIN("plat_shub1", TEST_ENTRY(selected_and_probed),
	  TEST_ENTRY(topology_of_the_altix), TEST_ENTRY(ipi_one_write),
	  TEST_ENTRY(ipi_refused_without_writes),
	  TEST_ENTRY(tlb_purge_sequence), TEST_ENTRY(tlb_purge_waits_while_busy),
	  TEST_ENTRY(tlb_purge_batches_of_32),
	  TEST_ENTRY(tlb_purge_deadlock_recovery),
	  TEST_ENTRY(tlb_purge_recovery_retries_a_deadlocked_step),
	  TEST_ENTRY(tlb_purge_stuck_status_is_an_error),
	  TEST_ENTRY(tlb_purge_refused_without_writes), TEST_ENTRY(rtc_read),
	  TEST_ENTRY(probe_refuses_a_wrong_window))
