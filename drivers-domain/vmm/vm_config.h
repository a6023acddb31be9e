/* SPDX-License-Identifier: MIT */
/*
 * The guest configuration the supervisor hands the VMM (rift/guest.h),
 * read and checked. Pure: host-tested.
 */
#ifndef VM_CONFIG_H
#define VM_CONFIG_H

#include <stddef.h>
#include <stdint.h>

struct vm_config {
	const char *name;
	const char *kernel_file, *initrd_file; /**< initrd_file: NULL if none */
	const uint8_t *kernel, *initrd;
	uint64_t kernel_size, initrd_size;
	const char *bootargs; /**< NULL: none */
	uint64_t memory, rma;
	uint32_t cpus;
};

/**
 * Parses the tree at @blob (@size bytes). Returns 0, or -1 with the reason
 * in @err. Strings point into @blob.
 */
int vm_config_parse(const void *blob, size_t size, struct vm_config *c,
		    char *err, size_t err_size);

#endif
