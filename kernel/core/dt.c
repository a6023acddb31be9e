/* SPDX-License-Identifier: MIT */
/*
 * Boot-time device tree parsing with libfdt (Debian's libfdt.a, linked in).
 * Everything here runs once on the boot CPU. Bad trees end in panic() with a
 * message naming what is wrong: there is nothing to fall back to.
 */
#include <libfdt.h>
#include <rift/bootinfo.h>
#include <rift/fdt_guard.h>
#include <rift/printk.h>

struct boot_info boot_info;

static uint64_t dt_read_cells(const fdt32_t *p, int cells)
{
	uint64_t v = 0;

	for (int i = 0; i < cells; i++) {
		v = (v << 32) | fdt32_to_cpu(p[i]);
	}
	return v;
}

int dt_find_compatible(const void *fdt, const char *compat)
{
	return fdt_node_offset_by_compatible(fdt, -1, compat);
}

int dt_reg(const void *fdt, int node, int idx, paddr_t *base, uint64_t *size)
{
	int parent = fdt_parent_offset(fdt, node);
	int ac = fdt_address_cells(fdt, parent);
	int sc = fdt_size_cells(fdt, parent);
	int len;
	const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);
	int stride = ac + sc;

	if (!reg || ac < 1 || ac > 2 || sc < 0 || sc > 2) {
		return -1;
	}
	if ((idx + 1) * stride * 4 > len) {
		return -1;
	}
	reg += idx * stride;
	*base = dt_read_cells(reg, ac);
	*size = sc ? dt_read_cells(reg + ac, sc) : 0;
	return 0;
}

/** Is @node's reg a whole number of (address, size) entries, at least one? */
static bool dt_reg_whole(const void *fdt, int node)
{
	int parent = fdt_parent_offset(fdt, node);
	int ac = fdt_address_cells(fdt, parent);
	int sc = fdt_size_cells(fdt, parent);
	int len;

	if (!fdt_getprop(fdt, node, "reg", &len) || ac < 1 || ac > 2 ||
	    sc < 1 || sc > 2) {
		return false;
	}
	return len > 0 && len % ((ac + sc) * 4) == 0;
}

int dt_cell(const void *fdt, int node, const char *prop, int idx,
	    uint32_t *out)
{
	int len;
	const fdt32_t *p = fdt_getprop(fdt, node, prop, &len);

	if (!p || idx < 0 || (idx + 1) * 4 > len) {
		return -1;
	}
	*out = fdt32_to_cpu(p[idx]);
	return 0;
}

static uint32_t dt_node_id(const void *fdt, int node)
{
	uint32_t id = 0;

	if (dt_cell(fdt, node, "numa-node-id", 0, &id) == 0 &&
	    id >= BOOT_MAX_NODES) {
		panic("device tree: numa-node-id %u in %s exceeds %u nodes", id,
		      fdt_get_name(fdt, node, NULL), BOOT_MAX_NODES);
	}
	if (id + 1 > boot_info.node_count) {
		boot_info.node_count = id + 1;
	}
	return id;
}

static bool dt_is_type(const void *fdt, int node, const char *type)
{
	const char *t = fdt_getprop(fdt, node, "device_type", NULL);

	return t && strcmp(t, type) == 0;
}

static void dt_add_mem(paddr_t base, uint64_t size, uint32_t node)
{
	paddr_t start = ALIGN_UP(base, 4096);
	paddr_t end = ALIGN_DOWN(base + size, 4096);

	if (base + size < base || start < base) {
		panic("device tree: memory range [%lx, +%lx) wraps around",
		      (unsigned long)base, (unsigned long)size);
	}
	if (end <= start) {
		return;
	}
	if (boot_info.mem_count == BOOT_MAX_MEM) {
		panic("device tree: more than %u memory ranges", BOOT_MAX_MEM);
	}
	boot_info.mem[boot_info.mem_count++] =
		(struct boot_region){ start, end - start, node };
}

static void dt_add_reserved(paddr_t base, uint64_t size)
{
	if (size == 0) {
		return;
	}
	if (boot_info.reserved_count == BOOT_MAX_RESERVED) {
		panic("device tree: more than %u reserved ranges",
		      BOOT_MAX_RESERVED);
	}
	boot_info.reserved[boot_info.reserved_count++] =
		(struct boot_region){ base, size, 0 };
}

static void dt_parse_memory(const void *fdt)
{
	int node;

	fdt_for_each_subnode(node, fdt, 0) {
		paddr_t base;
		uint64_t size;
		uint32_t nid;

		if (!dt_is_type(fdt, node, "memory")) {
			continue;
		}
		nid = dt_node_id(fdt, node);
		if (!dt_reg_whole(fdt, node)) {
			panic("device tree: %s: malformed reg",
			      fdt_get_name(fdt, node, NULL));
		}
		for (int i = 0; dt_reg(fdt, node, i, &base, &size) == 0; i++) {
			dt_add_mem(base, size, nid);
		}
	}
	if (boot_info.mem_count == 0) {
		panic("device tree: no /memory node with a usable reg");
	}
}

static void dt_parse_reserved(const void *fdt)
{
	int rsv = fdt_path_offset(fdt, "/reserved-memory");
	int n = fdt_num_mem_rsv(fdt);
	int child;

	for (int i = 0; i < n; i++) {
		uint64_t base, size;

		if (fdt_get_mem_rsv(fdt, i, &base, &size) == 0) {
			dt_add_reserved(base, size);
		}
	}
	if (rsv < 0) {
		return;
	}
	fdt_for_each_subnode(child, fdt, rsv) {
		paddr_t base;
		uint64_t size;

		for (int i = 0; dt_reg(fdt, child, i, &base, &size) == 0; i++) {
			dt_add_reserved(base, size);
		}
	}
}

static void dt_parse_cpus(const void *fdt)
{
	int cpus = fdt_path_offset(fdt, "/cpus");
	int node;

	if (cpus < 0) {
		panic("device tree: no /cpus node");
	}
	fdt_for_each_subnode(node, fdt, cpus) {
		paddr_t mpidr;
		uint64_t unused;

		if (!dt_is_type(fdt, node, "cpu") ||
		    dt_reg(fdt, node, 0, &mpidr, &unused) != 0) {
			continue;
		}
		if (boot_info.cpu_count == BOOT_MAX_CPUS) {
			panic("device tree: more than %u CPUs", BOOT_MAX_CPUS);
		}
		boot_info.cpus[boot_info.cpu_count++] =
			(struct boot_cpu){ mpidr, dt_node_id(fdt, node) };
	}
	if (boot_info.cpu_count == 0) {
		panic("device tree: no cpu nodes under /cpus");
	}
}

static void dt_parse_distance(const void *fdt)
{
	int node = dt_find_compatible(fdt, "numa-distance-map-v1");
	int len;
	const fdt32_t *m;

	for (uint32_t i = 0; i < BOOT_MAX_NODES; i++) {
		for (uint32_t j = 0; j < BOOT_MAX_NODES; j++) {
			boot_info.distance[i][j] = i == j ? 10 : 20;
		}
	}
	if (node < 0) {
		return;
	}
	m = fdt_getprop(fdt, node, "distance-matrix", &len);
	if (!m || len % 12) {
		panic("device tree: malformed /distance-map distance-matrix");
	}
	for (int i = 0; i < len / 12; i++) {
		uint32_t from = fdt32_to_cpu(m[3 * i]);
		uint32_t to = fdt32_to_cpu(m[3 * i + 1]);
		uint32_t d = fdt32_to_cpu(m[3 * i + 2]);

		if (from >= BOOT_MAX_NODES || to >= BOOT_MAX_NODES || d > 255) {
			panic("device tree: distance-map entry %u out of range",
			      i);
		}
		boot_info.distance[from][to] = (uint8_t)d;
	}
	boot_info.has_distance_map = true;
}

static uint64_t dt_chosen_addr(const void *fdt, int chosen, const char *prop)
{
	int len;
	const fdt32_t *p = fdt_getprop(fdt, chosen, prop, &len);

	if (!p || (len != 4 && len != 8)) {
		return 0;
	}
	return dt_read_cells(p, len / 4);
}

static void dt_parse_chosen(const void *fdt)
{
	int chosen = fdt_path_offset(fdt, "/chosen");
	int psci = dt_find_compatible(fdt, "arm,psci-0.2");
	const char *method;

	boot_info.bootargs = "";
	if (chosen >= 0) {
		const char *args = fdt_getprop(fdt, chosen, "bootargs", NULL);

		if (args) {
			boot_info.bootargs = args;
		}
		boot_info.initrd_start =
			dt_chosen_addr(fdt, chosen, "linux,initrd-start");
		boot_info.initrd_end =
			dt_chosen_addr(fdt, chosen, "linux,initrd-end");
		if (boot_info.initrd_end < boot_info.initrd_start) {
			panic("device tree: /chosen initrd end before start");
		}
	}
	if (psci < 0) {
		psci = dt_find_compatible(fdt, "arm,psci");
	}
	method = psci >= 0 ? fdt_getprop(fdt, psci, "method", NULL) : NULL;
	boot_info.psci_hvc = method && strcmp(method, "hvc") == 0;
}

/** The UART: /chosen/stdout-path if it names a PL011, else the first one. */
static void dt_parse_uart(const void *fdt)
{
	int chosen = fdt_path_offset(fdt, "/chosen");
	const char *path = chosen >= 0 ?
		fdt_getprop(fdt, chosen, "stdout-path", NULL) : NULL;
	int node = -1;
	uint64_t size;

	if (path && path[0] != '/') {
		/* An alias: resolve one level ourselves (libfdt 1.6.1 resolves
		 * alias chains without bound), and only to an absolute path. */
		const char *colon = strchr(path, ':');
		int len = colon ? (int)(colon - path) : (int)strlen(path);
		int aliases = fdt_path_offset(fdt, "/aliases");

		path = aliases >= 0 ?
			fdt_getprop_namelen(fdt, aliases, path, len, NULL) :
			NULL;
		if (path && path[0] != '/') {
			path = NULL;
		}
	}
	if (path) {
		const char *colon = strchr(path, ':');
		int len = colon ? (int)(colon - path) : (int)strlen(path);

		node = fdt_path_offset_namelen(fdt, path, len);
		if (node >= 0 &&
		    fdt_node_check_compatible(fdt, node, "arm,pl011") != 0) {
			node = -1;
		}
	}
	if (node < 0) {
		node = dt_find_compatible(fdt, "arm,pl011");
	}
	if (node >= 0) {
		dt_reg(fdt, node, 0, &boot_info.uart_pa, &size);
		if (dt_cell(fdt, node, "interrupts", 1, &boot_info.uart_irq) ==
		    0) {
			boot_info.uart_irq += 32; /* SPI number to INTID */
		}
	}
}

static void dt_list_devices(const void *fdt)
{
	int node;

	fdt_for_each_subnode(node, fdt, 0) {
		const char *compat = fdt_getprop(fdt, node, "compatible", NULL);

		if (!compat || boot_info.device_count == BOOT_MAX_DEVICES) {
			continue;
		}
		boot_info.devices[boot_info.device_count++] =
			(struct boot_device){ fdt_get_name(fdt, node, NULL),
					      compat };
	}
}

void dt_parse(const void *fdt, paddr_t fdt_pa, uint64_t window)
{
	const char *why;
	int err;

	if (fdt_pa == 0) {
		panic("no device tree: the boot loader passed none (x0 = 0)");
	}
	if (window >= sizeof(struct fdt_header) && fdt_magic(fdt) == FDT_MAGIC &&
	    fdt_totalsize(fdt) > window) {
		panic("device tree at 0x%lx is %u bytes, over the %lu byte window",
		      (unsigned long)fdt_pa, fdt_totalsize(fdt),
		      (unsigned long)window);
	}
	why = fdt_guard_check(fdt, window);
	if (why) {
		panic("device tree at 0x%lx is corrupt: %s",
		      (unsigned long)fdt_pa, why);
	}
	err = fdt_check_header(fdt);
	if (err) {
		panic("device tree at 0x%lx is corrupt: %s",
		      (unsigned long)fdt_pa, fdt_strerror(err));
	}
	if (fdt_totalsize(fdt) > window) {
		panic("device tree at 0x%lx is %u bytes, over the %lu byte window",
		      (unsigned long)fdt_pa, fdt_totalsize(fdt),
		      (unsigned long)window);
	}
	err = fdt_check_full(fdt, fdt_totalsize(fdt));
	if (err) {
		panic("device tree at 0x%lx is corrupt: %s",
		      (unsigned long)fdt_pa, fdt_strerror(err));
	}
	boot_info.fdt = fdt;
	boot_info.fdt_pa = fdt_pa;
	boot_info.fdt_size = fdt_totalsize(fdt);
	dt_parse_memory(fdt);
	dt_parse_reserved(fdt);
	dt_parse_cpus(fdt);
	dt_parse_distance(fdt);
	dt_parse_chosen(fdt);
	dt_parse_uart(fdt);
	dt_list_devices(fdt);
}
