/* SPDX-License-Identifier: MIT */
/* Host tests of guest exit decoding (kernel/arch/aarch64/exit_decode.c). */
#include <stdint.h>
#include <string.h>

#include <arch/exit_decode.h>
#include <rift/vcpu.h>

#include "test.h"

#define EC(ec) ((uint64_t)(ec) << 26)
#define IL (1ull << 25)
/* HPFAR_EL2.FIPA (bits 43:4) holds IPA bits 51:12 */
#define HPFAR(ipa) (((uint64_t)(ipa) >> 12) << 4)

static uint64_t x[31];

static void regs(void)
{
	for (int i = 0; i < 31; i++) {
		x[i] = 0x1000 + (uint64_t)i;
	}
}

/* LDRSH w3, [x?] at IPA 0x0a000012 (unmapped): ISV, SAS=1, SSE, SRT=3 */
TEST(mmio_read)
{
	struct vcpu_exit e;
	uint64_t iss = (1u << 24) | (1u << 22) | (1u << 21) | (3u << 16) | 0x07;

	regs();
	CHECK_EQ(arch_exit_decode(EC(0x24) | IL | iss, 0xffff0012, HPFAR(0x0a000012),
				  x, 0x40000100, &e),
		 EXIT_FOR_VMM);
	CHECK_EQ(e.kind, RIFT_EXIT_MMIO);
	CHECK_EQ(e.addr, 0x0a000012);
	CHECK_EQ(RIFT_ACCESS_SIZE(e.access), 2);
	CHECK_EQ(RIFT_ACCESS_REG(e.access), 3);
	CHECK(e.access & RIFT_ACCESS_SIGN);
	CHECK(!(e.access & RIFT_ACCESS_64));
	CHECK(!(e.access & RIFT_ACCESS_WRITE));
	CHECK_EQ(e.value, 0);
	CHECK_EQ(e.pc, 0x40000100);
	CHECK_EQ(e.insn_len, 4);
}

/* STR x7 (64-bit) and STRB wzr: the value, truncated; xzr reads 0 */
TEST(mmio_write)
{
	struct vcpu_exit e;
	uint64_t iss = (1u << 24) | (3u << 22) | (7u << 16) | (1u << 15) |
		       (1u << 6) | 0x06;

	regs();
	x[7] = 0x1122334455667788ull;
	arch_exit_decode(EC(0x24) | IL | iss, 0x123, HPFAR(0x09000000), x, 0, &e);
	CHECK_EQ(e.kind, RIFT_EXIT_MMIO);
	CHECK_EQ(e.addr, 0x09000123);
	CHECK_EQ(RIFT_ACCESS_SIZE(e.access), 8);
	CHECK(e.access & RIFT_ACCESS_WRITE);
	CHECK(e.access & RIFT_ACCESS_64);
	CHECK_EQ(e.value, 0x1122334455667788ull);
	iss = (1u << 24) | (31u << 16) | (1u << 6) | 0x05;
	arch_exit_decode(EC(0x24) | IL | iss, 0, HPFAR(0x09000000), x, 0, &e);
	CHECK_EQ(RIFT_ACCESS_SIZE(e.access), 1);
	CHECK_EQ(RIFT_ACCESS_REG(e.access), 31);
	CHECK_EQ(e.value, 0);
	iss = (1u << 24) | (2u << 22) | (7u << 16) | (1u << 6) | 0x05;
	arch_exit_decode(EC(0x24) | IL | iss, 0, HPFAR(0x09000000), x, 0, &e);
	CHECK_EQ(e.value, 0x55667788);
}

/* Not decodable: ISV = 0, a guest table walk, a permission fault */
TEST(data_aborts_for_the_vmm)
{
	struct vcpu_exit e;

	regs();
	arch_exit_decode(EC(0x24) | IL | 0x07, 0, HPFAR(0x40000000), x, 0, &e);
	CHECK_EQ(e.kind, RIFT_EXIT_DABT);
	CHECK_EQ(e.addr, 0x40000000);
	arch_exit_decode(EC(0x24) | IL | (1u << 24) | (1u << 7) | 0x07, 0, 0, x,
			 0, &e);
	CHECK_EQ(e.kind, RIFT_EXIT_DABT);
	arch_exit_decode(EC(0x24) | IL | (1u << 24) | 0x0f, 0, 0, x, 0, &e);
	CHECK_EQ(e.kind, RIFT_EXIT_DABT);
}

TEST(hvc_smc_sysreg_wfx)
{
	struct vcpu_exit e;
	uint64_t iss;

	regs();
	CHECK_EQ(arch_exit_decode(EC(0x16) | IL | 0x1234, 0, 0, x, 8, &e),
		 EXIT_FOR_VMM);
	CHECK_EQ(e.kind, RIFT_EXIT_HVC);
	CHECK_EQ(e.addr, 0x1234);
	CHECK_EQ(e.insn_len, 0); /* ELR is past the HVC already */
	arch_exit_decode(EC(0x17) | IL, 0, 0, x, 8, &e);
	CHECK_EQ(e.kind, RIFT_EXIT_SMC);
	CHECK_EQ(e.insn_len, 4); /* a trapped SMC returns to itself */
	/* MRS x5, CNTP_CTL_EL0: op0 3, op1 3, CRn 14, CRm 2, op2 1 */
	iss = (3u << 20) | (1u << 17) | (3u << 14) | (14u << 10) | (5u << 5) |
	      (2u << 1) | 1;
	arch_exit_decode(EC(0x18) | IL | iss, 0, 0, x, 8, &e);
	CHECK_EQ(e.kind, RIFT_EXIT_SYSREG);
	CHECK_EQ(e.addr, RIFT_EXIT_SYSREG_ENC(3, 3, 14, 2, 1));
	CHECK_EQ(RIFT_ACCESS_REG(e.access), 5);
	CHECK(!(e.access & RIFT_ACCESS_WRITE));
	/* MSR ..., x9: a write with the value */
	arch_exit_decode(EC(0x18) | IL | (iss & ~1ull & ~(0x1full << 5)) |
				 (9u << 5),
			 0, 0, x, 8, &e);
	CHECK(e.access & RIFT_ACCESS_WRITE);
	CHECK_EQ(e.value, 0x1009);
	CHECK_EQ(arch_exit_decode(EC(0x01) | IL, 0, 0, x, 8, &e), EXIT_WFI);
	CHECK_EQ(arch_exit_decode(EC(0x01) | IL | 1, 0, 0, x, 8, &e), EXIT_WFE);
	arch_exit_decode(EC(0x20) | IL | 0x06, 0x80000200, HPFAR(0x80000200),
			 x, 0x80000200, &e);
	CHECK_EQ(e.kind, RIFT_EXIT_IABT);
	CHECK_EQ(e.addr, 0x80000200);
	arch_exit_decode(EC(0x2f) | IL, 0xdead000, 0, x, 8, &e);
	CHECK_EQ(e.kind, RIFT_EXIT_OTHER);
	CHECK_EQ(e.addr, 0); /* FAR is not valid for it: never passed on */
}

/* What a VMM may set PSTATE to (shared with the fake arch) */
TEST(pstate_rule)
{
	CHECK(aarch64_pstate_ok(0x3c5));          /* EL1h, DAIF */
	CHECK(aarch64_pstate_ok(0x0));            /* EL0t */
	CHECK(aarch64_pstate_ok(0xf0400004ull));  /* NZCV, PAN, EL1t */
	CHECK(!aarch64_pstate_ok(0x3c9));         /* EL2h */
	CHECK(!aarch64_pstate_ok(0x10));          /* AArch32 */
	CHECK(!aarch64_pstate_ok(0x3c5 | (1u << 20))); /* IL */
	CHECK(!aarch64_pstate_ok(0x3c5 | (1u << 21))); /* SS */
	CHECK(!aarch64_pstate_ok(0x3c5 | (1ull << 32)));
}

TEST_MAIN("exit_decode", TEST_ENTRY(pstate_rule), TEST_ENTRY(mmio_read), TEST_ENTRY(mmio_write),
	  TEST_ENTRY(data_aborts_for_the_vmm), TEST_ENTRY(hvc_smc_sysreg_wfx))
