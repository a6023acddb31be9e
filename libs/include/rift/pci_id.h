/* SPDX-License-Identifier: MIT */
/*
 * PCI device patterns of the system description's `pci-devices` property
 * (docs/system-description.md): "vvvv:dddd" (vendor and device id, 4 hex
 * digits each) or "bb:dd.f" (bus, device, function: the slot). Shared by the
 * supervisor (which refuses a malformed pattern) and the PCI server (which
 * lets a driver claim only what matches). Header only, no library calls.
 */
#ifndef RIFT_PCI_ID_H
#define RIFT_PCI_ID_H

#include <stdbool.h>
#include <stdint.h>

/** Value of hex digit @c, or -1. */
static inline int pci_id_hex(char c)
{
	if (c >= '0' && c <= '9') {
		return c - '0';
	}
	if (c >= 'a' && c <= 'f') {
		return c - 'a' + 10;
	}
	if (c >= 'A' && c <= 'F') {
		return c - 'A' + 10;
	}
	return -1;
}

/** Parses @n hex digits at @s into *@v; false if any is not one. */
static inline bool pci_id_hexn(const char *s, int n, uint32_t *v)
{
	*v = 0;
	for (int i = 0; i < n; i++) {
		int d = pci_id_hex(s[i]);

		if (d < 0) {
			return false;
		}
		*v = (*v << 4) | (uint32_t)d;
	}
	return true;
}

/** Kinds of pattern. */
enum pci_id_kind {
	PCI_ID_BAD = 0,
	PCI_ID_VENDOR_DEVICE, /**< "vvvv:dddd" */
	PCI_ID_SLOT,	      /**< "bb:dd.f" */
};

/**
 * Parses @s: for PCI_ID_VENDOR_DEVICE *a = vendor, *b = device; for
 * PCI_ID_SLOT *a = bdf (bus 15:8, device 7:3, function 2:0), *b = 0.
 */
static inline enum pci_id_kind pci_id_parse(const char *s, uint32_t *a,
					    uint32_t *b)
{
	uint32_t bus, dev, fn;
	int len = 0;

	while (len < 16 && s[len]) {
		len++;
	}
	if (len == 9 && s[4] == ':' && pci_id_hexn(s, 4, a) &&
	    pci_id_hexn(s + 5, 4, b)) {
		return PCI_ID_VENDOR_DEVICE;
	}
	if (len == 7 && s[2] == ':' && s[5] == '.' && pci_id_hexn(s, 2, &bus) &&
	    pci_id_hexn(s + 3, 2, &dev) && dev < 32 &&
	    pci_id_hexn(s + 6, 1, &fn) && fn < 8) {
		*a = (bus << 8) | (dev << 3) | fn;
		*b = 0;
		return PCI_ID_SLOT;
	}
	return PCI_ID_BAD;
}

/** Does pattern @s name the function @bdf with ids @vendor:@device? */
static inline bool pci_id_match(const char *s, uint32_t bdf, uint16_t vendor,
				uint16_t device)
{
	uint32_t a, b;

	switch (pci_id_parse(s, &a, &b)) {
	case PCI_ID_VENDOR_DEVICE:
		return a == vendor && b == device;
	case PCI_ID_SLOT:
		return a == bdf;
	default:
		return false;
	}
}

#endif
