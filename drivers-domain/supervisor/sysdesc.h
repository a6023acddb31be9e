/* SPDX-License-Identifier: MIT */
/*
 * The system description: which domains exist and how they are connected.
 * A device tree (platforms/<board>/system.dts, compiled with dtc) read with
 * libfdt; docs/system-description.md is the reference. sysdesc_parse()
 * validates everything before the supervisor acts on any of it.
 */
#ifndef SUPERVISOR_SYSDESC_H
#define SUPERVISOR_SYSDESC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SD_MAX_DOMAINS 16
#define SD_MAX_CHANNELS 32
#define SD_MAX_ARGS 8
#define SD_MAX_PEERS 16 /* clients per channel: badges 1..16 */
#define SD_NAME_MAX 32
#define SD_SLOT_FIRST 8  /* slots the supervisor assigns to named */
#define SD_SLOT_LAST 63  /* capabilities: [8, 63] */
#define SD_MAX_CAPS (SD_SLOT_LAST - SD_SLOT_FIRST + 1) /* per domain */
#define SD_MAX_NEEDS 16
#define SD_MAX_PCI_DEVICES 8
/* The DMA server is the domain of this name; dma-server picks its image. */
#define SD_DMA_DOMAIN "dma"
/* The server end whose table lists what each client may claim. */
#define SD_PCI_END "pci"
#define SD_MAX_DEVICE_RANGES 8 /* `device = <ranges>`: one capability each */
/* Default cap-slots: room for every page of the quota as a 4 KiB frame,
 * plus the image, stack and runtime's own; a power of two in
 * [SD_SLOTS_MIN, RIFT_MAX_SLOTS]. */
#define SD_SLOTS_MIN 256
#define SD_SLOTS_SPARE 256
#define SD_MAX_MMIO_FRAMES 16
/* Shared memory goes between the stack top and the runtime's metadata and
 * mmap areas (libs/include/rift/rt.h), where nothing else is mapped. */
#define SD_SHM_VA_FIRST 0x0000005000000000ull
#define SD_SHM_VA_END 0x000000f000000000ull
/* Badge of a `power-events` domain's capability to the supervisor's
 * endpoint: SD_POWER_BADGE + its index (fault badges are index + 1). */
#define SD_POWER_BADGE 0x10000u

enum sd_restart {
	SD_RESTART_NEVER,
	SD_RESTART_ON_FAULT, /* restart after a fault, not after exit */
	SD_RESTART_ALWAYS,
};

enum sd_channel_type {
	SD_CHAN_ENDPOINT,
	SD_CHAN_NOTIFICATION,
	SD_CHAN_SHM, /* a shared memory frame */
};

/** One named capability of a domain; kind is enum rift_capk. */
struct sd_cap {
	char name[SD_NAME_MAX];
	uint32_t kind;
	uint32_t slot;    /* first slot, assigned by the parser */
	uint32_t count;   /* slots (MMIO frames); else 1 */
	int32_t channel;  /* index into channels[], or -1 */
	int32_t client;   /* client index in that channel; -1: the server */
};

/** A guest the domain (a VMM) runs: its `guest` child node. */
struct sd_guest {
	const char *kernel;   /* file in the boot archive */
	const char *initrd;   /* file in the boot archive, or NULL */
	const char *bootargs; /* the guest's command line, or NULL */
	uint64_t memory;      /* guest RAM, bytes */
	uint64_t rma;         /* Real Mode Area, bytes (a power of two) */
	uint32_t cpus;
};

struct sd_domain {
	char name[SD_NAME_MAX];
	const char *image; /* file in the boot archive */
	const char *args[SD_MAX_ARGS];
	uint32_t arg_count;
	uint32_t priority;
	uint64_t memory;     /* bytes of quota */
	uint32_t cap_slots;
	enum sd_restart restart;
	uint32_t max_restarts;
	bool service;        /* long-running server: not waited for at shutdown */
	bool hardware_dtb;   /* gets a read-only copy of the hardware tree */
	bool irq_control;    /* gets IRQ control ("irq-control") */
	uint32_t irq_first;  /* irq-control = <first count>: only those */
	uint32_t irq_count;  /* interrupts; 0: all of them */
	bool device;         /* gets device-memory authority ("device") */
	/* device = <base size>...: one carved capability per range, in
	 * consecutive slots; none: all device memory (one capability). */
	uint64_t device_base[SD_MAX_DEVICE_RANGES];
	uint64_t device_size[SD_MAX_DEVICE_RANGES];
	uint32_t device_ranges;
	bool klog;           /* gets the kernel log frame ("klog") */
	bool dma_control;    /* may pin frames for DMA ("dma-control") */
	/* The platform server's grants (docs/platforms.md). */
	bool wall_clock_source; /* writes the wall-clock page ("wall-clock") */
	bool power_events;   /* may send power events ("power") */
	bool vmm;            /* runs guests: powered off first at shutdown */
	uint64_t mmio_base;  /* one device region it may map; 0 = none */
	uint64_t mmio_size;
	uint64_t mmio_page;  /* frame size: 4 KiB (default) or 2 MiB */
	uint32_t irq;        /* interrupt to bind for it; 0 = none */
	/* Every capability it gets, named, with the slot the parser chose. */
	struct sd_cap caps[SD_MAX_CAPS];
	uint32_t cap_count;
	uint32_t slots_used; /* slots SD_SLOT_FIRST.. taken by caps[] */
	const char *needs[SD_MAX_NEEDS]; /* names it must be given */
	uint32_t need_count;
	/* pci-devices = "vvvv:dddd" | "bb:dd.f", ...: what it may claim from
	 * the PCI server (listed in the table of the server end "pci"). */
	const char *pci_devices[SD_MAX_PCI_DEVICES];
	uint32_t pci_device_count;
	bool disabled;       /* not started: the DMA server under "none" */
	bool has_guest;        /* a `guest` node: it is a VMM */
	struct sd_guest guest;
};

struct sd_peer {
	uint32_t domain; /* index into domains[] */
	uint32_t slot;   /* assigned by the parser */
	char cap[SD_NAME_MAX];   /* the capability's name in that domain */
	char label[SD_NAME_MAX]; /* the server's name for this client */
};

struct sd_channel {
	char name[SD_NAME_MAX];
	enum sd_channel_type type;
	struct sd_peer server; /* endpoint: receives; notification: waits */
	struct sd_peer clients[SD_MAX_PEERS];
	uint32_t client_count;
	bool grant;    /* clients may pass capabilities */
	uint64_t size; /* shared memory bytes: 4 KiB or 2 MiB */
	uint64_t va;   /* shared memory: where each peer maps it */
};

struct sysdesc {
	uint32_t version;
	bool shutdown_when_idle; /* power off once only services remain */
	const char *dma_server;  /* "smmuv3", "swiotlb" or "none" */
	uint64_t swiotlb_pool;   /* swiotlb-pool of the dma node (0: unset) */
	bool swiotlb_force;      /* swiotlb-force; of the dma node */
	char dma_args[2][32];    /* the swiotlb server's argv[1..] */
	struct sd_domain domains[SD_MAX_DOMAINS];
	uint32_t domain_count;
	struct sd_channel channels[SD_MAX_CHANNELS];
	uint32_t channel_count;
	int32_t wall_clock_source; /* index of that domain, or -1 */
};

/**
 * Parse and validate @blob (@size bytes). On error returns -1 and writes a
 * message naming the node and property into @err. Strings in @sd point into
 * @blob, which must outlive it.
 */
int sysdesc_parse(const void *blob, size_t size, struct sysdesc *sd,
		  char *err, size_t err_size);

/**
 * sysdesc_parse(), with the DMA server @dma ("smmuv3", "swiotlb", "none";
 * NULL: the description's `dma-server`) instead of the description's
 * choice: the kernel command line's rift.dma=.
 */
int sysdesc_parse_dma(const void *blob, size_t size, const char *dma,
		      struct sysdesc *sd, char *err, size_t err_size);

int sysdesc_find_domain(const struct sysdesc *sd, const char *name);

/**
 * Writes domain @domain's capability table (struct rift_cap_table,
 * rift/caps.h) into @buf (@size bytes, zeroed first): every named
 * capability with its slot, and after each endpoint or notification channel
 * it serves one RIFT_CAPK_PEER entry per client (its name and badge).
 * Returns the number of entries, or -1 if they do not fit.
 */
int sysdesc_cap_table(const struct sysdesc *sd, uint32_t domain, void *buf,
		      size_t size);

/** Entries of domain @domain's capability table. */
uint32_t sysdesc_cap_entries(const struct sysdesc *sd, uint32_t domain);

/** The cap-slots of a domain with @memory bytes of quota that names none. */
uint32_t sysdesc_default_slots(uint64_t memory);

/** Domain @d's capability named @name, or NULL. */
const struct sd_cap *sysdesc_find_cap(const struct sd_domain *d,
				      const char *name);

#endif
