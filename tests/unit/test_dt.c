/* SPDX-License-Identifier: MIT */
/*
 * Host unit tests for the kernel's boot device-tree reader (kernel/core/dt.c).
 *
 * dt_parse() panics on a bad tree. Here panic() formats its message with the
 * kernel's own vsnprintk (kernel/core/printk.c) and longjmps back into the
 * test, which checks the message. Good trees: QEMU's own (dumped at build
 * time, plain with kernel/initrd/bootargs, and a 2-node NUMA variant) and
 * trees built here with libfdt (an Altix-like sparse 4-node layout, edge
 * cases). Bad trees: those, changed one fault at a time. Every parse gets an
 * exactly sized heap copy of the tree, so ASan sees any read past it.
 */
#include <libfdt.h>
#include <signal.h>
#include <unistd.h>
#include <setjmp.h>
#include <stdarg.h>

#include <rift/bootinfo.h>
#include <rift/printk.h>

#include "test.h"

#define PA 0x48000000ull /* where the tree "is"; appears in messages */
#define ALTIX_BASE 0x3000000000ull
#define ALTIX_STRIDE 0x8000000000ull /* 512 GiB between nodes */

/* -- the panic trap -------------------------------------------------------- */

static jmp_buf panic_jmp;
static char panic_msg[512];

void panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintk(panic_msg, sizeof(panic_msg), fmt, ap);
	va_end(ap);
	longjmp(panic_jmp, 1);
}

/* printk.c's only dependency; dt.c logs nothing, but a line would go here. */
void klog_write(const char *s, size_t len)
{
	fwrite(s, 1, len, stderr);
}

/* -- harness --------------------------------------------------------------- */

#define FAILF(...)                                                          \
	do {                                                                \
		if (!test_failed_now) {                                     \
			printf("FAIL %s.%s: %s:%d: ", test_suite,           \
			       test_current, __FILE__, __LINE__);           \
			printf(__VA_ARGS__);                                \
			printf("\n");                                       \
		}                                                           \
		test_failed_now = 1;                                        \
		return;                                                     \
	} while (0)

static char tree[2 << 20] __attribute__((aligned(8))); /* QEMU pads to 1 MiB */

#include "fdt_edit.h"
static void *blob; /* the copy last parsed; boot_info points into it */

/** QEMU's tree (cached), @numa or not; *@size is the file's size. */
static const void *qemu_tree(int numa, size_t *size)
{
	static void *t[2];
	static size_t s[2];

	if (!t[numa]) {
		t[numa] = load_file(numa ? DT_NUMA_DTB : DT_VIRT_DTB, &s[numa]);
	}
	*size = s[numa];
	return t[numa];
}

/** dt_parse() on a heap copy of @size bytes; 0, or -1 if it panicked. */
static int parse_copy(const void *fdt, size_t size, paddr_t pa,
		      uint64_t window)
{
	free(blob);
	blob = malloc(size ? size : 1);
	memcpy(blob, fdt, size);
	memset(&boot_info, 0, sizeof(boot_info));
	panic_msg[0] = '\0';
	if (setjmp(panic_jmp)) {
		return -1;
	}
	dt_parse(blob, pa, window);
	return 0;
}


/** Parse tree[] (packed first). */
static int parse(void)
{
	int e = fdt_pack(tree);
	int r;

	if (e) {
		die("fdt_pack", fdt_strerror(e));
	}
	r = parse_copy(tree, fdt_totalsize(tree), PA, fdt_totalsize(tree));
	/* Open it up again so a test can go on changing it. */
	check(fdt_open_into(tree, tree, sizeof(tree)), "fdt_open_into");
	return r;
}

#define EXPECT_OK()                                                         \
	do {                                                                \
		if (parse() != 0) {                                         \
			FAILF("panicked: %s", panic_msg);                   \
		}                                                           \
	} while (0)

/* dt_parse panics, and the message contains every given substring. */
#define EXPECT_PANIC_AFTER(parse_call, ...)                                 \
	do {                                                                \
		static const char *const want_[] = { __VA_ARGS__ };         \
		if ((parse_call) == 0) {                                    \
			FAILF("parsed; expected a panic with \"%s\"",       \
			      want_[0]);                                    \
		}                                                           \
		for (size_t i_ = 0; i_ < sizeof(want_) / sizeof(want_[0]); \
		     i_++) {                                                \
			if (!strstr(panic_msg, want_[i_])) {                \
				FAILF("panic \"%s\" lacks \"%s\"",          \
				      panic_msg, want_[i_]);                \
			}                                                   \
		}                                                           \
	} while (0)
#define EXPECT_PANIC(...) EXPECT_PANIC_AFTER(parse(), __VA_ARGS__)

/* -- building trees -------------------------------------------------------- */

/** Open @fdt into tree[] for changes. */
static void open_tree(const void *fdt)
{
	check(fdt_open_into(fdt, tree, sizeof(tree)), "fdt_open_into");
}

/** Set @prop to the @n cells in @cells. */
static void set_array(const char *path, const char *prop, const uint32_t *v,
		      int n)
{
	fdt32_t cells[512];

	for (int i = 0; i < n; i++) {
		cells[i] = cpu_to_fdt32(v[i]);
	}
	set_raw(path, prop, cells, n * 4);
}

#define set_cells(path, prop, ...)                                          \
	do {                                                                \
		const uint32_t v_[] = { __VA_ARGS__ };                      \
		set_array(path, prop, v_, (int)(sizeof(v_) / 4));           \
	} while (0)

/** A memory node @name with one range at @base of @size on @nid (-1: none). */
static void add_memory(const char *name, uint64_t base, uint64_t size,
		       int nid)
{
	char path[64];

	snprintf(path, sizeof(path), "/%s", name);
	add_node("/", name);
	set_str(path, "device_type", "memory");
	set_cells(path, "reg", (uint32_t)(base >> 32), (uint32_t)base,
		  (uint32_t)(size >> 32), (uint32_t)size);
	if (nid >= 0) {
		set_cells(path, "numa-node-id", (uint32_t)nid);
	}
}

static void add_cpu(uint32_t mpidr, int nid)
{
	char name[32], path[64];

	snprintf(name, sizeof(name), "cpu@%x", mpidr);
	snprintf(path, sizeof(path), "/cpus/%s", name);
	add_node("/cpus", name);
	set_str(path, "device_type", "cpu");
	set_cells(path, "reg", mpidr);
	if (nid >= 0) {
		set_cells(path, "numa-node-id", (uint32_t)nid);
	}
}

static void add_pl011(const char *name, uint32_t base, uint32_t spi)
{
	char path[64];

	snprintf(path, sizeof(path), "/%s", name);
	add_node("/", name);
	set_raw(path, "compatible", "arm,pl011\0arm,primecell", 24);
	set_cells(path, "reg", 0, base, 0, 0x1000);
	set_cells(path, "interrupts", 0, spi, 4);
}

/**
 * The smallest tree dt_parse() accepts: 2-cell addresses, 1 GiB of memory
 * at 1 GiB, one CPU, nothing else.
 */
static void minimal_tree(void)
{
	check(fdt_create_empty_tree(tree, sizeof(tree)), "empty tree");
	set_cells("/", "#address-cells", 2);
	set_cells("/", "#size-cells", 2);
	add_node("/", "cpus");
	set_cells("/cpus", "#address-cells", 1);
	set_cells("/cpus", "#size-cells", 0);
	add_cpu(0, -1);
	add_memory("memory@40000000", 0x40000000, 0x40000000, -1);
}

/** Index in boot_info.mem of the range starting at @base, or -1. */
static int mem_at(paddr_t base)
{
	for (uint32_t i = 0; i < boot_info.mem_count; i++) {
		if (boot_info.mem[i].base == base) {
			return (int)i;
		}
	}
	return -1;
}

static int cpu_with(uint64_t mpidr)
{
	for (uint32_t i = 0; i < boot_info.cpu_count; i++) {
		if (boot_info.cpus[i].mpidr == mpidr) {
			return (int)i;
		}
	}
	return -1;
}

/* -- QEMU's trees ---------------------------------------------------------- */

TEST(qemu_virt)
{
	size_t size;
	const void *t = qemu_tree(0, &size);
	int found = 0, n;

	if (parse_copy(t, size, PA, size) != 0) {
		FAILF("panicked: %s", panic_msg);
	}
	CHECK(boot_info.fdt == blob);
	CHECK_EQ(boot_info.fdt_pa, PA);
	CHECK_EQ(boot_info.fdt_size, fdt_totalsize(t));

	/* -m 1G at 1 GiB, no NUMA. */
	CHECK_EQ(boot_info.mem_count, 1);
	CHECK_EQ(boot_info.mem[0].base, 0x40000000);
	CHECK_EQ(boot_info.mem[0].size, 0x40000000);
	CHECK_EQ(boot_info.mem[0].node, 0);
	CHECK_EQ(boot_info.node_count, 1);
	CHECK_EQ(boot_info.reserved_count, fdt_num_mem_rsv(t));

	CHECK_EQ(boot_info.cpu_count, 1);
	CHECK_EQ(boot_info.cpus[0].mpidr, 0);
	CHECK_EQ(boot_info.cpus[0].node, 0);

	/* No distance map: 10 on the diagonal, 20 elsewhere. */
	CHECK(!boot_info.has_distance_map);
	CHECK_EQ(boot_info.distance[0][0], 10);
	CHECK_EQ(boot_info.distance[0][1], 20);
	CHECK_EQ(boot_info.distance[7][7], 10);

	/* -append and -initrd, as QEMU put them in /chosen. */
	CHECK(strcmp(boot_info.bootargs, DT_BOOTARGS) == 0);
	CHECK(boot_info.initrd_start >= boot_info.mem[0].base);
	CHECK_EQ(boot_info.initrd_end - boot_info.initrd_start, DT_INITRD_SIZE);
	CHECK(boot_info.initrd_end <=
	      boot_info.mem[0].base + boot_info.mem[0].size);

	/* virtualization=on: PSCI through SMC. */
	CHECK(!boot_info.psci_hvc);

	/* PL011 at 0x9000000, SPI 1. */
	CHECK_EQ(boot_info.uart_pa, 0x9000000);
	CHECK_EQ(boot_info.uart_irq, 33);

	/* Every top-level node with a compatible, names inside the tree. */
	n = 0;
	{
		int child;

		fdt_for_each_subnode(child, t, 0) {
			n += fdt_getprop(t, child, "compatible", NULL) != NULL;
		}
	}
	CHECK_EQ(boot_info.device_count, n < BOOT_MAX_DEVICES ? n :
						 BOOT_MAX_DEVICES);
	for (uint32_t i = 0; i < boot_info.device_count; i++) {
		const struct boot_device *d = &boot_info.devices[i];

		CHECK((const char *)d->name > (const char *)blob &&
		      (const char *)d->name < (const char *)blob + size);
		if (strcmp(d->name, "pl011@9000000") == 0 &&
		    strcmp(d->compatible, "arm,pl011") == 0) {
			found = 1;
		}
	}
	CHECK(found);
}

TEST(qemu_numa)
{
	size_t size;
	const void *t = qemu_tree(1, &size);
	int m0, m1, c0, c1;

	if (parse_copy(t, size, PA, size) != 0) {
		FAILF("panicked: %s", panic_msg);
	}
	CHECK_EQ(boot_info.mem_count, 2);
	m0 = mem_at(0x40000000);
	m1 = mem_at(0x60000000);
	CHECK(m0 >= 0 && m1 >= 0);
	CHECK_EQ(boot_info.mem[m0].size, 0x20000000);
	CHECK_EQ(boot_info.mem[m0].node, 0);
	CHECK_EQ(boot_info.mem[m1].size, 0x20000000);
	CHECK_EQ(boot_info.mem[m1].node, 1);
	CHECK_EQ(boot_info.node_count, 2);

	CHECK_EQ(boot_info.cpu_count, 2);
	c0 = cpu_with(0);
	c1 = cpu_with(1);
	CHECK(c0 >= 0 && c1 >= 0);
	CHECK_EQ(boot_info.cpus[c0].node, 0);
	CHECK_EQ(boot_info.cpus[c1].node, 1);

	CHECK(boot_info.has_distance_map);
	CHECK_EQ(boot_info.distance[0][0], 10);
	CHECK_EQ(boot_info.distance[0][1], 25);
	CHECK_EQ(boot_info.distance[1][0], 25);
	CHECK_EQ(boot_info.distance[1][1], 10);
	CHECK_EQ(boot_info.distance[2][3], 20); /* not in the map: default */

	/* Dumped without -kernel: no initrd. */
	CHECK_EQ(boot_info.initrd_start, 0);
	CHECK_EQ(boot_info.initrd_end, 0);
	CHECK(boot_info.bootargs != NULL);
	CHECK_EQ(boot_info.uart_pa, 0x9000000);
}

/* The tree is read in place: any window at least its size will do. */
TEST(qemu_window)
{
	size_t size;
	const void *t = qemu_tree(0, &size);
	uint32_t total = fdt_totalsize(t);

	CHECK(parse_copy(t, size, PA, 2u << 20) == 0);
	CHECK(parse_copy(t, total, PA, total) == 0);
	/* A window smaller than the tree: said plainly, before any other
	 * check. */
	EXPECT_PANIC_AFTER(parse_copy(t, total, PA, total - 1),
			   "device tree at 0x48000000 is");
	CHECK(strstr(panic_msg, "over the") != NULL);
	EXPECT_PANIC_AFTER(parse_copy(t, total, PA, 4096),
			   "over the 4096 byte window");
	/* Not even a header fits. */
	EXPECT_PANIC_AFTER(parse_copy(t, 39, PA, 39),
			   "is corrupt: bad magic or shorter than a header");
}

TEST(qemu_psci)
{
	size_t size;
	const void *t = qemu_tree(0, &size);

	open_tree(t);
	set_str("/psci", "method", "hvc");
	EXPECT_OK();
	CHECK(boot_info.psci_hvc);
	/* Only the oldest compatible string. */
	open_tree(t);
	set_str("/psci", "method", "hvc");
	set_str("/psci", "compatible", "arm,psci");
	EXPECT_OK();
	CHECK(boot_info.psci_hvc);
	/* No PSCI node at all. */
	open_tree(t);
	del_node("/psci");
	EXPECT_OK();
	CHECK(!boot_info.psci_hvc);
}

/* -- trees built here ------------------------------------------------------ */

/* tests/unit/dt/hw-small.dts (the dt fuzzer's small seed), as it says. */
TEST(fixture_small)
{
	size_t size;
	void *t = load_file(DT_SMALL_DTB, &size);
	int m;

	if (parse_copy(t, size, PA, size) != 0) {
		free(t);
		FAILF("panicked: %s", panic_msg);
	}
	free(t);
	CHECK_EQ(boot_info.mem_count, 3);
	m = mem_at(0x40000000);
	CHECK(m >= 0);
	CHECK_EQ(boot_info.mem[m].size, 0x20000000);
	CHECK_EQ(boot_info.mem[m].node, 0);
	m = mem_at(0x2000000000ull);
	CHECK(m >= 0);
	CHECK_EQ(boot_info.mem[m].node, 1);
	m = mem_at(0x2040001000ull); /* 0x2040000800 + 0x1800, trimmed */
	CHECK(m >= 0);
	CHECK_EQ(boot_info.mem[m].size, 0x1000);
	CHECK_EQ(boot_info.node_count, 2);
	CHECK_EQ(boot_info.reserved_count, 2);
	CHECK_EQ(boot_info.reserved[0].base, 0x40000000);
	CHECK_EQ(boot_info.reserved[0].size, 0x10000);
	CHECK_EQ(boot_info.reserved[1].base, 0x5f000000);
	CHECK_EQ(boot_info.reserved[1].size, 0x1000000);
	CHECK_EQ(boot_info.cpu_count, 2);
	CHECK_EQ(boot_info.cpus[cpu_with(0x100)].node, 1);
	CHECK(boot_info.has_distance_map);
	CHECK_EQ(boot_info.distance[0][1], 30);
	CHECK_EQ(boot_info.distance[1][1], 10);
	CHECK(strcmp(boot_info.bootargs, "rift.system=pingpong") == 0);
	CHECK_EQ(boot_info.initrd_start, 0x48000000);
	CHECK_EQ(boot_info.initrd_end, 0x48100000);
	CHECK(boot_info.psci_hvc);
	CHECK_EQ(boot_info.uart_pa, 0x9040000);
	CHECK_EQ(boot_info.uart_irq, 40);
	CHECK_EQ(boot_info.device_count, 4); /* psci, distance-map, 2 PL011s */
}

/*
 * An SGI Altix-like sparse layout: 4 nodes of 16 GiB, 512 GiB apart from
 * 192 GiB up, a CPU on each, a full distance matrix (10 local, +10 a hop).
 */
TEST(altix_sparse)
{
	uint32_t dist[4 * 4 * 3];
	int k = 0;

	minimal_tree();
	del_node("/memory@40000000");
	del_node("/cpus/cpu@0");
	for (int n = 3; n >= 0; n--) {
		char name[32];
		uint64_t base = ALTIX_BASE + (uint64_t)n * ALTIX_STRIDE;

		snprintf(name, sizeof(name), "memory@%llx",
			 (unsigned long long)base);
		add_memory(name, base, 16ull << 30, n);
		add_cpu((uint32_t)n << 8, n);
	}
	for (int i = 0; i < 4; i++) {
		for (int j = 0; j < 4; j++) {
			dist[k++] = (uint32_t)i;
			dist[k++] = (uint32_t)j;
			dist[k++] = 10 + 10 * (uint32_t)(i > j ? i - j : j - i);
		}
	}
	add_node("/", "distance-map");
	set_str("/distance-map", "compatible", "numa-distance-map-v1");
	set_array("/distance-map", "distance-matrix", dist, k);
	EXPECT_OK();

	CHECK_EQ(boot_info.mem_count, 4);
	CHECK_EQ(boot_info.node_count, 4);
	for (int n = 0; n < 4; n++) {
		int m = mem_at(ALTIX_BASE + (uint64_t)n * ALTIX_STRIDE);
		int c = cpu_with((uint64_t)n << 8);

		CHECK(m >= 0);
		CHECK_EQ(boot_info.mem[m].size, 16ull << 30);
		CHECK_EQ(boot_info.mem[m].node, n);
		CHECK(c >= 0);
		CHECK_EQ(boot_info.cpus[c].node, n);
	}
	CHECK(boot_info.has_distance_map);
	CHECK_EQ(boot_info.distance[0][3], 40);
	CHECK_EQ(boot_info.distance[3][0], 40);
	CHECK_EQ(boot_info.distance[1][2], 20);
	CHECK_EQ(boot_info.distance[2][2], 10);
	/* No UART, no /chosen: empty defaults. */
	CHECK_EQ(boot_info.uart_pa, 0);
	CHECK_EQ(boot_info.uart_irq, 0);
	CHECK(strcmp(boot_info.bootargs, "") == 0);
}

/* Ranges are trimmed to whole pages; nothing left means nothing added. */
TEST(memory_ranges)
{
	minimal_tree();
	set_cells("/memory@40000000", "reg",
		  0, 0x40000800, 0, 0x3000,        /* -> 0x40001000 + 0x2000 */
		  0, 0x50000000, 0, 0xfff,         /* under a page: dropped */
		  0x1, 0x0, 0x1, 0x0,              /* 4 GiB at 4 GiB */
		  0, 0x60000000, 0, 0);            /* empty: dropped */
	EXPECT_OK();
	CHECK_EQ(boot_info.mem_count, 2);
	CHECK_EQ(boot_info.mem[0].base, 0x40001000);
	CHECK_EQ(boot_info.mem[0].size, 0x2000);
	CHECK_EQ(boot_info.mem[1].base, 0x100000000ull);
	CHECK_EQ(boot_info.mem[1].size, 0x100000000ull);

	/* One-cell addresses and sizes. */
	minimal_tree();
	set_cells("/", "#address-cells", 1);
	set_cells("/", "#size-cells", 1);
	set_cells("/memory@40000000", "reg", 0x40000000, 0x10000000,
		  0x80000000, 0x1000);
	EXPECT_OK();
	CHECK_EQ(boot_info.mem_count, 2);
	CHECK_EQ(boot_info.mem[1].base, 0x80000000);
	CHECK_EQ(boot_info.mem[1].size, 0x1000);

	/* Nodes without device_type = "memory" are not memory. */
	minimal_tree();
	add_node("/", "memory@80000000");
	set_cells("/memory@80000000", "reg", 0, 0x80000000, 0, 0x1000);
	EXPECT_OK();
	CHECK_EQ(boot_info.mem_count, 1);

	/* Exactly BOOT_MAX_MEM ranges. */
	minimal_tree();
	{
		uint32_t reg[BOOT_MAX_MEM * 4];

		for (int i = 0; i < BOOT_MAX_MEM; i++) {
			reg[4 * i] = 0;
			reg[4 * i + 1] = 0x40000000u + (uint32_t)i * 0x100000u;
			reg[4 * i + 2] = 0;
			reg[4 * i + 3] = 0x1000;
		}
		set_array("/memory@40000000", "reg", reg, BOOT_MAX_MEM * 4);
	}
	EXPECT_OK();
	CHECK_EQ(boot_info.mem_count, BOOT_MAX_MEM);
	CHECK_EQ(boot_info.mem[BOOT_MAX_MEM - 1].base,
		 0x40000000u + (BOOT_MAX_MEM - 1) * 0x100000u);
}

TEST(reserved_ranges)
{
	minimal_tree();
	check(fdt_add_mem_rsv(tree, 0x40000000, 0x10000), "rsv");
	add_node("/", "reserved-memory");
	set_cells("/reserved-memory", "#address-cells", 2);
	set_cells("/reserved-memory", "#size-cells", 1);
	add_node("/reserved-memory", "fw@48000000");
	set_cells("/reserved-memory/fw@48000000", "reg", 0, 0x48000000,
		  0x200000, 0, 0x4a000000, 0 /* empty: skipped */, 0,
		  0x49000000, 0x1000);
	EXPECT_OK();
	CHECK_EQ(boot_info.reserved_count, 3);
	CHECK_EQ(boot_info.reserved[0].base, 0x40000000);
	CHECK_EQ(boot_info.reserved[0].size, 0x10000);
	CHECK_EQ(boot_info.reserved[1].base, 0x48000000);
	CHECK_EQ(boot_info.reserved[1].size, 0x200000);
	CHECK_EQ(boot_info.reserved[2].base, 0x49000000);

	/* Exactly the table, then one more. */
	minimal_tree();
	for (int i = 0; i < BOOT_MAX_RESERVED; i++) {
		check(fdt_add_mem_rsv(tree, 0x40000000 + (uint64_t)i * 0x1000,
				      0x1000),
		      "rsv");
	}
	EXPECT_OK();
	CHECK_EQ(boot_info.reserved_count, BOOT_MAX_RESERVED);
	check(fdt_add_mem_rsv(tree, 0x7000000, 0x1000), "rsv");
	EXPECT_PANIC("device tree: more than 32 reserved ranges");
}

TEST(chosen)
{
	minimal_tree();
	add_node("/", "chosen");
	set_str("/chosen", "bootargs", "rift.system=pingpong");
	set_cells("/chosen", "linux,initrd-start", 0x48000000);
	set_cells("/chosen", "linux,initrd-end", 0x1, 0x00001000);
	EXPECT_OK();
	CHECK(strcmp(boot_info.bootargs, "rift.system=pingpong") == 0);
	CHECK_EQ(boot_info.initrd_start, 0x48000000);
	CHECK_EQ(boot_info.initrd_end, 0x100001000ull);

	/* Malformed addresses count as absent. */
	minimal_tree();
	add_node("/", "chosen");
	set_cells("/chosen", "linux,initrd-start", 0, 0, 0x48000000);
	EXPECT_OK();
	CHECK_EQ(boot_info.initrd_start, 0);

	minimal_tree();
	add_node("/", "chosen");
	set_cells("/chosen", "linux,initrd-start", 0x48001000);
	set_cells("/chosen", "linux,initrd-end", 0x48000000);
	EXPECT_PANIC("device tree: /chosen initrd end before start");
}

TEST(uart_choice)
{
	/* Nodes added later come first in the tree: pl011@a000000 is first. */
	minimal_tree();
	add_pl011("pl011@9000000", 0x9000000, 1);
	add_pl011("pl011@a000000", 0xa000000, 5);
	EXPECT_OK();
	CHECK_EQ(boot_info.uart_pa, 0xa000000);
	CHECK_EQ(boot_info.uart_irq, 37);

	/* stdout-path picks one, with or without options. */
	add_node("/", "chosen");
	set_str("/chosen", "stdout-path", "/pl011@9000000");
	EXPECT_OK();
	CHECK_EQ(boot_info.uart_pa, 0x9000000);
	CHECK_EQ(boot_info.uart_irq, 33);
	set_str("/chosen", "stdout-path", "/pl011@9000000:115200n8");
	EXPECT_OK();
	CHECK_EQ(boot_info.uart_pa, 0x9000000);

	/* ... through an alias. */
	add_node("/", "aliases");
	set_str("/aliases", "serial0", "/pl011@9000000");
	set_str("/chosen", "stdout-path", "serial0:115200n8");
	EXPECT_OK();
	CHECK_EQ(boot_info.uart_pa, 0x9000000);

	/* A path to a node that is no PL011, or to nothing: the first one. */
	set_str("/chosen", "stdout-path", "/cpus");
	EXPECT_OK();
	CHECK_EQ(boot_info.uart_pa, 0xa000000);
	set_str("/chosen", "stdout-path", "/nowhere");
	EXPECT_OK();
	CHECK_EQ(boot_info.uart_pa, 0xa000000);

	/* No interrupts property: no IRQ. */
	del("/pl011@a000000", "interrupts");
	EXPECT_OK();
	CHECK_EQ(boot_info.uart_pa, 0xa000000);
	CHECK_EQ(boot_info.uart_irq, 0);
}

TEST(cpus)
{
	/* 16 CPUs with two-cell MPIDRs. */
	minimal_tree();
	del_node("/cpus/cpu@0");
	set_cells("/cpus", "#address-cells", 2);
	for (int i = 0; i < BOOT_MAX_CPUS; i++) {
		char name[32], path[48];

		snprintf(name, sizeof(name), "cpu@%d", i);
		snprintf(path, sizeof(path), "/cpus/%s", name);
		add_node("/cpus", name);
		set_str(path, "device_type", "cpu");
		set_cells(path, "reg", 0x1, (uint32_t)i);
		set_cells(path, "numa-node-id", (uint32_t)i % 8);
	}
	/* Not CPUs: no device_type, or no reg. */
	add_node("/cpus", "cpu-map");
	add_node("/cpus", "cpu@99");
	set_str("/cpus/cpu@99", "device_type", "cpu");
	EXPECT_OK();
	CHECK_EQ(boot_info.cpu_count, BOOT_MAX_CPUS);
	CHECK(cpu_with(0x100000000ull + 15) >= 0);
	CHECK_EQ(boot_info.cpus[cpu_with(0x100000000ull + 9)].node, 1);
	CHECK_EQ(boot_info.node_count, 8);
}

/* -- bad trees ------------------------------------------------------------- */

TEST(panic_no_tree)
{
	size_t size;
	const void *t = qemu_tree(0, &size);

	EXPECT_PANIC_AFTER(parse_copy(t, size, 0, size),
			   "no device tree: the boot loader passed none "
			   "(x0 = 0)");
}

/* The packed QEMU tree, or the minimal one, in tree[], ready to corrupt. */
static void packed(int qemu)
{
	size_t size;

	if (qemu) {
		open_tree(qemu_tree(0, &size));
	} else {
		minimal_tree();
	}
	check(fdt_pack(tree), "pack");
}

#define PARSE_TREE() \
	parse_copy(tree, fdt_totalsize(tree), PA, fdt_totalsize(tree))

/*
 * Blobs are checked structurally before libfdt sees them (rift/fdt_guard.h:
 * libfdt 1.6.1 crashes or hangs on some), then with fdt_check_full().
 */
TEST(panic_corrupt)
{
	static char junk[4096];
	fdt32_t *p;

	/* Not a tree at all. */
	memset(junk, 0x41, sizeof(junk));
	EXPECT_PANIC_AFTER(parse_copy(junk, sizeof(junk), PA, sizeof(junk)),
			   "device tree at 0x48000000 is corrupt: bad magic or "
			   "shorter than a header");

	/* A token in the struct block that is none of the five. */
	packed(1);
	p = (fdt32_t *)(tree + first_tag(FDT_PROP));
	*p = cpu_to_fdt32(0x77);
	EXPECT_PANIC_AFTER(PARSE_TREE(), "device tree at 0x48000000 is "
			   "corrupt: unknown token in the structure block");

	/* A node never closed. */
	packed(1);
	p = (fdt32_t *)(tree + first_tag(FDT_END_NODE));
	*p = cpu_to_fdt32(FDT_END);
	EXPECT_PANIC_AFTER(PARSE_TREE(), "is corrupt: tree ends inside a node");

	/* A property running past the structure block. */
	packed(1);
	p = (fdt32_t *)(tree + first_tag(FDT_PROP));
	p[1] = cpu_to_fdt32(fdt_size_dt_struct(tree));
	EXPECT_PANIC_AFTER(PARSE_TREE(), "is corrupt: property length or name "
			   "offset out of range");

	/* The header's blocks run past totalsize. */
	packed(1);
	fdt_set_size_dt_struct(tree, fdt_size_dt_struct(tree) + 4096);
	EXPECT_PANIC_AFTER(PARSE_TREE(), "is corrupt: block offsets or sizes "
			   "out of range");

	/* An unsupported version. */
	packed(1);
	fdt_set_version(tree, 1);
	fdt_set_last_comp_version(tree, 1);
	EXPECT_PANIC_AFTER(PARSE_TREE(), "is corrupt: unsupported version");

	/* Sound token by token, but the root node has a name. */
	packed(0);
	tree[first_tag(FDT_BEGIN_NODE) + 4] = 'x';
	EXPECT_PANIC_AFTER(PARSE_TREE(), "device tree at 0x48000000 is "
			   "corrupt: FDT_ERR_BADSTRUCTURE");
}

/*
 * Found by fuzzing: libfdt 1.6.1 crashes (NULL) on a pre-v16 header, and
 * loops forever on a property length that wraps its offset arithmetic back
 * onto the same token (here -12). The structural check refuses both; an
 * alarm turns a hang into a failure should that ever regress.
 */
TEST(libfdt_161_traps)
{
	fdt32_t *p;

	packed(0);
	fdt_set_version(tree, 15);
	fdt_set_last_comp_version(tree, 2);
	EXPECT_PANIC_AFTER(PARSE_TREE(), "is corrupt: unsupported version");

	packed(0);
	p = (fdt32_t *)(tree + first_tag(FDT_PROP));
	p[1] = cpu_to_fdt32(0xfffffff4u);
	signal(SIGALRM, hang_alarm);
	alarm(10);
	EXPECT_PANIC_AFTER(PARSE_TREE(), "is corrupt: property length or name "
			   "offset out of range");
	alarm(0);
}

/*
 * Found by fuzzing: libfdt 1.6.1 resolves an alias whose value is not an
 * absolute path as a path again, so aliases naming each other recursed
 * until the stack ran out. dt.c resolves stdout-path's alias one level, to
 * an absolute path only; otherwise the first PL011 is the console.
 */
TEST(uart_alias_loop)
{
	minimal_tree();
	add_pl011("pl011@9000000", 0x9000000, 1);
	add_pl011("pl011@9040000", 0x9040000, 8);
	add_node("/", "aliases");
	set_str("/aliases", "serial0", "serial1");
	set_str("/aliases", "serial1", "serial0");
	add_node("/", "chosen");
	set_str("/chosen", "stdout-path", "serial0:115200n8");
	EXPECT_OK();
	CHECK_EQ(boot_info.uart_pa, 0x9040000); /* added last: first */
	/* One level, to an absolute path: taken. */
	set_str("/aliases", "serial1", "/pl011@9000000");
	set_str("/chosen", "stdout-path", "serial1");
	EXPECT_OK();
	CHECK_EQ(boot_info.uart_pa, 0x9000000);
	/* No such alias. */
	set_str("/chosen", "stdout-path", "serial7");
	EXPECT_OK();
	CHECK_EQ(boot_info.uart_pa, 0x9040000);
}

/* Found by fuzzing: a range wrapping past 2^64 became a range at 0. */
TEST(panic_memory_wraps)
{
	minimal_tree();
	set_cells("/memory@40000000", "reg", 0, 0x40000000, 0, 0x40000000,
		  0xffffffffu, 0xfffff001u, 0, 0x2000);
	EXPECT_PANIC("device tree: memory range [fffffffffffff001, +2000) "
		     "wraps around");
	/* Ending exactly at 2^64: the end is not representable either. */
	minimal_tree();
	set_cells("/memory@40000000", "reg", 0xffffffffu, 0xfffff000u, 0,
		  0x1000);
	EXPECT_PANIC("device tree: memory range [fffffffffffff000, +1000) "
		     "wraps around");
	/* The highest range that ends below 2^64 is fine. */
	minimal_tree();
	set_cells("/memory@40000000", "reg", 0xffffffffu, 0xffffe000u, 0,
		  0x1000);
	EXPECT_OK();
	CHECK_EQ(boot_info.mem_count, 1);
	CHECK_EQ(boot_info.mem[0].base, 0xffffffffffffe000ull);
}

TEST(panic_no_memory)
{
	size_t size;

	open_tree(qemu_tree(0, &size));
	del_node("/memory@40000000");
	EXPECT_PANIC("device tree: no /memory node with a usable reg");
	/* device_type missing. */
	open_tree(qemu_tree(0, &size));
	del("/memory@40000000", "device_type");
	EXPECT_PANIC("device tree: no /memory node with a usable reg");
	/* No reg: a memory node must say where its memory is. */
	minimal_tree();
	del("/memory@40000000", "reg");
	EXPECT_PANIC("device tree: memory@40000000: malformed reg");
	/* Only ranges smaller than a page. */
	minimal_tree();
	set_cells("/memory@40000000", "reg", 0, 0x40000800, 0, 0x1000);
	EXPECT_PANIC("device tree: no /memory node with a usable reg");
}

TEST(panic_memory_reg_malformed)
{
	/* 3 cells where an entry is 4. */
	minimal_tree();
	set_cells("/memory@40000000", "reg", 0, 0x40000000, 0x40000000);
	EXPECT_PANIC("device tree: memory@40000000: malformed reg");
	/* Not even one cell. */
	minimal_tree();
	set_raw("/memory@40000000", "reg", "\0\0", 2);
	EXPECT_PANIC("device tree: memory@40000000: malformed reg");
	/* Address cells the reader does not take (3), or none. */
	minimal_tree();
	set_cells("/", "#address-cells", 3);
	set_cells("/memory@40000000", "reg", 0, 0, 0x40000000, 0, 0x40000000);
	EXPECT_PANIC("device tree: memory@40000000: malformed reg");
	minimal_tree();
	set_cells("/", "#address-cells", 0);
	EXPECT_PANIC("device tree: memory@40000000: malformed reg");
	/* Size cells over 2. */
	minimal_tree();
	set_cells("/", "#size-cells", 3);
	set_cells("/memory@40000000", "reg", 0, 0x40000000, 0, 0, 0x40000000);
	EXPECT_PANIC("device tree: memory@40000000: malformed reg");
}

TEST(panic_numa_node_id)
{
	size_t size;

	open_tree(qemu_tree(1, &size));
	set_cells("/memory@40000000", "numa-node-id", 8);
	EXPECT_PANIC("device tree: numa-node-id 8 in memory@40000000 exceeds "
		     "8 nodes");
	open_tree(qemu_tree(1, &size));
	set_cells("/cpus/cpu@1", "numa-node-id", 0xffffffffu);
	EXPECT_PANIC("device tree: numa-node-id 4294967295 in cpu@1 exceeds 8 "
		     "nodes");
	/* The highest allowed. */
	open_tree(qemu_tree(1, &size));
	set_cells("/memory@60000000", "numa-node-id", 7);
	EXPECT_OK();
	CHECK_EQ(boot_info.node_count, 8);
	CHECK_EQ(boot_info.mem[mem_at(0x60000000)].node, 7);
}

TEST(panic_distance_map)
{
	size_t size;

	open_tree(qemu_tree(1, &size));
	set_cells("/distance-map", "distance-matrix", 0, 1, 25, 1, 0);
	EXPECT_PANIC("device tree: malformed /distance-map distance-matrix");
	open_tree(qemu_tree(1, &size));
	del("/distance-map", "distance-matrix");
	EXPECT_PANIC("device tree: malformed /distance-map distance-matrix");
	open_tree(qemu_tree(1, &size));
	set_cells("/distance-map", "distance-matrix", 0, 1, 25, 1, 8, 25);
	EXPECT_PANIC("device tree: distance-map entry 1 out of range");
	open_tree(qemu_tree(1, &size));
	set_cells("/distance-map", "distance-matrix", 8, 0, 25);
	EXPECT_PANIC("device tree: distance-map entry 0 out of range");
	open_tree(qemu_tree(1, &size));
	set_cells("/distance-map", "distance-matrix", 0, 1, 256);
	EXPECT_PANIC("device tree: distance-map entry 0 out of range");
	/* An empty matrix is a map with nothing in it. */
	open_tree(qemu_tree(1, &size));
	set_raw("/distance-map", "distance-matrix", "", 0);
	EXPECT_OK();
	CHECK(boot_info.has_distance_map);
	CHECK_EQ(boot_info.distance[0][1], 20);
	/* 255 is the largest distance. */
	open_tree(qemu_tree(1, &size));
	set_cells("/distance-map", "distance-matrix", 7, 6, 255);
	EXPECT_OK();
	CHECK_EQ(boot_info.distance[7][6], 255);
	CHECK_EQ(boot_info.distance[6][7], 20);
}

TEST(panic_too_many_memory_ranges)
{
	uint32_t reg[(BOOT_MAX_MEM + 1) * 4];
	size_t size;

	for (int i = 0; i <= BOOT_MAX_MEM; i++) {
		reg[4 * i] = 0;
		reg[4 * i + 1] = 0x40000000u + (uint32_t)i * 0x100000u;
		reg[4 * i + 2] = 0;
		reg[4 * i + 3] = 0x1000;
	}
	minimal_tree();
	set_array("/memory@40000000", "reg", reg, (BOOT_MAX_MEM + 1) * 4);
	EXPECT_PANIC("device tree: more than 32 memory ranges");
	/* Spread over nodes: 31 here plus QEMU's 2. */
	open_tree(qemu_tree(1, &size));
	add_node("/", "memory@80000000");
	set_str("/memory@80000000", "device_type", "memory");
	set_array("/memory@80000000", "reg", reg, (BOOT_MAX_MEM - 1) * 4);
	EXPECT_PANIC("device tree: more than 32 memory ranges");
}

TEST(panic_cpus)
{
	size_t size;

	open_tree(qemu_tree(0, &size));
	del_node("/cpus");
	EXPECT_PANIC("device tree: no /cpus node");
	minimal_tree();
	del_node("/cpus/cpu@0");
	EXPECT_PANIC("device tree: no cpu nodes under /cpus");
	minimal_tree();
	del("/cpus/cpu@0", "reg");
	EXPECT_PANIC("device tree: no cpu nodes under /cpus");
	minimal_tree();
	for (int i = 1; i <= BOOT_MAX_CPUS; i++) {
		add_cpu((uint32_t)i, -1);
	}
	EXPECT_PANIC("device tree: more than 16 CPUs");
}

TEST_MAIN("dt",
	  TEST_ENTRY(qemu_virt),
	  TEST_ENTRY(qemu_numa),
	  TEST_ENTRY(qemu_window),
	  TEST_ENTRY(qemu_psci),
	  TEST_ENTRY(fixture_small),
	  TEST_ENTRY(altix_sparse),
	  TEST_ENTRY(memory_ranges),
	  TEST_ENTRY(reserved_ranges),
	  TEST_ENTRY(chosen),
	  TEST_ENTRY(uart_choice),
	  TEST_ENTRY(cpus),
	  TEST_ENTRY(panic_no_tree),
	  TEST_ENTRY(panic_corrupt),
	  TEST_ENTRY(panic_no_memory),
	  TEST_ENTRY(panic_memory_reg_malformed),
	  TEST_ENTRY(panic_numa_node_id),
	  TEST_ENTRY(panic_distance_map),
	  TEST_ENTRY(panic_too_many_memory_ranges),
	  TEST_ENTRY(panic_cpus),
	  TEST_ENTRY(libfdt_161_traps),
	  TEST_ENTRY(uart_alias_loop),
	  TEST_ENTRY(panic_memory_wraps));
