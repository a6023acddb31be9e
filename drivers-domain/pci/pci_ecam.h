/* SPDX-License-Identifier: MIT */
/*
 * ECAM configuration access for the PCI server: the pci_cfg_read() and
 * pci_cfg_write() hooks of the core (pci_enum.h), with `ctx` a struct
 * pci_ecam.
 *
 * ECAM gives each bus 1 MiB (32 devices x 8 functions x 4 KiB). Only the
 * buses the core actually touches are mapped: on the first access to a bus
 * the 2 MiB device frame holding it (two buses) is made with the
 * device-memory authority capability and mapped at a fixed place in the
 * server's address space. Accesses are single loads and stores of the
 * access width, as ECAM requires.
 *
 * A bus whose frame cannot be made reads as all ones (no device) and
 * ignores writes; the failure is counted and its error kept.
 */
#ifndef RIFT_PCI_ECAM_H
#define RIFT_PCI_ECAM_H

#include <stdint.h>

/** Buses one ECAM region can have. */
#define PCI_ECAM_MAX_BUSES 256
/** Bytes of configuration space per bus. */
#define PCI_ECAM_BUS_SIZE (1ull << 20)
/** Bytes of one ECAM device frame (2 MiB: two buses). */
#define PCI_ECAM_FRAME_SIZE (2ull << 20)
/** Where the server maps ECAM (256 MiB at most). */
#define PCI_ECAM_VA 0x0000006000000000ull

/** ECAM state. */
struct pci_ecam {
	uint64_t base;	     /**< CPU address of bus_start's space. */
	uint8_t bus_start;   /**< First bus of the region. */
	uint8_t bus_end;     /**< Last bus of the region. */
	uint64_t device_cap; /**< Device-memory authority capability slot. */
	uint32_t device_caps; /**< ... and the next device_caps - 1 (ranges). */
	/** Frame slot per 2 MiB chunk (0: not mapped yet). */
	uint64_t frames[PCI_ECAM_MAX_BUSES / 2];
	/** Chunks that could not be mapped (never retried). */
	uint8_t failed[PCI_ECAM_MAX_BUSES / 2];
	uint32_t mapped;     /**< Chunks mapped. */
	uint32_t failures;   /**< Chunks that failed. */
	long last_error;     /**< Kernel error of the last failure. */
};

/**
 * Prepares ECAM access to buses bus_start..bus_end at CPU address `base`
 * (2 MiB aligned) using device authority `device_cap`. Maps nothing yet.
 * Returns 0, or -1 if `base` is not 2 MiB aligned.
 */
/**
 * A device frame of `order` at `pa` into `slot`, from whichever of the
 * `count` device capabilities from `first` covers it (a description may
 * give the server ranged ones: ECAM and windows). 0 or a RIFT_KE* error.
 */
long pci_device_frame(uint64_t first, uint32_t count, uint64_t slot,
		      uint64_t pa, uint8_t order);

int pci_ecam_init(struct pci_ecam *e, uint64_t base, uint8_t bus_start,
		  uint8_t bus_end, uint64_t device_cap);

#endif
