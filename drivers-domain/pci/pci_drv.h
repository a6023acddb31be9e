/* SPDX-License-Identifier: MIT */
/*
 * The driver side of pci.idl: what a driver links to claim a device and
 * map its BARs (docs/pci.md, "Writing a driver"). The generated stubs
 * ($(B)/gen/idl/pci_client.c, <pci.h>) do the calls; this adds the loops
 * and the capability bookkeeping around them.
 *
 * bar_frame and irq_attach reply with one capability: the channel must
 * accept it (struct rift_chan .recv_caps = 1, see PCI_DRV_CHAN()).
 */
#ifndef RIFT_PCI_DRV_H
#define RIFT_PCI_DRV_H

#include <stdint.h>

#include <rift/chan.h>
#include <rift/msg.h>

/** A channel to the PCI server at endpoint slot @ep. */
#define PCI_DRV_CHAN(ep) { (ep), 1 }

/** Frames of one BAR mapped by pci_drv_map_bar(). */
struct pci_drv_bar {
	uint64_t va;	      /**< Where frame `first` is mapped. */
	uint64_t frame_size;  /**< Bytes per frame. */
	uint32_t first;	      /**< First frame mapped. */
	uint32_t count;	      /**< Frames mapped. */
	uint32_t total;	      /**< Frames the BAR has. */
	uint64_t slots[16];   /**< Their capabilities. */
};

/**
 * Maps up to `max` (<= 16) frames of memory BAR `bar` of the claimed
 * device `bdf`, starting at frame `first`, contiguously from `va` (aligned
 * to the frame size), read-write. Returns 0 or a negative rift_error; on
 * error nothing stays mapped.
 */
int pci_drv_map_bar(struct rift_chan *ch, uint32_t bdf, uint8_t bar,
		    uint32_t first, uint32_t max, uint64_t va,
		    struct pci_drv_bar *out);

/**
 * Forgets the frames of `b` after release (the server revoked them):
 * deletes what is left and frees the slots.
 */
void pci_drv_unmap_bar(struct pci_drv_bar *b);

/**
 * Finds function number `nth` (0: the first) with `vendor`:`device`, in
 * bus/device/function order; its bdf, or -1.
 */
int64_t pci_drv_find(struct rift_chan *ch, uint16_t vendor, uint16_t device,
		     unsigned int nth);

#endif
