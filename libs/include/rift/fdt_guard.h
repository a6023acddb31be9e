/* SPDX-License-Identifier: MIT */
/*
 * A structural check of a flattened device tree, run before libfdt sees
 * it. Debian's libfdt 1.6.1 trusts parts of a blob that fdt_check_header()
 * does not cover: a pre-v16 header makes fdt_check_full() dereference NULL,
 * and a negative property length makes it loop forever (both fixed
 * upstream later; found by our fuzzers, tests/fuzz/). This walk bounds
 * every offset and length and every token, so whatever passes it is safe
 * to hand to libfdt. Header-only: used by the kernel (kernel/core/dt.c)
 * and the supervisor (drivers-domain/supervisor/sysdesc.c).
 */
#ifndef RIFT_FDT_GUARD_H
#define RIFT_FDT_GUARD_H

#include <stddef.h>
#include <stdint.h>

#define FDT_GUARD_MAGIC 0xd00dfeedu

static inline uint32_t fdt_guard_be32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
	       ((uint32_t)p[2] << 8) | p[3];
}

/** Is [off, off+len) inside [0, total)? Overflow-safe. */
static inline int fdt_guard_within(uint32_t off, uint32_t len, uint32_t total)
{
	return off <= total && len <= total - off;
}

/** Walk the structure block; returns NULL or why it is malformed. */
static inline const char *fdt_guard_walk(const uint8_t *s, uint32_t size,
					 uint32_t strings_size)
{
	uint32_t pos = 0, depth = 0;

	while (pos + 4 <= size) {
		uint32_t tag = fdt_guard_be32(s + pos);

		pos += 4;
		if (tag == 1) { /* FDT_BEGIN_NODE: NUL-terminated name */
			uint32_t n = 0;

			while (pos + n < size && s[pos + n]) {
				n++;
			}
			if (pos + n >= size) {
				return "node name runs off the structure block";
			}
			pos += (n + 1 + 3) & ~3u;
			depth++;
		} else if (tag == 2) { /* FDT_END_NODE */
			if (depth-- == 0) {
				return "unbalanced end of node";
			}
		} else if (tag == 3) { /* FDT_PROP: len, nameoff, value */
			uint32_t len, nameoff;

			if (pos + 8 > size) {
				return "property header runs off the block";
			}
			len = fdt_guard_be32(s + pos);
			nameoff = fdt_guard_be32(s + pos + 4);
			pos += 8;
			if (len > size - pos || nameoff >= strings_size) {
				return "property length or name offset out of range";
			}
			pos += (len + 3) & ~3u;
		} else if (tag == 9) { /* FDT_END */
			return depth == 0 ? NULL : "tree ends inside a node";
		} else if (tag != 4) { /* not FDT_NOP */
			return "unknown token in the structure block";
		}
	}
	return "no end token";
}

/**
 * Check @blob of @size bytes; returns NULL if it is safe for libfdt, else
 * a short description of the first problem.
 */
static inline const char *fdt_guard_check(const void *blob, size_t size)
{
	const uint8_t *b = blob;
	uint32_t total, off_struct, off_strings, size_struct, size_strings;
	uint32_t off_rsv, version, last_comp;

	if (size < 40 || fdt_guard_be32(b) != FDT_GUARD_MAGIC) {
		return "bad magic or shorter than a header";
	}
	total = fdt_guard_be32(b + 4);
	off_struct = fdt_guard_be32(b + 8);
	off_strings = fdt_guard_be32(b + 12);
	off_rsv = fdt_guard_be32(b + 16);
	version = fdt_guard_be32(b + 20);
	last_comp = fdt_guard_be32(b + 24);
	size_strings = fdt_guard_be32(b + 32);
	size_struct = fdt_guard_be32(b + 36);
	if (total > size || total < 40) {
		return "total size larger than the blob";
	}
	if (version < 17 || last_comp > 17) {
		return "unsupported version (need 17, compatible with 16)";
	}
	if (!fdt_guard_within(off_struct, size_struct, total) ||
	    !fdt_guard_within(off_strings, size_strings, total) ||
	    off_rsv >= total || (off_struct & 3) || (off_rsv & 7)) {
		return "block offsets or sizes out of range";
	}
	return fdt_guard_walk(b + off_struct, size_struct, size_strings);
}

#endif
