/* SPDX-License-Identifier: MIT */
/* PSCI decoding (vm_psci.h). */
#include "vm_psci.h"

#include <stddef.h>

int vm_psci_is_psci(uint64_t fn)
{
	uint64_t base = fn & ~(uint64_t)PSCI_64;

	return fn <= 0xffffffffu && base >= 0x84000000u &&
	       base <= 0x8400001fu;
}

int vm_psci_mpidr_to_cpu(uint64_t mpidr, uint32_t count)
{
	/* Aff3 (39:32), Aff2 (23:16) and Aff1 (15:8) are 0 for every vCPU. */
	if (mpidr & 0xff00ffff00ull || (mpidr & 0xff) >= count) {
		return -1;
	}
	return (int)(mpidr & 0xff);
}

static int64_t feature(uint64_t fn)
{
	switch (fn) {
	case PSCI_VERSION:
	case PSCI_CPU_OFF:
	case PSCI_CPU_ON:
	case PSCI_CPU_ON | PSCI_64:
	case PSCI_AFFINITY_INFO:
	case PSCI_AFFINITY_INFO | PSCI_64:
	case PSCI_MIGRATE_INFO_TYPE:
	case PSCI_SYSTEM_OFF:
	case PSCI_SYSTEM_RESET:
	case PSCI_FEATURES:
		return PSCI_SUCCESS;
	default:
		/* CPU_SUSPEND, SMCCC_VERSION and the rest: not offered. */
		return PSCI_NOT_SUPPORTED;
	}
}

static void cpu_on(const uint64_t x[4], const struct vm_psci_cpus *cpus,
		   int is64, struct vm_psci_action *out)
{
	uint64_t mask = is64 ? ~0ull : 0xffffffffull;
	int cpu = vm_psci_mpidr_to_cpu(x[1] & mask, cpus->count);

	if (cpu < 0) {
		out->ret = PSCI_INVALID_PARAMETERS;
		return;
	}
	if (cpus->on[cpu]) {
		out->ret = PSCI_ALREADY_ON;
		return;
	}
	out->act = VM_PSCI_CPU_ON;
	out->cpu = (uint32_t)cpu;
	out->entry = x[2] & mask;
	out->context = x[3] & mask;
	out->ret = PSCI_SUCCESS;
}

static void affinity_info(const uint64_t x[4], const struct vm_psci_cpus *cpus,
			  int is64, struct vm_psci_action *out)
{
	uint64_t mask = is64 ? ~0ull : 0xffffffffull;
	int cpu = vm_psci_mpidr_to_cpu(x[1] & mask, cpus->count);

	if (cpu < 0 || (x[2] & 0xffffffffu) != 0) {
		/* Only level 0 (one CPU) is asked about by Linux. */
		out->ret = PSCI_INVALID_PARAMETERS;
		return;
	}
	out->ret = cpus->on[cpu] ? 0 : 1; /* ON : OFF */
}

void vm_psci_decode(const uint64_t x[4], uint32_t caller,
		    const struct vm_psci_cpus *cpus,
		    struct vm_psci_action *out)
{
	uint64_t fn = x[0] & 0xffffffffu;
	int is64 = (fn & PSCI_64) != 0;

	(void)caller;
	out->act = VM_PSCI_RETURN;
	out->ret = PSCI_NOT_SUPPORTED;
	out->cpu = 0;
	out->entry = out->context = 0;
	if (x[0] >> 32) {
		return; /* bits 63:32 of a function id must be zero */
	}
	switch (fn) {
	case PSCI_VERSION:
		out->ret = PSCI_VERSION_1_0;
		break;
	case PSCI_CPU_OFF:
		out->act = VM_PSCI_CPU_OFF;
		out->ret = PSCI_SUCCESS;
		break;
	case PSCI_CPU_ON:
	case PSCI_CPU_ON | PSCI_64:
		cpu_on(x, cpus, is64, out);
		break;
	case PSCI_AFFINITY_INFO:
	case PSCI_AFFINITY_INFO | PSCI_64:
		affinity_info(x, cpus, is64, out);
		break;
	case PSCI_MIGRATE_INFO_TYPE:
		out->ret = 2; /* no trusted OS needing migration */
		break;
	case PSCI_SYSTEM_OFF:
		out->act = VM_PSCI_SYSTEM_OFF;
		out->ret = PSCI_SUCCESS;
		break;
	case PSCI_SYSTEM_RESET:
		out->act = VM_PSCI_SYSTEM_RESET;
		out->ret = PSCI_SUCCESS;
		break;
	case PSCI_FEATURES:
		out->ret = feature(x[1] & 0xffffffffu);
		break;
	default:
		break;
	}
}

const char *vm_psci_name(uint64_t fn)
{
	switch (fn & ~(uint64_t)PSCI_64) {
	case PSCI_VERSION:
		return "PSCI_VERSION";
	case PSCI_CPU_SUSPEND:
		return "CPU_SUSPEND";
	case PSCI_CPU_OFF:
		return "CPU_OFF";
	case PSCI_CPU_ON:
		return "CPU_ON";
	case PSCI_AFFINITY_INFO:
		return "AFFINITY_INFO";
	case PSCI_MIGRATE_INFO_TYPE:
		return "MIGRATE_INFO_TYPE";
	case PSCI_SYSTEM_OFF:
		return "SYSTEM_OFF";
	case PSCI_SYSTEM_RESET:
		return "SYSTEM_RESET";
	case PSCI_FEATURES:
		return "PSCI_FEATURES";
	default:
		return NULL;
	}
}
