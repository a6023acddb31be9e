/* SPDX-License-Identifier: MIT */
/*
 * The platform server domain (plat_main.c, plat_handlers.c): serves
 * platform.idl with the backend plat_select() chose, publishes the
 * wall-clock page, and forwards the power button to the supervisor.
 *
 * Names it finds in its capability table (system description):
 *   platform     the channel it serves (clients call platform.idl)
 *   self         its own client end of that channel, for its waker thread
 *   device       device authority over the backend's registers
 *   irq, irq-notification   the power button's interrupt (`interrupt`)
 *   wall-clock   the wall-clock page, read-write (`wall-clock-source;`)
 *   power        the supervisor's endpoint for power events
 *                (`power-events;`)
 */
#ifndef PLATFORM_PLAT_SRV_H
#define PLATFORM_PLAT_SRV_H

#include <rift/chan.h>
#include <rift/wallclock.h>

#include "plat.h"

#define PLAT_SRV_EP "platform"
#define PLAT_MAX_NAMED 8
/** Label of the waker's calls (never a platform.idl label: those carry
 *  the interface hash in bits 63..32). */
#define PLAT_KICK_POWER 0x504f574552ull /* "POWER" */
#define PLAT_KICK_CLOCK 0x434c4f434bull /* "CLOCK": the refiner is done */

struct plat_srv {
	struct plat_ctx ctx;
	volatile struct rift_wallclock *wc; /**< NULL: no wall-clock page */
	struct rift_chan power;             /**< ep 0: no power-events */
	uint64_t self_slot;                 /**< our client end; 0: none */
	uint64_t self_badge;                /**< its badge (kicks); 0: none */
	uint64_t refiner_thread;            /**< slot of the refiner thread */
	uint64_t freq;                      /**< counter Hz */
	bool precise;                       /**< wall clock set at an edge */
	/* Clients named by the server's arguments. */
	const char *shutdown_clients[PLAT_MAX_NAMED];
	uint32_t shutdown_count;
	const char *register_clients[PLAT_MAX_NAMED];
	uint32_t register_count;
	uint32_t crash_after;               /**< test hook; 0: off */
	uint32_t clock_calls;
};

extern struct plat_srv plat_srv;

/** The virtual counter (CNTVCT_EL0). */
uint64_t plat_counter(void);

/**
 * Reads the RTC and (re)publishes the wall-clock page: exact for an RTC
 * with sub-second time, else the middle of the current second (the
 * refiner thread publishes the next second's edge later). 0 or an error.
 */
int plat_srv_publish(struct plat_srv *s);

/** True if the caller behind @badge on the platform channel is in @names. */
bool plat_srv_named(const char *const *names, uint32_t count, uint64_t badge);

#endif
