/* SPDX-License-Identifier: MIT */
/*
 * ECAM configuration access (see pci_ecam.h).
 */
#include "pci_ecam.h"

#include <rift/abi.h>
#include <rift/rt.h>
#include <rift/syscall.h>

#include "pci_enum.h"

/** Device frame order of a 2 MiB frame. */
#define PCI_ECAM_FRAME_ORDER 9u

int pci_ecam_init(struct pci_ecam *e, uint64_t base, uint8_t bus_start,
		  uint8_t bus_end, uint64_t device_cap)
{
	__builtin_memset(e, 0, sizeof(*e));
	if (base & (PCI_ECAM_FRAME_SIZE - 1u)) {
		return -1;
	}
	e->base = base;
	e->bus_start = bus_start;
	e->bus_end = bus_end;
	e->device_cap = device_cap;
	e->device_caps = 1;
	return 0;
}

long pci_device_frame(uint64_t first, uint32_t count, uint64_t slot,
		      uint64_t pa, uint8_t order)
{
	long err = RIFT_KERANGE;

	for (uint32_t i = 0; i < count && err == RIFT_KERANGE; i++) {
		err = rift_device_frame(first + i, slot, pa, order);
	}
	return err;
}

/** Makes and maps the frame of chunk `chunk`; false on failure. */
static bool pci_ecam_map_chunk(struct pci_ecam *e, uint32_t chunk)
{
	uint64_t slot = rt_slot_alloc();
	uint64_t pa = e->base + chunk * PCI_ECAM_FRAME_SIZE;
	long err = RIFT_KEFULL;

	if (slot != 0) {
		err = pci_device_frame(e->device_cap, e->device_caps, slot,
				       pa, PCI_ECAM_FRAME_ORDER);
	}
	if (err == 0) {
		err = rift_map(0, slot,
			       PCI_ECAM_VA + chunk * PCI_ECAM_FRAME_SIZE,
			       RIFT_MAP_READ | RIFT_MAP_WRITE);
		if (err != 0) {
			rift_cap_delete(slot);
		}
	}
	if (err != 0) {
		if (slot != 0) {
			rt_slot_free(slot);
		}
		e->failed[chunk] = 1;
		e->failures++;
		e->last_error = err;
		return false;
	}
	e->frames[chunk] = slot;
	e->mapped++;
	return true;
}

/**
 * Address of byte `off` of function `bdf`'s configuration space, mapping
 * its bus on first use; NULL if the bus is outside the region, the access
 * is malformed, or the bus cannot be mapped.
 */
static volatile uint8_t *pci_ecam_addr(struct pci_ecam *e, uint32_t bdf,
				       uint32_t off, int size)
{
	uint32_t bus = PCI_BDF_BUS(bdf);
	uint64_t rel;
	uint32_t chunk;

	if (bus < e->bus_start || bus > e->bus_end || off >= 4096u ||
	    (size != 1 && size != 2 && size != 4) ||
	    (off & (uint32_t)(size - 1)) != 0) {
		return NULL;
	}
	rel = ((uint64_t)(bdf & 0xffffu) - ((uint64_t)e->bus_start << 8))
	      << 12;
	chunk = (uint32_t)(rel / PCI_ECAM_FRAME_SIZE);
	if (e->failed[chunk] ||
	    (e->frames[chunk] == 0 && !pci_ecam_map_chunk(e, chunk))) {
		return NULL;
	}
	return (volatile uint8_t *)(PCI_ECAM_VA + rel + off);
}

/** Configuration space is little-endian; converts to and from the CPU. */
static uint32_t pci_ecam_le(uint32_t v, int size)
{
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	return size == 4 ? __builtin_bswap32(v)
			 : (size == 2 ? __builtin_bswap16((uint16_t)v) : v);
#else
	(void)size;
	return v;
#endif
}

uint32_t pci_cfg_read(void *ctx, uint32_t bdf, uint32_t off, int size)
{
	volatile uint8_t *p = pci_ecam_addr(ctx, bdf, off, size);

	if (p == NULL) {
		return size == 4 ? 0xffffffffu : (1u << (size * 8)) - 1u;
	}
	if (size == 1) {
		return *p;
	}
	if (size == 2) {
		return pci_ecam_le(*(volatile uint16_t *)p, 2);
	}
	return pci_ecam_le(*(volatile uint32_t *)p, 4);
}

void pci_cfg_write(void *ctx, uint32_t bdf, uint32_t off, int size,
		   uint32_t val)
{
	volatile uint8_t *p = pci_ecam_addr(ctx, bdf, off, size);

	if (p == NULL) {
		return;
	}
	if (size == 1) {
		*p = (uint8_t)val;
	} else if (size == 2) {
		*(volatile uint16_t *)p = (uint16_t)pci_ecam_le(val, 2);
	} else {
		*(volatile uint32_t *)p = pci_ecam_le(val, 4);
	}
}
