/* SPDX-License-Identifier: MIT */
/*
 * The Linux system calls musl needs, serviced inside the domain: the C part
 * of the upcall handler (upcall.S). Anything else returns -ENOSYS and is
 * logged once per number, so a missing call shows up in the log instead of
 * as a mystery failure.
 *
 * File descriptors: 0, 1 and 2 are the console (a terminal, so isatty() is
 * true and stdout is line-buffered); output goes through the line buffer
 * (console.c); input reads as end-of-file until the console server exists.
 * There are no other descriptors.
 *
 * Pointers from the program are used directly: they are the program's own
 * memory, and a bad one faults the program, as it should.
 */
#include <rift/rt.h>
#include <rift/syscall.h>

#include "internal.h"
#include "linux.h"

#define LX_TIOCGWINSZ 0x5413
#define LX_F_GETFD 1
#define LX_F_SETFD 2
#define LX_F_GETFL 3
#define LX_F_SETFL 4
#define LX_O_RDWR 2
#define LX_IOV_MAX 1024
#define LX_MAX_RW 0x7ffff000ul /* Linux's MAX_RW_COUNT */

/** Bit fd set: console descriptor fd (0..2) is open. */
static unsigned lx_fds_open = 0x7;

/** The tid address set by set_tid_address (unused until threads exist). */
static void *lx_clear_tid;

/** One element of writev()'s vector (struct iovec on aarch64). */
struct lx_iovec {
	const void *base;
	size_t len;
};

/** True if fd is an open console descriptor. */
static bool lx_fd_ok(long fd)
{
	return fd >= 0 && fd <= 2 && (lx_fds_open & (1u << fd));
}

/** write(2) to the console. */
static long lx_write(long fd, const void *buf, size_t len)
{
	if (!lx_fd_ok(fd)) {
		return -LX_EBADF;
	}
	if (len > LX_MAX_RW) {
		len = LX_MAX_RW;
	}
	rt_out_write(buf, len);
	return (long)len;
}

/** writev(2) to the console. */
static long lx_writev(long fd, const struct lx_iovec *iov, long count)
{
	size_t total = 0;

	if (!lx_fd_ok(fd)) {
		return -LX_EBADF;
	}
	if (count < 0 || count > LX_IOV_MAX) {
		return -LX_EINVAL;
	}
	for (long i = 0; i < count; i++) {
		size_t n = iov[i].len;

		if (n > LX_MAX_RW - total) {
			n = LX_MAX_RW - total;
		}
		rt_out_write(iov[i].base, n);
		total += n;
	}
	return (long)total;
}

/**
 * read(2): there is no console input yet, so reading is end-of-file.
 * Pending output (a prompt) goes out first, as on a terminal.
 */
static long lx_read(long fd)
{
	if (!lx_fd_ok(fd)) {
		return -LX_EBADF;
	}
	rt_out_flush();
	return 0;
}

/** ioctl(2): only TIOCGWINSZ (80x24), which makes isatty() true. */
static long lx_ioctl(long fd, unsigned long req, void *arg)
{
	if (!lx_fd_ok(fd)) {
		return -LX_EBADF;
	}
	if (req == LX_TIOCGWINSZ) {
		uint16_t *ws = arg; /* struct winsize: row, col, xpixel, ypixel */

		ws[0] = 24;
		ws[1] = 80;
		ws[2] = 0;
		ws[3] = 0;
		return 0;
	}
	return -LX_ENOTTY;
}

/** fcntl(2): flags of the console descriptors. */
static long lx_fcntl(long fd, long cmd)
{
	if (!lx_fd_ok(fd)) {
		return -LX_EBADF;
	}
	switch (cmd) {
	case LX_F_GETFD:
	case LX_F_SETFD:
	case LX_F_SETFL:
		return 0;
	case LX_F_GETFL:
		return LX_O_RDWR;
	default:
		return -LX_EINVAL;
	}
}

/** close(2): closes a console descriptor for good. */
static long lx_close(long fd)
{
	if (!lx_fd_ok(fd)) {
		return -LX_EBADF;
	}
	lx_fds_open &= ~(1u << fd);
	return 0;
}

/** fsync(2), fdatasync(2): push out a partial line. */
static long lx_fsync(long fd)
{
	if (!lx_fd_ok(fd)) {
		return -LX_EBADF;
	}
	rt_out_flush();
	return 0;
}

/** lseek(2): a terminal cannot seek. */
static long lx_lseek(long fd)
{
	return lx_fd_ok(fd) ? -LX_ESPIPE : -LX_EBADF;
}

/** Returns -ENOSYS for nr, logging it the first time. */
static long lx_unsupported(long nr)
{
	unsigned key = nr >= 0 && nr < 1024 ? (unsigned)nr : RT_LOG_KEY_SYSCALL_BIG;
	const char *name = linux_names_lookup(nr);
	char msg[96] = "unsupported Linux system call ";
	size_t n = sizeof("unsupported Linux system call ") - 1;

	if (!rt_log_first(key)) {
		return -LX_ENOSYS;
	}
	if (nr < 0) {
		msg[n++] = '-';
		n += rt_fmt_u64(msg + n, (uint64_t)-nr);
	} else {
		n += rt_fmt_u64(msg + n, (uint64_t)nr);
	}
	if (name != NULL) {
		msg[n++] = ' ';
		msg[n++] = '(';
		for (size_t i = 0; name[i] != '\0' && n < sizeof(msg) - 2; i++) {
			msg[n++] = name[i];
		}
		msg[n++] = ')';
	}
	msg[n] = '\0';
	rt_log(msg);
	return -LX_ENOSYS;
}

/** File and console calls: true (and *ret set) if nr is one of them. */
static bool lx_dispatch_io(long nr, const long *a, long *ret)
{
	switch (nr) {
	case LX_NR_write:
		*ret = lx_write(a[0], (const void *)a[1], (size_t)a[2]);
		return true;
	case LX_NR_writev:
		*ret = lx_writev(a[0], (const struct lx_iovec *)a[1], a[2]);
		return true;
	case LX_NR_read:
		*ret = lx_read(a[0]);
		return true;
	case LX_NR_ioctl:
		*ret = lx_ioctl(a[0], (unsigned long)a[1], (void *)a[2]);
		return true;
	case LX_NR_fcntl:
		*ret = lx_fcntl(a[0], a[1]);
		return true;
	case LX_NR_close:
		*ret = lx_close(a[0]);
		return true;
	case LX_NR_fsync:
	case LX_NR_fdatasync:
		*ret = lx_fsync(a[0]);
		return true;
	case LX_NR_lseek:
		*ret = lx_lseek(a[0]);
		return true;
	default:
		return false;
	}
}

/** Memory calls: true (and *ret set) if nr is one of them. */
static bool lx_dispatch_mem(long nr, const long *a, long *ret)
{
	switch (nr) {
	case LX_NR_brk:
		*ret = (long)rt_mem_brk((uint64_t)a[0]);
		return true;
	case LX_NR_mmap:
		*ret = rt_mem_mmap((uint64_t)a[0], (uint64_t)a[1], (uint64_t)a[2],
				   (uint64_t)a[3], a[4], (uint64_t)a[5]);
		return true;
	case LX_NR_munmap:
		*ret = rt_mem_munmap((uint64_t)a[0], (uint64_t)a[1]);
		return true;
	case LX_NR_mprotect:
		*ret = rt_mem_mprotect((uint64_t)a[0], (uint64_t)a[1], (uint64_t)a[2]);
		return true;
	case LX_NR_madvise:
		*ret = 0;
		return true;
	case LX_NR_mremap:
		*ret = -LX_ENOMEM; /* musl's realloc then allocates and copies */
		return true;
	default:
		return false;
	}
}

/** Identity calls: true (and *ret set) if nr is one of them. */
static bool lx_dispatch_ids(long nr, const long *a, long *ret)
{
	switch (nr) {
	case LX_NR_set_tid_address:
		lx_clear_tid = (void *)a[0];
		*ret = LX_MAIN_TID;
		return true;
	case LX_NR_gettid:
		*ret = LX_MAIN_TID;
		return true;
	case LX_NR_getpid:
		*ret = (long)rt_domain_id();
		return true;
	case LX_NR_getppid:
	case LX_NR_getuid:
	case LX_NR_geteuid:
	case LX_NR_getgid:
	case LX_NR_getegid:
		*ret = 0;
		return true;
	case LX_NR_uname:
		*ret = linux_proc_uname((void *)a[0]);
		return true;
	default:
		return false;
	}
}

/** Time and scheduling calls: true (and *ret set) if nr is one of them. */
static bool lx_dispatch_time(long nr, const long *a, long *ret)
{
	switch (nr) {
	case LX_NR_clock_gettime:
		*ret = linux_time_clock_gettime(a[0], (void *)a[1]);
		return true;
	case LX_NR_clock_getres:
		*ret = linux_time_clock_getres(a[0], (void *)a[1]);
		return true;
	case LX_NR_nanosleep:
		*ret = linux_time_nanosleep(LX_CLOCK_MONOTONIC, 0, (const void *)a[0],
					  (void *)a[1]);
		return true;
	case LX_NR_clock_nanosleep:
		*ret = linux_time_nanosleep(a[0], a[1], (const void *)a[2], (void *)a[3]);
		return true;
	case LX_NR_sched_yield:
		rift_yield();
		*ret = 0;
		return true;
	default:
		return false;
	}
}

/** Process, signal and futex calls: true (and *ret set) if nr is one of them. */
static bool lx_dispatch_proc(long nr, const long *a, long *ret)
{
	switch (nr) {
	case LX_NR_exit:
	case LX_NR_exit_group:
		rt_exit((int)a[0]);
	case LX_NR_getrandom:
		*ret = linux_proc_getrandom((void *)a[0], (size_t)a[1]);
		return true;
	case LX_NR_kill:
		*ret = linux_proc_kill(a[0], a[1]);
		return true;
	case LX_NR_tkill:
		*ret = linux_proc_tkill(a[0], a[1]);
		return true;
	case LX_NR_tgkill:
		*ret = a[0] == (long)rt_domain_id() ? linux_proc_tkill(a[1], a[2]) : -LX_ESRCH;
		return true;
	case LX_NR_rt_sigaction:
		*ret = linux_proc_sigaction(a[0], (const void *)a[1], (void *)a[2], (size_t)a[3]);
		return true;
	case LX_NR_rt_sigprocmask:
		*ret = linux_proc_sigprocmask(a[0], (const void *)a[1], (void *)a[2], (size_t)a[3]);
		return true;
	case LX_NR_futex:
		*ret = linux_proc_futex((uint32_t *)a[0], a[1], (uint32_t)a[2], (const void *)a[3]);
		return true;
	default:
		return false;
	}
}

/** Performs Linux system call nr; see rift/rt.h. */
long rift_linux_syscall(long a0, long a1, long a2, long a3, long a4, long a5, long nr)
{
	const long a[6] = { a0, a1, a2, a3, a4, a5 };
	long ret;

	if (lx_dispatch_io(nr, a, &ret) || lx_dispatch_mem(nr, a, &ret) ||
	    lx_dispatch_ids(nr, a, &ret) || lx_dispatch_time(nr, a, &ret) ||
	    lx_dispatch_proc(nr, a, &ret)) {
		return ret;
	}
	return lx_unsupported(nr);
}

/** Flushes output and stops the domain; see rift/rt.h. */
void rt_exit(int status)
{
	rt_out_finish();
	rift_exit((uint64_t)(status & 0xff));
}

/** Sets up the time and random-number state. */
void linux_init(void)
{
	linux_time_init();
	linux_proc_random_init();
}
