/* SPDX-License-Identifier: MIT */
/*
 * The canonical topology listing: one line per function, the same text
 * whether it comes from the PCI server's own records (pci_list_topology)
 * or from a configuration space dump read back through libpci
 * (tools/pcitopo), so the two views can be diffed line by line.
 *
 * Line grammar (fields always in this order, hex lowercase without 0x,
 * addresses without leading zeros; see docs/pci.md):
 *
 *   BB:DD.F VVVV:DDDD class CCCCCC rev RR hdr HH cmd C
 *     { " bar" N " " KIND " " ADDR }          assigned BARs, N = 0..5
 *     [ " bridge pri " PP " sec " SS " sub " UU
 *       [ " io " BASE "-" LIMIT ] [ " mem " BASE "-" LIMIT ]
 *       [ " pref " BASE "-" LIMIT ] ]         open windows only
 *     [ " caps " ID "@" OFF { "," ID "@" OFF } ]   sorted by offset
 *     "\n"
 *
 * KIND is io, mem32, mem32pref, mem64 or mem64pref. C is the command
 * register's decode bits (1 I/O, 2 memory, 4 bus master). A BAR at
 * address 0 is unassigned and not listed (the allocator never uses 0).
 *
 * This header does not include pci_enum.h, so a libpci program can use it
 * without name clashes.
 */
#ifndef RIFT_PCI_LIST_H
#define RIFT_PCI_LIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** Capabilities one entry can carry (all that fit in 256 bytes). */
#define PCI_LIST_MAX_CAPS 48

/** BAR kinds of the listing. */
enum pci_list_bar_kind {
	PCI_LIST_BAR_NONE = 0, /**< Not implemented or not assigned. */
	PCI_LIST_BAR_IO,
	PCI_LIST_BAR_MEM32,
	PCI_LIST_BAR_MEM32_PREF,
	PCI_LIST_BAR_MEM64,
	PCI_LIST_BAR_MEM64_PREF,
};

/** One BAR: listed when kind != NONE and addr != 0. */
struct pci_list_bar {
	enum pci_list_bar_kind kind;
	uint64_t addr;
};

/** One bridge window, inclusive; listed when open. */
struct pci_list_range {
	bool open;
	uint64_t base;
	uint64_t limit;
};

/** Capability in the standard list. */
struct pci_list_cap {
	uint8_t id;
	uint8_t offset;
};

/** Everything one line shows about one function. */
struct pci_list_entry {
	uint32_t bdf; /**< bus 15:8, device 7:3, function 2:0. */
	uint16_t vendor;
	uint16_t device;
	uint32_t class_code; /**< 24 bits: base, sub, prog-if. */
	uint8_t revision;
	uint8_t header_type; /**< Raw, multi-function bit included. */
	uint8_t command;     /**< Command register bits 2:0. */
	struct pci_list_bar bars[6];
	bool bridge; /**< Type 1 header: the fields below apply. */
	uint8_t primary;
	uint8_t secondary;
	uint8_t subordinate;
	struct pci_list_range io;
	struct pci_list_range mem;
	struct pci_list_range pref;
	uint8_t cap_count;
	struct pci_list_cap caps[PCI_LIST_MAX_CAPS];
};

struct pci_topology;

/**
 * Formats one entry as one line ending in '\n' into buf[0..cap),
 * NUL-terminated; returns the full length (snprintf semantics).
 */
size_t pci_list_format(const struct pci_list_entry *e, char *buf, size_t cap);

/** Fills `e` from function `idx` of a topology (the server's view). */
void pci_list_from_topology(const struct pci_topology *topo, uint16_t idx,
			    struct pci_list_entry *e);

/**
 * Formats every function of `topo`, sorted by bus/device/function, into
 * buf[0..cap); returns the full length (snprintf semantics).
 */
size_t pci_list_topology(const struct pci_topology *topo, char *buf,
			 size_t cap);

#endif
