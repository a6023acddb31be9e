/* SPDX-License-Identifier: MIT */
/* VMSAv8-64 translation table descriptor bits (4 KiB granule). */
#ifndef ARCH_PTE_H
#define ARCH_PTE_H

#include <arch/sysreg.h>

#define PTE_VALID (1ull << 0)
#define PTE_TABLE (1ull << 1) /* at levels 0-2: next-level table */
#define PTE_BLOCK (0ull << 1) /* at levels 1-2: block */
#define PTE_PAGE (1ull << 1)  /* at level 3: page */
#define PTE_ATTR(idx) ((uint64_t)(idx) << 2)
#define PTE_ATTR_MASK (7ull << 2)
#define PTE_AP_USER (1ull << 6) /* AP[1]: EL0 access */
#define PTE_AP_RO (1ull << 7)   /* AP[2]: read-only */
#define PTE_SH_INNER (3ull << 8)
#define PTE_AF (1ull << 10)
#define PTE_NG (1ull << 11) /* not global: tagged with the ASID */
#define PTE_PXN (1ull << 53)
#define PTE_XN (1ull << 54) /* UXN in the EL2&0 regime */
/* Stage 2 (guest IPA -> PA) leaf attributes. */
#define PTE_S2_MEMATTR(x) ((uint64_t)(x) << 2) /* MemAttr[3:0] */
#define PTE_S2_MEMATTR_MASK (0xfull << 2)
#define PTE_S2_DEVICE_nGnRE 0x1ull
#define PTE_S2_NORMAL_NC 0x5ull
#define PTE_S2_NORMAL_WB 0xfull
#define PTE_S2AP_R (1ull << 6)
#define PTE_S2AP_W (1ull << 7)
#define PTE_S2_XN (1ull << 54) /* XN[1]: no execution at EL1 or EL0 */
#define PTE_ADDR_MASK 0x0000fffffffff000ull

#endif
