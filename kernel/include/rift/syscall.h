/* SPDX-License-Identifier: MIT */
#ifndef RIFT_SYSCALL_H
#define RIFT_SYSCALL_H

#include <rift/object.h>

void syscall_dispatch(struct thread *t, struct trap_frame *f, uint32_t nr);
int sys_irq_bind(struct thread *t, struct trap_frame *f);
int sys_irq_ack(struct thread *t, struct trap_frame *f);
int sys_tick_bind(struct thread *t, struct trap_frame *f);
/* Argument decoding shared with vcpu.c (see syscall.c). */
struct cap *syscall_lookup_typed(struct thread *t, uint64_t cptr, uint8_t type,
				 uint8_t rights, int *err);
struct domain *syscall_lookup_domain(struct thread *t, uint64_t cptr, int *err);
int syscall_decode_target(struct thread *t, uint64_t dom_cptr, uint64_t slot,
			  uint64_t copy, struct domain **d, struct cap **s,
			  struct cap **c);
int syscall_place_object(struct thread *t, struct domain *d, struct cap *slot,
			 struct cap *copy);
/** May a device frame cover [pa, pa+size)? Not RAM, not kernel devices. */
bool kernel_device_frame_ok(paddr_t pa, uint64_t size);

#endif
