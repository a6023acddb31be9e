/* SPDX-License-Identifier: MIT */
/*
 * The console server's internal interfaces (docs/console.md).
 *
 * The server is one loop on one thread (main.c): every request, every
 * interrupt and every kernel-log line is handled there, so nothing in the
 * server needs a lock. Two small waker threads (con_waker.c) turn the UART
 * interrupt and the kernel-log notification into IPC calls on the server's
 * own endpoint, because a thread blocked in receive cannot also wait on a
 * notification (docs/decisions/console-klog-ring.md).
 *
 * The logic modules — line assembly (con_lines.c), the kernel-log ring
 * reader (con_klog.c), input queues and focus (con_input.c) and argument
 * parsing (con_args.c) — make no system calls: they reach the hardware only
 * through the three output seams declared at the end of this file, so the
 * host unit tests link them against fakes.
 */
#ifndef CONSOLE_CON_H
#define CONSOLE_CON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rift/abi.h>

#include "client/console_client.h"

/* ------------------------------------------------------------ capabilities */

/*
 * The console's own capabilities, by the names the system description
 * gives them (docs/console.md has the table); main.c looks their slots up
 * once at start (0: not given). Clients' input doorbells are named
 * "<client>" CONSOLE_INPUT_SUFFIX (client/console_client.h).
 */
#define CON_CAP_EP CONSOLE_CAP          /**< the console endpoint, server end */
#define CON_CAP_SELF "self"             /**< a client end of it, for the wakers */
#define CON_CAP_UART "mmio"             /**< the PL011's 4 KiB MMIO frame */
#define CON_CAP_IRQ "irq"               /**< the PL011's IRQ handler */
#define CON_CAP_IRQ_NTFN "irq-notification" /**< the notification it fires */
#define CON_CAP_KLOG "klog"             /**< the kernel log ring's frame */

/** Their slots, filled by main.c. */
struct con_slots {
	uint64_t ep, self, uart, irq, irq_ntfn, klog;
};
extern struct con_slots con_slots;

/** Where the console maps its frames (free VA in the runtime's layout). */
#define CON_UART_VA 0x0000006000000000ull
#define CON_KLOG_VA 0x0000006000200000ull /* 2 MiB aligned */

/* ------------------------------------------------------------------ limits */

#define CON_MAX_CLIENTS 16 /**< badges 1..16; badge 0 is the supervisor */
#define CON_NAME_MAX 32    /**< a domain name, NUL included */
#define CON_LINE_MAX 2048  /**< a longer line is cut into tagged pieces */
#define CON_INPUT_MAX 1024 /**< input bytes queued per client */
#define CON_KLOG_LINE_MAX 512
#define CON_REFUSALS_LOGGED 8 /**< refused requests logged per client */

/** Labels of the wakers' calls (their badge is the console's own). */
enum con_kick {
	CON_KICK_UART = 1, /**< the UART interrupt fired */
	CON_KICK_KLOG = 2, /**< the kernel appended to its log */
};

/* ------------------------------------------------------------------- state */

/** A byte queue (ring) of pending input for one client. */
struct con_queue {
	uint8_t data[CON_INPUT_MAX];
	uint32_t head; /**< next byte to read */
	uint32_t len;  /**< bytes queued */
};

/** What the console knows about the holder of one badge. */
struct con_client {
	char name[CON_NAME_MAX]; /**< "" if the description named none */
	bool focus_admin;        /**< may call set_focus */
	uint64_t doorbell;       /**< slot of its input notification, or 0 */
	char line[CON_LINE_MAX]; /**< the line it is writing */
	uint32_t line_len;
	struct con_queue input;
	uint32_t refusals; /**< requests refused (logged up to a limit) */
};

/** The whole server state; clients[] is indexed by badge. */
struct con_state {
	struct con_client clients[CON_MAX_CLIENTS + 1];
	uint32_t focus;          /**< badge of the focused client; 0 = none */
	uint64_t input_dropped;  /**< bytes typed with nobody focused/room */
	bool told_dropped;       /**< the drop was announced */
	uint32_t client_count;   /**< highest badge named */
};

/* ------------------------------------------------------- arguments (args) */

/**
 * Names the client whose calls carry @badge (what the supervisor's table
 * says, rt_cap_clients()). Returns 0, or -1 with a message in @err (bad
 * name, badge out of range, a name or badge given twice).
 */
int con_args_client(struct con_state *s, uint32_t badge, const char *name,
		    char *err, size_t err_size);

/**
 * Parses the console's arguments (argv[1..]) into @s, after the clients
 * are named:
 *   focus=<name>               who gets input at start (default: nobody)
 *   focus-admin=<name>,...     clients that may call set_focus
 * Returns 0, or -1 with a message in @err.
 */
int con_args_parse(struct con_state *s, int argc, char *const argv[],
		   char *err, size_t err_size);

/** Badge of the client named @name, or 0 if none. */
uint32_t con_args_badge(const struct con_state *s, const char *name,
			size_t len);

/* ------------------------------------------------------------------- lines */

/**
 * The client of @badge, or NULL if the badge is out of range. Badge 0 is
 * the supervisor, which calls with the channel's original capability.
 */
struct con_client *con_lines_client(struct con_state *s, uint64_t badge);

/** The tag of @badge's output: its name, or "client<N>" if unnamed. */
void con_lines_tag(const struct con_state *s, uint64_t badge, char *tag,
		   size_t size);

/**
 * Appends @len bytes written by @badge to its line; every completed line
 * (and every CON_LINE_MAX piece of a longer one) goes out through
 * con_out_line() at once, whole, tagged. Control characters become '?',
 * except tab; carriage returns are dropped.
 */
void con_lines_put(struct con_state *s, uint64_t badge, const uint8_t *data,
		   size_t len);

/** Emits a line of the console's own, tagged "console". */
void con_lines_say(const char *text);

/* ------------------------------------------------------------- kernel log */

/** Reader state of the kernel's log ring (read-only shared memory). */
struct con_klog {
	const volatile struct rift_klog *ring;
	uint64_t tail;      /**< next byte to read (same scale as head) */
	uint64_t lost;      /**< bytes overwritten before they were read */
	uint64_t lost_told; /**< lost bytes already reported */
	bool resync;        /**< skipping to the next line after a loss */
	char line[CON_KLOG_LINE_MAX];
	uint32_t line_len;
};

/**
 * Starts reading @ring at its current head (older lines were on the UART).
 * Returns -1 if the ring's size is not that of a kernel log frame.
 */
int con_klog_init(struct con_klog *k, const volatile struct rift_klog *ring);

/**
 * Copies every complete line appended since the last call to
 * con_out_raw(). Returns the number of lines emitted. Lines overwritten
 * before they could be read are counted in k->lost and reported once as a
 * console line.
 */
uint32_t con_klog_drain(struct con_klog *k);

/* ------------------------------------------------------------------- input */

/**
 * Queues @len bytes typed on the UART for the focused client; signals its
 * doorbell (con_out_doorbell) when its queue was empty. Bytes with nobody
 * focused, or beyond the queue's room, are dropped and counted.
 */
void con_input_put(struct con_state *s, const uint8_t *data, size_t len);

/**
 * How many input bytes the console can take now: the room in the focused
 * client's queue, or @chunk if nobody has the focus (bytes are dropped).
 */
size_t con_input_room(const struct con_state *s, size_t chunk);

/** Takes up to @max queued bytes of @badge's input into @out. */
uint16_t con_input_take(struct con_state *s, uint64_t badge, uint8_t *out,
			uint16_t max);

/**
 * Moves input focus to @badge (0 = nobody) on behalf of @caller. Returns 0,
 * RIFT_EPERM if @caller may not, RIFT_ENOENT if @badge names no client.
 */
int con_input_focus(struct con_state *s, uint64_t caller, uint32_t badge);

/* ------------------------------------------------------------- the server */

/** Everything the server loop (con_serve.c) works on. */
struct con_server {
	struct con_state state;
	struct con_klog klog;
	bool klog_attached; /**< the kernel writes its log to our ring */
	bool irq_bound;     /**< UART input is interrupt driven */
	bool rx_paused;     /**< focused queue full: input left in the UART */
	bool has_self;      /**< CON_SLOT_SELF holds our own client end */
	uint64_t self_badge; /**< its badge: calls with it are kicks */
	uint32_t refused_unknown; /**< refusals of callers with no client */
};

/**
 * Serves requests and kicks on CON_SLOT_EP until the endpoint becomes
 * unusable; returns only then.
 */
void con_serve(struct con_server *cs);

/**
 * Drains the UART's receive FIFO into the focused client's queue and acks
 * the interrupt. If that queue is full it stops and leaves the interrupt
 * masked (rx_paused): input waits in the UART (and, on QEMU, in the host's
 * character device) until the client reads, instead of being dropped.
 */
void con_serve_uart(struct con_server *cs);

/* ----------------------------------------------------------- output seams */

/** Writes "[tag] text" and a line end (con_out.c: to the UART). */
void con_out_line(const char *tag, const char *text, size_t len);

/**
 * Writes a line that carries its own tag (kernel log), adding the line end
 * if @text lacks one.
 */
void con_out_raw(const char *text, size_t len);

/** Rings a client's input doorbell notification. */
void con_out_doorbell(uint64_t slot);

#endif
