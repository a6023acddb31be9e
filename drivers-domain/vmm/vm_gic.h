/* SPDX-License-Identifier: MIT */
/*
 * The guest's GICv3 distributor and redistributors, emulated in the VMM
 * (docs/decisions/guest-gic-emulation.md says why here and not in the
 * kernel). The CPU interface is the hardware's: the kernel runs the
 * guest's ICC_* registers through the list registers and keeps, per vCPU
 * and INTID, enable, priority and pending state (RIFT_SYS_VCPU_IRQ). This
 * model is the register file Linux programs (GICD_*, GICR_*), translated
 * into those operations through the `op` seam. Pure and host-tested.
 *
 * INTIDs: SGIs 0..15 and PPIs 16..31 per vCPU, SPIs 32..VM_GIC_NIRQ-1.
 * Pending and active state live in the kernel: ISPENDR/ICPENDR writes are
 * forwarded, ISPENDR/ISACTIVER read as zero. Affinity routing only
 * (GICD_CTLR.ARE reads as one), one security state (DS reads as one).
 */
#ifndef VM_GIC_H
#define VM_GIC_H

#include <stdint.h>

#define VM_GIC_NIRQ 96 /* INTIDs 0..95: 64 SPIs */
#define VM_GIC_MAX_CPUS 8

/** Operations on a vCPU's virtual interrupt: the values of RIFT_VIRQ_*. */
enum vm_gic_op {
	VM_GIC_CLEAR = 0,
	VM_GIC_SET = 1,
	VM_GIC_DISABLE = 2,
	VM_GIC_ENABLE = 3,
	VM_GIC_PRIORITY = 4,
};

/* Register offsets in the distributor (GICD_*) ... */
enum {
	GICD_CTLR = 0x0000,
	GICD_TYPER = 0x0004,
	GICD_IIDR = 0x0008,
	GICD_IGROUPR = 0x0080,
	GICD_ISENABLER = 0x0100,
	GICD_ICENABLER = 0x0180,
	GICD_ISPENDR = 0x0200,
	GICD_ICPENDR = 0x0280,
	GICD_IPRIORITYR = 0x0400,
	GICD_ICFGR = 0x0c00,
	GICD_IROUTER = 0x6000,
	GIC_PIDR2 = 0xffe8, /* also in each redistributor frame */
};
/* ... and in a redistributor's RD_base and SGI_base (+0x10000) frames. */
enum {
	GICR_CTLR = 0x0000,
	GICR_IIDR = 0x0004,
	GICR_TYPER = 0x0008,
	GICR_WAKER = 0x0014,
	GICR_SGI = 0x10000,
	GICR_IGROUPR0 = GICR_SGI + 0x0080,
	GICR_ISENABLER0 = GICR_SGI + 0x0100,
	GICR_ICENABLER0 = GICR_SGI + 0x0180,
	GICR_ISPENDR0 = GICR_SGI + 0x0200,
	GICR_ICPENDR0 = GICR_SGI + 0x0280,
	GICR_IPRIORITYR = GICR_SGI + 0x0400,
	GICR_ICFGR0 = GICR_SGI + 0x0c00,
};

#define GICD_CTLR_ENABLE_G1 (1u << 1)
#define GICD_CTLR_ARE (1u << 4)
#define GICD_CTLR_DS (1u << 6)
#define GICR_WAKER_SLEEP (1u << 1)    /* ProcessorSleep */
#define GICR_WAKER_CHILDREN (1u << 2) /* ChildrenAsleep */

struct vm_gic_cpu {
	uint32_t group, enabled, cfg1; /* SGIs and PPIs */
	uint32_t waker;
	uint8_t prio[32];
};

struct vm_gic {
	uint32_t cpus;
	uint32_t ctlr;
	uint32_t group[VM_GIC_NIRQ / 32], enabled[VM_GIC_NIRQ / 32];
	uint32_t cfg[VM_GIC_NIRQ / 16];
	uint8_t prio[VM_GIC_NIRQ];
	uint64_t route[VM_GIC_NIRQ]; /* GICD_IROUTER<n> */
	struct vm_gic_cpu cpu[VM_GIC_MAX_CPUS];
	/** The operations seam: apply @op to @intid of vCPU @cpu. */
	void (*op)(void *opaque, uint32_t cpu, uint32_t intid,
		   enum vm_gic_op op, uint32_t prio);
	void *opaque;
};

/** Reset state: everything disabled, group 0, priority 0, asleep. */
void vm_gic_reset(struct vm_gic *g, uint32_t cpus);

/**
 * A guest access of @size bytes at guest-physical @gpa. Returns 0 if @gpa
 * is not the GIC's (the caller tries other devices), 1 if handled: a read
 * puts its value in *@val. Unknown registers read as zero and ignore
 * writes, as the architecture allows for reserved locations.
 */
int vm_gic_access(struct vm_gic *g, uint64_t gpa, unsigned size, int write,
		  uint64_t *val);

/** A device's line into SPI @intid changed to @level (level-sensitive). */
void vm_gic_spi_level(struct vm_gic *g, uint32_t intid, int level);

/** vCPU @from wrote @val to ICC_SGI1R_EL1: make the SGI pending. */
void vm_gic_sgi(struct vm_gic *g, uint32_t from, uint64_t val);

/** The vCPU SPI @intid goes to (GICD_IROUTER, Aff0 = vCPU). */
uint32_t vm_gic_spi_target(const struct vm_gic *g, uint32_t intid);

#endif
