/* SPDX-License-Identifier: MIT */
/*
 * Basic fixed-width types for the kernel. The kernel is freestanding: it
 * uses the compiler's <stdint.h>/<stddef.h>/<stdbool.h> (which carry no libc)
 * and defines its own address types on top.
 */
#ifndef RIFT_TYPES_H
#define RIFT_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** A physical address. Never dereferenced directly: use phys_to_virt(). */
typedef uint64_t paddr_t;
/** A kernel virtual address as an integer. */
typedef uint64_t vaddr_t;

#define KiB(x) ((uint64_t)(x) << 10)
#define MiB(x) ((uint64_t)(x) << 20)
#define GiB(x) ((uint64_t)(x) << 30)
#define TiB(x) ((uint64_t)(x) << 40)

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP(x, a) (((x) + ((a) - 1)) & ~((__typeof__(x))(a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a) - 1))
#define IS_ALIGNED(x, a) (((x) & ((__typeof__(x))(a) - 1)) == 0)
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))

/* Bitmaps are arrays of unsigned long (portability rule: no byte atomics). */
#define BITS_PER_LONG (8 * sizeof(unsigned long))
#define BITMAP_LONGS(n) (((n) + BITS_PER_LONG - 1) / BITS_PER_LONG)
#define DECLARE_BITMAP(name, n) unsigned long name[BITMAP_LONGS(n)]

#define __unused __attribute__((unused))
#define __noreturn __attribute__((noreturn))
#define __aligned(x) __attribute__((aligned(x)))
#define __section(s) __attribute__((section(s)))
#define __printf(a, b) __attribute__((format(printf, a, b)))
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

#endif
