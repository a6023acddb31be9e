/* SPDX-License-Identifier: MIT */
/*
 * The guest's device tree, built with libfdt's sequential writer: memory,
 * CPUs, GICv3, timer, PSCI (method hvc), the PL011 with its clock,
 * /chosen (bootargs, initrd, stdout-path) and /hypervisor (compatible
 * "rift,hypervisor"): the start-of-day information. Pure: host-tested.
 */
#ifndef VM_FDT_H
#define VM_FDT_H

#include <stddef.h>
#include <stdint.h>

struct vm_fdt_params {
	const char *name;      /**< the guest's name (/hypervisor) */
	uint64_t ram_base, ram_size;
	uint64_t rma_size;     /**< the RMA: [ram_base, ram_base + rma_size) */
	uint32_t cpus;         /**< vCPUs, 1..8 */
	const char *bootargs;  /**< NULL: no property */
	uint64_t initrd_start, initrd_end; /**< equal: no initrd */
	uint64_t sod_base, sod_size;   /**< start-of-day page */
	uint64_t ring_base, ring_size; /**< console ring */
	uint64_t reserved_base, reserved_size; /**< /memreserve/ */
};

/**
 * Writes the tree into @buf (@size bytes, 8-byte aligned). Returns its
 * length, or a negative libfdt error (-FDT_ERR_NOSPACE when too small).
 */
int vm_fdt_build(void *buf, size_t size, const struct vm_fdt_params *p);

#endif
