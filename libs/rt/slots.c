/* SPDX-License-Identifier: MIT */
/*
 * Capability slot allocator: a bitmap of unsigned long over storage the
 * caller provides, searched next-fit from the last allocation so that a
 * run of allocations costs O(1) each. Pure code, host-tested.
 */
#include "internal.h"

#define BITS_PER_WORD (8 * sizeof(unsigned long))

/** Returns the size in bytes of the bitmap for count slots. */
size_t rt_slots_bytes(uint64_t count)
{
	return (size_t)((count + BITS_PER_WORD - 1) / BITS_PER_WORD) * sizeof(unsigned long);
}

/** Marks slot used without checks. */
static void slots_set(struct rt_slots *s, uint64_t slot)
{
	s->bits[slot / BITS_PER_WORD] |= 1ul << (slot % BITS_PER_WORD);
	s->used++;
}

/**
 * Starts a table over zeroed bits; reserves slots [0, first). Slot 0 is
 * always reserved: it is the null slot and the allocator's failure value.
 */
void rt_slots_init(struct rt_slots *s, unsigned long *bits, uint64_t count, uint64_t first)
{
	if (first == 0) {
		first = 1;
	}
	s->bits = bits;
	s->count = count;
	s->first = first;
	s->used = 0;
	s->hint = first < count ? first : 0;
	for (uint64_t i = 0; i < first && i < count; i++) {
		slots_set(s, i);
	}
}

/** True if slot is in use (out-of-range slots count as used). */
bool rt_slots_used(const struct rt_slots *s, uint64_t slot)
{
	if (slot >= s->count) {
		return true;
	}
	return (s->bits[slot / BITS_PER_WORD] >> (slot % BITS_PER_WORD)) & 1ul;
}

/**
 * Returns the first free slot in [from, to), or to if there is none.
 * Skips full words a word at a time.
 */
static uint64_t slots_scan(const struct rt_slots *s, uint64_t from, uint64_t to)
{
	uint64_t i = from;

	while (i < to) {
		unsigned long free_bits = ~s->bits[i / BITS_PER_WORD];

		free_bits &= ~0ul << (i % BITS_PER_WORD);
		if (free_bits != 0) {
			uint64_t found = (i / BITS_PER_WORD) * BITS_PER_WORD +
					 (uint64_t)__builtin_ctzl(free_bits);
			return found < to ? found : to;
		}
		i = (i / BITS_PER_WORD + 1) * BITS_PER_WORD;
	}
	return to;
}

/** Returns a free slot, marked used, or 0 when none is left. */
uint64_t rt_slots_alloc(struct rt_slots *s)
{
	uint64_t slot = slots_scan(s, s->hint, s->count);

	if (slot == s->count) {
		slot = slots_scan(s, 0, s->hint);
		if (slot == s->hint) {
			return 0;
		}
	}
	slots_set(s, slot);
	s->hint = slot + 1 < s->count ? slot + 1 : 0;
	return slot;
}

/** Marks slot used; false if it is out of range or already used. */
bool rt_slots_take(struct rt_slots *s, uint64_t slot)
{
	if (rt_slots_used(s, slot)) {
		return false;
	}
	slots_set(s, slot);
	return true;
}

/** Frees slot; false (and no change) if it was not in use or is reserved. */
bool rt_slots_free(struct rt_slots *s, uint64_t slot)
{
	if (slot < s->first || slot >= s->count || !rt_slots_used(s, slot)) {
		return false;
	}
	s->bits[slot / BITS_PER_WORD] &= ~(1ul << (slot % BITS_PER_WORD));
	s->used--;
	return true;
}
