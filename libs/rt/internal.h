/* SPDX-License-Identifier: MIT */
/*
 * librift internals shared between its files and the host unit tests:
 * the pure slot and frame tables (slots.c, frames.c), the seam to the
 * kernel that the memory manager calls (mem_sys.c on the target, fakes in
 * tests/unit/test_rt_mem.c), and the Linux constants the runtime needs.
 *
 * The Linux values are spelled out here instead of taken from libc headers
 * so the same code builds against musl (target) and glibc (host tests) and
 * always means the aarch64 Linux ABI.
 */
#ifndef RIFT_RT_INTERNAL_H
#define RIFT_RT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ------------------------------------------------------------ Linux ABI */

#define LX_EPERM 1
#define LX_ENOENT 2
#define LX_ESRCH 3
#define LX_EINTR 4
#define LX_EBADF 9
#define LX_EAGAIN 11
#define LX_ENOMEM 12
#define LX_EACCES 13
#define LX_EFAULT 14
#define LX_EEXIST 17
#define LX_ENODEV 19
#define LX_EINVAL 22
#define LX_ENOTTY 25
#define LX_ESPIPE 29
#define LX_ENOSYS 38

#define LX_PROT_NONE 0x0u
#define LX_PROT_READ 0x1u
#define LX_PROT_WRITE 0x2u
#define LX_PROT_EXEC 0x4u

#define LX_MAP_SHARED 0x01u
#define LX_MAP_PRIVATE 0x02u
#define LX_MAP_SHARED_VALIDATE 0x03u
#define LX_MAP_TYPE 0x0fu
#define LX_MAP_FIXED 0x10u
#define LX_MAP_ANONYMOUS 0x20u
#define LX_MAP_FIXED_NOREPLACE 0x100000u

/* ------------------------------------------------------------ slot table */

/**
 * A bitmap allocator of capability slots over caller-provided storage:
 * bit set = slot in use. Slots [0, first) are reserved at init.
 */
struct rt_slots {
	unsigned long *bits;
	uint64_t count; /**< slots covered: [0, count) */
	uint64_t first; /**< slots below are reserved, never allocated or freed */
	uint64_t hint;  /**< next-fit search starts at this slot */
	uint64_t used;
};

/** Size in bytes of the bitmap for count slots. */
size_t rt_slots_bytes(uint64_t count);
/** Starts a table over zeroed bits (rt_slots_bytes(count)); reserves [0, max(first, 1)). */
void rt_slots_init(struct rt_slots *s, unsigned long *bits, uint64_t count, uint64_t first);
/** Returns a free slot, marked used, or 0 when none is left. */
uint64_t rt_slots_alloc(struct rt_slots *s);
/** Marks slot used (e.g. found occupied); false if out of range or used. */
bool rt_slots_take(struct rt_slots *s, uint64_t slot);
/** Frees slot; false (and no change) if it was not in use or is reserved. */
bool rt_slots_free(struct rt_slots *s, uint64_t slot);
/** True if slot is in use. */
bool rt_slots_used(const struct rt_slots *s, uint64_t slot);

/* ----------------------------------------------------------- frame table */

/** One frame the runtime owns, mapped at va. */
struct rt_frame {
	uint64_t va;
	uint32_t slot;  /**< its capability slot */
	uint32_t order; /**< RT_ORDER_* */
};

/** Size in bytes of a frame of the given order. */
static inline uint64_t rt_frame_size(uint32_t order)
{
	return 4096ull << order;
}

/** End VA (exclusive) of frame f. */
static inline uint64_t rt_frame_end(const struct rt_frame *f)
{
	return f->va + rt_frame_size(f->order);
}

/**
 * The frames the runtime owns, sorted by va and never overlapping, over
 * caller-provided storage of cap entries. New frames are first appended
 * unsorted (rt_frames_push) and then moved into place in one step
 * (rt_frames_commit), so populating a range costs one pass over the table.
 */
struct rt_frames {
	struct rt_frame *rec;
	size_t count;   /**< sorted entries */
	size_t pending; /**< unsorted entries after count (being populated) */
	size_t cap;
};

/** Index of the first frame with va >= addr (count if none). */
size_t rt_frames_lower_bound(const struct rt_frames *t, uint64_t addr);
/** Index of the frame containing addr, or -1. */
long rt_frames_find(const struct rt_frames *t, uint64_t addr);
/** True if no frame overlaps [va, va + len). */
bool rt_frames_range_free(const struct rt_frames *t, uint64_t va, uint64_t len);
/** True if frames cover every byte of [va, va + len). */
bool rt_frames_range_covered(const struct rt_frames *t, uint64_t va, uint64_t len);
/**
 * Finds the lowest va in [lo, hi) with va % align == 0 such that
 * [va, va + len) is free. Returns false if there is none.
 */
bool rt_frames_find_gap(const struct rt_frames *t, uint64_t lo, uint64_t hi, uint64_t len,
			uint64_t align, uint64_t *va_out);
/** Appends a pending (unsorted) frame; false when the storage is full. */
bool rt_frames_push(struct rt_frames *t, uint64_t va, uint32_t slot, uint32_t order);
/** Removes the last pending frame into *out; false if none is pending. */
bool rt_frames_pop(struct rt_frames *t, struct rt_frame *out);
/**
 * Moves the pending frames, which must be sorted among themselves and fill
 * one gap, into their place in the sorted table.
 */
void rt_frames_commit(struct rt_frames *t);
/** Removes n sorted entries starting at index i. */
void rt_frames_remove(struct rt_frames *t, size_t i, size_t n);

/* ------------------------------------------------- kernel seam (mem_sys.c) */

/** Allocates a frame of order into our slot. 0 or a RIFT_KE* error. */
long rt_sys_frame_alloc(uint64_t slot, uint32_t order);
/** Maps frame slot at va, read-write. 0 or a RIFT_KE* error. */
long rt_sys_map(uint64_t slot, uint64_t va);
/** Unmaps frame slot. 0 or a RIFT_KE* error. */
long rt_sys_unmap(uint64_t slot);
/** Deletes the capability in slot. 0 or a RIFT_KE* error. */
long rt_sys_cap_delete(uint64_t slot);

/* ------------------------------------------------------------- helpers */

/** Formats v in decimal into buf (>= 21 bytes); returns the length. */
size_t rt_fmt_u64(char *buf, uint64_t v);

/**
 * Returns true the first time it is called with key and false afterwards,
 * so a caller can log something once: `if (rt_log_first(k)) rt_log(...)`.
 * Keys: Linux syscall numbers use [0, 1024), RT_LOG_KEY_SYSCALL_BIG the
 * larger ones, the memory manager RT_LOG_KEY_MEM + reason (mem.c).
 */
#define RT_LOG_ONCE_KEYS 1088
#define RT_LOG_KEY_SYSCALL_BIG 1024
#define RT_LOG_KEY_MEM 1040
#define RT_LOG_KEY_PROC 1072
bool rt_log_first(unsigned key);

#endif
