/* SPDX-License-Identifier: MIT */
/*
 * The domain's memory manager behind brk, mmap, munmap and mprotect.
 *
 * Memory is committed eagerly: every page the program can touch is backed
 * by a frame from RIFT_SYS_FRAME_ALLOC, mapped read-write. A range is tiled
 * with the largest frames that fit its alignment (1 GiB, 2 MiB, else
 * 4 KiB), falling back to smaller ones when the kernel has no large block.
 * Each frame is one capability slot and one entry of the frame table
 * (frames.c), which is also the VA allocator of the mmap area. munmap
 * releases exactly the frames inside the range and refuses to split a
 * large frame (-EINVAL, logged once), so memory is never kept silently.
 *
 * Metadata (slot bitmap, then the frame table) lives at layout.meta_base
 * and grows a 4 KiB frame at a time; its frames are never released.
 *
 * Kernel access goes through rt_sys_* (mem_sys.c), so this file is
 * host-tested against a fake kernel (tests/unit/test_rt_mem.c).
 */
#include <string.h>

#include <rift/abi.h>
#include <rift/rt.h>

#include "internal.h"

/** Reasons logged once (RT_LOG_KEY_MEM + reason). */
enum mem_log {
	MEM_LOG_FILE,
	MEM_LOG_EXEC,
	MEM_LOG_PROT_NONE,
	MEM_LOG_FIXED,
	MEM_LOG_SPLIT,
	MEM_LOG_MPROTECT,
	MEM_LOG_KERNEL,
	MEM_LOG_TYPE,
	MEM_LOG_LEAK,
	MEM_LOG_SLOTS,
	MEM_LOG_QUOTA,
};

/** The state of the memory manager (single-threaded). */
static struct {
	bool ready;
	struct rt_mem_layout layout;
	struct rt_slots slots;
	struct rt_frames frames;
	uint64_t meta_mapped; /**< end of the mapped metadata */
	uint64_t brk_cur;     /**< the program break */
	uint64_t brk_mapped;  /**< end of the frames backing the brk heap */
} mem;

/** Logs msg once per reason. */
static void mem_log(enum mem_log reason, const char *msg)
{
	if (rt_log_first(RT_LOG_KEY_MEM + reason)) {
		rt_log(msg);
	}
}

/** Appends the decimal digits of v at p; returns the end. */
static char *mem_put_u64(char *p, uint64_t v)
{
	char digits[20];
	int n = 0;

	do {
		digits[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	while (n > 0) {
		*p++ = digits[--n];
	}
	return p;
}

/** Appends string s at p; returns the end. */
static char *mem_put(char *p, const char *s)
{
	size_t n = strlen(s);

	memcpy(p, s, n);
	return p + n;
}

/**
 * Says once which limit an allocation hit: the cspace (cap-slots, every
 * frame takes a slot) or the memory quota (the description's `memory`).
 */
static void mem_log_limit(enum mem_log reason)
{
	char msg[200], *p = msg;

	if (!rt_log_first(RT_LOG_KEY_MEM + reason)) {
		return;
	}
	if (reason == MEM_LOG_SLOTS) {
		p = mem_put(p, "mem: out of capability slots: the ");
		p = mem_put_u64(p, mem.slots.count);
		p = mem_put(p, " it may use (cap-slots less the program "
			       "image's) are all taken, one per frame; give the "
			       "domain more cap-slots in the system description");
	} else {
		p = mem_put(p, "mem: out of memory: the domain's quota (memory "
			       "in the system description) is used up");
	}
	*p = '\0';
	rt_log(msg);
}

/** Rounds v up to a page; 0 on overflow. */
static uint64_t mem_page_up(uint64_t v)
{
	uint64_t r = (v + RT_PAGE_SIZE - 1) & ~(RT_PAGE_SIZE - 1);

	return r < v ? 0 : r;
}

/** True if [va, va + len) lies inside [lo, hi). */
static bool mem_inside(uint64_t va, uint64_t len, uint64_t lo, uint64_t hi)
{
	return va >= lo && va <= hi && hi - va >= len;
}

/** The largest frame order that starts at va and fits in len bytes. */
static uint32_t mem_best_order(uint64_t va, uint64_t len)
{
	static const uint32_t orders[] = { RT_ORDER_1G, RT_ORDER_2M };

	for (size_t i = 0; i < sizeof(orders) / sizeof(orders[0]); i++) {
		uint64_t size = rt_frame_size(orders[i]);

		if (va % size == 0 && len >= size) {
			return orders[i];
		}
	}
	return RT_ORDER_4K;
}

/** The next smaller order to try when the kernel has no block of order. */
static uint32_t mem_smaller_order(uint32_t order)
{
	return order == RT_ORDER_1G ? RT_ORDER_2M : RT_ORDER_4K;
}

/**
 * Allocates a frame of order into a fresh slot. A slot the kernel finds
 * occupied (someone put a capability there) stays marked used and the next
 * one is tried. Returns 0 or a RIFT_KE* error.
 */
static long mem_frame_alloc(uint32_t order, uint64_t *slot_out)
{
	for (int tries = 0; tries < 16; tries++) {
		uint64_t slot = rt_slots_alloc(&mem.slots);
		long ret;

		if (slot == 0) {
			mem_log_limit(MEM_LOG_SLOTS);
			return RIFT_KEFULL; /* no slot: not the quota */
		}
		ret = rt_sys_frame_alloc(slot, order);
		if (ret == RIFT_KOK) {
			*slot_out = slot;
			return RIFT_KOK;
		}
		if (ret != RIFT_KEFULL) {
			rt_slots_free(&mem.slots, slot);
			return ret;
		}
	}
	return RIFT_KENOMEM;
}

/** Deletes the frame in slot and frees the slot (unmapping it first if mapped). */
static void mem_frame_free(uint64_t slot, bool mapped)
{
	if (mapped && rt_sys_unmap(slot) != RIFT_KOK) {
		mem_log(MEM_LOG_KERNEL, "mem: kernel refused to unmap a frame");
	}
	if (rt_sys_cap_delete(slot) != RIFT_KOK) {
		mem_log(MEM_LOG_LEAK, "mem: kernel refused to delete a frame; slot kept");
		return;
	}
	rt_slots_free(&mem.slots, slot);
}

/** Maps one more 4 KiB page of metadata; false if out of room or memory. */
static bool mem_meta_grow(void)
{
	uint64_t slot;

	if (mem.meta_mapped + RT_PAGE_SIZE > mem.layout.meta_end) {
		return false;
	}
	if (mem_frame_alloc(RT_ORDER_4K, &slot) != RIFT_KOK) {
		return false;
	}
	if (rt_sys_map(slot, mem.meta_mapped) != RIFT_KOK) {
		mem_frame_free(slot, false);
		return false;
	}
	mem.meta_mapped += RT_PAGE_SIZE;
	mem.frames.cap += RT_PAGE_SIZE / sizeof(struct rt_frame);
	return true;
}

/** Makes room for one more frame-table entry. */
static bool mem_frames_reserve(void)
{
	if (mem.frames.count + mem.frames.pending < mem.frames.cap) {
		return true;
	}
	return mem_meta_grow();
}

/** Allocates a frame of order and maps it at va. 0 or a RIFT_KE* error. */
static long mem_frame_new(uint64_t va, uint32_t order, uint64_t *slot)
{
	long ret = mem_frame_alloc(order, slot);

	if (ret != RIFT_KOK) {
		return ret;
	}
	ret = rt_sys_map(*slot, va);
	if (ret != RIFT_KOK) {
		mem_frame_free(*slot, false);
	}
	return ret;
}

/**
 * Allocates, maps and records (pending) one frame at va, of *order or,
 * if the kernel cannot provide or place a block that large (no free
 * block, or smaller mappings were there before), of a smaller one.
 * Returns 0 or -errno.
 */
static long mem_map_one(uint64_t va, uint32_t *order)
{
	uint64_t slot;
	long ret;

	if (!mem_frames_reserve()) {
		return -LX_ENOMEM;
	}
	for (;;) {
		ret = mem_frame_new(va, *order, &slot);
		if (ret == RIFT_KOK || *order == RT_ORDER_4K) {
			break;
		}
		*order = mem_smaller_order(*order);
	}
	if (ret != RIFT_KOK) {
		if (ret == RIFT_KENOMEM) {
			mem_log_limit(MEM_LOG_QUOTA);
		} else if (ret != RIFT_KEFULL) {
			mem_log(MEM_LOG_KERNEL, "mem: kernel refused to allocate or map a frame");
		}
		return -LX_ENOMEM;
	}
	rt_frames_push(&mem.frames, va, (uint32_t)slot, *order);
	return 0;
}

/** Releases the frames pushed but not yet committed. */
static void mem_rollback(void)
{
	struct rt_frame f;

	while (rt_frames_pop(&mem.frames, &f)) {
		mem_frame_free(f.slot, true);
	}
}

/**
 * Backs the free, page-aligned range [va, va + len) with frames. All or
 * nothing: on failure every frame taken is given back. Returns 0 or -errno.
 */
static long mem_populate(uint64_t va, uint64_t len)
{
	uint64_t end = va + len;

	while (va < end) {
		uint32_t order = mem_best_order(va, end - va);
		long ret = mem_map_one(va, &order);

		if (ret != 0) {
			mem_rollback();
			return ret;
		}
		va += rt_frame_size(order);
	}
	rt_frames_commit(&mem.frames);
	return 0;
}

/** Releases the sorted frames [i, j) of the table. */
static void mem_release(size_t i, size_t j)
{
	for (size_t k = i; k < j; k++) {
		mem_frame_free(mem.frames.rec[k].slot, true);
	}
	rt_frames_remove(&mem.frames, i, j - i);
}

/* ------------------------------------------------------------------- init */

/**
 * Maps the first metadata pages (the slot bitmap) using slots from
 * RIFT_SLOT_FIRST_FREE on, before the bitmap exists to track them.
 * Returns the first slot not used, or 0 on failure.
 */
static uint64_t mem_bootstrap(uint64_t pages, uint64_t cspace_slots)
{
	uint64_t slot = RIFT_SLOT_FIRST_FREE;

	for (uint64_t p = 0; p < pages; p++) {
		long ret;

		do {
			if (slot >= cspace_slots) {
				return 0;
			}
			ret = rt_sys_frame_alloc(slot++, RT_ORDER_4K);
		} while (ret == RIFT_KEFULL);
		if (ret != RIFT_KOK ||
		    rt_sys_map(slot - 1, mem.layout.meta_base + p * RT_PAGE_SIZE) != RIFT_KOK) {
			return 0;
		}
	}
	return slot;
}

/** Sets up the memory manager; see rift/rt.h. */
long rt_mem_init(const struct rt_mem_layout *layout, uint64_t cspace_slots)
{
	uint64_t bitmap_bytes = mem_page_up(rt_slots_bytes(cspace_slots));
	uint64_t next_slot;

	memset(&mem, 0, sizeof(mem));
	mem.layout = *layout;
	if (cspace_slots <= RIFT_SLOT_FIRST_FREE ||
	    bitmap_bytes >= layout->meta_end - layout->meta_base) {
		return -LX_EINVAL;
	}
	next_slot = mem_bootstrap(bitmap_bytes / RT_PAGE_SIZE, cspace_slots);
	if (next_slot == 0) {
		return -LX_ENOMEM;
	}
	rt_slots_init(&mem.slots, (unsigned long *)(uintptr_t)layout->meta_base, cspace_slots,
		      next_slot);
	mem.meta_mapped = layout->meta_base + bitmap_bytes;
	mem.frames.rec = (struct rt_frame *)(uintptr_t)mem.meta_mapped;
	mem.brk_cur = layout->brk_base;
	mem.brk_mapped = layout->brk_base;
	mem.ready = true;
	return 0;
}

/** Number of frames held; see rift/rt.h. */
size_t rt_mem_frame_count(void)
{
	return mem.frames.count;
}

/** Allocates a capability slot; see rift/rt.h. */
uint64_t rt_slot_alloc(void)
{
	return mem.ready ? rt_slots_alloc(&mem.slots) : 0;
}

/** Frees a capability slot; see rift/rt.h. */
void rt_slot_free(uint64_t slot)
{
	if (mem.ready) {
		rt_slots_free(&mem.slots, slot);
	}
}

/* -------------------------------------------------------------------- brk */

/** Grows the break to addr (> brk_cur); false if memory ran out. */
static bool mem_brk_grow(uint64_t addr)
{
	uint64_t need = mem_page_up(addr);

	if (need > mem.brk_mapped) {
		if (mem_populate(mem.brk_mapped, need - mem.brk_mapped) != 0) {
			return false;
		}
		mem.brk_mapped = need;
	}
	mem.brk_cur = addr;
	return true;
}

/**
 * Shrinks the break to addr (< brk_cur): releases the frames wholly above
 * it and zeroes what stays mapped above it, so that memory above the break
 * is always zero, as a later brk() promises.
 */
static void mem_brk_shrink(uint64_t addr)
{
	uint64_t keep = mem_page_up(addr);
	size_t i = rt_frames_lower_bound(&mem.frames, keep);
	size_t j = rt_frames_lower_bound(&mem.frames, mem.brk_mapped);
	uint64_t zero_end;

	mem_release(i, j);
	mem.brk_mapped = keep;
	if (i > 0 && mem.frames.rec[i - 1].va >= mem.layout.brk_base) {
		uint64_t end = rt_frame_end(&mem.frames.rec[i - 1]);

		mem.brk_mapped = end > keep ? end : keep;
	}
	zero_end = mem.brk_cur < mem.brk_mapped ? mem.brk_cur : mem.brk_mapped;
	if (zero_end > addr) {
		memset((void *)(uintptr_t)addr, 0, zero_end - addr);
	}
	mem.brk_cur = addr;
}

/** Linux brk(2); see rift/rt.h. */
uint64_t rt_mem_brk(uint64_t addr)
{
	if (!mem.ready || addr < mem.layout.brk_base || addr > mem.layout.brk_end) {
		return mem.brk_cur;
	}
	if (addr > mem.brk_cur) {
		mem_brk_grow(addr);
	} else if (addr < mem.brk_cur) {
		mem_brk_shrink(addr);
	}
	return mem.brk_cur;
}

/* ------------------------------------------------------------------- mmap */

/**
 * Checks prot and flags of an mmap. Returns 0 if supported, else -errno
 * (logging the first time each kind of request is refused).
 */
static long mem_mmap_check(uint64_t addr, uint64_t len, uint64_t prot, uint64_t flags)
{
	uint64_t type = flags & LX_MAP_TYPE;

	if (type != LX_MAP_PRIVATE && type != LX_MAP_SHARED) {
		mem_log(MEM_LOG_TYPE, "mmap: only MAP_PRIVATE or MAP_SHARED anonymous memory");
		return -LX_EINVAL;
	}
	if (!(flags & LX_MAP_ANONYMOUS)) {
		mem_log(MEM_LOG_FILE, "mmap: file mappings are not supported");
		return -LX_ENODEV;
	}
	if (prot & ~(uint64_t)(LX_PROT_READ | LX_PROT_WRITE | LX_PROT_EXEC)) {
		return -LX_EINVAL;
	}
	if (prot & LX_PROT_EXEC) {
		mem_log(MEM_LOG_EXEC, "mmap: PROT_EXEC is not supported");
		return -LX_EINVAL;
	}
	if (prot == LX_PROT_NONE) {
		/* musl's malloc puts such a guard over the start of the brk
		 * heap and ignores the result: refuse it quietly there. */
		if (!((flags & LX_MAP_FIXED) &&
		      mem_inside(addr, len, mem.layout.brk_base, mem.brk_mapped))) {
			mem_log(MEM_LOG_PROT_NONE, "mmap: PROT_NONE reservations are not supported");
		}
		return -LX_EINVAL;
	}
	return 0;
}

/**
 * Chooses where a new mapping of len bytes goes: the hint if it is free,
 * else the lowest gap, aligned so large frames can back it.
 */
static bool mem_mmap_place(uint64_t hint, uint64_t len, uint64_t *va)
{
	const struct rt_mem_layout *l = &mem.layout;
	uint64_t align = rt_frame_size(mem_best_order(0, len));

	if (hint % RT_PAGE_SIZE == 0 && mem_inside(hint, len, l->mmap_base, l->mmap_end) &&
	    rt_frames_range_free(&mem.frames, hint, len)) {
		*va = hint;
		return true;
	}
	if (rt_frames_find_gap(&mem.frames, l->mmap_base, l->mmap_end, len, align, va)) {
		return true;
	}
	return rt_frames_find_gap(&mem.frames, l->mmap_base, l->mmap_end, len, RT_PAGE_SIZE, va);
}

/** MAP_FIXED / MAP_FIXED_NOREPLACE: makes [addr, addr + len) free. */
static long mem_mmap_fixed(uint64_t addr, uint64_t len, uint64_t flags)
{
	if (addr % RT_PAGE_SIZE != 0) {
		return -LX_EINVAL;
	}
	if (!mem_inside(addr, len, mem.layout.mmap_base, mem.layout.mmap_end)) {
		mem_log(MEM_LOG_FIXED, "mmap: MAP_FIXED only inside the mmap area");
		return -LX_EINVAL;
	}
	if (rt_frames_range_free(&mem.frames, addr, len)) {
		return 0;
	}
	if (!(flags & LX_MAP_FIXED)) {
		return -LX_EEXIST;
	}
	return rt_mem_munmap(addr, len);
}

/** Linux mmap(2); see rift/rt.h. fd and off are ignored (anonymous only). */
long rt_mem_mmap(uint64_t addr, uint64_t len, uint64_t prot, uint64_t flags, int64_t fd,
		 uint64_t off)
{
	uint64_t va;
	long ret;

	(void)fd;
	(void)off;
	if (!mem.ready) {
		return -LX_ENOMEM;
	}
	if (len == 0) {
		return -LX_EINVAL;
	}
	ret = mem_mmap_check(addr, len, prot, flags);
	if (ret != 0) {
		return ret;
	}
	len = mem_page_up(len);
	if (len == 0) {
		return -LX_ENOMEM;
	}
	if (flags & (LX_MAP_FIXED | LX_MAP_FIXED_NOREPLACE)) {
		ret = mem_mmap_fixed(addr, len, flags);
		va = addr;
	} else if (!mem_mmap_place(addr, len, &va)) {
		ret = -LX_ENOMEM;
	}
	if (ret == 0) {
		ret = mem_populate(va, len);
	}
	return ret == 0 ? (long)va : ret;
}

/** Linux munmap(2); see rift/rt.h. */
long rt_mem_munmap(uint64_t addr, uint64_t len)
{
	uint64_t end;
	size_t i;
	size_t j;

	if (!mem.ready || addr % RT_PAGE_SIZE != 0 || len == 0) {
		return -LX_EINVAL;
	}
	len = mem_page_up(len);
	if (len == 0 || !mem_inside(addr, len, mem.layout.mmap_base, mem.layout.mmap_end)) {
		return -LX_EINVAL;
	}
	end = addr + len;
	i = rt_frames_lower_bound(&mem.frames, addr);
	j = rt_frames_lower_bound(&mem.frames, end);
	if ((i > 0 && rt_frame_end(&mem.frames.rec[i - 1]) > addr) ||
	    (j > i && rt_frame_end(&mem.frames.rec[j - 1]) > end)) {
		mem_log(MEM_LOG_SPLIT, "munmap: range splits a large frame; refused");
		return -LX_EINVAL;
	}
	mem_release(i, j);
	return 0;
}

/**
 * Linux mprotect(2); see rift/rt.h. All runtime memory is read-write, so
 * asking for exactly that on it succeeds and changes nothing; anything
 * else is refused rather than silently not enforced.
 */
long rt_mem_mprotect(uint64_t addr, uint64_t len, uint64_t prot)
{
	if (addr % RT_PAGE_SIZE != 0) {
		return -LX_EINVAL;
	}
	if (len == 0) {
		return 0;
	}
	len = mem_page_up(len);
	if (len == 0) {
		return -LX_ENOMEM;
	}
	if (prot != (LX_PROT_READ | LX_PROT_WRITE)) {
		mem_log(MEM_LOG_MPROTECT, "mprotect: only PROT_READ|PROT_WRITE is supported");
		return -LX_EINVAL;
	}
	if (!mem.ready || !rt_frames_range_covered(&mem.frames, addr, len)) {
		return -LX_ENOMEM;
	}
	return 0;
}
