/* SPDX-License-Identifier: MIT */
/*
 * What the kernel learns from the device tree at boot (dt.c). Filled once on
 * the boot CPU, read-only afterwards.
 */
#ifndef RIFT_BOOTINFO_H
#define RIFT_BOOTINFO_H

#include <rift/types.h>

#define BOOT_MAX_MEM 32
#define BOOT_MAX_RESERVED 32
#define BOOT_MAX_CPUS 16
#define BOOT_MAX_NODES 8
#define BOOT_MAX_DEVICES 48

struct boot_region {
	paddr_t base;
	uint64_t size;
	uint32_t node; /**< NUMA node (memory ranges only) */
};

struct boot_cpu {
	uint64_t mpidr;
	uint32_t node;
};

/** A device node seen in the tree, for the banner and the supervisor. */
struct boot_device {
	const char *name;       /**< node name, e.g. "pl011@9000000" */
	const char *compatible; /**< first compatible string */
};

struct boot_info {
	const void *fdt; /**< kernel VA of the device tree */
	paddr_t fdt_pa;
	uint32_t fdt_size;

	struct boot_region mem[BOOT_MAX_MEM];
	uint32_t mem_count;
	struct boot_region reserved[BOOT_MAX_RESERVED];
	uint32_t reserved_count;

	struct boot_cpu cpus[BOOT_MAX_CPUS];
	uint32_t cpu_count;

	uint32_t node_count; /**< highest node id seen + 1 */
	uint8_t distance[BOOT_MAX_NODES][BOOT_MAX_NODES];
	bool has_distance_map;

	struct boot_device devices[BOOT_MAX_DEVICES];
	uint32_t device_count;

	const char *bootargs;
	paddr_t initrd_start;
	paddr_t initrd_end;
	bool psci_hvc; /**< PSCI conduit is HVC (else SMC) */

	paddr_t uart_pa;
	uint32_t uart_irq; /**< GIC INTID, 0 if none */
};

extern struct boot_info boot_info;

/**
 * Parse the device tree at @fdt (kernel VA, @window bytes readable) into
 * boot_info. Panics, naming the problem, on a missing or corrupt tree, a
 * tree without memory, or more entries than the tables above hold.
 */
void dt_parse(const void *fdt, paddr_t fdt_pa, uint64_t window);

/* Helpers for arch and driver code reading their own nodes. */
int dt_find_compatible(const void *fdt, const char *compat);
int dt_reg(const void *fdt, int node, int idx, paddr_t *base, uint64_t *size);
/** Read the @idx'th cell of property @prop of @node into *@out. */
int dt_cell(const void *fdt, int node, const char *prop, int idx,
	    uint32_t *out);

#endif
