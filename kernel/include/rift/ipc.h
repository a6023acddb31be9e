/* SPDX-License-Identifier: MIT */
/*
 * Synchronous IPC on endpoints and asynchronous notifications (seL4 style).
 * A message is a label, an info word (word and capability counts), up to
 * 64 words (the first five in registers x3..x7, the rest in the IPC buffer)
 * and up to four capabilities. All functions act on the current thread @t
 * and leave results in threads' saved registers; the caller then returns
 * through sched_next().
 */
#ifndef RIFT_IPC_H
#define RIFT_IPC_H

#include <rift/object.h>

#define IPC_FLAG_CALL 1u
#define IPC_FLAG_GRANT 2u
#define IPC_FLAG_FAULT 4u
#define IPC_FLAG_GRANT_REPLY 8u /**< the reply may carry capabilities */
#define IPC_FLAG_VCPU 16u /**< a vCPU's exit (rift/vcpu.h) */

int endpoint_create(struct domain *d, struct endpoint **out);
int notification_create(struct domain *d, struct notification **out);

/** Send on @ep (flags: IPC_FLAG_CALL / GRANT); @block: wait for a receiver. */
int ipc_send(struct thread *t, struct endpoint *ep, uint64_t badge,
	     uint32_t flags, bool block);
int ipc_recv(struct thread *t, struct endpoint *ep, bool block);
int ipc_reply(struct thread *t);

void notification_signal(struct notification *n, uint64_t bits);
int notification_wait(struct thread *t, struct notification *n, bool block);

/** Deliver @t's pending fault to its domain's fault endpoint. */
void ipc_send_fault(struct thread *t);

#endif
