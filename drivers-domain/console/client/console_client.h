/* SPDX-License-Identifier: MIT */
/*
 * The console client library (libconsole_client.a): what a domain links to
 * send its stdout and stderr through the console server (docs/console.md).
 *
 * Conventions shared with the system descriptions (capabilities by name,
 * rift/caps.h):
 *   - the capability named "console" (CONSOLE_CAP) is the domain's end of
 *     the console endpoint: a client of the channel named "console"; the
 *     console tells writers apart by its badge and names them after their
 *     domain;
 *   - a domain that reads input serves a notification channel named
 *     "<domain>-input" (console_input_doorbell()), which the console, its
 *     client, rings when input arrives for it.
 *
 * Linking the library replaces the runtime's default console backend
 * (RIFT_SYS_DEBUG_WRITE into the kernel log) with console_write() calls.
 * Whenever the console cannot take output — no "console" capability, the
 * endpoint revoked, the server destroyed — the call fails at once and the
 * line goes to the kernel log instead, so output is never lost and a writer
 * never hangs on a console that is not there.
 */
#ifndef CONSOLE_CLIENT_H
#define CONSOLE_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#define CONSOLE_CAP "console" /**< the console endpoint (client end) */
#define CONSOLE_INPUT_SUFFIX "-input" /**< "<domain>-input": input doorbell */

struct rift_chan;

/** The console channel (capability CONSOLE_CAP), for the generated stubs. */
struct rift_chan *console_client_chan(void);

/**
 * The slot of this domain's input doorbell (the channel named
 * "<domain>-input" that it serves), or 0 when it has none.
 */
uint64_t console_input_doorbell(void);

/**
 * Writes @len bytes through console_write() in pieces the interface
 * allows; *@done tells how many the console took. Returns 0, or the first
 * error (RIFT_EIO when there is no console); never blocks on a missing
 * server. Safe inside the runtime's upcall handler (rift calls only).
 */
int console_client_write(const void *buf, size_t len, size_t *done);

#endif
