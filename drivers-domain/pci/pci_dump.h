/* SPDX-License-Identifier: MIT */
/*
 * Configuration space dumps in the text format of `lspci -n -x` (what
 * libpci's dump back end reads: `lspci -F <file>`, PCI_ACCESS_DUMP):
 *
 *   BB:DD.F CCCC: VVVV:DDDD[ (rev RR)]
 *   00: xx xx xx xx xx xx xx xx xx xx xx xx xx xx xx xx
 *   10: ...
 *   <blank line>
 *
 * one block per function in bus/device/function order, 16 bytes a line,
 * offsets in hex (three digits from 0x100 on, as lspci -xxxx prints them).
 * Bytes come from the live configuration space through pci_cfg_read(), in
 * configuration space (little-endian) order. See docs/pci.md.
 */
#ifndef RIFT_PCI_DUMP_H
#define RIFT_PCI_DUMP_H

#include <stddef.h>
#include <stdint.h>

#include "pci_enum.h"

/** How much configuration space each block shows. */
enum pci_dump_bytes {
	PCI_DUMP_HEADER = 64,	  /**< lspci -x: the standard header. */
	PCI_DUMP_FULL = 256,	  /**< lspci -xxx: header + capabilities. */
	PCI_DUMP_EXTENDED = 4096, /**< lspci -xxxx: PCIe extended space. */
};

/**
 * Writes the block of function `bdf` (`bytes` is one of enum
 * pci_dump_bytes; anything else means PCI_DUMP_FULL) into buf[0..cap),
 * NUL-terminated. Returns the length of the whole block, which may exceed
 * cap - 1: then the text is truncated (snprintf semantics).
 */
size_t pci_dump_func(void *ctx, uint32_t bdf, uint32_t bytes, char *buf,
		     size_t cap);

/**
 * Writes the blocks of every function of `topo`, sorted by bus, device and
 * function, with the semantics of pci_dump_func().
 */
size_t pci_dump_topology(void *ctx, const struct pci_topology *topo,
			 uint32_t bytes, char *buf, size_t cap);

#endif
