/* SPDX-License-Identifier: MIT */
/*
 * The table of frames the runtime owns: sorted by virtual address, never
 * overlapping. It is both the record of what to unmap and the VA
 * allocator of the mmap area (free VA = the gaps between frames). Pure
 * code over caller storage, host-tested.
 */
#include <string.h>

#include "internal.h"

/** Index of the first frame with va >= addr (count if none). */
size_t rt_frames_lower_bound(const struct rt_frames *t, uint64_t addr)
{
	size_t lo = 0;
	size_t hi = t->count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (t->rec[mid].va < addr) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	return lo;
}

/** Index of the frame containing addr, or -1. */
long rt_frames_find(const struct rt_frames *t, uint64_t addr)
{
	size_t i = rt_frames_lower_bound(t, addr);

	if (i < t->count && t->rec[i].va == addr) {
		return (long)i;
	}
	if (i > 0 && rt_frame_end(&t->rec[i - 1]) > addr) {
		return (long)(i - 1);
	}
	return -1;
}

/** True if no frame overlaps [va, va + len). */
bool rt_frames_range_free(const struct rt_frames *t, uint64_t va, uint64_t len)
{
	size_t i = rt_frames_lower_bound(t, va);

	if (i > 0 && rt_frame_end(&t->rec[i - 1]) > va) {
		return false;
	}
	return i == t->count || t->rec[i].va - va >= len;
}

/** True if frames cover every byte of [va, va + len). */
bool rt_frames_range_covered(const struct rt_frames *t, uint64_t va, uint64_t len)
{
	uint64_t end = va + len;
	long i = rt_frames_find(t, va);

	if (i < 0) {
		return len == 0;
	}
	for (size_t j = (size_t)i; j < t->count; j++) {
		if (t->rec[j].va > va) {
			return false; /* a hole before this frame */
		}
		va = rt_frame_end(&t->rec[j]);
		if (va >= end) {
			return true;
		}
	}
	return false;
}

/** Rounds v up to a multiple of align (a power of two); 0 on overflow. */
static uint64_t frames_align_up(uint64_t v, uint64_t align)
{
	uint64_t r = (v + align - 1) & ~(align - 1);

	return r < v ? 0 : r;
}

/** True if [va, va + len) fits below hi (and does not wrap). */
static bool frames_fits(uint64_t va, uint64_t len, uint64_t hi)
{
	return va != 0 && va <= hi && hi - va >= len;
}

/**
 * Finds the lowest va in [lo, hi), aligned to align (a power of two), such
 * that [va, va + len) is free of frames and ends at or below hi.
 */
bool rt_frames_find_gap(const struct rt_frames *t, uint64_t lo, uint64_t hi, uint64_t len,
			uint64_t align, uint64_t *va_out)
{
	size_t i = rt_frames_lower_bound(t, lo);
	uint64_t va = lo;

	if (len == 0) {
		return false;
	}
	if (i > 0) {
		i--; /* the frame before lo may reach into it */
	}
	for (;;) {
		va = frames_align_up(va, align);
		if (!frames_fits(va, len, hi)) {
			return false;
		}
		while (i < t->count && rt_frame_end(&t->rec[i]) <= va) {
			i++;
		}
		if (i == t->count || (t->rec[i].va >= va && t->rec[i].va - va >= len)) {
			*va_out = va;
			return true;
		}
		va = rt_frame_end(&t->rec[i]);
		i++;
	}
}

/** Appends a pending (unsorted) frame; false when the storage is full. */
bool rt_frames_push(struct rt_frames *t, uint64_t va, uint32_t slot, uint32_t order)
{
	struct rt_frame *f;

	if (t->count + t->pending >= t->cap) {
		return false;
	}
	f = &t->rec[t->count + t->pending];
	f->va = va;
	f->slot = slot;
	f->order = order;
	t->pending++;
	return true;
}

/** Removes the last pending frame into *out; false if none is pending. */
bool rt_frames_pop(struct rt_frames *t, struct rt_frame *out)
{
	if (t->pending == 0) {
		return false;
	}
	t->pending--;
	*out = t->rec[t->count + t->pending];
	return true;
}

/** Reverses entries [i, j) in place. */
static void frames_reverse(struct rt_frame *rec, size_t i, size_t j)
{
	while (i + 1 < j) {
		struct rt_frame tmp = rec[i];

		rec[i] = rec[j - 1];
		rec[j - 1] = tmp;
		i++;
		j--;
	}
}

/**
 * Moves the pending frames into their place: they all go between the same
 * two sorted neighbours, so one rotation of the tail does it.
 */
void rt_frames_commit(struct rt_frames *t)
{
	size_t end = t->count + t->pending;
	size_t at;

	if (t->pending == 0) {
		return;
	}
	at = rt_frames_lower_bound(t, t->rec[t->count].va);
	/* Rotate [at, count) and [count, end): reverse both, then the whole. */
	frames_reverse(t->rec, at, t->count);
	frames_reverse(t->rec, t->count, end);
	frames_reverse(t->rec, at, end);
	t->count = end;
	t->pending = 0;
}

/** Removes n sorted entries starting at index i. */
void rt_frames_remove(struct rt_frames *t, size_t i, size_t n)
{
	size_t tail = t->count + t->pending - (i + n);

	memmove(&t->rec[i], &t->rec[i + n], tail * sizeof(t->rec[0]));
	t->count -= n;
}
