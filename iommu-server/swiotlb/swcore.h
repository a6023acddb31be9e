/* SPDX-License-Identifier: MIT */
/*
 * The swiotlb server's pure helpers (host-tested): the ordered copy
 * between a caller's memory and the pool, the bounce decision, mapping
 * handles and the option parser.
 */
#ifndef SWIOTLB_CORE_H
#define SWIOTLB_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/**
 * Copies @len bytes from @src to @dst in ascending address order, each
 * access naturally aligned and as wide as the alignment of both addresses
 * allows (up to 8 bytes). A device reading or writing the pool at the
 * same time therefore never sees a naturally aligned 2-, 4- or 8-byte
 * field half-copied, and everything below an address is copied before it.
 */
void sw_copy(volatile void *dst, const volatile void *src, size_t len);

/** Exclusive upper bound of device addresses for @dma_bits (0: none). */
uint64_t sw_limit(uint8_t dma_bits);

/**
 * Whether bytes [pa, pa + len) must be bounced for a device driving
 * @dma_bits address bits: always with @force, else when any byte lies at
 * or above 2^dma_bits.
 */
bool sw_needs_bounce(uint64_t pa, uint64_t len, uint8_t dma_bits, bool force);

/** Mapping handles: table index in bits 11:0, a generation above. */
#define SW_MAX_MAPS 1024u
uint32_t sw_handle(uint32_t index, uint32_t gen);
uint32_t sw_handle_index(uint32_t handle);
uint32_t sw_handle_gen(uint32_t handle);

/**
 * Parses a byte count: decimal or 0x hex, optionally followed by K, M or
 * G. Returns false for anything else or an overflow.
 */
bool sw_parse_size(const char *s, uint64_t *out);

#endif
