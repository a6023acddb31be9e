/* SPDX-License-Identifier: MIT */
/*
 * The Linux system calls the runtime services (aarch64 numbers, from the
 * generic table in Linux's include/uapi/asm-generic/unistd.h) and the
 * handlers split over linux*.c. Target-only: these run in the upcall.
 */
#ifndef RIFT_RT_LINUX_H
#define RIFT_RT_LINUX_H

#include <stddef.h>
#include <stdint.h>

enum lx_nr {
	LX_NR_fcntl = 25,
	LX_NR_ioctl = 29,
	LX_NR_close = 57,
	LX_NR_lseek = 62,
	LX_NR_read = 63,
	LX_NR_write = 64,
	LX_NR_readv = 65,
	LX_NR_writev = 66,
	LX_NR_fsync = 82,
	LX_NR_fdatasync = 83,
	LX_NR_exit = 93,
	LX_NR_exit_group = 94,
	LX_NR_set_tid_address = 96,
	LX_NR_futex = 98,
	LX_NR_nanosleep = 101,
	LX_NR_clock_gettime = 113,
	LX_NR_clock_getres = 114,
	LX_NR_clock_nanosleep = 115,
	LX_NR_sched_yield = 124,
	LX_NR_kill = 129,
	LX_NR_tkill = 130,
	LX_NR_tgkill = 131,
	LX_NR_rt_sigaction = 134,
	LX_NR_rt_sigprocmask = 135,
	LX_NR_uname = 160,
	LX_NR_getpid = 172,
	LX_NR_getppid = 173,
	LX_NR_getuid = 174,
	LX_NR_geteuid = 175,
	LX_NR_getgid = 176,
	LX_NR_getegid = 177,
	LX_NR_gettid = 178,
	LX_NR_brk = 214,
	LX_NR_munmap = 215,
	LX_NR_mremap = 216,
	LX_NR_mmap = 222,
	LX_NR_mprotect = 226,
	LX_NR_madvise = 233,
	LX_NR_getrandom = 278,
};

/** Clocks (clock_gettime). */
#define LX_CLOCK_REALTIME 0
#define LX_CLOCK_MONOTONIC 1
#define LX_CLOCK_PROCESS_CPUTIME_ID 2
#define LX_CLOCK_THREAD_CPUTIME_ID 3
#define LX_CLOCK_MONOTONIC_RAW 4
#define LX_CLOCK_REALTIME_COARSE 5
#define LX_CLOCK_MONOTONIC_COARSE 6
#define LX_CLOCK_BOOTTIME 7

/** The thread id of a domain's first (so far only) thread. */
#define LX_MAIN_TID 1

/** Sets up the clock and the random generator (called by rt_init). */
void linux_init(void);

/* linux_time.c: the generic timer's virtual counter as Linux clocks */
/** Records the counter frequency and the start time. */
void linux_time_init(void);
/** Reads the virtual counter (CNTVCT_EL0). */
uint64_t linux_time_counter(void);
/** clock_gettime(2). */
long linux_time_clock_gettime(long clk, void *ts);
/** clock_getres(2). */
long linux_time_clock_getres(long clk, void *ts);
/** clock_nanosleep(2) (and nanosleep(2) with CLOCK_MONOTONIC, flags 0). */
long linux_time_nanosleep(long clk, long flags, const void *req, void *rem);

/* linux_proc.c: random numbers, signals, futexes, uname */
/** Seeds the (non-cryptographic) generator. */
void linux_proc_random_init(void);
/** getrandom(2). */
long linux_proc_getrandom(void *buf, size_t len);
/** kill(2): this domain only. */
long linux_proc_kill(long pid, long sig);
/** tkill(2): this thread only. */
long linux_proc_tkill(long tid, long sig);
/** rt_sigaction(2). */
long linux_proc_sigaction(long sig, const void *act, void *oact, size_t sigsetsize);
/** rt_sigprocmask(2). */
long linux_proc_sigprocmask(long how, const void *set, void *oset, size_t sigsetsize);
/** futex(2) for a single thread. */
long linux_proc_futex(uint32_t *uaddr, long op, uint32_t val, const void *timeout);
/** uname(2). */
long linux_proc_uname(void *buf);

/* linux_names.c */
/** The name of Linux system call nr, or NULL if not in the table. */
const char *linux_names_lookup(long nr);

#endif
