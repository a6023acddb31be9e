/* SPDX-License-Identifier: MIT */
/* Virtio PCI capability parsing: see vcaps.h. */
#include <stddef.h>

#include "vcaps.h"
#include "virtio.h"

#define PCI_STATUS 0x06
#define PCI_STATUS_CAP_LIST 0x10
#define PCI_CAP_PTR 0x34
#define VCAPS_MAX_WALK 48 /* all 4-byte capabilities that fit in 256 bytes */

static uint32_t cfg_le32(const uint8_t *cfg, unsigned int off)
{
	return (uint32_t)cfg[off] | ((uint32_t)cfg[off + 1] << 8) |
	       ((uint32_t)cfg[off + 2] << 16) | ((uint32_t)cfg[off + 3] << 24);
}

/** Records the capability at @off into @r unless one is there already. */
static int vcaps_take(const uint8_t *cfg, unsigned int off,
		      struct vcap_region *r, const char **why)
{
	if (cfg[off + VIRTIO_CAP_BAR] > 5) {
		*why = "virtio capability names a BAR above 5";
		return VCAPS_EBAD;
	}
	if (r->present) {
		return VCAPS_OK; /* the first one of a type is the one to use */
	}
	r->present = true;
	r->bar = cfg[off + VIRTIO_CAP_BAR];
	r->offset = cfg_le32(cfg, off + VIRTIO_CAP_OFFSET);
	r->length = cfg_le32(cfg, off + VIRTIO_CAP_LENGTH);
	return VCAPS_OK;
}

static int vcaps_one(const uint8_t *cfg, unsigned int off, struct vcaps *out,
		     const char **why)
{
	uint8_t len = cfg[off + VIRTIO_CAP_LEN];
	uint8_t type = cfg[off + VIRTIO_CAP_CFG_TYPE];

	if (len < VIRTIO_CAP_MIN_LEN || off + len > 256) {
		*why = "virtio capability too short or past configuration space";
		return VCAPS_EBAD;
	}
	switch (type) {
	case VIRTIO_PCI_CAP_COMMON:
		return vcaps_take(cfg, off, &out->common, why);
	case VIRTIO_PCI_CAP_ISR:
		return vcaps_take(cfg, off, &out->isr, why);
	case VIRTIO_PCI_CAP_DEVICE:
		return vcaps_take(cfg, off, &out->device, why);
	case VIRTIO_PCI_CAP_NOTIFY:
		if (out->notify.present) {
			return VCAPS_OK;
		}
		if (len < VIRTIO_NOTIFY_CAP_MIN_LEN) {
			*why = "virtio notify capability without its multiplier";
			return VCAPS_EBAD;
		}
		out->notify_mult = cfg_le32(cfg, off + VIRTIO_CAP_NOTIFY_MULT);
		return vcaps_take(cfg, off, &out->notify, why);
	default:
		return VCAPS_OK; /* PCI_CFG, shared memory, vendor: unused */
	}
}

int vcaps_parse(const uint8_t cfg[256], struct vcaps *out, const char **why)
{
	struct vcaps none = { 0 };
	unsigned int off;
	int err;

	*out = none;
	*why = "";
	if (!(cfg[PCI_STATUS] & PCI_STATUS_CAP_LIST)) {
		*why = "no capability list";
		return VCAPS_EMISSING;
	}
	off = cfg[PCI_CAP_PTR] & 0xfcu;
	for (int n = 0; off != 0; n++) {
		if (n == VCAPS_MAX_WALK || off < 0x40 || off > 256 - 4) {
			*why = "capability list loops or leaves configuration space";
			return VCAPS_EBAD;
		}
		if (cfg[off] == VIRTIO_PCI_CAP_ID) {
			err = vcaps_one(cfg, off, out, why);
			if (err != VCAPS_OK) {
				return err;
			}
		}
		off = cfg[off + 1] & 0xfcu;
	}
	if (!out->common.present || !out->notify.present ||
	    !out->isr.present || !out->device.present) {
		*why = "a virtio structure is missing (common, notify, isr or "
		       "device configuration): not a modern virtio device";
		return VCAPS_EMISSING;
	}
	if (out->common.length < VIO_COMMON_MIN_LEN || out->isr.length < 1 ||
	    out->notify.length < 2) {
		*why = "a virtio structure is shorter than the specification says";
		return VCAPS_EBAD;
	}
	return VCAPS_OK;
}

static bool vcaps_inside(const struct vcap_region *r, const uint64_t sz[6])
{
	return (uint64_t)r->offset + r->length <= sz[r->bar];
}

int vcaps_check_bars(const struct vcaps *c, const uint64_t bar_size[6],
		     const char **why)
{
	if (!vcaps_inside(&c->common, bar_size) ||
	    !vcaps_inside(&c->notify, bar_size) ||
	    !vcaps_inside(&c->isr, bar_size) ||
	    !vcaps_inside(&c->device, bar_size)) {
		*why = "a virtio structure lies outside its BAR (or the BAR is "
		       "not an assigned memory BAR)";
		return VCAPS_EBAR;
	}
	*why = "";
	return VCAPS_OK;
}
