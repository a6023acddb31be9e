/* SPDX-License-Identifier: MIT */
/*
 * Claims (see pci_srv.h and docs/decisions/pci-intx-and-claim.md).
 *
 * The server keeps the original of every capability it hands out for a
 * device (BAR frames, the notification its INTx line signals) and gives
 * the driver a derived copy, so release revokes everything by deleting
 * the originals: the kernel unmaps the frames from the driver and wakes a
 * driver waiting on the notification with an error. The IRQ handler
 * capability stays with the server; the driver acknowledges through it.
 */
#include "pci_srv.h"

#include <rift/abi.h>
#include <rift/msg.h>
#include <rift/rt.h>
#include <rift/syscall.h>

#include "pci_internal.h"
#include "pci_policy.h"
#include "pci_topo.h"

/** Command register: INTx disable (PCI Local Bus 3.0, 6.2.2). */
#define PCI_OWNER_INTX_DISABLE 0x400u

/** PCIe port type of a PCIe-to-PCI bridge; pcie_type of non-PCIe ones. */
#define PCI_OWNER_PCIE_TO_PCI 0x7u
#define PCI_OWNER_NOT_PCIE 0xffu

/** Maps a kernel error to the interface's error codes. */
static int pci_owner_kerr(long kerr)
{
	switch (kerr) {
	case RIFT_KOK:
		return RIFT_OK;
	case RIFT_KEBUSY:
		return RIFT_EBUSY;
	case RIFT_KENOMEM:
		return RIFT_ENOMEM;
	default:
		return RIFT_EIO;
	}
}

/** Deletes the capability in `*slot` and frees the slot. */
static void pci_owner_drop(uint64_t *slot)
{
	if (*slot != 0) {
		rift_cap_delete(*slot);
		rt_slot_free(*slot);
		*slot = 0;
	}
}

uint16_t pci_owner_find(const struct pci_srv *s, uint32_t bdf)
{
	if (bdf > 0xffffu) {
		return PCI_ENUM_NONE;
	}
	return pci_topo_find(&s->topo, bdf);
}

int pci_owner_check(const struct pci_srv *s, uint64_t badge, uint32_t bdf,
		    uint16_t *idx)
{
	*idx = pci_owner_find(s, bdf);
	if (*idx == PCI_ENUM_NONE) {
		return RIFT_ENOENT;
	}
	if (badge == 0 || s->devs[*idx].owner != badge) {
		return RIFT_EPERM;
	}
	return RIFT_OK;
}

/** Sets or clears the INTx disable bit of function `idx`. */
static void pci_owner_intx(struct pci_srv *s, uint16_t idx, bool disable)
{
	uint32_t bdf = s->topo.funcs[idx].bdf;
	uint16_t cmd = pci_cfg_read16(&s->ecam, bdf, PCI_REG_COMMAND);

	if (disable) {
		cmd |= PCI_OWNER_INTX_DISABLE;
	} else {
		cmd &= (uint16_t)~PCI_OWNER_INTX_DISABLE;
	}
	pci_cfg_write16(&s->ecam, bdf, PCI_REG_COMMAND, cmd);
}

uint32_t pci_owner_requester_id(const struct pci_srv *s, uint16_t idx)
{
	uint32_t rid = s->topo.funcs[idx].bdf;

	for (uint16_t p = s->topo.funcs[idx].parent; p != PCI_ENUM_NONE;
	     p = s->topo.funcs[p].parent) {
		const struct pci_func *b = &s->topo.funcs[p];

		if (b->pcie_type == PCI_OWNER_PCIE_TO_PCI) {
			rid = (uint32_t)b->bridge.secondary << 8;
		} else if (b->pcie_type == PCI_OWNER_NOT_PCIE) {
			rid = b->bdf; /* a conventional bridge: its own id */
		}
	}
	return rid;
}

int pci_owner_claim(struct pci_srv *s, uint64_t badge, uint32_t bdf)
{
	uint16_t idx = pci_owner_find(s, bdf);
	enum pci_enum_status st;

	if (idx == PCI_ENUM_NONE) {
		return RIFT_ENOENT;
	}
	if (badge == 0 || (s->topo.funcs[idx].header_type &
			   PCI_HEADER_LAYOUT_MASK) != PCI_HEADER_ENDPOINT) {
		return RIFT_EPERM;
	}
	if (s->devs[idx].owner != 0) {
		return RIFT_EBUSY;
	}
	st = pci_enum_enable(&s->ecam, &s->topo, idx);
	if (st == PCI_ENUM_ERR_UNASSIGNED) {
		return RIFT_ENOMEM;
	}
	if (st != PCI_ENUM_OK) {
		return RIFT_EIO;
	}
	pci_owner_intx(s, idx, false);
	s->devs[idx].owner = badge;
	return RIFT_OK;
}

/** Unbinds the INTx line of `idx` and destroys its notification. */
static void pci_owner_irq_detach(struct pci_srv *s, uint16_t idx)
{
	struct pci_srv_dev *d = &s->devs[idx];

	pci_owner_drop(&d->irq_handler);
	pci_owner_drop(&d->irq_ntfn_ro);
	pci_owner_drop(&d->irq_ntfn);
	d->irq_bound = false;
}

int pci_owner_release(struct pci_srv *s, uint16_t idx)
{
	/* Bus mastering off first: no DMA into memory being reclaimed. */
	pci_enum_disable(&s->ecam, &s->topo, idx);
	pci_owner_intx(s, idx, true);
	if (s->devs[idx].irq_bound) {
		pci_owner_irq_detach(s, idx);
	}
	for (uint32_t i = 0; i < PCI_SRV_MAX_FRAMES; i++) {
		if (s->frames[i].slot != 0 && s->frames[i].func == idx) {
			pci_owner_drop(&s->frames[i].slot);
		}
	}
	s->devs[idx].owner = 0;
	return RIFT_OK;
}

/**
 * Frame geometry of BAR `b` at CPU address `cpu`: large frames only when
 * the CPU address is aligned for them (it is when bus and CPU addresses
 * of the window differ by a multiple of the frame size).
 */
static struct pci_policy_frames pci_owner_geometry(const struct pci_bar *b,
						   uint64_t cpu)
{
	struct pci_policy_frames g = pci_policy_bar_frames(b->size);

	if (cpu & ((4096ull << g.order) - 1u)) {
		g.count <<= g.order;
		g.order = 0;
	}
	return g;
}

/** Index of the frame record for (idx, bar, index), or of a free one. */
static int pci_owner_frame_slot(const struct pci_srv *s, uint16_t idx,
				uint8_t bar, uint32_t index, bool *found)
{
	int free_entry = -1;

	*found = false;
	for (int i = 0; i < PCI_SRV_MAX_FRAMES; i++) {
		const struct pci_srv_frame *f = &s->frames[i];

		if (f->slot == 0) {
			free_entry = free_entry < 0 ? i : free_entry;
		} else if (f->func == idx && f->bar == bar &&
			   f->index == index) {
			*found = true;
			return i;
		}
	}
	return free_entry;
}

/** Makes device frame `pa` of `order` into a new slot of record `rec`. */
static int pci_owner_make_frame(struct pci_srv *s, struct pci_srv_frame *rec,
				uint64_t pa, uint8_t order)
{
	uint64_t slot = rt_slot_alloc();
	long err;

	if (slot == 0) {
		return RIFT_ENOMEM;
	}
	err = pci_device_frame(s->device_cap, s->device_caps, slot, pa, order);
	if (err != 0) {
		rt_slot_free(slot);
		return pci_owner_kerr(err);
	}
	rec->slot = slot;
	return RIFT_OK;
}

int pci_owner_bar_frame(struct pci_srv *s, uint16_t idx, uint8_t bar,
			uint32_t index, uint32_t *count, uint8_t *order,
			uint64_t *slot)
{
	const struct pci_bar *b;
	struct pci_policy_frames g;
	uint64_t cpu;
	bool found;
	int rec;
	int err;

	if (bar >= PCI_ENUM_BAR_COUNT) {
		return RIFT_EINVAL;
	}
	b = &s->topo.funcs[idx].bars[bar];
	if (b->size == 0 || (b->flags & (PCI_BAR_F_IO | PCI_BAR_F_UPPER)) ||
	    !(b->flags & PCI_BAR_F_ASSIGNED)) {
		return RIFT_EINVAL;
	}
	cpu = pci_topo_cpu_addr(&s->topo, b->kind, b->addr);
	if (cpu == 0) {
		return RIFT_EIO;
	}
	g = pci_owner_geometry(b, cpu);
	if (index >= g.count) {
		return RIFT_ERANGE;
	}
	rec = pci_owner_frame_slot(s, idx, bar, index, &found);
	if (rec < 0) {
		return RIFT_ENOMEM;
	}
	if (!found) {
		err = pci_owner_make_frame(
			s, &s->frames[rec],
			cpu + ((uint64_t)index << (12u + g.order)), g.order);
		if (err != RIFT_OK) {
			return err;
		}
		s->frames[rec].func = idx;
		s->frames[rec].bar = bar;
		s->frames[rec].index = index;
	}
	*count = g.count;
	*order = g.order;
	*slot = s->frames[rec].slot;
	return RIFT_OK;
}

/** True if a device other than `idx` has `intid` bound. */
static bool pci_owner_line_taken(const struct pci_srv *s, uint16_t idx,
				 uint32_t intid)
{
	for (uint16_t i = 0; i < s->topo.func_count; i++) {
		if (i != idx && s->devs[i].irq_bound &&
		    s->devs[i].intid == intid) {
			return true;
		}
	}
	return false;
}

/** Creates the notification and binds the line; cleans up on failure. */
static int pci_owner_bind(struct pci_srv *s, struct pci_srv_dev *d)
{
	long err = RIFT_KENOMEM;

	d->irq_handler = rt_slot_alloc();
	d->irq_ntfn = rt_slot_alloc();
	d->irq_ntfn_ro = rt_slot_alloc();
	if (d->irq_handler != 0 && d->irq_ntfn != 0 && d->irq_ntfn_ro != 0) {
		err = rift_notification_create(d->irq_ntfn);
	}
	if (err == 0) {
		err = rift_irq_bind(s->irq_control, d->intid, d->irq_handler,
				    d->irq_ntfn, d->trigger);
	}
	if (err == 0) {
		err = rift_cap_copy(d->irq_ntfn, 0, d->irq_ntfn_ro,
				    RIFT_RIGHT_READ, 0);
	}
	if (err != 0) {
		/* Unused slots are freed too (deleting nothing is harmless). */
		pci_owner_drop(&d->irq_handler);
		pci_owner_drop(&d->irq_ntfn_ro);
		pci_owner_drop(&d->irq_ntfn);
		return pci_owner_kerr(err);
	}
	d->irq_bound = true;
	return RIFT_OK;
}

int pci_owner_irq_attach(struct pci_srv *s, uint16_t idx, uint32_t *intid,
			 uint64_t *ntfn)
{
	struct pci_srv_dev *d = &s->devs[idx];
	int err;

	if (!d->irq_bound) {
		if (d->intid == 0) {
			return RIFT_ENOENT;
		}
		if (pci_owner_line_taken(s, idx, d->intid)) {
			return RIFT_EBUSY;
		}
		err = pci_owner_bind(s, d);
		if (err != RIFT_OK) {
			return err;
		}
	}
	*intid = d->intid;
	*ntfn = d->irq_ntfn_ro;
	return RIFT_OK;
}

int pci_owner_irq_ack(struct pci_srv *s, uint16_t idx, uint64_t *count)
{
	const struct pci_srv_dev *d = &s->devs[idx];

	if (!d->irq_bound) {
		return RIFT_EINVAL;
	}
	return pci_owner_kerr(rift_irq_ack(d->irq_handler, count));
}

void pci_owner_route_intx(struct pci_srv *s)
{
	for (uint16_t i = 0; i < s->topo.func_count; i++) {
		uint8_t dev;
		uint8_t pin;

		s->devs[i].intid = 0;
		if (pci_topo_intx_route(&s->topo, i, &dev, &pin)) {
			s->devs[i].intid = pci_dt_intx_lookup(
				&s->host, dev, pin, &s->devs[i].trigger);
		}
	}
}
