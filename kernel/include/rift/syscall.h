/* SPDX-License-Identifier: MIT */
#ifndef RIFT_SYSCALL_H
#define RIFT_SYSCALL_H

#include <rift/object.h>

void syscall_dispatch(struct thread *t, struct trap_frame *f, uint32_t nr);
int sys_irq_bind(struct thread *t, struct trap_frame *f);
int sys_irq_ack(struct thread *t, struct trap_frame *f);
int sys_tick_bind(struct thread *t, struct trap_frame *f);
/** May a device frame cover [pa, pa+size)? Not RAM, not kernel devices. */
bool kernel_device_frame_ok(paddr_t pa, uint64_t size);

#endif
