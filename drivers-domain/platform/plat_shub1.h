/* SPDX-License-Identifier: MIT */
/*
 * SGI Shub 1 registers the sgi-shub1 backend uses (plat_shub1.c). The
 * offsets and fields are facts from SGI's published register map as
 * Linux's historical ia64 sn2 headers give it (shub_mmr.h, addrs.h,
 * sn2_smp.c, ptc_deadlock.S); docs/platforms.md lists the sources.
 *
 * Each offset is within a Shub's global MMR space, which for Shub 1 starts
 * at physical (nasid << 38) | 0x8_0000_0000 (GLOBAL_PHYS_MMR_SPACE with
 * NASID_SHIFT 38). Registers are 64 bits wide.
 */
#ifndef PLATFORM_PLAT_SHUB1_H
#define PLATFORM_PLAT_SHUB1_H

#define SHUB1_NASID_SHIFT 38
#define SHUB1_GLOBAL_MMR 0x0000000800000000ull

/* SH_IPI_INT: send an interrupt to a processor (write-only pulse). */
#define SHUB1_IPI_INT 0x0000000110000380ull
#define SHUB1_IPI_TYPE_SHIFT 0   /* 0 INT, 2 PMI, 4 NMI, 5 INIT */
#define SHUB1_IPI_PID_SHIFT 4    /* physical processor id, 16 bits */
#define SHUB1_IPI_PID_MASK 0x00000000000ffff0ull
#define SHUB1_IPI_BASE_SHIFT 21  /* interrupt block address >> 21 */
#define SHUB1_IPI_BASE_VALUE 0xfeeull /* ia64's 0xfee00000 block */
#define SHUB1_IPI_IDX_SHIFT 52   /* the vector, 8 bits */
#define SHUB1_IPI_SEND (1ull << 63)

/* SH_RTC: the node's real-time clock, 55 bits, synchronised machine-wide
 * (unlike the CPUs' ITCs). Its frequency comes from firmware. */
#define SHUB1_RTC 0x00000001101c0000ull
#define SHUB1_RTC_MASK 0x007fffffffffffffull

/* SH1_PTC_0 / SH1_PTC_1: a purge-translation-cache message to every
 * processor of the node. PTC_0 holds the kind, page size and region id;
 * writing PTC_1 (the address) with START sends it. */
#define SHUB1_PTC_0 0x00000001101a0000ull
#define SHUB1_PTC_0_A (1ull << 0)  /* type: a ptc.ga */
#define SHUB1_PTC_0_PS_SHIFT 2     /* log2 of the bytes purged */
#define SHUB1_PTC_0_RID_SHIFT 8    /* (region id << 3) | region number */
#define SHUB1_PTC_0_START (1ull << 63)
#define SHUB1_PTC_1 0x00000001101a0080ull
#define SHUB1_PTC_1_START (1ull << 63)

/* SH_PIO_WRITE_STATUS_0 (CPU slice 0's FSB): writes still in flight. On
 * Shub 1 the pending-write count reads all ones when nothing is pending.
 * Writing the _ALIAS clears the error bits (7: DEADLOCK, WRITE_ERROR,
 * MULTI_WRITE_ERROR). */
#define SHUB1_PIO_WRITE_STATUS_0 0x0000000120070200ull
#define SHUB1_PIO_WRITE_STATUS_0_ALIAS 0x0000000120070208ull
#define SHUB1_PIO_DEADLOCK (1ull << 1)
#define SHUB1_PIO_COUNT_MASK 0x3f00000000000000ull
#define SHUB1_PIO_IDLE SHUB1_PIO_COUNT_MASK
#define SHUB1_PIO_CLEAR_ERRORS 7ull

/* Linux's limit of PTC writes in flight before waiting, on Shub 1. */
#define SHUB1_MAX_ACTIVE 32
/* How many status reads a wait may take before the server gives up. */
#define SHUB1_SPIN_MAX 1000000u
/* The largest purge one request may ask for, in pages. */
#define SHUB1_MAX_PAGES 65536u

#endif
