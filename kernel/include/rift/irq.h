/* SPDX-License-Identifier: MIT */
/*
 * Interrupt dispatch. The interrupt controller driver (arch) acknowledges an
 * interrupt and calls the handler registered for its number; kernel
 * handlers (timer) are registered with irq_register(). Interrupts owned by
 * user domains are delivered as notifications (irqcap.c).
 */
#ifndef RIFT_IRQ_H
#define RIFT_IRQ_H

#include <rift/types.h>

#define IRQ_MAX 1024

enum irq_trigger {
	IRQ_LEVEL,
	IRQ_EDGE,
};

typedef void irq_handler_fn(uint32_t intid);

/** Called from the exception vector on an IRQ. */
void irq_handle(void);
int irq_register(uint32_t intid, irq_handler_fn *fn, enum irq_trigger trig);

/* Implemented by the interrupt controller driver. */
uint32_t irqc_ack(void);      /**< returns IRQC_SPURIOUS if none */
void irqc_eoi(uint32_t intid);
void irqc_enable(uint32_t intid, enum irq_trigger trig);
void irqc_disable(uint32_t intid);
void irqc_set_pending(uint32_t intid);   /**< self-tests */
enum irq_trigger irqc_trigger(uint32_t intid);
#define IRQC_SPURIOUS 1023

/** User-bound interrupts (irqcap.c): registered and enabled. */
void irq_register_user(uint32_t intid, irq_handler_fn *fn,
		       enum irq_trigger trig);
void irq_unregister_user(uint32_t intid);
/** Is @intid used by the kernel itself (timer, ...)? */
bool irq_is_kernel(uint32_t intid);
void irq_handler_destroy(void *obj);
/** Does [pa, pa+size) touch the interrupt controller's registers? */
bool irq_controller_overlaps(uint64_t pa, uint64_t size);

/** Signal the tick notifications (from the timer interrupt). */
void irq_tick_notify(void);

/** Counted interrupts nobody handles (they stay masked). */
extern uint64_t irq_unhandled_count;

#endif
