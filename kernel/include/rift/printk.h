/* SPDX-License-Identifier: MIT */
/*
 * Kernel log. printk() formats into a line buffer and hands whole lines to
 * the log sink (klog.c), so lines from different CPUs never interleave.
 * Supported conversions: %d %i %u %x %X %p %s %c %% with l/ll/z length,
 * field width and 0 padding.
 */
#ifndef RIFT_PRINTK_H
#define RIFT_PRINTK_H

#include <stdarg.h>
#include <rift/types.h>

void printk(const char *fmt, ...) __printf(1, 2);
int vsnprintk(char *buf, size_t size, const char *fmt, va_list ap);
int snprintk(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

void __noreturn panic(const char *fmt, ...) __printf(1, 2);

/** Write raw bytes to the log sink (whole lines expected). */
void klog_write(const char *s, size_t len);

#endif
