/* SPDX-License-Identifier: MIT */
/*
 * Queries over a finished topology (see pci_topo.h).
 */
#include "pci_topo.h"

uint16_t pci_topo_find(const struct pci_topology *topo, uint32_t bdf)
{
	for (uint16_t i = 0; i < topo->func_count; i++) {
		if (topo->funcs[i].bdf == bdf) {
			return i;
		}
	}
	return PCI_ENUM_NONE;
}

uint16_t pci_topo_next_by_bdf(const struct pci_topology *topo, uint16_t prev)
{
	uint32_t after = 0;
	uint16_t best = PCI_ENUM_NONE;

	if (prev != PCI_ENUM_NONE) {
		if (prev >= topo->func_count) {
			return PCI_ENUM_NONE;
		}
		after = topo->funcs[prev].bdf + 1u;
	}
	for (uint16_t i = 0; i < topo->func_count; i++) {
		uint32_t bdf = topo->funcs[i].bdf;

		if (bdf >= after &&
		    (best == PCI_ENUM_NONE || bdf < topo->funcs[best].bdf)) {
			best = i;
		}
	}
	return best;
}

bool pci_topo_intx_route(const struct pci_topology *topo, uint16_t idx,
			 uint8_t *root_dev, uint8_t *root_pin)
{
	const struct pci_func *f;
	unsigned int pin;

	if (idx >= topo->func_count) {
		return false;
	}
	f = &topo->funcs[idx];
	pin = f->int_pin;
	if (pin < 1 || pin > 4) {
		return false;
	}
	/* Each bridge rotates the pin by the child's device number. */
	while (f->parent != PCI_ENUM_NONE) {
		pin = ((pin - 1u + PCI_BDF_DEV(f->bdf)) & 3u) + 1u;
		f = &topo->funcs[f->parent];
	}
	*root_dev = PCI_BDF_DEV(f->bdf);
	*root_pin = (uint8_t)pin;
	return true;
}

uint64_t pci_topo_cpu_addr(const struct pci_topology *topo,
			   enum pci_res_kind kind, uint64_t bus_addr)
{
	const struct pci_enum_window *w;

	switch (kind) {
	case PCI_RES_IO:
		w = &topo->config.io;
		break;
	case PCI_RES_MEM:
		w = &topo->config.mem32;
		break;
	case PCI_RES_PREF:
		w = &topo->config.pref;
		break;
	default:
		return 0;
	}
	if (w->size == 0 || bus_addr < w->bus_base ||
	    bus_addr - w->bus_base >= w->size) {
		return 0;
	}
	return w->cpu_base + (bus_addr - w->bus_base);
}
