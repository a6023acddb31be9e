/* SPDX-License-Identifier: MIT */
/* The register model (see plat_model.h). */
#include "plat_model.h"

#include <stdio.h>
#include <string.h>

#include "../../drivers-domain/platform/plat_mmio.h"
#include "../../drivers-domain/platform/plat_shub1.h"

struct model model;

void model_reset(void)
{
	memset(&model, 0, sizeof(model));
}

static void model_log(char op, uint64_t pa, uint64_t val)
{
	if (model.count == MODEL_LOG_MAX) {
		model.overflow = true;
		return;
	}
	model.log[model.count].op = op;
	model.log[model.count].pa = pa;
	model.log[model.count].val = val;
	model.count++;
}

uint32_t model_count(char op)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < model.count; i++) {
		n += model.log[i].op == op;
	}
	return n;
}

void model_dump(void)
{
	for (uint32_t i = 0; i < model.count; i++) {
		printf("  %u: %c %#llx %#llx\n", i, model.log[i].op,
		       (unsigned long long)model.log[i].pa,
		       (unsigned long long)model.log[i].val);
	}
}

/** Offset of @pa within a Shub 1's global MMR space. */
static uint64_t model_shub_reg(uint64_t pa)
{
	return pa & ((1ull << SHUB1_NASID_SHIFT) - 1) & ~SHUB1_GLOBAL_MMR;
}

static uint64_t model_pio_status(void)
{
	uint64_t st;

	if (model.pio_stuck || model.pio_busy) {
		if (model.pio_busy) {
			model.pio_busy--;
		}
		return 0x0100000000000000ull; /* one write pending */
	}
	st = SHUB1_PIO_IDLE;
	model.idle_reads++;
	for (uint32_t i = 0; i < model.deadlock_count; i++) {
		if (model.deadlock_at[i] == model.idle_reads) {
			st |= SHUB1_PIO_DEADLOCK;
		}
	}
	return st;
}

static uint64_t model_read(uint64_t pa)
{
	uint64_t reg = model_shub_reg(pa);

	if (pa >= SHUB1_GLOBAL_MMR) {
		if (reg == SHUB1_RTC) {
			return model.rtc;
		}
		if (reg == SHUB1_PIO_WRITE_STATUS_0) {
			return model_pio_status();
		}
		return 0;
	}
	if (pa == 0x09010000) { /* PL031 DR */
		return model.pl031_dr;
	}
	if (pa == 0x0901000c) { /* PL031 CR: running */
		return 1;
	}
	if (pa == 0x09030418) { /* PL061 MIS */
		return model.pl061_mis;
	}
	return 0;
}

int plat_map(struct plat_mmio *m)
{
	if (model.refuse_map) {
		return -1;
	}
	model_log(MODEL_MAP, m->pa, m->size);
	return 0;
}

uint32_t plat_rd32(const struct plat_mmio *m, uint64_t off)
{
	uint32_t v = (uint32_t)model_read(m->pa + off);

	model_log(MODEL_READ, m->pa + off, v);
	return v;
}

void plat_wr32(const struct plat_mmio *m, uint64_t off, uint32_t v)
{
	model_log(MODEL_WRITE, m->pa + off, v);
}

uint64_t plat_rd64(const struct plat_mmio *m, uint64_t off)
{
	uint64_t v = model_read(m->pa + off);

	model_log(MODEL_READ, m->pa + off, v);
	return v;
}

void plat_wr64(const struct plat_mmio *m, uint64_t off, uint64_t v)
{
	model_log(MODEL_WRITE, m->pa + off, v);
}
