/* SPDX-License-Identifier: MIT */
/*
 * Host tests of PCI enumeration and resource assignment against the
 * simulated configuration space. Checks read the simulated registers (what
 * the hardware would decode), not only the topology the code returns.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "../../drivers-domain/pci/pci_enum.h"
#include "../../drivers-domain/pci/pci_topo.h"
#include "pci_sim.h"
#include "test.h"

static struct pci_sim sim;
static struct pci_topology topo;
static struct pci_enum_config cfg;
static struct pci_sim_virt virt;

/* ------------------------------------------------------------ helpers */

/** Builds the QEMU virt machine and enumerates it. */
static enum pci_enum_status run_virt(void)
{
	pci_sim_qemu_virt(&sim, &virt);
	pci_sim_qemu_virt_config(&cfg);
	return pci_enum_run(&sim, &cfg, &topo);
}

/** Topology index of simulated function `m` (found through routing). */
static uint16_t topo_of(int m)
{
	for (uint16_t i = 0; i < topo.func_count; i++) {
		if (pci_sim_lookup(&sim, topo.funcs[i].bdf) == m) {
			return i;
		}
	}
	return PCI_ENUM_NONE;
}

/** Simulated function that topology entry `i` designates. */
static int sim_of(uint16_t i)
{
	return pci_sim_lookup(&sim, topo.funcs[i].bdf);
}

/** True if topology entry `f` is below bridge `b`. */
static bool below(uint16_t f, uint16_t b)
{
	for (uint16_t p = topo.funcs[f].parent; p != PCI_ENUM_NONE;
	     p = topo.funcs[p].parent) {
		if (p == b) {
			return true;
		}
	}
	return false;
}

/** A decoded address range: space 0 I/O, 1 memory. */
struct region {
	int space;
	uint64_t lo;
	uint64_t hi;
	uint16_t func;
	int bar;
};

static struct region regions[PCI_ENUM_MAX_FUNCS * 6];
static int region_count;

/** Collects the implemented, non-zero BARs of every found function. */
static void collect_regions(void)
{
	region_count = 0;
	for (uint16_t i = 0; i < topo.func_count; i++) {
		int m = sim_of(i);

		for (int b = 0; m >= 0 && b < 6; b++) {
			uint64_t size = sim.funcs[m].bar_size[b];
			uint64_t addr = pci_sim_bar_addr(&sim, m, b);
			struct region *r = &regions[region_count];

			if (sim.funcs[m].bar_kind[b] == 0 || addr == 0) {
				continue;
			}
			r->space = sim.funcs[m].bar_kind[b] == PCI_SIM_BAR_IO
					   ? 0
					   : 1;
			r->lo = addr;
			r->hi = addr + size - 1;
			r->func = i;
			r->bar = b;
			region_count++;
		}
	}
}

static bool in_window(const struct pci_enum_window *w, uint64_t lo, uint64_t hi)
{
	return w->size != 0 && lo >= w->bus_base &&
	       hi <= w->bus_base + (w->size - 1);
}

/**
 * Every BAR in hardware matches the topology, is naturally aligned, lies
 * in the host window of its kind, and overlaps no other BAR.
 */
static bool bars_valid(void)
{
	collect_regions();
	for (int i = 0; i < region_count; i++) {
		const struct region *r = &regions[i];
		const struct pci_bar *bar = &topo.funcs[r->func].bars[r->bar];
		const struct pci_enum_window *w =
			bar->kind == PCI_RES_IO	    ? &cfg.io
			: bar->kind == PCI_RES_PREF ? &cfg.pref
						    : &cfg.mem32;

		if (!(bar->flags & PCI_BAR_F_ASSIGNED) || bar->addr != r->lo ||
		    bar->size != r->hi - r->lo + 1 ||
		    (r->lo & (bar->size - 1)) != 0 ||
		    !in_window(w, r->lo, r->hi)) {
			fprintf(stderr, "bad BAR %x/%d at %llx\n",
				topo.funcs[r->func].bdf, r->bar,
				(unsigned long long)r->lo);
			return false;
		}
		for (int j = 0; j < i; j++) {
			if (regions[j].space == r->space &&
			    regions[j].lo <= r->hi && r->lo <= regions[j].hi) {
				fprintf(stderr, "overlap %llx\n",
					(unsigned long long)r->lo);
				return false;
			}
		}
	}
	return true;
}

/** Every implemented BAR of every found function is assigned. */
static bool all_assigned(void)
{
	for (uint16_t i = 0; i < topo.func_count; i++) {
		for (int b = 0; b < 6; b++) {
			const struct pci_bar *bar = &topo.funcs[i].bars[b];

			if (bar->size != 0 &&
			    !(bar->flags & PCI_BAR_F_ASSIGNED)) {
				return false;
			}
		}
	}
	return true;
}

/** Window `k` of bridge `b` as decoded from its registers. */
static bool hw_window(uint16_t b, int k, uint64_t *lo, uint64_t *hi)
{
	return pci_sim_window(&sim, sim_of(b), k, lo, hi);
}

/** True if region `r` sits inside an open window of bridge `b`. */
static bool region_inside(const struct region *r, uint16_t b)
{
	for (int k = 0; k < 3; k++) {
		uint64_t lo;
		uint64_t hi;

		if ((k == 0) != (r->space == 0) || !hw_window(b, k, &lo, &hi)) {
			continue;
		}
		if (r->lo >= lo && r->hi <= hi) {
			return true;
		}
	}
	return false;
}

/** True if region `r` touches any open window of bridge `b`. */
static bool region_touches(const struct region *r, uint16_t b)
{
	for (int k = 0; k < 3; k++) {
		uint64_t lo;
		uint64_t hi;

		if ((k == 0) != (r->space == 0) || !hw_window(b, k, &lo, &hi)) {
			continue;
		}
		if (r->lo <= hi && lo <= r->hi) {
			return true;
		}
	}
	return false;
}

/** A bridge's open windows are granule aligned and match the topology. */
static bool windows_aligned(uint16_t b)
{
	const struct pci_window *tw[3] = {&topo.funcs[b].bridge.io,
					  &topo.funcs[b].bridge.mem,
					  &topo.funcs[b].bridge.pref};

	for (int k = 0; k < 3; k++) {
		uint64_t lo;
		uint64_t hi;
		uint64_t g = k == 0 ? 0x1000 : 0x100000;
		bool open = hw_window(b, k, &lo, &hi);

		if (open != (tw[k]->size != 0)) {
			return false;
		}
		if (open && ((lo & (g - 1)) != 0 || ((hi + 1) & (g - 1)) != 0 ||
			     tw[k]->base != lo || tw[k]->size != hi - lo + 1)) {
			return false;
		}
	}
	return true;
}

/** Window `k` of bridge `c` lies inside window `k` of bridge `b`. */
static bool window_nested(uint16_t c, uint16_t b, int k)
{
	uint64_t clo;
	uint64_t chi;
	uint64_t blo;
	uint64_t bhi;

	if (!hw_window(c, k, &clo, &chi)) {
		return true;
	}
	return hw_window(b, k, &blo, &bhi) && clo >= blo && chi <= bhi;
}

/** Windows `k` of bridges `b` and `c` are disjoint. */
static bool windows_disjoint(uint16_t b, uint16_t c, int k)
{
	uint64_t blo;
	uint64_t bhi;
	uint64_t clo;
	uint64_t chi;

	return !hw_window(b, k, &blo, &bhi) || !hw_window(c, k, &clo, &chi) ||
	       bhi < clo || chi < blo;
}

/** Windows of bridge `b` versus every other bridge. */
static bool bridge_vs_bridges(uint16_t b)
{
	for (uint16_t c = 0; c < topo.func_count; c++) {
		if (c == b || !topo.funcs[c].is_bridge || below(b, c)) {
			continue;
		}
		for (int k = 0; k < 3; k++) {
			if (below(c, b) ? !window_nested(c, b, k)
					: !windows_disjoint(b, c, k)) {
				return false;
			}
		}
	}
	return true;
}

/**
 * Each bridge's windows are aligned, hold every BAR and bridge window of
 * its subtree, and touch nothing outside it.
 */
static bool bridges_valid(void)
{
	collect_regions();
	for (uint16_t b = 0; b < topo.func_count; b++) {
		if (!topo.funcs[b].is_bridge) {
			continue;
		}
		if (!windows_aligned(b) || !bridge_vs_bridges(b)) {
			fprintf(stderr, "bridge %x windows\n",
				topo.funcs[b].bdf);
			return false;
		}
		for (int i = 0; i < region_count; i++) {
			bool sub = below(regions[i].func, b);

			if (sub ? !region_inside(&regions[i], b)
				: region_touches(&regions[i], b)) {
				fprintf(stderr, "bridge %x region %llx\n",
					topo.funcs[b].bdf,
					(unsigned long long)regions[i].lo);
				return false;
			}
		}
	}
	return true;
}

/** Decode bits of every simulated function (reachable or not). */
static bool all_quiet(void)
{
	for (int m = 0; m < sim.func_count; m++) {
		if (pci_sim_peek(&sim, m, 0x04, 2) & 0x7) {
			return false;
		}
	}
	return true;
}

/** No access the hardware would reject or misroute. */
static bool sim_clean(void)
{
	return sim.bad_accesses == 0 && sim.route_conflicts == 0 &&
	       sim.sized_decoding == 0;
}

/** Error `n` has this code, function and slot. */
static bool error_is(int n, enum pci_enum_status code, uint32_t bdf,
		     uint8_t slot)
{
	return n < topo.error_count && topo.errors[n].code == code &&
	       topo.errors[n].bdf == bdf && topo.errors[n].slot == slot;
}

/** Index of the first error about (bdf, slot), or -1. */
static int find_error(uint32_t bdf, uint8_t slot)
{
	for (int n = 0; n < topo.error_count; n++) {
		if (topo.errors[n].bdf == bdf && topo.errors[n].slot == slot) {
			return n;
		}
	}
	return -1;
}

/* ------------------------------------------------------------- tests */

TEST(qemu_virt_all_found)
{
	static const struct {
		uint32_t bdf;
		uint16_t vendor;
		uint16_t device;
		uint32_t class_code;
	} want[] = {
		{PCI_BDF(0, 0, 0), 0x1b36, 0x0008, 0x060000},
		{PCI_BDF(0, 1, 0), 0x1af4, 0x1001, 0x010000},
		{PCI_BDF(0, 2, 0), 0x1af4, 0x1000, 0x020000},
		{PCI_BDF(0, 3, 0), 0x8086, 0x10d3, 0x020000},
		{PCI_BDF(0, 4, 0), 0x1b36, 0x000c, 0x060400},
		{PCI_BDF(1, 0, 0), 0x1af4, 0x1042, 0x010000},
		{PCI_BDF(0, 5, 0), 0x1b36, 0x0001, 0x060400},
		{PCI_BDF(2, 1, 0), 0x1af4, 0x1000, 0x020000},
	};

	CHECK_EQ(run_virt(), PCI_ENUM_OK);
	CHECK_EQ(topo.func_count, 8);
	CHECK_EQ(topo.error_count, 0);
	for (int i = 0; i < 8; i++) {
		const struct pci_func *f = &topo.funcs[i];

		CHECK_EQ(f->bdf, want[i].bdf);
		CHECK_EQ(f->vendor, want[i].vendor);
		CHECK_EQ(f->device, want[i].device);
		CHECK_EQ(f->class_code, want[i].class_code);
	}
	CHECK_EQ(topo.funcs[5].revision, 1);
	CHECK_EQ(topo.funcs[5].parent, 4);
	CHECK_EQ(topo.funcs[7].parent, 6);
	CHECK_EQ(topo.funcs[1].parent, PCI_ENUM_NONE);
	CHECK(topo.funcs[4].is_bridge && topo.funcs[6].is_bridge);
	CHECK(!topo.funcs[3].is_bridge);
	CHECK_EQ(topo_of(virt.net2), 7);
	CHECK(sim_clean());
}

TEST(qemu_virt_bus_numbers)
{
	CHECK_EQ(run_virt(), PCI_ENUM_OK);
	CHECK_EQ(topo.last_bus, 2);
	CHECK_EQ(topo.funcs[4].bridge.primary, 0);
	CHECK_EQ(topo.funcs[4].bridge.secondary, 1);
	CHECK_EQ(topo.funcs[4].bridge.subordinate, 1);
	CHECK_EQ(topo.funcs[6].bridge.secondary, 2);
	CHECK_EQ(topo.funcs[6].bridge.subordinate, 2);
	CHECK_EQ(pci_sim_peek(&sim, virt.root_port, 0x18, 4) & 0xffffff,
		 0x010100);
	CHECK_EQ(pci_sim_peek(&sim, virt.bridge, 0x18, 4) & 0xffffff, 0x020200);
	CHECK(topo.funcs[4].bridge.pcie_port);
	CHECK(!topo.funcs[6].bridge.pcie_port);
	CHECK(sim_clean());
}

TEST(qemu_virt_bars_valid)
{
	CHECK_EQ(run_virt(), PCI_ENUM_OK);
	CHECK(all_assigned());
	CHECK(bars_valid());
	/* 3 + 3 + 4 + 1 + 2 + 1 + 3 implemented BARs (64-bit as one). */
	CHECK_EQ(region_count, 17);
	CHECK(sim_clean());
}

TEST(qemu_virt_bridge_windows)
{
	const struct pci_bridge *rp;
	const struct pci_bridge *br;

	CHECK_EQ(run_virt(), PCI_ENUM_OK);
	CHECK(bridges_valid());
	rp = &topo.funcs[4].bridge;
	br = &topo.funcs[6].bridge;
	/* Tight: one granule each for one small BAR of each kind. */
	CHECK_EQ(rp->mem.size, 0x100000);
	CHECK_EQ(rp->pref.size, 0x100000);
	CHECK_EQ(rp->io.size, 0); /* modern virtio: no I/O BAR */
	CHECK_EQ(br->io.size, 0x1000);
	CHECK_EQ(br->mem.size, 0x100000);
	CHECK_EQ(br->pref.size, 0x100000);
	CHECK(rp->pref64 && br->pref64);
}

TEST(qemu_virt_bar_kinds)
{
	const struct pci_func *blk;
	const struct pci_func *e1000e;
	const struct pci_func *br;

	CHECK_EQ(run_virt(), PCI_ENUM_OK);
	blk = &topo.funcs[1];
	CHECK_EQ(blk->bars[0].flags & ~PCI_BAR_F_ASSIGNED, PCI_BAR_F_IO);
	CHECK_EQ(blk->bars[0].size, 0x80);
	CHECK_EQ(blk->bars[0].kind, PCI_RES_IO);
	CHECK(blk->bars[0].addr >= 0x1000 && blk->bars[0].addr < 0x10000);
	CHECK_EQ(blk->bars[1].kind, PCI_RES_MEM);
	CHECK_EQ(blk->bars[4].flags & ~PCI_BAR_F_ASSIGNED,
		 PCI_BAR_F_64 | PCI_BAR_F_PREFETCH);
	CHECK_EQ(blk->bars[4].kind, PCI_RES_PREF);
	CHECK(blk->bars[4].addr >= 0x8000000000ull);
	CHECK_EQ(blk->bars[5].flags, PCI_BAR_F_UPPER);
	CHECK_EQ(blk->bars[5].size, 0);
	e1000e = &topo.funcs[3];
	CHECK_EQ(e1000e->bars[0].size, 0x20000);
	CHECK_EQ(e1000e->bars[2].flags & PCI_BAR_F_IO, PCI_BAR_F_IO);
	CHECK_EQ(e1000e->bars[3].size, 0x4000);
	/* pci-bridge: 64-bit non-prefetchable SHPC BAR -> 32-bit window. */
	br = &topo.funcs[6];
	CHECK_EQ(br->bars[0].flags & ~PCI_BAR_F_ASSIGNED, PCI_BAR_F_64);
	CHECK_EQ(br->bars[0].kind, PCI_RES_MEM);
	CHECK(br->bars[0].addr < 0x100000000ull);
	CHECK_EQ(pci_sim_peek(&sim, virt.bridge, 0x14, 4), 0);
}

TEST(qemu_virt_decode_off)
{
	/* Pretend a previous run left everything decoding and mastering. */
	pci_sim_qemu_virt(&sim, &virt);
	pci_sim_qemu_virt_config(&cfg);
	for (int m = 0; m < sim.func_count; m++) {
		pci_sim_poke(&sim, m, 0x04, 2, 0x0407);
	}
	CHECK_EQ(pci_enum_run(&sim, &cfg, &topo), PCI_ENUM_OK);
	CHECK(all_quiet());
	for (uint16_t i = 0; i < topo.func_count; i++) {
		CHECK_EQ(topo.funcs[i].command, 0);
		/* Other command bits are preserved (INTx disable). */
		CHECK_EQ(pci_sim_peek(&sim, sim_of(i), 0x04, 2), 0x0400);
	}
	/* Expansion ROMs stay disabled and unassigned. */
	CHECK_EQ(pci_sim_peek(&sim, virt.net, 0x30, 4), 0);
	CHECK_EQ(pci_sim_peek(&sim, virt.e1000e, 0x30, 4), 0);
	CHECK(sim_clean());
}

TEST(enable_disable)
{
	uint16_t blk2;

	CHECK_EQ(run_virt(), PCI_ENUM_OK);
	blk2 = pci_topo_find(&topo, PCI_BDF(1, 0, 0));
	CHECK_EQ(blk2, 5);
	CHECK_EQ(pci_enum_enable(&sim, &topo, blk2), PCI_ENUM_OK);
	/* Memory decoding only: bus mastering waits for the DMA server. */
	CHECK_EQ(pci_sim_peek(&sim, virt.blk2, 0x04, 2) & 7, 2);
	CHECK_EQ(pci_sim_peek(&sim, virt.root_port, 0x04, 2) & 7, 6);
	CHECK_EQ(pci_enum_set_master(&sim, &topo, blk2, true), PCI_ENUM_OK);
	CHECK_EQ(pci_sim_peek(&sim, virt.blk2, 0x04, 2) & 7, 6);
	CHECK_EQ(pci_enum_set_master(&sim, &topo, blk2, false), PCI_ENUM_OK);
	CHECK_EQ(pci_sim_peek(&sim, virt.blk2, 0x04, 2) & 7, 2);
	CHECK_EQ(pci_enum_set_master(&sim, &topo, blk2, true), PCI_ENUM_OK);
	/* Not for bridges, nor for functions nobody enabled. */
	CHECK_EQ(pci_enum_set_master(&sim, &topo, 4, true),
		 PCI_ENUM_ERR_BAD_ARGUMENT);
	CHECK_EQ(pci_enum_set_master(&sim, &topo, 6, true),
		 PCI_ENUM_ERR_BAD_ARGUMENT);
	CHECK_EQ(pci_sim_peek(&sim, virt.bridge, 0x04, 2) & 7, 0);
	CHECK_EQ(pci_sim_peek(&sim, virt.blk, 0x04, 2) & 7, 0);
	CHECK(topo.funcs[blk2].enabled);
	CHECK_EQ(topo.funcs[4].bridge.enabled_below, 1);
	/* Twice is harmless. */
	CHECK_EQ(pci_enum_enable(&sim, &topo, blk2), PCI_ENUM_OK);
	CHECK_EQ(topo.funcs[4].bridge.enabled_below, 1);
	/* A transitional device with assigned I/O BARs gets I/O too. */
	CHECK_EQ(pci_enum_enable(&sim, &topo, 7), PCI_ENUM_OK);
	CHECK_EQ(pci_sim_peek(&sim, virt.net2, 0x04, 2) & 7, 3);
	CHECK_EQ(pci_sim_peek(&sim, virt.bridge, 0x04, 2) & 7, 7);
	CHECK_EQ(pci_enum_disable(&sim, &topo, blk2), PCI_ENUM_OK);
	CHECK_EQ(pci_sim_peek(&sim, virt.blk2, 0x04, 2) & 7, 0);
	CHECK_EQ(pci_sim_peek(&sim, virt.root_port, 0x04, 2) & 7, 0);
	CHECK_EQ(pci_enum_disable(&sim, &topo, 7), PCI_ENUM_OK);
	CHECK(all_quiet());
	CHECK_EQ(pci_enum_enable(&sim, &topo, 99), PCI_ENUM_ERR_BAD_ARGUMENT);
	CHECK_EQ(pci_enum_disable(&sim, &topo, 8), PCI_ENUM_ERR_BAD_ARGUMENT);
	CHECK(sim_clean());
}

/** Root port -> pcie-pci bridge -> two devices; pci-bridge -> pci-bridge
 *  -> device. Returns the sim index of the first leaf device. */
static int build_nested(void)
{
	int rp;
	int pb;
	int b1;
	int b2;
	int leaf;

	pci_sim_init(&sim, 0);
	pci_sim_qemu_host(&sim, 0);
	rp = pci_sim_qemu_root_port(&sim, PCI_SIM_ROOT, 1);
	pb = pci_sim_add_bridge(
		&sim, pci_sim_child(&sim, rp), 0, 0, 0x1b36, 0x000e,
		PCI_SIM_BR_IO | PCI_SIM_BR_PREF | PCI_SIM_BR_PREF64);
	pci_sim_add_pcie_cap(&sim, pb, 0x8); /* PCIe-to-PCI bridge */
	leaf = pci_sim_qemu_virtio_blk(&sim, pci_sim_child(&sim, pb), 1, false);
	pci_sim_qemu_e1000e(&sim, pci_sim_child(&sim, pb), 2);
	b1 = pci_sim_qemu_pci_bridge(&sim, PCI_SIM_ROOT, 2);
	b2 = pci_sim_qemu_pci_bridge(&sim, pci_sim_child(&sim, b1), 3);
	pci_sim_qemu_virtio_net(&sim, pci_sim_child(&sim, b2), 4, false);
	pci_sim_qemu_virtio_blk(&sim, PCI_SIM_ROOT, 3, false);
	pci_sim_qemu_virt_config(&cfg);
	return leaf;
}

TEST(nested_bridges)
{
	CHECK(build_nested() >= 0);
	CHECK_EQ(pci_enum_run(&sim, &cfg, &topo), PCI_ENUM_OK);
	CHECK_EQ(topo.func_count, 9);
	CHECK_EQ(topo.funcs[1].bridge.secondary, 1);
	CHECK_EQ(topo.funcs[1].bridge.subordinate, 2);
	CHECK_EQ(topo.funcs[2].bridge.primary, 1);
	CHECK_EQ(topo.funcs[2].bridge.secondary, 2);
	CHECK_EQ(topo.funcs[2].bridge.subordinate, 2);
	CHECK_EQ(topo.funcs[5].bdf, PCI_BDF(0, 2, 0));
	CHECK_EQ(topo.funcs[5].bridge.secondary, 3);
	CHECK_EQ(topo.funcs[5].bridge.subordinate, 4);
	CHECK_EQ(topo.funcs[6].bridge.secondary, 4);
	CHECK_EQ(topo.funcs[7].bdf, PCI_BDF(4, 4, 0));
	CHECK_EQ(topo.funcs[8].bdf, PCI_BDF(0, 3, 0));
	CHECK(all_assigned());
	CHECK(bars_valid());
	CHECK(bridges_valid());
	/* Root port window holds the e1000e's 2 x 128K + 16K + 4K + ... */
	CHECK_EQ(topo.funcs[1].bridge.mem.size, 0x100000);
	CHECK(all_quiet());
	CHECK(sim_clean());
}

TEST(enable_refcount)
{
	CHECK(build_nested() >= 0);
	CHECK_EQ(pci_enum_run(&sim, &cfg, &topo), PCI_ENUM_OK);
	/* 02:01.0 and 02:02.0 hang below 00:01.0 -> 01:00.0. */
	CHECK_EQ(pci_enum_enable(&sim, &topo, 3), PCI_ENUM_OK);
	CHECK_EQ(pci_enum_enable(&sim, &topo, 4), PCI_ENUM_OK);
	CHECK_EQ(topo.funcs[1].bridge.enabled_below, 2);
	CHECK_EQ(pci_enum_disable(&sim, &topo, 3), PCI_ENUM_OK);
	CHECK_EQ(topo.funcs[2].bridge.enabled_below, 1);
	CHECK(topo.funcs[2].command & 0x2);
	CHECK(topo.funcs[1].command & 0x4);
	CHECK_EQ(pci_enum_disable(&sim, &topo, 4), PCI_ENUM_OK);
	CHECK(all_quiet());
}

TEST(restart_reenumerates)
{
	static struct pci_topology first;

	CHECK_EQ(run_virt(), PCI_ENUM_OK);
	first = topo;
	CHECK_EQ(pci_enum_enable(&sim, &topo, 5), PCI_ENUM_OK);
	CHECK_EQ(pci_enum_enable(&sim, &topo, 7), PCI_ENUM_OK);
	/* Stale, conflicting bus numbers from a confused earlier owner. */
	pci_sim_poke(&sim, virt.root_port, 0x18, 4, 0x00050100);
	pci_sim_poke(&sim, virt.bridge, 0x18, 4, 0x00050100);
	CHECK_EQ(pci_enum_run(&sim, &cfg, &topo), PCI_ENUM_OK);
	CHECK(all_quiet());
	CHECK(sim_clean());
	CHECK_EQ(topo.func_count, first.func_count);
	for (uint16_t i = 0; i < topo.func_count; i++) {
		CHECK_EQ(topo.funcs[i].bdf, first.funcs[i].bdf);
		for (int b = 0; b < 6; b++) {
			CHECK_EQ(topo.funcs[i].bars[b].addr,
				 first.funcs[i].bars[b].addr);
		}
	}
	CHECK(bridges_valid());
}

TEST(misaligned_host_windows)
{
	pci_sim_qemu_virt(&sim, &virt);
	pci_sim_qemu_virt_config(&cfg);
	cfg.mem32.bus_base = cfg.mem32.cpu_base = 0x10004000;
	cfg.mem32.size = 0x1000000;
	cfg.pref.bus_base = cfg.pref.cpu_base = 0x8000004000ull;
	cfg.io.bus_base = 0x1100;
	cfg.io.size = 0x8000;
	CHECK_EQ(pci_enum_run(&sim, &cfg, &topo), PCI_ENUM_OK);
	CHECK(all_assigned());
	CHECK(bars_valid());
	CHECK(bridges_valid());
	CHECK_EQ(topo.funcs[4].bridge.mem.base, 0x10100000);
	CHECK_EQ(topo.funcs[4].bridge.pref.base, 0x8000100000ull);
	CHECK_EQ(topo.funcs[6].bridge.io.base, 0x2000);
	CHECK(sim_clean());
}

TEST(bus_range_offset)
{
	pci_sim_qemu_virt(&sim, &virt);
	sim.root_bus = 0x10;
	pci_sim_qemu_virt_config(&cfg);
	cfg.bus_start = 0x10;
	cfg.bus_end = 0x1f;
	CHECK_EQ(pci_enum_run(&sim, &cfg, &topo), PCI_ENUM_OK);
	CHECK_EQ(topo.func_count, 8);
	CHECK_EQ(topo.funcs[0].bdf, PCI_BDF(0x10, 0, 0));
	CHECK_EQ(topo.funcs[4].bridge.primary, 0x10);
	CHECK_EQ(topo.funcs[4].bridge.secondary, 0x11);
	CHECK_EQ(topo.funcs[5].bdf, PCI_BDF(0x11, 0, 0));
	CHECK_EQ(topo.funcs[7].bdf, PCI_BDF(0x12, 1, 0));
	CHECK(sim_clean());
}

TEST(multifunction)
{
	int f0;
	int f1;
	int f3;
	int alias;

	pci_sim_init(&sim, 0);
	f0 = pci_sim_add_func(&sim, PCI_SIM_ROOT, 1, 0, 0x8086, 0x2918,
			      0x060100u << 8);
	pci_sim_set_multifunction(&sim, f0);
	f1 = pci_sim_add_func(&sim, PCI_SIM_ROOT, 1, 1, 0x8086, 0x2922,
			      0x010601u << 8 | 2);
	pci_sim_set_bar(&sim, f1, 5, PCI_SIM_BAR_MEM32, 0x1000);
	f3 = pci_sim_add_func(&sim, PCI_SIM_ROOT, 1, 3, 0x8086, 0x2930,
			      0x0c0500u << 8 | 2);
	pci_sim_set_bar(&sim, f3, 4, PCI_SIM_BAR_IO, 0x40);
	alias = pci_sim_add_func(&sim, PCI_SIM_ROOT, 2, 0, 0x1234, 0x1111,
				 0x030000u << 8);
	pci_sim_set_alias(&sim, alias);
	pci_sim_qemu_virt_config(&cfg);
	CHECK_EQ(pci_enum_run(&sim, &cfg, &topo), PCI_ENUM_OK);
	CHECK_EQ(topo.func_count, 4);
	CHECK_EQ(topo.funcs[0].bdf, PCI_BDF(0, 1, 0));
	CHECK_EQ(topo.funcs[1].bdf, PCI_BDF(0, 1, 1));
	CHECK_EQ(topo.funcs[2].bdf, PCI_BDF(0, 1, 3));
	CHECK_EQ(topo.funcs[3].bdf, PCI_BDF(0, 2, 0));
	CHECK_EQ(topo.funcs[0].header_type, 0x80);
	CHECK_EQ(topo.funcs[1].revision, 2);
	CHECK_EQ(topo.funcs[1].class_code, 0x010601);
	CHECK(bars_valid());
	CHECK(sim_clean());
}

TEST(capabilities)
{
	int e;
	int loop;

	pci_sim_init(&sim, 0);
	e = pci_sim_qemu_e1000e(&sim, PCI_SIM_ROOT, 1);
	loop = pci_sim_add_func(&sim, PCI_SIM_ROOT, 2, 0, 0x1234, 0x5678, 0);
	pci_sim_add_cap(&sim, loop, 0x05, 16);
	pci_sim_add_cap(&sim, loop, 0x11, 12);
	/* Broken hardware: the second capability points back at the first. */
	pci_sim_poke(&sim, loop, 0x51, 1, 0x40);
	pci_sim_qemu_virt_config(&cfg);
	CHECK_EQ(pci_enum_run(&sim, &cfg, &topo), PCI_ENUM_OK);
	/* List order, as QEMU chains them: c8 -> d0 -> e0 -> a0. */
	CHECK_EQ(topo.funcs[0].cap_count, 4);
	CHECK_EQ(topo.funcs[0].caps[0].id, 0x01);
	CHECK_EQ(topo.funcs[0].caps[0].offset, 0xc8);
	CHECK_EQ(topo.funcs[0].caps[1].id, 0x05);
	CHECK_EQ(topo.funcs[0].caps[2].id, 0x10);
	CHECK_EQ(topo.funcs[0].caps[3].id, 0x11);
	CHECK_EQ(topo.funcs[0].caps[3].offset, 0xa0);
	CHECK_EQ(topo.funcs[0].pcie_type, 0x9);
	CHECK_EQ(topo.funcs[1].cap_count, PCI_ENUM_MAX_CAPS);
	CHECK_EQ(topo.funcs[1].pcie_type, 0xff);
	CHECK(e >= 0);
}

TEST(pref32_falls_back_to_mem32)
{
	int d;
	int b;
	int d2;

	pci_sim_init(&sim, 0);
	d = pci_sim_add_func(&sim, PCI_SIM_ROOT, 1, 0, 0x1234, 1, 0);
	pci_sim_set_bar(&sim, d, 0, PCI_SIM_BAR_MEM32_PREF, 0x200000);
	pci_sim_set_bar(&sim, d, 1, PCI_SIM_BAR_MEM64_PREF, 0x200000);
	/* A bridge whose prefetchable window is 32-bit only. */
	b = pci_sim_add_bridge(&sim, PCI_SIM_ROOT, 2, 0, 0x1234, 2,
			       PCI_SIM_BR_PREF);
	d2 = pci_sim_add_func(&sim, pci_sim_child(&sim, b), 0, 0, 0x1234, 3, 0);
	pci_sim_set_bar(&sim, d2, 0, PCI_SIM_BAR_MEM64_PREF, 0x4000);
	pci_sim_qemu_virt_config(&cfg);
	CHECK_EQ(pci_enum_run(&sim, &cfg, &topo), PCI_ENUM_OK);
	CHECK_EQ(topo.funcs[0].bars[0].kind, PCI_RES_MEM);
	CHECK_EQ(topo.funcs[0].bars[1].kind, PCI_RES_PREF);
	CHECK(!topo.funcs[1].bridge.pref64);
	CHECK_EQ(topo.funcs[2].bars[0].kind, PCI_RES_MEM);
	CHECK_EQ(topo.funcs[1].bridge.pref.size, 0);
	CHECK_EQ(topo.funcs[1].bridge.mem.size, 0x100000);
	CHECK(bars_valid());
	CHECK(bridges_valid());

	/* Without a prefetchable host window everything goes to mem32. */
	cfg.pref.size = 0;
	CHECK_EQ(pci_enum_run(&sim, &cfg, &topo), PCI_ENUM_OK);
	CHECK_EQ(topo.funcs[0].bars[1].kind, PCI_RES_MEM);
	CHECK(topo.funcs[0].bars[1].addr < 0x100000000ull);
	CHECK_EQ(pci_sim_peek(&sim, d, 0x18, 4), 0);
	CHECK(bars_valid());
	CHECK(bridges_valid());
	CHECK(sim_clean());
}

TEST(no_io_window)
{
	pci_sim_qemu_virt(&sim, &virt);
	pci_sim_qemu_virt_config(&cfg);
	cfg.io.size = 0;
	CHECK_EQ(pci_enum_run(&sim, &cfg, &topo), PCI_ENUM_ERR_NO_WINDOW);
	CHECK_EQ(topo.error_count, 4); /* blk, net, e1000e, net2 */
	CHECK(error_is(0, PCI_ENUM_ERR_NO_WINDOW, PCI_BDF(0, 1, 0), 0));
	CHECK_EQ(topo.errors[0].size, 0x80);
	CHECK(!(topo.funcs[1].bars[0].flags & PCI_BAR_F_ASSIGNED));
	CHECK_EQ(pci_sim_peek(&sim, virt.blk, 0x10, 4), 1); /* I/O, addr 0 */
	CHECK_EQ(topo.funcs[6].bridge.io.size, 0);
	CHECK(bars_valid());
	CHECK(bridges_valid());
	/* Memory still works; I/O decoding stays off. */
	CHECK_EQ(pci_enum_enable(&sim, &topo, 1), PCI_ENUM_OK);
	CHECK_EQ(pci_sim_peek(&sim, virt.blk, 0x04, 2) & 7, 2);
	CHECK(sim_clean());
}

TEST(bridge_without_io_window)
{
	int b;
	int d;

	pci_sim_init(&sim, 0);
	b = pci_sim_add_bridge(&sim, PCI_SIM_ROOT, 1, 0, 0x1234, 2,
			       PCI_SIM_BR_PREF | PCI_SIM_BR_PREF64);
	d = pci_sim_qemu_virtio_net(&sim, pci_sim_child(&sim, b), 0, false);
	pci_sim_qemu_virt_config(&cfg);
	CHECK_EQ(pci_enum_run(&sim, &cfg, &topo), PCI_ENUM_ERR_NO_WINDOW);
	CHECK(error_is(0, PCI_ENUM_ERR_NO_WINDOW, PCI_BDF(1, 0, 0), 0));
	CHECK(!topo.funcs[0].bridge.has_io);
	CHECK_EQ(pci_sim_peek(&sim, d, 0x10, 4), 1);
	CHECK(topo.funcs[1].bars[4].flags & PCI_BAR_F_ASSIGNED);
	CHECK(bars_valid());
	CHECK(bridges_valid());
}

TEST(window_exhausted)
{
	int n;

	pci_sim_qemu_virt(&sim, &virt);
	pci_sim_qemu_virt_config(&cfg);
	/* 1 MiB + 64 KiB: the root port window and the small BARs fit; the
	 * pci-bridge window and the e1000e's 128 KiB BARs do not. */
	cfg.mem32.size = 0x110000;
	CHECK_EQ(pci_enum_run(&sim, &cfg, &topo),
		 PCI_ENUM_ERR_WINDOW_EXHAUSTED);
	CHECK_EQ(topo.func_count, 8);
	CHECK_EQ(topo.error_count, 3);
	n = find_error(PCI_BDF(0, 5, 0), PCI_SLOT_MEM_WINDOW);
	CHECK(n >= 0);
	CHECK_EQ(topo.errors[n].code, PCI_ENUM_ERR_WINDOW_EXHAUSTED);
	CHECK_EQ(topo.errors[n].size, 0x100000);
	CHECK_EQ(topo.errors[n].func, 6);
	n = find_error(PCI_BDF(0, 3, 0), 0);
	CHECK(n >= 0);
	CHECK_EQ(topo.errors[n].size, 0x20000);
	/* Unplaced: unassigned in the topology, 0 in hardware. */
	CHECK(!(topo.funcs[3].bars[0].flags & PCI_BAR_F_ASSIGNED));
	CHECK_EQ(topo.funcs[3].bars[0].addr, 0);
	CHECK_EQ(pci_sim_peek(&sim, virt.e1000e, 0x10, 4), 0);
	CHECK(find_error(PCI_BDF(0, 3, 0), 1) >= 0);
	CHECK(topo.funcs[3].bars[3].flags & PCI_BAR_F_ASSIGNED);
	CHECK_EQ(topo.funcs[6].bridge.mem.size, 0);
	CHECK(!(topo.funcs[7].bars[1].flags & PCI_BAR_F_ASSIGNED));
	/* The rest is still consistent and usable. */
	CHECK(topo.funcs[4].bridge.mem.size == 0x100000);
	CHECK(topo.funcs[5].bars[1].flags & PCI_BAR_F_ASSIGNED);
	CHECK(topo.funcs[7].bars[4].flags & PCI_BAR_F_ASSIGNED);
	CHECK(bars_valid());
	CHECK(bridges_valid());
	CHECK_EQ(pci_enum_enable(&sim, &topo, 5), PCI_ENUM_OK);
	CHECK_EQ(pci_enum_enable(&sim, &topo, 7), PCI_ENUM_ERR_UNASSIGNED);
	CHECK_EQ(pci_sim_peek(&sim, virt.net2, 0x04, 2) & 7, 0);
	CHECK_EQ(pci_sim_peek(&sim, virt.bridge, 0x04, 2) & 7, 0);
	CHECK_EQ(pci_enum_enable(&sim, &topo, 3), PCI_ENUM_ERR_UNASSIGNED);
	CHECK(sim_clean());
}

TEST(huge_bars_reported)
{
	int d;

	pci_sim_init(&sim, 0);
	d = pci_sim_add_func(&sim, PCI_SIM_ROOT, 1, 0, 0x1234, 1, 0);
	pci_sim_set_bar(&sim, d, 0, PCI_SIM_BAR_MEM64_PREF, 1ull << 40);
	pci_sim_set_bar(&sim, d, 2, PCI_SIM_BAR_MEM64, 1ull << 33);
	pci_sim_set_bar(&sim, d, 4, PCI_SIM_BAR_MEM64_PREF, 1ull << 38);
	pci_sim_qemu_virt_config(&cfg);
	CHECK_EQ(pci_enum_run(&sim, &cfg, &topo),
		 PCI_ENUM_ERR_WINDOW_EXHAUSTED);
	CHECK_EQ(topo.error_count, 2);
	CHECK_EQ(topo.funcs[0].bars[0].size, 1ull << 40);
	CHECK(error_is(find_error(PCI_BDF(0, 1, 0), 2),
		       PCI_ENUM_ERR_WINDOW_EXHAUSTED, PCI_BDF(0, 1, 0), 2));
	CHECK(error_is(find_error(PCI_BDF(0, 1, 0), 0),
		       PCI_ENUM_ERR_WINDOW_EXHAUSTED, PCI_BDF(0, 1, 0), 0));
	CHECK_EQ(topo.funcs[0].bars[4].addr, 0x8000000000ull);
	CHECK_EQ(pci_sim_peek(&sim, d, 0x10, 4), 0xc);
	CHECK_EQ(pci_sim_peek(&sim, d, 0x14, 4), 0);
	CHECK(bars_valid());
}

TEST(too_many_buses)
{
	pci_sim_qemu_virt(&sim, &virt);
	pci_sim_qemu_virt_config(&cfg);
	cfg.bus_end = 1;
	CHECK_EQ(pci_enum_run(&sim, &cfg, &topo), PCI_ENUM_ERR_OUT_OF_BUSES);
	CHECK_EQ(topo.func_count, 7); /* 02:01.0 unreachable */
	CHECK(error_is(0, PCI_ENUM_ERR_OUT_OF_BUSES, PCI_BDF(0, 5, 0),
		       PCI_SLOT_NONE));
	CHECK_EQ(topo.errors[0].func, 6);
	CHECK_EQ(topo.funcs[6].bridge.secondary, 0);
	CHECK_EQ(pci_sim_peek(&sim, virt.bridge, 0x18, 4) & 0xffffff, 0);
	CHECK_EQ(topo.funcs[6].bridge.mem.size, 0);
	CHECK_EQ(topo.last_bus, 1);
	CHECK(topo.funcs[6].bars[0].flags & PCI_BAR_F_ASSIGNED);
	CHECK(bars_valid());
	CHECK(bridges_valid());
	CHECK(sim_clean());

	/* Only the root bus: no bridge can be opened. */
	cfg.bus_end = 0;
	CHECK_EQ(pci_enum_run(&sim, &cfg, &topo), PCI_ENUM_ERR_OUT_OF_BUSES);
	CHECK_EQ(topo.func_count, 6);
	CHECK_EQ(topo.error_count, 2);
	CHECK(sim_clean());
}

TEST(too_many_functions)
{
	int n = 0;

	pci_sim_init(&sim, 0);
	for (uint8_t dev = 0; dev < 17; dev++) {
		for (uint8_t fn = 0; fn < 8; fn++) {
			int m = pci_sim_add_func(&sim, PCI_SIM_ROOT, dev, fn,
						 0x1234, (uint16_t)n++, 0);

			pci_sim_set_bar(&sim, m, 0, PCI_SIM_BAR_MEM32, 0x1000);
			pci_sim_poke(&sim, m, 0x04, 2, 0x6);
			if (fn == 0) {
				pci_sim_set_multifunction(&sim, m);
			}
		}
	}
	pci_sim_qemu_virt_config(&cfg);
	CHECK_EQ(pci_enum_run(&sim, &cfg, &topo), PCI_ENUM_ERR_TOO_MANY_FUNCS);
	CHECK_EQ(topo.func_count, PCI_ENUM_MAX_FUNCS);
	CHECK_EQ(topo.error_count, 8);
	CHECK(error_is(0, PCI_ENUM_ERR_TOO_MANY_FUNCS, PCI_BDF(0, 16, 0),
		       PCI_SLOT_NONE));
	CHECK_EQ(topo.errors[0].func, PCI_ENUM_NONE);
	CHECK(all_quiet());
	CHECK(all_assigned());
	CHECK(bars_valid());
	CHECK(sim_clean());
}

TEST(bad_config)
{
	pci_sim_qemu_virt(&sim, &virt);
	pci_sim_qemu_virt_config(&cfg);
	cfg.bus_start = 5;
	cfg.bus_end = 4;
	CHECK_EQ(pci_enum_run(&sim, &cfg, &topo), PCI_ENUM_ERR_BAD_ARGUMENT);
	CHECK_EQ(topo.func_count, 0);
	pci_sim_qemu_virt_config(&cfg);
	cfg.mem32.size = 0xf0000001ull; /* beyond 4 GiB */
	CHECK_EQ(pci_enum_run(&sim, &cfg, &topo), PCI_ENUM_ERR_BAD_ARGUMENT);
	pci_sim_qemu_virt_config(&cfg);
	cfg.pref.size = ~0ull; /* wraps */
	CHECK_EQ(pci_enum_run(&sim, &cfg, &topo), PCI_ENUM_ERR_BAD_ARGUMENT);
	CHECK_EQ(sim.writes, 0);
	CHECK(pci_enum_status_str(PCI_ENUM_ERR_BAD_ARGUMENT)[0] != '\0');
}

TEST(intx_route)
{
	uint8_t dev;
	uint8_t pin;

	CHECK_EQ(run_virt(), PCI_ENUM_OK);
	/* 02:01.0 INTA -> pci-bridge 00:05.0 swizzles by device 1 -> INTB. */
	CHECK(pci_topo_intx_route(&topo, 7, &dev, &pin));
	CHECK_EQ(dev, 5);
	CHECK_EQ(pin, 2);
	CHECK(pci_topo_intx_route(&topo, 5, &dev, &pin));
	CHECK_EQ(dev, 4);
	CHECK_EQ(pin, 1);
	CHECK(pci_topo_intx_route(&topo, 3, &dev, &pin));
	CHECK_EQ(dev, 3);
	CHECK(!pci_topo_intx_route(&topo, 0, &dev, &pin)); /* host: no pin */
}

TEST(cpu_addresses)
{
	const struct pci_bar *io;

	CHECK_EQ(run_virt(), PCI_ENUM_OK);
	io = &topo.funcs[1].bars[0];
	CHECK_EQ(pci_topo_cpu_addr(&topo, io->kind, io->addr),
		 0x3eff0000ull + io->addr);
	CHECK_EQ(pci_topo_cpu_addr(&topo, PCI_RES_PREF,
				   topo.funcs[1].bars[4].addr),
		 topo.funcs[1].bars[4].addr);
	CHECK_EQ(pci_topo_cpu_addr(&topo, PCI_RES_MEM, 0x1000), 0);
	CHECK_EQ(pci_topo_find(&topo, PCI_BDF(9, 0, 0)), PCI_ENUM_NONE);
	CHECK_EQ(pci_topo_next_by_bdf(&topo, PCI_ENUM_NONE), 0);
	CHECK_EQ(pci_topo_next_by_bdf(&topo, 6), 5); /* 00:05.0 -> 01:00.0 */
	CHECK_EQ(pci_topo_next_by_bdf(&topo, 7), PCI_ENUM_NONE);
}

TEST_MAIN("pci_enum", TEST_ENTRY(qemu_virt_all_found),
	  TEST_ENTRY(qemu_virt_bus_numbers), TEST_ENTRY(qemu_virt_bars_valid),
	  TEST_ENTRY(qemu_virt_bridge_windows), TEST_ENTRY(qemu_virt_bar_kinds),
	  TEST_ENTRY(qemu_virt_decode_off), TEST_ENTRY(enable_disable),
	  TEST_ENTRY(nested_bridges), TEST_ENTRY(enable_refcount),
	  TEST_ENTRY(restart_reenumerates), TEST_ENTRY(misaligned_host_windows),
	  TEST_ENTRY(bus_range_offset), TEST_ENTRY(multifunction),
	  TEST_ENTRY(capabilities), TEST_ENTRY(pref32_falls_back_to_mem32),
	  TEST_ENTRY(no_io_window), TEST_ENTRY(bridge_without_io_window),
	  TEST_ENTRY(window_exhausted), TEST_ENTRY(huge_bars_reported),
	  TEST_ENTRY(too_many_buses), TEST_ENTRY(too_many_functions),
	  TEST_ENTRY(bad_config), TEST_ENTRY(intx_route),
	  TEST_ENTRY(cpu_addresses))
