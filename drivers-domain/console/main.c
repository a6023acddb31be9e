/* SPDX-License-Identifier: MIT */
/*
 * The console server (docs/console.md). It owns the PL011: every domain's
 * output arrives as console_write() calls and leaves as whole lines tagged
 * with the writer's name; the kernel's own log arrives through the log ring
 * it attaches to; input typed on the UART goes to the focused domain.
 *
 * Start-up, in an order that never loses a kernel line: map the UART, start
 * the wakers, then attach to the kernel log (from then on only this server
 * writes the UART), then enable the UART interrupt and serve. Anything
 * missing from the description is reported and the rest still works: no
 * interrupt means output only, no log frame means the kernel keeps writing
 * the UART itself, no UART means output through the kernel log. The console
 * never stops on a configuration error: clients would wait for it forever.
 */
#include <stdio.h>
#include <string.h>

#include <rift/caps.h>
#include <rift/rt.h>
#include <rift/syscall.h>

#include "con.h"
#include "con_uart.h"
#include "con_waker.h"

static struct con_server con;
struct con_slots con_slots;

/** Is there a capability of @type in @slot? */
static bool main_has_cap(uint64_t slot, uint64_t type, uint64_t *badge)
{
	struct rift_cap_info ci;

	if (rift_cap_info(slot, &ci) != 0 || ci.type != type) {
		return false;
	}
	if (badge != NULL) {
		*badge = ci.badge;
	}
	return true;
}

static int main_setup_uart(void)
{
	long err;

	if (!con_slots.uart) {
		printf("console: no capability named '%s' (the UART's frame)\n",
		       CON_CAP_UART);
		return -1;
	}
	err = rift_map(0, con_slots.uart, CON_UART_VA,
		       RIFT_MAP_READ | RIFT_MAP_WRITE);
	if (err != 0) {
		printf("console: cannot map the UART frame '%s' (error %ld)\n",
		       CON_CAP_UART, err);
		return -1;
	}
	con_uart_init((volatile void *)(uintptr_t)CON_UART_VA);
	return 0;
}

/** Finds the input doorbell of each client: "<client>-input". */
static void main_setup_doorbells(void)
{
	for (uint32_t b = 1; b <= con.state.client_count; b++) {
		char name[CON_NAME_MAX + sizeof(CONSOLE_INPUT_SUFFIX)];
		uint64_t slot;

		snprintf(name, sizeof(name), "%s%s", con.state.clients[b].name,
			 CONSOLE_INPUT_SUFFIX);
		slot = rt_cap(name);
		if (slot && main_has_cap(slot, RIFT_CAP_NOTIFICATION_T, NULL)) {
			con.state.clients[b].doorbell = slot;
		}
	}
}

/** UART input: the interrupt's waker. */
static void main_setup_irq(void)
{
	long err;

	if (!main_has_cap(con_slots.irq, RIFT_CAP_IRQ_HANDLER, NULL) ||
	    !main_has_cap(con_slots.irq_ntfn, RIFT_CAP_NOTIFICATION_T, NULL)) {
		printf("console: no UART interrupt (capabilities '%s' and "
		       "'%s'): output only\n", CON_CAP_IRQ, CON_CAP_IRQ_NTFN);
		return;
	}
	err = con_waker_start(0, con_slots.irq_ntfn, CON_KICK_UART);
	if (err != 0) {
		printf("console: cannot start the input waker (error %ld): "
		       "output only\n", err);
		return;
	}
	con.irq_bound = true;
}

/**
 * The kernel log: map its ring, start its waker, attach. The head is read
 * just before attaching, so a line logged in between is shown twice rather
 * than lost.
 */
static void main_setup_klog(void)
{
	const volatile struct rift_klog *ring =
		(const volatile void *)(uintptr_t)CON_KLOG_VA;
	uint64_t ntfn = rt_slot_alloc();
	long err = con_slots.klog ? rift_map(0, con_slots.klog, CON_KLOG_VA,
					    RIFT_MAP_READ) : RIFT_KECAP;

	if (err == 0 && con_klog_init(&con.klog, ring) != 0) {
		err = RIFT_KERANGE;
	}
	if (err == 0) {
		err = ntfn ? rift_notification_create(ntfn) : RIFT_KENOMEM;
	}
	if (err == 0) {
		err = con_waker_start(1, ntfn, CON_KICK_KLOG);
	}
	if (err == 0) {
		uint64_t head = 0;

		err = rift_klog_attach(con_slots.klog, ntfn, NULL, &head);
		/* Lines before head went to the UART; read from there on. */
		con.klog.tail = head;
	}
	if (err != 0) {
		printf("console: not attached to the kernel log (error %ld): "
		       "the kernel keeps writing the UART\n", err);
		return;
	}
	con.klog_attached = true;
}

/** Says who is connected, as the console's first line. */
static void main_announce(void)
{
	char msg[CON_MAX_CLIENTS * CON_NAME_MAX + 96];
	size_t n = (size_t)snprintf(msg, sizeof(msg), "console: ready; "
				    "clients:");

	for (uint32_t b = 1; b <= con.state.client_count; b++) {
		n += (size_t)snprintf(msg + n, sizeof(msg) - n, " %s",
				      con.state.clients[b].name);
	}
	snprintf(msg + n, sizeof(msg) - n, "; input %s%s",
		 con.irq_bound ? "focus " : "off",
		 !con.irq_bound ? "" :
		 con.state.focus ? con.state.clients[con.state.focus].name :
				   "nobody");
	con_lines_say(msg);
}

/** Looks up the console's own capabilities by name. */
static void main_slots(void)
{
	con_slots.ep = rt_cap(CON_CAP_EP);
	con_slots.self = rt_cap(CON_CAP_SELF);
	con_slots.uart = rt_cap(CON_CAP_UART);
	con_slots.irq = rt_cap(CON_CAP_IRQ);
	con_slots.irq_ntfn = rt_cap(CON_CAP_IRQ_NTFN);
	con_slots.klog = rt_cap(CON_CAP_KLOG);
}

/**
 * The clients' names (from the supervisor's table: the console channel's
 * clients, by badge), then the arguments. Bad arguments cost the names, not
 * the console: a console that exits leaves its clients waiting on an
 * endpoint nobody serves.
 */
static void main_args(int argc, char **argv)
{
	const char *names[CON_MAX_CLIENTS + 1];
	uint64_t badges[CON_MAX_CLIENTS + 1];
	uint32_t n = rt_cap_clients(CON_CAP_EP, names, badges,
				    CON_MAX_CLIENTS + 1);
	char err[200];

	if (n > CON_MAX_CLIENTS) {
		printf("console: %u clients, only the first %d are named\n", n,
		       CON_MAX_CLIENTS);
		n = CON_MAX_CLIENTS;
	}
	for (uint32_t i = 0; i < n; i++) {
		if (con_args_client(&con.state, (uint32_t)badges[i], names[i],
				    err, sizeof(err)) != 0) {
			printf("console: %s\n", err);
		}
	}
	if (con_args_parse(&con.state, argc, argv, err, sizeof(err)) != 0) {
		printf("console: %s; serving with no focus\n", err);
		con.state.focus = 0;
		for (uint32_t b = 0; b <= CON_MAX_CLIENTS; b++) {
			con.state.clients[b].focus_admin = false;
		}
	}
}

int main(int argc, char **argv)
{
	main_slots();
	main_args(argc, argv);
	main_setup_doorbells();
	if (main_setup_uart() != 0) {
		/* Still serve, so writers never hang: lines go to the kernel
		 * log (con_out.c), which writes the UART itself. */
		printf("console: serving without the UART\n");
	}
	con.has_self = main_has_cap(con_slots.self, RIFT_CAP_ENDPOINT_T,
				    &con.self_badge);
	if (!con_uart_ready()) {
		con.has_self = false;
	} else if (con.has_self) {
		main_setup_irq();
		main_setup_klog();
	} else {
		printf("console: no client end of its own endpoint (a client "
		       "\"console:%s\" of the console channel): no input, the "
		       "kernel log stays on the UART\n", CON_CAP_SELF);
	}
	main_announce();
	con_serve_uart(&con);
	con_serve(&con);
	printf("console: the console endpoint ('%s') is gone; stopping\n",
	       CON_CAP_EP);
	return 1;
}
