/* SPDX-License-Identifier: MIT */
#ifndef RIFT_PL011_H
#define RIFT_PL011_H
#include <rift/types.h>
void pl011_set_base(volatile void *base);
void pl011_putc(char c);
void pl011_flush(void);
void pl011_reclaim(void);
extern uint64_t pl011_dropped;
#endif
