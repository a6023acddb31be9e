/* SPDX-License-Identifier: MIT */
/*
 * Spinlocks. A ticket lock on one 32-bit word pair (portability rule: atomics
 * only on 32/64-bit words). The architecture supplies arch_spin_lock() and
 * arch_spin_unlock() in <arch/spinlock.h>; the fake arch (host tests) uses
 * compiler atomics.
 *
 * Lock order (outermost first), for every lock in the kernel:
 *   0. the kernel lock (kernel_lock, sched.c): taken on every trap from
 *      EL0 and on interrupts while idle, dropped only to idle; like seL4's
 *      SMP kernel, all object state is under it, so a second CPU needs no
 *      finer locking to be correct (finer locks come where contention
 *      shows)
 *   1. sched (per-CPU run queue)
 *   2. object locks (endpoint, notification, domain)
 *   3. pmm node lock
 *   4. console/log ring lock
 * A function that needs two locks takes them in this order; never the reverse.
 */
#ifndef RIFT_SPINLOCK_H
#define RIFT_SPINLOCK_H

#include <rift/types.h>

struct spinlock {
	uint32_t next;  /**< next ticket to hand out */
	uint32_t owner; /**< ticket now holding the lock */
};

#define SPINLOCK_INIT { 0, 0 }

#include <arch/spinlock.h>

static inline void spin_init(struct spinlock *l)
{
	l->next = 0;
	l->owner = 0;
}

static inline void spin_lock(struct spinlock *l)
{
	arch_spin_lock(l);
}

static inline void spin_unlock(struct spinlock *l)
{
	arch_spin_unlock(l);
}

#endif
