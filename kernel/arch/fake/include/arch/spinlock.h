/* SPDX-License-Identifier: MIT */
/* Host (fake arch) spinlock: a ticket lock with compiler atomics. */
#ifndef ARCH_FAKE_SPINLOCK_H
#define ARCH_FAKE_SPINLOCK_H

struct spinlock;

static inline void arch_spin_lock(struct spinlock *l)
{
	uint32_t me = __atomic_fetch_add(&l->next, 1, __ATOMIC_RELAXED);

	while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != me) {
	}
}

static inline void arch_spin_unlock(struct spinlock *l)
{
	__atomic_store_n(&l->owner, l->owner + 1, __ATOMIC_RELEASE);
}

#endif
