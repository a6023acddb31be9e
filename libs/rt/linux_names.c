/* SPDX-License-Identifier: MIT */
/*
 * Names of common aarch64 Linux system calls, for the "unsupported"
 * log line. Sorted by number; generic table of Linux 6.x.
 */
#include <stddef.h>

#include "linux.h"

/** One system call number and its name. */
struct linux_name {
	unsigned short nr;
	const char *name;
};

static const struct linux_name lx_names[] = {
	{ 17, "getcwd" },
	{ 19, "eventfd2" },
	{ 20, "epoll_create1" },
	{ 21, "epoll_ctl" },
	{ 22, "epoll_pwait" },
	{ 23, "dup" },
	{ 24, "dup3" },
	{ 25, "fcntl" },
	{ 26, "inotify_init1" },
	{ 29, "ioctl" },
	{ 32, "flock" },
	{ 33, "mknodat" },
	{ 34, "mkdirat" },
	{ 35, "unlinkat" },
	{ 36, "symlinkat" },
	{ 37, "linkat" },
	{ 38, "renameat" },
	{ 43, "statfs" },
	{ 44, "fstatfs" },
	{ 45, "truncate" },
	{ 46, "ftruncate" },
	{ 47, "fallocate" },
	{ 48, "faccessat" },
	{ 49, "chdir" },
	{ 50, "fchdir" },
	{ 51, "chroot" },
	{ 52, "fchmod" },
	{ 53, "fchmodat" },
	{ 54, "fchownat" },
	{ 55, "fchown" },
	{ 56, "openat" },
	{ 57, "close" },
	{ 59, "pipe2" },
	{ 61, "getdents64" },
	{ 62, "lseek" },
	{ 63, "read" },
	{ 64, "write" },
	{ 65, "readv" },
	{ 66, "writev" },
	{ 67, "pread64" },
	{ 68, "pwrite64" },
	{ 69, "preadv" },
	{ 70, "pwritev" },
	{ 71, "sendfile" },
	{ 72, "pselect6" },
	{ 73, "ppoll" },
	{ 74, "signalfd4" },
	{ 76, "splice" },
	{ 78, "readlinkat" },
	{ 79, "newfstatat" },
	{ 80, "fstat" },
	{ 81, "sync" },
	{ 82, "fsync" },
	{ 83, "fdatasync" },
	{ 85, "timerfd_create" },
	{ 86, "timerfd_settime" },
	{ 88, "utimensat" },
	{ 90, "capget" },
	{ 93, "exit" },
	{ 94, "exit_group" },
	{ 95, "waitid" },
	{ 96, "set_tid_address" },
	{ 97, "unshare" },
	{ 98, "futex" },
	{ 99, "set_robust_list" },
	{ 100, "get_robust_list" },
	{ 101, "nanosleep" },
	{ 102, "getitimer" },
	{ 103, "setitimer" },
	{ 107, "timer_create" },
	{ 113, "clock_gettime" },
	{ 114, "clock_getres" },
	{ 115, "clock_nanosleep" },
	{ 116, "syslog" },
	{ 117, "ptrace" },
	{ 118, "sched_setparam" },
	{ 119, "sched_setscheduler" },
	{ 120, "sched_getscheduler" },
	{ 121, "sched_getparam" },
	{ 122, "sched_setaffinity" },
	{ 123, "sched_getaffinity" },
	{ 124, "sched_yield" },
	{ 129, "kill" },
	{ 130, "tkill" },
	{ 131, "tgkill" },
	{ 132, "sigaltstack" },
	{ 133, "rt_sigsuspend" },
	{ 134, "rt_sigaction" },
	{ 135, "rt_sigprocmask" },
	{ 136, "rt_sigpending" },
	{ 137, "rt_sigtimedwait" },
	{ 139, "rt_sigreturn" },
	{ 140, "setpriority" },
	{ 141, "getpriority" },
	{ 142, "reboot" },
	{ 153, "times" },
	{ 154, "setpgid" },
	{ 155, "getpgid" },
	{ 156, "getsid" },
	{ 157, "setsid" },
	{ 160, "uname" },
	{ 161, "sethostname" },
	{ 163, "getrlimit" },
	{ 164, "setrlimit" },
	{ 165, "getrusage" },
	{ 166, "umask" },
	{ 167, "prctl" },
	{ 168, "getcpu" },
	{ 169, "gettimeofday" },
	{ 170, "settimeofday" },
	{ 172, "getpid" },
	{ 173, "getppid" },
	{ 174, "getuid" },
	{ 175, "geteuid" },
	{ 176, "getgid" },
	{ 177, "getegid" },
	{ 178, "gettid" },
	{ 179, "sysinfo" },
	{ 198, "socket" },
	{ 199, "socketpair" },
	{ 200, "bind" },
	{ 201, "listen" },
	{ 202, "accept" },
	{ 203, "connect" },
	{ 204, "getsockname" },
	{ 205, "getpeername" },
	{ 206, "sendto" },
	{ 207, "recvfrom" },
	{ 208, "setsockopt" },
	{ 209, "getsockopt" },
	{ 210, "shutdown" },
	{ 211, "sendmsg" },
	{ 212, "recvmsg" },
	{ 214, "brk" },
	{ 215, "munmap" },
	{ 216, "mremap" },
	{ 220, "clone" },
	{ 221, "execve" },
	{ 222, "mmap" },
	{ 226, "mprotect" },
	{ 227, "msync" },
	{ 228, "mlock" },
	{ 229, "munlock" },
	{ 232, "mincore" },
	{ 233, "madvise" },
	{ 242, "accept4" },
	{ 260, "wait4" },
	{ 261, "prlimit64" },
	{ 278, "getrandom" },
	{ 279, "memfd_create" },
	{ 281, "execveat" },
	{ 283, "membarrier" },
	{ 291, "statx" },
	{ 293, "rseq" },
	{ 435, "clone3" },
	{ 439, "faccessat2" },
};

/** The name of Linux system call nr, or NULL if it is not in the table. */
const char *linux_names_lookup(long nr)
{
	size_t lo = 0;
	size_t hi = sizeof(lx_names) / sizeof(lx_names[0]);

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (lx_names[mid].nr == nr) {
			return lx_names[mid].name;
		}
		if (lx_names[mid].nr < nr) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	return NULL;
}
