/* SPDX-License-Identifier: MIT */
/*
 * The system wall-clock page: how every domain knows the real time without
 * asking anyone (docs/decisions/wall-clock-page.md).
 *
 * One 4 KiB frame, made by the supervisor when the system description
 * names a domain `wall-clock-source;` (the platform server). That domain
 * holds it read-write (capability `wall-clock`) and publishes in it the
 * real time at which the generic timer's virtual counter read zero; every
 * domain the supervisor starts finds it mapped read-only at
 * RIFT_BOOT_WALLCLOCK_VA (auxv RIFT_AT_WALLCLOCK). Real time is then
 *
 *     boot_ns + counter * 10^9 / freq       (nanoseconds since 1970 UTC)
 *
 * read with CNTVCT_EL0, no IPC, no system call. It is Xen's shared-info
 * wall clock (wc_version, wc_sec, wc_nsec added to system time) on rift.
 *
 * The writer updates it as a sequence lock: seq odd while it writes. The
 * page lives in the supervisor's object, so it survives a restart of the
 * platform server; a writer that died halfway leaves seq odd, and readers
 * give up after RIFT_WALLCLOCK_TRIES attempts instead of spinning forever.
 *
 * All fields are native-endian 64-bit words: the page never leaves the
 * machine and every reader runs on its CPUs.
 */
#ifndef RIFT_WALLCLOCK_H
#define RIFT_WALLCLOCK_H

#include <stdbool.h>
#include <stdint.h>

#define RIFT_AT_WALLCLOCK 0x5251 /* VA of the wall-clock page (auxv) */
#define RIFT_BOOT_WALLCLOCK_VA 0x0000003e00000000ull
#define RIFT_WALLCLOCK_MAGIC 0x6b636f6c63746677ull /* "wftclock" */
#define RIFT_WALLCLOCK_TRIES 1000

/** flags: boot_ns is valid (a source has published at least once). */
#define RIFT_WALLCLOCK_VALID 1ull
/** flags: boot_ns was taken at an RTC second edge (error < 1 tick). */
#define RIFT_WALLCLOCK_PRECISE 2ull

struct rift_wallclock {
	uint64_t seq;        /**< odd while the writer updates the page */
	uint64_t magic;      /**< RIFT_WALLCLOCK_MAGIC once published */
	uint64_t flags;      /**< RIFT_WALLCLOCK_* */
	int64_t boot_ns;     /**< real time (ns since the epoch) at counter 0 */
	uint64_t freq;       /**< counter frequency the writer used (Hz) */
	uint64_t generation; /**< source instances that published (restarts + 1) */
	uint64_t rtc_sec;    /**< the RTC reading boot_ns was derived from */
	char source[32];     /**< backend name, NUL-terminated ("qemu-virt") */
};

/** One consistent copy of a wall-clock page. */
struct rift_wallclock_snap {
	uint64_t flags;
	int64_t boot_ns;
	uint64_t freq;
	uint64_t generation;
};

/**
 * Reads @wc consistently into @out. Returns false if the page was never
 * published, or stayed mid-update for RIFT_WALLCLOCK_TRIES attempts.
 */
static inline bool rift_wallclock_read(const volatile struct rift_wallclock *wc,
				       struct rift_wallclock_snap *out)
{
	for (int i = 0; i < RIFT_WALLCLOCK_TRIES; i++) {
		uint64_t s1 = __atomic_load_n(&wc->seq, __ATOMIC_ACQUIRE);
		uint64_t s2;

		if (s1 & 1) {
			continue;
		}
		out->flags = wc->flags;
		out->boot_ns = wc->boot_ns;
		out->freq = wc->freq;
		out->generation = wc->generation;
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		s2 = __atomic_load_n(&wc->seq, __ATOMIC_RELAXED);
		if (s1 == s2) {
			return wc->magic == RIFT_WALLCLOCK_MAGIC &&
			       (out->flags & RIFT_WALLCLOCK_VALID) != 0;
		}
	}
	return false;
}

/** Writer side: starts an update (seq becomes odd). */
static inline void rift_wallclock_begin(volatile struct rift_wallclock *wc)
{
	uint64_t s = wc->seq;

	__atomic_store_n(&wc->seq, (s | 1) == s ? s + 2 : s + 1,
			 __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_RELEASE);
}

/** Writer side: ends an update (seq becomes even again). */
static inline void rift_wallclock_end(volatile struct rift_wallclock *wc)
{
	uint64_t s = wc->seq;

	__atomic_store_n(&wc->seq, (s + 1) & ~1ull, __ATOMIC_RELEASE);
}

#endif
