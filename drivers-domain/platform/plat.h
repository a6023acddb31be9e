/* SPDX-License-Identifier: MIT */
/*
 * The platform register server (docs/platforms.md): its machine vector.
 *
 * A backend is a board's register-level code behind struct plat_backend.
 * plat_select() picks one at run time from the `compatible` strings of the
 * hardware device tree; nothing here is chosen by #ifdef, so one server
 * binary serves every board of the architecture. The topology (nodes, their
 * memory and CPUs, distances) is read from the device tree for every board
 * by plat_topo.c, whatever the backend.
 *
 * Everything in this header and in plat_topo.c, plat_select.c and the
 * backends is pure C over the device tree and a register accessor seam
 * (plat_mmio.h): the host unit tests build it with a register model in
 * place of the hardware (tests/unit/test_plat_*.c).
 */
#ifndef PLATFORM_PLAT_H
#define PLATFORM_PLAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "plat_mmio.h"

#define PLAT_MAX_NODES 64
#define PLAT_MAX_CPUS 256
#define PLAT_MAX_RANGES 16   /* memory ranges per node */
#define PLAT_LOCAL_DISTANCE 10
#define PLAT_REMOTE_DISTANCE 20

/* Error codes: the values of enum rift_error (rift/msg.h) the handlers
 * return, repeated so the pure code needs no runtime header. */
#define PLAT_OK 0
#define PLAT_EINVAL (-1)
#define PLAT_ENOSYS (-3)
#define PLAT_EIO (-6)
#define PLAT_EPERM (-7)
#define PLAT_ENOENT (-10)

/** feature bits (the values of platform.idl's enum feature). */
#define PLAT_F_RTC 1u
#define PLAT_F_POWER_BUTTON 2u
#define PLAT_F_IPI 4u
#define PLAT_F_TLB_PURGE 8u

/** One NUMA node. */
struct plat_node {
	uint32_t id;          /**< numa-node-id */
	uint32_t cpu_count;
	uint32_t range_count; /**< of base[] / size[] */
	uint64_t base[PLAT_MAX_RANGES];
	uint64_t size[PLAT_MAX_RANGES];
};

/** The machine's topology, from the device tree. */
struct plat_topo {
	uint32_t node_count;              /**< of nodes[], sorted by id */
	struct plat_node nodes[PLAT_MAX_NODES];
	uint32_t cpu_count;               /**< of cpu_hwid[] / cpu_node[] */
	uint64_t cpu_hwid[PLAT_MAX_CPUS]; /**< `reg` of each cpu node */
	uint32_t cpu_node[PLAT_MAX_CPUS]; /**< its node id */
	bool have_distances;              /**< /distance-map was present */
	/** distance[i][j]: from nodes[i] to nodes[j] (positions, not ids). */
	uint8_t distance[PLAT_MAX_NODES][PLAT_MAX_NODES];
};

/**
 * Reads the topology: every /memory node (`reg`, `numa-node-id`), every
 * cpu under /cpus (`reg`, `numa-node-id`), /distance-map
 * (`distance-matrix`). A tree without `numa-node-id` has one node, 0.
 * Returns 0, or -1 with the reason in @err (a malformed property, too many
 * nodes, CPUs or ranges, a CPU or distance naming a node without memory).
 */
int plat_topo_parse(const void *fdt, struct plat_topo *t, char *err,
		    size_t err_size);

/** Position of node @id in t->nodes, or -1. */
int plat_topo_index(const struct plat_topo *t, uint32_t id);

/** Backend state; each backend uses its own part. */
struct plat_virt {
	struct plat_mmio rtc;  /**< PL031 */
	struct plat_mmio gpio; /**< PL061 */
	uint32_t power_pin;    /**< GPIO line of KEY_POWER */
	bool have_rtc;
	bool have_key;
};

#define PLAT_SHUB_MAX 64

/** One Shub 1 (one per node) as the device tree describes it. */
struct plat_shub {
	uint32_t nasid;       /**< its NUMALink node address */
	uint32_t node;        /**< numa-node-id it serves */
	struct plat_mmio mmr; /**< its global MMR space (not mapped whole) */
	/* The four 4 KiB pages of it that hold the registers used. */
	struct plat_mmio ipi; /**< SH_IPI_INT */
	struct plat_mmio ptc; /**< SH1_PTC_0, SH1_PTC_1 */
	struct plat_mmio rtc; /**< SH_RTC */
	struct plat_mmio pio; /**< SH_PIO_WRITE_STATUS_0 and its alias */
};

struct plat_shub1 {
	struct plat_shub shubs[PLAT_SHUB_MAX];
	uint32_t count;
	uint32_t local;      /**< index of the Shub of the node we run on */
	uint64_t rtc_hz;     /**< SH_RTC frequency (clock-frequency) */
	uint64_t rtc_epoch;  /**< real time (s) at SH_RTC = 0 (sgi,rtc-epoch) */
	uint32_t max_active; /**< PTC writes in flight before a wait (32) */
};

/** What a backend probe and the server share. */
struct plat_ctx {
	const void *fdt;
	const struct plat_backend *backend;
	char board[64]; /**< root compatible, first string */
	struct plat_topo topo;
	struct plat_virt virt;
	struct plat_shub1 shub;
};

/** Real time as a backend reads it. */
struct plat_time {
	uint64_t sec;
	uint32_t nsec;
	bool precise; /**< nsec is meaningful (else the RTC counts seconds) */
};

/**
 * A machine vector. probe() finds and maps the backend's registers (from
 * the device tree in ctx->fdt); the other operations may be NULL where the
 * board does not have them (the handler then answers RIFT_ENOSYS).
 */
struct plat_backend {
	const char *name;
	/** Matched against the root's and every node's compatible strings;
	 *  NULL-terminated. An empty list matches any tree (the fallback). */
	const char *const *compatible;
	int (*probe)(struct plat_ctx *ctx, char *err, size_t err_size);
	/** Feature bits the probed board has (PLAT_F_*). */
	uint32_t (*features)(const struct plat_ctx *ctx);
	int (*rtc_read)(struct plat_ctx *ctx, struct plat_time *t);
	/** Called when the power interrupt fired: true if the button was
	 *  pressed (the device's interrupt is cleared either way). */
	bool (*power_irq)(struct plat_ctx *ctx);
	int (*ipi)(struct plat_ctx *ctx, uint32_t node, uint64_t cpu,
		   uint8_t vector, uint32_t mode);
	int (*tlb_purge)(struct plat_ctx *ctx, uint64_t node_mask,
			 uint64_t start, uint64_t size, uint32_t page_shift,
			 uint32_t rid, uint32_t *purges, uint32_t *deadlocks);
};

extern const struct plat_backend plat_backend_virt;
extern const struct plat_backend plat_backend_shub1;
extern const struct plat_backend plat_backend_generic;

/**
 * The backend for the tree @fdt: the first of the table (sgi-shub1,
 * qemu-virt, then the generic fallback with topology only) one of whose
 * compatible strings the root or any node has. Never NULL.
 */
const struct plat_backend *plat_select(const void *fdt);

/**
 * Entry @index of @node's `reg`, with its parent's cell counts (1 or 2).
 * Returns 0, or -1 if there is no such entry or the cells are unusable.
 */
int plat_dt_reg(const void *fdt, int node, uint32_t index, uint64_t *pa,
		uint64_t *size);

/** Fills ctx->board with the root's first compatible string. */
void plat_board_name(const void *fdt, char *out, size_t size);

#endif
