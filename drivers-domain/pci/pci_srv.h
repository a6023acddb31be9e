/* SPDX-License-Identifier: MIT */
/*
 * The PCI server domain: state shared by its files.
 *
 *   pci_main.c    start-up (device tree, ECAM, enumeration) and the IPC loop
 *   pci_report.c  what it prints: host bridge, listing, resources, dump
 *   pci_owner.c   claims: enable, BAR frames, INTx, release
 *   pci_handlers.c  the pci.idl request handlers (checks, then pci_owner)
 *
 * The server is single threaded: one request at a time, replied before
 * the next is received. Clients are told apart by the badge of their
 * channel (the supervisor gives endpoint clients badge = index + 1); a
 * claim belongs to a badge. Badge 0 has no identity and may only query.
 *
 * Capability slots the system description must fill (see docs/pci.md):
 */
#ifndef RIFT_PCI_SRV_H
#define RIFT_PCI_SRV_H

#include <stdbool.h>
#include <stdint.h>

#include "pci_dt.h"
#include "pci_ecam.h"
#include "pci_enum.h"

/** Endpoint the clients call: the server end of the channel "pci". */
#define PCI_SRV_CAP_EP "pci"
/** Device-memory authority (`device;`): ECAM and BAR frames. */
#define PCI_SRV_CAP_DEVICE "device"
/** Interrupt control (`irq-control;`): binds INTx lines. */
#define PCI_SRV_CAP_IRQ_CONTROL "irq-control"

/** The client allowed to ask for bus mastering (docs/dma.md). */
#define PCI_SRV_DMA_CLIENT "dma"

/** BAR frames handed out at once, over all devices. */
#define PCI_SRV_MAX_FRAMES 1024

/** A BAR frame the server made and handed to a driver. */
struct pci_srv_frame {
	uint64_t slot;	/**< The server's original; 0: entry unused. */
	uint16_t func;	/**< Function index in the topology. */
	uint8_t bar;	/**< BAR index. */
	uint32_t index; /**< Frame index within the BAR. */
};

/** Ownership state of one function. */
struct pci_srv_dev {
	uint64_t owner;	      /**< Badge of the claimer; 0: unclaimed. */
	uint32_t intid;	      /**< INTx line it reaches (0: none). */
	uint8_t trigger;      /**< enum pci_dt_trigger of the line. */
	bool irq_bound;	      /**< The line is bound for this device. */
	uint64_t irq_handler; /**< IRQ handler capability (server's). */
	uint64_t irq_ntfn;    /**< The notification the line signals. */
	uint64_t irq_ntfn_ro; /**< Read-only copy handed to the driver. */
};

/** The whole server. */
struct pci_srv {
	struct pci_dt_host host;
	struct pci_ecam ecam;
	struct pci_topology topo;
	struct pci_srv_dev devs[PCI_ENUM_MAX_FUNCS];
	struct pci_srv_frame frames[PCI_SRV_MAX_FRAMES];
	uint64_t device_cap;
	uint32_t device_caps;	/**< device_cap and the next ones (ranges) */
	uint64_t irq_control;
	/** Badge of the DMA server (the client named PCI_SRV_DMA_CLIENT),
	 *  0 if the description has none: then nobody gets bus mastering. */
	uint64_t dma_badge;
	/** Clients (bit = badge) told once that a claim was refused. */
	uint64_t refused_said;
};

/** Looks up `bdf`: its index, or PCI_ENUM_NONE. */
uint16_t pci_owner_find(const struct pci_srv *s, uint32_t bdf);

/**
 * Checks that `badge` claimed `bdf`; returns its index in *idx, or a
 * negative rift_error (RIFT_ENOENT, RIFT_EPERM).
 */
int pci_owner_check(const struct pci_srv *s, uint64_t badge, uint32_t bdf,
		    uint16_t *idx);

/** Claims function `bdf` for `badge` and enables it. */
int pci_owner_claim(struct pci_srv *s, uint64_t badge, uint32_t bdf);

/**
 * The PCI requester id of function @idx: the id its DMA carries, which
 * the SMMU uses as stream id: its bdf, except behind a bridge that takes
 * ownership of its devices' requests (a PCIe-to-PCI bridge: its secondary
 * bus with device and function 0; a conventional PCI bridge: the
 * bridge's own bdf).
 */
uint32_t pci_owner_requester_id(const struct pci_srv *s, uint16_t idx);

/** Releases a claimed function: quiesce, unbind, revoke. */
int pci_owner_release(struct pci_srv *s, uint16_t idx);

/**
 * Makes (or finds) frame `index` of BAR `bar` of claimed function `idx`;
 * the slot of the server's original in *slot.
 */
int pci_owner_bar_frame(struct pci_srv *s, uint16_t idx, uint8_t bar,
			uint32_t index, uint32_t *count, uint8_t *order,
			uint64_t *slot);

/** Binds the INTx line of claimed function `idx`; the copy to hand out. */
int pci_owner_irq_attach(struct pci_srv *s, uint16_t idx, uint32_t *intid,
			 uint64_t *ntfn);

/** Unmasks the line of claimed function `idx`; the kernel's count. */
int pci_owner_irq_ack(struct pci_srv *s, uint16_t idx, uint64_t *count);

/** Resolves the INTx line of every function (after enumeration). */
void pci_owner_route_intx(struct pci_srv *s);

/** Prints the host bridge, errors, listing, resources and dump. */
void pci_report_all(struct pci_srv *s);

/** Prints the listing line of function `idx`, prefixed by `what`. */
void pci_report_func(const struct pci_srv *s, uint16_t idx, const char *what);

#endif
