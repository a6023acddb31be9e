/* SPDX-License-Identifier: MIT */
/*
 * The memory manager's seam to the kernel (see internal.h): the only place
 * mem.c's requests become system calls, so that mem.c runs on the host
 * against a fake kernel in tests/unit/test_rt_mem.c.
 */
#include <rift/syscall.h>

#include "internal.h"

/** Allocates a frame of order in our own domain, into slot. */
long rt_sys_frame_alloc(uint64_t slot, uint32_t order)
{
	return rift_frame_alloc(0, slot, order, -1, 0);
}

/** Maps frame slot at va in our own domain, read-write, never executable. */
long rt_sys_map(uint64_t slot, uint64_t va)
{
	return rift_map(0, slot, va, RIFT_MAP_READ | RIFT_MAP_WRITE);
}

/** Unmaps frame slot. */
long rt_sys_unmap(uint64_t slot)
{
	return rift_unmap(slot);
}

/** Deletes the capability in slot (for an original frame: frees it). */
long rt_sys_cap_delete(uint64_t slot)
{
	return rift_cap_delete(slot);
}
