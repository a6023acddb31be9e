/* SPDX-License-Identifier: MIT */
/*
 * Configuration space dumps in `lspci -n -x` text (see pci_dump.h).
 */
#include "pci_dump.h"

#include "pci_fmt.h"
#include "pci_internal.h"
#include "pci_topo.h"

/** Normalises a requested dump length. */
static uint32_t pci_dump_len(uint32_t bytes)
{
	if (bytes == PCI_DUMP_HEADER || bytes == PCI_DUMP_EXTENDED) {
		return bytes;
	}
	return PCI_DUMP_FULL;
}

/** Writes `BB:DD.F`. */
static void pci_dump_slot(struct pci_fmt *f, uint32_t bdf)
{
	pci_fmt_hex(f, PCI_BDF_BUS(bdf), 2);
	pci_fmt_char(f, ':');
	pci_fmt_hex(f, PCI_BDF_DEV(bdf), 2);
	pci_fmt_char(f, '.');
	pci_fmt_hex(f, PCI_BDF_FN(bdf), 1);
}

/** Writes the `BB:DD.F CCCC: VVVV:DDDD (rev RR)` line of lspci -n. */
static void pci_dump_title(void *ctx, struct pci_fmt *f, uint32_t bdf)
{
	uint32_t id = pci_cfg_read32(ctx, bdf, PCI_REG_VENDOR_ID);
	uint32_t class_rev = pci_cfg_read32(ctx, bdf, PCI_REG_CLASS_REV);

	pci_dump_slot(f, bdf);
	pci_fmt_char(f, ' ');
	pci_fmt_hex(f, class_rev >> 16, 4);
	pci_fmt_str(f, ": ");
	pci_fmt_hex(f, id & 0xffffu, 4);
	pci_fmt_char(f, ':');
	pci_fmt_hex(f, id >> 16, 4);
	if ((class_rev & 0xffu) != 0) {
		pci_fmt_str(f, " (rev ");
		pci_fmt_hex(f, class_rev & 0xffu, 2);
		pci_fmt_char(f, ')');
	}
	pci_fmt_char(f, '\n');
}

/** Writes one 16-byte line starting at config offset `off`. */
static void pci_dump_line(void *ctx, struct pci_fmt *f, uint32_t bdf,
			  uint32_t off)
{
	pci_fmt_hex(f, off, 2);
	pci_fmt_char(f, ':');
	for (uint32_t i = 0; i < 16; i += 4) {
		uint32_t v = pci_cfg_read32(ctx, bdf, off + i);

		for (unsigned int b = 0; b < 4; b++) {
			pci_fmt_char(f, ' ');
			pci_fmt_hex(f, (v >> (8 * b)) & 0xffu, 2);
		}
	}
	pci_fmt_char(f, '\n');
}

/** Writes the whole block of one function, blank line included. */
static void pci_dump_block(void *ctx, struct pci_fmt *f, uint32_t bdf,
			   uint32_t bytes)
{
	uint32_t len = pci_dump_len(bytes);

	pci_dump_title(ctx, f, bdf);
	for (uint32_t off = 0; off < len; off += 16) {
		pci_dump_line(ctx, f, bdf, off);
	}
	pci_fmt_char(f, '\n');
}

size_t pci_dump_func(void *ctx, uint32_t bdf, uint32_t bytes, char *buf,
		     size_t cap)
{
	struct pci_fmt f;

	pci_fmt_init(&f, buf, cap);
	pci_dump_block(ctx, &f, bdf, bytes);
	return pci_fmt_finish(&f);
}

size_t pci_dump_topology(void *ctx, const struct pci_topology *topo,
			 uint32_t bytes, char *buf, size_t cap)
{
	struct pci_fmt f;
	uint16_t i = pci_topo_next_by_bdf(topo, PCI_ENUM_NONE);

	pci_fmt_init(&f, buf, cap);
	while (i != PCI_ENUM_NONE) {
		pci_dump_block(ctx, &f, topo->funcs[i].bdf, bytes);
		i = pci_topo_next_by_bdf(topo, i);
	}
	return pci_fmt_finish(&f);
}
