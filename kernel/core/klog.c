/* SPDX-License-Identifier: MIT */
/*
 * The kernel log sink. Whole lines go to the UART under one lock so lines
 * from different CPUs never interleave. (When the console server runs, the
 * kernel log will go to a ring it drains instead.)
 */
#include <rift/pl011.h>
#include <rift/printk.h>
#include <rift/spinlock.h>

static struct spinlock klog_lock = SPINLOCK_INIT;

void klog_write(const char *s, size_t len)
{
	spin_lock(&klog_lock);
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n') {
			pl011_putc('\r');
		}
		pl011_putc(s[i]);
	}
	spin_unlock(&klog_lock);
}
