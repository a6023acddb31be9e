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

#include <rift/rt.h>
#include <rift/syscall.h>

#include "con.h"
#include "con_uart.h"
#include "con_waker.h"

static struct con_server con;

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
	long err = rift_map(0, CON_SLOT_UART, CON_UART_VA,
			    RIFT_MAP_READ | RIFT_MAP_WRITE);

	if (err != 0) {
		printf("console: cannot map the UART frame in slot %d (error "
		       "%ld)\n", CON_SLOT_UART, err);
		return -1;
	}
	con_uart_init((volatile void *)(uintptr_t)CON_UART_VA);
	return 0;
}

/** Finds the input doorbell of each named client (slot 16 + position). */
static void main_setup_doorbells(void)
{
	for (uint32_t b = 1; b <= con.state.client_count; b++) {
		uint64_t slot = CON_SLOT_DOORBELL + b - 1;

		if (main_has_cap(slot, RIFT_CAP_NOTIFICATION_T, NULL)) {
			con.state.clients[b].doorbell = slot;
		}
	}
}

/** UART input: the interrupt's waker. */
static void main_setup_irq(void)
{
	long err;

	if (!main_has_cap(CON_SLOT_IRQ, RIFT_CAP_IRQ_HANDLER, NULL) ||
	    !main_has_cap(CON_SLOT_IRQ_NTFN, RIFT_CAP_NOTIFICATION_T, NULL)) {
		printf("console: no UART interrupt in slots %d/%d: output "
		       "only\n", CON_SLOT_IRQ, CON_SLOT_IRQ_NTFN);
		return;
	}
	err = con_waker_start(0, CON_SLOT_IRQ_NTFN, CON_KICK_UART);
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
	long err = rift_map(0, CON_SLOT_KLOG, CON_KLOG_VA, RIFT_MAP_READ);

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

		err = rift_klog_attach(CON_SLOT_KLOG, ntfn, NULL, &head);
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

/**
 * Bad arguments cost the names, not the console: a console that exits
 * leaves its clients waiting on an endpoint nobody serves.
 */
static void main_args(int argc, char **argv)
{
	char err[160];

	if (con_args_parse(&con.state, argc, argv, err, sizeof(err)) != 0) {
		printf("console: %s; serving with no names and no focus\n",
		       err);
		memset(&con.state, 0, sizeof(con.state));
	}
}

int main(int argc, char **argv)
{
	main_args(argc, argv);
	main_setup_doorbells();
	if (main_setup_uart() != 0) {
		/* Still serve, so writers never hang: lines go to the kernel
		 * log (con_out.c), which writes the UART itself. */
		printf("console: serving without the UART\n");
	}
	con.has_self = main_has_cap(CON_SLOT_SELF, RIFT_CAP_ENDPOINT_T,
				    &con.self_badge);
	if (!con_uart_ready()) {
		con.has_self = false;
	} else if (con.has_self) {
		main_setup_irq();
		main_setup_klog();
	} else {
		printf("console: no client end of its own endpoint in slot %d: "
		       "no input, the kernel log stays on the UART\n",
		       CON_SLOT_SELF);
	}
	main_announce();
	con_serve_uart(&con);
	con_serve(&con);
	printf("console: the console endpoint in slot %d is gone; stopping\n",
	       CON_SLOT_EP);
	return 1;
}
