/* SPDX-License-Identifier: MIT */
/*
 * The VMM domain (docs/guests.md): one per guest. It builds the guest from
 * the configuration the supervisor hands it, serves its exits (PSCI, the
 * GIC distributor and redistributors, the PL011) and ends, resets or
 * reboots it. Kernel calls are all in vcpu.c; everything else is either
 * pure (vm_*.c, host-tested) or the glue in vmm.c.
 */
#ifndef VMM_H
#define VMM_H

#include <stddef.h>
#include <stdint.h>

#include "vm_config.h"
#include "vm_gic.h"
#include "vm_pl011.h"
#include "vm_psci.h"

#define VMM_MAX_FRAMES 64
/** Where the VMM sees guest RAM: guest-physical RAM base maps here. */
#define VMM_RAM_VIEW_VA 0x0000060000000000ull
#define VMM_BADGE_WAKER 0x100 /* the input waker's calls; vCPU i: i + 1 */

struct vm_frame {
	uint64_t ipa, size;
	uint64_t vmm_slot; /* the VMM's copy, mapped in its view */
};

struct vm_guest {
	const struct vm_config *cfg;
	uint64_t dom_slot; /* original of the guest domain (the VMM's) */
	uint64_t ep;       /* exit endpoint (the VMM's original) */
	uint64_t vcpu_slot[VM_PSCI_MAX_CPUS]; /* VMM's copies */
	struct vm_frame frames[VMM_MAX_FRAMES];
	uint32_t frame_count;
	uint64_t ram_base, ram_size;
	uint8_t *ram; /* the VMM's view of guest-physical ram_base */
	uint32_t guest_slot; /* next free slot in the guest's cspace */
	uint64_t free_before; /* free pages before the guest was made */
	uint64_t counts[4]; /* frames of 4 KiB, 2 MiB, 1 GiB, other sizes */
};

/* vcpu.c: the kernel calls (RIFT_SYS_GUEST_INIT, VCPU_*, frames). */
int vk_guest_create(struct vm_guest *g, char *err, size_t err_size);
int vk_vcpu_create(struct vm_guest *g, uint32_t cpu, char *err,
		   size_t err_size);
/** Sets PC, x0..x3 and the reset PSTATE of a stopped vCPU, and runs it. */
int vk_vcpu_start(struct vm_guest *g, uint32_t cpu, uint64_t pc,
		  uint64_t x0);
void vk_vcpu_stop(struct vm_guest *g, uint32_t cpu);
void vk_irq(struct vm_guest *g, uint32_t cpu, uint32_t intid, uint32_t op,
	    uint32_t prio);
/** Destroys the guest; returns the pages its destruction freed. */
uint64_t vk_guest_destroy(struct vm_guest *g);
uint64_t vk_free_pages(void);
/**
 * Cleans what the VMM wrote at @p (@len bytes) to the point of coherency
 * and, with @code, invalidates the instruction cache over it: the guest
 * starts with its MMU and caches off (the kernel lets EL0 do this:
 * SCTLR_EL2.UCI).
 */
void vk_clean(const void *p, size_t len, int code);

#endif
