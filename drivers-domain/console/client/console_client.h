/* SPDX-License-Identifier: MIT */
/*
 * The console client library (libconsole_client.a): what a domain links to
 * send its stdout and stderr through the console server (docs/console.md).
 *
 * Conventions shared with the system descriptions:
 *   - slot CONSOLE_SLOT_EP (8) holds the domain's end of the console
 *     endpoint; the console tells writers apart by its badge;
 *   - slot CONSOLE_SLOT_INPUT (9), if the domain reads input, holds the
 *     notification the console rings when input arrives for it.
 *
 * Linking the library replaces the runtime's default console backend
 * (RIFT_SYS_DEBUG_WRITE into the kernel log) with console_write() calls.
 * Whenever the console cannot take output — no capability in slot 8, the
 * endpoint revoked, the server destroyed — the call fails at once and the
 * line goes to the kernel log instead, so output is never lost and a writer
 * never hangs on a console that is not there.
 */
#ifndef CONSOLE_CLIENT_H
#define CONSOLE_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#define CONSOLE_SLOT_EP 8    /**< the console endpoint (client end) */
#define CONSOLE_SLOT_INPUT 9 /**< the input doorbell, if any */

struct rift_chan;

/** The console channel in slot CONSOLE_SLOT_EP, for the generated stubs. */
struct rift_chan *console_client_chan(void);

/**
 * Writes @len bytes through console_write() in pieces the interface
 * allows; *@done tells how many the console took. Returns 0, or the first
 * error (RIFT_EIO when there is no console); never blocks on a missing
 * server. Safe inside the runtime's upcall handler (rift calls only).
 */
int console_client_write(const void *buf, size_t len, size_t *done);

#endif
