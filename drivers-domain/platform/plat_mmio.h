/* SPDX-License-Identifier: MIT */
/*
 * Register access seam of the platform backends. The server maps a
 * device's registers (plat_dev.c) and these functions read and write them
 * as little-endian device words; the host unit tests link a register model
 * instead (tests/unit/plat_model.c), which sees every access in order.
 */
#ifndef PLATFORM_PLAT_MMIO_H
#define PLATFORM_PLAT_MMIO_H

#include <stdint.h>

/** A register window: its physical address, and where it is mapped. */
struct plat_mmio {
	uint64_t pa;
	uint64_t size;
	volatile void *va; /**< NULL until mapped (the model leaves it NULL) */
};

uint32_t plat_rd32(const struct plat_mmio *m, uint64_t off);
void plat_wr32(const struct plat_mmio *m, uint64_t off, uint32_t v);
uint64_t plat_rd64(const struct plat_mmio *m, uint64_t off);
void plat_wr64(const struct plat_mmio *m, uint64_t off, uint64_t v);

/**
 * Makes @m usable: maps @m->size bytes at @m->pa with the device authority
 * the description gave (plat_dev.c; the model accepts any window).
 * Returns 0 or a negative error.
 */
int plat_map(struct plat_mmio *m);

#endif
