/* SPDX-License-Identifier: MIT */
/*
 * pcitopo: reads a PCI configuration space dump in `lspci -x` format
 * through libpci (PCI_ACCESS_DUMP, the back end of `lspci -F`) and prints
 * the canonical topology listing of drivers-domain/pci/pci_list.h, one line
 * per function sorted by bus, device and function.
 *
 * The PCI server prints the same listing from its own records, so an
 * integration test can diff what the server believes against what the
 * configuration space says, decoded by an independent implementation
 * (libpci decodes the IDs, BARs and capability list; the bridge registers
 * are decoded here, not by the server's code).
 *
 * Usage: pcitopo <dump-file>
 * Exit status: 0 listed, 1 usage, 2 unreadable or malformed dump.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pci/pci.h>

#include "../../drivers-domain/pci/pci_list.h"

/** Most functions one dump can describe (256 buses x 32 x 8). */
#define PCITOPO_MAX_FUNCS 65536

/** libpci error hook: print and quit with status 2. */
static void PCI_NONRET pcitopo_die(char *msg, ...)
{
	va_list ap;

	va_start(ap, msg);
	fputs("pcitopo: ", stderr);
	vfprintf(stderr, msg, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(2);
}

/** libpci warning hook: print and go on. */
static void pcitopo_warn(char *msg, ...)
{
	va_list ap;

	va_start(ap, msg);
	fputs("pcitopo: warning: ", stderr);
	vfprintf(stderr, msg, ap);
	fputc('\n', stderr);
	va_end(ap);
}

/** libpci debug hook: silent. */
static void pcitopo_debug(char *msg, ...)
{
	(void)msg;
}

/** Orders devices like lspci: domain, bus, device, function. */
static int pcitopo_cmp(const void *a, const void *b)
{
	const struct pci_dev *x = *(const struct pci_dev *const *)a;
	const struct pci_dev *y = *(const struct pci_dev *const *)b;
	long kx = ((long)x->domain << 16) | (x->bus << 8) | (x->dev << 3) |
		  x->func;
	long ky = ((long)y->domain << 16) | (y->bus << 8) | (y->dev << 3) |
		  y->func;

	return (kx > ky) - (kx < ky);
}

/** Listing kind of a libpci base address (flags in the low bits). */
static enum pci_list_bar_kind pcitopo_bar_kind(pciaddr_t base)
{
	bool pref = (base & PCI_BASE_ADDRESS_MEM_PREFETCH) != 0;

	if (base & PCI_BASE_ADDRESS_SPACE_IO) {
		return PCI_LIST_BAR_IO;
	}
	if ((base & PCI_BASE_ADDRESS_MEM_TYPE_MASK) ==
	    PCI_BASE_ADDRESS_MEM_TYPE_64) {
		return pref ? PCI_LIST_BAR_MEM64_PREF : PCI_LIST_BAR_MEM64;
	}
	return pref ? PCI_LIST_BAR_MEM32_PREF : PCI_LIST_BAR_MEM32;
}

/** BARs as libpci decodes them (bus-centric: no command checks). */
static void pcitopo_bars(struct pci_dev *d, struct pci_list_entry *e)
{
	for (int i = 0; i < 6; i++) {
		pciaddr_t base = d->base_addr[i];
		enum pci_list_bar_kind kind = pcitopo_bar_kind(base);

		if (base == 0) {
			continue;
		}
		e->bars[i].kind = kind;
		e->bars[i].addr =
			kind == PCI_LIST_BAR_IO
				? (uint64_t)(base & PCI_ADDR_IO_MASK)
				: (uint64_t)(base & PCI_ADDR_MEM_MASK);
	}
}

/** Decodes a bridge's I/O window (PCI-to-PCI Bridge 1.2, 3.2.5.6). */
static void pcitopo_io_window(struct pci_dev *d, struct pci_list_range *r)
{
	unsigned int base = pci_read_byte(d, PCI_IO_BASE);
	unsigned int limit = pci_read_byte(d, PCI_IO_LIMIT);
	unsigned int type = base & PCI_IO_RANGE_TYPE_MASK;

	if (type != (limit & PCI_IO_RANGE_TYPE_MASK) ||
	    (type != PCI_IO_RANGE_TYPE_16 && type != PCI_IO_RANGE_TYPE_32)) {
		return;
	}
	r->base = (uint64_t)(base & PCI_IO_RANGE_MASK) << 8;
	r->limit = ((uint64_t)(limit & PCI_IO_RANGE_MASK) << 8) | 0xfff;
	if (type == PCI_IO_RANGE_TYPE_32) {
		r->base |= (uint64_t)pci_read_word(d, PCI_IO_BASE_UPPER16)
			   << 16;
		r->limit |= (uint64_t)pci_read_word(d, PCI_IO_LIMIT_UPPER16)
			    << 16;
	}
	r->open = r->base <= r->limit;
}

/** Decodes a bridge's memory window (3.2.5.8). */
static void pcitopo_mem_window(struct pci_dev *d, struct pci_list_range *r)
{
	unsigned int base = pci_read_word(d, PCI_MEMORY_BASE);
	unsigned int limit = pci_read_word(d, PCI_MEMORY_LIMIT);

	if ((base & PCI_MEMORY_RANGE_TYPE_MASK) != 0 ||
	    (limit & PCI_MEMORY_RANGE_TYPE_MASK) != 0) {
		return;
	}
	r->base = (uint64_t)(base & PCI_MEMORY_RANGE_MASK) << 16;
	r->limit = ((uint64_t)(limit & PCI_MEMORY_RANGE_MASK) << 16) | 0xfffff;
	r->open = r->base <= r->limit;
}

/** Decodes a bridge's prefetchable window (3.2.5.9, 3.2.5.10). */
static void pcitopo_pref_window(struct pci_dev *d, struct pci_list_range *r)
{
	unsigned int base = pci_read_word(d, PCI_PREF_MEMORY_BASE);
	unsigned int limit = pci_read_word(d, PCI_PREF_MEMORY_LIMIT);
	unsigned int type = base & PCI_PREF_RANGE_TYPE_MASK;

	if (type != (limit & PCI_PREF_RANGE_TYPE_MASK) ||
	    (type != PCI_PREF_RANGE_TYPE_32 &&
	     type != PCI_PREF_RANGE_TYPE_64)) {
		return;
	}
	r->base = (uint64_t)(base & PCI_PREF_RANGE_MASK) << 16;
	r->limit = ((uint64_t)(limit & PCI_PREF_RANGE_MASK) << 16) | 0xfffff;
	if (type == PCI_PREF_RANGE_TYPE_64) {
		r->base |= (uint64_t)pci_read_long(d, PCI_PREF_BASE_UPPER32)
			   << 32;
		r->limit |= (uint64_t)pci_read_long(d, PCI_PREF_LIMIT_UPPER32)
			    << 32;
	}
	r->open = r->base <= r->limit;
}

/** Bus numbers and windows of a type 1 header. */
static void pcitopo_bridge(struct pci_dev *d, struct pci_list_entry *e)
{
	e->bridge = true;
	e->primary = pci_read_byte(d, PCI_PRIMARY_BUS);
	e->secondary = pci_read_byte(d, PCI_SECONDARY_BUS);
	e->subordinate = pci_read_byte(d, PCI_SUBORDINATE_BUS);
	pcitopo_io_window(d, &e->io);
	pcitopo_mem_window(d, &e->mem);
	pcitopo_pref_window(d, &e->pref);
}

/** Capabilities of the standard list, as libpci found them. */
static void pcitopo_caps(struct pci_dev *d, struct pci_list_entry *e)
{
	for (struct pci_cap *c = d->first_cap; c != NULL; c = c->next) {
		if (c->type != PCI_CAP_NORMAL ||
		    e->cap_count >= PCI_LIST_MAX_CAPS) {
			continue;
		}
		e->caps[e->cap_count].id = (uint8_t)c->id;
		e->caps[e->cap_count].offset = (uint8_t)c->addr;
		e->cap_count++;
	}
}

/** Fills one listing entry from a libpci device. */
static void pcitopo_entry(struct pci_dev *d, struct pci_list_entry *e)
{
	uint8_t header = pci_read_byte(d, PCI_HEADER_TYPE);

	memset(e, 0, sizeof(*e));
	pci_fill_info(d, PCI_FILL_IDENT | PCI_FILL_CLASS | PCI_FILL_BASES |
				 PCI_FILL_CAPS);
	e->bdf = ((uint32_t)d->bus << 8) | ((uint32_t)d->dev << 3) | d->func;
	e->vendor = d->vendor_id;
	e->device = d->device_id;
	e->class_code = ((uint32_t)d->device_class << 8) |
			pci_read_byte(d, PCI_CLASS_PROG);
	e->revision = pci_read_byte(d, PCI_REVISION_ID);
	e->header_type = header;
	e->command = pci_read_word(d, PCI_COMMAND) & 0x7;
	pcitopo_bars(d, e);
	if ((header & 0x7f) == PCI_HEADER_TYPE_BRIDGE) {
		pcitopo_bridge(d, e);
	}
	pcitopo_caps(d, e);
}

/** Prints the listing of every device, sorted. */
static int pcitopo_list(struct pci_access *pacc)
{
	static struct pci_dev *devs[PCITOPO_MAX_FUNCS];
	static struct pci_list_entry e;
	char line[4096];
	size_t n = 0;

	for (struct pci_dev *d = pacc->devices; d != NULL; d = d->next) {
		if (d->domain != 0) {
			fprintf(stderr, "pcitopo: domain %04x not supported\n",
				d->domain);
			return 2;
		}
		if (n == PCITOPO_MAX_FUNCS) {
			fprintf(stderr, "pcitopo: too many functions\n");
			return 2;
		}
		devs[n++] = d;
	}
	qsort(devs, n, sizeof(devs[0]), pcitopo_cmp);
	for (size_t i = 0; i < n; i++) {
		pcitopo_entry(devs[i], &e);
		if (pci_list_format(&e, line, sizeof(line)) >= sizeof(line)) {
			fprintf(stderr, "pcitopo: line too long\n");
			return 2;
		}
		fputs(line, stdout);
	}
	return fflush(stdout) == 0 ? 0 : 2;
}

int main(int argc, char **argv)
{
	struct pci_access *pacc;
	int rc;

	if (argc != 2 || argv[1][0] == '-') {
		fprintf(stderr, "usage: pcitopo <lspci-x-dump-file>\n");
		return 1;
	}
	pacc = pci_alloc();
	pacc->error = pcitopo_die;
	pacc->warning = pcitopo_warn;
	pacc->debug = pcitopo_debug;
	pacc->method = PCI_ACCESS_DUMP;
	/* Bus addresses even where decoding is off (lspci -b). */
	pacc->buscentric = 1;
	pci_set_param(pacc, "dump.name", argv[1]);
	pci_init(pacc);
	pci_scan_bus(pacc);
	rc = pcitopo_list(pacc);
	pci_cleanup(pacc);
	return rc;
}
