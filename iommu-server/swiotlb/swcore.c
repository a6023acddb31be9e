/* SPDX-License-Identifier: MIT */
/* The swiotlb server's pure helpers: see swcore.h. */
#include "swcore.h"

/** Widest access both addresses are aligned to, at most @len and 8. */
static size_t sw_step(uintptr_t d, uintptr_t s, size_t len)
{
	uintptr_t a = d | s;

	if (len >= 8 && (a & 7) == 0) {
		return 8;
	}
	if (len >= 4 && (a & 3) == 0) {
		return 4;
	}
	if (len >= 2 && (a & 1) == 0) {
		return 2;
	}
	return 1;
}

void sw_copy(volatile void *dst, const volatile void *src, size_t len)
{
	volatile uint8_t *d = dst;
	const volatile uint8_t *s = src;

	while (len > 0) {
		size_t n = sw_step((uintptr_t)d, (uintptr_t)s, len);

		if (n == 8 && len >= 32) { /* the bulk: 32 bytes a turn */
			volatile uint64_t *d8 = (volatile uint64_t *)d;
			const volatile uint64_t *s8 =
				(const volatile uint64_t *)s;

			d8[0] = s8[0];
			d8[1] = s8[1];
			d8[2] = s8[2];
			d8[3] = s8[3];
			d += 32;
			s += 32;
			len -= 32;
			continue;
		}

		switch (n) {
		case 8:
			*(volatile uint64_t *)d = *(const volatile uint64_t *)s;
			break;
		case 4:
			*(volatile uint32_t *)d = *(const volatile uint32_t *)s;
			break;
		case 2:
			*(volatile uint16_t *)d = *(const volatile uint16_t *)s;
			break;
		default:
			*d = *s;
			break;
		}
		d += n;
		s += n;
		len -= n;
	}
}

uint64_t sw_limit(uint8_t dma_bits)
{
	return dma_bits >= 64 ? 0 : 1ull << dma_bits;
}

bool sw_needs_bounce(uint64_t pa, uint64_t len, uint8_t dma_bits, bool force)
{
	uint64_t limit = sw_limit(dma_bits);

	if (force) {
		return true;
	}
	if (len == 0 || pa + len < pa) {
		return true; /* never hand out a wrapping range */
	}
	return limit != 0 && (pa >= limit || limit - pa < len);
}

uint32_t sw_handle(uint32_t index, uint32_t gen)
{
	return ((gen & 0xfffffu) << 12) | (index & 0xfffu);
}

uint32_t sw_handle_index(uint32_t handle)
{
	return handle & 0xfffu;
}

uint32_t sw_handle_gen(uint32_t handle)
{
	return handle >> 12;
}

bool sw_parse_size(const char *s, uint64_t *out)
{
	uint64_t v = 0, base = 10, shift = 0;

	if (!s || !*s) {
		return false;
	}
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
		if (!*s) {
			return false;
		}
	}
	for (; *s; s++) {
		uint64_t dgt;

		if (*s >= '0' && *s <= '9') {
			dgt = (uint64_t)(*s - '0');
		} else if (base == 16 && *s >= 'a' && *s <= 'f') {
			dgt = (uint64_t)(*s - 'a' + 10);
		} else if (base == 16 && *s >= 'A' && *s <= 'F') {
			dgt = (uint64_t)(*s - 'A' + 10);
		} else {
			break;
		}
		if (v > (~0ull - dgt) / base) {
			return false;
		}
		v = v * base + dgt;
	}
	if (*s == 'K' || *s == 'k') {
		shift = 10;
	} else if (*s == 'M' || *s == 'm') {
		shift = 20;
	} else if (*s == 'G' || *s == 'g') {
		shift = 30;
	} else if (*s) {
		return false;
	}
	if (shift && *++s) {
		return false;
	}
	if (shift && v > (~0ull >> shift)) {
		return false;
	}
	*out = v << shift;
	return true;
}
