/* SPDX-License-Identifier: MIT */
/* Interrupt dispatch to kernel handlers. */
#include <rift/irq.h>
#include <rift/printk.h>

struct irq_slot {
	irq_handler_fn *fn;
	bool user; /**< bound to a user handler object */
};

static struct irq_slot irq_table[IRQ_MAX];
uint64_t irq_unhandled_count;

int irq_register(uint32_t intid, irq_handler_fn *fn, enum irq_trigger trig)
{
	if (intid >= IRQ_MAX || irq_table[intid].fn) {
		return -1;
	}
	irq_table[intid].fn = fn;
	irqc_enable(intid, trig);
	return 0;
}

void irq_register_user(uint32_t intid, irq_handler_fn *fn,
		       enum irq_trigger trig)
{
	irq_table[intid].fn = fn;
	irq_table[intid].user = true;
	irqc_enable(intid, trig);
}

void irq_unregister_user(uint32_t intid)
{
	irq_table[intid].fn = NULL;
	irq_table[intid].user = false;
}

bool irq_is_kernel(uint32_t intid)
{
	return intid < IRQ_MAX && irq_table[intid].fn && !irq_table[intid].user;
}

void irq_handle(void)
{
	for (;;) {
		uint32_t intid = irqc_ack();

		if (intid == IRQC_SPURIOUS) {
			return;
		}
		if (intid < IRQ_MAX && irq_table[intid].fn) {
			irq_table[intid].fn(intid);
		} else {
			/* Nobody holds it: keep it masked, count it. */
			irqc_disable(intid);
			irq_unhandled_count++;
		}
		irqc_eoi(intid);
	}
}
