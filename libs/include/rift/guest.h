/* SPDX-License-Identifier: MIT */
/*
 * How the supervisor hands a VMM domain its guest (docs/guests.md): a
 * domain node with a `guest` child in the system description gets, read
 * only, a small device tree at RIFT_BOOT_GUEST_VA (auxv RIFT_AT_GUEST)
 * describing the guest, and the guest's kernel and initramfs files from the
 * boot archive mapped after it, each 2 MiB aligned.
 *
 * The configuration tree's root node:
 *   name        string  the guest's name (the domain's)
 *   kernel-file string  its file name in the boot archive
 *   kernel      u64     VA of the kernel's bytes; kernel-size u64
 *   initrd-file, initrd, initrd-size   the same for the initramfs (optional)
 *   bootargs    string  the command line, as written (optional)
 *   memory      u64     guest RAM bytes
 *   rma         u64     Real Mode Area bytes (a power of two)
 *   cpus        u32     vCPUs
 */
#ifndef RIFT_GUEST_H
#define RIFT_GUEST_H

#define RIFT_AT_GUEST 0x5260 /* VA of the guest configuration tree */
#define RIFT_BOOT_GUEST_VA 0x0000004800000000ull
#define RIFT_BOOT_GUEST_FILES_VA (RIFT_BOOT_GUEST_VA + 0x200000ull)
#define RIFT_BOOT_GUEST_END 0x0000005000000000ull
#define RIFT_GUEST_BOOTARGS_MAX 2048 /* Linux arm64's COMMAND_LINE_SIZE */

#endif
