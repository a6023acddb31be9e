/* SPDX-License-Identifier: MIT */
/* The console's waker threads (see con_waker.h). */
#include "con_waker.h"

#include <rift/rt.h>
#include <rift/syscall.h>

#include "con.h"

#define WAKER_STACK 8192

struct con_waker {
	uint64_t ntfn;   /**< notification it waits on */
	uint64_t kick;   /**< label of its calls (enum con_kick) */
	uint64_t thread; /**< slot of its thread capability */
};

static struct con_waker wakers[CON_WAKERS];
static uint8_t waker_stacks[CON_WAKERS][WAKER_STACK]
	__attribute__((aligned(16)));

/** A waker's whole life: wait, kick, repeat; end itself on any error. */
static __attribute__((noreturn)) void waker_run(uint64_t index)
{
	const struct con_waker *w = &wakers[index];

	for (;;) {
		struct rift_regs_msg m = { 0 };
		uint64_t word = 0;

		if (rift_wait(w->ntfn, &word) != 0) {
			break;
		}
		m.label = w->kick;
		m.mr[0] = word;
		if (rift_call(con_slots.self, &m) != 0) {
			break;
		}
	}
	rift_cap_delete(w->thread); /* destroys this thread */
	for (;;) {
		rift_yield();
	}
}

/** The domain's maximum priority, which its main thread runs at. */
static uint64_t waker_priority(void)
{
	struct rift_domain_info di;

	return rift_domain_info(&di) == RIFT_KOK ? di.max_prio : 100;
}

long con_waker_start(uint32_t index, uint64_t ntfn, uint64_t kick)
{
	static uint64_t prio = UINT64_MAX;
	struct con_waker *w;
	long err;

	if (index >= CON_WAKERS) {
		return RIFT_KEINVAL;
	}
	w = &wakers[index];
	w->ntfn = ntfn;
	w->kick = kick;
	w->thread = rt_slot_alloc();
	if (w->thread == 0) {
		return RIFT_KENOMEM;
	}
	if (prio == UINT64_MAX) {
		prio = waker_priority();
	}
	err = rift_thread_create(0, w->thread, prio, 0);
	if (err == 0) {
		uint64_t sp = (uintptr_t)waker_stacks[index] + WAKER_STACK;

		err = rift_thread_start(w->thread,
					(uint64_t)(uintptr_t)waker_run, sp,
					index);
	}
	return err;
}
