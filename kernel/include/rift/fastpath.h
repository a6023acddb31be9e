/* SPDX-License-Identifier: MIT */
#ifndef RIFT_FASTPATH_H
#define RIFT_FASTPATH_H

#include <rift/object.h>

/** Return the frame to resume, or NULL to take the general path. */
struct trap_frame *fastpath_call(struct thread *t, struct trap_frame *f);
struct trap_frame *fastpath_reply_recv(struct thread *t, struct trap_frame *f);
/** vCPU @t's decoded exit straight to a VMM thread waiting for it. */
struct vcpu;
struct trap_frame *fastpath_vcpu_exit(struct thread *t, struct vcpu *v);

#endif
