/* SPDX-License-Identifier: MIT */
/*
 * PCI discovery: depth-first bus walk, bus numbering, BAR sizing,
 * capability walk, and the enable/disable and query entry points.
 * Resource placement lives in pci_alloc.c. See docs/pci.md.
 */
#include "pci_enum.h"

#include "pci_internal.h"

/** Config slots (device * 8 + function) on a conventional bus. */
#define PCI_SLOTS_PER_BUS 256u
/** Config slots below a PCIe root/downstream port: device 0 only. */
#define PCI_SLOTS_PER_PORT 8u

/** State of one discovery pass. */
struct pci_scan {
	void *ctx;
	struct pci_topology *topo;
	unsigned int next_bus; /**< Next bus number to hand out. */
};

void pci_enum_report(struct pci_topology *topo, enum pci_enum_status code,
		     uint32_t bdf, uint16_t func, uint8_t slot, uint64_t size)
{
	struct pci_enum_error *e;

	if (topo->error_count >= PCI_ENUM_MAX_ERRORS) {
		topo->errors_dropped++;
		return;
	}
	e = &topo->errors[topo->error_count++];
	e->code = code;
	e->bdf = bdf;
	e->func = func;
	e->slot = slot;
	e->size = size;
}

/** True if a vendor/device dword means "no function here". */
static bool pci_enum_absent(uint32_t id)
{
	uint16_t vendor = (uint16_t)id;

	return vendor == 0xffff || vendor == 0x0000;
}

/** Config slots to scan on the bus behind `parent` (NONE: root bus). */
static unsigned int pci_enum_bus_slots(const struct pci_topology *topo,
				       uint16_t parent)
{
	if (parent != PCI_ENUM_NONE && topo->funcs[parent].bridge.pcie_port) {
		return PCI_SLOTS_PER_PORT;
	}
	return PCI_SLOTS_PER_BUS;
}

/**
 * Slot to probe after `slot`: the next function of a multi-function
 * device, else function 0 of the next device. `header` is the header type
 * of function 0 (ignored for other functions).
 */
static unsigned int pci_enum_next_slot(unsigned int slot, bool present,
				       uint8_t header)
{
	if ((slot & 7u) == 0 &&
	    (!present || !(header & PCI_HEADER_MULTIFUNCTION))) {
		return slot + 8u;
	}
	return slot + 1u;
}

/** Makes a bridge forward no configuration cycles at all. */
static void pci_enum_close_bus_numbers(void *ctx, uint32_t bdf)
{
	pci_cfg_write8(ctx, bdf, PCI_REG_SUBORDINATE_BUS, 0);
	pci_cfg_write8(ctx, bdf, PCI_REG_SECONDARY_BUS, 0);
	pci_cfg_write8(ctx, bdf, PCI_REG_PRIMARY_BUS, 0);
}

/**
 * Closes the bus numbers of every bridge on `bus` before any of them is
 * numbered, so stale numbers (a previous run of a restarted server) can
 * never make two bridges claim the same bus.
 */
static void pci_enum_close_bridges(void *ctx, unsigned int bus,
				   unsigned int slots)
{
	unsigned int slot = 0;

	while (slot < slots) {
		uint32_t bdf = PCI_BDF(bus, slot >> 3, slot & 7u);
		bool present = !pci_enum_absent(pci_cfg_read32(ctx, bdf, 0));
		uint8_t header = 0;

		if (present) {
			header = pci_cfg_read8(ctx, bdf, PCI_REG_HEADER_TYPE);
			if ((header & PCI_HEADER_LAYOUT_MASK) ==
			    PCI_HEADER_BRIDGE) {
				pci_enum_close_bus_numbers(ctx, bdf);
			}
		}
		slot = pci_enum_next_slot(slot, present, header);
	}
}

/** Turns off I/O decode, memory decode and bus mastering. */
static void pci_enum_quiesce(void *ctx, uint32_t bdf)
{
	uint16_t cmd = pci_cfg_read16(ctx, bdf, PCI_REG_COMMAND);

	if (cmd & PCI_COMMAND_DECODE_MASK) {
		pci_cfg_write16(ctx, bdf, PCI_REG_COMMAND,
				cmd & (uint16_t)~PCI_COMMAND_DECODE_MASK);
	}
}

/** Records one capability of the standard list. */
static void pci_enum_add_cap(void *ctx, struct pci_func *f, uint8_t id,
			     uint8_t off)
{
	f->caps[f->cap_count].id = id;
	f->caps[f->cap_count].offset = off;
	f->cap_count++;
	if (id == PCI_CAP_ID_EXP && f->pcie_type == 0xff) {
		uint16_t flags =
			pci_cfg_read16(ctx, f->bdf, off + PCI_EXP_FLAGS);

		f->pcie_type = (uint8_t)((flags >> PCI_EXP_TYPE_SHIFT) &
					 PCI_EXP_TYPE_MASK);
	}
}

/**
 * Walks the capability list. Pointers below 0x40 end it; the walk stops
 * after PCI_ENUM_MAX_CAPS entries (all that fit in 256 bytes), so a looping
 * list from broken hardware cannot hang us.
 */
static void pci_enum_walk_caps(void *ctx, struct pci_func *f)
{
	uint8_t ptr;
	int n;

	f->pcie_type = 0xff;
	if (!(pci_cfg_read16(ctx, f->bdf, PCI_REG_STATUS) &
	      PCI_STATUS_CAP_LIST)) {
		return;
	}
	ptr = pci_cfg_read8(ctx, f->bdf, PCI_REG_CAP_PTR) & 0xfc;
	for (n = 0; n < PCI_ENUM_MAX_CAPS && ptr >= 0x40; n++) {
		uint8_t id = pci_cfg_read8(ctx, f->bdf, ptr);
		uint8_t next = pci_cfg_read8(ctx, f->bdf, ptr + 1u) & 0xfc;

		if (id == 0xff) {
			break;
		}
		pci_enum_add_cap(ctx, f, id, ptr);
		ptr = next;
	}
}

/** Writes all ones to a BAR dword, returns what sticks, restores it. */
static uint32_t pci_enum_probe_dword(void *ctx, uint32_t bdf, uint32_t off)
{
	uint32_t orig = pci_cfg_read32(ctx, bdf, off);
	uint32_t mask;

	pci_cfg_write32(ctx, bdf, off, 0xffffffffu);
	mask = pci_cfg_read32(ctx, bdf, off);
	pci_cfg_write32(ctx, bdf, off, orig);
	return mask;
}

/** Lowest set bit of an address mask: the BAR size (0: unimplemented). */
static uint64_t pci_enum_mask_size(uint64_t mask)
{
	return mask & (~mask + 1u);
}

/**
 * Sizes BAR `i` of `f` (decoding is off). Returns the number of BAR dwords
 * it uses: 2 for a 64-bit BAR, else 1.
 */
static unsigned int pci_enum_size_bar(void *ctx, struct pci_func *f,
				      unsigned int i, unsigned int count)
{
	uint32_t off = PCI_REG_BAR0 + 4u * i;
	uint32_t lo = pci_enum_probe_dword(ctx, f->bdf, off);
	struct pci_bar *bar = &f->bars[i];
	uint64_t mask;

	if (lo == 0 || lo == 0xffffffffu) {
		return 1;
	}
	if (lo & PCI_BAR_SPACE_IO) {
		bar->size = pci_enum_mask_size(lo & ~(uint32_t)PCI_BAR_IO_MASK);
		bar->flags = bar->size != 0 ? PCI_BAR_F_IO : 0;
		return 1;
	}
	if (lo & PCI_BAR_MEM_PREFETCH) {
		bar->flags |= PCI_BAR_F_PREFETCH;
	}
	mask = lo & ~(uint32_t)PCI_BAR_MEM_MASK;
	if ((lo & PCI_BAR_MEM_TYPE_MASK) == PCI_BAR_MEM_TYPE_64) {
		if (i + 1 >= count) {
			bar->flags = 0; /* 64-bit BAR in the last slot. */
			return 1;
		}
		mask |= (uint64_t)pci_enum_probe_dword(ctx, f->bdf, off + 4u)
			<< 32;
		bar->flags |= PCI_BAR_F_64;
		f->bars[i + 1].flags = PCI_BAR_F_UPPER;
	} else if ((lo & PCI_BAR_MEM_TYPE_MASK) != PCI_BAR_MEM_TYPE_32 &&
		   (lo & PCI_BAR_MEM_TYPE_MASK) != PCI_BAR_MEM_TYPE_1M) {
		bar->flags = 0; /* Reserved type: leave it alone. */
		return 1;
	}
	bar->size = pci_enum_mask_size(mask);
	if (bar->size == 0) {
		bar->flags = 0;
	}
	return (bar->flags & PCI_BAR_F_64) ? 2 : 1;
}

/** Sizes the first `count` BARs of `f`. */
static void pci_enum_size_bars(void *ctx, struct pci_func *f,
			       unsigned int count)
{
	unsigned int i = 0;

	while (i < count) {
		i += pci_enum_size_bar(ctx, f, i, count);
	}
}

/** Learns which optional windows a bridge implements. */
static void pci_enum_probe_windows(void *ctx, struct pci_func *f)
{
	struct pci_bridge *br = &f->bridge;
	uint8_t io;
	uint16_t pref;

	pci_cfg_write8(ctx, f->bdf, PCI_REG_IO_BASE, 0xf0);
	io = pci_cfg_read8(ctx, f->bdf, PCI_REG_IO_BASE);
	pci_cfg_write8(ctx, f->bdf, PCI_REG_IO_BASE, 0);
	br->has_io = io != 0;
	br->io32 = (io & PCI_IO_RANGE_TYPE_MASK) == PCI_IO_RANGE_TYPE_32;

	pci_cfg_write16(ctx, f->bdf, PCI_REG_PREF_BASE, 0xfff0);
	pref = pci_cfg_read16(ctx, f->bdf, PCI_REG_PREF_BASE);
	pci_cfg_write16(ctx, f->bdf, PCI_REG_PREF_BASE, 0);
	br->has_pref = pref != 0;
	br->pref64 =
		(pref & PCI_PREF_RANGE_TYPE_MASK) == PCI_PREF_RANGE_TYPE_64;
	br->pcie_port = f->pcie_type == PCI_EXP_TYPE_ROOT_PORT ||
			f->pcie_type == PCI_EXP_TYPE_DOWNSTREAM;
}

/** Fills the identity fields of a new function record. */
static void pci_enum_read_ids(void *ctx, struct pci_func *f, uint32_t id,
			      uint16_t parent)
{
	uint32_t class_rev = pci_cfg_read32(ctx, f->bdf, PCI_REG_CLASS_REV);

	f->vendor = (uint16_t)id;
	f->device = (uint16_t)(id >> 16);
	f->class_code = class_rev >> 8;
	f->revision = (uint8_t)class_rev;
	f->header_type = pci_cfg_read8(ctx, f->bdf, PCI_REG_HEADER_TYPE);
	f->int_pin = pci_cfg_read8(ctx, f->bdf, PCI_REG_INT_PIN);
	f->parent = parent;
}

/** Records function `bdf`; sizes its BARs; clears its ROM base. */
static struct pci_func *pci_enum_record(struct pci_scan *s, uint32_t bdf,
					uint32_t id, uint16_t parent)
{
	struct pci_func *f = &s->topo->funcs[s->topo->func_count++];
	uint8_t layout;

	f->bdf = bdf;
	pci_enum_read_ids(s->ctx, f, id, parent);
	pci_enum_walk_caps(s->ctx, f);
	layout = f->header_type & PCI_HEADER_LAYOUT_MASK;
	if (layout == PCI_HEADER_ENDPOINT) {
		pci_enum_size_bars(s->ctx, f, 6);
		pci_cfg_write32(s->ctx, bdf, PCI_REG_ROM, 0);
	} else if (layout == PCI_HEADER_BRIDGE) {
		f->is_bridge = true;
		pci_enum_size_bars(s->ctx, f, 2);
		pci_cfg_write32(s->ctx, bdf, PCI_REG_ROM1, 0);
		pci_enum_probe_windows(s->ctx, f);
	}
	return f;
}

/**
 * Gives bridge `f` (on `bus`) the next bus number and opens it for
 * configuration cycles up to the end of the range while its subtree is
 * scanned. False when no bus number is left.
 */
static bool pci_enum_number_bridge(struct pci_scan *s, struct pci_func *f,
				   unsigned int bus)
{
	const struct pci_enum_config *cfg = &s->topo->config;
	uint16_t idx = (uint16_t)(f - s->topo->funcs);

	if (s->next_bus > cfg->bus_end) {
		pci_enum_report(s->topo, PCI_ENUM_ERR_OUT_OF_BUSES, f->bdf, idx,
				PCI_SLOT_NONE, 0);
		return false;
	}
	f->bridge.primary = (uint8_t)bus;
	f->bridge.secondary = (uint8_t)s->next_bus;
	f->bridge.subordinate = cfg->bus_end;
	s->next_bus++;
	pci_cfg_write8(s->ctx, f->bdf, PCI_REG_PRIMARY_BUS, f->bridge.primary);
	pci_cfg_write8(s->ctx, f->bdf, PCI_REG_SECONDARY_BUS,
		       f->bridge.secondary);
	pci_cfg_write8(s->ctx, f->bdf, PCI_REG_SUBORDINATE_BUS,
		       f->bridge.subordinate);
	s->topo->last_bus = f->bridge.secondary;
	return true;
}

/** Closes the bus range of a bridge once its subtree has been scanned. */
static void pci_enum_finish_bridge(struct pci_scan *s, struct pci_func *f)
{
	f->bridge.subordinate = (uint8_t)(s->next_bus - 1u);
	pci_cfg_write8(s->ctx, f->bdf, PCI_REG_SUBORDINATE_BUS,
		       f->bridge.subordinate);
}

/**
 * Probes one config slot of `bus`. Returns the next slot to probe; sets
 * *descend to the index of a bridge whose secondary bus must be scanned
 * now, else to PCI_ENUM_NONE.
 */
static unsigned int pci_enum_probe(struct pci_scan *s, unsigned int bus,
				   unsigned int slot, uint16_t parent,
				   uint16_t *descend)
{
	uint32_t bdf = PCI_BDF(bus, slot >> 3, slot & 7u);
	uint32_t id = pci_cfg_read32(s->ctx, bdf, PCI_REG_VENDOR_ID);
	bool present = !pci_enum_absent(id);
	uint8_t header = 0;
	struct pci_func *f;

	*descend = PCI_ENUM_NONE;
	if (!present) {
		return pci_enum_next_slot(slot, false, 0);
	}
	header = pci_cfg_read8(s->ctx, bdf, PCI_REG_HEADER_TYPE);
	pci_enum_quiesce(s->ctx, bdf);
	if (s->topo->func_count >= PCI_ENUM_MAX_FUNCS) {
		pci_enum_report(s->topo, PCI_ENUM_ERR_TOO_MANY_FUNCS, bdf,
				PCI_ENUM_NONE, PCI_SLOT_NONE, 0);
		return pci_enum_next_slot(slot, true, header);
	}
	f = pci_enum_record(s, bdf, id, parent);
	if (f->is_bridge && pci_enum_number_bridge(s, f, bus)) {
		*descend = (uint16_t)(f - s->topo->funcs);
	}
	return pci_enum_next_slot(slot, true, header);
}

/**
 * Depth-first walk of every bus reachable from the root bus, without
 * recursion: on leaving a bridge's subtree the walk resumes at the slot
 * after that bridge, found from the bridge's own record.
 */
static void pci_enum_scan(struct pci_scan *s)
{
	struct pci_topology *topo = s->topo;
	uint16_t parent = PCI_ENUM_NONE;
	unsigned int bus = topo->config.bus_start;
	unsigned int slots = PCI_SLOTS_PER_BUS;
	unsigned int slot = 0;

	pci_enum_close_bridges(s->ctx, bus, slots);
	for (;;) {
		uint16_t child;
		struct pci_func *br;

		if (slot < slots) {
			slot = pci_enum_probe(s, bus, slot, parent, &child);
			if (child != PCI_ENUM_NONE) {
				parent = child;
				bus = topo->funcs[child].bridge.secondary;
				slots = pci_enum_bus_slots(topo, parent);
				slot = 0;
				pci_enum_close_bridges(s->ctx, bus, slots);
			}
			continue;
		}
		if (parent == PCI_ENUM_NONE) {
			break;
		}
		br = &topo->funcs[parent];
		pci_enum_finish_bridge(s, br);
		bus = PCI_BDF_BUS(br->bdf);
		slot = pci_enum_next_slot(br->bdf & 0xffu, true,
					  br->header_type);
		parent = br->parent;
		slots = pci_enum_bus_slots(topo, parent);
	}
}

/** True if the window wraps around the address space. */
static bool pci_enum_window_wraps(const struct pci_enum_window *w)
{
	return w->size != 0 && (w->bus_base + (w->size - 1u) < w->bus_base ||
				w->cpu_base + (w->size - 1u) < w->cpu_base);
}

/** Checks the caller's configuration. */
static bool pci_enum_config_valid(const struct pci_enum_config *cfg)
{
	if (cfg->bus_start > cfg->bus_end) {
		return false;
	}
	if (pci_enum_window_wraps(&cfg->mem32) ||
	    pci_enum_window_wraps(&cfg->pref) ||
	    pci_enum_window_wraps(&cfg->io)) {
		return false;
	}
	return cfg->mem32.size == 0 ||
	       cfg->mem32.bus_base + (cfg->mem32.size - 1u) <= 0xffffffffull;
}

enum pci_enum_status pci_enum_run(void *ctx,
				  const struct pci_enum_config *config,
				  struct pci_topology *topo)
{
	struct pci_scan scan;

	__builtin_memset(topo, 0, sizeof(*topo));
	if (!pci_enum_config_valid(config)) {
		pci_enum_report(topo, PCI_ENUM_ERR_BAD_ARGUMENT, 0,
				PCI_ENUM_NONE, PCI_SLOT_NONE, 0);
		return PCI_ENUM_ERR_BAD_ARGUMENT;
	}
	topo->config = *config;
	topo->last_bus = config->bus_start;
	scan.ctx = ctx;
	scan.topo = topo;
	scan.next_bus = config->bus_start + 1u;
	pci_enum_scan(&scan);
	pci_alloc_assign(ctx, topo);
	if (topo->error_count != 0) {
		return topo->errors[0].code;
	}
	return topo->errors_dropped != 0 ? PCI_ENUM_ERR_TOO_MANY_FUNCS
					 : PCI_ENUM_OK;
}

/** True if every memory BAR of `f` is assigned. */
static bool pci_enum_mem_assigned(const struct pci_func *f)
{
	for (unsigned int i = 0; i < PCI_ENUM_BAR_COUNT; i++) {
		const struct pci_bar *bar = &f->bars[i];

		if (bar->size != 0 && !(bar->flags & PCI_BAR_F_IO) &&
		    !(bar->flags & PCI_BAR_F_ASSIGNED)) {
			return false;
		}
	}
	return true;
}

/** True if `f` has I/O BARs and all of them are assigned. */
static bool pci_enum_io_usable(const struct pci_func *f)
{
	bool any = false;

	for (unsigned int i = 0; i < PCI_ENUM_BAR_COUNT; i++) {
		const struct pci_bar *bar = &f->bars[i];

		if (bar->size != 0 && (bar->flags & PCI_BAR_F_IO)) {
			if (!(bar->flags & PCI_BAR_F_ASSIGNED)) {
				return false;
			}
			any = true;
		}
	}
	return any;
}

/** Command bits `f` should have given the enable state of the topology. */
static uint8_t pci_enum_wanted_command(const struct pci_func *f)
{
	bool on = f->enabled || (f->is_bridge && f->bridge.enabled_below != 0);
	uint8_t bits = PCI_COMMAND_MEMORY;

	if (!on) {
		return 0;
	}
	/* A bridge forwards its devices' DMA upstream only with its bus
	 * master bit; an endpoint masters only when the DMA server asked
	 * (pci_enum_set_master). */
	if (f->is_bridge || f->master) {
		bits |= PCI_COMMAND_MASTER;
	}
	if (pci_enum_io_usable(f) || (f->is_bridge && f->bridge.io.size != 0)) {
		bits |= PCI_COMMAND_IO;
	}
	return bits;
}

/** Writes the command bits `f` should have, if they changed. */
static void pci_enum_update_command(void *ctx, struct pci_func *f)
{
	uint8_t bits = pci_enum_wanted_command(f);
	uint16_t cmd;

	if (bits == f->command) {
		return;
	}
	cmd = pci_cfg_read16(ctx, f->bdf, PCI_REG_COMMAND);
	cmd = (uint16_t)((cmd & ~(uint16_t)PCI_COMMAND_DECODE_MASK) | bits);
	pci_cfg_write16(ctx, f->bdf, PCI_REG_COMMAND, cmd);
	f->command = bits;
}

enum pci_enum_status pci_enum_enable(void *ctx, struct pci_topology *topo,
				     uint16_t idx)
{
	uint16_t p;

	if (idx >= topo->func_count) {
		return PCI_ENUM_ERR_BAD_ARGUMENT;
	}
	if (topo->funcs[idx].enabled) {
		return PCI_ENUM_OK;
	}
	for (p = idx; p != PCI_ENUM_NONE; p = topo->funcs[p].parent) {
		if (!pci_enum_mem_assigned(&topo->funcs[p])) {
			return PCI_ENUM_ERR_UNASSIGNED;
		}
	}
	for (p = topo->funcs[idx].parent; p != PCI_ENUM_NONE;
	     p = topo->funcs[p].parent) {
		topo->funcs[p].bridge.enabled_below++;
		pci_enum_update_command(ctx, &topo->funcs[p]);
	}
	topo->funcs[idx].enabled = true;
	pci_enum_update_command(ctx, &topo->funcs[idx]);
	return PCI_ENUM_OK;
}

enum pci_enum_status pci_enum_disable(void *ctx, struct pci_topology *topo,
				      uint16_t idx)
{
	uint16_t p;

	if (idx >= topo->func_count) {
		return PCI_ENUM_ERR_BAD_ARGUMENT;
	}
	if (!topo->funcs[idx].enabled) {
		return PCI_ENUM_OK;
	}
	topo->funcs[idx].enabled = false;
	topo->funcs[idx].master = false;
	pci_enum_update_command(ctx, &topo->funcs[idx]);
	for (p = topo->funcs[idx].parent; p != PCI_ENUM_NONE;
	     p = topo->funcs[p].parent) {
		topo->funcs[p].bridge.enabled_below--;
		pci_enum_update_command(ctx, &topo->funcs[p]);
	}
	return PCI_ENUM_OK;
}

enum pci_enum_status pci_enum_set_master(void *ctx, struct pci_topology *topo,
					 uint16_t idx, bool on)
{
	struct pci_func *f;

	if (idx >= topo->func_count || !topo->funcs[idx].enabled ||
	    topo->funcs[idx].is_bridge) {
		return PCI_ENUM_ERR_BAD_ARGUMENT;
	}
	f = &topo->funcs[idx];
	f->master = on;
	pci_enum_update_command(ctx, f);
	return PCI_ENUM_OK;
}

const char *pci_enum_status_str(enum pci_enum_status status)
{
	switch (status) {
	case PCI_ENUM_OK:
		return "ok";
	case PCI_ENUM_ERR_BAD_ARGUMENT:
		return "bad argument";
	case PCI_ENUM_ERR_OUT_OF_BUSES:
		return "out of bus numbers";
	case PCI_ENUM_ERR_WINDOW_EXHAUSTED:
		return "window exhausted";
	case PCI_ENUM_ERR_NO_WINDOW:
		return "no window for resource";
	case PCI_ENUM_ERR_TOO_MANY_FUNCS:
		return "too many functions";
	case PCI_ENUM_ERR_UNASSIGNED:
		return "resource unassigned";
	}
	return "unknown";
}
