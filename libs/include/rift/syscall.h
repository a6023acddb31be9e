/* SPDX-License-Identifier: MIT */
/*
 * rift system call wrappers for user domains (EL0, aarch64 only).
 *
 * Every call in <rift/abi.h> has one static inline wrapper here: `svc #N`
 * with arguments in x0..x7 and results in x0 (0 or a negative RIFT_KE*
 * error) and, for some calls, x1..x8. The kernel preserves every register
 * it does not name as a result, so each wrapper tells the compiler exactly
 * which registers change and clobbers only "memory" (the kernel may read or
 * write the IPC buffer and, for some calls, memory it maps).
 *
 * IPC message registers travel in struct rift_regs_msg; message words 5 and
 * above are read and written directly in rift_ipcbuf()->mr[].
 *
 * Not for the host: this header contains aarch64 inline assembly.
 */
#ifndef RIFT_SYSCALL_H
#define RIFT_SYSCALL_H

#include <stddef.h>
#include <stdint.h>

#include <rift/abi.h>

#if !defined(__aarch64__)
#error "<rift/syscall.h> is for aarch64 domains only"
#endif

/** Declares register variable _x<n> bound to x<n>, initialised to v. */
#define RIFT__REG(n, v) register uint64_t _x##n __asm__("x" #n) = (uint64_t)(v)
/** Declares register variable _x<n> bound to x<n>, uninitialised. */
#define RIFT__OUT(n) register uint64_t _x##n __asm__("x" #n)

/**
 * The register part of an IPC message: label (x1), info word (x2, see
 * RIFT_INFO()), message words MR0..MR4 (x3..x7) and, on receive, the badge
 * of the capability the sender used (x8).
 */
struct rift_regs_msg {
	uint64_t label;
	uint64_t info;
	uint64_t mr[RIFT_MSG_REG_WORDS];
	uint64_t badge; /**< set on receive; ignored on send */
};

/** What RIFT_SYS_CAP_INFO reports about a capability. */
struct rift_cap_info {
	uint64_t type;       /**< enum rift_cap_type */
	uint64_t rights;     /**< RIFT_RIGHT_* */
	uint64_t badge;
	uint64_t size_order; /**< frames: log2(size / 4 KiB) */
};

/** What RIFT_SYS_MEMINFO reports. */
struct rift_meminfo {
	uint64_t free_pages;  /**< free pages of the machine on the node */
	uint64_t total_pages; /**< all pages of the node */
	uint64_t pool_used;   /**< pages charged to the caller's pool */
	uint64_t pool_quota;  /**< the caller's quota in pages */
};

/** What RIFT_SYS_DOMAIN_INFO reports about the caller's domain. */
struct rift_domain_info {
	uint64_t id;           /**< domain id (also the Linux pid) */
	uint64_t cspace_slots; /**< number of capability slots */
	uint64_t max_prio;     /**< highest priority its threads may have */
};

/**
 * This thread's IPC buffer, set by the runtime before main() from the
 * RIFT_AT_IPCBUF auxv entry (see libs/rt/init.c). Domains are
 * single-threaded for now, so it is a plain global read through this one
 * accessor; when threads arrive only the accessor changes (to read a
 * per-thread register, see docs/domains.md). NULL if the auxv had none.
 */
extern struct rift_ipcbuf *rt_ipcbuf_va;

/** Returns this thread's IPC buffer. */
static inline struct rift_ipcbuf *rift_ipcbuf(void)
{
	return rt_ipcbuf_va;
}

/* ------------------------------------------------------------ basic calls */

/** Does nothing; returns 0. For benchmarks. */
static inline long rift_null(void)
{
	RIFT__OUT(0);
	__asm__ volatile("svc %[n]" : "=r"(_x0) : [n] "i"(RIFT_SYS_NULL) : "memory");
	return (long)_x0;
}

/** Writes rift_ipcbuf()->data[0..len) to the kernel log, tagged by domain. */
static inline long rift_debug_write(uint64_t len)
{
	RIFT__REG(0, len);
	__asm__ volatile("svc %[n]" : "+r"(_x0) : [n] "i"(RIFT_SYS_DEBUG_WRITE) : "memory");
	return (long)_x0;
}

/** Sets the PC the kernel resumes at on `svc #0` (0 = none: fault instead). */
static inline long rift_set_upcall(uint64_t entry)
{
	RIFT__REG(0, entry);
	__asm__ volatile("svc %[n]" : "+r"(_x0) : [n] "i"(RIFT_SYS_SET_UPCALL) : "memory");
	return (long)_x0;
}

/**
 * Leaves an upcall handler: resumes after the `svc #0` with result in x0
 * and every other register as it is now. Only meaningful in assembly that
 * has restored the interrupted thread's registers (libs/rt/upcall.S); from
 * C it returns an error when no upcall is active.
 */
static inline long rift_upcall_return(long result)
{
	RIFT__REG(0, result);
	__asm__ volatile("svc %[n]" : "+r"(_x0) : [n] "i"(RIFT_SYS_UPCALL_RETURN) : "memory");
	return (long)_x0;
}

/** Gives up the CPU to threads of the same priority. */
static inline long rift_yield(void)
{
	RIFT__OUT(0);
	__asm__ volatile("svc %[n]" : "=r"(_x0) : [n] "i"(RIFT_SYS_YIELD) : "memory");
	return (long)_x0;
}

/** Stops the calling thread; its domain's fault handler gets RIFT_FAULT_EXIT with status. */
static inline __attribute__((noreturn)) void rift_exit(uint64_t status)
{
	RIFT__REG(0, status);
	__asm__ volatile("svc %[n]" : "+r"(_x0) : [n] "i"(RIFT_SYS_EXIT) : "memory");
	__builtin_trap();
}

/* -------------------------------------------------------------------- IPC */

/*
 * All IPC calls share one register convention. RIFT__IPC_IN loads x1..x7
 * from a message; RIFT__IPC_STORE copies x1..x8 back after a receive.
 */
#define RIFT__IPC_IN(m)                                                     \
	RIFT__REG(1, (m)->label);                                           \
	RIFT__REG(2, (m)->info);                                            \
	RIFT__REG(3, (m)->mr[0]);                                           \
	RIFT__REG(4, (m)->mr[1]);                                           \
	RIFT__REG(5, (m)->mr[2]);                                           \
	RIFT__REG(6, (m)->mr[3]);                                           \
	RIFT__REG(7, (m)->mr[4])

#define RIFT__IPC_STORE(m)                                                  \
	do {                                                                \
		(m)->label = _x1;                                           \
		(m)->info = _x2;                                            \
		(m)->mr[0] = _x3;                                           \
		(m)->mr[1] = _x4;                                           \
		(m)->mr[2] = _x5;                                           \
		(m)->mr[3] = _x6;                                           \
		(m)->mr[4] = _x7;                                           \
		(m)->badge = _x8;                                           \
	} while (0)

/** Sends msg and blocks for the reply, received into msg. */
static inline long rift_call(uint64_t ep, struct rift_regs_msg *msg)
{
	RIFT__REG(0, ep);
	RIFT__IPC_IN(msg);
	RIFT__OUT(8);
	__asm__ volatile("svc %[n]"
			 : "+r"(_x0), "+r"(_x1), "+r"(_x2), "+r"(_x3), "+r"(_x4),
			   "+r"(_x5), "+r"(_x6), "+r"(_x7), "=r"(_x8)
			 : [n] "i"(RIFT_SYS_CALL)
			 : "memory");
	RIFT__IPC_STORE(msg);
	return (long)_x0;
}

/** Sends msg, blocking until a receiver takes it. */
static inline long rift_send(uint64_t ep, const struct rift_regs_msg *msg)
{
	RIFT__REG(0, ep);
	RIFT__IPC_IN(msg);
	__asm__ volatile("svc %[n]"
			 : "+r"(_x0)
			 : [n] "i"(RIFT_SYS_SEND), "r"(_x1), "r"(_x2), "r"(_x3),
			   "r"(_x4), "r"(_x5), "r"(_x6), "r"(_x7)
			 : "memory");
	return (long)_x0;
}

/** Sends msg if a receiver is waiting; otherwise RIFT_KEAGAIN. */
static inline long rift_nbsend(uint64_t ep, const struct rift_regs_msg *msg)
{
	RIFT__REG(0, ep);
	RIFT__IPC_IN(msg);
	__asm__ volatile("svc %[n]"
			 : "+r"(_x0)
			 : [n] "i"(RIFT_SYS_NBSEND), "r"(_x1), "r"(_x2), "r"(_x3),
			   "r"(_x4), "r"(_x5), "r"(_x6), "r"(_x7)
			 : "memory");
	return (long)_x0;
}

/** Shared body of rift_recv() and rift_nbrecv(). */
#define RIFT__RECV(nr, ep, msg)                                             \
	do {                                                                \
		RIFT__REG(0, ep);                                           \
		RIFT__OUT(1);                                               \
		RIFT__OUT(2);                                               \
		RIFT__OUT(3);                                               \
		RIFT__OUT(4);                                               \
		RIFT__OUT(5);                                               \
		RIFT__OUT(6);                                               \
		RIFT__OUT(7);                                               \
		RIFT__OUT(8);                                               \
		__asm__ volatile("svc %[n]"                                 \
				 : "+r"(_x0), "=r"(_x1), "=r"(_x2),         \
				   "=r"(_x3), "=r"(_x4), "=r"(_x5),         \
				   "=r"(_x6), "=r"(_x7), "=r"(_x8)          \
				 : [n] "i"(nr)                              \
				 : "memory");                               \
		RIFT__IPC_STORE(msg);                                       \
		return (long)_x0;                                           \
	} while (0)

/** Blocks until a message arrives on ep; stores it in msg. */
static inline long rift_recv(uint64_t ep, struct rift_regs_msg *msg)
{
	RIFT__RECV(RIFT_SYS_RECV, ep, msg);
}

/** Receives a waiting message, or returns RIFT_KEAGAIN. */
static inline long rift_nbrecv(uint64_t ep, struct rift_regs_msg *msg)
{
	RIFT__RECV(RIFT_SYS_NBRECV, ep, msg);
}

/** Replies msg to the last caller. */
static inline long rift_reply(const struct rift_regs_msg *msg)
{
	RIFT__OUT(0);
	RIFT__IPC_IN(msg);
	__asm__ volatile("svc %[n]"
			 : "=r"(_x0)
			 : [n] "i"(RIFT_SYS_REPLY), "r"(_x1), "r"(_x2), "r"(_x3),
			   "r"(_x4), "r"(_x5), "r"(_x6), "r"(_x7)
			 : "memory");
	return (long)_x0;
}

/** Replies msg to the last caller, then receives the next message into msg. */
static inline long rift_reply_recv(uint64_t ep, struct rift_regs_msg *msg)
{
	RIFT__REG(0, ep);
	RIFT__IPC_IN(msg);
	RIFT__OUT(8);
	__asm__ volatile("svc %[n]"
			 : "+r"(_x0), "+r"(_x1), "+r"(_x2), "+r"(_x3), "+r"(_x4),
			   "+r"(_x5), "+r"(_x6), "+r"(_x7), "=r"(_x8)
			 : [n] "i"(RIFT_SYS_REPLY_RECV)
			 : "memory");
	RIFT__IPC_STORE(msg);
	return (long)_x0;
}

/* ---------------------------------------------------------- notifications */

/** ORs the badge of ntfn into its notification word. */
static inline long rift_signal(uint64_t ntfn)
{
	RIFT__REG(0, ntfn);
	__asm__ volatile("svc %[n]" : "+r"(_x0) : [n] "i"(RIFT_SYS_SIGNAL) : "memory");
	return (long)_x0;
}

/** Shared body of rift_wait() and rift_poll(). */
#define RIFT__NTFN_WORD(nr, ntfn, word)                                     \
	do {                                                                \
		RIFT__REG(0, ntfn);                                         \
		RIFT__OUT(1);                                               \
		__asm__ volatile("svc %[n]"                                 \
				 : "+r"(_x0), "=r"(_x1)                     \
				 : [n] "i"(nr)                              \
				 : "memory");                               \
		if ((word) != NULL) {                                       \
			*(word) = _x1;                                      \
		}                                                           \
		return (long)_x0;                                           \
	} while (0)

/** Blocks until the word of ntfn is non-zero; returns it (cleared) in *word. */
static inline long rift_wait(uint64_t ntfn, uint64_t *word)
{
	RIFT__NTFN_WORD(RIFT_SYS_WAIT, ntfn, word);
}

/** Reads and clears the word of ntfn without blocking. */
static inline long rift_poll(uint64_t ntfn, uint64_t *word)
{
	RIFT__NTFN_WORD(RIFT_SYS_POLL, ntfn, word);
}

/* ----------------------------------------------------------- capabilities */

/** Describes the capability in slot cptr. */
static inline long rift_cap_info(uint64_t cptr, struct rift_cap_info *out)
{
	RIFT__REG(0, cptr);
	RIFT__OUT(1);
	RIFT__OUT(2);
	RIFT__OUT(3);
	RIFT__OUT(4);
	__asm__ volatile("svc %[n]"
			 : "+r"(_x0), "=r"(_x1), "=r"(_x2), "=r"(_x3), "=r"(_x4)
			 : [n] "i"(RIFT_SYS_CAP_INFO)
			 : "memory");
	out->type = _x1;
	out->rights = _x2;
	out->badge = _x3;
	out->size_order = _x4;
	return (long)_x0;
}

/**
 * Copies capability src into slot dst_slot of domain dst_domain (0 = self),
 * keeping only the rights in the mask and setting badge (0 = keep).
 */
static inline long rift_cap_copy(uint64_t src, uint64_t dst_domain, uint64_t dst_slot,
				 uint64_t rights, uint64_t badge)
{
	RIFT__REG(0, src);
	RIFT__REG(1, dst_domain);
	RIFT__REG(2, dst_slot);
	RIFT__REG(3, rights);
	RIFT__REG(4, badge);
	__asm__ volatile("svc %[n]"
			 : "+r"(_x0)
			 : [n] "i"(RIFT_SYS_CAP_COPY), "r"(_x1), "r"(_x2), "r"(_x3),
			   "r"(_x4)
			 : "memory");
	return (long)_x0;
}

/** Shared body of the calls that take one argument and return x0 only. */
#define RIFT__CALL1(nr, a0)                                                 \
	do {                                                                \
		RIFT__REG(0, a0);                                           \
		__asm__ volatile("svc %[n]"                                 \
				 : "+r"(_x0)                                \
				 : [n] "i"(nr)                              \
				 : "memory");                               \
		return (long)_x0;                                           \
	} while (0)

/** Deletes the capability in slot cptr. */
static inline long rift_cap_delete(uint64_t cptr)
{
	RIFT__CALL1(RIFT_SYS_CAP_DELETE, cptr);
}

/** Deletes every capability derived from the one in slot cptr. */
static inline long rift_cap_revoke(uint64_t cptr)
{
	RIFT__CALL1(RIFT_SYS_CAP_REVOKE, cptr);
}

/* ---------------------------------------------------------------- objects */

/**
 * Allocates a frame of 4 KiB << order (order 0, 9 or 18) in domain
 * (0 = self) at slot there, from NUMA node (-1 = any); copy_slot != 0 also
 * puts a derived copy into the caller's slot copy_slot.
 */
static inline long rift_frame_alloc(uint64_t domain, uint64_t slot, uint64_t order,
				    int64_t node, uint64_t copy_slot)
{
	RIFT__REG(0, domain);
	RIFT__REG(1, slot);
	RIFT__REG(2, order);
	RIFT__REG(3, node);
	RIFT__REG(4, copy_slot);
	__asm__ volatile("svc %[n]"
			 : "+r"(_x0)
			 : [n] "i"(RIFT_SYS_FRAME_ALLOC), "r"(_x1), "r"(_x2), "r"(_x3),
			   "r"(_x4)
			 : "memory");
	return (long)_x0;
}

/** Maps the caller's frame slot @frame at @va in its own domain (domain 0 or a capability to itself; another domain needs rift_map_in()), with RIFT_MAP_* flags. */
static inline long rift_map(uint64_t domain, uint64_t frame, uint64_t va, uint64_t flags)
{
	RIFT__REG(0, domain);
	RIFT__REG(1, frame);
	RIFT__REG(2, va);
	RIFT__REG(3, flags);
	RIFT__REG(4, 0);
	__asm__ volatile("svc %[n]"
			 : "+r"(_x0)
			 : [n] "i"(RIFT_SYS_MAP), "r"(_x1), "r"(_x2), "r"(_x3),
			   "r"(_x4)
			 : "memory");
	return (long)_x0;
}

/**
 * Maps frame slot @frame of domain @domain's own cspace (not the caller's)
 * into that domain at @va: how a supervisor maps a child's frames into the
 * child without holding copies of them (RIFT_SYS_MAP with x4 = 1).
 */
static inline long rift_map_in(uint64_t domain, uint64_t frame, uint64_t va,
			       uint64_t flags)
{
	RIFT__REG(0, domain);
	RIFT__REG(1, frame);
	RIFT__REG(2, va);
	RIFT__REG(3, flags);
	RIFT__REG(4, 1);
	__asm__ volatile("svc %[n]"
			 : "+r"(_x0)
			 : [n] "i"(RIFT_SYS_MAP), "r"(_x1), "r"(_x2), "r"(_x3),
			   "r"(_x4)
			 : "memory");
	return (long)_x0;
}

/** Unmaps the mapping made through frame capability @frame (in its own domain). */
static inline long rift_unmap(uint64_t frame)
{
	RIFT__CALL1(RIFT_SYS_UNMAP, frame);
}

/** Creates an endpoint in the caller's slot. */
static inline long rift_endpoint_create(uint64_t slot)
{
	RIFT__CALL1(RIFT_SYS_ENDPOINT_CREATE, slot);
}

/** Creates a notification in the caller's slot. */
static inline long rift_notification_create(uint64_t slot)
{
	RIFT__CALL1(RIFT_SYS_NOTIFICATION_CREATE, slot);
}

/**
 * Creates a domain inside domain @parent (0 = the caller): the original
 * capability goes into @parent's @slot, the quota (pages) and the domain's
 * cspace of @cspace_slots slots are taken from @parent's quota, and the
 * caller gets a copy in its own @copy slot when @parent is another domain
 * (0 = none). @name (at most 31 characters) is passed in the IPC buffer;
 * a longer name or a missing IPC buffer gives RIFT_KEINVAL. Returns the
 * new domain's id (>= 0, the kernel's x1) or a negative RIFT_KE* error.
 */
static inline long rift_domain_create_in(uint64_t parent, uint64_t slot,
					 uint64_t quota_pages,
					 uint64_t cspace_slots,
					 uint64_t max_prio, uint64_t copy,
					 const char *name)
{
	struct rift_ipcbuf *ib = rift_ipcbuf();
	size_t i;

	if (ib == NULL) {
		return RIFT_KEINVAL;
	}
	for (i = 0; name[i] != '\0'; i++) {
		if (i >= 31) {
			return RIFT_KEINVAL;
		}
		ib->data[i] = (uint8_t)name[i];
	}
	ib->data[i] = 0;

	RIFT__REG(0, slot);
	RIFT__REG(1, quota_pages);
	RIFT__REG(2, cspace_slots);
	RIFT__REG(3, max_prio);
	RIFT__REG(4, parent);
	RIFT__REG(5, copy);
	__asm__ volatile("svc %[n]"
			 : "+r"(_x0), "+r"(_x1)
			 : [n] "i"(RIFT_SYS_DOMAIN_CREATE), "r"(_x2), "r"(_x3),
			   "r"(_x4), "r"(_x5)
			 : "memory");
	return (long)_x0 < 0 ? (long)_x0 : (long)_x1;
}

/** Creates a domain in the caller's own @slot (see rift_domain_create_in). */
static inline long rift_domain_create(uint64_t slot, uint64_t quota_pages,
				      uint64_t cspace_slots, uint64_t max_prio,
				      const char *name)
{
	return rift_domain_create_in(0, slot, quota_pages, cspace_slots,
				     max_prio, 0, name);
}

/**
 * Destroys a domain, every domain nested in it and everything they hold.
 * @domain must be the original capability (only the domain's parent has
 * it; a copy gives RIFT_KERIGHTS). Preemptible inside the kernel: the call
 * returns once all is done.
 */
static inline long rift_domain_destroy(uint64_t domain)
{
	RIFT__CALL1(RIFT_SYS_DOMAIN_DESTROY, domain);
}

/** Sets the endpoint (and badge) the domain's fault messages go to. */
static inline long rift_domain_set_fault(uint64_t domain, uint64_t ep, uint64_t badge)
{
	RIFT__REG(0, domain);
	RIFT__REG(1, ep);
	RIFT__REG(2, badge);
	__asm__ volatile("svc %[n]"
			 : "+r"(_x0)
			 : [n] "i"(RIFT_SYS_DOMAIN_SET_FAULT), "r"(_x1), "r"(_x2)
			 : "memory");
	return (long)_x0;
}

/**
 * Creates a thread in domain (0 = self) at slot there with a priority;
 * copy_slot != 0 also puts a copy of its capability in the caller's slot.
 */
static inline long rift_thread_create(uint64_t domain, uint64_t slot, uint64_t prio,
				      uint64_t copy_slot)
{
	RIFT__REG(0, domain);
	RIFT__REG(1, slot);
	RIFT__REG(2, prio);
	RIFT__REG(3, copy_slot);
	__asm__ volatile("svc %[n]"
			 : "+r"(_x0)
			 : [n] "i"(RIFT_SYS_THREAD_CREATE), "r"(_x1), "r"(_x2), "r"(_x3)
			 : "memory");
	return (long)_x0;
}

/** Starts a thread at pc with stack pointer sp and x0 = arg. */
static inline long rift_thread_start(uint64_t thread, uint64_t pc, uint64_t sp, uint64_t arg)
{
	RIFT__REG(0, thread);
	RIFT__REG(1, pc);
	RIFT__REG(2, sp);
	RIFT__REG(3, arg);
	__asm__ volatile("svc %[n]"
			 : "+r"(_x0)
			 : [n] "i"(RIFT_SYS_THREAD_START), "r"(_x1), "r"(_x2), "r"(_x3)
			 : "memory");
	return (long)_x0;
}

/** Registers a 4 KiB frame, mapped at va in the thread's domain, as its IPC buffer. */
static inline long rift_thread_set_ipcbuf(uint64_t thread, uint64_t frame, uint64_t va)
{
	RIFT__REG(0, thread);
	RIFT__REG(1, frame);
	RIFT__REG(2, va);
	__asm__ volatile("svc %[n]"
			 : "+r"(_x0)
			 : [n] "i"(RIFT_SYS_THREAD_SET_IPCBUF), "r"(_x1), "r"(_x2)
			 : "memory");
	return (long)_x0;
}

/** Makes a frame of device MMIO at physical address pa (4 KiB << order). */
static inline long rift_device_frame(uint64_t device, uint64_t slot, uint64_t pa,
				     uint64_t order)
{
	RIFT__REG(0, device);
	RIFT__REG(1, slot);
	RIFT__REG(2, pa);
	RIFT__REG(3, order);
	__asm__ volatile("svc %[n]"
			 : "+r"(_x0)
			 : [n] "i"(RIFT_SYS_DEVICE_FRAME), "r"(_x1), "r"(_x2), "r"(_x3)
			 : "memory");
	return (long)_x0;
}

/**
 * Makes in @slot a child of the DEVICE or IRQ_CONTROL capability @src
 * covering only [base, base + size) (bytes, 4 KiB aligned, for DEVICE;
 * interrupt numbers for IRQ_CONTROL), with rights masked by @rights.
 */
static inline long rift_cap_carve(uint64_t src, uint64_t slot, uint64_t base,
				  uint64_t size, uint64_t rights)
{
	RIFT__REG(0, src);
	RIFT__REG(1, slot);
	RIFT__REG(2, base);
	RIFT__REG(3, size);
	RIFT__REG(4, rights);
	__asm__ volatile("svc %[n]"
			 : "+r"(_x0)
			 : [n] "i"(RIFT_SYS_CAP_CARVE), "r"(_x1), "r"(_x2), "r"(_x3),
			   "r"(_x4)
			 : "memory");
	return (long)_x0;
}

/**
 * Pin RAM frame @frame for DMA (needs DMA_CONTROL @dmactl): a DMA_PIN
 * capability in empty slot @dst, and the frame's physical address and
 * size in *@pa and *@size. The frame's memory is not reused until the pin
 * is deleted (rift_cap_delete), even after every frame capability is gone.
 */
static inline long rift_dma_pin(uint64_t dmactl, uint64_t frame, uint64_t dst,
				uint64_t *pa, uint64_t *size)
{
	RIFT__REG(0, dmactl);
	RIFT__REG(1, frame);
	RIFT__REG(2, dst);
	__asm__ volatile("svc %[n]"
			 : "+r"(_x0), "+r"(_x1), "+r"(_x2)
			 : [n] "i"(RIFT_SYS_DMA_PIN)
			 : "memory");
	if (_x0 == 0) {
		*pa = _x1;
		*size = _x2;
	}
	return (long)_x0;
}

/**
 * Has notification @ntfn signalled every kernel tick; needs an IRQ_CONTROL
 * capability @irq_control whose range holds the kernel timer's interrupt.
 */
static inline long rift_tick_bind(uint64_t irq_control, uint64_t ntfn)
{
	RIFT__REG(0, irq_control);
	RIFT__REG(1, ntfn);
	__asm__ volatile("svc %[n]"
			 : "+r"(_x0)
			 : [n] "i"(RIFT_SYS_TICK_BIND), "r"(_x1)
			 : "memory");
	return (long)_x0;
}

#ifdef RIFT_DEBUG_CALLS
/** Debug kernels only: recurse @depth frames deep inside the kernel. */
static inline long rift_debug_recurse(uint64_t depth)
{
	RIFT__CALL1(RIFT_SYS_DEBUG_RECURSE, depth);
}
#endif

/* ------------------------------------------------------------- interrupts */

/**
 * Binds interrupt intid to notification ntfn, making an IRQ handler
 * capability in slot; trigger is 0 (level) or 1 (edge).
 */
static inline long rift_irq_bind(uint64_t irq_control, uint64_t intid, uint64_t slot,
				 uint64_t ntfn, uint64_t trigger)
{
	RIFT__REG(0, irq_control);
	RIFT__REG(1, intid);
	RIFT__REG(2, slot);
	RIFT__REG(3, ntfn);
	RIFT__REG(4, trigger);
	__asm__ volatile("svc %[n]"
			 : "+r"(_x0)
			 : [n] "i"(RIFT_SYS_IRQ_BIND), "r"(_x1), "r"(_x2), "r"(_x3),
			   "r"(_x4)
			 : "memory");
	return (long)_x0;
}

/** Acknowledges (unmasks) the interrupt of an IRQ handler capability. */
static inline long rift_irq_ack(uint64_t handler, uint64_t *count)
{
	RIFT__REG(0, handler);
	RIFT__OUT(1); /* deliveries so far */
	__asm__ volatile("svc %[n]"
			 : "+r"(_x0), "=r"(_x1)
			 : [n] "i"(RIFT_SYS_IRQ_ACK)
			 : "memory");
	if (count) {
		*count = _x1;
	}
	return (long)_x0;
}

/* ------------------------------------------------------------- kernel log */

/**
 * Moves the kernel log (and RIFT_SYS_DEBUG_WRITE lines) from the UART into
 * the ring of the log frame (RIFT_SLOT_KLOG); the kernel signals ntfn when
 * it adds a line. The ring's size is returned in *ring_size and its head at
 * the moment of attaching in *head (read from there: what came before went
 * to the UART); either may be NULL.
 */
static inline long rift_klog_attach(uint64_t klog_frame, uint64_t ntfn,
				    uint64_t *ring_size, uint64_t *head)
{
	RIFT__REG(0, klog_frame);
	RIFT__REG(1, ntfn);
	RIFT__OUT(2);
	__asm__ volatile("svc %[n]"
			 : "+r"(_x0), "+r"(_x1), "=r"(_x2)
			 : [n] "i"(RIFT_SYS_KLOG_ATTACH)
			 : "memory");
	if (ring_size != NULL) {
		*ring_size = _x1;
	}
	if (head != NULL) {
		*head = _x2;
	}
	return (long)_x0;
}

/* ------------------------------------------------------------ information */

/** Reports memory of NUMA node and of the caller's pool. */
static inline long rift_meminfo(int64_t node, struct rift_meminfo *out)
{
	RIFT__REG(0, node);
	RIFT__OUT(1);
	RIFT__OUT(2);
	RIFT__OUT(3);
	RIFT__OUT(4);
	__asm__ volatile("svc %[n]"
			 : "+r"(_x0), "=r"(_x1), "=r"(_x2), "=r"(_x3), "=r"(_x4)
			 : [n] "i"(RIFT_SYS_MEMINFO)
			 : "memory");
	out->free_pages = _x1;
	out->total_pages = _x2;
	out->pool_used = _x3;
	out->pool_quota = _x4;
	return (long)_x0;
}

/** Reports the caller's domain id and cspace size. */
static inline long rift_domain_info(struct rift_domain_info *out)
{
	RIFT__OUT(0);
	RIFT__OUT(1);
	RIFT__OUT(2);
	RIFT__OUT(3);
	__asm__ volatile("svc %[n]"
			 : "=r"(_x0), "=r"(_x1), "=r"(_x2), "=r"(_x3)
			 : [n] "i"(RIFT_SYS_DOMAIN_INFO)
			 : "memory");
	out->id = _x1;
	out->cspace_slots = _x2;
	out->max_prio = _x3;
	return (long)_x0;
}

/* ----------------------------------------------------------------- guests */

/**
 * Turns the fresh domain @domain into a guest: stage-2 address space with a
 * VMID, the RMA frame @rma (caller's copy of a frame made in @domain)
 * mapped at @ram_ipa and kept by the kernel while the guest lives.
 */
static inline long rift_guest_init(uint64_t domain, uint64_t rma, uint64_t ram_ipa,
				   uint64_t *vmid)
{
	RIFT__REG(0, domain);
	RIFT__REG(1, rma);
	RIFT__REG(2, ram_ipa);
	__asm__ volatile("svc %[n]"
			 : "+r"(_x0), "+r"(_x1)
			 : [n] "i"(RIFT_SYS_GUEST_INIT), "r"(_x2)
			 : "memory");
	if (vmid) {
		*vmid = _x1;
	}
	return (long)_x0;
}

/** Creates a stopped vCPU in guest @domain at @slot there (see abi.h). */
static inline long rift_vcpu_create(uint64_t domain, uint64_t slot, uint64_t prio,
				    uint64_t copy_slot, uint64_t exit_ep,
				    uint64_t exit_badge, uint64_t mpidr, uint64_t *id)
{
	RIFT__REG(0, domain);
	RIFT__REG(1, slot);
	RIFT__REG(2, prio);
	RIFT__REG(3, copy_slot);
	RIFT__REG(4, exit_ep);
	RIFT__REG(5, exit_badge);
	RIFT__REG(6, mpidr);
	__asm__ volatile("svc %[n]"
			 : "+r"(_x0), "+r"(_x1)
			 : [n] "i"(RIFT_SYS_VCPU_CREATE), "r"(_x2), "r"(_x3), "r"(_x4),
			   "r"(_x5), "r"(_x6)
			 : "memory");
	if (id) {
		*id = _x1;
	}
	return (long)_x0;
}

/** Lets a stopped vCPU run from its registers. */
static inline long rift_vcpu_resume(uint64_t vcpu)
{
	RIFT__CALL1(RIFT_SYS_VCPU_RESUME, vcpu);
}

/** Stops a vCPU whatever it is doing. */
static inline long rift_vcpu_stop(uint64_t vcpu)
{
	RIFT__CALL1(RIFT_SYS_VCPU_STOP, vcpu);
}

/** Reads vCPU register @reg (RIFT_VREG_*). */
static inline long rift_vcpu_read(uint64_t vcpu, uint64_t reg, uint64_t *val)
{
	RIFT__REG(0, vcpu);
	RIFT__REG(1, reg);
	__asm__ volatile("svc %[n]"
			 : "+r"(_x0), "+r"(_x1)
			 : [n] "i"(RIFT_SYS_VCPU_READ)
			 : "memory");
	*val = _x1;
	return (long)_x0;
}

/** Writes vCPU register @reg (RIFT_VREG_*). */
static inline long rift_vcpu_write(uint64_t vcpu, uint64_t reg, uint64_t val)
{
	RIFT__REG(0, vcpu);
	RIFT__REG(1, reg);
	RIFT__REG(2, val);
	__asm__ volatile("svc %[n]"
			 : "+r"(_x0)
			 : [n] "i"(RIFT_SYS_VCPU_WRITE), "r"(_x1), "r"(_x2)
			 : "memory");
	return (long)_x0;
}

/** Virtual interrupt @intid of a vCPU: RIFT_VIRQ_* @op (priority for PRIORITY). */
static inline long rift_vcpu_irq(uint64_t vcpu, uint64_t intid, uint64_t op,
				 uint64_t prio)
{
	RIFT__REG(0, vcpu);
	RIFT__REG(1, intid);
	RIFT__REG(2, op);
	RIFT__REG(3, prio);
	__asm__ volatile("svc %[n]"
			 : "+r"(_x0)
			 : [n] "i"(RIFT_SYS_VCPU_IRQ), "r"(_x1), "r"(_x2), "r"(_x3)
			 : "memory");
	return (long)_x0;
}

#undef RIFT__CALL1
#undef RIFT__NTFN_WORD
#undef RIFT__RECV
#undef RIFT__IPC_STORE
#undef RIFT__IPC_IN
#undef RIFT__OUT
#undef RIFT__REG

#endif
