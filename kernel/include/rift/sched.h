/* SPDX-License-Identifier: MIT */
/*
 * Per-CPU preemptive priority scheduler: 256 levels, round robin within a
 * level, a time slice in timer ticks. The kernel is not preemptible and has
 * one stack per CPU: every trap ends by choosing which thread's saved
 * registers to return to (sched_next()).
 */
#ifndef RIFT_SCHED_H
#define RIFT_SCHED_H

#include <rift/object.h>

#define SCHED_SLICE_TICKS 2

#include <rift/cpu.h>

static inline struct thread *sched_current(void)
{
	return this_cpu()->current;
}
void sched_make_runnable(struct thread *t);
void sched_remove(struct thread *t);
/** Switch this CPU to @t now (it must be runnable and not queued). */
void sched_switch_to(struct thread *t);
/** Pick the thread to return to after a trap; may idle. */
struct trap_frame *sched_next(void);
void sched_tick(void);
/** The kernel lock: see the lock order in rift/spinlock.h. */
void kernel_lock_acquire(void);
void kernel_lock_release(void);
bool sched_fast_ok(uint32_t prio);
void sched_fast_switch(struct thread *old, struct thread *new);
/** The same from vCPU @old to user thread @new (a VMM). */
void sched_fast_switch_from_vcpu(struct thread *old, struct thread *new);
/** The same to vCPU @new, entering the guest world. */
void sched_fast_switch_vcpu(struct thread *old, struct thread *new);
void __noreturn sched_start(void);
void sched_init_cpu(uint32_t cpu);
void arch_user_init(void);
void arch_pmu_init(bool user_read);
/** Load and start the first domain from the boot archive (boot_domain.c). */
void boot_first_domain(void);

int thread_create(struct domain *d, uint8_t prio, struct thread **out);
int thread_start(struct thread *t, uint64_t pc, uint64_t sp, uint64_t arg);
void thread_stop(struct thread *t);
/** Wake a blocked thread with an error in x0. */
void thread_wake_error(struct thread *t, int err);
struct rift_ipcbuf *thread_ipcbuf(struct thread *t);
void thread_fault(struct thread *t, uint32_t kind, uint64_t addr,
		  uint64_t syndrome);
void fp_trap(struct thread *t);
/** Make @t the FP/SIMD owner now, without changing the EL0 trap (a vCPU:
 * the host's "trap EL0" setting does not trap a guest, TGE = 0). */
void fp_claim(struct thread *t);

void arch_fp_save(uint64_t *state);
void arch_fp_restore(const uint64_t *state);
void arch_fp_trap_enable(bool trap);
/** Save @old's and load @new's per-thread user registers beyond the frame. */
void arch_thread_switch(struct thread *old, struct thread *new);
/** Save @t's per-thread user registers beyond the frame (it stops running). */
void arch_thread_save(struct thread *t);
void arch_set_user_table(paddr_t root, uint16_t asid);
void arch_tlb_flush_asid(uint16_t asid);
void __noreturn arch_enter_user(struct trap_frame *f);
void arch_thread_init_ctx(struct trap_frame *f, uint64_t pc, uint64_t sp,
			  uint64_t arg);

#endif
