/* SPDX-License-Identifier: MIT */
/*
 * SMMUv3 register map (Arm IHI 0070, chapter 6), the part this server
 * uses. Offsets are from the SMMU's base; page 1 starts at 0x10000 (QEMU
 * aliases the two pages, real SMMUs do not: the event queue's PROD and
 * CONS are read through page 1 as the spec says).
 */
#ifndef SMMU_REGS_H
#define SMMU_REGS_H

/** Register offsets. */
enum smmu_reg {
	SMMU_IDR0 = 0x00,	     /**< RO  features: S1P bit 1, TTF 3:2, COHACC 4, ASID16 12, ST_LEVEL 28:27 */
	SMMU_IDR1 = 0x04,	     /**< RO  SIDSIZE 5:0, EVENTQS 20:16, CMDQS 25:21 */
	SMMU_IDR5 = 0x14,	     /**< RO  OAS 2:0, GRAN4K bit 4 */
	SMMU_CR0 = 0x20,	     /**< RW  SMMUEN 0, PRIQEN 1, EVENTQEN 2, CMDQEN 3 */
	SMMU_CR0ACK = 0x24,	     /**< RO  CR0 as the SMMU has taken it */
	SMMU_CR1 = 0x28,	     /**< RW  cacheability/shareability of tables and queues */
	SMMU_CR2 = 0x2c,	     /**< RW  E2H 0, RECINVSID 1, PTM 2 */
	SMMU_GBPA = 0x44,	     /**< RW  global bypass attributes: ABORT 20, UPDATE 31 */
	SMMU_IRQ_CTRL = 0x50,	     /**< RW  GERROR_IRQEN 0, PRIQ_IRQEN 1, EVENTQ_IRQEN 2 */
	SMMU_IRQ_CTRLACK = 0x54,     /**< RO  IRQ_CTRL as taken */
	SMMU_GERROR = 0x60,	     /**< RO  active global errors: bits that differ from GERRORN */
	SMMU_GERRORN = 0x64,	     /**< RW  acknowledge by making a bit equal to GERROR's */
	SMMU_STRTAB_BASE = 0x80,     /**< RW64 RA 62, ADDR 51:6 */
	SMMU_STRTAB_BASE_CFG = 0x88, /**< RW  FMT 17:16, SPLIT 10:6, LOG2SIZE 5:0 */
	SMMU_CMDQ_BASE = 0x90,	     /**< RW64 RA 62, ADDR 51:5, LOG2SIZE 4:0 */
	SMMU_CMDQ_PROD = 0x98,	     /**< RW  WR index with wrap bit */
	SMMU_CMDQ_CONS = 0x9c,	     /**< RW  RD index with wrap bit, ERR 30:24 */
	SMMU_EVENTQ_BASE = 0xa0,     /**< RW64 WA 62, ADDR 51:5, LOG2SIZE 4:0 */
	SMMU_EVENTQ_PROD = 0x100a8,  /**< RW  (page 1) WR index, OVFLG 31 */
	SMMU_EVENTQ_CONS = 0x100ac,  /**< RW  (page 1) RD index, OVACKFLG 31 */
};

#define SMMU_IDR0_S1P (1u << 1)
#define SMMU_IDR0_TTF_SHIFT 2	 /* 2: AArch64 tables, 3: both */
#define SMMU_IDR0_COHACC (1u << 4)
#define SMMU_IDR0_ASID16 (1u << 12)
#define SMMU_IDR1_SIDSIZE_MASK 0x3fu
#define SMMU_IDR1_EVENTQS_SHIFT 16
#define SMMU_IDR1_CMDQS_SHIFT 21
#define SMMU_IDR5_OAS_MASK 0x7u
#define SMMU_IDR5_GRAN4K (1u << 4)

#define SMMU_CR0_SMMUEN (1u << 0)
#define SMMU_CR0_EVENTQEN (1u << 2)
#define SMMU_CR0_CMDQEN (1u << 3)

/* CR1: inner-shareable, write-back cacheable tables and queues. */
#define SMMU_CR1_WB_ISH ((3u << 10) | (1u << 8) | (1u << 6) | (3u << 4) | \
			 (1u << 2) | 1u)
#define SMMU_CR2_RECINVSID (1u << 1)
#define SMMU_CR2_PTM (1u << 2)

#define SMMU_GBPA_ABORT (1u << 20)
#define SMMU_GBPA_UPDATE (1u << 31)

#define SMMU_IRQ_GERROR (1u << 0)
#define SMMU_IRQ_EVENTQ (1u << 2)

#define SMMU_GERROR_CMDQ_ERR (1u << 0)
#define SMMU_GERROR_EVENTQ_ABT (1u << 2)
#define SMMU_GERROR_SFM (1u << 8)
#define SMMU_GERROR_ALL 0x1fdu

#define SMMU_BASE_RA (1ull << 62) /* read-allocate hint (WA for the eventq) */
#define SMMU_CMDQ_CONS_ERR(v) (((v) >> 24) & 0x7fu)
#define SMMU_EVENTQ_OVFLG (1u << 31)

#endif
