/* SPDX-License-Identifier: MIT */
/*
 * Capabilities by name. The system description names every capability a
 * domain gets (a channel end is named after its channel, a device
 * capability after its property: "mmio", "irq", ...); the supervisor puts
 * them in slots of its choosing and hands the domain this table, one
 * read-only page at RIFT_BOOT_CAPS_VA whose address is the auxv entry
 * RIFT_AT_CAPS. Programs look names up through the runtime (rt_cap(),
 * rift_chan_open()), never by slot number. docs/decisions/named-capabilities.md
 * says why a page and not a generated header.
 *
 * A server also finds its clients here: one RIFT_CAPK_PEER entry per client
 * of each channel it serves, carrying the client's name (its domain name)
 * and the badge its calls arrive with (endpoint) or its bit (notification).
 * The server end named "pci" (the PCI server's) also gets, after each
 * client's PEER entry, one RIFT_CAPK_PEER_PCI entry per device the
 * description assigns to that client (its domain's `pci-devices`).
 */
#ifndef RIFT_CAPS_H
#define RIFT_CAPS_H

#include <stdint.h>

#define RIFT_AT_CAPS 0x5250 /* VA of the capability table (auxv) */
#define RIFT_BOOT_CAPS_VA 0x0000003f00000000ull
#define RIFT_CAPS_MAGIC 0x31737063u /* "cps1" */
#define RIFT_CAP_NAME_MAX 32        /* with the NUL */

enum rift_capk {
	RIFT_CAPK_NONE = 0,
	RIFT_CAPK_ENDPOINT_SERVER = 1, /* receive end of an endpoint channel */
	RIFT_CAPK_ENDPOINT_CLIENT,     /* call/send end; badge = its badge */
	RIFT_CAPK_NOTIFY_WAIT,         /* wait end of a notification channel */
	RIFT_CAPK_NOTIFY_SIGNAL,       /* signal end; badge = its bit */
	RIFT_CAPK_SHM,                 /* shared frame; badge = its VA */
	RIFT_CAPK_MMIO,                /* device frames: count slots */
	RIFT_CAPK_IRQ,                 /* IRQ handler (rift_irq_ack) */
	RIFT_CAPK_IRQ_NOTIFY,          /* the notification that interrupt fires */
	RIFT_CAPK_IRQ_CONTROL,         /* may bind any free SPI */
	RIFT_CAPK_DEVICE,              /* may make device frames (count:
					* one per range) */
	RIFT_CAPK_KLOG,                /* the kernel log frame, read-only */
	RIFT_CAPK_PEER,                /* not a capability: a client of entry `of` */
	RIFT_CAPK_DMA_CONTROL,         /* may pin frames for DMA (rift_dma_pin) */
	RIFT_CAPK_PEER_PCI,            /* not a capability: a PCI device the
					* client (PEER entry `of`) may claim:
					* name "vvvv:dddd" or "bb:dd.f"
					* (rift/pci_id.h; pci-devices) */
};

struct rift_cap_entry {
	char name[RIFT_CAP_NAME_MAX]; /* capability name; PEER: client name */
	uint32_t kind;                /* enum rift_capk */
	uint32_t slot;                /* first slot (0 for PEER) */
	uint32_t count;               /* slots from slot on (MMIO frames); else 1 */
	uint32_t of;                  /* PEER: index of the channel's entry */
	uint64_t badge;               /* see enum rift_capk */
};

struct rift_cap_table {
	uint32_t magic;  /* RIFT_CAPS_MAGIC */
	uint32_t count;  /* entries */
	char domain[RIFT_CAP_NAME_MAX]; /* this domain's name */
	struct rift_cap_entry entry[];
};

#define RIFT_CAPS_MAX_ENTRIES                                          \
	((4096 - sizeof(struct rift_cap_table)) / sizeof(struct rift_cap_entry))

#endif
