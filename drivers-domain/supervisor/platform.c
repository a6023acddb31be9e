/* SPDX-License-Identifier: MIT */
/*
 * The supervisor's side of the platform server (docs/platforms.md):
 *
 * - the wall-clock page (rift/wallclock.h): one frame made here, held
 *   read-write by the `wall-clock-source` domain and mapped read-only into
 *   every other domain (and into the supervisor itself), so that
 *   clock_gettime(CLOCK_REALTIME) works everywhere without IPC
 *   (docs/decisions/wall-clock-page.md);
 * - power events: a `power-events` domain gets `power`, a send-only copy of
 *   the supervisor's fault endpoint with badge SD_POWER_BADGE + its index.
 *   What it sends there is platform.idl's `power` event;
 * - the orderly shutdown such an event starts: guests first (the VMM hook
 *   below), then every other domain in the reverse of start order, then
 *   the supervisor returns from main and the kernel powers the machine off
 *   with PSCI SYSTEM_OFF (kernel-api.md, "The first domain").
 */
#include "supervisor.h"

#include <rift/abi.h>
#include <rift/chan.h>
#include <rift/rt.h>
#include <rift/syscall.h>
#include <rift/wallclock.h>
#include <stdio.h>
#include <string.h>

#include "platform.h"

int platform_make_objects(struct supervisor *s, char *err, size_t err_size)
{
	uint64_t slot;
	long e;

	if (s->sd.wall_clock_source < 0) {
		return 0;
	}
	slot = rt_slot_alloc();
	e = slot ? rift_frame_alloc(0, slot, 0, -1, 0) : RIFT_KEFULL;
	if (!e) {
		e = rift_map(0, slot, RIFT_BOOT_WALLCLOCK_VA, RIFT_MAP_READ);
	}
	if (e) {
		snprintf(err, err_size, "wall-clock page: error %ld", e);
		return -1;
	}
	s->wallclock_slot = slot;
	rt_wallclock_attach((const void *)(uintptr_t)RIFT_BOOT_WALLCLOCK_VA);
	return 0;
}

uint64_t platform_image_slots(const struct supervisor *s,
			      const struct sd_domain *d)
{
	return s->wallclock_slot && !d->wall_clock_source ? 1 : 0;
}

long platform_connect(struct supervisor *s, struct child *c,
		      uint64_t spare_slot)
{
	const struct sd_domain *d = c->desc;
	const struct sd_cap *cap;
	long e = 0;

	if (s->wallclock_slot && d->wall_clock_source) {
		cap = sysdesc_find_cap(d, "wall-clock");
		e = rift_cap_copy(s->wallclock_slot, c->dom_slot, cap->slot,
				  RIFT_RIGHT_READ | RIFT_RIGHT_WRITE, 0);
		if (!e) {
			e = rift_map_in(c->dom_slot, cap->slot,
					RIFT_BOOT_WALLCLOCK_VA,
					RIFT_MAP_READ | RIFT_MAP_WRITE);
		}
	} else if (s->wallclock_slot) {
		e = rift_cap_copy(s->wallclock_slot, c->dom_slot, spare_slot,
				  RIFT_RIGHT_READ, 0);
		if (!e) {
			e = rift_map_in(c->dom_slot, spare_slot,
					RIFT_BOOT_WALLCLOCK_VA, RIFT_MAP_READ);
		}
	}
	if (!e && d->power_events) {
		cap = sysdesc_find_cap(d, "power");
		e = rift_cap_copy(s->fault_ep, c->dom_slot, cap->slot,
				  RIFT_RIGHT_WRITE, SD_POWER_BADGE + c->index);
	}
	return e;
}

/* platform.idl's event handler: the supervisor is the event's client. */
int platform_on_power(struct platform_client *cli, uint64_t badge,
		      enum platform_power_kind kind)
{
	struct supervisor *s = cli->ctx;
	const struct child *c = &s->children[badge - SD_POWER_BADGE];

	printf("supervisor: power event from %s: %s\n", c->desc->name,
	       kind == PLATFORM_POWER_KIND_BUTTON ? "power button" :
						    "shutdown request");
	s->power_request = (uint32_t)kind;
	return RIFT_OK;
}

bool platform_power_message(struct supervisor *s,
			    const struct rift_regs_msg *m)
{
	static struct rift_msg msg;
	struct platform_client cli = { .ctx = s, .shm_size = 0 };
	uint64_t i = m->badge - SD_POWER_BADGE;
	int e;

	if (m->badge < SD_POWER_BADGE || i >= s->sd.domain_count ||
	    !s->sd.domains[i].power_events) {
		return false;
	}
	e = rift_chan_unpack(m, &msg);
	if (!e) {
		e = platform_event_dispatch(&cli, m->badge, &msg);
	}
	if (e) {
		printf("supervisor: bad power event from %s: error %d\n",
		       s->sd.domains[i].name, e);
	}
	return true;
}

/**
 * Hook: power off the guests of VMM domain @c before anything else stops
 * (a domain with a `guest` node is a VMM). The guests have no virtual
 * power button yet (docs/guests.md, Limits), so there is nothing to ask
 * them: the VMM domain is stopped, which destroys its guest with it. A
 * request to the VMM and a bounded wait for the guest to power itself
 * off replace this body once a guest can be asked.
 */
static void platform_guest_poweroff(struct child *c)
{
	printf("supervisor: shutdown: powering off the guests of %s\n",
	       c->desc->name);
	supervisor_stop(c);
}

void platform_shutdown(struct supervisor *s)
{
	uint32_t guests = 0;

	printf("supervisor: orderly shutdown: guests first, then servers\n");
	for (uint32_t i = 0; i < s->sd.domain_count; i++) {
		struct child *c = &s->children[i];

		if (c->running && c->desc->vmm) {
			platform_guest_poweroff(c);
			guests++;
		}
	}
	if (guests == 0) {
		printf("supervisor: shutdown: no guests running\n");
	}
	for (uint32_t i = s->sd.domain_count; i-- > 0;) {
		struct child *c = &s->children[i];

		if (c->running) {
			printf("supervisor: shutdown: stopping %s\n",
			       c->desc->name);
			supervisor_stop(c);
		}
	}
	printf("supervisor: shutdown: all domains stopped; powering off\n");
}
