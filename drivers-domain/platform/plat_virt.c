/* SPDX-License-Identifier: MIT */
/*
 * Backend qemu-virt: QEMU's `virt` board (root compatible
 * "linux,dummy-virt").
 *
 * - Wall-clock time from the PL031 RTC (ARM DDI 0224): DR at 0x000 counts
 *   seconds since the epoch (QEMU loads it from the host clock or -rtc
 *   base=...). It has no sub-second part: the server finds the second's
 *   edge once to make the wall-clock page precise.
 * - The power button: the `gpio-keys` node's key with linux,code 116
 *   (KEY_POWER) names a PL061 GPIO line (ARM DDI 0190); QEMU pulses it
 *   high on the monitor's system_powerdown. The line is set up as a
 *   rising-edge interrupt; the PL061's interrupt (INTID 39 on QEMU 7.2) is
 *   the one the description binds for the server (`interrupt = <39>`).
 * - IPI and TLB purge: not here. The kernel sends GIC SGIs and broadcasts
 *   TLBI instructions itself; the board has no registers for them.
 */
#include "plat.h"

#include <libfdt.h>
#include <stdio.h>

/* PL031 registers. */
#define PL031_DR 0x000 /**< data: seconds (read-only) */
#define PL031_CR 0x00c /**< control: bit 0 starts the counter */
#define PL031_CR_START 1u

/* PL061 registers. */
#define PL061_DIR 0x400 /**< direction: 1 = output */
#define PL061_IS 0x404  /**< interrupt sense: 1 = level, 0 = edge */
#define PL061_IBE 0x408 /**< both edges */
#define PL061_IEV 0x40c /**< event: 1 = rising edge / high level */
#define PL061_IE 0x410  /**< interrupt mask: 1 = enabled */
#define PL061_MIS 0x418 /**< masked interrupt status */
#define PL061_IC 0x41c  /**< interrupt clear (write 1) */

#define KEY_POWER 116

static const char *const plat_virt_compat[] = { "linux,dummy-virt", NULL };

/** The GPIO line and controller node of the gpio-keys power key. */
static int virt_find_key(const void *fdt, uint32_t *pin)
{
	int keys = fdt_node_offset_by_compatible(fdt, -1, "gpio-keys");
	int key;

	if (keys < 0) {
		return -1;
	}
	fdt_for_each_subnode(key, fdt, keys) {
		int len;
		const fdt32_t *code = fdt_getprop(fdt, key, "linux,code", &len);
		const fdt32_t *gpios;
		int ctrl;

		if (!code || len != 4 || fdt32_to_cpu(code[0]) != KEY_POWER) {
			continue;
		}
		gpios = fdt_getprop(fdt, key, "gpios", &len);
		if (!gpios || len < 8) {
			return -1;
		}
		ctrl = fdt_node_offset_by_phandle(fdt, fdt32_to_cpu(gpios[0]));
		if (ctrl < 0 ||
		    fdt_node_check_compatible(fdt, ctrl, "arm,pl061") != 0 ||
		    fdt32_to_cpu(gpios[1]) > 7) {
			return -1;
		}
		*pin = fdt32_to_cpu(gpios[1]);
		return ctrl;
	}
	return -1;
}

static int virt_map(const void *fdt, int node, struct plat_mmio *m)
{
	if (plat_dt_reg(fdt, node, 0, &m->pa, &m->size) != 0) {
		return -1;
	}
	m->size = 0x1000;
	return plat_map(m);
}

static int virt_probe(struct plat_ctx *ctx, char *err, size_t size)
{
	struct plat_virt *v = &ctx->virt;
	int rtc = fdt_node_offset_by_compatible(ctx->fdt, -1, "arm,pl031");
	int gpio = virt_find_key(ctx->fdt, &v->power_pin);

	if (rtc >= 0 && virt_map(ctx->fdt, rtc, &v->rtc) == 0) {
		v->have_rtc = true;
		if (!(plat_rd32(&v->rtc, PL031_CR) & PL031_CR_START)) {
			plat_wr32(&v->rtc, PL031_CR, PL031_CR_START);
		}
	}
	if (gpio >= 0 && virt_map(ctx->fdt, gpio, &v->gpio) == 0) {
		uint32_t bit = 1u << v->power_pin;

		v->have_key = true;
		plat_wr32(&v->gpio, PL061_IE, plat_rd32(&v->gpio, PL061_IE) &
						      ~bit);
		plat_wr32(&v->gpio, PL061_DIR,
			  plat_rd32(&v->gpio, PL061_DIR) & ~bit);
		plat_wr32(&v->gpio, PL061_IS, plat_rd32(&v->gpio, PL061_IS) &
						      ~bit);
		plat_wr32(&v->gpio, PL061_IBE,
			  plat_rd32(&v->gpio, PL061_IBE) & ~bit);
		plat_wr32(&v->gpio, PL061_IEV,
			  plat_rd32(&v->gpio, PL061_IEV) | bit);
		plat_wr32(&v->gpio, PL061_IC, bit);
		plat_wr32(&v->gpio, PL061_IE, plat_rd32(&v->gpio, PL061_IE) |
						      bit);
	}
	if (!v->have_rtc && !v->have_key) {
		snprintf(err, size, "neither a PL031 RTC nor a gpio-keys "
			 "power key on a PL061 could be mapped");
		return -1;
	}
	return 0;
}

static uint32_t virt_features(const struct plat_ctx *ctx)
{
	return (ctx->virt.have_rtc ? PLAT_F_RTC : 0) |
	       (ctx->virt.have_key ? PLAT_F_POWER_BUTTON : 0);
}

static int virt_rtc_read(struct plat_ctx *ctx, struct plat_time *t)
{
	if (!ctx->virt.have_rtc) {
		return PLAT_ENOSYS;
	}
	t->sec = plat_rd32(&ctx->virt.rtc, PL031_DR);
	t->nsec = 0;
	t->precise = false;
	return PLAT_OK;
}

static bool virt_power_irq(struct plat_ctx *ctx)
{
	struct plat_virt *v = &ctx->virt;
	uint32_t mis;

	if (!v->have_key) {
		return false;
	}
	mis = plat_rd32(&v->gpio, PL061_MIS);
	plat_wr32(&v->gpio, PL061_IC, mis);
	return (mis >> v->power_pin) & 1u;
}

const struct plat_backend plat_backend_virt = {
	.name = "qemu-virt",
	.compatible = plat_virt_compat,
	.probe = virt_probe,
	.features = virt_features,
	.rtc_read = virt_rtc_read,
	.power_irq = virt_power_irq,
};
