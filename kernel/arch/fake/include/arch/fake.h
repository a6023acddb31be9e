/* SPDX-License-Identifier: MIT */
/*
 * The fake architecture: the kernel core (kernel/core) built for the host,
 * with kernel/arch/fake standing in for kernel/arch/aarch64 (the Hafnium
 * src/arch/fake idea). This header is the harness side: what a host test
 * or fuzzer drives and observes. The arch side implements rift/arch.h,
 * rift/sched.h's arch_* functions, rift/irq.h's irqc_* controller and
 * rift/pl011.h over plain memory:
 *
 *  - "physical" memory is one host arena at FAKE_RAM_BASE; phys_to_virt()
 *    and virt_to_phys() are offsets. The real kmem_init() brings the real
 *    allocator (pmm.c) up over it from a fake boot_info.
 *  - Every page the allocator hands out is unpoisoned, every page it takes
 *    back is poisoned with ASan's manual poisoning, so any access to a
 *    freed object is reported (pmm_alloc/pmm_alloc_near/pmm_free are
 *    wrapped with the linker's --wrap; see KCORE_WRAP in tests/unit/kcore.mk).
 *  - The console (pl011_putc) appends to a log buffer; panic() ends in
 *    arch_panic_halt(), which longjmps to a FAKE_TRY() if one is armed and
 *    otherwise prints the log and aborts.
 *  - Traps are function calls: fake_svc() is an EL0 `svc #nr` by the current
 *    thread (fast path, dispatcher, sched_next(), as the aarch64 entry
 *    does); fake_interrupt() is an IRQ taken from EL0 or while idle.
 *    Idling with nothing pending ends the trap with FAKE_IDLE.
 *    A call the kernel restarts (RIFT_KPREEMPT, arch_syscall_restart())
 *    is marked in the thread's own frame; the harness issues it again
 *    (fake_restart_pending()). arch_irq_pending(), the preemption test,
 *    is true when an enabled interrupt is pending, or when the harness
 *    says so (fake_preempt_after(), fake_preempt_every()).
 *  - TLB and cache maintenance, zeroing, address-space and thread
 *    switches, FP save/restore are counted in `fake`; table barriers in
 *    fake_pt_publish_count (<arch/barrier.h>).
 */
#ifndef ARCH_FAKE_H
#define ARCH_FAKE_H

#include <rift/types.h>
#include <setjmp.h>

struct thread;
struct trap_frame;

#define FAKE_RAM_BASE 0x40000000ull
#define FAKE_GIC_BASE 0x08000000ull /* fake interrupt controller registers */
#define FAKE_GIC_SIZE 0x00200000ull
#define FAKE_TIMER_INTID 26 /* the kernel's tick (a PPI, as on aarch64) */
#define FAKE_SPI_COUNT 988  /* SPIs 32..1019 */

/** What the fake hardware saw. Reset with fake_counters_reset(). */
struct fake_counters {
	uint64_t tlb_flush_asid;  /**< arch_tlb_flush_asid() calls */
	uint64_t tlb_flush_all_user; /**< arch_tlb_flush_all_user() calls */
	uint64_t set_user_table;  /**< arch_set_user_table() calls */
	uint64_t thread_switch;   /**< arch_thread_switch() calls */
	uint64_t thread_save;     /**< arch_thread_save() calls */
	uint64_t fp_save, fp_restore;
	uint64_t fp_trap_changes; /**< arch_fp_trap_enable() changing state */
	uint64_t wfi;             /**< arch_wait_for_interrupt() calls */
	uint64_t irq_pending_calls; /**< arch_irq_pending() calls */
	uint64_t restarts;        /**< arch_syscall_restart() calls */
	uint64_t fastpath_hits;   /**< fake_svc() calls the fast path took */
	uint64_t cache_sync_exec; /**< arch_cache_sync_exec() calls */
	uint64_t cache_sync_bytes;
	uint64_t zeroed_bytes;    /**< arch_zero_pages() */
	uint64_t irqs_taken;      /**< interrupts acknowledged */
	paddr_t user_root;        /**< last arch_set_user_table() */
	uint16_t user_asid;
	bool irq_on;              /**< arch_irq_enable()d now */
	bool fp_trapping;
	uint64_t vcpu_enters;     /**< arch_vcpu_enter() calls */
	uint64_t vcpu_undefs;     /**< arch_vcpu_inject_undef() calls */
	uint64_t set_guest_table; /**< arch_set_guest_table() calls */
	uint64_t tlb_flush_vmid;  /**< arch_tlb_flush_vmid() calls */
	uint64_t clean_poc_bytes; /**< arch_clean_to_poc() bytes */
};
extern struct fake_counters fake;
void fake_counters_reset(void);

/* ---- boot */

/**
 * Bring the core up like kernel_main() does, minus the hardware: fake
 * boot_info (one RAM range of @ram_bytes at FAKE_RAM_BASE, one CPU, one
 * node), kmem_init() (the real allocator), the log ring, the interrupt
 * controller, the tick, the run queue. Call once per process.
 */
void fake_boot(uint64_t ram_bytes);

/* ---- memory */

/** Pages handed out by the allocator and not returned (all callers). */
uint64_t fake_pages_out(void);
/** Is the page holding @pa handed out (not free, not reserved)? */
bool fake_page_live(paddr_t pa);
/** Is @p inside the arena and in a page that is free (poisoned)? */
bool fake_addr_freed(const void *p);
/** Free pages in the allocator (all nodes). */
uint64_t fake_free_pages(void);
/** Pages the allocator manages, total and reserved. */
uint64_t fake_total_pages(void);
uint64_t fake_reserved_pages(void);
/** Is @p inside the fake RAM arena? */
bool fake_in_ram(const void *p);

/* ---- console and panics */

/** Everything printk() wrote (and pl011_putc), NUL-terminated. */
const char *fake_log(void);
void fake_log_clear(void);
/** Don't echo the log to stderr on abort (fuzzers). */
extern bool fake_quiet;

/**
 * Catch a panic (or a power-off) in a statement: FAKE_TRY(rc, stmt;) sets
 * rc to 0 if the statement finished, FAKE_PANIC if the kernel panicked
 * (the message is in fake_panic_msg), FAKE_OFF if it powered off. The
 * kernel's state after a panic is whatever it was: a test that catches one
 * stops using the objects involved. Locals the statement changes must be
 * volatile to be read afterwards (setjmp rules).
 */
enum { FAKE_PANIC = 1, FAKE_OFF = 2 };
extern jmp_buf *fake_panic_jmp;
extern int fake_panic_kind;
extern char fake_panic_msg[256];
#define FAKE_TRY(rc, ...)                                                   \
	do {                                                                \
		jmp_buf fake_jb_;                                           \
		jmp_buf *fake_prev_ = fake_panic_jmp;                       \
		fake_panic_jmp = &fake_jb_;                                 \
		if (setjmp(fake_jb_) == 0) {                                \
			__VA_ARGS__;                                        \
			(rc) = 0;                                           \
		} else {                                                    \
			(rc) = fake_panic_kind;                             \
		}                                                           \
		fake_panic_jmp = fake_prev_;                                \
	} while (0)

/* ---- traps */

/** Results of fake_svc() and fake_interrupt(). */
enum fake_trap_result {
	FAKE_RUNNING = 0, /**< returned to user: sched_current() runs */
	FAKE_IDLE = 1,    /**< no thread to run, nothing pending: CPU idle */
	FAKE_NO_THREAD = 2, /**< fake_svc() while idle: nothing done */
};

/** Is the IPC fast path used (aarch64: rift.fastpath=off clears it)? */
extern bool fast_enabled;

/**
 * The current thread executes `svc #nr` with the argument registers already
 * in its saved frame (sched_current()->ctx). Runs the trap exactly as
 * kernel/arch/aarch64/user.c does. If the call was restarted
 * (arch_syscall_restart), the thread's pending restart is recorded: see
 * fake_restart_pending().
 */
int fake_svc(uint32_t nr);
/** A synchronous fault (data abort at @addr) by the current thread. */
int fake_fault(uint32_t kind, uint64_t addr);
/** The current thread uses FP/SIMD: traps (lazy switching) if trapping. */
int fake_fp_use(void);
/** Take every pending enabled interrupt (from EL0, or wake the idle CPU). */
int fake_interrupt(void);
/** Is the CPU idle (no current thread)? */
bool fake_idle(void);
/**
 * The current thread, a vCPU, exits the guest with @e (kind 0: WFI; kind
 * ~0u: WFE), as kernel/arch/aarch64/vcpu.c's trap_guest_sync() does after
 * decoding. fake_svc() by a vCPU is an HVC exit (a guest has no svc to
 * the kernel).
 */
struct vcpu_exit;
int fake_guest_exit(const struct vcpu_exit *e);
/** VMID width arch_vmid_bits() reports (16 unless set). */
extern uint32_t fake_vmid_bits;

/** System call @t must re-issue (restarted, PC rewound), or -1. */
int fake_restart_pending(const struct thread *t);

/* ---- interrupt controller */

/** Make @intid pending (a device asserting its line). */
void fake_irq_raise(uint32_t intid);
/** A level interrupt's line drops (an edge's pending state stays). */
void fake_irq_lower(uint32_t intid);
/** The device is reset: line low, nothing pending (edge or level). */
void fake_irq_quiesce(uint32_t intid);
bool fake_irq_enabled(uint32_t intid);
bool fake_irq_is_pending(uint32_t intid);
/** Timer tick: raise FAKE_TIMER_INTID and take it. */
int fake_tick(void);

/* ---- preemption points */

/**
 * arch_irq_pending() (the kernel's preemption test) is true whenever an
 * enabled interrupt is pending at the fake controller, and also:
 *  - once, at the call after the next @n (fake_preempt_after(); @n < 0:
 *    never, the default), and
 *  - at every @k-th call (fake_preempt_every(); 0: never). With k = 1 every
 *    preemption point sees an interrupt: long calls must still finish.
 */
void fake_preempt_after(long n);
void fake_preempt_every(long k);
/** ASID width arch_asid_bits() reports (16 unless set). */
void fake_set_asid_bits(uint32_t bits);
/** arch/barrier.h's count of table publications. */
extern unsigned long fake_pt_publish_count;

#endif
