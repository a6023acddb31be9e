/* SPDX-License-Identifier: MIT */
/*
 * The canonical topology listing (format in pci_list.h and docs/pci.md).
 */
#include "pci_list.h"

#include "pci_enum.h"
#include "pci_fmt.h"
#include "pci_topo.h"

/** Listing name of a BAR kind. */
static const char *pci_list_kind_name(enum pci_list_bar_kind kind)
{
	switch (kind) {
	case PCI_LIST_BAR_IO:
		return "io";
	case PCI_LIST_BAR_MEM32:
		return "mem32";
	case PCI_LIST_BAR_MEM32_PREF:
		return "mem32pref";
	case PCI_LIST_BAR_MEM64:
		return "mem64";
	case PCI_LIST_BAR_MEM64_PREF:
		return "mem64pref";
	case PCI_LIST_BAR_NONE:
		break;
	}
	return "none";
}

/** Writes `BB:DD.F VVVV:DDDD class CCCCCC rev RR hdr HH cmd C`. */
static void pci_list_ident(struct pci_fmt *f, const struct pci_list_entry *e)
{
	pci_fmt_hex(f, (e->bdf >> 8) & 0xffu, 2);
	pci_fmt_char(f, ':');
	pci_fmt_hex(f, (e->bdf >> 3) & 0x1fu, 2);
	pci_fmt_char(f, '.');
	pci_fmt_hex(f, e->bdf & 0x7u, 1);
	pci_fmt_char(f, ' ');
	pci_fmt_hex(f, e->vendor, 4);
	pci_fmt_char(f, ':');
	pci_fmt_hex(f, e->device, 4);
	pci_fmt_str(f, " class ");
	pci_fmt_hex(f, e->class_code & 0xffffffu, 6);
	pci_fmt_str(f, " rev ");
	pci_fmt_hex(f, e->revision, 2);
	pci_fmt_str(f, " hdr ");
	pci_fmt_hex(f, e->header_type, 2);
	pci_fmt_str(f, " cmd ");
	pci_fmt_hex(f, e->command & 0x7u, 1);
}

/** Writes the assigned BARs. */
static void pci_list_bars(struct pci_fmt *f, const struct pci_list_entry *e)
{
	for (unsigned int i = 0; i < 6; i++) {
		const struct pci_list_bar *bar = &e->bars[i];

		if (bar->kind == PCI_LIST_BAR_NONE || bar->addr == 0) {
			continue;
		}
		pci_fmt_str(f, " bar");
		pci_fmt_dec(f, i);
		pci_fmt_char(f, ' ');
		pci_fmt_str(f, pci_list_kind_name(bar->kind));
		pci_fmt_char(f, ' ');
		pci_fmt_hex(f, bar->addr, 1);
	}
}

/** Writes ` NAME BASE-LIMIT` for an open window. */
static void pci_list_range(struct pci_fmt *f, const char *name,
			   const struct pci_list_range *r)
{
	if (!r->open) {
		return;
	}
	pci_fmt_char(f, ' ');
	pci_fmt_str(f, name);
	pci_fmt_char(f, ' ');
	pci_fmt_hex(f, r->base, 1);
	pci_fmt_char(f, '-');
	pci_fmt_hex(f, r->limit, 1);
}

/** Writes the bus numbers and open windows of a bridge. */
static void pci_list_bridge(struct pci_fmt *f, const struct pci_list_entry *e)
{
	if (!e->bridge) {
		return;
	}
	pci_fmt_str(f, " bridge pri ");
	pci_fmt_hex(f, e->primary, 2);
	pci_fmt_str(f, " sec ");
	pci_fmt_hex(f, e->secondary, 2);
	pci_fmt_str(f, " sub ");
	pci_fmt_hex(f, e->subordinate, 2);
	pci_list_range(f, "io", &e->io);
	pci_list_range(f, "mem", &e->mem);
	pci_list_range(f, "pref", &e->pref);
}

/** Writes the capabilities in increasing offset order. */
static void pci_list_caps(struct pci_fmt *f, const struct pci_list_entry *e)
{
	unsigned int count = e->cap_count;
	int last = -1;

	if (count > PCI_LIST_MAX_CAPS) {
		count = PCI_LIST_MAX_CAPS;
	}
	for (unsigned int n = 0; n < count; n++) {
		int best = -1;

		for (unsigned int i = 0; i < count; i++) {
			int off = e->caps[i].offset;

			if (off > last &&
			    (best < 0 || off < e->caps[best].offset)) {
				best = (int)i;
			}
		}
		if (best < 0) {
			break;
		}
		pci_fmt_str(f, n == 0 ? " caps " : ",");
		pci_fmt_hex(f, e->caps[best].id, 2);
		pci_fmt_char(f, '@');
		pci_fmt_hex(f, e->caps[best].offset, 2);
		last = e->caps[best].offset;
	}
}

/** Appends one line to `f`. */
static void pci_list_line(struct pci_fmt *f, const struct pci_list_entry *e)
{
	pci_list_ident(f, e);
	pci_list_bars(f, e);
	pci_list_bridge(f, e);
	pci_list_caps(f, e);
	pci_fmt_char(f, '\n');
}

size_t pci_list_format(const struct pci_list_entry *e, char *buf, size_t cap)
{
	struct pci_fmt f;

	pci_fmt_init(&f, buf, cap);
	pci_list_line(&f, e);
	return pci_fmt_finish(&f);
}

/** Listing kind of a topology BAR. */
static enum pci_list_bar_kind pci_list_bar_kind(const struct pci_bar *bar)
{
	if (bar->flags & PCI_BAR_F_IO) {
		return PCI_LIST_BAR_IO;
	}
	if (bar->flags & PCI_BAR_F_64) {
		return (bar->flags & PCI_BAR_F_PREFETCH)
			       ? PCI_LIST_BAR_MEM64_PREF
			       : PCI_LIST_BAR_MEM64;
	}
	return (bar->flags & PCI_BAR_F_PREFETCH) ? PCI_LIST_BAR_MEM32_PREF
						 : PCI_LIST_BAR_MEM32;
}

/** Listing range of a topology window. */
static void pci_list_window(const struct pci_window *w,
			    struct pci_list_range *r)
{
	r->open = w->size != 0;
	r->base = r->open ? w->base : 0;
	r->limit = r->open ? w->base + (w->size - 1u) : 0;
}

void pci_list_from_topology(const struct pci_topology *topo, uint16_t idx,
			    struct pci_list_entry *e)
{
	const struct pci_func *fn = &topo->funcs[idx];

	__builtin_memset(e, 0, sizeof(*e));
	e->bdf = fn->bdf;
	e->vendor = fn->vendor;
	e->device = fn->device;
	e->class_code = fn->class_code;
	e->revision = fn->revision;
	e->header_type = fn->header_type;
	e->command = fn->command;
	for (unsigned int i = 0; i < PCI_ENUM_BAR_COUNT; i++) {
		const struct pci_bar *bar = &fn->bars[i];

		if (bar->size != 0 && (bar->flags & PCI_BAR_F_ASSIGNED)) {
			e->bars[i].kind = pci_list_bar_kind(bar);
			e->bars[i].addr = bar->addr;
		}
	}
	e->bridge = fn->is_bridge;
	e->primary = fn->bridge.primary;
	e->secondary = fn->bridge.secondary;
	e->subordinate = fn->bridge.subordinate;
	pci_list_window(&fn->bridge.io, &e->io);
	pci_list_window(&fn->bridge.mem, &e->mem);
	pci_list_window(&fn->bridge.pref, &e->pref);
	e->cap_count = fn->cap_count;
	for (unsigned int i = 0; i < fn->cap_count && i < PCI_LIST_MAX_CAPS;
	     i++) {
		e->caps[i].id = fn->caps[i].id;
		e->caps[i].offset = fn->caps[i].offset;
	}
}

size_t pci_list_topology(const struct pci_topology *topo, char *buf, size_t cap)
{
	struct pci_fmt f;
	struct pci_list_entry e;
	uint16_t i = pci_topo_next_by_bdf(topo, PCI_ENUM_NONE);

	pci_fmt_init(&f, buf, cap);
	while (i != PCI_ENUM_NONE) {
		pci_list_from_topology(topo, i, &e);
		pci_list_line(&f, &e);
		i = pci_topo_next_by_bdf(topo, i);
	}
	return pci_fmt_finish(&f);
}
