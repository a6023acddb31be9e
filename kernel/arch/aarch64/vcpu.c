/* SPDX-License-Identifier: MIT */
/*
 * The aarch64 world switch (docs/guests-kernel.md, "Register protocol").
 *
 * The host runs with HCR_EL2 = E2H | TGE | RW: user domains at EL0 in the
 * EL2&0 regime. A guest runs at EL1 with TGE = 0, stage 2 on (VM) and the
 * traps of HCR_GUEST. The EL1 system registers, the EL1 virtual timer and
 * the GIC's virtual CPU interface are not used by the host at all (with
 * E2H = TGE = 1 EL0 never sees them), so they are switched lazily: they
 * stay in the registers after a guest exit and are saved only when another
 * vCPU is loaded on this CPU, or the VMM reads or writes them. Per entry
 * and exit only HCR_EL2 changes (and the list registers are refilled if
 * interrupts wait); VTTBR_EL2 changes with the address space (domain
 * switch), FP/SIMD follows the lazy owner (loaded eagerly for a vCPU).
 *
 * Interrupts. The virtual timer's physical PPI (INTID 27) is the kernel's:
 * when it fires for the loaded vCPU, the PPI is masked at the
 * redistributor and virtual INTID 27 made pending; every list register
 * entry asks for an EOI maintenance interrupt (INTID 25), whose handler
 * frees the entry and, for the timer, unmasks the PPI again (a level
 * interrupt: it fires again if the guest did not reprogram the timer).
 * So more pending interrupts than list registers simply wait in the
 * vCPU's pending set until an entry is freed.
 */
#include <arch/sysreg.h>
#include <arch/trap.h>
#include <rift/arch.h>
#include <rift/bootinfo.h>
#include <rift/cpu.h>
#include <rift/fastpath.h>
#include <rift/irq.h>
#include <rift/printk.h>
#include <rift/sched.h>
#include <arch/exit_decode.h>
#include <rift/vcpu.h>
#include <string.h>

#define HCR_VM (1ull << 0)
#define HCR_SWIO (1ull << 1)
#define HCR_FMO (1ull << 3)
#define HCR_IMO (1ull << 4)
#define HCR_AMO (1ull << 5)
#define HCR_FB (1ull << 9)
#define HCR_BSU_IS (1ull << 10)
#define HCR_TWI (1ull << 13)
#define HCR_TWE (1ull << 14)
#define HCR_TSC (1ull << 19)
#define HCR_TIDCP (1ull << 20)
#define HCR_TACR (1ull << 21)
#define HCR_TLOR (1ull << 35)
#define HCR_TERR (1ull << 36)
#define HCR_TEA (1ull << 37)
/*
 * The guest's HCR_EL2: stage 2, physical interrupts and SErrors to EL2
 * (virtual ones to the guest), broadcast maintenance inner shareable, and
 * traps: WFI/WFE (block the vCPU), SMC (TSC: QEMU would answer PSCI SMCs
 * itself otherwise), implementation-defined registers (TIDCP), ACTLR, the
 * LORegion registers (shared, not switched), the RAS error records (shared
 * with the host; their fault injection could take the machine down), and
 * synchronous external aborts go to EL2 (TEA). E2H stays set: the
 * kernel's own regime does not change.
 */
#define HCR_GUEST (HCR_VM | HCR_SWIO | HCR_FMO | HCR_IMO | HCR_AMO | HCR_FB | \
		   HCR_BSU_IS | HCR_TWI | HCR_TWE | HCR_TSC | HCR_TIDCP |       \
		   HCR_TACR | HCR_TLOR | HCR_TERR | HCR_TEA | HCR_RW | HCR_E2H)

#define VTCR_T0SZ_48 16ull          /* 48-bit IPA (PT_IPA_END limits use) */
#define VTCR_SL0_L0 (2ull << 6)     /* 4 KiB granule: walks start at level 0 */
#define VTCR_IRGN0_WBWA (1ull << 8)
#define VTCR_ORGN0_WBWA (1ull << 10)
#define VTCR_SH0_INNER (3ull << 12)
#define VTCR_PS_SHIFT 16
#define VTCR_VS (1ull << 19)        /* 16-bit VMIDs */
#define VTCR_RES1 (1ull << 31)

/* CNTHCTL_EL2 in the E2H layout, written whole: host EL0 reads both
 * counters (musl's clock_gettime), a guest's EL1 reads the physical
 * counter; nobody below EL2 touches the EL1 physical timer or the event
 * stream, and the EL2 timers stay the kernel's. */
#define CNTHCTL_EL0PCTEN (1ull << 0)
#define CNTHCTL_EL0VCTEN (1ull << 1)
#define CNTHCTL_EL1PCTEN (1ull << 10)
#define CNTHCTL_VALUE (CNTHCTL_EL0PCTEN | CNTHCTL_EL0VCTEN | CNTHCTL_EL1PCTEN)

/* MDCR_EL2 while a guest runs: debug registers, OS lock and ROM tables
 * trap (the host's EL0 debug exceptions share them), and so do the PMU
 * and its control unless the command line opened the counter
 * (rift.pmu=user, the benchmarks); the statistical profiling unit too
 * where there is one. */
#define MDCR_TPMCR (1ull << 5)
#define MDCR_TPM (1ull << 6)
#define MDCR_TDA (1ull << 9)
#define MDCR_TDOSA (1ull << 10)
#define MDCR_TDRA (1ull << 11)
#define MDCR_TPMS (1ull << 14)

#define ICH_HCR_EN (1ull << 0)
#define ICH_LR_PENDING (1ull << 62)
#define ICH_LR_STATE (3ull << 62)
#define ICH_LR_GROUP1 (1ull << 60)
#define ICH_LR_EOI (1ull << 41)
#define ICH_LR_PRIO_SHIFT 48

#define CNTV_ENABLE 1ull
#define CNTV_IMASK 2ull
#define CNTV_ISTATUS 4ull

#define PSR_EL1H 0x5ull
#define PSR_DAIF (0xfull << 6)
#define SCTLR_EL1_RESET 0x30d00800ull /* RES1 bits; MMU and caches off */
#define ESR_IL (1ull << 25)

#define SYS(id) ((id)-VCPU_SYSREG_FIRST)

extern char vectors[], guest_vectors[]; /* exception.S */
extern bool fast_enabled; /* user.c: rift.fastpath= */
extern bool pmu_user_open; /* user.c: rift.pmu=user */

static uint32_t vgic_lrs;      /**< list registers (ICH_VTR_EL2.ListRegs + 1) */
static uint32_t vmid_bits;
static uint32_t vtimer_intid;  /**< EL1 virtual timer PPI */
static uint32_t maint_intid;   /**< GIC maintenance PPI */
static bool vtimer_masked[BOOT_MAX_CPUS]; /**< PPI masked until the guest's EOI */
static uint64_t mdcr_host, mdcr_guest;

uint32_t arch_vmid_bits(void)
{
	return vmid_bits;
}

/* ---- list registers: one system register each, named in the opcode */

static uint64_t lr_read(uint32_t i)
{
	switch (i) {
	case 0: return read_sysreg(ich_lr0_el2);
	case 1: return read_sysreg(ich_lr1_el2);
	case 2: return read_sysreg(ich_lr2_el2);
	case 3: return read_sysreg(ich_lr3_el2);
	case 4: return read_sysreg(ich_lr4_el2);
	case 5: return read_sysreg(ich_lr5_el2);
	case 6: return read_sysreg(ich_lr6_el2);
	case 7: return read_sysreg(ich_lr7_el2);
	case 8: return read_sysreg(ich_lr8_el2);
	case 9: return read_sysreg(ich_lr9_el2);
	case 10: return read_sysreg(ich_lr10_el2);
	case 11: return read_sysreg(ich_lr11_el2);
	case 12: return read_sysreg(ich_lr12_el2);
	case 13: return read_sysreg(ich_lr13_el2);
	case 14: return read_sysreg(ich_lr14_el2);
	default: return read_sysreg(ich_lr15_el2);
	}
}

static void lr_write(uint32_t i, uint64_t v)
{
	switch (i) {
	case 0: write_sysreg(ich_lr0_el2, v); break;
	case 1: write_sysreg(ich_lr1_el2, v); break;
	case 2: write_sysreg(ich_lr2_el2, v); break;
	case 3: write_sysreg(ich_lr3_el2, v); break;
	case 4: write_sysreg(ich_lr4_el2, v); break;
	case 5: write_sysreg(ich_lr5_el2, v); break;
	case 6: write_sysreg(ich_lr6_el2, v); break;
	case 7: write_sysreg(ich_lr7_el2, v); break;
	case 8: write_sysreg(ich_lr8_el2, v); break;
	case 9: write_sysreg(ich_lr9_el2, v); break;
	case 10: write_sysreg(ich_lr10_el2, v); break;
	case 11: write_sysreg(ich_lr11_el2, v); break;
	case 12: write_sysreg(ich_lr12_el2, v); break;
	case 13: write_sysreg(ich_lr13_el2, v); break;
	case 14: write_sysreg(ich_lr14_el2, v); break;
	default: write_sysreg(ich_lr15_el2, v); break;
	}
}

/* ---- EL1 state: RIFT_VREG_* id -> register (E2H: *_EL12 aliases) */

#define EL1_REGS(X)                                  \
	X(RIFT_VREG_SP_EL1, sp_el1)                  \
	X(RIFT_VREG_ELR_EL1, elr_el12)               \
	X(RIFT_VREG_SPSR_EL1, spsr_el12)             \
	X(RIFT_VREG_SCTLR_EL1, sctlr_el12)           \
	X(RIFT_VREG_TTBR0_EL1, ttbr0_el12)           \
	X(RIFT_VREG_TTBR1_EL1, ttbr1_el12)           \
	X(RIFT_VREG_TCR_EL1, tcr_el12)               \
	X(RIFT_VREG_MAIR_EL1, mair_el12)             \
	X(RIFT_VREG_VBAR_EL1, vbar_el12)             \
	X(RIFT_VREG_ESR_EL1, esr_el12)               \
	X(RIFT_VREG_FAR_EL1, far_el12)               \
	X(RIFT_VREG_TPIDR_EL1, tpidr_el1)            \
	X(RIFT_VREG_CONTEXTIDR_EL1, contextidr_el12) \
	X(RIFT_VREG_CPACR_EL1, cpacr_el12)           \
	X(RIFT_VREG_CNTKCTL_EL1, cntkctl_el12)       \
	X(RIFT_VREG_MPIDR, vmpidr_el2)               \
	X(RIFT_VREG_PAR_EL1, par_el1)                \
	X(RIFT_VREG_AFSR0_EL1, afsr0_el12)           \
	X(RIFT_VREG_AFSR1_EL1, afsr1_el12)           \
	X(RIFT_VREG_AMAIR_EL1, amair_el12)           \
	X(RIFT_VREG_CSSELR_EL1, csselr_el1)
/* Not lazy: TPIDRRO_EL0 (host EL0 can read it: switched on every entry and
 * exit) and MDSCR_EL1 (shared with the host's EL0 debug: the guest's
 * accesses trap, MDCR_EL2.TDA, and the value is only the VMM's to emulate,
 * never loaded). */

static __attribute__((noinline)) void vcpu_load(struct cpu *c, struct vcpu *v)
{
	struct arch_vcpu *a = &v->arch;

#define LOAD(id, reg) write_sysreg(reg, a->sys[SYS(id)]);
	EL1_REGS(LOAD)
#undef LOAD
	write_sysreg(cntvoff_el2, a->sys[SYS(RIFT_VREG_CNTVOFF)]);
	write_sysreg(cntv_cval_el02, a->sys[SYS(RIFT_VREG_CNTV_CVAL)]);
	write_sysreg(cntv_ctl_el02, a->sys[SYS(RIFT_VREG_CNTV_CTL)]);
	write_sysreg(ich_vmcr_el2, a->vmcr);
	write_sysreg(ich_ap0r0_el2, a->ap0r0);
	write_sysreg(ich_ap1r0_el2, a->ap1r0);
	for (uint32_t i = 0; i < vgic_lrs; i++) {
		lr_write(i, a->lr[i]);
	}
	write_sysreg(ich_hcr_el2, ICH_HCR_EN);
	c->vcpu_loaded = v;
}

static __attribute__((noinline)) void vcpu_save(struct cpu *c, struct vcpu *v)
{
	struct arch_vcpu *a = &v->arch;

#define SAVE(id, reg) a->sys[SYS(id)] = read_sysreg(reg);
	EL1_REGS(SAVE)
#undef SAVE
	a->sys[SYS(RIFT_VREG_CNTV_CTL)] = read_sysreg(cntv_ctl_el02);
	a->sys[SYS(RIFT_VREG_CNTV_CVAL)] = read_sysreg(cntv_cval_el02);
	a->sys[SYS(RIFT_VREG_CNTVOFF)] = read_sysreg(cntvoff_el2);
	/* Its timer must not fire for the next vCPU (the kernel tick
	 * watches it while it is not loaded: vcpu_tick()). */
	write_sysreg(cntv_ctl_el02, 0);
	a->vmcr = read_sysreg(ich_vmcr_el2);
	a->ap0r0 = read_sysreg(ich_ap0r0_el2);
	a->ap1r0 = read_sysreg(ich_ap1r0_el2);
	for (uint32_t i = 0; i < vgic_lrs; i++) {
		a->lr[i] = lr_read(i);
		lr_write(i, 0);
	}
	write_sysreg(ich_hcr_el2, 0);
	isb();
	if (vtimer_masked[c->id]) {
		vtimer_masked[c->id] = false;
		irqc_enable(vtimer_intid, IRQ_LEVEL);
	}
	c->vcpu_loaded = NULL;
}

void arch_vcpu_put(struct vcpu *v)
{
	struct cpu *c = this_cpu();

	if (c->vcpu_loaded == v) {
		vcpu_save(c, v);
	}
}

void arch_vcpu_destroy(struct vcpu *v)
{
	arch_vcpu_put(v);
}

void arch_vcpu_init(struct vcpu *v, uint64_t mpidr)
{
	struct trap_frame *g = &v->thread->ctx;
	struct arch_vcpu *a = &v->arch;

	memset(g, 0, sizeof(*g));
	g->spsr = PSR_DAIF | PSR_EL1H;
	memset(a, 0, sizeof(*a));
	a->sys[SYS(RIFT_VREG_SCTLR_EL1)] = SCTLR_EL1_RESET;
	a->sys[SYS(RIFT_VREG_MPIDR)] = (mpidr & 0xff00ffffffull) | (1ull << 31);
	a->hcr = HCR_GUEST;
}

int arch_vcpu_get_reg(struct vcpu *v, uint32_t id, uint64_t *val)
{
	if (id < VCPU_SYSREG_FIRST || id >= VCPU_SYSREG_FIRST + VCPU_SYSREGS) {
		return RIFT_KEINVAL;
	}
	arch_vcpu_put(v);
	*val = v->arch.sys[SYS(id)];
	return RIFT_KOK;
}

int arch_vcpu_set_reg(struct vcpu *v, uint32_t id, uint64_t val)
{
	if (id < VCPU_SYSREG_FIRST || id >= VCPU_SYSREG_FIRST + VCPU_SYSREGS) {
		return RIFT_KEINVAL;
	}
	if (id == RIFT_VREG_MPIDR) {
		val = (val & 0xff00ffffffull) | (1ull << 31);
	}
	arch_vcpu_put(v);
	v->arch.sys[SYS(id)] = val;
	return RIFT_KOK;
}

bool arch_vcpu_pstate_ok(uint64_t val)
{
	return aarch64_pstate_ok(val);
}

/** An undefined-instruction exception taken to the guest's EL1, as the
 * hardware would: ESR/ELR/SPSR_EL1, then its vector. */
void arch_vcpu_inject_undef(struct vcpu *v)
{
	struct trap_frame *g = &v->thread->ctx;
	uint64_t *sys = v->arch.sys;
	uint64_t mode = g->spsr & 0x1f;
	uint64_t off = (mode & 0x10) ? 0x600 : /* from AArch32 EL0 */
		       mode == 0 ? 0x400 : mode == 4 ? 0x000 : 0x200;

	arch_vcpu_put(v);
	sys[SYS(RIFT_VREG_ESR_EL1)] = ESR_IL; /* EC 0: unknown reason */
	sys[SYS(RIFT_VREG_ELR_EL1)] = g->elr;
	sys[SYS(RIFT_VREG_SPSR_EL1)] = g->spsr;
	g->spsr = PSR_DAIF | PSR_EL1H | (g->spsr & (1ull << 22));
	g->elr = sys[SYS(RIFT_VREG_VBAR_EL1)] + off;
}

static bool timer_firing(uint64_t ctl)
{
	return (ctl & (CNTV_ENABLE | CNTV_IMASK | CNTV_ISTATUS)) ==
	       (CNTV_ENABLE | CNTV_ISTATUS);
}

bool arch_vcpu_irq_pending(struct vcpu *v)
{
	struct cpu *c = this_cpu();
	bool loaded = c->vcpu_loaded == v;

	for (uint32_t i = 0; i < vgic_lrs; i++) {
		uint64_t lr = loaded ? lr_read(i) : v->arch.lr[i];

		if (lr & ICH_LR_PENDING) {
			return true;
		}
	}
	if (loaded) {
		return !vtimer_masked[c->id] &&
		       timer_firing(read_sysreg(cntv_ctl_el02));
	}
	return arch_vcpu_timer_due(v, arch_counter());
}

bool arch_vcpu_timer_due(struct vcpu *v, uint64_t now)
{
	const uint64_t *sys = v->arch.sys;
	uint64_t ctl = sys[SYS(RIFT_VREG_CNTV_CTL)];

	if (this_cpu()->vcpu_loaded == v ||
	    (ctl & (CNTV_ENABLE | CNTV_IMASK)) != CNTV_ENABLE) {
		return false;
	}
	return now - sys[SYS(RIFT_VREG_CNTVOFF)] >= sys[SYS(RIFT_VREG_CNTV_CVAL)];
}

/** Fill free list registers with deliverable interrupts (lowest INTID
 * first), skipping any INTID an entry still holds. */
static __attribute__((noinline)) void vgic_flush(struct vcpu *v)
{
	uint64_t used = 0;
	uint32_t from = 0;
	uint64_t elrsr;

	elrsr = read_sysreg(ich_elrsr_el2);
	for (uint32_t i = 0; i < vgic_lrs; i++) {
		if (!(elrsr & (1ull << i))) {
			used |= 1ull << i;
		}
	}
	for (uint32_t i = 0; i < vgic_lrs; i++) {
		int n;

		if (used & (1ull << i)) {
			continue;
		}
		for (;;) {
			bool busy = false;

			n = vcpu_irq_next(v, from);
			if (n < 0) {
				return;
			}
			for (uint32_t j = 0; j < vgic_lrs; j++) {
				if ((used & (1ull << j)) &&
				    (uint32_t)v->arch.lr[j] == (uint32_t)n) {
					busy = true;
				}
			}
			from = (uint32_t)n + 1;
			if (!busy) {
				break;
			}
		}
		v->arch.lr[i] = ICH_LR_PENDING | ICH_LR_GROUP1 | ICH_LR_EOI |
				((uint64_t)v->virq_prio[n] << ICH_LR_PRIO_SHIFT) |
				(uint32_t)n;
		lr_write(i, v->arch.lr[i]);
		used |= 1ull << i;
		vcpu_irq_taken(v, (uint32_t)n);
	}
}

/** EOI maintenance: the guest deactivated interrupts; free their entries. */
static void vgic_maintenance(uint32_t intid)
{
	struct cpu *c = this_cpu();
	struct vcpu *v = c->vcpu_loaded;
	uint64_t eisr;

	(void)intid;
	if (!v) {
		return;
	}
	eisr = read_sysreg(ich_eisr_el2);
	for (uint32_t i = 0; i < vgic_lrs; i++) {
		if (!(eisr & (1ull << i))) {
			continue;
		}
		if ((uint32_t)v->arch.lr[i] == RIFT_VTIMER_INTID &&
		    vtimer_masked[c->id]) {
			vtimer_masked[c->id] = false;
			irqc_enable(vtimer_intid, IRQ_LEVEL);
		}
		v->arch.lr[i] = 0;
		lr_write(i, 0);
	}
	v->vgic_maint++;
}

void arch_vcpu_vtimer_reset(struct vcpu *v)
{
	struct cpu *c = this_cpu();

	if (c->vcpu_loaded == v && vtimer_masked[c->id]) {
		vtimer_masked[c->id] = false;
		irqc_enable(vtimer_intid, IRQ_LEVEL);
	}
}

/** The loaded vCPU's virtual timer fired: mask the PPI until the guest
 * has taken the virtual interrupt, and make it pending. */
static void vtimer_irq(uint32_t intid)
{
	struct cpu *c = this_cpu();
	struct vcpu *v = c->vcpu_loaded;

	if (!v || !timer_firing(read_sysreg(cntv_ctl_el02))) {
		return;
	}
	irqc_disable(intid);
	vtimer_masked[c->id] = true;
	vcpu_raise(v, RIFT_VTIMER_INTID);
}

void arch_set_guest_table(paddr_t root, uint16_t vmid)
{
	uint64_t v = root | ((uint64_t)vmid << 48);
	struct cpu *c = this_cpu();

	if (c->vttbr != v) { /* TLB flushes put it back as they found it */
		c->vttbr = v;
		write_sysreg(vttbr_el2, v);
	}
}

void arch_forget_guest_table(uint16_t vmid)
{
	struct cpu *c = this_cpu();

	if ((c->vttbr >> 48) == vmid) { /* no pointer to a freed table */
		c->vttbr = 0;
		write_sysreg(vttbr_el2, 0);
		isb();
	}
}

void arch_tlb_flush_vmid(uint16_t vmid)
{
	uint64_t old = read_sysreg(vttbr_el2);

	/* TLBI VMALLS12E1IS acts on the VMID in VTTBR_EL2. */
	dsb_ishst();
	write_sysreg(vttbr_el2, (uint64_t)vmid << 48);
	isb();
	__asm__ volatile("tlbi vmalls12e1is" ::: "memory");
	dsb_ish();
	write_sysreg(vttbr_el2, old);
	isb();
}

/** The rare part of entering: another vCPU's state (or none) in the
 * registers, the FP/SIMD registers someone else's, interrupts to present. */
static __attribute__((noinline)) void vcpu_enter_slow(struct cpu *c,
						      struct vcpu *v)
{
	if (c->vcpu_loaded != v) {
		if (c->vcpu_loaded) {
			vcpu_save(c, c->vcpu_loaded);
		}
		vcpu_load(c, v);
	}
	/* FP/SIMD: eagerly the guest's. CPTR_EL2 stays as the lazy
	 * switching left it: its "trap EL0" setting (FPEN = 01) traps
	 * nothing while TGE = 0, so the VMM's next FP use still traps and
	 * the world switch writes no CPTR. */
	fp_claim(v->thread);
	if (v->virq_count) {
		vgic_flush(v);
	}
}

void arch_vcpu_enter(struct vcpu *v)
{
	struct cpu *c = this_cpu();

	if (unlikely(c->vcpu_loaded != v || c->fp_owner != v->thread ||
		     v->virq_count)) {
		vcpu_enter_slow(c, v);
	}
	write_sysreg(tpidrro_el0, v->arch.sys[SYS(RIFT_VREG_TPIDRRO_EL0)]);
	write_sysreg(mdcr_el2, mdcr_guest);
	/* ERET synchronizes the context: the guest runs with it. */
	write_sysreg(hcr_el2, v->arch.hcr);
	write_sysreg(vbar_el2, (uint64_t)(uintptr_t)guest_vectors);
	c->in_guest = true;
}

/** Back to the host world: first thing on every exception from a guest. */
static void guest_world_exit(struct cpu *c)
{
	struct vcpu *v = c->vcpu_loaded; /* the one that ran */

	write_sysreg(hcr_el2, HCR_HOST);
	write_sysreg(vbar_el2, (uint64_t)(uintptr_t)vectors);
	write_sysreg(mdcr_el2, mdcr_host);
	v->arch.sys[SYS(RIFT_VREG_TPIDRRO_EL0)] = read_sysreg(tpidrro_el0);
	write_sysreg(tpidrro_el0, 0); /* host EL0 can read it */
	isb();
	c->in_guest = false;
}

/** After a guest exit: back into the vCPU that ran, unless the
 * scheduler switched (sched_next() enters a vCPU it switches to). */
static struct trap_frame *guest_resume(struct trap_frame *next)
{
	struct cpu *c = this_cpu();
	struct thread *t = c->current;

	if (t->vcpu && !c->in_guest) {
		arch_vcpu_enter(t->vcpu);
	}
	return next;
}

struct trap_frame *trap_guest_sync(struct trap_frame *f);
struct trap_frame *trap_guest_sync(struct trap_frame *f)
{
	struct cpu *c = this_cpu();
	uint64_t hpfar = read_sysreg(hpfar_el2);
	struct trap_frame *next;
	struct vcpu *v;

	guest_world_exit(c);
	kernel_lock_acquire();
	v = c->current->vcpu;
	if (likely((f->esr >> 26) == 0x16)) { /* HVC: the hot exit, inline */
		struct vcpu_exit *e = &v->exit;

		e->kind = RIFT_EXIT_HVC;
		e->insn_len = 0;
		e->syndrome = f->esr;
		e->pc = f->elr;
		e->addr = f->esr & 0xffff;
		e->access = 0;
		e->value = 0;
		goto to_vmm;
	}
	switch (arch_exit_decode(f->esr, f->far, hpfar, f->x, f->elr,
				 &v->exit)) {
	case EXIT_WFI:
		f->elr += 4;
		vcpu_wfi(v, false);
		break;
	case EXIT_WFE:
		f->elr += 4;
		vcpu_wfi(v, true);
		break;
	default:
to_vmm:
		if (fast_enabled) {
			next = fastpath_vcpu_exit(c->current, v);
			if (next) {
				kernel_lock_release();
				return next;
			}
		}
		vcpu_handle_exit(v);
		break;
	}
	next = guest_resume(sched_next());
	kernel_lock_release();
	return next;
}

struct trap_frame *trap_guest_irq(struct trap_frame *f);
struct trap_frame *trap_guest_irq(struct trap_frame *f)
{
	struct trap_frame *next;

	(void)f;
	guest_world_exit(this_cpu());
	kernel_lock_acquire();
	irq_handle();
	next = guest_resume(sched_next());
	kernel_lock_release();
	return next;
}

/** FIQ or SError from a guest: an exit the VMM hears of. */
struct trap_frame *trap_guest_unexpected(struct trap_frame *f);
struct trap_frame *trap_guest_unexpected(struct trap_frame *f)
{
	struct cpu *c = this_cpu();
	struct trap_frame *next;
	struct vcpu *v;

	guest_world_exit(c);
	kernel_lock_acquire();
	v = c->current->vcpu;
	/* FIQ or SError: ESR_EL2 is the SError's syndrome (or stale, for an
	 * FIQ), FAR_EL2 is stale: neither may reach the VMM. */
	arch_exit_decode(0, 0, 0, f->x, f->elr, &v->exit);
	v->exit.kind = RIFT_EXIT_OTHER;
	vcpu_handle_exit(v);
	next = guest_resume(sched_next());
	kernel_lock_release();
	return next;
}

void arch_vcpu_boot(void)
{
	uint64_t mmfr0 = read_sysreg(id_aa64mmfr0_el1);
	uint64_t mmfr1 = read_sysreg(id_aa64mmfr1_el1);
	uint64_t vtcr;
	int node;
	uint32_t ppi;

	vmid_bits = ((mmfr1 >> 4) & 0xf) == 2 ? 16 : 8;
	vtcr = VTCR_T0SZ_48 | VTCR_SL0_L0 | VTCR_IRGN0_WBWA | VTCR_ORGN0_WBWA |
	       VTCR_SH0_INNER | ((mmfr0 & 7) << VTCR_PS_SHIFT) | VTCR_RES1 |
	       (vmid_bits == 16 ? VTCR_VS : 0);
	write_sysreg(vtcr_el2, vtcr);
	write_sysreg(vttbr_el2, 0);
	write_sysreg(vpidr_el2, read_sysreg(midr_el1));
	write_sysreg(cnthctl_el2, CNTHCTL_VALUE);
	write_sysreg(ich_hcr_el2, 0);
	write_sysreg(mdscr_el1, 0);
	write_sysreg(tpidrro_el0, 0);
	mdcr_host = read_sysreg(mdcr_el2);
	mdcr_guest = mdcr_host | MDCR_TDA | MDCR_TDOSA | MDCR_TDRA;
	if (!(mdcr_host & MDCR_TPM) && !pmu_user_open) {
		mdcr_guest |= MDCR_TPM | MDCR_TPMCR;
	}
	if (((read_sysreg(id_aa64dfr0_el1) >> 32) & 0xf) != 0) {
		mdcr_guest |= MDCR_TPMS; /* SPE present */
	}
	isb();
	vgic_lrs = (uint32_t)(read_sysreg(ich_vtr_el2) & 0x1f) + 1;
	/* Interrupt numbers from the device tree: the GIC's maintenance
	 * PPI, the timer's third entry (EL1 virtual timer). */
	maint_intid = 25;
	node = dt_find_compatible(boot_info.fdt, "arm,gic-v3");
	if (node >= 0 && dt_cell(boot_info.fdt, node, "interrupts", 1, &ppi) == 0) {
		maint_intid = ppi + 16;
	}
	vtimer_intid = RIFT_VTIMER_INTID;
	node = dt_find_compatible(boot_info.fdt, "arm,armv8-timer");
	if (node >= 0 && dt_cell(boot_info.fdt, node, "interrupts", 7, &ppi) == 0) {
		vtimer_intid = ppi + 16;
	}
	irq_register(maint_intid, vgic_maintenance, IRQ_LEVEL);
	irq_register(vtimer_intid, vtimer_irq, IRQ_LEVEL);
	printk("guests: stage 2 with %u-bit VMIDs, %u list registers, "
	       "maintenance INTID %u, virtual timer INTID %u\n",
	       vmid_bits, vgic_lrs, maint_intid, vtimer_intid);
}
