/* SPDX-License-Identifier: MIT */
/*
 * Driver-side helpers for pci.idl (see pci_drv.h).
 */
#include "pci_drv.h"

#include <rift/abi.h>
#include <rift/rt.h>
#include <rift/syscall.h>

#include "pci.h"

/** Loads `n` bytes little-endian. */
/** Maps one frame; on failure deletes it. */
static int pci_drv_map_one(uint64_t slot, uint64_t va)
{
	long err = rift_map(0, slot, va, RIFT_MAP_READ | RIFT_MAP_WRITE);

	if (err != 0) {
		rift_cap_delete(slot);
		rt_slot_free(slot);
		return RIFT_EIO;
	}
	return RIFT_OK;
}

int pci_drv_map_bar(struct rift_chan *ch, uint32_t bdf, uint8_t bar,
		    uint32_t first, uint32_t max, uint64_t va,
		    struct pci_drv_bar *out)
{
	uint32_t total = first + 1;
	int err = RIFT_OK;

	out->va = va;
	out->first = first;
	out->count = 0;
	out->frame_size = 0;
	if (max > 16) {
		return RIFT_EINVAL;
	}
	for (uint32_t i = first; i < total && out->count < max; i++) {
		uint8_t order = 0;
		uint64_t slot = 0;

		err = pci_bar_frame(ch, bdf, bar, i, &total, &order, &slot);
		if (err == RIFT_OK) {
			out->frame_size = 4096ull << order;
			err = pci_drv_map_one(
				slot, va + out->count * out->frame_size);
		}
		if (err != RIFT_OK) {
			pci_drv_unmap_bar(out);
			return err;
		}
		out->slots[out->count++] = slot;
	}
	out->total = total;
	return RIFT_OK;
}

void pci_drv_unmap_bar(struct pci_drv_bar *b)
{
	for (uint32_t i = 0; i < b->count; i++) {
		rift_cap_delete(b->slots[i]);
		rt_slot_free(b->slots[i]);
		b->slots[i] = 0;
	}
	b->count = 0;
}

int64_t pci_drv_find(struct rift_chan *ch, uint16_t vendor, uint16_t device,
		     unsigned int nth)
{
	struct pci_dev_id devs[32];
	uint16_t total = 1;
	uint16_t count = 0;

	for (uint16_t first = 0; first < total; first += count) {
		int err = pci_list(ch, first, &total, &count, devs);

		if (err != RIFT_OK) {
			return err;
		}
		if (count == 0) {
			break;
		}
		for (uint16_t i = 0; i < count; i++) {
			if (devs[i].vendor == vendor &&
			    devs[i].device == device && nth-- == 0) {
				return devs[i].bdf;
			}
		}
	}
	return RIFT_ENOENT;
}

struct rift_chan pci_drv_open(void)
{
	struct rift_chan ch = rift_chan_open(PCI_DRV_CAP);

	ch.recv_caps = 1;
	return ch;
}
