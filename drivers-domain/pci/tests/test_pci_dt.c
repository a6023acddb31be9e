/* SPDX-License-Identifier: MIT */
/*
 * Host tests of the host bridge parser (pci_dt.c) against device trees
 * built here with libfdt's sequential writer: QEMU virt's pcie node as QEMU
 * 7.2 generates it, and broken variants of it.
 */
#include <libfdt.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "../pci_dt.h"
#include "test.h"

/** What one test's tree looks like; virt() fills in QEMU's values. */
struct tree {
	uint32_t reg[4];	/**< ECAM: base-hi base-lo size-hi size-lo. */
	uint32_t bus_range[2];
	bool no_bus_range;
	const uint32_t *ranges; /**< Cells of `ranges`. */
	int ranges_cells;
	bool with_map;
	const char *intc_compat;
	const char *status;	/**< Of the first pcie node (NULL: none). */
	bool second_node;	/**< Another, enabled, node after it. */
};

/* libfdt wants a tree 8-byte aligned (FDT_ERR_ALIGNMENT otherwise); a
 * byte array has no such alignment of its own on every host (s390x). */
static uint8_t blob[16384] __attribute__((aligned(8)));
static struct pci_dt_host host;
static char err[160];

/** QEMU virt's `ranges`: I/O 64K, mem32 at 0x10000000, 64-bit at 512G. */
static const uint32_t virt_ranges[] = {
	0x01000000, 0x00, 0x00000000, 0x00, 0x3eff0000, 0x00, 0x00010000,
	0x02000000, 0x00, 0x10000000, 0x00, 0x10000000, 0x00, 0x2eff0000,
	0x03000000, 0x80, 0x00000000, 0x80, 0x00000000, 0x80, 0x00000000,
};

/** QEMU virt's INTx map: slot d, pin p -> SPI 3 + (d + p - 1) % 4. */
static void put_map(void)
{
	uint32_t cells[16 * 10];
	int n = 0;

	for (uint32_t d = 0; d < 4; d++) {
		for (uint32_t p = 1; p <= 4; p++) {
			uint32_t e[10] = {d << 11, 0, 0, p, 0x8002, 0, 0,
					  0, 3 + (d + p - 1) % 4, 4};

			for (int i = 0; i < 10; i++) {
				cells[n++] = cpu_to_fdt32(e[i]);
			}
		}
	}
	fdt_property(blob, "interrupt-map", cells, (int)sizeof(cells));
}

/** Writes `n` cells as one property. */
static void put_cells(const char *name, const uint32_t *v, int n)
{
	uint32_t c[32];

	for (int i = 0; i < n; i++) {
		c[i] = cpu_to_fdt32(v[i]);
	}
	fdt_property(blob, name, c, n * 4);
}

/** The pcie node. */
static void put_pcie(const struct tree *t, const char *name,
		     const char *status)
{
	static const uint32_t mask[4] = {0x1800, 0, 0, 7};

	fdt_begin_node(blob, name);
	fdt_property_string(blob, "compatible", "pci-host-ecam-generic");
	if (status != NULL) {
		fdt_property_string(blob, "status", status);
	}
	fdt_property_u32(blob, "#address-cells", 3);
	fdt_property_u32(blob, "#size-cells", 2);
	fdt_property_u32(blob, "#interrupt-cells", 1);
	put_cells("reg", t->reg, 4);
	if (!t->no_bus_range) {
		put_cells("bus-range", t->bus_range, 2);
	}
	put_cells("ranges", t->ranges, t->ranges_cells);
	if (t->with_map) {
		put_cells("interrupt-map-mask", mask, 4);
		put_map();
	}
	fdt_end_node(blob);
}

/** Builds the tree described by `t` into blob. */
static void build(const struct tree *t)
{
	fdt_create(blob, sizeof(blob));
	fdt_finish_reservemap(blob);
	fdt_begin_node(blob, "");
	fdt_property_u32(blob, "#address-cells", 2);
	fdt_property_u32(blob, "#size-cells", 2);
	fdt_begin_node(blob, "intc@8000000");
	fdt_property_string(blob, "compatible", t->intc_compat);
	fdt_property(blob, "interrupt-controller", NULL, 0);
	fdt_property_u32(blob, "#address-cells", 2);
	fdt_property_u32(blob, "#interrupt-cells", 3);
	fdt_property_u32(blob, "phandle", 0x8002);
	fdt_end_node(blob);
	put_pcie(t, "pcie@10000000", t->status);
	if (t->second_node) {
		struct tree u = *t;

		u.reg[1] = 0x20000000;
		put_pcie(&u, "pcie@20000000", NULL);
	}
	fdt_end_node(blob);
	fdt_finish(blob);
}

/** QEMU virt's tree. */
static struct tree virt(void)
{
	struct tree t = {
		.reg = {0x40, 0x10000000, 0, 0x10000000},
		.bus_range = {0, 0xff},
		.ranges = virt_ranges,
		.ranges_cells = 21,
		.with_map = true,
		.intc_compat = "arm,gic-v3",
	};

	return t;
}

/** Parses blob; returns pci_dt_parse()'s result. */
static int parse(void)
{
	err[0] = '\0';
	return pci_dt_parse(blob, &host, err, sizeof(err));
}

TEST(qemu_virt)
{
	struct tree t = virt();

	build(&t);
	CHECK_EQ(parse(), 0);
	CHECK_EQ(host.ecam_base, 0x4010000000ull);
	CHECK_EQ(host.ecam_size, 0x10000000ull);
	CHECK_EQ(host.config.bus_start, 0);
	CHECK_EQ(host.config.bus_end, 0xff);
	CHECK_EQ(host.config.io.bus_base, 0);
	CHECK_EQ(host.config.io.cpu_base, 0x3eff0000ull);
	CHECK_EQ(host.config.io.size, 0x10000);
	CHECK_EQ(host.config.mem32.bus_base, 0x10000000ull);
	CHECK_EQ(host.config.mem32.cpu_base, 0x10000000ull);
	CHECK_EQ(host.config.mem32.size, 0x2eff0000ull);
	CHECK_EQ(host.config.pref.bus_base, 0x8000000000ull);
	CHECK_EQ(host.config.pref.cpu_base, 0x8000000000ull);
	CHECK_EQ(host.config.pref.size, 0x8000000000ull);
	CHECK_EQ(host.intx_count, 16);
}

TEST(intx_lookup)
{
	struct tree t = virt();
	uint8_t trigger = 0xff;

	build(&t);
	CHECK_EQ(parse(), 0);
	CHECK_EQ(pci_dt_intx_lookup(&host, 0, 1, &trigger), 35);
	CHECK_EQ(trigger, PCI_DT_LEVEL);
	CHECK_EQ(pci_dt_intx_lookup(&host, 1, 1, &trigger), 36);
	CHECK_EQ(pci_dt_intx_lookup(&host, 3, 4, &trigger), 37);
	/* The mask keeps device bits 12:11 only: slot 4 is slot 0 again. */
	CHECK_EQ(pci_dt_intx_lookup(&host, 4, 1, &trigger), 35);
	CHECK_EQ(pci_dt_intx_lookup(&host, 5, 2, &trigger), 37);
	CHECK_EQ(pci_dt_intx_lookup(&host, 31, 4, &trigger), 37);
	CHECK_EQ(pci_dt_intx_lookup(&host, 0, 0, &trigger), 0);
}

TEST(no_interrupt_map)
{
	struct tree t = virt();
	uint8_t trigger;

	t.with_map = false;
	build(&t);
	CHECK_EQ(parse(), 0);
	CHECK_EQ(host.intx_count, 0);
	CHECK_EQ(pci_dt_intx_lookup(&host, 1, 1, &trigger), 0);
}

TEST(bus_range_clamped_to_ecam)
{
	struct tree t = virt();

	t.reg[3] = 16u << 20; /* ECAM for 16 buses only. */
	build(&t);
	CHECK_EQ(parse(), 0);
	CHECK_EQ(host.config.bus_start, 0);
	CHECK_EQ(host.config.bus_end, 15);
	t.bus_range[0] = 0x10;
	t.bus_range[1] = 0x1f;
	build(&t);
	CHECK_EQ(parse(), 0);
	CHECK_EQ(host.config.bus_start, 0x10);
	CHECK_EQ(host.config.bus_end, 0x1f);
	t.no_bus_range = true;
	build(&t);
	CHECK_EQ(parse(), 0);
	CHECK_EQ(host.config.bus_end, 15);
}

TEST(disabled_node_skipped)
{
	struct tree t = virt();

	t.status = "disabled";
	t.second_node = true;
	build(&t);
	CHECK_EQ(parse(), 0);
	CHECK_EQ(host.ecam_base, 0x4020000000ull);
}

TEST(missing_node)
{
	struct tree t = virt();

	t.status = "disabled";
	build(&t);
	CHECK_EQ(parse(), -1);
	CHECK(strstr(err, "no pci-host-ecam-generic node") != NULL);
	memset(blob, 0x5a, sizeof(blob));
	CHECK_EQ(parse(), -1);
	CHECK(strstr(err, "not a flattened device tree") != NULL);
}

TEST(bad_properties_reported)
{
	static const uint32_t short_ranges[6] = {0x02000000, 0, 0x10000000, 0,
						 0x10000000, 0};
	static const uint32_t io_only[7] = {0x01000000, 0, 0, 0, 0x3eff0000,
					    0, 0x10000};
	struct tree t = virt();

	t.bus_range[0] = 5;
	t.bus_range[1] = 4;
	build(&t);
	CHECK_EQ(parse(), -1);
	CHECK(strstr(err, "/pcie@10000000: 'bus-range'") != NULL);
	t = virt();
	t.ranges = short_ranges;
	t.ranges_cells = 6;
	build(&t);
	CHECK_EQ(parse(), -1);
	CHECK(strstr(err, "'ranges'") != NULL);
	t.ranges = io_only;
	t.ranges_cells = 7;
	build(&t);
	CHECK_EQ(parse(), -1);
	CHECK(strstr(err, "no memory window") != NULL);
	t = virt();
	t.reg[3] = 0x1000; /* Not even one bus. */
	build(&t);
	CHECK_EQ(parse(), -1);
	CHECK(strstr(err, "'reg'") != NULL);
}

TEST(non_gic_parent_refused)
{
	struct tree t = virt();

	t.intc_compat = "vendor,other-pic";
	build(&t);
	CHECK_EQ(parse(), -1);
	CHECK(strstr(err, "'interrupt-map'") != NULL);
}

TEST(error_buffer_bounded)
{
	struct tree t = virt();
	char tiny[8];

	t.intc_compat = "vendor,other-pic";
	build(&t);
	memset(tiny, 'x', sizeof(tiny));
	CHECK_EQ(pci_dt_parse(blob, &host, tiny, sizeof(tiny)), -1);
	CHECK(memchr(tiny, '\0', sizeof(tiny)) != NULL);
	CHECK_EQ(pci_dt_parse(blob, &host, NULL, 0), -1);
}

TEST_MAIN("pci_dt", TEST_ENTRY(qemu_virt), TEST_ENTRY(intx_lookup),
	  TEST_ENTRY(no_interrupt_map), TEST_ENTRY(bus_range_clamped_to_ecam),
	  TEST_ENTRY(disabled_node_skipped), TEST_ENTRY(missing_node),
	  TEST_ENTRY(bad_properties_reported),
	  TEST_ENTRY(non_gic_parent_refused), TEST_ENTRY(error_buffer_bounded))
