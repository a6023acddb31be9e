/* SPDX-License-Identifier: MIT */
/*
 * Host bridge description from the device tree (see pci_dt.h).
 *
 * `ranges` entries are <child-address (3 cells) parent-address size>: the
 * child phys.hi cell's bits 25:24 give the space (1 I/O, 2 32-bit memory,
 * 3 64-bit memory) and bit 30 prefetchability. `interrupt-map` entries are
 * <child-address (3) child-pin (1) parent-phandle parent-address
 * parent-specifier>, matched after `interrupt-map-mask`.
 */
#include "pci_dt.h"

#include <libfdt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/** ECAM bytes per bus: 32 devices x 8 functions x 4 KiB. */
#define PCI_DT_ECAM_BUS_SIZE (1ull << 20)
/** phys.hi fields of a PCI unit address. */
#define PCI_DT_SPACE(hi) (((hi) >> 24) & 3u)
#define PCI_DT_PREFETCH(hi) (((hi) >> 30) & 1u)
#define PCI_DT_SPACE_IO 1u
#define PCI_DT_SPACE_MEM32 2u
#define PCI_DT_SPACE_MEM64 3u
/** GIC interrupt specifier: <type number flags>. */
#define PCI_DT_GIC_SPI 0u
#define PCI_DT_GIC_SPI_BASE 32u
#define PCI_DT_GIC_EDGE_MASK 0x3u

/** Parse state: the blob, the node, the error buffer. */
struct pci_dt_ctx {
	const void *fdt;
	int node;
	int parent;
	char *err;
	size_t err_size;
};

/** Writes "<path>: <message>" into the error buffer; returns -1. */
static int pci_dt_fail(struct pci_dt_ctx *c, const char *fmt, ...)
{
	char path[96] = "?";
	va_list ap;
	int n;

	if (c->err_size == 0) {
		return -1;
	}
	if (c->node >= 0) {
		fdt_get_path(c->fdt, c->node, path, sizeof(path));
	}
	n = snprintf(c->err, c->err_size, "%s: ", path);
	if (n < 0 || (size_t)n >= c->err_size) {
		return -1;
	}
	va_start(ap, fmt);
	vsnprintf(c->err + n, c->err_size - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

/** Reads `n` (0..2) cells as one number. */
static uint64_t pci_dt_cells(const fdt32_t *p, int n)
{
	uint64_t v = 0;

	for (int i = 0; i < n; i++) {
		v = (v << 32) | fdt32_to_cpu(p[i]);
	}
	return v;
}

/** A one-cell property of `node`, or `def` when absent; -1 if malformed. */
static int pci_dt_u32(const void *fdt, int node, const char *prop,
		      uint32_t def, uint32_t *out)
{
	int len;
	const fdt32_t *p = fdt_getprop(fdt, node, prop, &len);

	if (p == NULL) {
		*out = def;
		return 0;
	}
	if (len != 4) {
		return -1;
	}
	*out = fdt32_to_cpu(p[0]);
	return 0;
}

/** Finds the first enabled host bridge node. */
static int pci_dt_find(const void *fdt)
{
	int node = -1;

	for (;;) {
		const char *status;

		node = fdt_node_offset_by_compatible(fdt, node,
						     "pci-host-ecam-generic");
		if (node < 0) {
			return node;
		}
		status = fdt_getprop(fdt, node, "status", NULL);
		if (status == NULL || strcmp(status, "okay") == 0 ||
		    strcmp(status, "ok") == 0) {
			return node;
		}
	}
}

/** Parses `reg` (the ECAM region) and `bus-range`. */
static int pci_dt_reg(struct pci_dt_ctx *c, struct pci_dt_host *h)
{
	int ac = fdt_address_cells(c->fdt, c->parent);
	int sc = fdt_size_cells(c->fdt, c->parent);
	int len;
	const fdt32_t *reg;
	const fdt32_t *br;
	uint64_t buses;

	if (ac < 1 || ac > 2 || sc < 1 || sc > 2) {
		return pci_dt_fail(c, "parent #address-cells/#size-cells "
				      "must be 1 or 2");
	}
	reg = fdt_getprop(c->fdt, c->node, "reg", &len);
	if (reg == NULL || len < (ac + sc) * 4) {
		return pci_dt_fail(c, "'reg' missing or short");
	}
	h->ecam_base = pci_dt_cells(reg, ac);
	h->ecam_size = pci_dt_cells(reg + ac, sc);
	h->config.bus_start = 0;
	h->config.bus_end = 0xff;
	br = fdt_getprop(c->fdt, c->node, "bus-range", &len);
	if (br != NULL) {
		uint32_t first = len == 8 ? fdt32_to_cpu(br[0]) : 1;
		uint32_t last = len == 8 ? fdt32_to_cpu(br[1]) : 0;

		if (first > last || last > 0xff) {
			return pci_dt_fail(c, "'bus-range' must be <first "
					      "last> within 0..255");
		}
		h->config.bus_start = (uint8_t)first;
		h->config.bus_end = (uint8_t)last;
	}
	if (h->ecam_size < PCI_DT_ECAM_BUS_SIZE ||
	    h->ecam_base + h->ecam_size < h->ecam_base) {
		return pci_dt_fail(c, "'reg': ECAM smaller than one bus");
	}
	/* Use only the buses the ECAM region really covers. */
	buses = h->ecam_size / PCI_DT_ECAM_BUS_SIZE;
	if (h->config.bus_end - h->config.bus_start + 1u > buses) {
		h->config.bus_end =
			(uint8_t)(h->config.bus_start + (buses - 1u));
	}
	return 0;
}

/** Records one `ranges` entry as a host window. */
static void pci_dt_window(struct pci_dt_host *h, uint32_t hi, uint64_t bus,
			  uint64_t cpu, uint64_t size)
{
	struct pci_enum_window w = {bus, cpu, size};
	uint32_t space = PCI_DT_SPACE(hi);

	if (space == PCI_DT_SPACE_IO) {
		if (h->config.io.size == 0) {
			h->config.io = w;
		}
		return;
	}
	/*
	 * A window above 4 GiB, or one marked prefetchable, takes the
	 * prefetchable BARs (a prefetchable BAR may live in any memory
	 * window; Linux uses virt's non-prefetchable 64-bit window the same
	 * way). A 32-bit non-prefetchable window takes everything else.
	 */
	if (space == PCI_DT_SPACE_MEM64 || PCI_DT_PREFETCH(hi)) {
		if (h->config.pref.size == 0) {
			h->config.pref = w;
		}
		return;
	}
	if (space == PCI_DT_SPACE_MEM32 && h->config.mem32.size == 0 &&
	    bus + (size - 1u) <= 0xffffffffull) {
		h->config.mem32 = w;
	}
}

/** Parses `ranges` into the host windows. */
static int pci_dt_ranges(struct pci_dt_ctx *c, struct pci_dt_host *h)
{
	int pac = fdt_address_cells(c->fdt, c->parent);
	int sc = fdt_size_cells(c->fdt, c->node);
	int len;
	const fdt32_t *p = fdt_getprop(c->fdt, c->node, "ranges", &len);
	int entry = 3 + pac + sc;

	if (fdt_address_cells(c->fdt, c->node) != 3 || sc < 1 || sc > 2) {
		return pci_dt_fail(c, "#address-cells must be 3 and "
				      "#size-cells 1 or 2");
	}
	if (p == NULL || len <= 0 || len % (entry * 4) != 0) {
		return pci_dt_fail(c, "'ranges' missing or not a multiple of "
				      "%d cells", entry);
	}
	for (int i = 0; i < len / (entry * 4); i++) {
		const fdt32_t *e = p + i * entry;
		uint32_t hi = fdt32_to_cpu(e[0]);
		uint64_t bus = pci_dt_cells(e + 1, 2);
		uint64_t cpu = pci_dt_cells(e + 3, pac);
		uint64_t size = pci_dt_cells(e + 3 + pac, sc);

		if (size == 0 || bus + (size - 1u) < bus ||
		    cpu + (size - 1u) < cpu) {
			return pci_dt_fail(c, "'ranges' entry %d is empty or "
					      "wraps", i);
		}
		pci_dt_window(h, hi, bus, cpu, size);
	}
	if (h->config.mem32.size == 0 && h->config.pref.size == 0) {
		return pci_dt_fail(c, "'ranges' has no memory window");
	}
	return 0;
}

/** True if node `ic` is a GIC whose specifiers we understand. */
static bool pci_dt_is_gic(const void *fdt, int ic)
{
	return fdt_node_check_compatible(fdt, ic, "arm,gic-v3") == 0 ||
	       fdt_node_check_compatible(fdt, ic, "arm,gic-400") == 0 ||
	       fdt_node_check_compatible(fdt, ic, "arm,cortex-a15-gic") == 0;
}

/**
 * Parses one interrupt-map entry at `e` (at most `left` cells); returns
 * the cells it used, or -1.
 */
static int pci_dt_map_entry(struct pci_dt_ctx *c, struct pci_dt_host *h,
			    const fdt32_t *e, int left)
{
	struct pci_dt_intx *x = &h->intx[h->intx_count];
	uint32_t pac;
	uint32_t pic;
	uint32_t flags;
	int ic;

	if (left < 5) {
		return -1;
	}
	ic = fdt_node_offset_by_phandle(c->fdt, fdt32_to_cpu(e[4]));
	if (ic < 0 || !pci_dt_is_gic(c->fdt, ic) ||
	    pci_dt_u32(c->fdt, ic, "#address-cells", 0, &pac) != 0 ||
	    pci_dt_u32(c->fdt, ic, "#interrupt-cells", 0, &pic) != 0 ||
	    pac > 2 || pic < 3 || pic > 4 || left < (int)(5 + pac + pic)) {
		return -1;
	}
	x->addr_hi = fdt32_to_cpu(e[0]) & h->mask_hi;
	x->pin = fdt32_to_cpu(e[3]) & h->mask_pin;
	flags = fdt32_to_cpu(e[5 + pac + 2]);
	x->trigger = (flags & PCI_DT_GIC_EDGE_MASK) ? PCI_DT_EDGE
						     : PCI_DT_LEVEL;
	x->intid = fdt32_to_cpu(e[5 + pac + 1]) + PCI_DT_GIC_SPI_BASE;
	/* Only SPIs can be bound to user level. */
	if (fdt32_to_cpu(e[5 + pac]) == PCI_DT_GIC_SPI &&
	    h->intx_count < PCI_DT_MAX_INTX) {
		h->intx_count++;
	}
	return (int)(5 + pac + pic);
}

/** Parses `interrupt-map-mask` and `interrupt-map` (both optional). */
static int pci_dt_intx_map(struct pci_dt_ctx *c, struct pci_dt_host *h)
{
	int len;
	const fdt32_t *mask =
		fdt_getprop(c->fdt, c->node, "interrupt-map-mask", &len);
	const fdt32_t *map;
	uint32_t icells;
	int cells;

	h->mask_hi = 0xffffffffu;
	h->mask_pin = 0xffffffffu;
	if (mask != NULL && len == 16) {
		h->mask_hi = fdt32_to_cpu(mask[0]);
		h->mask_pin = fdt32_to_cpu(mask[3]);
	} else if (mask != NULL) {
		return pci_dt_fail(c, "'interrupt-map-mask' must be 4 cells");
	}
	map = fdt_getprop(c->fdt, c->node, "interrupt-map", &len);
	if (map == NULL) {
		return 0; /* No INTx: devices must use MSI. */
	}
	if (pci_dt_u32(c->fdt, c->node, "#interrupt-cells", 1, &icells) != 0 ||
	    icells != 1) {
		return pci_dt_fail(c, "#interrupt-cells must be 1");
	}
	for (cells = len / 4; cells > 0;) {
		int used = pci_dt_map_entry(c, h, map, cells);

		if (used < 0) {
			return pci_dt_fail(c, "'interrupt-map' entry %u: bad "
					      "or non-GIC parent",
					   h->intx_count);
		}
		map += used;
		cells -= used;
	}
	return 0;
}

int pci_dt_parse(const void *fdt, struct pci_dt_host *host, char *err,
		 size_t err_size)
{
	struct pci_dt_ctx c = {fdt, -1, -1, err, err_size};

	memset(host, 0, sizeof(*host));
	if (fdt_check_header(fdt) != 0) {
		return pci_dt_fail(&c, "not a flattened device tree");
	}
	c.node = pci_dt_find(fdt);
	if (c.node < 0) {
		return pci_dt_fail(&c, "no pci-host-ecam-generic node");
	}
	c.parent = fdt_parent_offset(fdt, c.node);
	host->node = c.node;
	if (c.parent < 0 || pci_dt_reg(&c, host) != 0 ||
	    pci_dt_ranges(&c, host) != 0 || pci_dt_intx_map(&c, host) != 0) {
		if (c.parent < 0) {
			return pci_dt_fail(&c, "no parent node");
		}
		return -1;
	}
	return 0;
}

uint32_t pci_dt_intx_lookup(const struct pci_dt_host *host, uint8_t dev,
			    uint8_t pin, uint8_t *trigger)
{
	uint32_t hi = ((uint32_t)host->config.bus_start << 16) |
		      ((uint32_t)(dev & 0x1fu) << 11);

	for (uint32_t i = 0; i < host->intx_count; i++) {
		const struct pci_dt_intx *x = &host->intx[i];

		if ((hi & host->mask_hi) == x->addr_hi &&
		    (pin & host->mask_pin) == x->pin) {
			*trigger = x->trigger;
			return x->intid;
		}
	}
	return 0;
}
