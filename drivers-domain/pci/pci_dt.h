/* SPDX-License-Identifier: MIT */
/*
 * The PCI host bridge as the hardware device tree describes it: the
 * `pci-host-ecam-generic` node's ECAM region (`reg`), bus range
 * (`bus-range`), windows (`ranges`) and INTx routing (`interrupt-map`,
 * `interrupt-map-mask`), parsed with libfdt (Documentation/devicetree/
 * bindings/pci/host-generic-pci.yaml and the PCI bus binding, IEEE 1275).
 *
 * Every property is checked; nothing is trusted. Pure functions of the
 * blob: builds on the host for tests.
 */
#ifndef RIFT_PCI_DT_H
#define RIFT_PCI_DT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pci_enum.h"

/** interrupt-map entries remembered (QEMU virt has 16: 4 slots x 4 pins). */
#define PCI_DT_MAX_INTX 64

/** Trigger of an interrupt, as RIFT_SYS_IRQ_BIND takes it. */
enum pci_dt_trigger {
	PCI_DT_LEVEL = 0,
	PCI_DT_EDGE = 1,
};

/** One interrupt-map entry, reduced to what the server needs. */
struct pci_dt_intx {
	uint32_t addr_hi; /**< Child unit address phys.hi (masked). */
	uint32_t pin;	  /**< Child pin 1..4 (masked). */
	uint32_t intid;	  /**< GIC interrupt id (SPI n is 32 + n). */
	uint8_t trigger;  /**< enum pci_dt_trigger. */
};

/** A host bridge. */
struct pci_dt_host {
	int node;	     /**< Offset of the node in the blob. */
	uint64_t ecam_base;  /**< CPU address of the first bus's ECAM. */
	uint64_t ecam_size;  /**< Bytes of ECAM in `reg`. */
	struct pci_enum_config config; /**< Buses and windows. */
	uint32_t mask_hi;    /**< interrupt-map-mask phys.hi. */
	uint32_t mask_pin;   /**< interrupt-map-mask pin cell. */
	uint32_t intx_count;
	struct pci_dt_intx intx[PCI_DT_MAX_INTX];
};

/**
 * Finds the first `pci-host-ecam-generic` node of `fdt` and parses it into
 * `host`. Returns 0, or -1 with a message naming the node and the property
 * at fault in err[0..err_size).
 */
int pci_dt_parse(const void *fdt, struct pci_dt_host *host, char *err,
		 size_t err_size);

/**
 * The interrupt INTx pin `pin` (1..4) of device `dev` on the root bus
 * reaches, through the interrupt map; 0 if the map has no entry for it.
 * Sets *trigger.
 */
uint32_t pci_dt_intx_lookup(const struct pci_dt_host *host, uint8_t dev,
			    uint8_t pin, uint8_t *trigger);

#endif
