/* SPDX-License-Identifier: MIT */
/*
 * Host tests of what the PCI server lets a driver do (pci_policy.c) and of
 * the allocator rule the server's BAR frames rely on: every memory BAR has
 * a page of its own (against the simulated configuration space of
 * tests/unit/pci_sim.c).
 */
#include <stdbool.h>
#include <stdint.h>

#include <rift/pci_id.h>

#include "../pci_enum.h"
#include "../pci_policy.h"
#include "pci_sim.h"
#include "test.h"

static struct pci_sim sim;
static struct pci_topology topo;
static struct pci_enum_config cfg;

/** Runs pci_policy_config_write() on a copy of `v`; returns the verdict. */
static bool write_ok(uint32_t off, uint32_t width, uint32_t v, uint8_t cmd,
		     uint32_t *out)
{
	*out = v;
	return pci_policy_config_write(off, width, out, cmd);
}

TEST(access_shapes)
{
	CHECK(pci_policy_access_ok(0, 4));
	CHECK(pci_policy_access_ok(0x3d, 1));
	CHECK(pci_policy_access_ok(0xffc, 4));
	CHECK(!pci_policy_access_ok(0x1000, 1));
	CHECK(!pci_policy_access_ok(0x3, 2));
	CHECK(!pci_policy_access_ok(0x2, 4));
	CHECK(!pci_policy_access_ok(0x0, 3));
	CHECK(!pci_policy_access_ok(0x0, 8));
	CHECK(!pci_policy_access_ok(0xffffffffu, 1));
}

TEST(owned_registers_refused)
{
	uint32_t v;

	for (uint32_t off = 0x10; off < 0x28; off++) {
		CHECK(!write_ok(off, 1, 0, 0, &v));
	}
	CHECK(!write_ok(0x10, 4, 0xffffffffu, 0, &v));
	CHECK(!write_ok(0x24, 4, 0, 0, &v));
	CHECK(!write_ok(0x26, 2, 0, 0, &v));
	CHECK(!write_ok(0x30, 4, 1, 0, &v));
	CHECK(!write_ok(0x33, 1, 0, 0, &v));
	CHECK(!write_ok(0x0e, 1, 0x80, 0, &v));
	CHECK(!write_ok(0x0c, 4, 0, 0, &v)); /* covers the header type */
	CHECK(!write_ok(0x0e, 2, 0, 0, &v));
	CHECK(!write_ok(0x11, 2, 0, 0, &v)); /* malformed as well */
}

TEST(driver_registers_allowed)
{
	uint32_t v;

	CHECK(write_ok(0x3c, 1, 0x5a, 0, &v) && v == 0x5a);
	CHECK(write_ok(0x0c, 1, 0x10, 0, &v) && v == 0x10);
	CHECK(write_ok(0x0d, 1, 0x40, 0, &v));
	CHECK(write_ok(0x28, 4, 0x1234, 0, &v)); /* after the BARs */
	CHECK(write_ok(0x2c, 4, 0, 0, &v));
	CHECK(write_ok(0x34, 4, 0, 0, &v));
	CHECK(write_ok(0x40, 4, 0xdeadbeef, 0, &v) && v == 0xdeadbeef);
	CHECK(write_ok(0x100, 4, 1, 0, &v));
	CHECK(write_ok(0xffc, 4, 1, 0, &v));
}

TEST(command_decode_bits_kept)
{
	uint32_t v;

	/* Turning decode and bus mastering off keeps the server's bits. */
	CHECK(write_ok(0x04, 2, 0x0000, 0x6, &v));
	CHECK_EQ(v, 0x0006);
	/* INTx disable and SERR are the driver's. */
	CHECK(write_ok(0x04, 2, 0x0500, 0x6, &v));
	CHECK_EQ(v, 0x0506);
	/* Turning on what the server has off does not happen either. */
	CHECK(write_ok(0x04, 1, 0x07, 0x0, &v));
	CHECK_EQ(v, 0x00);
	CHECK(write_ok(0x04, 4, 0xffff0007, 0x2, &v));
	CHECK_EQ(v, 0xffff0002u);
	/* The upper command byte carries no decode bits. */
	CHECK(write_ok(0x05, 1, 0x04, 0x6, &v));
	CHECK_EQ(v, 0x04);
	CHECK(write_ok(0x06, 2, 0xf900, 0x6, &v));
	CHECK_EQ(v, 0xf900);
}

TEST(bar_frame_geometry)
{
	struct pci_policy_frames f = pci_policy_bar_frames(0x100);

	CHECK_EQ(f.order, 0);
	CHECK_EQ(f.count, 1);
	f = pci_policy_bar_frames(0x1000);
	CHECK(f.order == 0 && f.count == 1);
	f = pci_policy_bar_frames(0x100000);
	CHECK(f.order == 0 && f.count == 256);
	f = pci_policy_bar_frames(0x200000);
	CHECK(f.order == 9 && f.count == 1);
	f = pci_policy_bar_frames(0x800000);
	CHECK(f.order == 9 && f.count == 4);
	f = pci_policy_bar_frames(1ull << 30);
	CHECK(f.order == 18 && f.count == 1);
	f = pci_policy_bar_frames(1ull << 34);
	CHECK(f.order == 18 && f.count == 16);
}

/** A root bus with devices whose memory BARs are far below a page. */
static void small_bars(void)
{
	int a;
	int b;
	int c;

	pci_sim_init(&sim, 0);
	pci_sim_qemu_host(&sim, 0);
	a = pci_sim_add_func(&sim, PCI_SIM_ROOT, 1, 0, 0x1234, 0x0001,
			     0x00ff0000);
	pci_sim_set_bar(&sim, a, 0, PCI_SIM_BAR_MEM32, 0x100);
	pci_sim_set_bar(&sim, a, 1, PCI_SIM_BAR_MEM32, 0x80);
	pci_sim_set_bar(&sim, a, 2, PCI_SIM_BAR_IO, 0x20);
	b = pci_sim_add_func(&sim, PCI_SIM_ROOT, 2, 0, 0x1234, 0x0002,
			     0x00ff0000);
	pci_sim_set_bar(&sim, b, 0, PCI_SIM_BAR_MEM32, 0x10);
	pci_sim_set_bar(&sim, b, 2, PCI_SIM_BAR_MEM64_PREF, 0x800);
	pci_sim_set_bar(&sim, b, 4, PCI_SIM_BAR_IO, 0x20);
	c = pci_sim_add_func(&sim, PCI_SIM_ROOT, 3, 0, 0x1234, 0x0003,
			     0x00ff0000);
	pci_sim_set_bar(&sim, c, 0, PCI_SIM_BAR_MEM32, 0x2000);
	pci_sim_qemu_virt_config(&cfg);
}

/** Checks BAR `k` of topology entry `i` against the hardware; its room. */
static bool bar_room(uint16_t i, unsigned int k, uint64_t *base,
		     uint64_t *room)
{
	const struct pci_bar *bar = &topo.funcs[i].bars[k];
	int m = pci_sim_lookup(&sim, topo.funcs[i].bdf);

	if (bar->size == 0 || (bar->flags & PCI_BAR_F_UPPER) ||
	    !(bar->flags & PCI_BAR_F_ASSIGNED) ||
	    pci_sim_bar_addr(&sim, m, (int)k) != bar->addr) {
		return false;
	}
	*base = bar->addr;
	*room = bar->size;
	if (!(bar->flags & PCI_BAR_F_IO) && *room < 0x1000) {
		*room = 0x1000;
	}
	return true;
}

TEST(memory_bars_own_pages)
{
	uint64_t base[16];
	uint64_t room[16];
	bool io[16];
	unsigned int n = 0;

	small_bars();
	CHECK_EQ(pci_enum_run(&sim, &cfg, &topo), PCI_ENUM_OK);
	for (uint16_t i = 0; i < topo.func_count; i++) {
		for (unsigned int k = 0; k < PCI_ENUM_BAR_COUNT; k++) {
			if (topo.funcs[i].bars[k].size == 0 ||
			    (topo.funcs[i].bars[k].flags & PCI_BAR_F_UPPER)) {
				continue;
			}
			CHECK(bar_room(i, k, &base[n], &room[n]));
			io[n] = topo.funcs[i].bars[k].flags & PCI_BAR_F_IO;
			/* Memory: page-aligned, a frame holds this BAR only. */
			CHECK(io[n] || (base[n] & 0xfff) == 0);
			n++;
		}
	}
	CHECK_EQ(n, 7);
	for (unsigned int a = 0; a < n; a++) {
		for (unsigned int b = a + 1; b < n; b++) {
			CHECK(io[a] != io[b] || base[a] + room[a] <= base[b] ||
			      base[b] + room[b] <= base[a]);
		}
	}
	/* Tight: the 8K BAR, then one page for each small mem32 BAR. */
	for (unsigned int a = 0; a < n; a++) {
		CHECK(io[a] || base[a] >= 0x8000000000ull ||
		      base[a] + room[a] <= 0x10005000ull);
	}
	/* I/O BARs are never handed out as frames: they stay packed. */
	CHECK_EQ(topo.funcs[1].bars[2].addr / 0x1000,
		 topo.funcs[2].bars[4].addr / 0x1000);
}

/** pci-devices patterns (rift/pci_id.h): parsing and matching. */
TEST(pci_id_patterns)
{
	uint32_t a, b;

	CHECK_EQ(pci_id_parse("1234:11e8", &a, &b), PCI_ID_VENDOR_DEVICE);
	CHECK(a == 0x1234 && b == 0x11e8);
	CHECK_EQ(pci_id_parse("1AF4:1042", &a, &b), PCI_ID_VENDOR_DEVICE);
	CHECK(a == 0x1af4 && b == 0x1042);
	CHECK_EQ(pci_id_parse("01:1f.7", &a, &b), PCI_ID_SLOT);
	CHECK_EQ(a, 0x1ff);
	CHECK_EQ(pci_id_parse("00:20.0", &a, &b), PCI_ID_BAD); /* dev > 31 */
	CHECK_EQ(pci_id_parse("00:02.8", &a, &b), PCI_ID_BAD); /* fn > 7 */
	CHECK_EQ(pci_id_parse("1234:11e", &a, &b), PCI_ID_BAD);
	CHECK_EQ(pci_id_parse("1234:11e8 ", &a, &b), PCI_ID_BAD);
	CHECK_EQ(pci_id_parse("12g4:11e8", &a, &b), PCI_ID_BAD);
	CHECK_EQ(pci_id_parse("", &a, &b), PCI_ID_BAD);
	CHECK_EQ(pci_id_parse("0:2.0", &a, &b), PCI_ID_BAD);
	CHECK(pci_id_match("1234:11e8", 0x10, 0x1234, 0x11e8));
	CHECK(!pci_id_match("1234:11e8", 0x10, 0x1234, 0x11e9));
	CHECK(pci_id_match("00:02.0", 0x10, 0xffff, 0xffff));
	CHECK(!pci_id_match("00:02.1", 0x10, 0x1234, 0x11e8));
	CHECK(!pci_id_match("bogus", 0x10, 0x1234, 0x11e8));
}

TEST_MAIN("pci_policy", TEST_ENTRY(access_shapes),
	  TEST_ENTRY(owned_registers_refused),
	  TEST_ENTRY(driver_registers_allowed),
	  TEST_ENTRY(command_decode_bits_kept), TEST_ENTRY(pci_id_patterns),
	  TEST_ENTRY(bar_frame_geometry),
	  TEST_ENTRY(memory_bars_own_pages))
