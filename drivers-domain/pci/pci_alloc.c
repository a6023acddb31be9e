/* SPDX-License-Identifier: MIT */
/*
 * PCI resource assignment (see docs/decisions/pci-resource-assignment.md).
 *
 * 1. Classify: every BAR gets the kind of window it will come from
 *    (I/O, 32-bit memory, prefetchable memory) given the host windows and
 *    what each bridge above it can forward.
 * 2. Size, bottom up: a bridge's window of a kind holds the resources of
 *    that kind directly behind it (BARs and the child bridges' windows),
 *    laid out largest alignment first, rounded up to the window granule.
 * 3. Place, top down: the same layout, run from the host window base on the
 *    root bus and from each bridge window's base below it. Only the root
 *    bus can run out of room (a bridge window was sized for its children);
 *    whatever does not fit is reported and left unassigned, with its whole
 *    subtree of that kind.
 * 4. Program every BAR (0 when unassigned) and every bridge window (closed
 *    when empty). Decoding stays off throughout.
 */
#include "pci_internal.h"

/** Placement state of one run. */
struct pci_alloc {
	struct pci_topology *topo;
	/** Bit k set: window of kind PCI_RES_IO + k was placed. */
	uint8_t placed[PCI_ENUM_MAX_FUNCS];
};

/** Size and alignment of one resource (a BAR or a bridge window). */
struct pci_res {
	uint64_t size;
	uint64_t align;
};

/** The window of `br` for `kind`. */
static const struct pci_window *pci_alloc_window_of(const struct pci_bridge *br,
						    enum pci_res_kind kind)
{
	if (kind == PCI_RES_IO) {
		return &br->io;
	}
	if (kind == PCI_RES_MEM) {
		return &br->mem;
	}
	return &br->pref;
}

/** The window of `br` for `kind`, writable. */
static struct pci_window *pci_alloc_window(struct pci_bridge *br,
					   enum pci_res_kind kind)
{
	if (kind == PCI_RES_IO) {
		return &br->io;
	}
	if (kind == PCI_RES_MEM) {
		return &br->mem;
	}
	return &br->pref;
}

/** Window slot (enum pci_res_slot) of `kind`. */
static uint8_t pci_alloc_window_slot(enum pci_res_kind kind)
{
	return (uint8_t)(PCI_SLOT_IO_WINDOW + (kind - PCI_RES_IO));
}

/** Window granule of `kind`. */
static uint64_t pci_alloc_granule(enum pci_res_kind kind)
{
	return kind == PCI_RES_IO ? PCI_IO_GRANULE : PCI_MEM_GRANULE;
}

/** Rounds `v` up to `align` (a power of two); false on overflow. */
static bool pci_alloc_align_up(uint64_t v, uint64_t align, uint64_t *out)
{
	uint64_t r = (v + (align - 1u)) & ~(align - 1u);

	if (r < v) {
		return false;
	}
	*out = r;
	return true;
}

/**
 * Resource `slot` (BAR 0..5 or a window slot) of function `f` if it is of
 * `kind` and still wants room.
 */
static bool pci_alloc_res(const struct pci_topology *topo, uint16_t f,
			  unsigned int slot, enum pci_res_kind kind,
			  struct pci_res *r)
{
	const struct pci_func *fn = &topo->funcs[f];
	const struct pci_window *w;

	if (slot < PCI_ENUM_BAR_COUNT) {
		const struct pci_bar *bar = &fn->bars[slot];

		if (bar->size == 0 || bar->kind != kind) {
			return false;
		}
		r->size = bar->size;
		if (kind != PCI_RES_IO && r->size < PCI_MEM_BAR_MIN) {
			r->size = PCI_MEM_BAR_MIN;
		}
		r->align = r->size;
		return true;
	}
	if (!fn->is_bridge || slot != pci_alloc_window_slot(kind)) {
		return false;
	}
	w = pci_alloc_window_of(&fn->bridge, kind);
	if (w->size == 0) {
		return false;
	}
	r->size = w->size;
	r->align = w->align;
	return true;
}

/** First index that can be a child of `parent`. */
static uint16_t pci_alloc_first_child(uint16_t parent)
{
	return parent == PCI_ENUM_NONE ? 0 : (uint16_t)(parent + 1u);
}

/**
 * Largest alignment below `bound` among the resources of `kind` directly
 * behind `parent` (PCI_ENUM_NONE: the root bus); 0 if there is none.
 */
static uint64_t pci_alloc_next_align(const struct pci_topology *topo,
				     uint16_t parent, enum pci_res_kind kind,
				     uint64_t bound)
{
	uint64_t best = 0;

	for (uint16_t c = pci_alloc_first_child(parent); c < topo->func_count;
	     c++) {
		if (topo->funcs[c].parent != parent) {
			continue;
		}
		for (unsigned int s = 0; s <= PCI_SLOT_PREF_WINDOW; s++) {
			struct pci_res r;

			if (pci_alloc_res(topo, c, s, kind, &r) &&
			    r.align < bound && r.align > best) {
				best = r.align;
			}
		}
	}
	return best;
}

/** Gives resource `slot` of `f` the bus address `addr`. */
static void pci_alloc_set(struct pci_alloc *a, uint16_t f, unsigned int slot,
			  enum pci_res_kind kind, uint64_t addr)
{
	struct pci_func *fn = &a->topo->funcs[f];

	if (slot < PCI_ENUM_BAR_COUNT) {
		fn->bars[slot].addr = addr;
		fn->bars[slot].flags |= PCI_BAR_F_ASSIGNED;
		return;
	}
	pci_alloc_window(&fn->bridge, kind)->base = addr;
	a->placed[f] |= (uint8_t)(1u << (kind - PCI_RES_IO));
}

/** Reports resource `slot` of `f` as not placed. */
static void pci_alloc_fail(struct pci_alloc *a, uint16_t f, unsigned int slot,
			   uint64_t size)
{
	pci_enum_report(a->topo, PCI_ENUM_ERR_WINDOW_EXHAUSTED,
			a->topo->funcs[f].bdf, f, (uint8_t)slot, size);
}

/** Layout cursor: where the next resource may start, and the bound. */
struct pci_cursor {
	uint64_t next;	/**< First free address. */
	uint64_t limit; /**< Last usable address. */
	bool full;	/**< next overflowed (sizing only). */
};

/** Lays out one resource at the cursor; commits it when `a` is given. */
static void pci_alloc_one(struct pci_alloc *a, struct pci_cursor *cur,
			  uint16_t f, unsigned int slot, enum pci_res_kind kind,
			  const struct pci_res *r)
{
	uint64_t addr;
	bool fits = !cur->full &&
		    pci_alloc_align_up(cur->next, r->align, &addr) &&
		    addr + (r->size - 1u) >= addr &&
		    addr + (r->size - 1u) <= cur->limit;

	if (!fits) {
		if (a != NULL) {
			pci_alloc_fail(a, f, slot, r->size);
		} else {
			cur->full = true;
		}
		return;
	}
	if (a != NULL) {
		pci_alloc_set(a, f, slot, kind, addr);
	}
	cur->next = addr + r->size;
	if (cur->next == 0) {
		cur->full = true; /* Ended exactly at the top of 2^64. */
	}
}

/** Lays out every resource of `kind` behind `parent` whose alignment is
 *  exactly `align`, in function and slot order. */
static void pci_alloc_layout_align(struct pci_alloc *a, struct pci_cursor *cur,
				   const struct pci_topology *topo,
				   uint16_t parent, enum pci_res_kind kind,
				   uint64_t align)
{
	for (uint16_t c = pci_alloc_first_child(parent); c < topo->func_count;
	     c++) {
		if (topo->funcs[c].parent != parent) {
			continue;
		}
		for (unsigned int s = 0; s <= PCI_SLOT_PREF_WINDOW; s++) {
			struct pci_res r;

			if (pci_alloc_res(topo, c, s, kind, &r) &&
			    r.align == align) {
				pci_alloc_one(a, cur, c, s, kind, &r);
			}
		}
	}
}

/**
 * Lays out the resources of `kind` directly behind `parent` from
 * cur->next, largest alignment first. With `a` NULL nothing is written:
 * the caller learns the extent (cur->next) and whether it overflowed.
 */
static void pci_alloc_layout(struct pci_alloc *a, struct pci_cursor *cur,
			     const struct pci_topology *topo, uint16_t parent,
			     enum pci_res_kind kind)
{
	uint64_t align = pci_alloc_next_align(topo, parent, kind, UINT64_MAX);

	while (align != 0) {
		pci_alloc_layout_align(a, cur, topo, parent, kind, align);
		align = pci_alloc_next_align(topo, parent, kind, align);
	}
}

/** Computes the size and alignment of bridge `b`'s window of `kind`. */
static void pci_alloc_size_window(struct pci_topology *topo, uint16_t b,
				  enum pci_res_kind kind)
{
	struct pci_window *w = pci_alloc_window(&topo->funcs[b].bridge, kind);
	uint64_t granule = pci_alloc_granule(kind);
	struct pci_cursor cur = {.next = 0, .limit = UINT64_MAX};
	uint64_t top = pci_alloc_next_align(topo, b, kind, UINT64_MAX);

	w->base = 0;
	w->size = 0;
	w->align = 0;
	if (top == 0) {
		return;
	}
	pci_alloc_layout(NULL, &cur, topo, b, kind);
	if (cur.full || !pci_alloc_align_up(cur.next, granule, &w->size)) {
		/* Cannot exist in a 64-bit space: make it impossible. */
		w->size = UINT64_MAX & ~(granule - 1u);
	}
	w->align = top > granule ? top : granule;
}

/** True if prefetchable resources behind `parent` can use the pref
 *  window: every bridge above forwards it at the addresses it has. */
static bool pci_alloc_pref_path(const struct pci_topology *topo,
				uint16_t parent, bool high)
{
	for (uint16_t p = parent; p != PCI_ENUM_NONE;
	     p = topo->funcs[p].parent) {
		const struct pci_bridge *br = &topo->funcs[p].bridge;

		if (!br->has_pref || (high && !br->pref64)) {
			return false;
		}
	}
	return true;
}

/** True if every bridge above `parent` forwards I/O. */
static bool pci_alloc_io_path(const struct pci_topology *topo, uint16_t parent)
{
	for (uint16_t p = parent; p != PCI_ENUM_NONE;
	     p = topo->funcs[p].parent) {
		if (!topo->funcs[p].bridge.has_io) {
			return false;
		}
	}
	return true;
}

/** Usable I/O range of the host window: [first, last]; false if none. */
static bool pci_alloc_io_range(const struct pci_enum_config *cfg,
			       uint64_t *first, uint64_t *last)
{
	uint64_t lo = cfg->io.bus_base;
	uint64_t hi = cfg->io.bus_base + (cfg->io.size - 1u);

	if (cfg->io.size == 0) {
		return false;
	}
	lo = lo < PCI_IO_FIRST ? PCI_IO_FIRST : lo;
	hi = hi > PCI_IO_LIMIT_MAX ? PCI_IO_LIMIT_MAX : hi;
	*first = lo;
	*last = hi;
	return lo <= hi;
}

/** Chooses the window kind of one memory BAR. */
static enum pci_res_kind pci_alloc_mem_kind(const struct pci_topology *topo,
					    uint16_t f,
					    const struct pci_bar *bar)
{
	const struct pci_enum_window *pref = &topo->config.pref;
	bool high = pref->bus_base + (pref->size - 1u) > 0xffffffffull;

	if ((bar->flags & PCI_BAR_F_PREFETCH) && pref->size != 0 &&
	    ((bar->flags & PCI_BAR_F_64) || !high) &&
	    pci_alloc_pref_path(topo, topo->funcs[f].parent, high)) {
		return PCI_RES_PREF;
	}
	return topo->config.mem32.size != 0 ? PCI_RES_MEM : PCI_RES_NONE;
}

/** Chooses the window kind of one I/O BAR of function `f`. */
static enum pci_res_kind pci_alloc_io_kind(const struct pci_topology *topo,
					   uint16_t f)
{
	uint64_t first;
	uint64_t last;

	if (!pci_alloc_io_range(&topo->config, &first, &last) ||
	    !pci_alloc_io_path(topo, topo->funcs[f].parent)) {
		return PCI_RES_NONE;
	}
	return PCI_RES_IO;
}

/** Chooses the window kind of every BAR; reports BARs with no window. */
static void pci_alloc_classify(struct pci_topology *topo)
{
	for (uint16_t f = 0; f < topo->func_count; f++) {
		struct pci_func *fn = &topo->funcs[f];

		for (unsigned int i = 0; i < PCI_ENUM_BAR_COUNT; i++) {
			struct pci_bar *bar = &fn->bars[i];

			if (bar->size == 0) {
				continue;
			}
			if (bar->flags & PCI_BAR_F_IO) {
				bar->kind = pci_alloc_io_kind(topo, f);
			} else {
				bar->kind = pci_alloc_mem_kind(topo, f, bar);
			}
			if (bar->kind == PCI_RES_NONE) {
				pci_enum_report(topo, PCI_ENUM_ERR_NO_WINDOW,
						fn->bdf, f, (uint8_t)i,
						bar->size);
			}
		}
	}
}

/** Sizes every bridge window, children before parents. */
static void pci_alloc_size_all(struct pci_topology *topo)
{
	for (uint16_t f = topo->func_count; f-- > 0;) {
		if (!topo->funcs[f].is_bridge) {
			continue;
		}
		for (int k = PCI_RES_IO; k <= PCI_RES_PREF; k++) {
			pci_alloc_size_window(topo, f, (enum pci_res_kind)k);
		}
	}
}

/** Host window range usable for `kind` on the root bus. */
static bool pci_alloc_root_range(const struct pci_enum_config *cfg,
				 enum pci_res_kind kind, uint64_t *first,
				 uint64_t *last)
{
	const struct pci_enum_window *w =
		kind == PCI_RES_MEM ? &cfg->mem32 : &cfg->pref;

	if (kind == PCI_RES_IO) {
		return pci_alloc_io_range(cfg, first, last);
	}
	if (w->size == 0) {
		return false;
	}
	/* Bus address 0 would read as "unassigned": never hand it out. */
	*first = w->bus_base == 0 ? PCI_MEM_GRANULE : w->bus_base;
	*last = w->bus_base + (w->size - 1u);
	return *first <= *last;
}

/** Places the root bus resources of every kind in the host windows. */
static void pci_alloc_place_root(struct pci_alloc *a)
{
	for (int k = PCI_RES_IO; k <= PCI_RES_PREF; k++) {
		struct pci_cursor cur = {0};

		if (pci_alloc_root_range(&a->topo->config, (enum pci_res_kind)k,
					 &cur.next, &cur.limit)) {
			pci_alloc_layout(a, &cur, a->topo, PCI_ENUM_NONE,
					 (enum pci_res_kind)k);
		}
	}
}

/**
 * Places the resources behind each bridge inside its windows, parents
 * first. A window that was not placed (it did not fit, or its parent's
 * window did not) is closed, so nothing behind it is placed either.
 */
static void pci_alloc_place_bridges(struct pci_alloc *a)
{
	for (uint16_t f = 0; f < a->topo->func_count; f++) {
		struct pci_func *fn = &a->topo->funcs[f];

		if (!fn->is_bridge) {
			continue;
		}
		for (int k = PCI_RES_IO; k <= PCI_RES_PREF; k++) {
			struct pci_window *w = pci_alloc_window(
				&fn->bridge, (enum pci_res_kind)k);
			struct pci_cursor cur = {0};

			if (!(a->placed[f] & (1u << (k - PCI_RES_IO)))) {
				w->base = 0;
				w->size = 0;
				continue;
			}
			cur.next = w->base;
			cur.limit = w->base + (w->size - 1u);
			pci_alloc_layout(a, &cur, a->topo, f,
					 (enum pci_res_kind)k);
		}
	}
}

/** Writes BAR `i` of `fn` (its address, or 0 when unassigned). */
static void pci_alloc_program_bar(void *ctx, struct pci_func *fn,
				  unsigned int i)
{
	struct pci_bar *bar = &fn->bars[i];
	uint32_t off = PCI_REG_BAR0 + 4u * i;
	uint64_t addr = 0;

	if (bar->flags & PCI_BAR_F_ASSIGNED) {
		addr = bar->addr;
	} else {
		bar->addr = 0;
	}
	pci_cfg_write32(ctx, fn->bdf, off, (uint32_t)addr);
	if (bar->flags & PCI_BAR_F_64) {
		pci_cfg_write32(ctx, fn->bdf, off + 4u, (uint32_t)(addr >> 32));
	}
}

/** Writes a bridge's I/O window (closed: base above limit). */
static void pci_alloc_program_io(void *ctx, const struct pci_func *fn)
{
	const struct pci_window *w = &fn->bridge.io;
	uint64_t base = w->size ? w->base : PCI_IO_GRANULE * 15u;
	uint64_t limit = w->size ? w->base + (w->size - 1u) : 0;

	if (!fn->bridge.has_io) {
		return;
	}
	if (fn->bridge.io32) {
		pci_cfg_write16(ctx, fn->bdf, PCI_REG_IO_BASE_UPPER,
				(uint16_t)(base >> 16));
		pci_cfg_write16(ctx, fn->bdf, PCI_REG_IO_LIMIT_UPPER,
				(uint16_t)(limit >> 16));
	}
	pci_cfg_write8(ctx, fn->bdf, PCI_REG_IO_BASE,
		       (uint8_t)((base >> 8) & 0xf0u));
	pci_cfg_write8(ctx, fn->bdf, PCI_REG_IO_LIMIT,
		       (uint8_t)((limit >> 8) & 0xf0u));
}

/** Base and limit registers' values for window @w (closed: base > limit). */
static void pci_alloc_window_bounds(const struct pci_window *w,
				    uint64_t *base, uint64_t *limit)
{
	*base = w->size ? w->base : 0xfff00000ull;
	*limit = w->size ? w->base + (w->size - 1u) : 0;
}

/** Writes a bridge's memory and prefetchable windows. */
static void pci_alloc_program_mem(void *ctx, const struct pci_func *fn)
{
	uint64_t base, limit;

	pci_alloc_window_bounds(&fn->bridge.mem, &base, &limit);

	pci_cfg_write16(ctx, fn->bdf, PCI_REG_MEM_BASE,
			(uint16_t)((base >> 16) & 0xfff0u));
	pci_cfg_write16(ctx, fn->bdf, PCI_REG_MEM_LIMIT,
			(uint16_t)((limit >> 16) & 0xfff0u));
	if (!fn->bridge.has_pref) {
		return;
	}
	pci_alloc_window_bounds(&fn->bridge.pref, &base, &limit);
	if (fn->bridge.pref64) {
		pci_cfg_write32(ctx, fn->bdf, PCI_REG_PREF_BASE_UPPER,
				(uint32_t)(base >> 32));
		pci_cfg_write32(ctx, fn->bdf, PCI_REG_PREF_LIMIT_UPPER,
				(uint32_t)(limit >> 32));
	}
	pci_cfg_write16(ctx, fn->bdf, PCI_REG_PREF_BASE,
			(uint16_t)((base >> 16) & 0xfff0u));
	pci_cfg_write16(ctx, fn->bdf, PCI_REG_PREF_LIMIT,
			(uint16_t)((limit >> 16) & 0xfff0u));
}

/** Writes every BAR and bridge window of the topology. */
static void pci_alloc_program(void *ctx, struct pci_topology *topo)
{
	for (uint16_t f = 0; f < topo->func_count; f++) {
		struct pci_func *fn = &topo->funcs[f];
		unsigned int count = fn->is_bridge ? 2 : PCI_ENUM_BAR_COUNT;

		if ((fn->header_type & PCI_HEADER_LAYOUT_MASK) >
		    PCI_HEADER_BRIDGE) {
			continue;
		}
		for (unsigned int i = 0; i < count; i++) {
			if (fn->bars[i].size != 0) {
				pci_alloc_program_bar(ctx, fn, i);
			}
		}
		if (fn->is_bridge) {
			pci_alloc_program_io(ctx, fn);
			pci_alloc_program_mem(ctx, fn);
		}
	}
}

void pci_alloc_assign(void *ctx, struct pci_topology *topo)
{
	struct pci_alloc a;

	__builtin_memset(&a, 0, sizeof(a));
	a.topo = topo;
	pci_alloc_classify(topo);
	pci_alloc_size_all(topo);
	pci_alloc_place_root(&a);
	pci_alloc_place_bridges(&a);
	pci_alloc_program(ctx, topo);
}
