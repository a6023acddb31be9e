/* SPDX-License-Identifier: MIT */
/*
 * PSCI for guests (Arm DEN 0022, PSCI 1.0 over SMCCC): decoding a guest's
 * HVC or SMC into what the VMM must do. Pure and host-tested; the VMM
 * carries the action out (vmm.c).
 */
#ifndef VM_PSCI_H
#define VM_PSCI_H

#include <stdint.h>

/* Function ids: 32-bit calls 0x8400_00xx, 64-bit 0xc400_00xx. */
#define PSCI_VERSION 0x84000000u
#define PSCI_CPU_SUSPEND 0x84000001u
#define PSCI_CPU_OFF 0x84000002u
#define PSCI_CPU_ON 0x84000003u
#define PSCI_AFFINITY_INFO 0x84000004u
#define PSCI_MIGRATE_INFO_TYPE 0x84000006u
#define PSCI_SYSTEM_OFF 0x84000008u
#define PSCI_SYSTEM_RESET 0x84000009u
#define PSCI_FEATURES 0x8400000au
#define PSCI_64 0x40000000u /* the SMC64 bit: 0xc4000003 is CPU_ON64 */
#define SMCCC_VERSION 0x80000000u

/* Return codes (int32, sign-extended in x0). */
#define PSCI_SUCCESS 0
#define PSCI_NOT_SUPPORTED (-1)
#define PSCI_INVALID_PARAMETERS (-2)
#define PSCI_DENIED (-3)
#define PSCI_ALREADY_ON (-4)
#define PSCI_INTERNAL_FAILURE (-6)

#define PSCI_VERSION_1_0 0x00010000u
#define VM_PSCI_MAX_CPUS 8

enum vm_psci_act {
	VM_PSCI_RETURN,       /**< answer x0 = ret and resume the caller */
	VM_PSCI_CPU_ON,       /**< start vCPU `cpu` at entry with x0 = context */
	VM_PSCI_CPU_OFF,      /**< stop the calling vCPU */
	VM_PSCI_SYSTEM_OFF,   /**< the guest ends */
	VM_PSCI_SYSTEM_RESET, /**< the guest reboots */
};

/** What a call asks for. */
struct vm_psci_action {
	enum vm_psci_act act;
	int64_t ret;      /**< VM_PSCI_RETURN: the value for x0 */
	uint32_t cpu;     /**< CPU_ON: vCPU index */
	uint64_t entry;   /**< CPU_ON: guest PC */
	uint64_t context; /**< CPU_ON: guest x0 */
};

/** The guest's vCPUs as PSCI sees them. */
struct vm_psci_cpus {
	uint32_t count;                /**< vCPUs described to the guest */
	uint8_t on[VM_PSCI_MAX_CPUS];  /**< 1 while running */
};

/** Is @fn in the PSCI range (0x8400_0000..1f, 0xc400_0000..1f)? */
int vm_psci_is_psci(uint64_t fn);

/**
 * Decodes the call in x0..x3 (@x) from vCPU @caller. SMC32 function ids
 * take their arguments from the low 32 bits. Unknown ids answer
 * NOT_SUPPORTED, as SMCCC requires; nothing a guest passes is trusted.
 */
void vm_psci_decode(const uint64_t x[4], uint32_t caller,
		    const struct vm_psci_cpus *cpus,
		    struct vm_psci_action *out);

/** Affinity 0 of an MPIDR value maps to the vCPU index (Aff0 = index). */
int vm_psci_mpidr_to_cpu(uint64_t mpidr, uint32_t count);

/** The name of @fn for logs ("CPU_ON", ...), or NULL. */
const char *vm_psci_name(uint64_t fn);

#endif
