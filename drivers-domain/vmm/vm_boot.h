/* SPDX-License-Identifier: MIT */
/*
 * Where a guest's boot files go in its RAM (vm_layout.h has the fixed
 * parts) and the device tree parameters that describe them: one pure
 * function shared by the VMM and the host tool that prints a guest's
 * device tree (tools/guest/guest_dt.c), so both give the same tree.
 */
#ifndef VM_BOOT_H
#define VM_BOOT_H

#include <stdint.h>

#include "vm_config.h"
#include "vm_fdt.h"
#include "vm_image.h"

struct vm_boot_layout {
	uint64_t kernel, kernel_end; /**< load address, end with its bss */
	uint64_t initrd, initrd_end; /**< equal when there is none */
	uint64_t dtb, sod, ring;
};

/**
 * Places the kernel 2 MiB above RAM base plus its text_offset and the
 * initramfs at the next 2 MiB boundary after the kernel's image_size.
 * Returns VM_IMAGE_OK, or VM_IMAGE_TOO_BIG when they do not fit.
 */
int vm_boot_layout(const struct vm_image_info *img, uint64_t ram_base,
		   uint64_t ram_size, uint64_t initrd_size,
		   struct vm_boot_layout *out);

/** The guest device tree's parameters for @c booted with @l. */
void vm_boot_fdt_params(const struct vm_config *c,
			const struct vm_boot_layout *l, uint64_t ram_base,
			struct vm_fdt_params *p);

#endif
