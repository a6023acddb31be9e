/* SPDX-License-Identifier: MIT */
/*
 * Driver access rules (see pci_policy.h).
 */
#include "pci_policy.h"

#include "pci_internal.h"

/** Bytes of configuration space (PCI Express extended). */
#define PCI_POLICY_CFG_SIZE 4096u
/** Registers of a type 0 header the server owns: [first, last]. */
static const struct {
	uint32_t first;
	uint32_t last;
} pci_policy_owned[] = {
	{PCI_REG_HEADER_TYPE, PCI_REG_HEADER_TYPE},
	{PCI_REG_BAR0, PCI_REG_BAR0 + 4u * PCI_ENUM_BAR_COUNT - 1u},
	{PCI_REG_ROM, PCI_REG_ROM + 3u},
};

bool pci_policy_access_ok(uint32_t offset, uint32_t width)
{
	return (width == 1 || width == 2 || width == 4) &&
	       offset < PCI_POLICY_CFG_SIZE && (offset & (width - 1u)) == 0;
}

/** True if [offset, offset + width) overlaps a register the server owns. */
static bool pci_policy_owned_overlap(uint32_t offset, uint32_t width)
{
	uint32_t last = offset + width - 1u;

	for (unsigned int i = 0;
	     i < sizeof(pci_policy_owned) / sizeof(pci_policy_owned[0]); i++) {
		if (offset <= pci_policy_owned[i].last &&
		    pci_policy_owned[i].first <= last) {
			return true;
		}
	}
	return false;
}

bool pci_policy_config_write(uint32_t offset, uint32_t width,
			     uint32_t *value, uint8_t server_cmd)
{
	if (!pci_policy_access_ok(offset, width) ||
	    pci_policy_owned_overlap(offset, width)) {
		return false;
	}
	/* A naturally aligned access covering byte 4 starts at byte 4. */
	if (offset == PCI_REG_COMMAND) {
		*value = (*value & ~(uint32_t)PCI_COMMAND_DECODE_MASK) |
			 (server_cmd & PCI_COMMAND_DECODE_MASK);
	}
	return true;
}

struct pci_policy_frames pci_policy_bar_frames(uint64_t size)
{
	struct pci_policy_frames f = {0, 0};
	uint64_t room = size < PCI_MEM_BAR_MIN ? PCI_MEM_BAR_MIN : size;

	if (room >= (1ull << 30)) {
		f.order = 18;
	} else if (room >= (2ull << 20)) {
		f.order = 9;
	}
	f.count = (uint32_t)(room >> (12u + f.order));
	return f;
}
