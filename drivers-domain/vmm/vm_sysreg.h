/* SPDX-License-Identifier: MIT */
/*
 * Trapped system registers the VMM serves (docs/guests.md,
 * decisions/guest-unknown-sysregs.md), by the encoding the kernel passes
 * (RIFT_EXIT_SYSREG_ENC: op0 << 16 | op1 << 12 | CRn << 8 | CRm << 4 |
 * op2). Pure: host-tested.
 */
#ifndef VM_SYSREG_H
#define VM_SYSREG_H

#include <stdint.h>

enum vm_sysreg_class {
	VM_SYSREG_UNKNOWN, /**< read as zero, writes ignored, logged */
	VM_SYSREG_SGI,     /**< ICC_SGI1R_EL1: an SGI to other vCPUs */
	VM_SYSREG_DEBUG,   /**< debug and OS lock registers (op0 = 2) */
	VM_SYSREG_PMU,     /**< performance monitors */
	VM_SYSREG_RAS,     /**< RAS error records (ERR*) */
	VM_SYSREG_LOR,     /**< limited-ordering regions (LOR*) */
};

/** What the register with encoding @enc is. */
enum vm_sysreg_class vm_sysreg_class(uint64_t enc);

/** A name for @c ("debug", ...). */
const char *vm_sysreg_class_name(enum vm_sysreg_class c);

#endif
