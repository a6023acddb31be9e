/* SPDX-License-Identifier: MIT */
/*
 * Decoding a guest exit from its syndrome (ESR_EL2), fault address
 * (FAR_EL2) and faulting IPA page (HPFAR_EL2) into the arch-neutral struct
 * vcpu_exit the VMM receives. Pure: no register access, so the host unit
 * tests (tests/unit/test_exit_decode.c) run it as it is.
 */
#include <arch/exit_decode.h>
#include <rift/vcpu.h>

enum {
	EC_WFX = 0x01,
	EC_HVC64 = 0x16,
	EC_SMC64 = 0x17,
	EC_SYSREG = 0x18,
	EC_IABT_LOW = 0x20,
	EC_DABT_LOW = 0x24,
};

#define ESR_IL (1ull << 25)
#define ISS_MASK 0x1ffffffull

/* Data abort ISS. */
#define DABT_ISV (1u << 24)
#define DABT_SAS(iss) (((iss) >> 22) & 3)
#define DABT_SSE (1u << 21)
#define DABT_SRT(iss) (((iss) >> 16) & 0x1f)
#define DABT_SF (1u << 15)
#define DABT_CM (1u << 8)
#define DABT_S1PTW (1u << 7)
#define DABT_WNR (1u << 6)
#define ABT_FNV (1u << 10)
#define FSC_TRANSLATION(fsc) (((fsc)&0x3c) == 0x04)

/** IPA of a stage-2 abort: HPFAR_EL2.FIPA (bits 43:4 = IPA 51:12) and the
 * page offset from FAR_EL2. */
static uint64_t abort_ipa(uint64_t far, uint64_t hpfar)
{
	return ((hpfar & 0x00000ffffffffff0ull) << 8) | (far & 0xfff);
}

static uint64_t reg_or_zero(const uint64_t x[31], uint32_t r)
{
	return r == 31 ? 0 : x[r];
}

enum exit_decoded arch_exit_decode(uint64_t esr, uint64_t far,
				   uint64_t hpfar, const uint64_t x[31],
				   uint64_t pc, struct vcpu_exit *e)
{
	uint32_t ec = (uint32_t)(esr >> 26) & 0x3f;
	uint32_t iss = (uint32_t)(esr & ISS_MASK);

	e->syndrome = esr;
	e->pc = pc;
	e->addr = 0;
	e->access = 0;
	e->value = 0;
	e->insn_len = (esr & ESR_IL) ? 4 : 2;
	switch (ec) {
	case EC_WFX:
		return (iss & 1) ? EXIT_WFE : EXIT_WFI;
	case EC_HVC64:
		e->kind = RIFT_EXIT_HVC;
		e->addr = iss & 0xffff;
		e->insn_len = 0; /* the return address is past the HVC */
		break;
	case EC_SMC64:
		e->kind = RIFT_EXIT_SMC;
		e->addr = iss & 0xffff;
		break;
	case EC_SYSREG: {
		uint32_t rt = (iss >> 5) & 0x1f;
		bool read = iss & 1;

		e->kind = RIFT_EXIT_SYSREG;
		e->addr = RIFT_EXIT_SYSREG_ENC((iss >> 20) & 3, (iss >> 14) & 7,
					       (iss >> 10) & 0xf,
					       (iss >> 1) & 0xf,
					       (iss >> 17) & 7);
		e->access = 8 | ((uint64_t)rt << 16) | RIFT_ACCESS_64 |
			    (read ? 0 : RIFT_ACCESS_WRITE);
		e->value = read ? 0 : reg_or_zero(x, rt);
		break;
	}
	case EC_IABT_LOW:
		e->kind = RIFT_EXIT_IABT;
		e->addr = (iss & ABT_FNV) ? 0 : abort_ipa(far, hpfar);
		break;
	case EC_DABT_LOW: {
		uint32_t size = 1u << DABT_SAS(iss);
		uint32_t rt = DABT_SRT(iss);
		bool write = iss & DABT_WNR;

		e->addr = abort_ipa(far, hpfar);
		if (!(iss & DABT_ISV) || (iss & (DABT_S1PTW | DABT_CM)) ||
		    !FSC_TRANSLATION(iss & 0x3f)) {
			/* Not a decodable access to an unmapped IPA: a
			 * load/store pair, a guest table walk into a hole,
			 * a permission fault on RAM. */
			e->kind = RIFT_EXIT_DABT;
			break;
		}
		e->kind = RIFT_EXIT_MMIO;
		e->access = size | ((uint64_t)rt << 16) |
			    (write ? RIFT_ACCESS_WRITE : 0) |
			    ((iss & DABT_SSE) ? RIFT_ACCESS_SIGN : 0) |
			    ((iss & DABT_SF) ? RIFT_ACCESS_64 : 0);
		if (write) {
			uint64_t v = reg_or_zero(x, rt);

			e->value = size == 8 ? v : v & ((1ull << (size * 8)) - 1);
		}
		break;
	}
	default:
		/* FAR_EL2 is UNKNOWN for most classes (another domain's
		 * fault address, say): never passed on. */
		e->kind = RIFT_EXIT_OTHER;
		break;
	}
	return EXIT_FOR_VMM;
}

/* NZCV, PAN, UAO, DIT, SSBS, DAIF and the mode; AArch64 EL0t/EL1t/EL1h. */
#define PSTATE_ALLOWED (0xf0000000ull | (7ull << 22) | (1ull << 12) | \
			(0xfull << 6) | 0x1full)

bool aarch64_pstate_ok(uint64_t val)
{
	uint64_t m = val & 0x1f;

	return (val & ~PSTATE_ALLOWED) == 0 && (m == 0 || m == 4 || m == 5);
}
