/* SPDX-License-Identifier: MIT */
/* CPU identity, interrupt masking, PSCI power control. */
#include <arch/sysreg.h>
#include <plat/board.h>
#include <rift/arch.h>
#include <rift/bootinfo.h>
#include <rift/cpu.h>

#define PSCI_SYSTEM_OFF 0x84000008u

const char *arch_mode_name(void)
{
	uint64_t el = (read_sysreg(CurrentEL) >> 2) & 3;
	uint64_t hcr = read_sysreg(hcr_el2);

	if (el == 2 && (hcr & HCR_E2H)) {
		return "EL2, VHE on (HCR_EL2.E2H=1, TGE=1)";
	}
	return el == 2 ? "EL2, VHE off" : "not EL2";
}

uint64_t arch_cpu_hwid(void)
{
	return read_sysreg(mpidr_el1) & 0xff00ffffffull;
}

void arch_cpu_set_local(struct cpu *c)
{
	write_sysreg(tpidr_el2, (uint64_t)(uintptr_t)c);
}

void arch_irq_enable(void)
{
	__asm__ volatile("msr daifclr, #2" ::: "memory");
}

void arch_irq_disable(void)
{
	__asm__ volatile("msr daifset, #2" ::: "memory");
}

void arch_wait_for_interrupt(void)
{
	__asm__ volatile("wfi" ::: "memory");
}

static uint64_t psci_call(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
{
	register uint64_t x0 __asm__("x0") = fn;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = a3;

	if (boot_info.psci_hvc) {
		__asm__ volatile("hvc #0"
				 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
				 :
				 : "memory");
	} else {
		__asm__ volatile("smc #0"
				 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
				 :
				 : "memory");
	}
	return x0;
}

void arch_system_off(void)
{
	arch_irq_disable();
	psci_call(PSCI_SYSTEM_OFF, 0, 0, 0);
	for (;;) {
		__asm__ volatile("wfi");
	}
}

void arch_panic_halt(void)
{
	arch_system_off();
}
