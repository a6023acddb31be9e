/* SPDX-License-Identifier: MIT */
/*
 * Host unit tests for the physical memory allocator (kernel/core/pmm.c).
 * Managed addresses are fake: nothing below touches the memory they name,
 * so layouts may span terabytes. Metadata buffers come from calloc.
 */
#include <rift/pmm.h>

#include "test.h"

#define PAGE PMM_PAGE_SIZE
#define ALTIX_BASE 0x3000000000ull
#define ALTIX_STRIDE 0x8000000000ull /* 512 GiB between nodes */

/** One range of a test layout. */
struct layout {
	uint32_t node;
	paddr_t base;
	uint64_t size;
};

/** A block the test holds. */
struct live {
	paddr_t pa;
	uint32_t order;
	uint32_t node;
};

static struct pmm pm;
static void *metas[4 * PMM_MAX_RANGES];
static size_t nmetas;

/** Free the metadata of the previous test and start an empty allocator. */
static void reset(void)
{
	for (size_t i = 0; i < nmetas; i++) {
		free(metas[i]);
	}
	nmetas = 0;
	pmm_init(&pm);
}

/** Add a range with freshly allocated metadata of the documented size. */
static int add(uint32_t node, paddr_t base, uint64_t size)
{
	size_t bytes = pmm_meta_bytes(size);
	void *meta = calloc(1, bytes);

	if (meta == NULL) {
		return -100;
	}
	metas[nmetas++] = meta;
	return pmm_add_range(&pm, node, base, size, meta, bytes);
}

/** Reset, then add every range of @l; returns the first error or 0. */
static int setup(const struct layout *l, size_t n)
{
	reset();
	for (size_t i = 0; i < n; i++) {
		int ret = add(l[i].node, l[i].base, l[i].size);

		if (ret != 0) {
			return ret;
		}
	}
	return 0;
}

/** Counters of every node. */
struct snap {
	struct pmm_stats st[PMM_MAX_NODES];
};

static void snap(struct snap *s)
{
	for (uint32_t n = 0; n < PMM_MAX_NODES; n++) {
		pmm_stats(&pm, n, &s->st[n]);
	}
}

static bool stats_eq(const struct pmm_stats *a, const struct pmm_stats *b)
{
	return a->total_pages == b->total_pages &&
	       a->free_pages == b->free_pages &&
	       a->reserved_pages == b->reserved_pages &&
	       a->meta_bytes == b->meta_bytes &&
	       a->range_count == b->range_count;
}

/** Whether the counters of every node equal those in @s. */
static bool unchanged(const struct snap *s)
{
	struct snap now;

	snap(&now);
	for (uint32_t n = 0; n < PMM_MAX_NODES; n++) {
		if (!stats_eq(&s->st[n], &now.st[n])) {
			return false;
		}
	}
	return true;
}

static uint64_t free_pages(uint32_t node)
{
	struct pmm_stats st;

	pmm_stats(&pm, node, &st);
	return st.free_pages;
}

static uint64_t block_bytes(uint32_t order)
{
	return PAGE << order;
}

/** Whether [pa, pa + 4K << order) lies inside one range of @node in @l. */
static bool inside(const struct layout *l, size_t n, uint32_t node, paddr_t pa,
		   uint32_t order)
{
	for (size_t i = 0; i < n; i++) {
		if (l[i].node == node && pa >= l[i].base &&
		    pa + block_bytes(order) <= l[i].base + l[i].size) {
			return true;
		}
	}
	return false;
}

static bool disjoint(const struct live *a, const struct live *b)
{
	return a->pa + block_bytes(a->order) <= b->pa ||
	       b->pa + block_bytes(b->order) <= a->pa;
}

/** xorshift64: deterministic, good enough to pick operations. */
static uint64_t rng_state;

static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/** SGI Altix-like: 4 nodes of 1 GiB, 512 GiB apart. */
TEST(altix_layout)
{
	struct layout l[4];
	struct pmm_stats st;
	paddr_t pa;

	for (uint32_t n = 0; n < 4; n++) {
		l[n] = (struct layout){ n, ALTIX_BASE + n * ALTIX_STRIDE,
					GiB(1) };
	}
	CHECK_EQ(setup(l, 4), 0);
	CHECK_EQ(pmm_check(&pm), 0);
	for (uint32_t n = 0; n < 4; n++) {
		pmm_stats(&pm, n, &st);
		CHECK_EQ(st.total_pages, 262144);
		CHECK_EQ(st.free_pages, 262144);
		CHECK_EQ(st.reserved_pages, 0);
		CHECK_EQ(st.meta_bytes, 152 + 12 * 262144);
		CHECK_EQ(st.range_count, 1);
		CHECK_EQ(pmm_node_of(&pm, l[n].base), n);
		CHECK_EQ(pmm_node_of(&pm, l[n].base + GiB(1) - 1), n);
		CHECK_EQ(pmm_node_of(&pm, l[n].base + GiB(1)), PMM_EFOREIGN);
		CHECK_EQ(pmm_node_of(&pm, l[n].base - 1), PMM_EFOREIGN);
	}
	for (uint32_t n = 4; n < PMM_MAX_NODES; n++) {
		pmm_stats(&pm, n, &st);
		CHECK_EQ(st.total_pages + st.meta_bytes + st.range_count, 0);
	}
	for (uint32_t n = 0; n < 4; n++) {
		CHECK_EQ(pmm_alloc(&pm, n, PMM_ORDER_1G, &pa), 0);
		CHECK_EQ(pa, l[n].base);
		CHECK_EQ(free_pages(n), 0);
		CHECK_EQ(pmm_alloc(&pm, n, 0, &pa), PMM_ENOMEM);
	}
	CHECK_EQ(pmm_check(&pm), 0);
}

/** Total metadata of 4 nodes laid out with @hole bytes between them. */
static uint64_t layout_meta(uint64_t hole, uint64_t *formula)
{
	static const uint64_t sizes[2] = { GiB(1), MiB(256) + KiB(12) };
	paddr_t base = ALTIX_BASE;
	struct pmm_stats st;
	uint64_t total = 0;

	reset();
	*formula = 0;
	for (uint32_t n = 0; n < 4; n++) {
		for (uint32_t i = 0; i < 2; i++) {
			if (add(n, base, sizes[i]) != 0) {
				return 0;
			}
			base += sizes[i];
			*formula += PMM_META_RANGE_BYTES +
				    PMM_META_PAGE_BYTES * (sizes[i] / PAGE);
		}
		base += hole;
	}
	for (uint32_t n = 0; n < PMM_MAX_NODES; n++) {
		pmm_stats(&pm, n, &st);
		total += st.meta_bytes;
	}
	return pmm_check(&pm) == 0 ? total : 0;
}

/** Metadata depends on the memory present, never on the holes. */
TEST(meta_ignores_holes)
{
	uint64_t f4g;
	uint64_t f4t;
	uint64_t small = layout_meta(GiB(4), &f4g);
	uint64_t huge = layout_meta(TiB(4), &f4t);

	CHECK(small != 0);
	CHECK_EQ(small, huge);
	CHECK_EQ(small, f4g);
	CHECK_EQ(f4g, f4t);
	CHECK_EQ(PMM_META_RANGE_BYTES, 152);
	CHECK_EQ(PMM_META_PAGE_BYTES, 12);
	CHECK_EQ(pmm_meta_bytes(GiB(1)), 152 + 12 * 262144);
	CHECK_EQ(pmm_meta_bytes(PAGE), 164);
	CHECK_EQ(pmm_meta_bytes(1), 164);
	/* 4 x (1 GiB + 256 MiB + 12 KiB) present: 0.29%, not a 12 TiB span. */
	CHECK_EQ(small, 8 * 152 + 12 * 4 * (262144 + 65536 + 3));
}

/** Allocate up to @max blocks of @order on @node, checking each one. */
static int grab(const struct layout *l, size_t n, uint32_t node,
		uint32_t order, struct live *out, int max)
{
	int count = 0;
	paddr_t pa;

	while (count < max && pmm_alloc(&pm, node, order, &pa) == 0) {
		if (pa % block_bytes(order) != 0 ||
		    !inside(l, n, node, pa, order) ||
		    pmm_node_of(&pm, pa) != (int)node) {
			return -1;
		}
		out[count++] = (struct live){ pa, order, node };
	}
	return count;
}

/** Free @count blocks; returns how many frees failed. */
static int release(const struct live *b, int count)
{
	int bad = 0;

	for (int i = 0; i < count; i++) {
		bad += pmm_free(&pm, b[i].pa, b[i].order) != 0;
	}
	return bad;
}

/** Every block of every order is naturally aligned and in its node. */
TEST(alignment_every_order)
{
	static const struct layout l[] = {
		{ 0, 0x40000000, GiB(2) },
		{ 1, 0x100200000, 0x3fe00000 },
		{ 2, 0x1000, 0x7000 },
	};
	static struct live b[1024];
	struct snap base;
	int got;

	CHECK_EQ(setup(l, ARRAY_SIZE(l)), 0);
	snap(&base);
	for (uint32_t node = 0; node < 3; node++) {
		for (uint32_t o = 0; o <= PMM_MAX_ORDER; o++) {
			got = grab(l, ARRAY_SIZE(l), node, o, b, 3);
			CHECK(got >= 0);
			CHECK_EQ(pmm_check(&pm), 0);
			CHECK_EQ(release(b, got), 0);
		}
	}
	CHECK(unchanged(&base));
	/* Exact counts until exhaustion. */
	CHECK_EQ(grab(l, ARRAY_SIZE(l), 0, PMM_ORDER_1G, b, 1024), 2);
	CHECK_EQ(release(b, 2), 0);
	CHECK_EQ(grab(l, ARRAY_SIZE(l), 1, PMM_ORDER_1G, b, 1024), 0);
	CHECK_EQ(grab(l, ARRAY_SIZE(l), 1, PMM_ORDER_2M, b, 1024), 511);
	CHECK_EQ(release(b, 511), 0);
	CHECK_EQ(grab(l, ARRAY_SIZE(l), 2, 0, b, 1024), 7);
	CHECK_EQ(release(b, 7), 0);
	CHECK_EQ(grab(l, ARRAY_SIZE(l), 2, 1, b, 1024), 3);
	CHECK_EQ(release(b, 3), 0);
	CHECK_EQ(grab(l, ARRAY_SIZE(l), 2, 2, b, 1024), 1);
	CHECK_EQ(b[0].pa, 0x4000);
	CHECK_EQ(release(b, 1), 0);
	CHECK_EQ(grab(l, ARRAY_SIZE(l), 2, 3, b, 1024), 0);
	CHECK(unchanged(&base));
	CHECK_EQ(pmm_check(&pm), 0);
}

/** Run the allocator dry, then free everything: 1 GiB blocks re-form. */
TEST(exhaust_and_merge)
{
	static const struct layout l[] = {
		{ 0, 0x80000000, GiB(2) },
		{ 0, 0x200001000, 0x5000 },
	};
	static struct live b[1100];
	struct snap base;
	struct pmm_stats st;
	paddr_t pa;
	paddr_t pb;
	int n2m;
	int n4k;

	CHECK_EQ(setup(l, ARRAY_SIZE(l)), 0);
	snap(&base);
	CHECK_EQ(base.st[0].free_pages, 524288 + 5);
	n2m = grab(l, ARRAY_SIZE(l), 0, PMM_ORDER_2M, b, 1100);
	CHECK_EQ(n2m, 1024);
	n4k = grab(l, ARRAY_SIZE(l), 0, 0, b + n2m, 1100 - n2m);
	CHECK_EQ(n4k, 5);
	pmm_stats(&pm, 0, &st);
	CHECK_EQ(st.free_pages, 0);
	CHECK_EQ(st.total_pages, 524288 + 5);
	CHECK_EQ(st.reserved_pages, 0);
	for (uint32_t o = 0; o <= PMM_MAX_ORDER; o++) {
		CHECK_EQ(pmm_alloc(&pm, 0, o, &pa), PMM_ENOMEM);
		CHECK_EQ(pmm_alloc_near(&pm, 0, o, &pa, NULL), PMM_ENOMEM);
	}
	pmm_stats(&pm, 0, &st);
	CHECK_EQ(st.free_pages, 0);
	CHECK_EQ(pmm_check(&pm), 0);
	/* Free odd blocks first, then even ones, so merges happen late. */
	for (int i = 1; i < n2m + n4k; i += 2) {
		CHECK_EQ(pmm_free(&pm, b[i].pa, b[i].order), 0);
	}
	CHECK_EQ(pmm_check(&pm), 0);
	for (int i = 0; i < n2m + n4k; i += 2) {
		CHECK_EQ(pmm_free(&pm, b[i].pa, b[i].order), 0);
	}
	CHECK(unchanged(&base));
	CHECK_EQ(pmm_check(&pm), 0);
	CHECK_EQ(pmm_alloc(&pm, 0, PMM_ORDER_1G, &pa), 0);
	CHECK_EQ(pmm_alloc(&pm, 0, PMM_ORDER_1G, &pb), 0);
	CHECK_EQ(pa + pb, 0x80000000ull + 0xc0000000ull);
	CHECK_EQ(pmm_alloc(&pm, 0, PMM_ORDER_1G, &pa), PMM_ENOMEM);
	/* The small range re-formed as 4K@0x200001000, 8K@2000, 8K@4000. */
	CHECK_EQ(pmm_alloc(&pm, 0, 1, &pa), 0);
	CHECK_EQ(pmm_alloc(&pm, 0, 1, &pb), 0);
	CHECK_EQ(pa + pb, 0x200002000 + 0x200004000);
	CHECK_EQ(pmm_alloc(&pm, 0, 1, &pa), PMM_ENOMEM);
	CHECK_EQ(pmm_alloc(&pm, 0, 0, &pa), 0);
	CHECK_EQ(pa, 0x200001000);
	CHECK_EQ(free_pages(0), 0);
}

/** Expect @call to return @err and leave every counter alone. */
#define CHECK_REJECTS(call, err)                  \
	do {                                      \
		struct snap _s;                   \
		snap(&_s);                        \
		CHECK_EQ((call), (err));          \
		CHECK(unchanged(&_s));            \
		CHECK_EQ(pmm_check(&pm), 0);      \
	} while (0)

/** Bad frees and bad arguments return errors and change nothing. */
TEST(bad_input)
{
	static const struct layout l[] = { { 0, 0x40000000, GiB(1) } };
	const paddr_t rsv = 0x50000000;
	paddr_t a;
	paddr_t b;
	paddr_t c1;
	paddr_t c2;

	CHECK_EQ(setup(l, 1), 0);
	CHECK_EQ(pmm_reserve(&pm, rsv, PAGE), 0);
	/* The page split the 1 GiB block: 4K@rsv+1000, 8K@+2000, 16K, 32K.. */
	CHECK_EQ(pmm_alloc(&pm, 0, 3, &a), 0);
	CHECK_EQ(a, rsv + 0x8000);
	CHECK_EQ(pmm_alloc(&pm, 0, 0, &b), 0);
	CHECK_EQ(b, rsv + 0x1000);
	CHECK_REJECTS(pmm_free(&pm, a, 2), PMM_ENOTHEAD);
	CHECK_REJECTS(pmm_free(&pm, a, 0), PMM_ENOTHEAD);
	CHECK_REJECTS(pmm_free(&pm, a + PAGE, 0), PMM_ENOTHEAD);
	CHECK_REJECTS(pmm_free(&pm, a + 2 * PAGE, 1), PMM_ENOTHEAD);
	CHECK_REJECTS(pmm_free(&pm, a + PAGE, 3), PMM_EINVAL);
	CHECK_REJECTS(pmm_free(&pm, a + 1, 0), PMM_EINVAL);
	CHECK_REJECTS(pmm_free(&pm, a, PMM_MAX_ORDER + 1), PMM_EINVAL);
	CHECK_REJECTS(pmm_free(&pm, a, 255), PMM_EINVAL);
	CHECK_REJECTS(pmm_free(&pm, a, UINT32_MAX), PMM_EINVAL);
	CHECK_REJECTS(pmm_free(&pm, 0x1000, 0), PMM_EFOREIGN);
	CHECK_REJECTS(pmm_free(&pm, 0x0, PMM_ORDER_1G), PMM_EFOREIGN);
	CHECK_REJECTS(pmm_free(&pm, 0x80000000, 0), PMM_EFOREIGN);
	CHECK_REJECTS(pmm_free(&pm, 0xfffffffffffff000ull, 0), PMM_EFOREIGN);
	CHECK_REJECTS(pmm_free(&pm, rsv, 0), PMM_ENOTHEAD);
	CHECK_REJECTS(pmm_free(&pm, 0x7ffff000, 0), PMM_EDOUBLE);
	CHECK_REJECTS(pmm_free(&pm, 0x40000000, PMM_ORDER_1G), PMM_EDOUBLE);
	CHECK_REJECTS(pmm_free(&pm, 0x60000000, 0), PMM_EDOUBLE);
	CHECK_EQ(pmm_free(&pm, a, 3), 0);
	CHECK_REJECTS(pmm_free(&pm, a, 3), PMM_EDOUBLE);
	CHECK_EQ(pmm_free(&pm, b, 0), 0);
	CHECK_REJECTS(pmm_free(&pm, b, 0), PMM_EDOUBLE);
	CHECK_REJECTS(pmm_free(&pm, a + PAGE, 0), PMM_EDOUBLE);
	/* c2 merges into c1's block: its record is a tail of a free block. */
	CHECK_EQ(pmm_alloc(&pm, 0, 0, &b), 0);
	CHECK_EQ(pmm_alloc(&pm, 0, 0, &c1), 0);
	CHECK_EQ(pmm_alloc(&pm, 0, 0, &c2), 0);
	CHECK_EQ(c1, rsv + 0x2000);
	CHECK_EQ(c2, rsv + 0x3000);
	CHECK_EQ(pmm_free(&pm, c1, 0), 0);
	CHECK_EQ(pmm_free(&pm, c2, 0), 0);
	CHECK_REJECTS(pmm_free(&pm, c2, 0), PMM_EDOUBLE);
	CHECK_REJECTS(pmm_free(&pm, c1, 0), PMM_EDOUBLE);
	CHECK_REJECTS(pmm_free(&pm, c1, 1), PMM_EDOUBLE);
	CHECK_EQ(pmm_free(&pm, b, 0), 0);
	CHECK_REJECTS(pmm_alloc(&pm, PMM_MAX_NODES, 0, &a), PMM_EINVAL);
	CHECK_REJECTS(pmm_alloc(&pm, UINT32_MAX, 0, &a), PMM_EINVAL);
	CHECK_REJECTS(pmm_alloc(&pm, 0, PMM_MAX_ORDER + 1, &a), PMM_EINVAL);
	CHECK_REJECTS(pmm_alloc(&pm, 0, 0, NULL), PMM_EINVAL);
	CHECK_REJECTS(pmm_alloc(&pm, 3, 0, &a), PMM_ENOMEM);
	CHECK_REJECTS(pmm_alloc_near(&pm, PMM_MAX_NODES, 0, &a, NULL),
		      PMM_EINVAL);
	CHECK_REJECTS(pmm_alloc_near(&pm, 0, PMM_MAX_ORDER + 1, &a, NULL),
		      PMM_EINVAL);
	CHECK_EQ(free_pages(0), 262143);
}

/** Reserve unaligned pieces, across holes and nodes, all or nothing. */
/**
 * A pinned block (DMA may still reach it) survives pmm_free() and returns
 * to the free lists only at its last unpin; pins of free, held, tail or
 * foreign blocks are refused.
 */
TEST(pin_defers_free)
{
	static const struct layout l[] = { { 0, 0x40000000, MiB(64) } };
	uint64_t before;
	paddr_t a;
	paddr_t b;

	CHECK_EQ(setup(l, 1), 0);
	before = free_pages(0);
	CHECK_EQ(pmm_alloc(&pm, 0, 9, &a), 0);
	CHECK_REJECTS(pmm_pin(&pm, a, 0), PMM_ENOTHEAD);
	CHECK_REJECTS(pmm_pin(&pm, a + PAGE, 0), PMM_ENOTHEAD);
	CHECK_REJECTS(pmm_pin(&pm, 0x1000, 0), PMM_EFOREIGN);
	CHECK_REJECTS(pmm_pin(&pm, a + 1, 9), PMM_EINVAL);
	CHECK_REJECTS(pmm_unpin(&pm, a, 9), PMM_ENOTHEAD); /* not pinned */
	CHECK_EQ(pmm_pin(&pm, a, 9), 0);
	CHECK_EQ(pmm_pin(&pm, a, 9), 0);
	CHECK_EQ(pmm_free(&pm, a, 9), 0);
	CHECK_EQ(free_pages(0), before - 512); /* held, not free */
	CHECK_EQ(pmm_check(&pm), 0);
	CHECK_REJECTS(pmm_free(&pm, a, 9), PMM_EDOUBLE);
	CHECK_REJECTS(pmm_pin(&pm, a, 9), PMM_ENOTHEAD); /* held: no new pins */
	/* Nothing else can be handed the held block meanwhile. */
	CHECK_EQ(pmm_alloc(&pm, 0, 9, &b), 0);
	CHECK(b != a);
	CHECK_EQ(pmm_free(&pm, b, 9), 0);
	CHECK_EQ(pmm_unpin(&pm, a, 9), 0);
	CHECK_EQ(free_pages(0), before - 512);
	CHECK_EQ(pmm_unpin(&pm, a, 9), 0); /* the last pin frees it */
	CHECK_EQ(free_pages(0), before);
	CHECK_REJECTS(pmm_unpin(&pm, a, 9), PMM_ENOTHEAD);
	CHECK_EQ(pmm_check(&pm), 0);
	/* Pin then unpin while allocated: an ordinary free afterwards. */
	CHECK_EQ(pmm_alloc(&pm, 0, 0, &a), 0);
	CHECK_EQ(pmm_pin(&pm, a, 0), 0);
	CHECK_EQ(pmm_unpin(&pm, a, 0), 0);
	CHECK_EQ(pmm_free(&pm, a, 0), 0);
	CHECK_EQ(free_pages(0), before);
	CHECK_EQ(pmm_check(&pm), 0);
}

TEST(reserve)
{
	static const struct layout l[] = {
		{ 0, 0x80000000, MiB(64) },
		{ 0, 0x100000000, MiB(64) },
		{ 1, 0x200003000, MiB(16) },
	};
	static struct live b[32768];
	struct snap s;
	paddr_t pa;
	int got;

	CHECK_EQ(setup(l, ARRAY_SIZE(l)), 0);
	/* 16 bytes inside one page: exactly that page. */
	CHECK_EQ(pmm_reserve(&pm, 0x80123456, 0x10), 0);
	pmm_stats(&pm, 0, &s.st[0]);
	CHECK_EQ(s.st[0].reserved_pages, 1);
	CHECK_EQ(s.st[0].free_pages, 32768 - 1);
	/* Last 3 pages of range 0, the hole, first 6 pages of range 1. */
	CHECK_EQ(pmm_reserve(&pm, 0x84000000 - 0x2345,
			     0x100005001 - (0x84000000 - 0x2345)), 0);
	pmm_stats(&pm, 0, &s.st[0]);
	CHECK_EQ(s.st[0].reserved_pages, 10);
	CHECK_EQ(s.st[0].free_pages, 32768 - 10);
	CHECK_EQ(pmm_check(&pm), 0);
	/* Already reserved, partly or wholly. */
	CHECK_REJECTS(pmm_reserve(&pm, 0x80122000, 0x2000), PMM_EINVAL);
	CHECK_REJECTS(pmm_reserve(&pm, 0x100005000, 1), PMM_EINVAL);
	/* Holes only, and a region running off the top of the space. */
	CHECK_REJECTS(pmm_reserve(&pm, 0, 0x80000000), 0);
	CHECK_REJECTS(pmm_reserve(&pm, 0xfffffffffffff000ull, 0x10000), 0);
	CHECK_REJECTS(pmm_reserve(&pm, 0x80000000, 0), 0);
	/* Node 0 part is free, node 1 part holds an allocated block. */
	CHECK_EQ(pmm_alloc(&pm, 1, 4, &pa), 0);
	CHECK_REJECTS(pmm_reserve(&pm, 0x102000000, 0x200003000 + MiB(16) -
							0x102000000),
		      PMM_EINVAL);
	CHECK_REJECTS(pmm_reserve(&pm, pa + PAGE, 1), PMM_EINVAL);
	CHECK_EQ(pmm_free(&pm, pa, 4), 0);
	CHECK_EQ(pmm_reserve(&pm, 0x200003000, MiB(16)), 0);
	CHECK_EQ(free_pages(1), 0);
	CHECK_EQ(pmm_alloc_near(&pm, 1, 0, &pa, NULL), 0);
	CHECK_EQ(pmm_node_of(&pm, pa), 0);
	CHECK_EQ(pmm_free(&pm, pa, 0), 0);
	/* Every page handed out on node 0 avoids the reserved ones. */
	got = grab(l, ARRAY_SIZE(l), 0, 0, b, 32768);
	CHECK_EQ(got, 32768 - 10);
	for (int i = 0; i < got; i++) {
		CHECK(b[i].pa != 0x80123000);
		CHECK(b[i].pa < 0x84000000 - 0x3000 || b[i].pa >= 0x100006000);
	}
	CHECK_EQ(pmm_check(&pm), 0);
	CHECK_EQ(release(b, got), 0);
	pmm_stats(&pm, 0, &s.st[0]);
	CHECK_EQ(s.st[0].free_pages, 32768 - 10);
	CHECK_EQ(pmm_check(&pm), 0);
}

/** Ranges not aligned to 1G/2M carve into maximal aligned blocks. */
TEST(unaligned_base)
{
	static const struct layout l[] = {
		{ 0, 0x40200000, 0x3fe00000 },
		{ 1, 0x13fff0000, 0x40020000 },
	};
	paddr_t pa;
	paddr_t pb;

	CHECK_EQ(setup(l, ARRAY_SIZE(l)), 0);
	CHECK_EQ(free_pages(0), 0x3fe00);
	CHECK_EQ(pmm_alloc(&pm, 0, PMM_ORDER_1G, &pa), PMM_ENOMEM);
	/* One free block each of orders 17..9: 2M@0x40200000 .. 512M@6. */
	for (uint32_t o = 17; o >= 9; o--) {
		CHECK_EQ(pmm_alloc(&pm, 0, o, &pa), 0);
		CHECK_EQ(pa, 0x40000000 + block_bytes(o));
	}
	CHECK_EQ(free_pages(0), 0);
	CHECK_EQ(pmm_check(&pm), 0);
	/* 64K below a 1 GiB boundary, 1 GiB, 64K above. */
	CHECK_EQ(pmm_alloc(&pm, 1, PMM_ORDER_1G, &pa), 0);
	CHECK_EQ(pa, 0x140000000);
	CHECK_EQ(free_pages(1), 32);
	CHECK_EQ(pmm_alloc(&pm, 1, 5, &pa), PMM_ENOMEM);
	CHECK_EQ(pmm_alloc(&pm, 1, 4, &pa), 0);
	CHECK_EQ(pmm_alloc(&pm, 1, 4, &pb), 0);
	CHECK_EQ(pa + pb, 0x13fff0000 + 0x180000000);
	CHECK_EQ(free_pages(1), 0);
	CHECK_EQ(pmm_check(&pm), 0);
}

/** Overlaps, bad arguments and a full table are refused. */
TEST(add_range_errors)
{
	static uint64_t buf[1024];
	size_t one = pmm_meta_bytes(PAGE);
	struct snap s;

	reset();
	CHECK_EQ(add(0, 0x40000000, GiB(1)), 0);
	snap(&s);
	CHECK_EQ(add(0, 0x40000000, GiB(1)), PMM_EOVERLAP);
	CHECK_EQ(add(1, 0x3ffff000, 0x2000), PMM_EOVERLAP);
	CHECK_EQ(add(0, 0x7ffff000, 0x2000), PMM_EOVERLAP);
	CHECK_EQ(add(2, 0, GiB(4)), PMM_EOVERLAP);
	CHECK_EQ(add(0, 0x50000000, PAGE), PMM_EOVERLAP);
	CHECK_EQ(add(0, 0x90000800, PAGE), PMM_EINVAL);
	CHECK_EQ(add(0, 0x90000000, 0x1800), PMM_EINVAL);
	CHECK_EQ(add(0, 0x90000000, 0), PMM_EINVAL);
	CHECK_EQ(add(PMM_MAX_NODES, 0x90000000, PAGE), PMM_EINVAL);
	CHECK_EQ(add(0, 0xfffffffffffff000ull, 0x2000), PMM_EINVAL);
	CHECK_EQ(pmm_add_range(&pm, 0, 0x90000000, TiB(16), buf, sizeof(buf)),
		 PMM_EINVAL);
	CHECK_EQ(pmm_add_range(&pm, 0, 0x90000000, PAGE, NULL, one),
		 PMM_EINVAL);
	CHECK_EQ(pmm_add_range(&pm, 0, 0x90000000, PAGE, buf, one - 1),
		 PMM_EINVAL);
	CHECK_EQ(pmm_add_range(&pm, 0, 0x90000000, PAGE, (char *)buf + 4,
			       one),
		 PMM_EINVAL);
	CHECK(unchanged(&s));
	CHECK_EQ(pmm_check(&pm), 0);
	/* Touching is not overlapping. */
	CHECK_EQ(add(1, 0x80000000, PAGE), 0);
	CHECK_EQ(add(1, 0x3ffff000, PAGE), 0);
	for (uint32_t i = 3; i < PMM_MAX_RANGES; i++) {
		CHECK_EQ(add(i % PMM_MAX_NODES, TiB(1) + i * MiB(2), PAGE), 0);
	}
	snap(&s);
	CHECK_EQ(add(7, TiB(2), PAGE), PMM_EFULL);
	CHECK(unchanged(&s));
	CHECK_EQ(s.st[1].range_count, 2 + 3);
	CHECK_EQ(pmm_check(&pm), 0);
}

/** pmm_alloc_near falls back by distance, ties broken by node id. */
TEST(alloc_near)
{
	struct layout l[4];
	uint32_t got;
	paddr_t pa;
	static const uint32_t want[] = { 0, 0, 2, 2, 3, 3, 1, 1 };
	static const uint32_t want_default[] = { 2, 2, 0, 0, 1, 1, 3, 3 };

	for (uint32_t n = 0; n < 4; n++) {
		l[n] = (struct layout){ n, ALTIX_BASE + n * ALTIX_STRIDE,
					MiB(4) };
	}
	CHECK_EQ(setup(l, 4), 0);
	pmm_set_distance(&pm, 0, 1, 30);
	pmm_set_distance(&pm, 0, 2, 15);
	pmm_set_distance(&pm, 0, 3, 20);
	for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
		got = 99;
		CHECK_EQ(pmm_alloc_near(&pm, 0, PMM_ORDER_2M, &pa, &got), 0);
		CHECK_EQ(got, want[i]);
		CHECK_EQ(pmm_node_of(&pm, pa), want[i]);
		CHECK_EQ(pa % MiB(2), 0);
	}
	CHECK_EQ(pmm_alloc_near(&pm, 0, 0, &pa, &got), PMM_ENOMEM);
	CHECK_EQ(pmm_check(&pm), 0);

	CHECK_EQ(setup(l, 4), 0);
	for (size_t i = 0; i < ARRAY_SIZE(want_default); i++) {
		got = 99;
		CHECK_EQ(pmm_alloc_near(&pm, 2, PMM_ORDER_2M, &pa, &got), 0);
		CHECK_EQ(got, want_default[i]);
	}
	CHECK_EQ(setup(l, 4), 0);
	/* A preferred node without memory falls to the nearest present. */
	CHECK_EQ(pmm_alloc_near(&pm, 5, 0, &pa, &got), 0);
	CHECK_EQ(got, 0);
	CHECK_EQ(pmm_alloc_near(&pm, 3, 0, &pa, NULL), 0);
	CHECK_EQ(pmm_node_of(&pm, pa), 3);
}

/** A random order between 0 and 18, mostly small. */
static uint32_t random_order(void)
{
	uint64_t r = rnd() % 100;

	if (r < 50) {
		return (uint32_t)(rnd() % 4);
	}
	if (r < 85) {
		return 4 + (uint32_t)(rnd() % 6);
	}
	if (r < 97) {
		return 10 + (uint32_t)(rnd() % 5);
	}
	return 15 + (uint32_t)(rnd() % 4);
}

#define RANDOM_STEPS 6000
#define RANDOM_LIVE 4096

static const struct layout rlayout[] = {
	{ 0, 0x40000000, GiB(1) },
	{ 0, ALTIX_BASE + 0x5000, MiB(37) + KiB(12) },
	{ 1, ALTIX_BASE + ALTIX_STRIDE + MiB(2), GiB(1) - MiB(2) },
	{ 2, TiB(1) + 0x3000, MiB(24) },
	{ 2, TiB(3), MiB(8) },
	{ 3, TiB(5) + 0x1000, 0x7000 },
};
static struct live rlive[RANDOM_LIVE];
static int rcount;

/** Allocate a random block; check placement and the counter delta. */
static bool random_alloc(void)
{
	struct live nb = { 0, random_order(), (uint32_t)(rnd() % 5) };
	bool near = rnd() % 4 == 0;
	struct snap s;
	int ret;

	snap(&s);
	ret = near ? pmm_alloc_near(&pm, nb.node, nb.order, &nb.pa, &nb.node)
		   : pmm_alloc(&pm, nb.node, nb.order, &nb.pa);
	if (ret == PMM_ENOMEM) {
		return unchanged(&s);
	}
	if (ret != 0 || nb.pa % block_bytes(nb.order) != 0 ||
	    !inside(rlayout, ARRAY_SIZE(rlayout), nb.node, nb.pa, nb.order) ||
	    free_pages(nb.node) + (1ull << nb.order) !=
		    s.st[nb.node].free_pages) {
		return false;
	}
	for (int i = 0; i < rcount; i++) {
		if (!disjoint(&rlive[i], &nb)) {
			return false;
		}
	}
	rlive[rcount++] = nb;
	return true;
}

/** Error a wrong free of live block @b must give. */
static int random_bad_free(const struct live *b)
{
	if (b->order > 0 && rnd() % 2 == 0) {
		return pmm_free(&pm, b->pa + PAGE, 0) == PMM_ENOTHEAD;
	}
	if (b->order > 0) {
		return pmm_free(&pm, b->pa, b->order - 1) == PMM_ENOTHEAD;
	}
	return pmm_free(&pm, b->pa, 1) ==
	       (b->pa % block_bytes(1) == 0 ? PMM_ENOTHEAD : PMM_EINVAL);
}

/** Free a random live block, sometimes trying bad frees around it. */
static bool random_free(void)
{
	int i = (int)(rnd() % (uint64_t)rcount);
	struct live b = rlive[i];
	struct snap s;

	snap(&s);
	if (rnd() % 8 == 0 && (!random_bad_free(&b) || !unchanged(&s))) {
		return false;
	}
	if (pmm_free(&pm, b.pa, b.order) != 0 ||
	    free_pages(b.node) != s.st[b.node].free_pages + (1ull << b.order)) {
		return false;
	}
	rlive[i] = rlive[--rcount];
	snap(&s);
	if (rnd() % 4 == 0 && pmm_free(&pm, b.pa, b.order) != PMM_EDOUBLE) {
		return false;
	}
	return unchanged(&s);
}

/** Thousands of random operations keep every invariant. */
TEST(randomized)
{
	struct snap base;
	paddr_t pa;
	int allocs = 0;

	CHECK_EQ(setup(rlayout, ARRAY_SIZE(rlayout)), 0);
	snap(&base);
	rng_state = 0x9e3779b97f4a7c15ull;
	rcount = 0;
	for (int step = 0; step < RANDOM_STEPS; step++) {
		/* Alternate phases that fill memory up and drain it. */
		uint64_t pct = (step / 1000) % 2 == 0 ? 85 : 30;
		bool do_alloc = rcount == 0 ||
				(rcount < RANDOM_LIVE && rnd() % 100 < pct);

		if (do_alloc) {
			int before = rcount;

			CHECK(random_alloc());
			allocs += rcount > before;
		} else {
			CHECK(random_free());
		}
		if (step % 10 == 0) {
			CHECK_EQ(pmm_check(&pm), 0);
		}
	}
	CHECK(allocs > 2000);
	CHECK_EQ(pmm_check(&pm), 0);
	while (rcount > 0) {
		rcount--;
		CHECK_EQ(pmm_free(&pm, rlive[rcount].pa, rlive[rcount].order),
			 0);
	}
	CHECK(unchanged(&base));
	CHECK_EQ(pmm_check(&pm), 0);
	CHECK_EQ(pmm_alloc(&pm, 0, PMM_ORDER_1G, &pa), 0);
	CHECK_EQ(pa, 0x40000000);
}

/** Overwrite @len bytes of the last metadata buffer at @off, check, restore. */
static int check_corrupted(size_t off, size_t len, unsigned char byte)
{
	static unsigned char save[4096];
	unsigned char *m = (unsigned char *)metas[nmetas - 1] + off;
	int ret;

	memcpy(save, m, len);
	memset(m, byte, len);
	ret = pmm_check(&pm);
	memcpy(m, save, len);
	return ret;
}

/** pmm_check() notices damaged metadata, and passes again once repaired. */
TEST(check_detects_corruption)
{
	const size_t hdr = PMM_META_RANGE_BYTES;
	const size_t rec = PMM_META_PAGE_BYTES;
	paddr_t pa;

	reset();
	CHECK_EQ(add(0, 0x1000, 0x7000), 0);
	CHECK_EQ(pmm_alloc(&pm, 0, 1, &pa), 0);
	CHECK_EQ(pmm_check(&pm), 0);
	CHECK_EQ(check_corrupted(0, hdr, 0xff), PMM_EINVAL);
	CHECK_EQ(check_corrupted(0, hdr, 0x00), PMM_EINVAL);
	CHECK_EQ(check_corrupted(hdr, 7 * rec, 0x00), PMM_EINVAL);
	for (size_t page = 0; page < 7; page++) {
		CHECK_EQ(check_corrupted(hdr + page * rec, rec, 0xff),
			 PMM_EINVAL);
	}
	CHECK_EQ(pmm_check(&pm), 0);
	CHECK_EQ(pmm_free(&pm, pa, 1), 0);
	CHECK_EQ(pmm_check(&pm), 0);
}

/** Every code has its own readable message; unknown codes too. */
TEST(error_strings)
{
	const char *msg[9];

	for (int e = 0; e < 8; e++) {
		msg[e] = pmm_strerror(-e);
	}
	msg[8] = pmm_strerror(-8);
	CHECK(pmm_strerror(1) == msg[8]);
	CHECK(pmm_strerror(-1000) == msg[8]);
	for (int i = 0; i < 9; i++) {
		CHECK(msg[i] != NULL && msg[i][0] != '\0');
		for (int j = 0; j < i; j++) {
			CHECK(strcmp(msg[i], msg[j]) != 0);
		}
	}
	CHECK(strstr(pmm_strerror(PMM_EDOUBLE), "free") != NULL);
}

TEST_MAIN("pmm", TEST_ENTRY(altix_layout), TEST_ENTRY(meta_ignores_holes),
	  TEST_ENTRY(alignment_every_order), TEST_ENTRY(exhaust_and_merge),
	  TEST_ENTRY(bad_input), TEST_ENTRY(pin_defers_free), TEST_ENTRY(reserve),
	  TEST_ENTRY(unaligned_base), TEST_ENTRY(add_range_errors),
	  TEST_ENTRY(alloc_near), TEST_ENTRY(randomized),
	  TEST_ENTRY(check_detects_corruption), TEST_ENTRY(error_strings))
