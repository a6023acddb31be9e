/* SPDX-License-Identifier: MIT */
/* System register access and the bit fields the kernel programs. */
#ifndef ARCH_SYSREG_H
#define ARCH_SYSREG_H

#include <arch/const.h>

#define HCR_RW (UL(1) << 31)
#define HCR_TGE (UL(1) << 27)
#define HCR_E2H (UL(1) << 34)
/* Host (VHE) configuration: EL2&0 regime, EL0 exceptions to EL2. */
#define HCR_HOST (HCR_E2H | HCR_TGE | HCR_RW)

/* MAIR attribute indices. */
#define MT_DEVICE_nGnRnE 0
#define MT_DEVICE_nGnRE 1
#define MT_NORMAL 2
#define MT_NORMAL_NC 3
#define MAIR_VALUE ((UL(0x00) << (8 * MT_DEVICE_nGnRnE)) | \
		    (UL(0x04) << (8 * MT_DEVICE_nGnRE)) |  \
		    (UL(0xff) << (8 * MT_NORMAL)) |        \
		    (UL(0x44) << (8 * MT_NORMAL_NC)))

/* TCR in the EL1 layout (E2H=1): 48-bit VA both halves, 4 KiB, WBWA, inner
 * shareable, 16-bit ASIDs taken from TTBR0. IPS is filled in at boot. */
#define TCR_T0SZ(x) ((x) << 0)
#define TCR_T1SZ(x) ((x) << 16)
#define TCR_IRGN0_WBWA (UL(1) << 8)
#define TCR_ORGN0_WBWA (UL(1) << 10)
#define TCR_SH0_INNER (UL(3) << 12)
#define TCR_TG0_4K (UL(0) << 14)
#define TCR_IRGN1_WBWA (UL(1) << 24)
#define TCR_ORGN1_WBWA (UL(1) << 26)
#define TCR_SH1_INNER (UL(3) << 28)
#define TCR_TG1_4K (UL(2) << 30)
#define TCR_EPD0 (UL(1) << 7)
#define TCR_EPD1 (UL(1) << 23)
#define TCR_IPS_SHIFT 32
#define TCR_AS (UL(1) << 36)
#define TCR_BASE (TCR_T0SZ(16) | TCR_T1SZ(16) | TCR_IRGN0_WBWA |         \
		  TCR_ORGN0_WBWA | TCR_SH0_INNER | TCR_TG0_4K |             \
		  TCR_IRGN1_WBWA | TCR_ORGN1_WBWA | TCR_SH1_INNER |         \
		  TCR_TG1_4K | TCR_AS)

/* SCTLR_EL2 in the EL1 layout (E2H=1). */
#define SCTLR_M (UL(1) << 0)
#define SCTLR_C (UL(1) << 2)
#define SCTLR_SA (UL(1) << 3)
#define SCTLR_SA0 (UL(1) << 4)
#define SCTLR_I (UL(1) << 12)
#define SCTLR_DZE (UL(1) << 14)
#define SCTLR_UCT (UL(1) << 15)
/* EL0 may clean and invalidate by VA (DC CVAC/CIVAC/CVAU, IC IVAU) on what
 * it has mapped: a VMM makes what it wrote into guest RAM visible to a
 * guest running with its caches off. */
#define SCTLR_UCI (UL(1) << 26)
#define SCTLR_nTWI (UL(1) << 16)
#define SCTLR_nTWE (UL(1) << 18)
#define SCTLR_WXN (UL(1) << 19)
#define SCTLR_RES1 ((UL(1) << 29) | (UL(1) << 28) | (UL(1) << 23) | \
		    (UL(1) << 22) | (UL(1) << 20) | (UL(1) << 11))
#define SCTLR_VALUE (SCTLR_RES1 | SCTLR_M | SCTLR_C | SCTLR_SA | SCTLR_SA0 | \
		     SCTLR_I | SCTLR_DZE | SCTLR_UCT | SCTLR_UCI)

#ifndef __ASSEMBLER__
#include <stdint.h>

#define read_sysreg(r)                                          \
	({                                                      \
		uint64_t __v;                                   \
		__asm__ volatile("mrs %0, " #r : "=r"(__v));    \
		__v;                                            \
	})

#define write_sysreg(r, v)                                              \
	do {                                                            \
		uint64_t __v = (uint64_t)(v);                           \
		__asm__ volatile("msr " #r ", %0" : : "r"(__v));        \
	} while (0)

static inline void isb(void)
{
	__asm__ volatile("isb" ::: "memory");
}

static inline void dsb_sy(void)
{
	__asm__ volatile("dsb sy" ::: "memory");
}

static inline void dsb_ish(void)
{
	__asm__ volatile("dsb ish" ::: "memory");
}

static inline void dsb_ishst(void)
{
	__asm__ volatile("dsb ishst" ::: "memory");
}
#endif

#endif
