/* SPDX-License-Identifier: MIT */
/*
 * The console client backend: a strong rt_console_write() that sends the
 * runtime's output lines to the console server with the generated
 * console_write() stub (see console_client.h). It runs inside the runtime's
 * upcall handler, so it makes rift calls only.
 *
 * The transport uses the IPC buffer's message words and receive slots as
 * scratch; this backend saves and restores them, so a program may print
 * while it builds a message. Like the default backend, the kernel-log
 * fallback uses ipcbuf->data.
 */
#include <string.h>

#include <rift/chan.h>
#include <rift/rt.h>
#include <rift/syscall.h>

#include "console.h"
#include "console_client.h"

/** Refusals to take any byte before the client gives up on the console. */
#define CLIENT_STALLS 64

/** Message words a console_write() request occupies (u16 length + bytes). */
#define CLIENT_WORDS ((2 + CONSOLE_WRITE_DATA_MAX + 7) / 8)

static struct rift_chan client_chan;
static int client_looked_up;

struct rift_chan *console_client_chan(void)
{
	if (!client_looked_up) {
		client_chan = rift_chan_open(CONSOLE_CAP);
		client_looked_up = 1;
	}
	return &client_chan;
}

uint64_t console_input_doorbell(void)
{
	const char *me = rt_domain_name();
	char name[64];
	size_t n = me ? strlen(me) : 0;

	if (!me || n + sizeof(CONSOLE_INPUT_SUFFIX) > sizeof(name)) {
		return 0;
	}
	memcpy(name, me, n);
	memcpy(name + n, CONSOLE_INPUT_SUFFIX, sizeof(CONSOLE_INPUT_SUFFIX));
	return rt_cap(name);
}

int console_client_write(const void *buf, size_t len, size_t *done)
{
	const uint8_t *p = buf;
	unsigned stalls = 0;

	*done = 0;
	while (*done < len) {
		size_t n = len - *done;
		uint32_t accepted = 0;
		int err;

		if (n > CONSOLE_WRITE_DATA_MAX) {
			n = CONSOLE_WRITE_DATA_MAX;
		}
		err = console_write(console_client_chan(), p + *done, (uint16_t)n,
				    &accepted);
		if (err != RIFT_OK) {
			return err;
		}
		if (accepted > n) {
			return RIFT_EINVAL; /* the server cannot take more */
		}
		if (accepted == 0) {
			if (++stalls > CLIENT_STALLS) {
				return RIFT_EBUSY;
			}
			rift_yield();
			continue;
		}
		stalls = 0;
		*done += accepted;
	}
	return RIFT_OK;
}

/**
 * The console's input_ready event, for programs that never receive events
 * (input arrives by doorbell, docs/console.md): the generated event
 * dispatcher needs a handler to link. A program that does dispatch console
 * events defines its own.
 */
__attribute__((weak)) int console_on_input_ready(struct console_client *cli,
						  uint64_t badge,
						  uint32_t pending)
{
	(void)cli;
	(void)badge;
	(void)pending;
	return RIFT_OK;
}

/** The parts of the IPC buffer the transport overwrites. */
struct client_scratch {
	uint64_t mr[CLIENT_WORDS];
	uint64_t recv_slots[RIFT_IPC_CAPS];
};

static void client_save(const struct rift_ipcbuf *ib,
			struct client_scratch *s)
{
	memcpy(s->mr, ib->mr, sizeof(s->mr));
	memcpy(s->recv_slots, ib->recv_slots, sizeof(s->recv_slots));
}

static void client_restore(struct rift_ipcbuf *ib,
			   const struct client_scratch *s)
{
	memcpy(ib->mr, s->mr, sizeof(s->mr));
	memcpy(ib->recv_slots, s->recv_slots, sizeof(s->recv_slots));
}

/** The fallback: the kernel log, as the runtime's default backend does. */
static void client_klog_write(struct rift_ipcbuf *ib, const uint8_t *p,
			      size_t len)
{
	(void)ib;
	rt_debug_write(p, len);
}

/**
 * The runtime's console backend: @len bytes of whole lines to the console
 * server; whatever it does not take goes to the kernel log.
 */
void rt_console_write(const void *buf, size_t len)
{
	struct rift_ipcbuf *ib = rift_ipcbuf();
	struct client_scratch scratch;
	size_t done = 0;

	if (ib == NULL) {
		return;
	}
	client_save(ib, &scratch);
	if (console_client_write(buf, len, &done) != RIFT_OK) {
		client_klog_write(ib, (const uint8_t *)buf + done, len - done);
	}
	client_restore(ib, &scratch);
}
