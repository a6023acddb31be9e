/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the kernel's boot device-tree reader
 * (kernel/core/dt.c). Built and run by `make fuzz` (tests/unit/dt.mk),
 * seeded with QEMU's own trees.
 *
 * Each input goes to dt_parse() as the tree, its size as the window. panic()
 * longjmps back: a panic is a clean rejection, if it has a message. No
 * input may crash or hang it (libfdt 1.6.1 does on some blobs; dt.c's
 * structural check, rift/fdt_guard.h, must keep them away). A tree that
 * parses must give a consistent boot_info:
 *  - table counts within their bounds, at least one memory range and CPU;
 *  - memory ranges page-aligned, non-empty, and inside a range the tree
 *    describes (checked here independently, with 128-bit arithmetic);
 *  - NUMA node ids below BOOT_MAX_NODES and node_count above all of them;
 *  - reserved ranges non-empty; initrd end not before its start;
 *  - every string it keeps (bootargs, device names) inside the tree.
 * A broken invariant aborts with a message: libFuzzer saves the input.
 */
#include <libfdt.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include <rift/bootinfo.h>
#include <rift/printk.h>

static jmp_buf panic_jmp;
static volatile int parsing;
static char panic_msg[256];

void panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintk(panic_msg, sizeof(panic_msg), fmt, ap);
	va_end(ap);
	if (!parsing) {
		fprintf(stderr, "fuzz_dt: panic outside dt_parse: %s\n",
			panic_msg);
		abort();
	}
	longjmp(panic_jmp, 1);
}

void klog_write(const char *s, size_t len)
{
	(void)s;
	(void)len;
}

static void broken(const char *what, unsigned long long v)
{
	fprintf(stderr, "fuzz_dt: invariant broken: %s (%#llx)\n", what, v);
	abort();
}

static int in_blob(const char *s, const uint8_t *b, size_t n)
{
	const char *lo = (const char *)b;

	return s >= lo && s < lo + n && memchr(s, '\0', (size_t)(lo + n - s));
}

typedef unsigned __int128 u128;

/* Does some reg entry of a root-level memory node contain [base, +size)? */
static int described(const void *fdt, paddr_t base, uint64_t size)
{
	int ac = fdt_address_cells(fdt, 0), sc = fdt_size_cells(fdt, 0);
	int node;

	if (ac < 1 || ac > 2 || sc < 0 || sc > 2) {
		return 0;
	}
	fdt_for_each_subnode(node, fdt, 0) {
		const char *t = fdt_getprop(fdt, node, "device_type", NULL);
		int len, stride = ac + sc;
		const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);

		if (!t || strcmp(t, "memory") != 0 || !reg) {
			continue;
		}
		for (int i = 0; (i + 1) * stride * 4 <= len; i++) {
			const fdt32_t *e = reg + i * stride;
			u128 b = fdt32_to_cpu(e[0]), s = 0;

			if (ac == 2) {
				b = (b << 32) | fdt32_to_cpu(e[1]);
			}
			for (int k = 0; k < sc; k++) {
				s = (s << 32) | fdt32_to_cpu(e[ac + k]);
			}
			if (base >= b && (u128)base + size <= b + s) {
				return 1;
			}
		}
	}
	return 0;
}

static void check_valid(const uint8_t *data, size_t size)
{
	const struct boot_info *bi = &boot_info;
	uint32_t max_node = 0;

	if (bi->fdt != data || bi->fdt_size > size ||
	    bi->fdt_size != fdt_totalsize(data)) {
		broken("fdt", bi->fdt_size);
	}
	if (bi->mem_count < 1 || bi->mem_count > BOOT_MAX_MEM) {
		broken("mem_count", bi->mem_count);
	}
	for (uint32_t i = 0; i < bi->mem_count; i++) {
		const struct boot_region *r = &bi->mem[i];

		if (r->size == 0 || (r->base | r->size) & 4095 ||
		    r->base + r->size < r->base) {
			broken("memory range", r->base);
		}
		if (!described(data, r->base, r->size)) {
			broken("memory range not in the tree", r->base);
		}
		if (r->node >= BOOT_MAX_NODES) {
			broken("memory node", r->node);
		}
		max_node = r->node > max_node ? r->node : max_node;
	}
	if (bi->cpu_count < 1 || bi->cpu_count > BOOT_MAX_CPUS) {
		broken("cpu_count", bi->cpu_count);
	}
	for (uint32_t i = 0; i < bi->cpu_count; i++) {
		if (bi->cpus[i].node >= BOOT_MAX_NODES) {
			broken("cpu node", bi->cpus[i].node);
		}
		max_node = bi->cpus[i].node > max_node ? bi->cpus[i].node :
							 max_node;
	}
	if (bi->node_count > BOOT_MAX_NODES || bi->node_count <= max_node) {
		broken("node_count", bi->node_count);
	}
	if (bi->reserved_count > BOOT_MAX_RESERVED) {
		broken("reserved_count", bi->reserved_count);
	}
	for (uint32_t i = 0; i < bi->reserved_count; i++) {
		if (bi->reserved[i].size == 0) {
			broken("empty reserved range", bi->reserved[i].base);
		}
	}
	if (!bi->has_distance_map) {
		for (int i = 0; i < BOOT_MAX_NODES; i++) {
			for (int j = 0; j < BOOT_MAX_NODES; j++) {
				if (bi->distance[i][j] != (i == j ? 10 : 20)) {
					broken("default distance", i * 8 + j);
				}
			}
		}
	}
	if (bi->initrd_end < bi->initrd_start) {
		broken("initrd", bi->initrd_start);
	}
	if (!bi->bootargs ||
	    (bi->bootargs[0] && !in_blob(bi->bootargs, data, size))) {
		broken("bootargs", 0);
	}
	if (bi->device_count > BOOT_MAX_DEVICES) {
		broken("device_count", bi->device_count);
	}
	for (uint32_t i = 0; i < bi->device_count; i++) {
		if (!in_blob(bi->devices[i].name, data, size) ||
		    !in_blob(bi->devices[i].compatible, data, size)) {
			broken("device strings", i);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	memset(&boot_info, 0, sizeof(boot_info));
	panic_msg[0] = '\0';
	if (setjmp(panic_jmp)) {
		parsing = 0;
		if (!panic_msg[0]) {
			broken("panic without a message", 0);
		}
		return 0;
	}
	parsing = 1;
	dt_parse(data, 0x40000000, size);
	parsing = 0;
	check_valid(data, size);
	return 0;
}
