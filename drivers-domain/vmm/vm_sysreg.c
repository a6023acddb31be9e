/* SPDX-License-Identifier: MIT */
/* Trapped system register classes (vm_sysreg.h). */
#include "vm_sysreg.h"

enum vm_sysreg_class vm_sysreg_class(uint64_t enc)
{
	uint32_t op0 = (uint32_t)(enc >> 16) & 3, op1 = (uint32_t)(enc >> 12) & 7;
	uint32_t crn = (uint32_t)(enc >> 8) & 15, crm = (uint32_t)(enc >> 4) & 15;
	uint32_t op2 = (uint32_t)enc & 7;

	if (enc >> 18) {
		return VM_SYSREG_UNKNOWN;
	}
	if (op0 == 3 && op1 == 0 && crn == 12 && crm == 11 && op2 == 5) {
		return VM_SYSREG_SGI;
	}
	if (op0 == 2) {
		return VM_SYSREG_DEBUG; /* MDSCR, OSLAR, OSDLR, DBGB*, DBGW* */
	}
	if (op0 == 3 && crn == 9 && crm >= 12) {
		return VM_SYSREG_PMU; /* PMCR ... PMUSERENR, PMINTEN* */
	}
	if (op0 == 3 && op1 == 3 && crn == 14 && crm >= 8) {
		return VM_SYSREG_PMU; /* PMEVCNTR<n>, PMEVTYPER<n>, PMCCFILTR */
	}
	if (op0 == 3 && op1 == 0 && crn == 5 && crm >= 3 && crm <= 5) {
		return VM_SYSREG_RAS; /* ERRIDR, ERRSELR, ERX* */
	}
	if (op0 == 3 && op1 == 0 && crn == 10 && crm == 4 && op2 <= 3) {
		return VM_SYSREG_LOR; /* LORSA, LOREA, LORN, LORC */
	}
	return VM_SYSREG_UNKNOWN;
}

const char *vm_sysreg_class_name(enum vm_sysreg_class c)
{
	static const char *const names[] = { "unknown", "SGI", "debug",
					     "PMU", "RAS", "LOR" };

	return (unsigned)c < sizeof(names) / sizeof(names[0]) ? names[c] :
								 "?";
}
