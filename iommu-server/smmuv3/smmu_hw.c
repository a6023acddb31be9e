/* SPDX-License-Identifier: MIT */
/* SMMUv3 in-memory formats (see smmu_hw.h). */
#include "smmu_hw.h"

#include <stddef.h>

/* STE word 0 */
#define STE0_V (1ull << 0)
#define STE0_CFG_S1 (5ull << 1) /* Config 0b101: stage 1, stage 2 bypass */
#define STE0_CTX_MASK 0x000ffffffffffc0ull /* S1ContextPtr 51:6 */
/* STE word 1: walk attributes of the CD fetch, shareability */
#define STE1_S1CIR_WB (1ull << 2)
#define STE1_S1COR_WB (1ull << 4)
#define STE1_S1CSH_ISH (3ull << 6)
#define STE1_SHCFG_INCOMING (1ull << 44)

/* CD word 0 */
#define CD0_T0SZ(v) ((uint64_t)(v) & 0x3f)
#define CD0_TG0_4K (0ull << 6)
#define CD0_IR0_WB (1ull << 8)
#define CD0_OR0_WB (1ull << 10)
#define CD0_SH0_ISH (3ull << 12)
#define CD0_EPD1 (1ull << 30)
#define CD0_V (1ull << 31)
#define CD0_IPS(v) (((uint64_t)(v) & 7) << 32)
#define CD0_AA64 (1ull << 41)
#define CD0_R (1ull << 45)
#define CD0_A (1ull << 46)
#define CD0_ASET (1ull << 47)
#define CD0_ASID(v) ((uint64_t)(v) << 48)
#define CD1_TTB0_MASK 0x000ffffffffffff0ull /* 51:4 */
/* MAIR attribute 0: normal memory, inner and outer write-back RW-allocate */
#define CD3_MAIR_WB 0xffull

/* Event record */
#define EVT1_RNW (1ull << 35)

void smmu_put64(void *p, uint64_t v)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	*(volatile uint64_t *)p = v;
}

uint64_t smmu_get64(const void *p)
{
	uint64_t v = *(const volatile uint64_t *)p;

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	return v;
}

static void smmu_zero(uint64_t *w, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		w[i] = 0;
	}
}

void smmu_ste_invalid(uint64_t ste[SMMU_STE_WORDS])
{
	smmu_zero(ste, SMMU_STE_WORDS);
}

void smmu_ste_s1(uint64_t ste[SMMU_STE_WORDS], uint64_t cd_pa)
{
	smmu_zero(ste, SMMU_STE_WORDS);
	/* S1Fmt 0 and S1CDMax 0: one CD, no substreams. */
	ste[0] = STE0_V | STE0_CFG_S1 | (cd_pa & STE0_CTX_MASK);
	/* STRW 0 (EL1 regime: TLBI_NH_* invalidate it), no stall, no ATS. */
	ste[1] = STE1_S1CIR_WB | STE1_S1COR_WB | STE1_S1CSH_ISH |
		 STE1_SHCFG_INCOMING;
}

void smmu_cd_s1(uint64_t cd[SMMU_CD_WORDS], uint16_t asid, uint64_t ttb0,
		uint8_t ips)
{
	smmu_zero(cd, SMMU_CD_WORDS);
	cd[0] = CD0_T0SZ(64 - SMMU_IAS_BITS) | CD0_TG0_4K | CD0_IR0_WB |
		CD0_OR0_WB | CD0_SH0_ISH | CD0_EPD1 | CD0_V | CD0_IPS(ips) |
		CD0_AA64 | CD0_R | CD0_A | CD0_ASET | CD0_ASID(asid);
	cd[1] = ttb0 & CD1_TTB0_MASK;
	cd[3] = CD3_MAIR_WB;
}

static void smmu_cmd(uint64_t cmd[SMMU_CMD_WORDS], uint8_t op, uint64_t w0,
		     uint64_t w1)
{
	cmd[0] = op | w0;
	cmd[1] = w1;
}

void smmu_cmd_cfgi_ste(uint64_t cmd[SMMU_CMD_WORDS], uint32_t sid)
{
	smmu_cmd(cmd, SMMU_OP_CFGI_STE, (uint64_t)sid << 32, 1);
}

void smmu_cmd_cfgi_cd(uint64_t cmd[SMMU_CMD_WORDS], uint32_t sid)
{
	smmu_cmd(cmd, SMMU_OP_CFGI_CD, (uint64_t)sid << 32, 1);
}

void smmu_cmd_cfgi_all(uint64_t cmd[SMMU_CMD_WORDS])
{
	smmu_cmd(cmd, SMMU_OP_CFGI_STE_RANGE, 0, 31);
}

void smmu_cmd_tlbi_all(uint64_t cmd[SMMU_CMD_WORDS])
{
	smmu_cmd(cmd, SMMU_OP_TLBI_NH_ALL, 0, 0);
}

void smmu_cmd_tlbi_asid(uint64_t cmd[SMMU_CMD_WORDS], uint16_t asid)
{
	smmu_cmd(cmd, SMMU_OP_TLBI_NH_ASID, (uint64_t)asid << 48, 0);
}

void smmu_cmd_tlbi_va(uint64_t cmd[SMMU_CMD_WORDS], uint16_t asid,
		      uint64_t va, bool leaf)
{
	smmu_cmd(cmd, SMMU_OP_TLBI_NH_VA, (uint64_t)asid << 48,
		 (va & ~0xfffull) | (leaf ? 1 : 0));
}

void smmu_cmd_sync(uint64_t cmd[SMMU_CMD_WORDS])
{
	smmu_cmd(cmd, SMMU_OP_SYNC, 0, 0);
}

/** Does this event type carry an input address and RnW? */
static bool smmu_evt_addressed(uint8_t type)
{
	switch (type) {
	case SMMU_EVT_F_UUT:
	case SMMU_EVT_F_TRANSL_FORBIDDEN:
	case SMMU_EVT_F_WALK_EABT:
	case SMMU_EVT_F_TRANSLATION:
	case SMMU_EVT_F_ADDR_SIZE:
	case SMMU_EVT_F_ACCESS:
	case SMMU_EVT_F_PERMISSION:
		return true;
	default:
		return false;
	}
}

void smmu_evt_decode(const uint64_t rec[SMMU_EVT_WORDS], struct smmu_evt *e)
{
	e->type = (uint8_t)(rec[0] & 0xff);
	e->ssv = (rec[0] >> 11) & 1;
	e->ssid = (uint32_t)((rec[0] >> 12) & 0xfffff);
	e->sid = (uint32_t)(rec[0] >> 32);
	e->has_addr = smmu_evt_addressed(e->type);
	e->addr = e->has_addr ? rec[2] : 0;
	e->write = e->has_addr && !(rec[1] & EVT1_RNW);
}

enum smmu_reason smmu_evt_reason(uint8_t type)
{
	switch (type) {
	case SMMU_EVT_F_TRANSLATION:
		return SMMU_REASON_TRANSLATION;
	case SMMU_EVT_F_PERMISSION:
		return SMMU_REASON_PERMISSION;
	case SMMU_EVT_F_ADDR_SIZE:
		return SMMU_REASON_ADDRESS_SIZE;
	case SMMU_EVT_C_BAD_STREAMID:
	case SMMU_EVT_C_BAD_STE:
	case SMMU_EVT_F_STREAM_DISABLED:
		return SMMU_REASON_NOT_ATTACHED;
	default:
		return SMMU_REASON_OTHER;
	}
}

const char *smmu_evt_name(uint8_t type)
{
	static const char *const names[] = {
		[SMMU_EVT_F_UUT] = "F_UUT",
		[SMMU_EVT_C_BAD_STREAMID] = "C_BAD_STREAMID",
		[SMMU_EVT_F_STE_FETCH] = "F_STE_FETCH",
		[SMMU_EVT_C_BAD_STE] = "C_BAD_STE",
		[SMMU_EVT_F_STREAM_DISABLED] = "F_STREAM_DISABLED",
		[SMMU_EVT_F_TRANSL_FORBIDDEN] = "F_TRANSL_FORBIDDEN",
		[SMMU_EVT_C_BAD_SUBSTREAMID] = "C_BAD_SUBSTREAMID",
		[SMMU_EVT_F_CD_FETCH] = "F_CD_FETCH",
		[SMMU_EVT_C_BAD_CD] = "C_BAD_CD",
		[SMMU_EVT_F_WALK_EABT] = "F_WALK_EABT",
		[SMMU_EVT_F_TRANSLATION] = "F_TRANSLATION",
		[SMMU_EVT_F_ADDR_SIZE] = "F_ADDR_SIZE",
		[SMMU_EVT_F_ACCESS] = "F_ACCESS",
		[SMMU_EVT_F_PERMISSION] = "F_PERMISSION",
	};

	if (type < sizeof(names) / sizeof(names[0]) && names[type]) {
		return names[type];
	}
	return "UNKNOWN";
}

bool smmu_q_full(uint32_t prod, uint32_t cons, uint8_t log2size)
{
	uint32_t wrap = 1u << log2size;
	uint32_t mask = (wrap << 1) - 1;

	return ((prod ^ cons) & mask) == wrap;
}

bool smmu_q_empty(uint32_t prod, uint32_t cons, uint8_t log2size)
{
	uint32_t mask = (2u << log2size) - 1;

	return ((prod ^ cons) & mask) == 0;
}

uint32_t smmu_q_next(uint32_t idx, uint8_t log2size)
{
	return (idx + 1) & ((2u << log2size) - 1);
}
