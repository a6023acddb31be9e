/* SPDX-License-Identifier: MIT */
/*
 * Internal invariants (the Hafnium split):
 *   CHECK(cond)  always compiled in; a false condition is a kernel bug and
 *                panics with the file, line and the condition's text. Never
 *                for anything a domain controls: untrusted input gets an
 *                error return, not a CHECK.
 *   assert(cond) the same, but only in debug builds (RIFT_DEBUG); for checks
 *                too costly for the hot paths of a release kernel.
 *   CHECK_KERNEL_LOCK_HELD()  the caller holds the kernel lock, which
 *                protects every object (rift/spinlock.h).
 */
#ifndef RIFT_CHECK_H
#define RIFT_CHECK_H

#include <rift/printk.h>

#define CHECK(cond)                                                         \
	do {                                                                \
		if (__builtin_expect(!(cond), 0)) {                         \
			panic("CHECK failed at %s:%d: %s", __FILE__,        \
			      __LINE__, #cond);                             \
		}                                                           \
	} while (0)

#ifdef RIFT_DEBUG
#define assert(cond) CHECK(cond)
#else
#define assert(cond) ((void)sizeof(!(cond)))
#endif

bool kernel_lock_held(void);
#define CHECK_KERNEL_LOCK_HELD() assert(kernel_lock_held())

#endif
