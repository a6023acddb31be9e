/* SPDX-License-Identifier: MIT */
/*
 * aarch64 ticket spinlock. Waiters sleep in WFE; the releasing store-release
 * clears the exclusive monitor of every waiter and so wakes them (ARM ARM
 * D1.16 "Wait for Event"), which is why no SEV is needed.
 */
#ifndef ARCH_AARCH64_SPINLOCK_H
#define ARCH_AARCH64_SPINLOCK_H

struct spinlock;

static inline void arch_spin_lock(struct spinlock *l)
{
	uint32_t me = __atomic_fetch_add(&l->next, 1, __ATOMIC_RELAXED);
	uint32_t cur;

	if (likely(__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) == me)) {
		return; /* uncontended: no event wait */
	}
	__asm__ volatile("sevl");
	for (;;) {
		__asm__ volatile("wfe\n"
				 "ldaxr %w0, [%1]"
				 : "=&r"(cur)
				 : "r"(&l->owner)
				 : "memory");
		if (cur == me) {
			break;
		}
	}
}

static inline void arch_spin_unlock(struct spinlock *l)
{
	__atomic_store_n(&l->owner, l->owner + 1, __ATOMIC_RELEASE);
}

#endif
