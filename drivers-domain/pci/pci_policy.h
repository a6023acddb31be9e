/* SPDX-License-Identifier: MIT */
/*
 * What the PCI server lets a driver do to the device it claimed. Pure
 * functions (no configuration access, no system calls), shared by the
 * server's request handlers and the host tests.
 *
 * The server owns resource assignment and the enable state: a driver may
 * not move its BARs (they could be made to overlap another device's, or
 * RAM), set an expansion ROM base, or change the command register's
 * decode and bus master bits behind the server's back. Everything else in
 * its device's configuration space (capabilities, MSI/MSI-X, INTx disable,
 * device-specific registers) is the driver's.
 */
#ifndef RIFT_PCI_POLICY_H
#define RIFT_PCI_POLICY_H

#include <stdbool.h>
#include <stdint.h>

/** Sizes and placement of the frames a BAR is handed out in. */
struct pci_policy_frames {
	uint8_t order;	/**< Frame size is 4 KiB << order (0, 9 or 18). */
	uint32_t count; /**< Frames covering the BAR's room. */
};

/** True if `offset`/`width` is a well-formed configuration access. */
bool pci_policy_access_ok(uint32_t offset, uint32_t width);

/**
 * Checks a driver's write of `width` bytes at `offset` of a type 0
 * header and fixes up *value: false if it touches a register the server
 * owns (BARs, expansion ROM base, header type); for a write covering the
 * command register's low byte, bits 2:0 are replaced by `server_cmd`
 * (the decode and bus master bits the server set).
 */
bool pci_policy_config_write(uint32_t offset, uint32_t width,
			     uint32_t *value, uint8_t server_cmd);

/**
 * How a memory BAR of `size` bytes (a power of two; its room is at least
 * 4 KiB and naturally aligned) is cut into device frames: the largest
 * frame size the kernel makes (4 KiB, 2 MiB, 1 GiB) that is not larger
 * than the room.
 */
struct pci_policy_frames pci_policy_bar_frames(uint64_t size);

#endif
