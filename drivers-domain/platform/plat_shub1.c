/* SPDX-License-Identifier: MIT */
/*
 * Backend sgi-shub1: the SGI Altix's Shub 1 node controller (one per
 * node). It does by register writes what other machines do by CPU
 * instructions: interrupts to other processors (SH_IPI_INT), TLB purges on
 * other nodes (SH1_PTC_0/1), and the machine-wide clock (SH_RTC).
 *
 * There is no Altix to run on: this code is tested against a register-level
 * model (tests/unit/test_plat_shub1.c) that checks every access, in order.
 *
 * Device tree binding (ours; the Altix booted from EFI and SAL, not a
 * device tree): one node per Shub,
 *
 *	shub@<global MMR base> {
 *		compatible = "sgi,shub1";
 *		reg = <(nasid << 38 | 0x8_0000_0000) 0x2_0000_0000>;
 *		sgi,nasid = <nasid>;
 *		numa-node-id = <node>;
 *		clock-frequency = <SH_RTC Hz>;   (SAL's rtc cycles per second)
 *		sgi,rtc-epoch = <hi lo>;         (seconds since 1970 at RTC 0,
 *		                                  from EFI GetTime at boot)
 *		sgi,local;                       (the node this server runs on)
 *	};
 *
 * What follows the Linux sn2 sequences (facts, not code):
 * - IPI: one write of SEND | PID | TYPE | IDX (vector) | BASE 0xfee to the
 *   target node's SH_IPI_INT.
 * - TLB purge: wait until the local PIO write status shows no write in
 *   flight; then for each page, for each node of the mask but the local
 *   one (its processors are purged by the kernel's own ptc.ga, an
 *   instruction): write PTC_0 = A | PS | RID | START, then PTC_1 = address |
 *   START. After 32 nodes' writes (and after the last) wait again; if the
 *   status shows DEADLOCK, redo that batch node by node (clear the errors
 *   through the status alias, wait, PTC_0, wait, PTC_1 unless deadlocked,
 *   wait, repeat on deadlock) and send one at a time from then on.
 * - RTC: SH_RTC of the local node, 55 bits, at clock-frequency Hz.
 */
#include "plat.h"
#include "plat_shub1.h"

#include <libfdt.h>
#include <stdio.h>
#include <string.h>

static const char *const plat_shub1_compat[] = { "sgi,shub1", NULL };

/** ia64 page sizes a PTC may purge (log2). */
static bool shub1_page_shift_ok(uint32_t s)
{
	static const uint8_t ok[] = { 12, 13, 14, 16, 18, 20, 22, 24, 26, 28 };

	for (size_t i = 0; i < sizeof(ok); i++) {
		if (ok[i] == s) {
			return true;
		}
	}
	return false;
}

static int shub1_u32(const void *fdt, int node, const char *name,
		     uint32_t *out)
{
	int len;
	const fdt32_t *p = fdt_getprop(fdt, node, name, &len);

	if (!p || len != 4) {
		return -1;
	}
	*out = fdt32_to_cpu(p[0]);
	return 0;
}

static int shub1_u64(const void *fdt, int node, const char *name,
		     uint64_t *out)
{
	int len;
	const fdt32_t *p = fdt_getprop(fdt, node, name, &len);

	if (!p || (len != 4 && len != 8)) {
		return -1;
	}
	*out = fdt32_to_cpu(p[0]);
	if (len == 8) {
		*out = (*out << 32) | fdt32_to_cpu(p[1]);
	}
	return 0;
}

/** Maps the 4 KiB page of @s's MMR space holding register @reg. */
static int shub1_map_page(const struct plat_shub *s, struct plat_mmio *m,
			  uint64_t reg)
{
	m->pa = s->mmr.pa + (reg & ~0xfffull);
	m->size = 0x1000;
	m->va = NULL;
	return plat_map(m);
}

/** Register @reg of Shub @s: the mapped page and the offset in it. */
static const struct plat_mmio *shub1_page(const struct plat_shub *s,
					  uint64_t reg, uint64_t *off)
{
	*off = reg & 0xfffull;
	switch (reg & ~0xfffull) {
	case SHUB1_IPI_INT & ~0xfffull:
		return &s->ipi;
	case SHUB1_PTC_0 & ~0xfffull:
		return &s->ptc;
	case SHUB1_RTC & ~0xfffull:
		return &s->rtc;
	default:
		return &s->pio;
	}
}

static void shub1_wr(const struct plat_shub *s, uint64_t reg, uint64_t v)
{
	uint64_t off;
	const struct plat_mmio *m = shub1_page(s, reg, &off);

	plat_wr64(m, off, v);
}

static uint64_t shub1_rd(const struct plat_shub *s, uint64_t reg)
{
	uint64_t off;
	const struct plat_mmio *m = shub1_page(s, reg, &off);

	return plat_rd64(m, off);
}

static int shub1_probe_one(struct plat_shub1 *sh, const void *fdt, int node,
			   char *err, size_t size)
{
	struct plat_shub *s = &sh->shubs[sh->count];
	uint64_t base, len, hz, epoch;
	const char *name = fdt_get_name(fdt, node, NULL);

	memset(s, 0, sizeof(*s));
	if (plat_dt_reg(fdt, node, 0, &base, &len) != 0 ||
	    shub1_u32(fdt, node, "sgi,nasid", &s->nasid) != 0 ||
	    shub1_u32(fdt, node, "numa-node-id", &s->node) != 0) {
		snprintf(err, size, "%s: needs reg, sgi,nasid and "
			 "numa-node-id", name);
		return -1;
	}
	if (base != (((uint64_t)s->nasid << SHUB1_NASID_SHIFT) |
		     SHUB1_GLOBAL_MMR) || len < SHUB1_PIO_WRITE_STATUS_0 + 0x1000) {
		snprintf(err, size, "%s: reg is not nasid %u's global MMR "
			 "space", name, s->nasid);
		return -1;
	}
	s->mmr.pa = base;
	s->mmr.size = len;
	if (shub1_u64(fdt, node, "clock-frequency", &hz) == 0) {
		sh->rtc_hz = hz;
	}
	if (shub1_u64(fdt, node, "sgi,rtc-epoch", &epoch) == 0) {
		sh->rtc_epoch = epoch;
	}
	if (fdt_getprop(fdt, node, "sgi,local", NULL)) {
		sh->local = sh->count;
	}
	if (shub1_map_page(s, &s->ipi, SHUB1_IPI_INT) ||
	    shub1_map_page(s, &s->ptc, SHUB1_PTC_0) ||
	    shub1_map_page(s, &s->rtc, SHUB1_RTC) ||
	    shub1_map_page(s, &s->pio, SHUB1_PIO_WRITE_STATUS_0)) {
		snprintf(err, size, "%s: cannot map its registers", name);
		return -1;
	}
	sh->count++;
	return 0;
}

static int shub1_probe(struct plat_ctx *ctx, char *err, size_t size)
{
	struct plat_shub1 *sh = &ctx->shub;
	int node;

	memset(sh, 0, sizeof(*sh));
	sh->max_active = SHUB1_MAX_ACTIVE;
	for (node = fdt_node_offset_by_compatible(ctx->fdt, -1, "sgi,shub1");
	     node >= 0;
	     node = fdt_node_offset_by_compatible(ctx->fdt, node,
						  "sgi,shub1")) {
		if (sh->count == PLAT_SHUB_MAX) {
			snprintf(err, size, "more than %d Shubs",
				 PLAT_SHUB_MAX);
			return -1;
		}
		if (shub1_probe_one(sh, ctx->fdt, node, err, size) != 0) {
			return -1;
		}
	}
	if (sh->count == 0) {
		snprintf(err, size, "no sgi,shub1 node");
		return -1;
	}
	return 0;
}

static uint32_t shub1_features(const struct plat_ctx *ctx)
{
	return (ctx->shub.rtc_hz ? PLAT_F_RTC : 0) | PLAT_F_IPI |
	       PLAT_F_TLB_PURGE;
}

/** The Shub serving node id @node, or NULL. */
static const struct plat_shub *shub1_of_node(const struct plat_shub1 *sh,
					     uint32_t node)
{
	for (uint32_t i = 0; i < sh->count; i++) {
		if (sh->shubs[i].node == node) {
			return &sh->shubs[i];
		}
	}
	return NULL;
}

static int shub1_rtc_read(struct plat_ctx *ctx, struct plat_time *t)
{
	const struct plat_shub1 *sh = &ctx->shub;
	uint64_t rtc, hz = sh->rtc_hz;

	if (hz == 0) {
		return PLAT_ENOSYS;
	}
	rtc = shub1_rd(&sh->shubs[sh->local], SHUB1_RTC) & SHUB1_RTC_MASK;
	t->sec = sh->rtc_epoch + rtc / hz;
	t->nsec = (uint32_t)((rtc % hz) * 1000000000ull / hz);
	t->precise = true;
	return PLAT_OK;
}

static int shub1_ipi(struct plat_ctx *ctx, uint32_t node, uint64_t cpu,
		     uint8_t vector, uint32_t mode)
{
	const struct plat_shub *s = shub1_of_node(&ctx->shub, node);
	uint64_t v;

	if (mode != 0 && mode != 2 && mode != 4 && mode != 5) {
		return PLAT_EINVAL;
	}
	if (!s || cpu > 0xffff) {
		return PLAT_ENOENT;
	}
	v = SHUB1_IPI_SEND | (cpu << SHUB1_IPI_PID_SHIFT) |
	    ((uint64_t)mode << SHUB1_IPI_TYPE_SHIFT) |
	    ((uint64_t)vector << SHUB1_IPI_IDX_SHIFT) |
	    (SHUB1_IPI_BASE_VALUE << SHUB1_IPI_BASE_SHIFT);
	shub1_wr(s, SHUB1_IPI_INT, v);
	return PLAT_OK;
}

/**
 * Waits until the local Shub has no PIO write in flight. Returns 1 if it
 * reported a deadlock, 0 if not, PLAT_EIO if it never went idle.
 */
static int shub1_wait(const struct plat_shub1 *sh)
{
	const struct plat_shub *l = &sh->shubs[sh->local];

	for (uint32_t i = 0; i < SHUB1_SPIN_MAX; i++) {
		uint64_t st = shub1_rd(l, SHUB1_PIO_WRITE_STATUS_0);

		if ((st & SHUB1_PIO_COUNT_MASK) == SHUB1_PIO_IDLE) {
			return (st & SHUB1_PIO_DEADLOCK) ? 1 : 0;
		}
	}
	return PLAT_EIO;
}

/** Sends one node's purge again, step by step, until it is not deadlocked. */
static int shub1_recover_one(const struct plat_shub1 *sh,
			     const struct plat_shub *s, uint64_t d0,
			     uint64_t d1)
{
	const struct plat_shub *l = &sh->shubs[sh->local];

	for (uint32_t tries = 0; tries < SHUB1_SPIN_MAX; tries++) {
		int dl;

		shub1_wr(l, SHUB1_PIO_WRITE_STATUS_0_ALIAS,
			 SHUB1_PIO_CLEAR_ERRORS);
		if (shub1_wait(sh) < 0) {
			return PLAT_EIO;
		}
		shub1_wr(s, SHUB1_PTC_0, d0);
		dl = shub1_wait(sh);
		if (dl == 0) {
			shub1_wr(s, SHUB1_PTC_1, d1);
			dl = shub1_wait(sh);
		}
		if (dl <= 0) {
			return dl;
		}
	}
	return PLAT_EIO;
}

/** State of one tlb_purge. */
struct shub1_purge {
	const struct plat_shub *batch[PLAT_SHUB_MAX];
	uint32_t active;
	uint32_t max_active;
	uint32_t purges;
	uint32_t deadlocks;
};

/** Ends a batch: wait, and recover it node by node on a deadlock. */
static int shub1_flush(const struct plat_shub1 *sh, struct shub1_purge *p,
		       uint64_t d0, uint64_t d1)
{
	int dl = shub1_wait(sh);

	if (dl < 0) {
		return dl;
	}
	if (dl) {
		p->deadlocks++;
		for (uint32_t i = 0; i < p->active; i++) {
			int e = shub1_recover_one(sh, p->batch[i], d0, d1);

			if (e < 0) {
				return e;
			}
		}
		p->max_active = 1;
	}
	p->active = 0;
	return 0;
}

static int shub1_tlb_purge(struct plat_ctx *ctx, uint64_t node_mask,
			   uint64_t start, uint64_t size, uint32_t shift,
			   uint32_t rid, uint32_t *purges, uint32_t *deadlocks)
{
	const struct plat_shub1 *sh = &ctx->shub;
	const struct plat_shub *local = &sh->shubs[sh->local];
	struct shub1_purge p = { .max_active = sh->max_active };
	uint64_t d0, pages;
	int e;

	if (!shub1_page_shift_ok(shift) || size == 0 || rid > 0x7ffffffu) {
		return PLAT_EINVAL;
	}
	pages = ((start & ((1ull << shift) - 1)) + size + (1ull << shift) - 1)
		>> shift;
	if (pages > SHUB1_MAX_PAGES) {
		return PLAT_EINVAL;
	}
	for (uint32_t n = 0; n < 64; n++) {
		if (((node_mask >> n) & 1) && !shub1_of_node(sh, n)) {
			return PLAT_ENOENT;
		}
	}
	d0 = SHUB1_PTC_0_A | ((uint64_t)shift << SHUB1_PTC_0_PS_SHIFT) |
	     ((uint64_t)rid << SHUB1_PTC_0_RID_SHIFT) | SHUB1_PTC_0_START;
	start &= ~((1ull << shift) - 1);
	e = shub1_wait(sh);
	for (uint64_t i = 0; e >= 0 && i < pages; i++) {
		uint64_t d1 = (start + (i << shift)) | SHUB1_PTC_1_START;

		for (uint32_t n = 0; e >= 0 && n < 64; n++) {
			const struct plat_shub *s = shub1_of_node(sh, n);

			if (!((node_mask >> n) & 1) || s == local) {
				continue;
			}
			shub1_wr(s, SHUB1_PTC_0, d0);
			shub1_wr(s, SHUB1_PTC_1, d1);
			p.batch[p.active++] = s;
			p.purges++;
			if (p.active >= p.max_active) {
				e = shub1_flush(sh, &p, d0, d1);
			}
		}
		if (e >= 0 && p.active) {
			e = shub1_flush(sh, &p, d0, d1);
		}
	}
	*purges = p.purges;
	*deadlocks = p.deadlocks;
	return e < 0 ? e : PLAT_OK;
}

const struct plat_backend plat_backend_shub1 = {
	.name = "sgi-shub1",
	.compatible = plat_shub1_compat,
	.probe = shub1_probe,
	.features = shub1_features,
	.rtc_read = shub1_rtc_read,
	.ipi = shub1_ipi,
	.tlb_purge = shub1_tlb_purge,
};
