/* SPDX-License-Identifier: MIT */
/*
 * Shared by tests/unit/test_kcore.c and tests/fuzz/fuzz_kernel.c: the kernel
 * core on the fake arch (<arch/fake.h>) with a supervisor, helpers that
 * build domains and threads the way the kernel's own calls do, system calls
 * from the current thread, and the invariant checker.
 *
 * The supervisor is the first domain (root_domain, "R"): one thread T0 at
 * priority 255 that sleeps on notification KH_R_NOTIF, bound to interrupt
 * KH_R_IRQ; kh_super_wake() raises that interrupt, so T0 preempts whatever
 * runs and can act (destroy a world, say) through system calls.
 */
#ifndef KCORE_HARNESS_H
#define KCORE_HARNESS_H

#include <arch/fake.h>
#include <rift/object.h>

#define KH_RAM_BYTES (64ull << 20)
#define KH_R_SLOTS 1024
#define KH_R_NOTIF 8     /* R's slot: T0's wake-up notification */
#define KH_R_IRQ_HANDLER 9
#define KH_R_IRQ 40      /* the SPI that wakes T0 */
#define KH_IPCBUF_VA 0x10000000ull
#define KH_BLOCKED (-1000) /* kh_sys(): the caller blocked */

extern struct domain *kh_R;
extern struct thread *kh_T0;

/** Boot the fake kernel and the supervisor (once per process). */
void kh_boot(void);

/* ---- building (direct kernel calls, as sys_* do after decoding) */

/** Domain in @parent's slot @slot (original there), charged to @parent. */
struct domain *kh_domain(struct domain *parent, uint32_t slot,
			 uint64_t quota, uint32_t slots, uint8_t max_prio);
/**
 * Thread in @d's slot @slot with an IPC buffer frame in slot @slot + 1,
 * mapped at KH_IPCBUF_VA + 4096 * slot, started (runnable).
 */
struct thread *kh_thread(struct domain *d, uint32_t slot, uint8_t prio);
struct endpoint *kh_endpoint(struct domain *d, uint32_t slot);
struct notification *kh_notification(struct domain *d, uint32_t slot);
/** Derive @d's slot @slot from @src (rights mask, badge). 0 or RIFT_KE*. */
int kh_copy(struct cap *src, struct domain *d, uint32_t slot, uint8_t rights,
	    uint64_t badge);
static inline struct cap *kh_slot(struct domain *d, uint32_t slot)
{
	return &d->cspace[slot];
}

/* ---- running */

/** Make runnable thread @t the current one (the scheduler's choice). */
int kh_switch_to(struct thread *t);
/**
 * System call @nr by thread @t with x0..x5 = @a..: @t is switched to
 * first if it is not current. Returns x0, or KH_BLOCKED if @t blocked.
 * A restarted call (RIFT_KPREEMPT) is issued again until it completes
 * while @t stays current.
 */
long kh_sys(struct thread *t, uint32_t nr, uint64_t a0, uint64_t a1,
	    uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5);
#define kh_sys0(t, nr) kh_sys(t, nr, 0, 0, 0, 0, 0, 0)
#define kh_sys1(t, nr, a) kh_sys(t, nr, a, 0, 0, 0, 0, 0)
/** Thread @t's IPC buffer (NULL if none). */
struct rift_ipcbuf *kh_ipcbuf(struct thread *t);
/** T0 runs (interrupt KH_R_IRQ), re-arms its interrupt. 0 or -1. */
int kh_super_wake(void);
/** T0 waits for its interrupt again; another thread runs or the CPU idles. */
void kh_super_sleep(void);

/* ---- invariants */

/** Why the last kh_check() failed. */
extern char kh_why[512];
/**
 * Check every invariant of the kernel's state (see kcore_harness.c):
 * capability derivation chains, holders, object liveness, thread and IPC
 * relations, quota charges against what each domain holds, and every page
 * of RAM accounted for. 0, or -1 with kh_why set.
 */
int kh_check(void);
/** Also run pmm_check() (the allocator's own, O(pages)) in kh_check(). */
extern bool kh_check_allocator;
/** The supervisor's domain tree, R first (breadth first); returns the count. */
uint32_t kh_domains(struct domain **out, uint32_t max);
/** Pages handed out when only the supervisor exists (after kh_boot). */
extern uint64_t kh_base_pages_out;
extern uint64_t kh_base_R_used;

#endif
