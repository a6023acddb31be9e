/* SPDX-License-Identifier: MIT */
/*
 * Process-level Linux calls: random numbers, signals, futexes, uname.
 *
 * Signals are not delivered: sigaction and sigprocmask keep up appearances
 * (the mask is tracked, handlers are not), and a signal a domain sends to
 * itself whose default action is to terminate (abort(), raise(SIGTERM))
 * ends the domain at once with status 128 + signal, after logging it.
 */
#include <string.h>

#include <rift/abi.h>
#include <rift/rt.h>

#include "internal.h"
#include "linux.h"

#define LX_NSIG 64
#define LX_SIGKILL 9
#define LX_SIGSTOP 19
#define LX_SIG_BLOCK 0
#define LX_SIG_UNBLOCK 1
#define LX_SIG_SETMASK 2
#define LX_ETIMEDOUT 110

#define LX_FUTEX_WAIT 0
#define LX_FUTEX_WAKE 1
#define LX_FUTEX_REQUEUE 3
#define LX_FUTEX_CMP_REQUEUE 4
#define LX_FUTEX_WAKE_OP 5
#define LX_FUTEX_WAIT_BITSET 9
#define LX_FUTEX_WAKE_BITSET 10
#define LX_FUTEX_CMD_MASK 0x7f

/** Size of struct k_sigaction on aarch64 without its mask. */
#define LX_SIGACTION_HEAD 24

/** The signal mask (bit sig - 1), as sigprocmask reports it. */
static uint64_t proc_sigmask;

/** State of the random generator (splitmix64). */
static uint64_t proc_random_state;

/* ----------------------------------------------------------------- random */

/** Next output of splitmix64. */
static uint64_t proc_random_next(void)
{
	uint64_t z = (proc_random_state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/**
 * Seeds the generator from the counter, the domain id and the AT_RANDOM
 * bytes of the auxv if there are any. NOT cryptographic: getrandom() in a
 * domain is fine for hash seeds and tests, not for keys.
 */
void linux_proc_random_init(void)
{
	const uint8_t *at_random = (const uint8_t *)(uintptr_t)rt_auxv(25 /* AT_RANDOM */);
	uint64_t seed = linux_time_counter() ^ (rt_domain_id() * 0x2545f4914f6cdd1dull);

	if (at_random != NULL) {
		uint64_t w[2];

		memcpy(w, at_random, sizeof(w));
		seed ^= w[0] ^ (w[1] << 1);
	}
	proc_random_state = seed;
}

/** getrandom(2): fills buf from the generator (flags ignored: never blocks). */
long linux_proc_getrandom(void *buf, size_t len)
{
	uint8_t *p = buf;

	if (len > 0x1ffffff) {
		len = 0x1ffffff; /* Linux's cap per call */
	}
	for (size_t i = 0; i < len; i += 8) {
		uint64_t r = proc_random_next();
		size_t n = len - i < 8 ? len - i : 8;

		memcpy(p + i, &r, n);
	}
	return (long)len;
}

/* ---------------------------------------------------------------- signals */

/** True if the default action of sig is to ignore it. */
static bool proc_sig_ignored(long sig)
{
	return sig == 17 /* CHLD */ || sig == 18 /* CONT */ || sig == 23 /* URG */ ||
	       sig == 28 /* WINCH */;
}

/** Delivers sig to ourselves: ignore it or end the domain. */
static long proc_signal_self(long sig)
{
	char msg[48] = "terminated by signal ";
	size_t n = sizeof("terminated by signal ") - 1;

	if (sig < 0 || sig > LX_NSIG) {
		return -LX_EINVAL;
	}
	if (sig == 0 || proc_sig_ignored(sig)) {
		return 0;
	}
	rt_fmt_u64(msg + n, (uint64_t)sig);
	rt_log(msg);
	rt_exit(128 + (int)sig);
}

/** kill(2): only this domain (its pid, 0 or -1) can be signalled. */
long linux_proc_kill(long pid, long sig)
{
	if (pid != (long)rt_domain_id() && pid != 0 && pid != -1) {
		return -LX_ESRCH;
	}
	return proc_signal_self(sig);
}

/** tkill(2): only this thread can be signalled. */
long linux_proc_tkill(long tid, long sig)
{
	if (tid != LX_MAIN_TID) {
		return -LX_ESRCH;
	}
	return proc_signal_self(sig);
}

/** rt_sigaction(2): accepted and forgotten; the old action reads as default. */
long linux_proc_sigaction(long sig, const void *act, void *oact, size_t sigsetsize)
{
	if (sigsetsize != 8 || sig < 1 || sig > LX_NSIG) {
		return -LX_EINVAL;
	}
	if (act != NULL && (sig == LX_SIGKILL || sig == LX_SIGSTOP)) {
		return -LX_EINVAL;
	}
	if (oact != NULL) {
		memset(oact, 0, LX_SIGACTION_HEAD + sigsetsize);
	}
	return 0;
}

/** rt_sigprocmask(2): tracks the mask. */
long linux_proc_sigprocmask(long how, const void *set, void *oset, size_t sigsetsize)
{
	uint64_t old = proc_sigmask;
	uint64_t s;

	if (sigsetsize != 8) {
		return -LX_EINVAL;
	}
	if (set != NULL) {
		memcpy(&s, set, sizeof(s));
		if (how == LX_SIG_BLOCK) {
			proc_sigmask |= s;
		} else if (how == LX_SIG_UNBLOCK) {
			proc_sigmask &= ~s;
		} else if (how == LX_SIG_SETMASK) {
			proc_sigmask = s;
		} else {
			return -LX_EINVAL;
		}
		proc_sigmask &= ~((1ull << (LX_SIGKILL - 1)) | (1ull << (LX_SIGSTOP - 1)));
	}
	if (oset != NULL) {
		memcpy(oset, &old, sizeof(old));
	}
	return 0;
}

/* ----------------------------------------------------------------- futex */

/**
 * futex(2) for a single-threaded domain: nobody ever waits, so wakes wake
 * no one, and a wait on an unchanged value could only end by its timeout.
 */
long linux_proc_futex(uint32_t *uaddr, long op, uint32_t val, const void *timeout)
{
	switch (op & LX_FUTEX_CMD_MASK) {
	case LX_FUTEX_WAKE:
	case LX_FUTEX_WAKE_BITSET:
	case LX_FUTEX_REQUEUE:
	case LX_FUTEX_CMP_REQUEUE:
	case LX_FUTEX_WAKE_OP:
		return 0;
	case LX_FUTEX_WAIT:
	case LX_FUTEX_WAIT_BITSET:
		if (*(volatile uint32_t *)uaddr != val) {
			return -LX_EAGAIN;
		}
		if (timeout != NULL) {
			return -LX_ETIMEDOUT;
		}
		if (rt_log_first(RT_LOG_KEY_PROC)) {
			rt_log("futex wait in a single-threaded domain: it can never be woken");
		}
		return -LX_EINTR;
	default:
		return -LX_ENOSYS;
	}
}

/* ----------------------------------------------------------------- uname */

/** Copies s into a 65-byte utsname field. */
static void proc_uts_field(char *field, const char *s)
{
	size_t n = strlen(s);

	if (n > 64) {
		n = 64;
	}
	memcpy(field, s, n);
	memset(field + n, 0, 65 - n);
}

/** uname(2): "rift", node "domain<id>", machine "aarch64". */
long linux_proc_uname(void *buf)
{
	char *u = buf; /* six 65-byte fields */
	char node[32] = "domain";

	rt_fmt_u64(node + 6, rt_domain_id());
	proc_uts_field(u + 0 * 65, "rift");
	proc_uts_field(u + 1 * 65, node);
	proc_uts_field(u + 2 * 65, "0");
	proc_uts_field(u + 3 * 65, "rift domain runtime");
	proc_uts_field(u + 4 * 65, "aarch64");
	proc_uts_field(u + 5 * 65, "(none)");
	return 0;
}
