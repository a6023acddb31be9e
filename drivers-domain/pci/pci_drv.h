/* SPDX-License-Identifier: MIT */
/*
 * The driver side of pci.idl: what a driver links to claim a device and
 * map its BARs (docs/pci.md, "Writing a driver"). The generated stubs
 * ($(B)/gen/idl/pci_client.c, <pci.h>) do the calls; this adds the loops
 * and the capability bookkeeping around them.
 *
 * bar_frame and irq_attach reply with one capability: the channel must
 * accept it (struct rift_chan .recv_caps = 1): pci_drv_open() makes it so.
 *
 * Errors are negative enum rift_error values (rift/msg.h; rift_strerror()
 * names them): RIFT_ENOENT no such device, RIFT_EPERM not allowed (the
 * device is someone else's), RIFT_EIO the transport failed (no "pci"
 * capability, or the server is gone).
 */
#ifndef RIFT_PCI_DRV_H
#define RIFT_PCI_DRV_H

#include <stdint.h>

#include <rift/chan.h>
#include <rift/msg.h>

/** The capability name of a driver's end of the PCI server's channel. */
#define PCI_DRV_CAP "pci"

/**
 * The driver's channel to the PCI server: the capability named
 * PCI_DRV_CAP, accepting one capability per reply. When the description
 * gives the domain no such capability, ep is 0 and every call fails with
 * RIFT_EIO.
 */
struct rift_chan pci_drv_open(void);

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
 * bus/device/function order. Returns its bdf (>= 0), RIFT_ENOENT when
 * there is no such function, or the error of the list call (RIFT_EIO: no
 * channel or no server; RIFT_EPERM: not allowed).
 */
int64_t pci_drv_find(struct rift_chan *ch, uint16_t vendor, uint16_t device,
		     unsigned int nth);

#endif
