/* SPDX-License-Identifier: MIT */
/*
 * GICv3 driver: distributor, this CPU's redistributor, and the system
 * register CPU interface. Single security state (QEMU virt without EL3:
 * GICD_CTLR.DS = 1): every interrupt is Group 1.
 */
#include <arch/sysreg.h>
#include <libfdt.h>
#include <rift/arch.h>
#include <rift/bootinfo.h>
#include <rift/irq.h>
#include <rift/printk.h>

enum gicd_reg {
	GICD_CTLR = 0x0000,       /* RW  control */
	GICD_TYPER = 0x0004,      /* RO  type: ITLinesNumber in [4:0] */
	GICD_IGROUPR = 0x0080,    /* RW  group, 1 bit per INTID */
	GICD_ISENABLER = 0x0100,  /* RW1S enable */
	GICD_ICENABLER = 0x0180,  /* RW1C disable */
	GICD_ISPENDR = 0x0200,    /* RW1S set pending */
	GICD_ICPENDR = 0x0280,    /* RW1C clear pending */
	GICD_IPRIORITYR = 0x0400, /* RW  priority, 1 byte per INTID */
	GICD_ICFGR = 0x0c00,      /* RW  trigger, 2 bits per INTID */
	GICD_IROUTER = 0x6000,    /* RW  affinity route, 8 bytes per SPI */
};

#define GICD_CTLR_RWP (1u << 31)
#define GICD_CTLR_ARE (1u << 4)
#define GICD_CTLR_GRP1 (1u << 1)

enum gicr_reg {
	GICR_CTLR = 0x0000,  /* RD frame */
	GICR_TYPER = 0x0008, /* RO  affinity in [63:32], Last in bit 4 */
	GICR_WAKER = 0x0014, /* RW  ProcessorSleep bit 1, ChildrenAsleep 2 */
	GICR_SGI = 0x10000,  /* SGI frame offset; registers below in it */
	GICR_IGROUPR0 = 0x0080,
	GICR_ISENABLER0 = 0x0100,
	GICR_ICENABLER0 = 0x0180,
	GICR_IPRIORITYR = 0x0400,
	GICR_ICFGR1 = 0x0c04,
};

#define GIC_PRIO_DEFAULT 0xa0
#define GIC_FIRST_SPI 32

#define GIC_MAX_RANGES 16

struct gic_range {
	paddr_t base;
	uint64_t size;
};

struct gicv3 {
	paddr_t dist_pa, rdist_pa;
	uint64_t dist_size, rdist_size;
	/* Every register frame of the interrupt controller, the ITS
	 * included: never handed to a domain as device memory. */
	struct gic_range ranges[GIC_MAX_RANGES];
	uint32_t range_count;
	volatile uint8_t *dist;
	volatile uint8_t *rdist; /* this CPU's RD frame */
	uint32_t spi_count;
};

static struct gicv3 gic;

static void gic_find_ranges(const void *fdt, int gic_node);

static inline uint32_t rd32(volatile uint8_t *base, uint32_t off)
{
	return *(volatile uint32_t *)(base + off);
}

static inline void wr32(volatile uint8_t *base, uint32_t off, uint32_t v)
{
	*(volatile uint32_t *)(base + off) = v;
}

static inline uint64_t rd64(volatile uint8_t *base, uint32_t off)
{
	return *(volatile uint64_t *)(base + off);
}

static inline void wr64(volatile uint8_t *base, uint32_t off, uint64_t v)
{
	*(volatile uint64_t *)(base + off) = v;
}

static void gicd_wait_rwp(void)
{
	while (rd32(gic.dist, GICD_CTLR) & GICD_CTLR_RWP) {
	}
}

static uint64_t mpidr_affinity(uint64_t mpidr)
{
	return (mpidr & 0xffffff) | ((mpidr >> 32 & 0xff) << 24);
}

static void gicd_init(void)
{
	uint32_t lines = (rd32(gic.dist, GICD_TYPER) & 0x1f) + 1;
	uint64_t route = arch_cpu_hwid() & 0xff00ffffffull;

	gic.spi_count = MIN(lines * 32, 1020u) - GIC_FIRST_SPI;
	wr32(gic.dist, GICD_CTLR, 0);
	gicd_wait_rwp();
	for (uint32_t i = GIC_FIRST_SPI; i < GIC_FIRST_SPI + gic.spi_count;
	     i += 32) {
		wr32(gic.dist, GICD_IGROUPR + i / 8, ~0u);
		wr32(gic.dist, GICD_ICENABLER + i / 8, ~0u);
		wr32(gic.dist, GICD_ICPENDR + i / 8, ~0u);
	}
	for (uint32_t i = GIC_FIRST_SPI; i < GIC_FIRST_SPI + gic.spi_count;
	     i++) {
		*(volatile uint8_t *)(gic.dist + GICD_IPRIORITYR + i) =
			GIC_PRIO_DEFAULT;
		wr64(gic.dist, GICD_IROUTER + i * 8, route);
	}
	gicd_wait_rwp();
	wr32(gic.dist, GICD_CTLR, GICD_CTLR_ARE | GICD_CTLR_GRP1);
	gicd_wait_rwp();
}

/** Find this CPU's redistributor among the frames at @base. */
static volatile uint8_t *gicr_find(volatile uint8_t *base, uint64_t size)
{
	uint64_t aff = mpidr_affinity(arch_cpu_hwid());

	for (uint64_t off = 0; off + 0x20000 <= size;) {
		volatile uint8_t *rd = base + off;
		uint64_t typer = rd64(rd, GICR_TYPER);

		if ((typer >> 32) == aff) {
			return rd;
		}
		if (typer & (1u << 4)) {
			break;
		}
		off += (typer & (1u << 1)) ? 0x40000 : 0x20000;
	}
	return NULL;
}

static void gicr_init(void)
{
	volatile uint8_t *sgi = gic.rdist + GICR_SGI;

	wr32(gic.rdist, GICR_WAKER, rd32(gic.rdist, GICR_WAKER) & ~2u);
	while (rd32(gic.rdist, GICR_WAKER) & 4u) {
	}
	wr32(sgi, GICR_IGROUPR0, ~0u);
	wr32(sgi, GICR_ICENABLER0, ~0u);
	for (uint32_t i = 0; i < 32; i++) {
		*(volatile uint8_t *)(sgi + GICR_IPRIORITYR + i) =
			GIC_PRIO_DEFAULT;
	}
}

static void gic_cpu_if_init(void)
{
	write_sysreg(icc_sre_el2, read_sysreg(icc_sre_el2) | 0x9); /* SRE | Enable */
	isb();
	write_sysreg(icc_pmr_el1, 0xff);
	write_sysreg(icc_bpr1_el1, 0);
	write_sysreg(icc_ctlr_el1, 0); /* EOImode 0 */
	write_sysreg(icc_igrpen1_el1, 1);
	isb();
}

void arch_irq_init(void)
{
	const void *fdt = boot_info.fdt;
	int node = dt_find_compatible(fdt, "arm,gic-v3");
	paddr_t dpa, rpa;
	uint64_t dsize, rsize;

	if (node < 0 || dt_reg(fdt, node, 0, &dpa, &dsize) != 0 ||
	    dt_reg(fdt, node, 1, &rpa, &rsize) != 0) {
		panic("device tree: no arm,gic-v3 node with distributor and "
		      "redistributor regs (QEMU: -M virt,gic-version=3)");
	}
	gic.dist_pa = dpa;
	gic.dist_size = dsize;
	gic_find_ranges(fdt, node);
	gic.rdist_pa = rpa;
	gic.rdist_size = rsize;
	gic.dist = arch_ioremap(dpa, dsize);
	gic.rdist = gicr_find(arch_ioremap(rpa, rsize), rsize);
	if (!gic.dist || !gic.rdist) {
		panic("GICv3: no redistributor for CPU %lx",
		      (unsigned long)arch_cpu_hwid());
	}
	gicd_init();
	gicr_init();
	gic_cpu_if_init();
	printk("gicv3: distributor %lx, %u SPIs, redistributor %lx\n",
	       (unsigned long)dpa, gic.spi_count,
	       (unsigned long)virt_to_phys((const void *)gic.rdist));
}

uint32_t irqc_ack(void)
{
	uint32_t intid = (uint32_t)read_sysreg(icc_iar1_el1) & 0xffffff;

	__asm__ volatile("dsb sy" ::: "memory");
	return intid >= 1020 ? IRQC_SPURIOUS : intid;
}

void irqc_eoi(uint32_t intid)
{
	write_sysreg(icc_eoir1_el1, intid);
	isb();
}

static void gic_set_cfg(volatile uint8_t *base, uint32_t reg, uint32_t intid,
			enum irq_trigger trig)
{
	uint32_t shift = (intid % 16) * 2;
	uint32_t v = rd32(base, reg + (intid / 16) * 4);

	v &= ~(2u << shift);
	if (trig == IRQ_EDGE) {
		v |= 2u << shift;
	}
	wr32(base, reg + (intid / 16) * 4, v);
}

void irqc_enable(uint32_t intid, enum irq_trigger trig)
{
	if (intid < GIC_FIRST_SPI) {
		volatile uint8_t *sgi = gic.rdist + GICR_SGI;

		if (intid >= 16) {
			gic_set_cfg(sgi, GICR_ICFGR1 - 4, intid, trig);
		}
		wr32(sgi, GICR_ISENABLER0, 1u << intid);
		return;
	}
	if (intid >= GIC_FIRST_SPI + gic.spi_count) {
		return;
	}
	gic_set_cfg(gic.dist, GICD_ICFGR, intid, trig);
	wr32(gic.dist, GICD_ISENABLER + (intid / 32) * 4, 1u << (intid % 32));
}

void irqc_disable(uint32_t intid)
{
	if (intid < GIC_FIRST_SPI) {
		wr32(gic.rdist + GICR_SGI, GICR_ICENABLER0, 1u << intid);
		return;
	}
	if (intid < GIC_FIRST_SPI + gic.spi_count) {
		wr32(gic.dist, GICD_ICENABLER + (intid / 32) * 4,
		     1u << (intid % 32));
		gicd_wait_rwp();
	}
}

bool irq_controller_overlaps(uint64_t pa, uint64_t size)
{
	for (uint32_t i = 0; i < gic.range_count; i++) {
		const struct gic_range *r = &gic.ranges[i];

		if (pa < r->base + r->size && r->base < pa + size) {
			return true;
		}
	}
	return false;
}

/** Record every reg of @node (GICD, GICR, GICC/GICH/GICV, an ITS). */
static void gic_note_ranges(const void *fdt, int node)
{
	paddr_t base;
	uint64_t size;

	for (int i = 0; dt_reg(fdt, node, i, &base, &size) == 0; i++) {
		if (gic.range_count == GIC_MAX_RANGES) {
			panic("GICv3: more than %u register frames in the "
			      "device tree", GIC_MAX_RANGES);
		}
		gic.ranges[gic.range_count++] = (struct gic_range){ base, size };
	}
}

static void gic_find_ranges(const void *fdt, int gic_node)
{
	gic_note_ranges(fdt, gic_node);
	for (int n = fdt_node_offset_by_compatible(fdt, -1, "arm,gic-v3-its");
	     n >= 0; n = fdt_node_offset_by_compatible(fdt, n,
						       "arm,gic-v3-its")) {
		gic_note_ranges(fdt, n);
	}
}

/** Make SPI @intid pending by software (self-tests only). */
void irqc_set_pending(uint32_t intid)
{
	if (intid >= GIC_FIRST_SPI && intid < GIC_FIRST_SPI + gic.spi_count) {
		wr32(gic.dist, GICD_ISPENDR + (intid / 32) * 4,
		     1u << (intid % 32));
	}
}

/** The trigger the distributor holds for SPI @intid. */
enum irq_trigger irqc_trigger(uint32_t intid)
{
	uint32_t v = rd32(gic.dist, GICD_ICFGR + (intid / 16) * 4);

	return (v >> ((intid % 16) * 2 + 1)) & 1 ? IRQ_EDGE : IRQ_LEVEL;
}
