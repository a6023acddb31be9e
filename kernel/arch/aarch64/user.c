/* SPDX-License-Identifier: MIT */
/*
 * Running user domains at EL0 in the EL2&0 regime: exceptions from EL0,
 * thread register set-up, address-space switch, FP/SIMD trapping.
 */
#include <arch/sysreg.h>
#include <arch/trap.h>
#include <rift/arch.h>
#include <rift/cpu.h>
#include <rift/fastpath.h>
#include <rift/ipc.h>
#include <rift/irq.h>
#include <rift/printk.h>
#include <rift/sched.h>
#include <rift/syscall.h>
#include <rift/vcpu.h>
#include <string.h>

enum esr_ec {
	EC_UNKNOWN = 0x00,
	EC_FP = 0x07,
	EC_ILLEGAL = 0x0e,
	EC_SVC64 = 0x15,
	EC_SYSREG = 0x18,
	EC_IABT_LOW = 0x20,
	EC_PC_ALIGN = 0x22,
	EC_DABT_LOW = 0x24,
	EC_SP_ALIGN = 0x26,
	EC_BRK = 0x3c,
};

/** The IPC fast path can be turned off (rift.fastpath=off) to compare. */
bool fast_enabled = true;

#define CPACR_FPEN_SHIFT 20
#define CPACR_FPEN_EL0_TRAP (1ull << CPACR_FPEN_SHIFT) /* 01: trap EL0 only */
#define CPACR_FPEN_NONE (3ull << CPACR_FPEN_SHIFT)     /* 11: no trap */

void thread_fault(struct thread *t, uint32_t kind, uint64_t addr,
		  uint64_t syndrome)
{
	t->fault = (struct fault_info){ kind, addr, t->ctx.elr, syndrome };
	ipc_send_fault(t);
}

static void trap_user_fault(struct thread *t, struct trap_frame *f,
			    uint32_t ec)
{
	switch (ec) {
	case EC_DABT_LOW:
		thread_fault(t, RIFT_FAULT_DATA, f->far, f->esr);
		break;
	case EC_IABT_LOW:
		thread_fault(t, RIFT_FAULT_INSN, f->far, f->esr);
		break;
	case EC_PC_ALIGN:
	case EC_SP_ALIGN:
		thread_fault(t, RIFT_FAULT_ALIGN, f->far, f->esr);
		break;
	case EC_UNKNOWN:
	case EC_SYSREG:
	case EC_ILLEGAL:
		thread_fault(t, RIFT_FAULT_UNDEF, f->elr, f->esr);
		break;
	default:
		thread_fault(t, RIFT_FAULT_OTHER, f->elr, f->esr);
		break;
	}
}

static struct trap_frame *trap_el0_sync_locked(struct trap_frame *f);

/* Exceptions from user domains at EL0 (guests have their own vectors:
 * exception.S, guest_vectors). */
struct trap_frame *trap_el0_sync(struct trap_frame *f);
struct trap_frame *trap_el0_sync(struct trap_frame *f)
{
	struct trap_frame *next;

	kernel_lock_acquire();
	next = trap_el0_sync_locked(f);
	kernel_lock_release();
	return next;
}

static struct trap_frame *trap_el0_sync_locked(struct trap_frame *f)
{
	struct thread *t = sched_current();
	uint32_t ec = (uint32_t)(f->esr >> 26) & 0x3f;

	if (ec == EC_SVC64) {
		uint32_t nr = (uint32_t)f->esr & 0xffff;
		struct trap_frame *next = NULL;

		if (nr == RIFT_SYS_CALL && fast_enabled) {
			next = fastpath_call(t, f);
		} else if (nr == RIFT_SYS_REPLY_RECV && fast_enabled) {
			next = fastpath_reply_recv(t, f);
		}
		if (next) {
			return next;
		}
		syscall_dispatch(t, f, nr);
	} else if (ec == EC_FP) {
		fp_trap(t);
	} else {
		trap_user_fault(t, f, ec);
	}
	return sched_next();
}

struct trap_frame *trap_el0_irq(struct trap_frame *f);
struct trap_frame *trap_el0_irq(struct trap_frame *f)
{
	struct trap_frame *next;

	(void)f;
	kernel_lock_acquire();
	irq_handle();
	next = sched_next();
	kernel_lock_release();
	return next;
}

struct trap_frame *trap_el0_unexpected(struct trap_frame *f);
struct trap_frame *trap_el0_unexpected(struct trap_frame *f)
{
	struct trap_frame *next;

	kernel_lock_acquire();
	thread_fault(sched_current(), RIFT_FAULT_OTHER, f->elr, f->esr);
	next = sched_next();
	kernel_lock_release();
	return next;
}

void arch_thread_init_ctx(struct trap_frame *f, uint64_t pc, uint64_t sp,
			  uint64_t arg)
{
	for (int i = 0; i < 31; i++) {
		f->x[i] = 0;
	}
	f->x[0] = arg;
	f->sp = sp;
	f->elr = pc;
	f->spsr = 0; /* EL0t, all exceptions unmasked */
}

void arch_thread_save(struct thread *t)
{
	t->tls = read_sysreg(tpidr_el0);
}

void arch_thread_switch(struct thread *old, struct thread *new)
{
	if (old) {
		arch_thread_save(old);
	}
	write_sysreg(tpidr_el0, new->tls);
}

void arch_set_user_table(paddr_t root, uint16_t asid)
{
	write_sysreg(ttbr0_el2, root | ((uint64_t)asid << 48));
	isb();
}

void arch_tlb_flush_all_user(void)
{
	/* VHE host (E2H = TGE = 1): the EL1 form targets the EL2&0 regime,
	 * the kernel's global entries included (they refill; turnovers are
	 * rare). */
	dsb_ishst();
	__asm__ volatile("tlbi vmalle1is" ::: "memory");
	dsb_ish();
	isb();
}

void arch_tlb_flush_asid(uint16_t asid)
{
	dsb_ishst();
	__asm__ volatile("tlbi aside1is, %0" : : "r"((uint64_t)asid << 48));
	dsb_ish();
	isb();
}

/** Trap EL0's FP/SIMD use (lazy switching); writes only on a change. */
void arch_fp_trap_enable(bool trap)
{
	struct cpu *c = this_cpu();

	if (trap == c->fp_trapping) {
		return;
	}
	c->fp_trapping = trap;
	write_sysreg(cpacr_el1, trap ? CPACR_FPEN_EL0_TRAP : CPACR_FPEN_NONE);
	isb();
}



#define PMCR_E (1ull << 0)
#define PMCR_C (1ull << 2)
#define PMCR_LC (1ull << 6)
#define PMCCFILTR_NSH (1ull << 27) /* count at EL2 too */
#define PMCNTEN_C (1ull << 31)
#define PMUSERENR_EN (1ull << 0)
#define PMUSERENR_CR (1ull << 2)

/**
 * Start the cycle counter, counting EL0 and EL2. Under QEMU with
 * -icount shift=0 it advances exactly once per instruction, which is what
 * the benchmarks measure. EL0 may read it only when asked for on the
 * command line (rift.pmu=user): a cycle counter is a timing channel.
 */
bool pmu_user_open; /**< rift.pmu=user: guests may use the PMU too */

void arch_pmu_init(bool user_read)
{
	pmu_user_open = user_read;
	write_sysreg(mdcr_el2, read_sysreg(mdcr_el2) & ~((1ull << 6) | (1ull << 5)));
	write_sysreg(pmccfiltr_el0, PMCCFILTR_NSH);
	write_sysreg(pmcntenset_el0, PMCNTEN_C);
	write_sysreg(pmcr_el0, PMCR_E | PMCR_C | PMCR_LC);
	write_sysreg(pmuserenr_el0, user_read ? PMUSERENR_EN | PMUSERENR_CR : 0);
	isb();
}

static void asid_init(void);

/** Let EL0 read the counter (musl's clock_gettime) and use TTBR0. */
void arch_user_init(void)
{
	asid_init();
	/* CNTHCTL_EL2 with E2H: EL0PCTEN | EL0VCTEN (written whole by
	 * arch_vcpu_boot(), vcpu.c). */
	write_sysreg(cnthctl_el2, read_sysreg(cnthctl_el2) | 3);
	write_sysreg(tcr_el2, read_sysreg(tcr_el2) & ~TCR_EPD0);
	write_sysreg(cpacr_el1, CPACR_FPEN_NONE);
	this_cpu()->fp_trapping = false;
	arch_fp_trap_enable(true);
	isb();
}

/** ISR_EL1.I: a physical IRQ is pending, even while PSTATE.I masks it. */
bool arch_irq_pending(void)
{
	return (read_sysreg(isr_el1) & (1ull << 7)) != 0;
}

/** An SVC is always 4 bytes in AArch64: step back onto it. */
void arch_syscall_restart(struct trap_frame *f)
{
	f->elr -= 4;
}

static uint32_t asid_bits;

uint32_t arch_asid_bits(void)
{
	return asid_bits;
}

#define CTR_IDC (1ull << 28) /* no D-cache clean needed for I/D coherence */
#define CTR_DIC (1ull << 29) /* no I-cache invalidation needed */

/**
 * Bound: size / line size cache operations of each kind; callers keep size
 * at 4 KiB (64 lines of 64 bytes; EXEC_FRAME_MAX in domain.c).
 */
void arch_cache_sync_exec(const void *va, uint64_t size)
{
	uint64_t ctr = read_sysreg(ctr_el0);
	uint64_t dline = 4ull << ((ctr >> 16) & 0xf);
	uint64_t iline = 4ull << (ctr & 0xf);
	uint64_t start = (uint64_t)(uintptr_t)va;
	uint64_t end = start + size;

	if (!(ctr & CTR_IDC)) {
		for (uint64_t a = ALIGN_DOWN(start, dline); a < end; a += dline) {
			__asm__ volatile("dc cvau, %0" : : "r"(a) : "memory");
		}
	}
	__asm__ volatile("dsb ish" ::: "memory");
	if (!(ctr & CTR_DIC)) {
		for (uint64_t a = ALIGN_DOWN(start, iline); a < end; a += iline) {
			__asm__ volatile("ic ivau, %0" : : "r"(a) : "memory");
		}
		__asm__ volatile("dsb ish" ::: "memory");
	}
	__asm__ volatile("isb" ::: "memory");
}

/** Bound: size / line size DC CVAC; callers keep size at FRAME_ZERO_CHUNK
 * (1,024 lines) per step. */
void arch_clean_to_poc(const void *va, uint64_t size)
{
	uint64_t dline = 4ull << ((read_sysreg(ctr_el0) >> 16) & 0xf);
	uint64_t start = (uint64_t)(uintptr_t)va;

	for (uint64_t a = ALIGN_DOWN(start, dline); a < start + size; a += dline) {
		__asm__ volatile("dc cvac, %0" : : "r"(a) : "memory");
	}
	__asm__ volatile("dsb sy" ::: "memory");
}

/**
 * Zero @size bytes at @va (both page aligned) with DC ZVA, one cache block
 * (64 bytes on Neoverse N1) per instruction: 64 KiB is ~3,000 instructions
 * instead of ~25,000 with word stores. Falls back to stores where DC ZVA
 * is prohibited (DCZID_EL0.DZP).
 */
void arch_zero_pages(void *va, uint64_t size)
{
	uint64_t dczid = read_sysreg(dczid_el0);
	uint64_t block = 4ull << (dczid & 0xf);
	uint64_t a = (uint64_t)(uintptr_t)va;

	if ((dczid & (1u << 4)) || block > 4096) {
		memset(va, 0, size);
		return;
	}
	for (uint64_t end = a + size; a < end; a += block) {
		__asm__ volatile("dc zva, %0" : : "r"(a) : "memory");
	}
}

/** ASIDs as wide as the CPU has them: ID_AA64MMFR0_EL1.ASIDBits. */
static void asid_init(void)
{
	uint64_t tcr = read_sysreg(tcr_el2);

	asid_bits = ((read_sysreg(id_aa64mmfr0_el1) >> 4) & 0xf) == 2 ? 16 : 8;
	tcr = asid_bits == 16 ? (tcr | TCR_AS) : (tcr & ~TCR_AS);
	write_sysreg(tcr_el2, tcr);
	isb();
	__asm__ volatile("tlbi alle2\n dsb ish\n isb" ::: "memory");
}
