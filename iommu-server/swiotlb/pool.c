/* SPDX-License-Identifier: MIT */
/* The bounce pool's page allocator: see pool.h. */
#include <stddef.h>

#include "pool.h"

void swp_init(struct swp_pool *p)
{
	p->nseg = 0;
	p->pages = 0;
	p->used = 0;
	for (size_t i = 0; i < SWP_MAX_PAGES / SWP_LONG_BITS; i++) {
		p->bits[i] = 0;
	}
}

static bool swp_bit(const struct swp_pool *p, uint32_t page)
{
	return (p->bits[page / SWP_LONG_BITS] >> (page % SWP_LONG_BITS)) & 1ul;
}

static void swp_set(struct swp_pool *p, uint32_t page, bool on)
{
	unsigned long m = 1ul << (page % SWP_LONG_BITS);

	if (on) {
		p->bits[page / SWP_LONG_BITS] |= m;
	} else {
		p->bits[page / SWP_LONG_BITS] &= ~m;
	}
}

int swp_add(struct swp_pool *p, uint64_t pa, uint64_t va, uint64_t bytes)
{
	uint64_t n = bytes / SWP_PAGE;
	struct swp_seg *last = p->nseg ? &p->seg[p->nseg - 1] : NULL;

	if (bytes == 0 || bytes % SWP_PAGE || pa % SWP_PAGE || va % SWP_PAGE ||
	    n > SWP_MAX_PAGES - p->pages) {
		return -1;
	}
	if (last && last->pa + (uint64_t)last->pages * SWP_PAGE == pa &&
	    last->va + (uint64_t)last->pages * SWP_PAGE == va) {
		last->pages += (uint32_t)n;
	} else {
		if (p->nseg == SWP_MAX_SEGS) {
			return -1;
		}
		p->seg[p->nseg++] = (struct swp_seg){ pa, va, p->pages,
						      (uint32_t)n };
	}
	p->pages += (uint32_t)n;
	return 0;
}

/** Pages of @s usable under @limit (their last byte below it). */
static uint32_t swp_usable(const struct swp_seg *s, uint64_t limit)
{
	uint64_t n;

	if (limit == 0 || s->pa + (uint64_t)s->pages * SWP_PAGE <= limit) {
		return s->pages;
	}
	if (s->pa >= limit) {
		return 0;
	}
	n = (limit - s->pa) / SWP_PAGE;
	return (uint32_t)n;
}

int swp_alloc(struct swp_pool *p, uint32_t n, uint64_t limit, uint32_t *page)
{
	if (n == 0) {
		return -1;
	}
	for (uint32_t s = 0; s < p->nseg; s++) {
		uint32_t first = p->seg[s].first_page;
		uint32_t end = first + swp_usable(&p->seg[s], limit);
		uint32_t run = 0;

		for (uint32_t i = first; i < end; i++) {
			run = swp_bit(p, i) ? 0 : run + 1;
			if (run == n) {
				*page = i + 1 - n;
				for (uint32_t k = *page; k <= i; k++) {
					swp_set(p, k, true);
				}
				p->used += n;
				return 0;
			}
		}
	}
	return -1;
}

void swp_free(struct swp_pool *p, uint32_t page, uint32_t n)
{
	for (uint32_t k = page; k < page + n && k < p->pages; k++) {
		if (swp_bit(p, k)) {
			swp_set(p, k, false);
			p->used--;
		}
	}
}

static const struct swp_seg *swp_seg_of(const struct swp_pool *p, uint32_t page)
{
	for (uint32_t s = 0; s < p->nseg; s++) {
		if (page >= p->seg[s].first_page &&
		    page - p->seg[s].first_page < p->seg[s].pages) {
			return &p->seg[s];
		}
	}
	return NULL;
}

uint64_t swp_pa(const struct swp_pool *p, uint32_t page)
{
	const struct swp_seg *s = swp_seg_of(p, page);

	return s ? s->pa + (uint64_t)(page - s->first_page) * SWP_PAGE : 0;
}

uint64_t swp_va(const struct swp_pool *p, uint32_t page)
{
	const struct swp_seg *s = swp_seg_of(p, page);

	return s ? s->va + (uint64_t)(page - s->first_page) * SWP_PAGE : 0;
}

bool swp_reachable(const struct swp_pool *p, uint64_t limit)
{
	for (uint32_t s = 0; s < p->nseg; s++) {
		if (swp_usable(&p->seg[s], limit) > 0) {
			return true;
		}
	}
	return false;
}

uint64_t swp_lowest(const struct swp_pool *p)
{
	uint64_t lo = ~0ull;

	for (uint32_t s = 0; s < p->nseg; s++) {
		lo = p->seg[s].pa < lo ? p->seg[s].pa : lo;
	}
	return p->nseg ? lo : 0;
}

uint64_t swp_highest(const struct swp_pool *p)
{
	uint64_t hi = 0;

	for (uint32_t s = 0; s < p->nseg; s++) {
		uint64_t e = p->seg[s].pa + (uint64_t)p->seg[s].pages * SWP_PAGE;

		hi = e > hi ? e : hi;
	}
	return hi;
}
