/* SPDX-License-Identifier: MIT */
#ifndef RIFT_LIBC_STDLIB_H
#define RIFT_LIBC_STDLIB_H
#include <stddef.h>
unsigned long strtoul(const char *s, char **end, int base);
#endif
