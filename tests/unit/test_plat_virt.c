/* SPDX-License-Identifier: MIT */
/*
 * Backend choice (plat_select.c), topology (plat_topo.c) and the qemu-virt
 * backend (plat_virt.c) against the register model: trees shaped like the
 * one QEMU 7.2 generates for `virt`, and broken or unknown variants.
 */
#include <libfdt.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "../../drivers-domain/platform/plat.h"
#include "plat_model.h"
#include "test.h"

static uint8_t blob[16384] __attribute__((aligned(8)));
static struct plat_ctx ctx;
static char err[160];

struct tree {
	const char *root_compat;
	bool pl031;
	bool keys;
	uint32_t key_pin;
	uint32_t key_code;
	uint32_t nodes;          /* memory nodes with numa-node-id (0: none) */
	const uint32_t *matrix;  /* distance-matrix cells */
	int matrix_cells;
};

static void reg(uint64_t base, uint64_t size)
{
	fdt32_t c[4] = { cpu_to_fdt32((uint32_t)(base >> 32)),
			 cpu_to_fdt32((uint32_t)base),
			 cpu_to_fdt32((uint32_t)(size >> 32)),
			 cpu_to_fdt32((uint32_t)size) };

	fdt_property(blob, "reg", c, sizeof(c));
}

static void build(const struct tree *t)
{
	char name[32];

	fdt_create(blob, sizeof(blob));
	fdt_finish_reservemap(blob);
	fdt_begin_node(blob, "");
	fdt_property_string(blob, "compatible", t->root_compat);
	fdt_property_u32(blob, "#address-cells", 2);
	fdt_property_u32(blob, "#size-cells", 2);
	for (uint32_t n = 0; n < (t->nodes ? t->nodes : 1); n++) {
		snprintf(name, sizeof(name), "memory@%x", 0x40000000 + n * 0x40000000);
		fdt_begin_node(blob, name);
		fdt_property_string(blob, "device_type", "memory");
		reg(0x40000000ull + n * 0x40000000ull, 0x40000000);
		if (t->nodes) {
			fdt_property_u32(blob, "numa-node-id", n);
		}
		fdt_end_node(blob);
	}
	if (t->matrix) {
		fdt_begin_node(blob, "distance-map");
		fdt_property_string(blob, "compatible", "numa-distance-map-v1");
		{
			fdt32_t m[16];

			for (int i = 0; i < t->matrix_cells; i++) {
				m[i] = cpu_to_fdt32(t->matrix[i]);
			}
			fdt_property(blob, "distance-matrix", m,
				     t->matrix_cells * 4);
		}
		fdt_end_node(blob);
	}
	if (t->pl031) {
		fdt_begin_node(blob, "pl031@9010000");
		fdt_property(blob, "compatible", "arm,pl031\0arm,primecell",
			     sizeof("arm,pl031\0arm,primecell"));
		reg(0x09010000, 0x1000);
		fdt_end_node(blob);
	}
	fdt_begin_node(blob, "pl061@9030000");
	fdt_property_u32(blob, "phandle", 0x8005);
	fdt_property(blob, "compatible", "arm,pl061\0arm,primecell",
		     sizeof("arm,pl061\0arm,primecell"));
	reg(0x09030000, 0x1000);
	fdt_end_node(blob);
	if (t->keys) {
		fdt32_t gpios[3] = { cpu_to_fdt32(0x8005),
				     cpu_to_fdt32(t->key_pin), 0 };

		fdt_begin_node(blob, "gpio-keys");
		fdt_property_string(blob, "compatible", "gpio-keys");
		fdt_begin_node(blob, "poweroff");
		fdt_property(blob, "gpios", gpios, sizeof(gpios));
		fdt_property_u32(blob, "linux,code", t->key_code);
		fdt_end_node(blob);
		fdt_end_node(blob);
	}
	fdt_end_node(blob);
	fdt_finish(blob);
}

static struct tree virt(void)
{
	struct tree t = { "linux,dummy-virt", true, true, 3, 116, 0, NULL, 0 };

	return t;
}

static int boot(const struct tree *t)
{
	build(t);
	memset(&ctx, 0, sizeof(ctx));
	model_reset();
	ctx.fdt = blob;
	ctx.backend = plat_select(blob);
	if (plat_topo_parse(blob, &ctx.topo, err, sizeof(err)) != 0) {
		return -1;
	}
	return ctx.backend->probe(&ctx, err, sizeof(err));
}

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

TEST(virt_chosen_by_compatible)
{
	struct tree t = virt();

	CHECK_EQ(boot(&t), 0);
	CHECK(strcmp(ctx.backend->name, "qemu-virt") == 0);
	CHECK_EQ(ctx.backend->features(&ctx),
		 PLAT_F_RTC | PLAT_F_POWER_BUTTON);
	CHECK(ctx.backend->ipi == NULL && ctx.backend->tlb_purge == NULL);
	plat_board_name(blob, ctx.board, sizeof(ctx.board));
	CHECK(strcmp(ctx.board, "linux,dummy-virt") == 0);
}

TEST(unknown_board_is_generic)
{
	struct tree t = virt();

	t.root_compat = "acme,board";
	CHECK_EQ(boot(&t), 0);
	CHECK(strcmp(ctx.backend->name, "generic") == 0);
	CHECK_EQ(ctx.backend->features(&ctx), 0);
	CHECK(ctx.backend->rtc_read == NULL);
	CHECK_EQ(model.count, 0); /* it touches no register */
}

TEST(gpio_set_up_for_rising_edge)
{
	struct tree t = virt();

	t.pl031 = false;
	CHECK_EQ(boot(&t), 0);
	/* Map; mask the line; input; edge; one edge; rising; clear; unmask. */
	CHECK(is(0, 'M', 0x09030000, 0x1000));
	CHECK(is(1, 'R', 0x09030410, 0));
	CHECK(is(2, 'W', 0x09030410, 0));
	CHECK(is(4, 'W', 0x09030400, 0));
	CHECK(is(6, 'W', 0x09030404, 0));
	CHECK(is(8, 'W', 0x09030408, 0));
	CHECK(is(10, 'W', 0x0903040c, 1u << 3));
	CHECK(is(11, 'W', 0x0903041c, 1u << 3));
	CHECK(is(13, 'W', 0x09030410, 1u << 3));
	CHECK_EQ(model.count, 14);
	CHECK_EQ(ctx.backend->features(&ctx), PLAT_F_POWER_BUTTON);
}

TEST(power_irq_reports_the_key_only)
{
	struct tree t = virt();

	CHECK_EQ(boot(&t), 0);
	model_reset();
	model.pl061_mis = 1u << 3;
	CHECK(ctx.backend->power_irq(&ctx));
	CHECK(is(1, 'W', 0x0903041c, 1u << 3)); /* cleared */
	model_reset();
	model.pl061_mis = 1u << 2; /* another line */
	CHECK(!ctx.backend->power_irq(&ctx));
	CHECK(is(1, 'W', 0x0903041c, 1u << 2));
}

TEST(rtc_reads_seconds)
{
	struct tree t = virt();
	struct plat_time tm;

	CHECK_EQ(boot(&t), 0);
	model_reset();
	model.pl031_dr = 946684800; /* -rtc base=2000-01-01 */
	CHECK_EQ(ctx.backend->rtc_read(&ctx, &tm), PLAT_OK);
	CHECK_EQ(tm.sec, 946684800);
	CHECK(!tm.precise);
	CHECK(is(0, 'R', 0x09010000, 946684800));
}

TEST(no_power_key_without_key_power)
{
	struct tree t = virt();

	t.key_code = 114; /* KEY_VOLUMEDOWN */
	CHECK_EQ(boot(&t), 0);
	CHECK_EQ(ctx.backend->features(&ctx), PLAT_F_RTC);
	t.pl031 = false;
	CHECK_EQ(boot(&t), -1);
	CHECK(strstr(err, "neither") != NULL);
}

TEST(topology_single_node_without_numa)
{
	struct tree t = virt();

	CHECK_EQ(boot(&t), 0);
	CHECK_EQ(ctx.topo.node_count, 1);
	CHECK_EQ(ctx.topo.nodes[0].id, 0);
	CHECK_EQ(ctx.topo.nodes[0].size[0], 0x40000000);
	CHECK(!ctx.topo.have_distances);
}

TEST(topology_distances)
{
	static const uint32_t m[] = { 0, 0, 10, 0, 1, 30, 1, 1, 10 };
	struct tree t = virt();

	t.nodes = 2;
	t.matrix = m;
	t.matrix_cells = 9;
	CHECK_EQ(boot(&t), 0);
	CHECK_EQ(ctx.topo.node_count, 2);
	CHECK_EQ(ctx.topo.distance[0][1], 30);
	CHECK_EQ(ctx.topo.distance[1][0], 30);
	CHECK_EQ(plat_topo_index(&ctx.topo, 1), 1);
	CHECK_EQ(plat_topo_index(&ctx.topo, 5), -1);
}

TEST(topology_bad_distance_refused)
{
	static const uint32_t m[] = { 0, 1, 10 }; /* remote can't be local */
	static const uint32_t u[] = { 0, 7, 20 }; /* no node 7 */
	struct tree t = virt();

	t.nodes = 2;
	t.matrix = m;
	t.matrix_cells = 3;
	CHECK_EQ(boot(&t), -1);
	CHECK(strstr(err, "<0 1 10>") != NULL);
	t.matrix = u;
	CHECK_EQ(boot(&t), -1);
	CHECK(strstr(err, "<0 7 20>") != NULL);
}

TEST_MAIN("plat_virt", TEST_ENTRY(virt_chosen_by_compatible),
	  TEST_ENTRY(unknown_board_is_generic),
	  TEST_ENTRY(gpio_set_up_for_rising_edge),
	  TEST_ENTRY(power_irq_reports_the_key_only),
	  TEST_ENTRY(rtc_reads_seconds),
	  TEST_ENTRY(no_power_key_without_key_power),
	  TEST_ENTRY(topology_single_node_without_numa),
	  TEST_ENTRY(topology_distances),
	  TEST_ENTRY(topology_bad_distance_refused))
