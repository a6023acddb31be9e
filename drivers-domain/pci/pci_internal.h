/* SPDX-License-Identifier: MIT */
/*
 * Private interfaces between the files of the PCI core. Not for the server
 * or drivers: they use pci_enum.h, pci_dump.h and pci_list.h.
 */
#ifndef RIFT_PCI_INTERNAL_H
#define RIFT_PCI_INTERNAL_H

#include "pci_enum.h"
#include "pci_regs.h"

/** I/O window granule of a bridge (PCI-to-PCI Bridge 1.2, 3.2.5.6). */
#define PCI_IO_GRANULE 0x1000ull
/** Memory window granule of a bridge (3.2.5.8, 3.2.5.9). */
#define PCI_MEM_GRANULE 0x100000ull
/**
 * Smallest room a memory BAR gets: one 4 KiB page, page-aligned. Device
 * frames are whole pages, so BARs handed to different drivers must never
 * share a page (a driver mapping its BAR would reach its neighbour's).
 */
#define PCI_MEM_BAR_MIN 0x1000ull
/** Highest I/O bus address used: 64 KiB of I/O space per host bridge. */
#define PCI_IO_LIMIT_MAX 0xffffull
/** Lowest I/O bus address used (legacy ISA range left alone). */
#define PCI_IO_FIRST 0x1000ull

/** Appends an error to topo (counts it in errors_dropped when full). */
void pci_enum_report(struct pci_topology *topo, enum pci_enum_status code,
		     uint32_t bdf, uint16_t func, uint8_t slot, uint64_t size);

/**
 * Sizes and places every recorded BAR and bridge window, then programs
 * the BAR and window registers. Called once by pci_enum_run() after the
 * discovery pass; decoding is off on every function at that point.
 */
void pci_alloc_assign(void *ctx, struct pci_topology *topo);

/** Byte-sized configuration accessors (thin wrappers over the hooks). */
static inline uint8_t pci_cfg_read8(void *ctx, uint32_t bdf, uint32_t off)
{
	return (uint8_t)pci_cfg_read(ctx, bdf, off, 1);
}

static inline uint16_t pci_cfg_read16(void *ctx, uint32_t bdf, uint32_t off)
{
	return (uint16_t)pci_cfg_read(ctx, bdf, off, 2);
}

static inline uint32_t pci_cfg_read32(void *ctx, uint32_t bdf, uint32_t off)
{
	return pci_cfg_read(ctx, bdf, off, 4);
}

static inline void pci_cfg_write8(void *ctx, uint32_t bdf, uint32_t off,
				  uint8_t val)
{
	pci_cfg_write(ctx, bdf, off, 1, val);
}

static inline void pci_cfg_write16(void *ctx, uint32_t bdf, uint32_t off,
				   uint16_t val)
{
	pci_cfg_write(ctx, bdf, off, 2, val);
}

static inline void pci_cfg_write32(void *ctx, uint32_t bdf, uint32_t off,
				   uint32_t val)
{
	pci_cfg_write(ctx, bdf, off, 4, val);
}

#endif
