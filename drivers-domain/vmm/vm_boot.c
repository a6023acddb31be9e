/* SPDX-License-Identifier: MIT */
/* Boot layout of a guest (vm_boot.h). */
#include "vm_boot.h"

#include <string.h>

#include "vm_layout.h"

int vm_boot_layout(const struct vm_image_info *img, uint64_t ram_base,
		   uint64_t ram_size, uint64_t initrd_size,
		   struct vm_boot_layout *out)
{
	uint64_t end = ram_base + ram_size;

	out->kernel = ram_base + VM_KERNEL_OFFSET + img->text_offset;
	out->kernel_end = out->kernel + img->image_size;
	out->initrd = (out->kernel_end + VM_IMAGE_ALIGN - 1) &
		      ~(VM_IMAGE_ALIGN - 1);
	out->initrd_end = out->initrd + initrd_size;
	out->dtb = ram_base + VM_DTB_OFFSET;
	out->sod = ram_base + VM_SOD_OFFSET;
	out->ring = ram_base + VM_RING_OFFSET;
	if (img->image_size > ram_size || out->kernel_end > end ||
	    initrd_size > ram_size || out->initrd_end > end) {
		return VM_IMAGE_TOO_BIG;
	}
	return VM_IMAGE_OK;
}

void vm_boot_fdt_params(const struct vm_config *c,
			const struct vm_boot_layout *l, uint64_t ram_base,
			struct vm_fdt_params *p)
{
	memset(p, 0, sizeof(*p));
	p->name = c->name;
	p->ram_base = ram_base;
	p->ram_size = c->memory;
	p->rma_size = c->rma;
	p->cpus = c->cpus;
	p->bootargs = c->bootargs;
	p->initrd_start = l->initrd;
	p->initrd_end = c->initrd ? l->initrd_end : l->initrd;
	p->sod_base = l->sod;
	p->sod_size = VM_SOD_SIZE;
	p->ring_base = l->ring;
	p->ring_size = VM_RING_SIZE;
	p->reserved_base = ram_base;
	p->reserved_size = VM_RESERVED_SIZE;
}
