/* SPDX-License-Identifier: MIT */
/*
 * Queries over a finished struct pci_topology. Pure functions of the
 * topology: no configuration space access, so the host tool can link them
 * without the configuration hooks.
 */
#ifndef RIFT_PCI_TOPO_H
#define RIFT_PCI_TOPO_H

#include <stdbool.h>
#include <stdint.h>

#include "pci_enum.h"

/** Index of function `bdf`, or PCI_ENUM_NONE. */
uint16_t pci_topo_find(const struct pci_topology *topo, uint32_t bdf);

/**
 * Walks the functions in bus/device/function order (the order of lspci):
 * the index of the function after `prev` (PCI_ENUM_NONE: the first one),
 * or PCI_ENUM_NONE after the last.
 */
uint16_t pci_topo_next_by_bdf(const struct pci_topology *topo, uint16_t prev);

/**
 * Follows the INTx swizzle of every bridge above function `idx` to the root
 * bus: the device number and pin (1..4 = INTA..INTD) to look up in the
 * host bridge's `interrupt-map`. False if the function uses no INTx pin.
 */
bool pci_topo_intx_route(const struct pci_topology *topo, uint16_t idx,
			 uint8_t *root_dev, uint8_t *root_pin);

/**
 * CPU physical address of bus address `bus_addr` of resource kind `kind`,
 * through the host window that kind is allocated from; 0 if it is outside
 * that window.
 */
uint64_t pci_topo_cpu_addr(const struct pci_topology *topo,
			   enum pci_res_kind kind, uint64_t bus_addr);

#endif
