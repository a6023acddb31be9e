/* SPDX-License-Identifier: MIT */
#ifndef RIFT_FASTPATH_H
#define RIFT_FASTPATH_H

#include <rift/object.h>

/** Return the frame to resume, or NULL to take the general path. */
struct trap_frame *fastpath_call(struct thread *t, struct trap_frame *f);
struct trap_frame *fastpath_reply_recv(struct thread *t, struct trap_frame *f);
/**
 * The fast path for system call @nr, if it has one and it applies: the
 * frame to resume, or NULL for the general path (syscall_dispatch()).
 */
struct trap_frame *fastpath_try(struct thread *t, struct trap_frame *f,
				uint32_t nr);

/** The IPC fast path can be turned off (rift.fastpath=off) to compare. */
extern bool fast_enabled;

#endif
