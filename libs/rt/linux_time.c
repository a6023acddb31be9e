/* SPDX-License-Identifier: MIT */
/*
 * Time for Linux calls, from the generic timer's virtual counter
 * (CNTVCT_EL0 / CNTFRQ_EL0, which the kernel lets EL0 read).
 *
 * CLOCK_REALTIME adds the real time at counter zero that the platform
 * server publishes in the wall-clock page (rift/wallclock.h), which the
 * supervisor maps read-only into every domain; without the page (no
 * `wall-clock-source` in the description, or nothing published yet) it
 * counts from the counter's zero (boot) like CLOCK_MONOTONIC. The CPU-time
 * clocks report the time since the runtime started. Sleeping spins with
 * RIFT_SYS_YIELD until the deadline passes (no timer service yet).
 */
#include <rift/rt.h>
#include <rift/syscall.h>
#include <rift/wallclock.h>

#include "internal.h"
#include "linux.h"

#define NSEC_PER_SEC 1000000000ull
#define LX_TIMER_ABSTIME 1

/** struct timespec on aarch64. */
struct lx_timespec {
	int64_t sec;
	int64_t nsec;
};

static uint64_t time_freq;  /**< counter ticks per second */
static uint64_t time_start; /**< counter value when the runtime started */
/** The wall-clock page, read-only, or NULL. */
static const volatile struct rift_wallclock *time_wc;

void rt_wallclock_attach(const void *page)
{
	time_wc = page;
}

/** Reads the virtual counter (isb: not before earlier instructions). */
uint64_t linux_time_counter(void)
{
	uint64_t v;

	__asm__ volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(v) : : "memory");
	return v;
}

/** Records the counter frequency and the start time. */
void linux_time_init(void)
{
	uint64_t f;

	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(f));
	if (f == 0) {
		rt_log("CNTFRQ_EL0 is 0: assuming 1 GHz");
		f = NSEC_PER_SEC;
	}
	time_freq = f;
	time_start = linux_time_counter();
	time_wc = (const void *)(uintptr_t)rt_auxv(RIFT_AT_WALLCLOCK);
}

/** Real time at counter zero from the wall-clock page, if published. */
static bool time_boot_ns(int64_t *boot_ns)
{
	struct rift_wallclock_snap snap;

	if (time_wc == NULL || !rift_wallclock_read(time_wc, &snap)) {
		return false;
	}
	*boot_ns = snap.boot_ns;
	return true;
}

/** Converts counter ticks to a timespec. */
static void time_to_timespec(uint64_t ticks, struct lx_timespec *ts)
{
	ts->sec = (int64_t)(ticks / time_freq);
	ts->nsec = (int64_t)((ticks % time_freq) * NSEC_PER_SEC / time_freq);
}

/** Converts a (valid) timespec to counter ticks, saturating. */
static uint64_t time_to_ticks(const struct lx_timespec *ts)
{
	uint64_t sec = (uint64_t)ts->sec;
	uint64_t sub = (uint64_t)ts->nsec * time_freq / NSEC_PER_SEC;

	if (sec > (UINT64_MAX - sub) / time_freq) {
		return UINT64_MAX;
	}
	return sec * time_freq + sub;
}

/** The counter value clock clk reads as, or false for an unknown clock. */
static bool time_clock_ticks(long clk, uint64_t *ticks)
{
	switch (clk) {
	case LX_CLOCK_REALTIME:
	case LX_CLOCK_MONOTONIC:
	case LX_CLOCK_MONOTONIC_RAW:
	case LX_CLOCK_REALTIME_COARSE:
	case LX_CLOCK_MONOTONIC_COARSE:
	case LX_CLOCK_BOOTTIME:
		*ticks = linux_time_counter();
		return true;
	case LX_CLOCK_PROCESS_CPUTIME_ID:
	case LX_CLOCK_THREAD_CPUTIME_ID:
		*ticks = linux_time_counter() - time_start;
		return true;
	default:
		return false;
	}
}

/** clock_gettime(2). */
long linux_time_clock_gettime(long clk, void *ts)
{
	uint64_t ticks;

	int64_t boot_ns;

	if (!time_clock_ticks(clk, &ticks)) {
		return -LX_EINVAL;
	}
	time_to_timespec(ticks, ts);
	if ((clk == LX_CLOCK_REALTIME || clk == LX_CLOCK_REALTIME_COARSE) &&
	    time_boot_ns(&boot_ns)) {
		struct lx_timespec *t = ts;
		int64_t ns = boot_ns + t->sec * (int64_t)NSEC_PER_SEC + t->nsec;

		t->sec = ns / (int64_t)NSEC_PER_SEC;
		t->nsec = ns % (int64_t)NSEC_PER_SEC;
	}
	return 0;
}

/** clock_getres(2): one counter tick, rounded up to a nanosecond. */
long linux_time_clock_getres(long clk, void *ts)
{
	uint64_t ticks;
	struct lx_timespec *res = ts;

	if (!time_clock_ticks(clk, &ticks)) {
		return -LX_EINVAL;
	}
	if (res != NULL) {
		res->sec = 0;
		res->nsec = (int64_t)((NSEC_PER_SEC + time_freq - 1) / time_freq);
	}
	return 0;
}

/** clock_nanosleep(2) and nanosleep(2): yields until the deadline. */
long linux_time_nanosleep(long clk, long flags, const void *req, void *rem)
{
	const struct lx_timespec *t = req;
	uint64_t now;
	uint64_t deadline;

	if (clk == LX_CLOCK_PROCESS_CPUTIME_ID || clk == LX_CLOCK_THREAD_CPUTIME_ID ||
	    !time_clock_ticks(clk, &now)) {
		return -LX_EINVAL;
	}
	if (t->sec < 0 || t->nsec < 0 || (uint64_t)t->nsec >= NSEC_PER_SEC) {
		return -LX_EINVAL;
	}
	if ((flags & LX_TIMER_ABSTIME) && clk == LX_CLOCK_REALTIME) {
		struct lx_timespec local = *t;
		int64_t boot_ns, ns;

		/* An absolute real time: on the counter's scale first. */
		if (time_boot_ns(&boot_ns)) {
			ns = t->sec * (int64_t)NSEC_PER_SEC + t->nsec - boot_ns;
			ns = ns < 0 ? 0 : ns;
			local.sec = ns / (int64_t)NSEC_PER_SEC;
			local.nsec = ns % (int64_t)NSEC_PER_SEC;
		}
		deadline = time_to_ticks(&local);
	} else {
		deadline = time_to_ticks(t);
	}
	if (!(flags & LX_TIMER_ABSTIME)) {
		deadline = deadline > UINT64_MAX - now ? UINT64_MAX : now + deadline;
	}
	while (linux_time_counter() < deadline) {
		rift_yield();
	}
	if (rem != NULL && !(flags & LX_TIMER_ABSTIME)) {
		struct lx_timespec *r = rem;

		r->sec = 0;
		r->nsec = 0;
	}
	return 0;
}
