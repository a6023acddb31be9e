/* SPDX-License-Identifier: MIT */
/*
 * Runtime start-up, called from _rift_start (start.S) before musl's
 * _start: nothing of musl is initialised yet (no TLS, no stdio), so this
 * uses rift calls and the runtime's own code only.
 */
#include <rift/abi.h>
#include <rift/rt.h>
#include <rift/syscall.h>

#include "internal.h"
#include "linux.h"

#define LX_AT_NULL 0

/** This thread's IPC buffer (see rift_ipcbuf() in rift/syscall.h). */
struct rift_ipcbuf *rt_ipcbuf_va;

/** The SP the program was entered with. */
uint64_t *rt_initial_sp;

static uint64_t *init_auxv_base;
static uint64_t init_domain_id;

/** End of the program image, from the linker. */
extern char _end[];
/** The upcall handler (upcall.S). */
extern char __rift_upcall[];

/** Finds the auxv on an initial stack: after argv[], NULL, envp[], NULL. */
static uint64_t *init_find_auxv(uint64_t *sp)
{
	uint64_t argc = sp[0];
	uint64_t *p = sp + 1 + argc + 1;

	while (*p != 0) {
		p++;
	}
	return p + 1;
}

/** The value of auxv entry key, or 0. */
uint64_t rt_auxv(uint64_t key)
{
	if (init_auxv_base == NULL) {
		return 0;
	}
	for (uint64_t *p = init_auxv_base; p[0] != LX_AT_NULL; p += 2) {
		if (p[0] == key) {
			return p[1];
		}
	}
	return 0;
}

/** This domain's id. */
uint64_t rt_domain_id(void)
{
	return init_domain_id;
}

/** Lowers *end to limit if limit lies in (base, *end). */
static void init_clamp(uint64_t base, uint64_t *end, uint64_t limit)
{
	if (limit > base && limit < *end) {
		*end = limit;
	}
}

/**
 * Sets up the memory manager: brk from page_up(_end) for at most
 * RT_BRK_MAX, stopping short of anything mapped above it that we know of
 * (IPC buffer, stack); the fixed metadata and mmap areas of rift/rt.h.
 */
static void init_mem(uint64_t cspace_slots, uint64_t *sp)
{
	struct rt_mem_layout l;
	uint64_t end = (uint64_t)(uintptr_t)_end;

	l.brk_base = (end + RT_PAGE_SIZE - 1) & ~(RT_PAGE_SIZE - 1);
	l.brk_end = l.brk_base + RT_BRK_MAX;
	init_clamp(l.brk_base, &l.brk_end, (uint64_t)(uintptr_t)rt_ipcbuf_va);
	init_clamp(l.brk_base, &l.brk_end, ((uint64_t)(uintptr_t)sp & ~(RT_PAGE_SIZE - 1)) -
						   (16ull << 20));
	init_clamp(l.brk_base, &l.brk_end, RT_META_BASE);
	l.mmap_base = RT_MMAP_BASE;
	l.mmap_end = RT_MMAP_END;
	l.meta_base = RT_META_BASE;
	l.meta_end = RT_META_END;
	if (rt_mem_init(&l, cspace_slots) != 0) {
		rt_log("cannot set up the memory manager: brk and mmap will fail");
	}
}

/**
 * The slots the runtime may use: the cspace, minus the top ones holding the
 * program image when the loader says so (RIFT_AT_SLOT_LIMIT).
 */
static uint64_t init_slot_count(uint64_t cspace_slots)
{
	uint64_t limit = rt_auxv(RIFT_AT_SLOT_LIMIT);

	return limit != 0 && limit < cspace_slots ? limit : cspace_slots;
}

/** Gives up before main(): the domain cannot run. */
static __attribute__((noreturn)) void init_fail(const char *msg)
{
	rt_log(msg);
	rt_exit(127);
}

/** Sets up the runtime; see rift/rt.h. */
void rt_init(uint64_t *sp)
{
	struct rift_domain_info info;

	rt_initial_sp = sp;
	init_auxv_base = init_find_auxv(sp);
	rt_ipcbuf_va = (struct rift_ipcbuf *)(uintptr_t)rt_auxv(RIFT_AT_IPCBUF);
	if (rift_domain_info(&info) != RIFT_KOK) {
		init_fail("RIFT_SYS_DOMAIN_INFO failed");
	}
	init_domain_id = info.id;
	init_mem(init_slot_count(info.cspace_slots), sp);
	linux_init();
	if (rift_set_upcall((uint64_t)(uintptr_t)__rift_upcall) != RIFT_KOK) {
		init_fail("RIFT_SYS_SET_UPCALL failed: Linux system calls cannot work");
	}
}
