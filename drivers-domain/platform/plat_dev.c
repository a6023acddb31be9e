/* SPDX-License-Identifier: MIT */
/*
 * The register seam (plat_mmio.h) in the server: frames made from the
 * `device` ranges the description gives, mapped one 4 KiB page each from
 * PLAT_DEV_VA upward; device words are little-endian.
 */
#include "plat_mmio.h"

#include <rift/abi.h>
#include <rift/caps.h>
#include <rift/rt.h>
#include <rift/syscall.h>

#define PLAT_DEV_VA 0x0000006000000000ull
#define PLAT_DEV_PAGES 512u

static uint32_t plat_dev_used;

int plat_map(struct plat_mmio *m)
{
	const struct rift_cap_entry *dev = rt_cap_find("device");
	uint64_t slot, va;
	long err = RIFT_KERANGE;

	if (!dev || m->size != 0x1000 || (m->pa & 0xfff) ||
	    plat_dev_used == PLAT_DEV_PAGES) {
		return -1;
	}
	slot = rt_slot_alloc();
	if (!slot) {
		return -1;
	}
	for (uint32_t i = 0; i < dev->count && err == RIFT_KERANGE; i++) {
		err = rift_device_frame(dev->slot + i, slot, m->pa, 0);
	}
	va = PLAT_DEV_VA + (uint64_t)plat_dev_used * 0x1000;
	if (err == 0) {
		err = rift_map(0, slot, va, RIFT_MAP_READ | RIFT_MAP_WRITE);
		if (err) {
			rift_cap_delete(slot);
		}
	}
	if (err) {
		rt_slot_free(slot);
		return (int)err;
	}
	plat_dev_used++;
	m->va = (volatile void *)(uintptr_t)va;
	return 0;
}

static uint32_t plat_le32(uint32_t v)
{
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	return __builtin_bswap32(v);
#else
	return v;
#endif
}

static uint64_t plat_le64(uint64_t v)
{
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	return __builtin_bswap64(v);
#else
	return v;
#endif
}

uint32_t plat_rd32(const struct plat_mmio *m, uint64_t off)
{
	return plat_le32(*(volatile uint32_t *)((uintptr_t)m->va + off));
}

void plat_wr32(const struct plat_mmio *m, uint64_t off, uint32_t v)
{
	*(volatile uint32_t *)((uintptr_t)m->va + off) = plat_le32(v);
}

uint64_t plat_rd64(const struct plat_mmio *m, uint64_t off)
{
	return plat_le64(*(volatile uint64_t *)((uintptr_t)m->va + off));
}

void plat_wr64(const struct plat_mmio *m, uint64_t off, uint64_t v)
{
	*(volatile uint64_t *)((uintptr_t)m->va + off) = plat_le64(v);
}
