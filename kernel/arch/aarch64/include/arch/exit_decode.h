/* SPDX-License-Identifier: MIT */
/* Guest exit decoding (exit_decode.c: pure, host-tested). */
#ifndef ARCH_EXIT_DECODE_H
#define ARCH_EXIT_DECODE_H

#include <rift/types.h>

struct vcpu_exit;

enum exit_decoded {
	EXIT_FOR_VMM = 0, /**< *e describes an exit for the VMM */
	EXIT_WFI = 1,
	EXIT_WFE = 2,
};

/**
 * Decode the exit of syndrome @esr (ESR_EL2), @far (FAR_EL2), @hpfar
 * (HPFAR_EL2) with the guest's registers @x and PC @pc into @e.
 */
enum exit_decoded arch_exit_decode(uint64_t esr, uint64_t far,
				   uint64_t hpfar, const uint64_t x[31],
				   uint64_t pc, struct vcpu_exit *e);

/** May a VMM set the guest's PSTATE (SPSR format) to @val? AArch64 EL0t,
 * EL1t, EL1h with NZCV, DAIF, PAN, UAO, DIT, SSBS only (never EL2, never
 * AArch32, no IL or SS). Shared by the fake arch. */
bool aarch64_pstate_ok(uint64_t val);

#endif
