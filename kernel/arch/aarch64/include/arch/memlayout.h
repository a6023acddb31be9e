/* SPDX-License-Identifier: MIT */
/*
 * Kernel virtual memory layout (48-bit VA, 4 KiB granule, EL2&0 regime).
 *
 *   0x0000_0000_0000_0000 .. 0x0000_ffff_ffff_ffff  TTBR0: user domains (EL0)
 *   0xffff_0000_0000_0000 .. 0xffff_7fff_ffff_ffff  linear map of all RAM
 *                                                   (PA + LINEAR_BASE) and
 *                                                   device MMIO (device attrs)
 *   0xffff_fffe_0000_0000 .. (+64 KiB per CPU)        kernel stacks: per CPU
 *                                                   a guard page, the kernel
 *                                                   stack, a guard page, the
 *                                                   exception stack
 *   0xffff_ffff_8000_0000 .. 0xffff_ffff_bfff_ffff  kernel image
 *   0xffff_ffff_c000_0000 .. 0xffff_ffff_ffff_ffff  boot fixmap (early UART, DTB)
 */
#ifndef ARCH_MEMLAYOUT_H
#define ARCH_MEMLAYOUT_H

#include <arch/const.h>

#define VA_BITS 48
#define LINEAR_BASE UL(0xffff000000000000)
#define LINEAR_SIZE (UL(1) << 47)
#define KERNEL_VBASE UL(0xffffffff80000000)
#define FIXMAP_BASE UL(0xffffffffc0000000)
#define FIXMAP_UART (FIXMAP_BASE)             /* one 2 MiB block */
#define FIXMAP_DTB (FIXMAP_BASE + UL(0x200000)) /* two 2 MiB blocks */
#define FIXMAP_DTB_SPAN UL(0x400000)

#define USER_VA_END (UL(1) << VA_BITS)

#define KSTACK_SIZE 16384
#define KSTACK_BASE UL(0xfffffffe00000000)
#define KSTACK_SLOT UL(0x10000) /* per CPU */
#define KSTACK_GUARD UL(0x1000)
/* CPU i: [slot, +4K) guard, [+4K, +20K) kernel stack, [+20K, +24K) guard,
 * [+24K, +40K) exception stack. */
#define KSTACK_OFF (KSTACK_GUARD)
#define EXCSTACK_OFF (KSTACK_GUARD + KSTACK_SIZE + KSTACK_GUARD)

#endif
