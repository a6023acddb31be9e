/* SPDX-License-Identifier: MIT */
/*
 * Physical memory allocator: a buddy allocator per NUMA node over sparse
 * ranges. See <rift/pmm.h> for the contract.
 *
 * Each range keeps, in the caller's metadata buffer, a header with one free
 * list per order and one record per page. Lists are linked by page index
 * within the range. Invariant: a record is a block head (free or allocated)
 * exactly when a block starts on that page; every other page of a block is a
 * tail; reserved pages belong to no block. Nothing is ever written to the
 * managed memory itself.
 */
#include <rift/pmm.h>

#define PMM_NONE UINT32_MAX
#define PMM_ORDERS (PMM_MAX_ORDER + 1)

/** Page states. A tail is any page of a block other than its first. */
enum pmm_state {
	PMM_PAGE_TAIL = 0,
	PMM_PAGE_FREE = 1,     /**< head of a free block, on a free list */
	PMM_PAGE_ALLOC = 2,    /**< head of an allocated block */
	PMM_PAGE_RESERVED = 3, /**< taken by pmm_reserve(), in no block */
	PMM_PAGE_HELD = 4,     /**< head of a block freed while pinned: it
				*   returns to the free lists at the last unpin */
};

/**
 * Per-page record. next/prev link free heads of the same order; pins counts
 * pmm_pin() references on an allocated or held block head.
 */
struct pmm_page {
	uint32_t next;
	uint32_t prev;
	uint8_t order;
	uint8_t state;
	uint16_t pins;
};

/** Per-range header at the start of the metadata buffer. */
struct pmm_range_hdr {
	uint32_t free_head[PMM_ORDERS];  /**< first free block, or PMM_NONE */
	uint32_t free_count[PMM_ORDERS]; /**< free blocks on each list */
};

_Static_assert(sizeof(struct pmm_page) == PMM_META_PAGE_BYTES,
	       "PMM_META_PAGE_BYTES is out of date");
_Static_assert(sizeof(struct pmm_range_hdr) == PMM_META_RANGE_BYTES,
	       "PMM_META_RANGE_BYTES is out of date");
_Static_assert(PMM_META_RANGE_BYTES % 8 == 0, "page records must stay aligned");

/** Page frame number of the first page of @r. */
static uint64_t range_pfn(const struct pmm_range *r)
{
	return r->base >> PMM_PAGE_SHIFT;
}

/** The range holding @pa, or NULL. */
static struct pmm_range *find_range(const struct pmm *p, paddr_t pa)
{
	uint64_t pfn = pa >> PMM_PAGE_SHIFT;

	for (uint32_t i = 0; i < p->range_count; i++) {
		const struct pmm_range *r = &p->ranges[i];

		if (pfn >= range_pfn(r) && pfn - range_pfn(r) < r->pages) {
			return (struct pmm_range *)r;
		}
	}
	return NULL;
}

/** Put block @idx of @order at the front of its free list. */
static void list_add(struct pmm_range *r, uint32_t idx, uint32_t order)
{
	struct pmm_page *pg = &r->page[idx];
	uint32_t head = r->hdr->free_head[order];

	pg->state = PMM_PAGE_FREE;
	pg->order = (uint8_t)order;
	pg->prev = PMM_NONE;
	pg->next = head;
	if (head != PMM_NONE) {
		r->page[head].prev = idx;
	}
	r->hdr->free_head[order] = idx;
	r->hdr->free_count[order]++;
}

/** Unlink free block @idx from its list; its record becomes a tail. */
static void list_del(struct pmm_range *r, uint32_t idx)
{
	struct pmm_page *pg = &r->page[idx];

	if (pg->prev != PMM_NONE) {
		r->page[pg->prev].next = pg->next;
	} else {
		r->hdr->free_head[pg->order] = pg->next;
	}
	if (pg->next != PMM_NONE) {
		r->page[pg->next].prev = pg->prev;
	}
	r->hdr->free_count[pg->order]--;
	pg->next = PMM_NONE;
	pg->prev = PMM_NONE;
	pg->state = PMM_PAGE_TAIL;
}

/** Index of the buddy of block @idx of @order, or PMM_NONE if outside @r. */
static uint32_t buddy_of(const struct pmm_range *r, uint32_t idx,
			 uint32_t order)
{
	uint64_t bpfn = (range_pfn(r) + idx) ^ (1ull << order);

	if (bpfn < range_pfn(r) ||
	    bpfn - range_pfn(r) + (1ull << order) > r->pages) {
		return PMM_NONE;
	}
	return (uint32_t)(bpfn - range_pfn(r));
}

/** Make block @idx of @order free, merging it with free buddies. */
static void free_insert(struct pmm_range *r, uint32_t idx, uint32_t order)
{
	while (order < PMM_MAX_ORDER) {
		uint32_t b = buddy_of(r, idx, order);

		if (b == PMM_NONE || r->page[b].state != PMM_PAGE_FREE ||
		    r->page[b].order != order) {
			break;
		}
		list_del(r, b);
		r->page[MAX(idx, b)].state = PMM_PAGE_TAIL;
		idx = MIN(idx, b);
		order++;
	}
	list_add(r, idx, order);
}

/** Free pages [from, to) of @r as maximal naturally aligned blocks. */
static void carve(struct pmm_range *r, uint64_t from, uint64_t to)
{
	while (from < to) {
		uint64_t pfn = range_pfn(r) + from;
		uint32_t order = PMM_MAX_ORDER;

		if (pfn != 0 && (uint32_t)__builtin_ctzll(pfn) < order) {
			order = (uint32_t)__builtin_ctzll(pfn);
		}
		while (from + (1ull << order) > to) {
			order--;
		}
		free_insert(r, (uint32_t)from, order);
		from += 1ull << order;
	}
}

/** Head of the block (free or allocated) holding page @idx, or PMM_NONE. */
static uint32_t find_block(const struct pmm_range *r, uint32_t idx)
{
	uint64_t pfn = range_pfn(r) + idx;

	for (uint32_t o = 0; o <= PMM_MAX_ORDER; o++) {
		uint64_t hpfn = pfn & ~((1ull << o) - 1);
		const struct pmm_page *h;

		if (hpfn < range_pfn(r)) {
			break;
		}
		h = &r->page[hpfn - range_pfn(r)];
		if ((h->state == PMM_PAGE_FREE || h->state == PMM_PAGE_ALLOC) &&
		    hpfn + (1ull << h->order) > pfn) {
			return (uint32_t)(hpfn - range_pfn(r));
		}
	}
	return PMM_NONE;
}

void pmm_init(struct pmm *p)
{
	__builtin_memset(p, 0, sizeof(*p));
	for (uint32_t i = 0; i < PMM_MAX_NODES; i++) {
		spin_init(&p->nodes[i].lock);
		for (uint32_t j = 0; j < PMM_MAX_NODES; j++) {
			p->distance[i][j] = i == j ? 10 : 20;
		}
	}
}

size_t pmm_meta_bytes(uint64_t size)
{
	uint64_t pages = (size >> PMM_PAGE_SHIFT) +
			 ((size & (PMM_PAGE_SIZE - 1)) != 0);

	return PMM_META_RANGE_BYTES + (size_t)pages * PMM_META_PAGE_BYTES;
}

/** Whether [base, base+size) intersects one of the first @count ranges. */
static bool overlaps(const struct pmm *p, uint32_t count, paddr_t base,
		     uint64_t size)
{
	for (uint32_t i = 0; i < count; i++) {
		const struct pmm_range *r = &p->ranges[i];
		uint64_t rsize = r->pages << PMM_PAGE_SHIFT;

		if (base < r->base + rsize && r->base < base + size) {
			return true;
		}
	}
	return false;
}

/** Argument checks for pmm_add_range(). */
static int check_add_args(uint32_t node, paddr_t base, uint64_t size,
			  const void *meta, size_t meta_size)
{
	bool ok = node < PMM_MAX_NODES && size != 0 &&
		  IS_ALIGNED(base, PMM_PAGE_SIZE) &&
		  IS_ALIGNED(size, PMM_PAGE_SIZE) && base + size > base &&
		  (size >> PMM_PAGE_SHIFT) <= PMM_MAX_RANGE_PAGES &&
		  meta != NULL && IS_ALIGNED((uintptr_t)meta, 8) &&
		  meta_size >= pmm_meta_bytes(size);

	return ok ? PMM_OK : PMM_EINVAL;
}

int pmm_add_range(struct pmm *p, uint32_t node, paddr_t base, uint64_t size,
		  void *meta, size_t meta_size)
{
	int ret = check_add_args(node, base, size, meta, meta_size);
	struct pmm_range *r;
	struct pmm_node *n;

	if (ret != PMM_OK) {
		return ret;
	}
	if (overlaps(p, p->range_count, base, size)) {
		return PMM_EOVERLAP;
	}
	if (p->range_count >= PMM_MAX_RANGES) {
		return PMM_EFULL;
	}
	r = &p->ranges[p->range_count];
	r->base = base;
	r->pages = size >> PMM_PAGE_SHIFT;
	r->node = node;
	r->hdr = meta;
	r->page = (struct pmm_page *)((char *)meta + PMM_META_RANGE_BYTES);
	for (uint32_t o = 0; o < PMM_ORDERS; o++) {
		r->hdr->free_head[o] = PMM_NONE;
		r->hdr->free_count[o] = 0;
	}
	for (uint64_t i = 0; i < r->pages; i++) {
		r->page[i] = (struct pmm_page){ .next = PMM_NONE,
						.prev = PMM_NONE,
						.state = PMM_PAGE_TAIL };
	}
	carve(r, 0, r->pages);

	n = &p->nodes[node];
	spin_lock(&n->lock);
	n->total_pages += r->pages;
	n->free_pages += r->pages;
	n->meta_bytes += pmm_meta_bytes(size);
	n->range_count++;
	n->present = true;
	p->range_count++;
	spin_unlock(&n->lock);
	return PMM_OK;
}

/** Clip pfns [s, e) to @r as page indexes [*from, *to); false if disjoint. */
static bool clip(const struct pmm_range *r, uint64_t s, uint64_t e,
		 uint64_t *from, uint64_t *to)
{
	uint64_t rs = range_pfn(r);
	uint64_t re = rs + r->pages;

	if (e <= rs || s >= re) {
		return false;
	}
	*from = MAX(s, rs) - rs;
	*to = MIN(e, re) - rs;
	return true;
}

/** Whether every page of [from, to) of @r lies in a free block. */
static bool all_free(const struct pmm_range *r, uint64_t from, uint64_t to)
{
	while (from < to) {
		uint32_t h;

		if (r->page[from].state == PMM_PAGE_RESERVED) {
			return false;
		}
		h = find_block(r, (uint32_t)from);
		if (h == PMM_NONE || r->page[h].state != PMM_PAGE_FREE) {
			return false;
		}
		from = h + (1ull << r->page[h].order);
	}
	return true;
}

/** Reserve [from, to) of @r, all free; returns the pages reserved. */
static uint64_t reserve_range(struct pmm_range *r, uint64_t from, uint64_t to)
{
	uint64_t j = from;

	while (j < to) {
		uint32_t h = find_block(r, (uint32_t)j);
		uint64_t end = h + (1ull << r->page[h].order);
		uint64_t lo = MAX((uint64_t)h, from);
		uint64_t hi = MIN(end, to);

		list_del(r, h);
		for (uint64_t k = lo; k < hi; k++) {
			r->page[k].state = PMM_PAGE_RESERVED;
		}
		carve(r, h, lo);
		carve(r, hi, end);
		j = end;
	}
	return to - from;
}

/** Give back reserved pages [from, to) of @r; returns the pages freed. */
static uint64_t unreserve_range(struct pmm_range *r, uint64_t from,
				uint64_t to)
{
	for (uint64_t k = from; k < to; k++) {
		r->page[k].state = PMM_PAGE_TAIL;
	}
	carve(r, from, to);
	return to - from;
}

/**
 * Reserve (or with @undo, give back) pfns [s, e) on @node, all or nothing.
 * The caller holds the node lock.
 */
static int reserve_node(struct pmm *p, uint32_t node, uint64_t s, uint64_t e,
			bool undo)
{
	struct pmm_node *n = &p->nodes[node];
	uint64_t from;
	uint64_t to;
	uint64_t count = 0;

	for (uint32_t i = 0; i < p->range_count && !undo; i++) {
		struct pmm_range *r = &p->ranges[i];

		if (r->node == node && clip(r, s, e, &from, &to) &&
		    !all_free(r, from, to)) {
			return PMM_EINVAL;
		}
	}
	for (uint32_t i = 0; i < p->range_count; i++) {
		struct pmm_range *r = &p->ranges[i];

		if (r->node != node || !clip(r, s, e, &from, &to)) {
			continue;
		}
		count += undo ? unreserve_range(r, from, to) :
				reserve_range(r, from, to);
	}
	n->free_pages = undo ? n->free_pages + count : n->free_pages - count;
	n->reserved_pages = undo ? n->reserved_pages - count :
				   n->reserved_pages + count;
	return PMM_OK;
}

/** Lock @node, run reserve_node() on it, unlock. */
static int reserve_locked(struct pmm *p, uint32_t node, uint64_t s, uint64_t e,
			  bool undo)
{
	int ret;

	spin_lock(&p->nodes[node].lock);
	ret = reserve_node(p, node, s, e, undo);
	spin_unlock(&p->nodes[node].lock);
	return ret;
}

int pmm_reserve(struct pmm *p, paddr_t base, uint64_t size)
{
	uint64_t last;
	uint64_t s;
	uint64_t e;

	if (size == 0) {
		return PMM_OK;
	}
	last = size - 1 > UINT64_MAX - base ? UINT64_MAX : base + size - 1;
	s = base >> PMM_PAGE_SHIFT;
	e = (last >> PMM_PAGE_SHIFT) + 1;
	for (uint32_t node = 0; node < PMM_MAX_NODES; node++) {
		if (reserve_locked(p, node, s, e, false) == PMM_OK) {
			continue;
		}
		/* Undo the nodes done so far: they held only free pages. */
		for (uint32_t m = 0; m < node; m++) {
			reserve_locked(p, m, s, e, true);
		}
		return PMM_EINVAL;
	}
	return PMM_OK;
}

/** Take the smallest free block >= @order on @node; caller holds the lock. */
static int alloc_locked(struct pmm *p, uint32_t node, uint32_t order,
			paddr_t *out)
{
	for (uint32_t o = order; o <= PMM_MAX_ORDER; o++) {
		for (uint32_t i = 0; i < p->range_count; i++) {
			struct pmm_range *r = &p->ranges[i];
			uint32_t idx = r->hdr->free_head[o];

			if (r->node != node || idx == PMM_NONE) {
				continue;
			}
			list_del(r, idx);
			while (o > order) {
				o--;
				list_add(r, idx + (1u << o), o);
			}
			r->page[idx].state = PMM_PAGE_ALLOC;
			r->page[idx].order = (uint8_t)order;
			p->nodes[node].free_pages -= 1ull << order;
			*out = r->base + ((paddr_t)idx << PMM_PAGE_SHIFT);
			return PMM_OK;
		}
	}
	return PMM_ENOMEM;
}

int pmm_alloc(struct pmm *p, uint32_t node, uint32_t order, paddr_t *out)
{
	int ret;

	if (node >= PMM_MAX_NODES || order > PMM_MAX_ORDER || out == NULL) {
		return PMM_EINVAL;
	}
	spin_lock(&p->nodes[node].lock);
	ret = alloc_locked(p, node, order, out);
	spin_unlock(&p->nodes[node].lock);
	return ret;
}

/** Search key of node @n from @from: itself, then by distance, then id. */
static uint32_t near_key(const struct pmm *p, uint32_t from, uint32_t n)
{
	uint32_t rank = n == from ? 0 : p->distance[from][n] + 1u;

	return rank * PMM_MAX_NODES + n;
}

/** The present node after @last in search order from @from, or none. */
static uint32_t next_near(const struct pmm *p, uint32_t from, uint32_t last)
{
	uint32_t best = PMM_MAX_NODES;
	uint32_t best_key = UINT32_MAX;

	for (uint32_t n = 0; n < PMM_MAX_NODES; n++) {
		uint32_t key = near_key(p, from, n);

		if (p->nodes[n].present && key > near_key(p, from, last) &&
		    key < best_key) {
			best = n;
			best_key = key;
		}
	}
	return best;
}

int pmm_alloc_near(struct pmm *p, uint32_t preferred, uint32_t order,
		   paddr_t *out, uint32_t *node_out)
{
	uint32_t n = preferred;

	if (preferred >= PMM_MAX_NODES || order > PMM_MAX_ORDER ||
	    out == NULL) {
		return PMM_EINVAL;
	}
	while (n < PMM_MAX_NODES) {
		if (pmm_alloc(p, n, order, out) == PMM_OK) {
			if (node_out != NULL) {
				*node_out = n;
			}
			return PMM_OK;
		}
		n = next_near(p, preferred, n);
	}
	return PMM_ENOMEM;
}

/** Why block @idx of @order of @r cannot be freed, or PMM_OK. */
static int free_error(const struct pmm_range *r, uint32_t idx, uint32_t order)
{
	const struct pmm_page *pg = &r->page[idx];
	uint32_t h;

	switch (pg->state) {
	case PMM_PAGE_ALLOC:
		return pg->order == order ? PMM_OK : PMM_ENOTHEAD;
	case PMM_PAGE_FREE:
	case PMM_PAGE_HELD:
		return PMM_EDOUBLE;
	case PMM_PAGE_TAIL:
		h = find_block(r, idx);
		if (h != PMM_NONE && r->page[h].state == PMM_PAGE_FREE) {
			return PMM_EDOUBLE;
		}
		return PMM_ENOTHEAD;
	default:
		return PMM_ENOTHEAD;
	}
}

int pmm_free(struct pmm *p, paddr_t pa, uint32_t order)
{
	struct pmm_range *r;
	struct pmm_node *n;
	uint32_t idx;
	int ret;

	if (order > PMM_MAX_ORDER || !IS_ALIGNED(pa, PMM_PAGE_SIZE << order)) {
		return PMM_EINVAL;
	}
	r = find_range(p, pa);
	if (r == NULL) {
		return PMM_EFOREIGN;
	}
	n = &p->nodes[r->node];
	idx = (uint32_t)((pa - r->base) >> PMM_PAGE_SHIFT);
	spin_lock(&n->lock);
	ret = free_error(r, idx, order);
	if (ret == PMM_OK && r->page[idx].pins) {
		r->page[idx].state = PMM_PAGE_HELD; /* back at the last unpin */
	} else if (ret == PMM_OK) {
		free_insert(r, idx, order);
		n->free_pages += 1ull << order;
	}
	spin_unlock(&n->lock);
	return ret;
}

/** The range and page index of block head @pa of @order, or an error. */
static int block_at(const struct pmm *p, paddr_t pa, uint32_t order,
		    struct pmm_range **r, uint32_t *idx)
{
	if (order > PMM_MAX_ORDER || !IS_ALIGNED(pa, PMM_PAGE_SIZE << order)) {
		return PMM_EINVAL;
	}
	*r = find_range(p, pa);
	if (*r == NULL) {
		return PMM_EFOREIGN;
	}
	*idx = (uint32_t)((pa - (*r)->base) >> PMM_PAGE_SHIFT);
	return PMM_OK;
}

/** One pin more (@add) or less of block @pa of @order; see pmm_pin(). */
static int pin_change(struct pmm *p, paddr_t pa, uint32_t order, bool add)
{
	struct pmm_range *r;
	struct pmm_page *pg;
	uint32_t idx;
	int ret = block_at(p, pa, order, &r, &idx);

	if (ret != PMM_OK) {
		return ret;
	}
	spin_lock(&p->nodes[r->node].lock);
	pg = &r->page[idx];
	if (pg->order != order ||
	    (add ? pg->state != PMM_PAGE_ALLOC :
		   (pg->state != PMM_PAGE_ALLOC &&
		    pg->state != PMM_PAGE_HELD) || pg->pins == 0)) {
		ret = PMM_ENOTHEAD; /* a held block takes no new pins */
	} else if (add && pg->pins == UINT16_MAX) {
		ret = PMM_EFULL;
	} else if (add) {
		pg->pins++;
	} else if (--pg->pins == 0 && pg->state == PMM_PAGE_HELD) {
		pg->state = PMM_PAGE_ALLOC;
		free_insert(r, idx, order);
		p->nodes[r->node].free_pages += 1ull << order;
	}
	spin_unlock(&p->nodes[r->node].lock);
	return ret;
}

int pmm_pin(struct pmm *p, paddr_t pa, uint32_t order)
{
	return pin_change(p, pa, order, true);
}

int pmm_unpin(struct pmm *p, paddr_t pa, uint32_t order)
{
	return pin_change(p, pa, order, false);
}

bool pmm_held(struct pmm *p, paddr_t pa)
{
	struct pmm_range *r;
	uint32_t idx;
	bool held;

	if (block_at(p, pa, 0, &r, &idx) != PMM_OK) {
		return false;
	}
	spin_lock(&p->nodes[r->node].lock);
	held = r->page[idx].state == PMM_PAGE_HELD;
	spin_unlock(&p->nodes[r->node].lock);
	return held;
}

int pmm_node_of(const struct pmm *p, paddr_t pa)
{
	const struct pmm_range *r = find_range(p, pa);

	return r == NULL ? PMM_EFOREIGN : (int)r->node;
}

void pmm_set_distance(struct pmm *p, uint32_t from, uint32_t to, uint8_t d)
{
	if (from < PMM_MAX_NODES && to < PMM_MAX_NODES) {
		p->distance[from][to] = d;
	}
}

void pmm_stats(struct pmm *p, uint32_t node, struct pmm_stats *st)
{
	struct pmm_node *n;

	__builtin_memset(st, 0, sizeof(*st));
	if (node >= PMM_MAX_NODES) {
		return;
	}
	n = &p->nodes[node];
	spin_lock(&n->lock);
	st->total_pages = n->total_pages;
	st->free_pages = n->free_pages;
	st->reserved_pages = n->reserved_pages;
	st->meta_bytes = n->meta_bytes;
	st->range_count = n->range_count;
	spin_unlock(&n->lock);
}

/** Tallies that pmm_check() compares with the node counters. */
struct pmm_tally {
	uint64_t free_pages;
	uint64_t reserved_pages;
	uint64_t heads[PMM_ORDERS]; /**< free heads of each order, in a range */
};

/** Check block @i of @r: aligned, inside, tails marked, merged. */
static bool check_block(const struct pmm_range *r, uint64_t i)
{
	const struct pmm_page *pg = &r->page[i];
	uint64_t size;
	uint32_t b;

	if (pg->order > PMM_MAX_ORDER) {
		return false;
	}
	size = 1ull << pg->order;
	if (!IS_ALIGNED(range_pfn(r) + i, size) || i + size > r->pages) {
		return false;
	}
	for (uint64_t k = i + 1; k < i + size; k++) {
		if (r->page[k].state != PMM_PAGE_TAIL) {
			return false;
		}
	}
	if (pg->state != PMM_PAGE_FREE || pg->order == PMM_MAX_ORDER) {
		return true;
	}
	b = buddy_of(r, (uint32_t)i, pg->order);
	return b == PMM_NONE || r->page[b].state != PMM_PAGE_FREE ||
	       r->page[b].order != pg->order;
}

/** Walk every page record of @r, adding up free and reserved pages. */
static bool check_pages(const struct pmm_range *r, struct pmm_tally *t)
{
	uint64_t i = 0;

	while (i < r->pages) {
		const struct pmm_page *pg = &r->page[i];

		if (pg->state == PMM_PAGE_RESERVED) {
			t->reserved_pages++;
			i++;
			continue;
		}
		if (pg->state == PMM_PAGE_TAIL || pg->state > PMM_PAGE_HELD ||
		    (pg->state == PMM_PAGE_HELD && pg->pins == 0) ||
		    (pg->state == PMM_PAGE_FREE && pg->pins != 0) ||
		    !check_block(r, i)) {
			return false;
		}
		if (pg->state == PMM_PAGE_FREE) {
			t->free_pages += 1ull << pg->order;
			t->heads[pg->order]++;
		}
		i += 1ull << pg->order;
	}
	return true;
}

/** Check free list @o of @r: well linked, exactly the free heads of @o. */
static bool check_list(const struct pmm_range *r, uint32_t o, uint64_t heads)
{
	uint32_t prev = PMM_NONE;
	uint64_t len = 0;

	for (uint32_t i = r->hdr->free_head[o]; i != PMM_NONE;
	     i = r->page[i].next) {
		if (i >= r->pages || ++len > heads ||
		    r->page[i].state != PMM_PAGE_FREE ||
		    r->page[i].order != o || r->page[i].prev != prev) {
			return false;
		}
		prev = i;
	}
	return len == heads && r->hdr->free_count[o] == heads;
}

/** Check the ranges of @node against its counters; caller holds the lock. */
static bool check_node(const struct pmm *p, uint32_t node)
{
	const struct pmm_node *n = &p->nodes[node];
	struct pmm_tally t = { 0 };
	uint64_t total = 0;
	uint64_t meta = 0;
	uint32_t count = 0;

	for (uint32_t i = 0; i < p->range_count; i++) {
		const struct pmm_range *r = &p->ranges[i];

		if (r->node != node) {
			continue;
		}
		__builtin_memset(t.heads, 0, sizeof(t.heads));
		if (!check_pages(r, &t)) {
			return false;
		}
		for (uint32_t o = 0; o < PMM_ORDERS; o++) {
			if (!check_list(r, o, t.heads[o])) {
				return false;
			}
		}
		total += r->pages;
		meta += pmm_meta_bytes(r->pages << PMM_PAGE_SHIFT);
		count++;
	}
	return n->total_pages == total && n->free_pages == t.free_pages &&
	       n->reserved_pages == t.reserved_pages &&
	       n->meta_bytes == meta && n->range_count == count &&
	       n->present == (count != 0);
}

int pmm_check(struct pmm *p)
{
	bool ok = p->range_count <= PMM_MAX_RANGES;

	for (uint32_t i = 0; ok && i < p->range_count; i++) {
		const struct pmm_range *r = &p->ranges[i];

		ok = r->node < PMM_MAX_NODES && r->pages != 0 &&
		     r->pages <= PMM_MAX_RANGE_PAGES &&
		     r->base + (r->pages << PMM_PAGE_SHIFT) > r->base &&
		     !overlaps(p, i, r->base, r->pages << PMM_PAGE_SHIFT);
	}
	for (uint32_t node = 0; ok && node < PMM_MAX_NODES; node++) {
		spin_lock(&p->nodes[node].lock);
		ok = check_node(p, node);
		spin_unlock(&p->nodes[node].lock);
	}
	return ok ? PMM_OK : PMM_EINVAL;
}

const char *pmm_strerror(int err)
{
	static const char *const msg[] = {
		"success",
		"no free block of that order on the node",
		"invalid argument",
		"block is already free",
		"address not managed by the allocator",
		"not the start of an allocated block of that order",
		"too many memory ranges",
		"range overlaps an existing range",
	};

	if (err > 0 || (uint32_t)-err >= ARRAY_SIZE(msg)) {
		return "unknown pmm error";
	}
	return msg[-err];
}
