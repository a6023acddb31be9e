/* SPDX-License-Identifier: MIT */
#include <rift/arch.h>
#include <rift/object.h>
#include <rift/printk.h>

void panic(const char *fmt, ...)
{
	char line[256];
	va_list ap;

	arch_irq_disable();
	klog_panic_mode();
	va_start(ap, fmt);
	vsnprintk(line, sizeof(line), fmt, ap);
	va_end(ap);
	printk("PANIC: %s\n", line);
	arch_backtrace((uint64_t)(uintptr_t)__builtin_frame_address(0),
		       (uint64_t)(uintptr_t)__builtin_return_address(0));
	arch_panic_halt();
}
