/* SPDX-License-Identifier: MIT */
/*
 * Finding the virtio structures of a modern virtio-pci function: the
 * vendor-specific capabilities (virtio 1.2, 4.1.4) in its configuration
 * space name a BAR, an offset and a length for the common configuration,
 * the notification doorbells, the ISR byte and the device configuration.
 * Pure code over a copy of configuration space: host-tested.
 */
#ifndef VCAPS_H
#define VCAPS_H

#include <stdbool.h>
#include <stdint.h>

/** Where one structure lives. */
struct vcap_region {
	bool present;
	uint8_t bar;
	uint32_t offset;
	uint32_t length;
};

struct vcaps {
	struct vcap_region common, notify, isr, device;
	uint32_t notify_mult; /**< notify_off_multiplier */
};

#define VCAPS_OK 0
#define VCAPS_EMISSING (-1) /**< a required structure is absent */
#define VCAPS_EBAD (-2)	    /**< a capability is malformed */
#define VCAPS_EBAR (-3)	    /**< a structure lies outside its BAR */

/**
 * Walks the capability list of @cfg (the first 256 bytes of configuration
 * space, as the bytes the device holds) and fills @out with the first
 * capability of each type. Returns VCAPS_OK, or an error with a reason in
 * @why (a static string).
 */
int vcaps_parse(const uint8_t cfg[256], struct vcaps *out, const char **why);

/**
 * Checks every structure against the sizes of the BARs (0: absent or not
 * a memory BAR). VCAPS_OK or VCAPS_EBAR with @why set.
 */
int vcaps_check_bars(const struct vcaps *c, const uint64_t bar_size[6],
		     const char **why);

#endif
