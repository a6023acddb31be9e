/* SPDX-License-Identifier: MIT */
/*
 * The guest-physical layout: QEMU virt's, so an image built for that
 * board runs unchanged (docs/guests.md has the table).
 */
#ifndef VM_LAYOUT_H
#define VM_LAYOUT_H

#define VM_GICD_BASE 0x08000000ull
#define VM_GICD_SIZE 0x00010000ull
#define VM_GICR_BASE 0x080a0000ull
#define VM_GICR_STRIDE 0x00020000ull /* RD_base + SGI_base per vCPU */
#define VM_UART_BASE 0x09000000ull
#define VM_UART_SPI 1 /* INTID 33 */
#define VM_RAM_BASE 0x40000000ull

/* Architected timer PPIs (INTIDs 16 + n): as on virt. */
#define VM_TIMER_SEC_PPI 13  /* INTID 29 */
#define VM_TIMER_PHYS_PPI 14 /* INTID 30 */
#define VM_TIMER_VIRT_PPI 11 /* INTID 27 */
#define VM_TIMER_HYP_PPI 10  /* INTID 26 */

/*
 * The bottom of RAM is the Real Mode Area (RMA). Its first 2 MiB are the
 * start-of-day area, reserved from the guest (/memreserve/):
 *   +0x000000  start-of-day page (struct in vm_sod.h)
 *   +0x001000  console ring (VM_RING_SIZE)
 *   +0x100000  the guest's device tree (at most VM_DTB_MAX)
 * The kernel is loaded at +2 MiB + text_offset, the initramfs after it.
 */
#define VM_SOD_OFFSET 0x0ull
#define VM_SOD_SIZE 0x1000ull
#define VM_RING_OFFSET 0x1000ull
#define VM_RING_SIZE 0x4000ull
#define VM_DTB_OFFSET 0x100000ull
#define VM_DTB_MAX 0x10000ull
#define VM_RESERVED_SIZE 0x200000ull
#define VM_KERNEL_OFFSET 0x200000ull

#define VM_RMA_DEFAULT (64ull << 20)
#define VM_MEM_DEFAULT (128ull << 20)

#endif
