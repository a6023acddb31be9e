/* SPDX-License-Identifier: MIT */
/*
 * The rift domain runtime (librift): what runs before main() and under
 * musl. It sets itself up from the initial stack (libs/rt/init.c), then
 * services the Linux system calls musl makes, which the kernel reflects to
 * it as upcalls (libs/rt/upcall.S, libs/rt/linux.c). See docs/domains.md.
 *
 * Everything here runs on the calling thread; domains are single-threaded
 * for now and nothing here is reentrant. Code that runs inside the upcall
 * handler may make rift calls only, never Linux system calls (the kernel
 * would answer RIFT_KEDEADLK), so none of it calls back into musl except
 * for the pure string functions.
 */
#ifndef RIFT_RT_H
#define RIFT_RT_H

#include <stddef.h>
#include <stdint.h>

/* --------------------------------------------------------- memory layout */

/*
 * Virtual memory of a domain (all below 2^43, the kernel maps at least
 * 48-bit user addresses):
 *
 *   0x0000_0000_0040_0000  program (static ELF at its link address)
 *   page_up(_end)          brk heap, at most RT_BRK_MAX bytes
 *   0x0000_0010_0000_0000  IPC buffer of the first thread (RIFT_BOOT_IPCBUF_VA)
 *   0x0000_0020_0000_0000  boot archive (first domain only)
 *   0x0000_0030_0000_0000  device tree (first domain only)
 *   0x0000_0040_0000_0000  top of the initial stack (RIFT_BOOT_STACK_TOP)
 *   0x0000_00f0_0000_0000  runtime metadata (slot bitmap, frame table)
 *   0x0000_0100_0000_0000  mmap area, first fit upward ...
 *   0x0000_0800_0000_0000  ... end of the mmap area
 *
 * The supervisor uses the same layout for the domains it starts.
 */
#define RT_PAGE_SIZE 4096ull
#define RT_BRK_MAX (1ull << 30)                   /**< 1 GiB of brk heap */
#define RT_META_BASE 0x000000f000000000ull        /**< runtime metadata */
#define RT_META_END 0x0000010000000000ull
#define RT_MMAP_BASE 0x0000010000000000ull        /**< mmap area (1 TiB) */
#define RT_MMAP_END 0x0000080000000000ull         /**< (8 TiB) */

/** Frame orders the kernel allocates (log2 of the size in 4 KiB pages). */
#define RT_ORDER_4K 0u
#define RT_ORDER_2M 9u
#define RT_ORDER_1G 18u

/** The address ranges the memory manager works in; all page-aligned. */
struct rt_mem_layout {
	uint64_t brk_base; /**< start of the brk heap (page_up(_end)) */
	uint64_t brk_end;  /**< the break never goes above this */
	uint64_t mmap_base;
	uint64_t mmap_end;
	uint64_t meta_base; /**< the runtime's own metadata grows up from here */
	uint64_t meta_end;
};

/**
 * Sets up the memory manager for a cspace of cspace_slots slots: maps the
 * slot bitmap at layout->meta_base using the first slots from
 * RIFT_SLOT_FIRST_FREE. Returns 0 or a negative Linux errno.
 */
long rt_mem_init(const struct rt_mem_layout *layout, uint64_t cspace_slots);

/** Linux brk(2): returns the new break, or the old one on failure. */
uint64_t rt_mem_brk(uint64_t addr);

/** Linux mmap(2), anonymous memory only: returns the address or -errno. */
long rt_mem_mmap(uint64_t addr, uint64_t len, uint64_t prot, uint64_t flags, int64_t fd,
		 uint64_t off);

/** Linux munmap(2) on the mmap area: returns 0 or -errno. */
long rt_mem_munmap(uint64_t addr, uint64_t len);

/** Linux mprotect(2): PROT_READ|PROT_WRITE on runtime memory only. */
long rt_mem_mprotect(uint64_t addr, uint64_t len, uint64_t prot);

/** Number of frames the memory manager holds (brk and mmap), for tests. */
size_t rt_mem_frame_count(void);

/**
 * Allocates an empty capability slot of this domain's cspace; returns 0 if
 * none is left. Slots below RIFT_SLOT_FIRST_FREE and from RIFT_AT_SLOT_LIMIT
 * up are never handed out; consecutive calls return ascending slots while
 * the cspace has not wrapped (next fit).
 */
uint64_t rt_slot_alloc(void);

/** Returns a slot from rt_slot_alloc() (its capability already deleted). */
void rt_slot_free(uint64_t slot);

/* --------------------------------------------------- capabilities by name */

struct rift_cap_entry;
struct rift_cap_table;

/**
 * The slot of the capability the system description named @name for this
 * domain (a channel's name, "mmio", "irq", "irq-notification",
 * "irq-control", "device", "klog"; docs/system-description.md), or 0 when
 * the domain was given no capability of that name.
 */
uint64_t rt_cap(const char *name);

/** Its whole entry (kind, slot, frame count, badge), or NULL. */
const struct rift_cap_entry *rt_cap_find(const char *name);

/** The same lookup in table @t (host tests). */
const struct rift_cap_entry *rt_cap_find_in(const struct rift_cap_table *t,
					    const char *name);

/** The table the supervisor gave this domain, or NULL (rift/caps.h). */
const struct rift_cap_table *rt_cap_table(void);

/** This domain's name in the system description, or NULL. */
const char *rt_domain_name(void);

/**
 * For a server of @channel: the name of the client whose calls carry
 * @badge (endpoint) or whose bit is @badge (notification), or NULL.
 */
const char *rt_cap_client_name(const char *channel, uint64_t badge);

/** For a server of @channel: the badge of client @client, or 0. */
uint64_t rt_cap_client_badge(const char *channel, const char *client);

/**
 * For a server of @channel: the @index-th (from 0) attribute entry of
 * @kind (enum rift_capk, e.g. RIFT_CAPK_PEER_PCI) the supervisor listed
 * for the client whose badge is @badge, or NULL when there are no more.
 */
const char *rt_cap_client_attr(const char *channel, uint64_t badge,
			       uint32_t kind, uint32_t index);

/**
 * For a server of @channel: its clients' names and badges, in badge
 * order, at most @max stored; returns how many there are.
 */
uint32_t rt_cap_clients(const char *channel, const char **names,
			uint64_t *badges, uint32_t max);

/* ---------------------------------------------------------------- console */

/**
 * Console backend: writes len bytes of whole lines (or pieces of a line
 * longer than the line buffer) somewhere a human sees them. The default
 * (weak, libs/rt/console_debug.c) uses RIFT_SYS_DEBUG_WRITE; a console
 * client replaces it by defining a strong rt_console_write(). Runs inside
 * the upcall handler: rift calls only.
 */
void rt_console_write(const void *buf, size_t len);
/**
 * Writes @buf to the kernel log with RIFT_SYS_DEBUG_WRITE, in pieces of at
 * most RIFT_DEBUG_WRITE_MAX bytes cut after a newline where possible (each
 * piece is one or more tagged lines). Uses ipcbuf->data as scratch.
 */
void rt_debug_write(const void *buf, size_t len);

/** Appends output to the line buffer; whole lines go to the backend. */
void rt_out_write(const void *buf, size_t len);

/** Sends a pending partial line to the backend. */
void rt_out_flush(void);

/** At exit: completes a pending partial line with a newline and sends it. */
void rt_out_finish(void);

/** Writes one runtime message line ("rift-rt: " is not added). */
void rt_log(const char *msg);

/* ------------------------------------------------------------------ start */

/** The stack pointer the program was entered with (argc, argv, envp, auxv). */
extern uint64_t *rt_initial_sp;

/** This domain's id (RIFT_SYS_DOMAIN_INFO), valid after start. */
uint64_t rt_domain_id(void);

/** The value of auxv entry key, or 0. Usable before musl is initialised. */
uint64_t rt_auxv(uint64_t key);

/**
 * Reads CLOCK_REALTIME from the wall-clock page at @page (rift/wallclock.h)
 * from now on. The runtime finds the page itself through RIFT_AT_WALLCLOCK;
 * the supervisor, which makes the page, maps it and attaches it here.
 */
void rt_wallclock_attach(const void *page);

/**
 * Called by _rift_start (libs/rt/start.S) before musl's _start: finds the
 * IPC buffer, sets up memory and installs the upcall handler.
 */
void rt_init(uint64_t *sp);

/**
 * The upcall handler's C part: performs Linux system call nr with
 * arguments a0..a5 and returns the result (>= 0 or -errno).
 */
long rift_linux_syscall(long a0, long a1, long a2, long a3, long a4, long a5, long nr);

/** Stops the domain with an exit status after flushing output. */
__attribute__((noreturn)) void rt_exit(int status);

#endif
