/* SPDX-License-Identifier: MIT */
/*
 * PCI enumeration and resource assignment: the portable core of the PCI
 * server. It walks every bus behind one host bridge (through PCI-to-PCI
 * bridges and PCI Express ports), numbers the buses depth first, sizes every
 * BAR, assigns them from the host bridge windows, programs the bridge
 * windows, and leaves I/O decode, memory decode and bus mastering OFF until
 * a driver claims a device (pci_enum_enable()).
 *
 * Configuration space is reached only through two hooks the user supplies
 * (the server: ECAM MMIO; the host tests: a simulator). No allocation, no
 * libc: the caller owns all memory, results land in a struct pci_topology.
 *
 * Contract:
 *  - Not reentrant on one topology; the caller serialises calls that take
 *    the same topology (the server is single threaded).
 *  - Never trusts the hardware: absent functions, broken capability lists,
 *    impossible BARs and exhausted windows are reported, never fatal. After
 *    any failure the topology and the hardware agree: a resource that could
 *    not be placed is marked unassigned here and programmed as 0 there, and
 *    memory decoding stays off for its function.
 *  - Addresses in the topology and in BARs are PCI bus addresses; the
 *    windows carry the CPU address too (pci_topo_cpu_addr()).
 *
 * Queries over a finished topology are in pci_topo.h.
 */
#ifndef RIFT_PCI_ENUM_H
#define RIFT_PCI_ENUM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** Functions one topology can hold (256 buses are possible; QEMU virt
 *  setups use a few dozen). Beyond this, PCI_ENUM_ERR_TOO_MANY_FUNCS. */
#define PCI_ENUM_MAX_FUNCS 128
/** BARs in a type 0 header (a type 1 header uses the first two). */
#define PCI_ENUM_BAR_COUNT 6
/** Capabilities of the standard list remembered per function: as many as
 *  fit in 256 bytes, which also bounds the walk of a looping list. */
#define PCI_ENUM_MAX_CAPS 48
/** Errors remembered per run; more are counted in errors_dropped. */
#define PCI_ENUM_MAX_ERRORS 32
/** "No function": the parent of functions on the root bus. */
#define PCI_ENUM_NONE 0xffffu

/** Bus/device/function packed as in ECAM: bus 15:8, device 7:3, fn 2:0. */
#define PCI_BDF(bus, dev, fn)                                              \
	((((uint32_t)(bus)&0xffu) << 8) | (((uint32_t)(dev)&0x1fu) << 3) | \
	 ((uint32_t)(fn)&0x7u))
#define PCI_BDF_BUS(bdf) ((uint8_t)(((bdf) >> 8) & 0xffu))
#define PCI_BDF_DEV(bdf) ((uint8_t)(((bdf) >> 3) & 0x1fu))
#define PCI_BDF_FN(bdf)	 ((uint8_t)((bdf)&0x7u))

/**
 * Reads `size` (1, 2 or 4) bytes at `off` (naturally aligned, < 4096) of
 * function `bdf`'s configuration space, as a CPU integer. An absent
 * function reads as all ones. Supplied by the user of this module.
 */
uint32_t pci_cfg_read(void *ctx, uint32_t bdf, uint32_t off, int size);

/** Writes `size` bytes of `val` at `off` of `bdf`. Supplied by the user. */
void pci_cfg_write(void *ctx, uint32_t bdf, uint32_t off, int size,
		   uint32_t val);

/** Result codes. Every error also appears in pci_topology.errors. */
enum pci_enum_status {
	PCI_ENUM_OK = 0,
	/** Invalid configuration (bus range, window wraps) or index. */
	PCI_ENUM_ERR_BAD_ARGUMENT,
	/** A bridge found when no bus number was left in the bus range;
	 *  the bridge is left closed and its subtree unscanned. */
	PCI_ENUM_ERR_OUT_OF_BUSES,
	/** A BAR or bridge window did not fit in its host window; it is
	 *  left unassigned (error.size says how big it was). */
	PCI_ENUM_ERR_WINDOW_EXHAUSTED,
	/** A BAR needs a window that is missing (no host I/O window, or a
	 *  bridge above it without an I/O window). Left unassigned. */
	PCI_ENUM_ERR_NO_WINDOW,
	/** More functions than PCI_ENUM_MAX_FUNCS; extra ones are quiesced
	 *  (decode off), not recorded, and their subtrees not scanned. */
	PCI_ENUM_ERR_TOO_MANY_FUNCS,
	/** pci_enum_enable(): a memory BAR of the function (or of a bridge
	 *  above it) is unassigned, so memory decoding cannot be turned on
	 *  safely. */
	PCI_ENUM_ERR_UNASSIGNED,
};

/** Where a resource is allocated from. */
enum pci_res_kind {
	PCI_RES_NONE = 0,
	PCI_RES_IO,   /**< I/O window. */
	PCI_RES_MEM,  /**< 32-bit non-prefetchable memory window. */
	PCI_RES_PREF, /**< Prefetchable (64-bit) memory window. */
};

/** BAR flags (struct pci_bar.flags). */
enum pci_bar_flag {
	PCI_BAR_F_IO = 1u << 0,	      /**< I/O space BAR. */
	PCI_BAR_F_64 = 1u << 1,	      /**< 64-bit memory BAR (uses i+1). */
	PCI_BAR_F_PREFETCH = 1u << 2, /**< Prefetchable memory. */
	PCI_BAR_F_UPPER = 1u << 3,    /**< Upper half of BAR i-1. */
	PCI_BAR_F_ASSIGNED = 1u << 4, /**< addr is valid and programmed. */
};

/** One base address register. size == 0: not implemented. */
struct pci_bar {
	uint64_t addr;		/**< Bus address; 0 when not assigned. */
	uint64_t size;		/**< Power of two, also its alignment. */
	uint32_t flags;		/**< enum pci_bar_flag. */
	enum pci_res_kind kind; /**< Window it was allocated from. */
};

/** One bridge forwarding window. size == 0: closed. */
struct pci_window {
	uint64_t base;	/**< Bus address. */
	uint64_t size;	/**< Multiple of the window granule. */
	uint64_t align; /**< Alignment the window needs (>= granule). */
};

/** Type 1 (bridge) state. */
struct pci_bridge {
	uint8_t primary;     /**< Bus the bridge sits on. */
	uint8_t secondary;   /**< Bus directly behind it; 0 if closed. */
	uint8_t subordinate; /**< Highest bus behind it. */
	bool has_io;	     /**< Implements an I/O window. */
	bool io32;	     /**< I/O window decodes 32 bits. */
	bool has_pref;	     /**< Implements a prefetchable window. */
	bool pref64;	     /**< Prefetchable window decodes 64 bits. */
	bool pcie_port;	     /**< Root/downstream port: only device 0 below. */
	struct pci_window io;
	struct pci_window mem;
	struct pci_window pref;
	uint16_t enabled_below; /**< Enabled functions in the subtree. */
};

/** A capability of the standard (first 256 bytes) list. */
struct pci_cap_entry {
	uint8_t id;	/**< Capability ID (0x10 PCIe, 0x11 MSI-X, ...). */
	uint8_t offset; /**< Config space offset. */
};

/** One function found by enumeration. */
struct pci_func {
	uint32_t bdf;	     /**< PCI_BDF(bus, dev, fn). */
	uint16_t vendor;     /**< Vendor ID. */
	uint16_t device;     /**< Device ID. */
	uint32_t class_code; /**< Base class 23:16, sub 15:8, prog-if 7:0. */
	uint8_t revision;    /**< Revision ID. */
	uint8_t header_type; /**< Raw register (bit 7: multi-function). */
	uint8_t pcie_type;   /**< PCIe port type, 0xff: no PCIe cap. */
	uint8_t int_pin;     /**< 0 none, 1..4 = INTA..INTD. */
	uint8_t command;     /**< Decode/master bits this module wrote. */
	bool enabled;	     /**< Claimed and enabled (pci_enum_enable). */
	bool master;	     /**< Bus mastering on (pci_enum_set_master). */
	uint16_t parent;     /**< Index of the bridge above, or NONE. */
	uint8_t cap_count;   /**< Entries in caps (list order). */
	struct pci_cap_entry caps[PCI_ENUM_MAX_CAPS];
	struct pci_bar bars[PCI_ENUM_BAR_COUNT];
	struct pci_bridge bridge; /**< Valid when is_bridge. */
	bool is_bridge;		  /**< Type 1 header. */
};

/** Resource slots named in errors: BARs 0..5, then bridge windows. */
enum pci_res_slot {
	PCI_SLOT_IO_WINDOW = PCI_ENUM_BAR_COUNT,
	PCI_SLOT_MEM_WINDOW,
	PCI_SLOT_PREF_WINDOW,
	PCI_SLOT_NONE = 0xff,
};

/** One reported problem. */
struct pci_enum_error {
	enum pci_enum_status code;
	uint32_t bdf;  /**< Function concerned. */
	uint16_t func; /**< Its index, or PCI_ENUM_NONE if not recorded. */
	uint8_t slot;  /**< enum pci_res_slot, or PCI_SLOT_NONE. */
	uint64_t size; /**< Bytes that did not fit (window errors). */
};

/** A host bridge window, as parsed from the device tree `ranges`. */
struct pci_enum_window {
	uint64_t bus_base; /**< PCI bus address of the first byte. */
	uint64_t cpu_base; /**< CPU physical address of the first byte. */
	uint64_t size;	   /**< 0: the window does not exist. */
};

/** Input: what the host bridge offers. */
struct pci_enum_config {
	uint8_t bus_start;	      /**< `bus-range` first bus (root). */
	uint8_t bus_end;	      /**< `bus-range` last bus. */
	struct pci_enum_window mem32; /**< Non-prefetchable, below 4 GiB. */
	struct pci_enum_window pref;  /**< Prefetchable (64-bit) memory. */
	struct pci_enum_window io;    /**< I/O space. */
};

/** Output: everything found, in depth-first discovery order (a bridge
 *  comes before everything below it). */
struct pci_topology {
	struct pci_enum_config config; /**< Copy of the input. */
	uint16_t func_count;
	uint8_t last_bus; /**< Highest bus number assigned. */
	uint16_t error_count;
	uint16_t errors_dropped;
	struct pci_enum_error errors[PCI_ENUM_MAX_ERRORS];
	struct pci_func funcs[PCI_ENUM_MAX_FUNCS];
};

/**
 * Enumerates the buses of `config`, assigns bus numbers, BARs and bridge
 * windows, and fills `topo` (fully overwritten). Decoding and bus mastering
 * are turned off on every function found, including ones left enabled by a
 * previous run (a restarted server starts from a quiet bus).
 *
 * Returns PCI_ENUM_OK, or the code of the first error recorded in
 * topo->errors; `topo` is consistent with the hardware either way.
 */
enum pci_enum_status pci_enum_run(void *ctx,
				  const struct pci_enum_config *config,
				  struct pci_topology *topo);

/**
 * Turns on memory decoding for function `idx` (and I/O decoding when all
 * its I/O BARs are assigned), and forwarding (decoding and bus mastering)
 * on every bridge above it. The function's own bus mastering stays off
 * until pci_enum_set_master() (docs/dma.md: no DMA before the DMA server
 * gave the device an address space). Fails with PCI_ENUM_ERR_UNASSIGNED, changing nothing, if
 * a memory BAR of the function or of a bridge above it is unassigned (it
 * would decode at address 0). Enabling twice is harmless.
 */
enum pci_enum_status pci_enum_enable(void *ctx, struct pci_topology *topo,
				     uint16_t idx);

/**
 * Turns decoding and bus mastering off for function `idx`, and forwarding
 * off on each bridge above it that has no other enabled function below.
 */
enum pci_enum_status pci_enum_disable(void *ctx, struct pci_topology *topo,
				      uint16_t idx);

/**
 * Turns bus mastering of enabled endpoint `idx` on or off.
 * PCI_ENUM_ERR_BAD_ARGUMENT, changing nothing, for a bridge or a function
 * that is not enabled. pci_enum_disable() turns it off too.
 */
enum pci_enum_status pci_enum_set_master(void *ctx, struct pci_topology *topo,
					 uint16_t idx, bool on);

/** Short English name of a status code. */
const char *pci_enum_status_str(enum pci_enum_status status);

#endif
