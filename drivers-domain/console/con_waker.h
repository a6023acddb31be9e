/* SPDX-License-Identifier: MIT */
/*
 * Wakers: the console's helper threads. A thread blocked receiving on the
 * console endpoint cannot also wait on a notification, so for each
 * notification the console must watch (the UART interrupt, the kernel log)
 * a waker thread waits on it and, when it fires, calls the console's own
 * endpoint (slot con_slots.self) with a kick label. The server thread handles
 * the kick like any request, so all real work stays on one thread.
 *
 * A waker touches nothing but its own stack and two system calls: no libc,
 * no runtime, no IPC buffer (its messages fit in registers). If its
 * notification or the endpoint goes away it ends itself.
 */
#ifndef CONSOLE_CON_WAKER_H
#define CONSOLE_CON_WAKER_H

#include <stdint.h>

#define CON_WAKERS 2

/**
 * Starts waker @index (< CON_WAKERS): it waits on notification @ntfn and
 * kicks the server with label @kick. Returns 0 or a negative RIFT_KE*
 * error.
 */
long con_waker_start(uint32_t index, uint64_t ntfn, uint64_t kick);

#endif
