/* SPDX-License-Identifier: MIT */
/*
 * SMMUv3 in-memory formats (Arm IHI 0070, chapters 4, 5 and 7): stream
 * table entries, context descriptors, commands and event records. Pure
 * functions over CPU integers; smmu_put64() stores them little-endian (the
 * SMMU reads its tables little-endian: IDR0.TTENDIAN), so this file works
 * and is tested on big-endian hosts too.
 */
#ifndef SMMU_HW_H
#define SMMU_HW_H

#include <stdbool.h>
#include <stdint.h>

#define SMMU_STE_WORDS 8 /**< 64 bytes */
#define SMMU_CD_WORDS 8	 /**< 64 bytes */
#define SMMU_CMD_WORDS 2 /**< 16 bytes */
#define SMMU_EVT_WORDS 4 /**< 32 bytes */

/** Input address bits of every device address space (3 levels of 4 KiB). */
#define SMMU_IAS_BITS 39

/** Command opcodes (IHI 0070 4.1). */
enum smmu_op {
	SMMU_OP_CFGI_STE = 0x03,       /**< SID 63:32; Leaf in word 1 */
	SMMU_OP_CFGI_STE_RANGE = 0x04, /**< SID 63:32; Range 4:0 in word 1 */
	SMMU_OP_CFGI_CD = 0x05,	       /**< SSID 31:12, SID 63:32; Leaf */
	SMMU_OP_TLBI_NH_ALL = 0x10,    /**< every stage-1 entry (VMID 0) */
	SMMU_OP_TLBI_NH_ASID = 0x11,   /**< ASID 63:48 */
	SMMU_OP_TLBI_NH_VA = 0x12,     /**< ASID 63:48; Addr 63:12, Leaf 0 in word 1 */
	SMMU_OP_SYNC = 0x46,	       /**< CS 13:12 (0: no signal, poll CONS) */
};

/** Event types (IHI 0070 7.3). */
enum smmu_evt_type {
	SMMU_EVT_F_UUT = 0x01,
	SMMU_EVT_C_BAD_STREAMID = 0x02,
	SMMU_EVT_F_STE_FETCH = 0x03,
	SMMU_EVT_C_BAD_STE = 0x04,
	SMMU_EVT_F_STREAM_DISABLED = 0x06,
	SMMU_EVT_F_TRANSL_FORBIDDEN = 0x07,
	SMMU_EVT_C_BAD_SUBSTREAMID = 0x08,
	SMMU_EVT_F_CD_FETCH = 0x09,
	SMMU_EVT_C_BAD_CD = 0x0a,
	SMMU_EVT_F_WALK_EABT = 0x0b,
	SMMU_EVT_F_TRANSLATION = 0x10,
	SMMU_EVT_F_ADDR_SIZE = 0x11,
	SMMU_EVT_F_ACCESS = 0x12,
	SMMU_EVT_F_PERMISSION = 0x13,
};

/**
 * Fault reasons as dma.idl numbers them (enum dma_reason); the server
 * checks at build time that the two agree.
 */
enum smmu_reason {
	SMMU_REASON_TRANSLATION = 1,
	SMMU_REASON_PERMISSION = 2,
	SMMU_REASON_ADDRESS_SIZE = 3,
	SMMU_REASON_NOT_ATTACHED = 4,
	SMMU_REASON_OTHER = 5,
};

/** A decoded event record. */
struct smmu_evt {
	uint8_t type;	 /**< enum smmu_evt_type */
	uint32_t sid;	 /**< stream id (PCI requester id) */
	bool ssv;	 /**< ssid valid */
	uint32_t ssid;	 /**< substream id */
	bool has_addr;	 /**< addr and write are meaningful for this type */
	uint64_t addr;	 /**< input (device) address */
	bool write;	 /**< the device wrote (RnW = 0) */
};

/** Stores @v at @p little-endian with one 64-bit access (p 8-aligned). */
void smmu_put64(void *p, uint64_t v);
/** Loads a little-endian 64-bit value with one access (p 8-aligned). */
uint64_t smmu_get64(const void *p);

/** An invalid STE (V = 0): the device's DMA is refused, C_BAD_STE recorded. */
void smmu_ste_invalid(uint64_t ste[SMMU_STE_WORDS]);
/**
 * A valid STE translating stage 1 through the one context descriptor at
 * physical address @cd_pa (64-byte aligned); stage 2 bypassed.
 */
void smmu_ste_s1(uint64_t ste[SMMU_STE_WORDS], uint64_t cd_pa);

/**
 * A context descriptor for address space @asid: TTB0 = @ttb0 (the level-1
 * table, 4 KiB aligned), SMMU_IAS_BITS of input address, 4 KiB granule,
 * write-back inner-shareable walks, TTB1 disabled, output size field
 * @ips (IDR5.OAS), faults recorded (R = 1) and aborted (A = 1), MAIR
 * index 0 = normal write-back memory.
 */
void smmu_cd_s1(uint64_t cd[SMMU_CD_WORDS], uint16_t asid, uint64_t ttb0,
		uint8_t ips);

void smmu_cmd_cfgi_ste(uint64_t cmd[SMMU_CMD_WORDS], uint32_t sid);
void smmu_cmd_cfgi_cd(uint64_t cmd[SMMU_CMD_WORDS], uint32_t sid);
/** CFGI_STE_RANGE with Range 31: every cached STE and CD. */
void smmu_cmd_cfgi_all(uint64_t cmd[SMMU_CMD_WORDS]);
void smmu_cmd_tlbi_all(uint64_t cmd[SMMU_CMD_WORDS]);
void smmu_cmd_tlbi_asid(uint64_t cmd[SMMU_CMD_WORDS], uint16_t asid);
/**
 * The entries of @asid for the 4 KiB page at @va: the leaf only
 * (@leaf), or every level's, walk caches included (after tables were
 * freed).
 */
void smmu_cmd_tlbi_va(uint64_t cmd[SMMU_CMD_WORDS], uint16_t asid,
		      uint64_t va, bool leaf);
/** CMD_SYNC completing by the consumer index (no signal, no MSI). */
void smmu_cmd_sync(uint64_t cmd[SMMU_CMD_WORDS]);

/** Decodes the 32-byte event record @rec (little-endian words). */
void smmu_evt_decode(const uint64_t rec[SMMU_EVT_WORDS], struct smmu_evt *e);
/** The dma.idl reason for an event type. */
enum smmu_reason smmu_evt_reason(uint8_t type);
/** The spec's name of an event type ("F_TRANSLATION"), or "UNKNOWN". */
const char *smmu_evt_name(uint8_t type);

/**
 * Queue indices: PROD and CONS hold log2size index bits and a wrap bit
 * above them. Full when the indices match and the wrap bits differ.
 */
bool smmu_q_full(uint32_t prod, uint32_t cons, uint8_t log2size);
bool smmu_q_empty(uint32_t prod, uint32_t cons, uint8_t log2size);
/** The next index after @idx (wrap bit flips at the end). */
uint32_t smmu_q_next(uint32_t idx, uint8_t log2size);

#endif
