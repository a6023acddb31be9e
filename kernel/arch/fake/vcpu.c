/* SPDX-License-Identifier: MIT */
/*
 * The fake architecture's side of guests (rift/vcpu.h): no guest ever
 * runs; the state is memory, entering "presents" every deliverable
 * interrupt, and host tests drive exits with fake_guest_exit().
 */
#include <arch/exit_decode.h>
#include <arch/fake.h>
#include <rift/cpu.h>
#include <rift/sched.h>
#include <rift/vcpu.h>
#include <string.h>

uint32_t arch_vmid_bits(void)
{
	return fake_vmid_bits;
}

void arch_vcpu_init(struct vcpu *v, uint64_t mpidr)
{
	memset(&v->thread->ctx, 0, sizeof(v->thread->ctx));
	v->thread->ctx.spsr = 0x3c5;
	memset(&v->arch, 0, sizeof(v->arch));
	v->arch.sys[RIFT_VREG_MPIDR - VCPU_SYSREG_FIRST] = mpidr | (1ull << 31);
}

void arch_vcpu_enter(struct vcpu *v)
{
	struct cpu *c = this_cpu();
	int n;

	if (c->vcpu_loaded != v) {
		c->vcpu_loaded = v;
		v->arch.loads++;
	}
	c->in_guest = true;
	while ((n = vcpu_irq_next(v, 0)) >= 0) {
		vcpu_irq_taken(v, (uint32_t)n);
		v->arch.lr_pending++;
	}
	fake.vcpu_enters++;
}

void arch_vcpu_put(struct vcpu *v)
{
	if (this_cpu()->vcpu_loaded == v) {
		this_cpu()->vcpu_loaded = NULL;
	}
}

void arch_vcpu_destroy(struct vcpu *v)
{
	arch_vcpu_put(v);
}

int arch_vcpu_get_reg(struct vcpu *v, uint32_t id, uint64_t *val)
{
	if (id < VCPU_SYSREG_FIRST || id >= VCPU_SYSREG_FIRST + VCPU_SYSREGS) {
		return RIFT_KEINVAL;
	}
	*val = v->arch.sys[id - VCPU_SYSREG_FIRST];
	return RIFT_KOK;
}

int arch_vcpu_set_reg(struct vcpu *v, uint32_t id, uint64_t val)
{
	if (id < VCPU_SYSREG_FIRST || id >= VCPU_SYSREG_FIRST + VCPU_SYSREGS) {
		return RIFT_KEINVAL;
	}
	v->arch.sys[id - VCPU_SYSREG_FIRST] = val;
	return RIFT_KOK;
}

bool arch_vcpu_pstate_ok(uint64_t val)
{
	return aarch64_pstate_ok(val); /* the same rule (exit_decode.c) */
}

void arch_vcpu_inject_undef(struct vcpu *v)
{
	v->thread->ctx.elr = v->arch.sys[RIFT_VREG_VBAR_EL1 - VCPU_SYSREG_FIRST];
	fake.vcpu_undefs++;
}

bool arch_vcpu_irq_pending(struct vcpu *v)
{
	return v->arch.lr_pending != 0;
}

bool arch_vcpu_timer_due(struct vcpu *v, uint64_t now)
{
	uint64_t ctl = v->arch.sys[RIFT_VREG_CNTV_CTL - VCPU_SYSREG_FIRST];

	return (ctl & 3) == 1 &&
	       now >= v->arch.sys[RIFT_VREG_CNTV_CVAL - VCPU_SYSREG_FIRST];
}

void arch_set_guest_table(paddr_t root, uint16_t vmid)
{
	(void)root;
	(void)vmid;
	fake.set_guest_table++;
}

void arch_forget_guest_table(uint16_t vmid)
{
	(void)vmid;
}

void arch_vcpu_vtimer_reset(struct vcpu *v)
{
	(void)v;
}

void arch_tlb_flush_vmid(uint16_t vmid)
{
	(void)vmid;
	fake.tlb_flush_vmid++;
}

void arch_vcpu_boot(void)
{
}
