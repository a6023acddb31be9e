/* SPDX-License-Identifier: MIT */
/*
 * A simulated PCI configuration space for host tests of the PCI core. It
 * provides the pci_cfg_read()/pci_cfg_write() hooks (ctx is a struct
 * pci_sim *) and models what enumeration depends on:
 *  - functions on segments (the root bus, or the bus behind a bridge),
 *    reached only through bridges whose secondary/subordinate bus numbers
 *    are programmed: config cycles route like real type 1 cycles;
 *  - absent functions read as all ones;
 *  - BARs with read-only low bits and size-masked address bits, 64-bit
 *    BARs as pairs, expansion ROMs;
 *  - bridge windows with the read-only type nibbles (16/32-bit I/O,
 *    32/64-bit prefetchable) and optional windows that read as zero;
 *  - per-byte write masks for the rest of the header;
 *  - capability lists, including a PCI Express capability with a port type.
 * It also counts mistakes the code under test must never make.
 */
#ifndef RIFT_PCI_SIM_H
#define RIFT_PCI_SIM_H

#include <stdbool.h>
#include <stdint.h>

#define PCI_SIM_MAX_FUNCS 200
#define PCI_SIM_CFG_SIZE  4096
/** Segment 0 is the root bus. */
#define PCI_SIM_ROOT 0

/** BAR kinds for pci_sim_set_bar(). */
enum pci_sim_bar {
	PCI_SIM_BAR_IO = 1,
	PCI_SIM_BAR_MEM32,
	PCI_SIM_BAR_MEM32_PREF,
	PCI_SIM_BAR_MEM64,
	PCI_SIM_BAR_MEM64_PREF,
};

/** Bridge options for pci_sim_add_bridge(). */
enum pci_sim_bridge_flag {
	PCI_SIM_BR_IO = 1u << 0,     /**< Has an I/O window. */
	PCI_SIM_BR_IO32 = 1u << 1,   /**< ... decoding 32 bits. */
	PCI_SIM_BR_PREF = 1u << 2,   /**< Has a prefetchable window. */
	PCI_SIM_BR_PREF64 = 1u << 3, /**< ... decoding 64 bits. */
};

/** One simulated function. */
struct pci_sim_func {
	int seg; /**< Segment it sits on. */
	uint8_t dev;
	uint8_t fn;
	int child_seg;	/**< Bridges: segment behind it; else -1. */
	bool alias_fns; /**< Single-function device answering on every fn. */
	uint8_t bar_kind[6];
	uint64_t bar_size[6];
	uint32_t rom_size;
	uint8_t cap_tail; /**< Offset of the last capability, 0 if none. */
	uint8_t cap_next; /**< Where the next capability goes. */
	uint8_t cfg[PCI_SIM_CFG_SIZE];
	uint8_t wmask[256];
};

/** The simulated host bridge and everything below it. */
struct pci_sim {
	uint8_t root_bus;
	int seg_count;
	int func_count;
	struct pci_sim_func funcs[PCI_SIM_MAX_FUNCS];
	/* Mistakes of the code under test. */
	unsigned int bad_accesses;    /**< Unaligned, bad size, off >= 4K. */
	unsigned int route_conflicts; /**< Two bridges claimed one bus. */
	unsigned int sized_decoding;  /**< BAR sized with decode on. */
	unsigned int writes;	      /**< Config writes seen. */
};

/** Empties the simulator; `root_bus` is the host bridge's first bus. */
void pci_sim_init(struct pci_sim *s, uint8_t root_bus);

/** Adds a function; returns its index. `class_rev` = class << 8 | rev. */
int pci_sim_add_func(struct pci_sim *s, int seg, uint8_t dev, uint8_t fn,
		     uint16_t vendor, uint16_t device, uint32_t class_rev);

/** Adds a type 1 bridge (class 0604); returns its index. Its secondary
 *  segment is pci_sim_child(s, idx). `flags`: enum pci_sim_bridge_flag. */
int pci_sim_add_bridge(struct pci_sim *s, int seg, uint8_t dev, uint8_t fn,
		       uint16_t vendor, uint16_t device, uint32_t flags);

/** Segment behind bridge `idx`. */
int pci_sim_child(const struct pci_sim *s, int idx);

/** Declares BAR `bar` (kind: enum pci_sim_bar; size a power of two). */
void pci_sim_set_bar(struct pci_sim *s, int idx, int bar, int kind,
		     uint64_t size);

/** Declares an expansion ROM of `size` bytes. */
void pci_sim_set_rom(struct pci_sim *s, int idx, uint32_t size);

/** Appends a capability of `len` bytes; returns its offset. */
uint8_t pci_sim_add_cap(struct pci_sim *s, int idx, uint8_t id, uint8_t len);

/** Puts a capability at `off` at the head of the list (as QEMU does). */
uint8_t pci_sim_push_cap(struct pci_sim *s, int idx, uint8_t off, uint8_t id);

/** Adds a PCI Express capability with port type `type`. */
uint8_t pci_sim_add_pcie_cap(struct pci_sim *s, int idx, uint8_t type);

/** Sets the multi-function bit of function 0 of a device. */
void pci_sim_set_multifunction(struct pci_sim *s, int idx);

/** Makes a single-function device answer on every function number (legal
 *  for old devices; enumeration must only look at function 0). */
void pci_sim_set_alias(struct pci_sim *s, int idx);

/** Raw access to a function's registers, bypassing routing. */
uint32_t pci_sim_peek(const struct pci_sim *s, int idx, uint32_t off, int size);
void pci_sim_poke(struct pci_sim *s, int idx, uint32_t off, int size,
		  uint32_t val);

/** Function index that a config access to `bdf` reaches, or -1. */
int pci_sim_lookup(struct pci_sim *s, uint32_t bdf);

/** Decoded address of BAR `bar` of function `idx` (64-bit pairs joined). */
uint64_t pci_sim_bar_addr(const struct pci_sim *s, int idx, int bar);

/** A bridge's decoded window: kind 0 io, 1 mem, 2 pref. False if closed. */
bool pci_sim_window(const struct pci_sim *s, int idx, int kind, uint64_t *base,
		    uint64_t *limit);

/* QEMU device models: IDs, BAR layouts and capability offsets of QEMU 7.2
 * (checked against its `info pci` and its ECAM, read bare metal). */

/** gpex host bridge 1b36:0008, class 0600. */
int pci_sim_qemu_host(struct pci_sim *s, uint8_t dev);
/** virtio-blk-pci, transitional 1af4:1001 (modern 1af4:1042 behind a
 *  PCIe port): BAR0 I/O 128 (transitional only), BAR1 mem32 4K (MSI-X),
 *  BAR4 mem64pref 16K (virtio structures). */
int pci_sim_qemu_virtio_blk(struct pci_sim *s, int seg, uint8_t dev,
			    bool modern);
/** virtio-net-pci 1af4:1000 / 1af4:1041: BAR0 I/O 32 (transitional),
 *  BAR1 4K, BAR4 mem64pref 16K, 256K expansion ROM (efi-virtio.rom). */
int pci_sim_qemu_virtio_net(struct pci_sim *s, int seg, uint8_t dev,
			    bool modern);
/** e1000e 8086:10d3: BAR0 mem32 128K, BAR1 mem32 128K (flash), BAR2 I/O
 *  32, BAR3 mem32 16K (MSI-X), ROM 256K; PM, MSI, PCIe (integrated
 *  endpoint on the root bus), MSI-X caps. */
int pci_sim_qemu_e1000e(struct pci_sim *s, int seg, uint8_t dev);
/** pcie-root-port 1b36:000c: BAR0 mem32 4K (MSI-X), 16-bit I/O and
 *  64-bit prefetchable windows, PCIe capability (root port). */
int pci_sim_qemu_root_port(struct pci_sim *s, int seg, uint8_t dev);
/** pci-bridge 1b36:0001: BAR0 mem64 256 (SHPC), 16-bit I/O and 64-bit
 *  prefetchable windows, slot ID, MSI and SHPC capabilities. */
int pci_sim_qemu_pci_bridge(struct pci_sim *s, int seg, uint8_t dev);

/** Indexes (into struct pci_sim.funcs) of the QEMU virt test machine. */
struct pci_sim_virt {
	int host;      /**< 00:00.0 gpex host bridge. */
	int blk;       /**< 00:01.0 virtio-blk-pci (transitional). */
	int net;       /**< 00:02.0 virtio-net-pci (transitional). */
	int e1000e;    /**< 00:03.0 e1000e. */
	int root_port; /**< 00:04.0 pcie-root-port. */
	int blk2;      /**< 01:00.0 virtio-blk-pci (modern) behind it. */
	int bridge;    /**< 00:05.0 pci-bridge. */
	int net2;      /**< 02:01.0 virtio-net-pci (transitional) behind it. */
};

/**
 * Builds what `qemu-system-aarch64 -M virt -device virtio-blk-pci
 * -device virtio-net-pci -device e1000e -device pcie-root-port,id=rp
 * -device virtio-blk-pci,bus=rp -device pci-bridge,id=br,chassis_nr=1
 * -device virtio-net-pci,bus=br,addr=1` shows before any firmware runs.
 */
void pci_sim_qemu_virt(struct pci_sim *s, struct pci_sim_virt *v);

struct pci_enum_config;

/** The host bridge windows of QEMU virt's device tree (highmem on):
 *  I/O 64K at CPU 0x3eff0000, mem32 0x10000000-0x3efeffff, 64-bit
 *  0x80_0000_0000 + 512G; buses 0-255. */
void pci_sim_qemu_virt_config(struct pci_enum_config *cfg);

#endif
