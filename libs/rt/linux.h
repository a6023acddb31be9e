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

/** Sets up the clock and the random generator (rt_init). */
void lx_init(void);

/* linux_time.c */
void lx_time_init(void);
/** Reads the generic timer's virtual counter (CNTVCT_EL0). */
uint64_t lx_counter(void);
long lx_clock_gettime(long clk, void *ts);
long lx_clock_getres(long clk, void *ts);
long lx_clock_nanosleep(long clk, long flags, const void *req, void *rem);

/* linux_proc.c */
long lx_getrandom(void *buf, size_t len);
long lx_kill(long pid, long sig);
long lx_tkill(long tid, long sig);
long lx_rt_sigaction(long sig, const void *act, void *oact, size_t sigsetsize);
long lx_rt_sigprocmask(long how, const void *set, void *oset, size_t sigsetsize);
long lx_futex(uint32_t *uaddr, long op, uint32_t val, const void *timeout);
long lx_uname(void *buf);
void lx_random_init(void);

/* linux_names.c */
/** The name of Linux system call nr, or NULL if not in the table. */
const char *lx_name(long nr);

#endif
