/* SPDX-License-Identifier: MIT */
/*
 * The EL2 physical timer (CNTHP_*): the kernel's tick. Its interrupt number
 * comes from the arm,armv8-timer node (fourth entry: hypervisor timer).
 */
#include <arch/sysreg.h>
#include <rift/arch.h>
#include <rift/bootinfo.h>
#include <rift/cpu.h>
#include <rift/irq.h>
#include <rift/printk.h>
#include <rift/sched.h>

#define CNTHP_CTL_ENABLE 1u

static uint64_t timer_period;
static uint32_t timer_intid;

uint32_t arch_timer_intid(void)
{
	return timer_intid;
}

uint64_t arch_counter(void)
{
	isb();
	return read_sysreg(cntpct_el0);
}

uint64_t arch_counter_freq(void)
{
	return read_sysreg(cntfrq_el0);
}

static void timer_tick(uint32_t intid)
{
	(void)intid;
	this_cpu()->ticks++;
	sched_tick();
	irq_tick_notify();
	write_sysreg(cnthp_tval_el2, timer_period);
}

void arch_timer_init(uint32_t hz)
{
	int node = dt_find_compatible(boot_info.fdt, "arm,armv8-timer");
	uint32_t ppi;

	if (node < 0 || dt_cell(boot_info.fdt, node, "interrupts", 10, &ppi)) {
		panic("device tree: no arm,armv8-timer node with the EL2 "
		      "timer interrupt");
	}
	timer_period = arch_counter_freq() / hz;
	timer_intid = ppi + 16;
	irq_register(ppi + 16, timer_tick, IRQ_LEVEL);
	write_sysreg(cnthp_tval_el2, timer_period);
	write_sysreg(cnthp_ctl_el2, CNTHP_CTL_ENABLE);
	isb();
	printk("timer: EL2 physical timer, INTID %u, %lu Hz counter, %u Hz "
	       "tick\n",
	       ppi + 16, (unsigned long)arch_counter_freq(), hz);
}
