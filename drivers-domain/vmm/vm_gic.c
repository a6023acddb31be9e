/* SPDX-License-Identifier: MIT */
/* The guest's GICv3 distributor and redistributors (vm_gic.h). */
#include "vm_gic.h"

#include <string.h>

#include "vm_layout.h"

/* PrimeCell-style identification, as QEMU's GICv3 gives: PIDR4..7, then
 * PIDR0..3 (PIDR2 bits 7:4 = 3: GICv3), then CIDR0..3 (0xffd0..0xfffc). */
static const uint8_t gic_id[12] = { 0x44, 0, 0, 0, 0x92, 0xb4, 0x3b, 0,
				    0x0d, 0xf0, 0x05, 0xb1 };

static void op(struct vm_gic *g, uint32_t cpu, uint32_t intid,
	       enum vm_gic_op o, uint32_t prio)
{
	if (g->op && cpu < g->cpus) {
		g->op(g->opaque, cpu, intid, o, prio);
	}
}

void vm_gic_reset(struct vm_gic *g, uint32_t cpus)
{
	void (*fn)(void *, uint32_t, uint32_t, enum vm_gic_op, uint32_t) =
		g->op;
	void *opaque = g->opaque;

	memset(g, 0, sizeof(*g));
	g->op = fn;
	g->opaque = opaque;
	g->cpus = cpus > VM_GIC_MAX_CPUS ? VM_GIC_MAX_CPUS : cpus;
	for (uint32_t i = 0; i < VM_GIC_MAX_CPUS; i++) {
		g->cpu[i].waker = GICR_WAKER_SLEEP | GICR_WAKER_CHILDREN;
	}
}

uint32_t vm_gic_spi_target(const struct vm_gic *g, uint32_t intid)
{
	uint64_t r = intid < VM_GIC_NIRQ ? g->route[intid] : 0;

	/* Interrupt_Routing_Mode = 1 (any CPU) or a vCPU that does not
	 * exist: the first vCPU takes it. */
	if (r & (1ull << 31) || (r & 0xff) >= g->cpus) {
		return 0;
	}
	return (uint32_t)(r & 0xff);
}

static uint32_t id_reg(uint64_t off)
{
	return off >= 0xffd0 && off <= 0xfffc && !(off & 3) ?
		       gic_id[(off - 0xffd0) / 4] :
		       0;
}

/** Writes of a set/clear-enable or set/clear-pending word for INTIDs
 * base..base+31 of vCPU @cpu (or their routed vCPU, for SPIs). */
static void bits_op(struct vm_gic *g, uint32_t cpu, uint32_t base,
		    uint32_t bits, enum vm_gic_op o)
{
	for (uint32_t i = 0; i < 32; i++) {
		uint32_t intid = base + i;

		if (!(bits & (1u << i)) || intid >= VM_GIC_NIRQ) {
			continue;
		}
		op(g, intid < 32 ? cpu : vm_gic_spi_target(g, intid), intid,
		   o, 0);
	}
}

static void set_enable(struct vm_gic *g, uint32_t cpu, uint32_t base,
		       uint32_t *word, uint32_t bits, int on)
{
	uint32_t change = on ? bits & ~*word : bits & *word;

	*word = on ? *word | bits : *word & ~bits;
	bits_op(g, cpu, base, change, on ? VM_GIC_ENABLE : VM_GIC_DISABLE);
}

/** Priority bytes: @size bytes at byte @index of @prio (@count bytes;
 * INTID base @base). Bytes past the end (an access straddling it) read as
 * zero and ignore writes. */
static void prio_access(struct vm_gic *g, uint32_t cpu, uint8_t *prio,
			uint32_t count, uint32_t base, uint32_t index,
			unsigned size, int write, uint64_t *val)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < size && i < 4; i++) {
		uint32_t intid = base + index + i;

		if (index + i >= count) {
			break;
		}
		if (write) {
			uint8_t p = (uint8_t)(*val >> (8 * i));

			if (prio[index + i] != p) {
				prio[index + i] = p;
				op(g, intid < 32 ? cpu :
					  vm_gic_spi_target(g, intid),
				   intid, VM_GIC_PRIORITY, p);
			}
		} else {
			v |= (uint64_t)prio[index + i] << (8 * i);
		}
	}
	if (!write) {
		*val = v;
	}
}

static void route_write(struct vm_gic *g, uint32_t intid, uint64_t v)
{
	uint32_t old = vm_gic_spi_target(g, intid);
	uint32_t now;

	g->route[intid] = v & 0xff000000ffull; /* Aff3, IRM, Aff2..0: only
						  Aff0 matters here */
	g->route[intid] |= v & (1ull << 31);
	now = vm_gic_spi_target(g, intid);
	if (old != now && (g->enabled[intid / 32] & (1u << (intid % 32)))) {
		op(g, old, intid, VM_GIC_DISABLE, 0);
		op(g, now, intid, VM_GIC_PRIORITY, g->prio[intid]);
		op(g, now, intid, VM_GIC_ENABLE, 0);
	}
}

static int dist(struct vm_gic *g, uint64_t off, unsigned size, int write,
		uint64_t *val)
{
	uint32_t n = (uint32_t)(off & 0x7f) / 4; /* word index in an array */
	uint32_t v32 = (uint32_t)*val;

	if (off >= GICD_IPRIORITYR && off < GICD_IPRIORITYR + VM_GIC_NIRQ) {
		uint32_t idx = (uint32_t)(off - GICD_IPRIORITYR);

		if (idx >= 32) { /* SGIs and PPIs live in the GICR */
			prio_access(g, 0, g->prio, VM_GIC_NIRQ, 0, idx, size,
				    write, val);
		} else if (!write) {
			*val = 0;
		}
		return 1;
	}
	if (off >= GICD_IROUTER + 32 * 8 &&
	    off < GICD_IROUTER + VM_GIC_NIRQ * 8) {
		uint32_t intid = (uint32_t)(off - GICD_IROUTER) / 8;
		int high = (off & 4) != 0;

		if (write) {
			uint64_t r = g->route[intid];

			if (size == 8) {
				r = *val;
			} else if (high) {
				r = (r & 0xffffffffull) | (uint64_t)v32 << 32;
			} else {
				r = (r & ~0xffffffffull) | v32;
			}
			route_write(g, intid, r);
		} else {
			*val = size == 8 ? g->route[intid] :
			       high ? g->route[intid] >> 32 :
				      (uint32_t)g->route[intid];
		}
		return 1;
	}
	if (write) {
		if (off == GICD_CTLR) {
			g->ctlr = v32 & 0x7;
		} else if (off >= GICD_IGROUPR + 4 && off < GICD_IGROUPR + 4 * (VM_GIC_NIRQ / 32)) {
			g->group[n] = v32;
		} else if (off >= GICD_ISENABLER + 4 && off < GICD_ISENABLER + 4 * (VM_GIC_NIRQ / 32)) {
			set_enable(g, 0, n * 32, &g->enabled[n], v32, 1);
		} else if (off >= GICD_ICENABLER + 4 && off < GICD_ICENABLER + 4 * (VM_GIC_NIRQ / 32)) {
			set_enable(g, 0, n * 32, &g->enabled[n], v32, 0);
		} else if (off >= GICD_ISPENDR + 4 && off < GICD_ISPENDR + 4 * (VM_GIC_NIRQ / 32)) {
			bits_op(g, 0, n * 32, v32, VM_GIC_SET);
		} else if (off >= GICD_ICPENDR + 4 && off < GICD_ICPENDR + 4 * (VM_GIC_NIRQ / 32)) {
			bits_op(g, 0, n * 32, v32, VM_GIC_CLEAR);
		} else if (off >= GICD_ICFGR + 8 && off < GICD_ICFGR + 4 * (VM_GIC_NIRQ / 16)) {
			g->cfg[(off - GICD_ICFGR) / 4] = v32 & 0xaaaaaaaau;
		}
		return 1;
	}
	if (off == GICD_CTLR) {
		*val = g->ctlr | GICD_CTLR_ARE | GICD_CTLR_DS; /* RWP = 0 */
	} else if (off == GICD_TYPER) {
		/* ITLinesNumber, IDbits = 9 (10-bit INTIDs), no LPIs */
		*val = (VM_GIC_NIRQ / 32 - 1) | (9u << 19);
	} else if (off == GICD_IIDR) {
		*val = 0x0300043b; /* Arm, GICv3 */
	} else if (off >= GICD_IGROUPR + 4 && off < GICD_IGROUPR + 4 * (VM_GIC_NIRQ / 32)) {
		*val = g->group[n];
	} else if ((off >= GICD_ISENABLER + 4 && off < GICD_ISENABLER + 4 * (VM_GIC_NIRQ / 32)) ||
		   (off >= GICD_ICENABLER + 4 && off < GICD_ICENABLER + 4 * (VM_GIC_NIRQ / 32))) {
		*val = g->enabled[n];
	} else if (off >= GICD_ICFGR + 8 && off < GICD_ICFGR + 4 * (VM_GIC_NIRQ / 16)) {
		*val = g->cfg[(off - GICD_ICFGR) / 4];
	} else {
		*val = id_reg(off);
	}
	return 1;
}

static void rd_write(struct vm_gic *g, uint32_t cpu, uint64_t off,
		     uint32_t v)
{
	struct vm_gic_cpu *c = &g->cpu[cpu];

	switch (off) {
	case GICR_WAKER:
		/* Waking is instant: ChildrenAsleep follows ProcessorSleep. */
		c->waker = v & GICR_WAKER_SLEEP ?
			GICR_WAKER_SLEEP | GICR_WAKER_CHILDREN : 0;
		break;
	case GICR_IGROUPR0:
		c->group = v;
		break;
	case GICR_ISENABLER0:
		set_enable(g, cpu, 0, &c->enabled, v, 1);
		break;
	case GICR_ICENABLER0:
		set_enable(g, cpu, 0, &c->enabled, v, 0);
		break;
	case GICR_ISPENDR0:
		bits_op(g, cpu, 0, v, VM_GIC_SET);
		break;
	case GICR_ICPENDR0:
		bits_op(g, cpu, 0, v, VM_GIC_CLEAR);
		break;
	case GICR_ICFGR0 + 4:
		c->cfg1 = v & 0xaaaaaaaau;
		break;
	default:
		break;
	}
}

static uint64_t rd_read(const struct vm_gic *g, uint32_t cpu, uint64_t off,
			unsigned size)
{
	const struct vm_gic_cpu *c = &g->cpu[cpu];
	uint64_t typer = (uint64_t)cpu << 32 | (uint64_t)cpu << 8 |
			 (cpu + 1 == g->cpus ? 1u << 4 : 0); /* Last */

	switch (off) {
	case GICR_IIDR:
		return 0x0300043b;
	case GICR_TYPER:
		return size == 8 ? typer : (uint32_t)typer;
	case GICR_TYPER + 4:
		return typer >> 32;
	case GICR_WAKER:
		return c->waker;
	case GICR_IGROUPR0:
		return c->group;
	case GICR_ISENABLER0:
	case GICR_ICENABLER0:
		return c->enabled;
	case GICR_ICFGR0:
		return 0xaaaaaaaau; /* SGIs are edge-triggered */
	case GICR_ICFGR0 + 4:
		return c->cfg1;
	default:
		return id_reg(off);
	}
}

static int redist(struct vm_gic *g, uint32_t cpu, uint64_t off,
		  unsigned size, int write, uint64_t *val)
{
	if (off >= GICR_IPRIORITYR && off < GICR_IPRIORITYR + 32) {
		prio_access(g, cpu, g->cpu[cpu].prio, 32, 0,
			    (uint32_t)(off - GICR_IPRIORITYR), size, write,
			    val);
	} else if (write) {
		rd_write(g, cpu, off, (uint32_t)*val);
	} else {
		*val = rd_read(g, cpu, off, size);
	}
	return 1;
}

int vm_gic_access(struct vm_gic *g, uint64_t gpa, unsigned size, int write,
		  uint64_t *val)
{
	if (size != 1 && size != 2 && size != 4 && size != 8) {
		return 0;
	}
	if (gpa >= VM_GICD_BASE && gpa < VM_GICD_BASE + VM_GICD_SIZE) {
		return dist(g, gpa - VM_GICD_BASE, size, write, val);
	}
	if (gpa >= VM_GICR_BASE &&
	    gpa < VM_GICR_BASE + VM_GICR_STRIDE * g->cpus) {
		uint64_t off = gpa - VM_GICR_BASE;

		return redist(g, (uint32_t)(off / VM_GICR_STRIDE),
			      off % VM_GICR_STRIDE, size, write, val);
	}
	return 0;
}

void vm_gic_spi_level(struct vm_gic *g, uint32_t intid, int level)
{
	if (intid < 32 || intid >= VM_GIC_NIRQ) {
		return;
	}
	op(g, vm_gic_spi_target(g, intid), intid,
	   level ? VM_GIC_SET : VM_GIC_CLEAR, 0);
}

void vm_gic_sgi(struct vm_gic *g, uint32_t from, uint64_t val)
{
	uint32_t intid = (uint32_t)(val >> 24) & 0xf;
	uint32_t targets = (uint32_t)val & 0xffff;

	if (val & (1ull << 40)) { /* IRM: every vCPU but the sender */
		for (uint32_t c = 0; c < g->cpus; c++) {
			if (c != from) {
				op(g, c, intid, VM_GIC_SET, 0);
			}
		}
		return;
	}
	/* Aff3, Aff2, Aff1 and RS must name our only cluster. */
	if (val & (0xffull << 48 | 0xffull << 32 | 0xfull << 44 |
		   0xffull << 16)) {
		return;
	}
	for (uint32_t c = 0; c < g->cpus && c < 16; c++) {
		if (targets & (1u << c)) {
			op(g, c, intid, VM_GIC_SET, 0);
		}
	}
}
