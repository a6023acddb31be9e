/* SPDX-License-Identifier: MIT */
/* The supervisor: the first domain. Builds the system the description names,
 * watches for faults and exits, and restarts domains by their policy. */
#ifndef SUPERVISOR_H
#define SUPERVISOR_H

#include "sysdesc.h"

#include <rift/syscall.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** Where the supervisor maps a child's page while filling it. */
#define SUP_SCRATCH_VA 0x0000005000000000ull
/** The same for 2 MiB frames (a guest's files): a region of its own, since
 * a 2 MiB block cannot go where 4 KiB pages have a table. */
#define SUP_SCRATCH_BLOCK_VA 0x0000005040000000ull
#define SUP_STACK_PAGES 16

struct child {
	uint32_t index;
	const struct sd_domain *desc;
	uint64_t dom_slot;    /* supervisor: the domain's original cap */
	uint64_t thread_slot; /* supervisor: copy of its thread */
	uint64_t ipcbuf_slot; /* supervisor: copy of its IPC buffer frame */
	uint64_t id;          /* kernel domain id (its Linux pid) */
	bool running;
	uint32_t restarts;
	uint64_t free_before; /* machine free pages before it was made */
};

/* Objects the supervisor keeps for the life of the system. */
struct channel_obj {
	uint64_t slot; /* original (endpoint, notification, shm frame) */
};

struct device_obj {
	uint64_t frame_slots[16]; /* device frames (originals) */
	uint32_t frame_count;
	uint64_t handler_slot;    /* irq handler (original) */
	uint64_t notif_slot;      /* its notification (original) */
	uint64_t device_slots[SD_MAX_DEVICE_RANGES]; /* carved DEVICE caps */
	uint64_t irq_control_slot; /* carved IRQ_CONTROL cap, or 0 */
};

struct supervisor {
	struct sysdesc sd;
	const uint8_t *archive;
	size_t archive_size;
	uint64_t fault_ep;
	struct child children[SD_MAX_DOMAINS];
	struct channel_obj channels[SD_MAX_CHANNELS];
	struct device_obj devices[SD_MAX_DOMAINS];
	uint64_t wallclock_slot; /* the wall-clock page (original), or 0 */
	uint32_t power_request;  /* a power event asked for a shutdown */
};

/** Build and start child @c; on failure writes why into @err. */
int loader_start(struct supervisor *s, struct child *c, char *err,
		 size_t err_size);
/** Destroy child @c: every page and capability it held comes back. */
void loader_destroy(struct child *c);
/** Destroy the channels @c served, for good (it will not restart). */
void loader_close_channels(struct supervisor *s, const struct child *c);
/** Make the objects of channels and devices, once. */
int loader_make_objects(struct supervisor *s, char *err, size_t err_size);

/* platform.c: the platform server's grants, power events, shutdown. */

/** Make the wall-clock page if a domain is its source (at start, once). */
int platform_make_objects(struct supervisor *s, char *err, size_t err_size);
/** Slots the wall-clock page takes among @d's image slots (0 or 1). */
uint64_t platform_image_slots(const struct supervisor *s,
			      const struct sd_domain *d);
/**
 * Give child @c the wall-clock page (read-write in its `wall-clock` slot
 * for the source, else read-only in image slot @spare_slot) and, for a
 * `power-events` domain, its `power` capability. Returns 0 or a kernel
 * error.
 */
long platform_connect(struct supervisor *s, struct child *c,
		      uint64_t spare_slot);
/**
 * A message on the fault endpoint that is not a fault: a power event from
 * a `power-events` domain. Returns true if it was one (handled).
 */
bool platform_power_message(struct supervisor *s,
			    const struct rift_regs_msg *m);
/**
 * The orderly shutdown after a power event: guests powered off (VMMs
 * first), then every other domain stopped in the reverse of start order.
 * The caller then returns from main, and the kernel powers off (PSCI
 * SYSTEM_OFF).
 */
void platform_shutdown(struct supervisor *s);
/** Stop child @c for the shutdown (main.c's stop_child()). */
void supervisor_stop(struct child *c);

#endif
