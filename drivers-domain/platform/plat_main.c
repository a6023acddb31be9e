/* SPDX-License-Identifier: MIT */
/*
 * The platform register server (docs/platforms.md): picks its backend from
 * the hardware device tree, publishes the wall-clock page, and serves
 * platform.idl. A waker thread waits for the power button's interrupt and
 * calls the server's own endpoint, so all work stays on one thread (the
 * console's pattern, drivers-domain/console/con_waker.h). A refiner
 * thread at the lowest priority finds the edge of the RTC's second for an
 * RTC that counts whole seconds, and republishes the wall clock then.
 *
 * Arguments (`args` in the description, after argv[0]):
 *   shutdown-clients=a,b   clients that may call request_shutdown
 *   register-clients=a,b   clients that may call ipi and tlb_purge
 *   test-crash-after=N     (tests) fault on the N-th wall_clock call of
 *                          the first instance, to exercise the restart
 */
#include <rift/abi.h>
#include <rift/caps.h>
#include <rift/chan.h>
#include <rift/rt.h>
#include <rift/syscall.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plat_srv.h"
#include "platform.h"

#define NSEC 1000000000ull
#define WAKER_STACK 8192

struct plat_srv plat_srv;

static uint8_t waker_stack[WAKER_STACK] __attribute__((aligned(16)));
static uint8_t refiner_stack[WAKER_STACK] __attribute__((aligned(16)));
static uint64_t waker_ntfn, waker_self, waker_thread;

uint64_t plat_counter(void)
{
	uint64_t v;

	__asm__ volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(v) : : "memory");
	return v;
}

static uint64_t ticks_to_ns(uint64_t ticks, uint64_t freq)
{
	return ticks / freq * NSEC + ticks % freq * NSEC / freq;
}

static void plat_write_page(struct plat_srv *s, const struct plat_time *t,
			    uint64_t counter, bool precise)
{
	volatile struct rift_wallclock *wc = s->wc;
	int64_t now = (int64_t)(t->sec * NSEC + t->nsec);

	if (!wc) {
		return;
	}
	rift_wallclock_begin(wc);
	wc->boot_ns = now - (int64_t)ticks_to_ns(counter, s->freq);
	wc->freq = s->freq;
	wc->rtc_sec = t->sec;
	wc->flags = RIFT_WALLCLOCK_VALID |
		    (precise ? RIFT_WALLCLOCK_PRECISE : 0);
	wc->magic = RIFT_WALLCLOCK_MAGIC;
	rift_wallclock_end(wc);
}

int plat_srv_publish(struct plat_srv *s)
{
	const struct plat_backend *b = s->ctx.backend;
	struct plat_time t;
	uint64_t c;
	int e;

	if (!b->rtc_read) {
		return RIFT_ENOSYS;
	}
	e = b->rtc_read(&s->ctx, &t);
	c = plat_counter();
	if (e != 0) {
		return e;
	}
	if (!t.precise) {
		/* Whole seconds: the middle of this one is at most 0.5 s
		 * off; the refiner finds the next edge. */
		t.nsec = (uint32_t)(NSEC / 2);
	}
	plat_write_page(s, &t, c, t.precise);
	s->precise = t.precise;
	return 0;
}

/**
 * The refiner thread, for RTCs that count whole seconds: at the lowest
 * priority (it runs only when nothing else wants the CPU), it reads the
 * RTC until the second changes between two reads less than 2 ms apart,
 * publishes that edge, and tells the server (which prints it). Like the
 * waker it makes no Linux call and touches no IPC buffer: RTC reads,
 * the page, and register-only system calls.
 */
static __attribute__((noreturn)) void plat_refiner(uint64_t arg)
{
	struct plat_srv *s = &plat_srv;
	const struct plat_backend *b = s->ctx.backend;
	uint64_t window = s->freq / 500, limit = plat_counter() + 10 * s->freq;
	struct plat_time t0, t;
	uint64_t prev = plat_counter(), c;

	(void)arg;
	if (b->rtc_read(&s->ctx, &t0) != 0) {
		limit = 0;
	}
	for (c = prev; c < limit; prev = c) {
		rift_yield();
		if (b->rtc_read(&s->ctx, &t) != 0) {
			break;
		}
		c = plat_counter();
		if (t.sec == t0.sec) {
			continue;
		}
		if (c - prev <= window) {
			struct rift_regs_msg m = { 0 };

			plat_write_page(s, &t, prev + (c - prev) / 2, true);
			s->precise = true;
			m.label = PLAT_KICK_CLOCK;
			if (s->self_slot) {
				rift_call(s->self_slot, &m);
			}
			break;
		}
		t0 = t; /* we were away at the edge: wait for the next */
	}
	rift_cap_delete(s->refiner_thread); /* ends this thread */
	for (;;) {
		rift_yield();
	}
}

static long plat_thread(uint64_t *slot, void (*fn)(uint64_t), uint8_t *stack,
			uint64_t prio)
{
	long err;

	*slot = rt_slot_alloc();
	if (!*slot) {
		return RIFT_KENOMEM;
	}
	err = rift_thread_create(0, *slot, prio, 0);
	if (!err) {
		err = rift_thread_start(*slot, (uint64_t)(uintptr_t)fn,
					(uintptr_t)stack + WAKER_STACK, 0);
	}
	return err;
}

/** Splits "name=a,b,c" values into @out (pointers into the argument). */
static uint32_t plat_split(char *v, const char **out)
{
	uint32_t n = 0;

	for (char *tok = strtok(v, ","); tok && n < PLAT_MAX_NAMED;
	     tok = strtok(NULL, ",")) {
		out[n++] = tok;
	}
	return n;
}

static void plat_args(struct plat_srv *s, int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		char *a = argv[i];

		if (strncmp(a, "shutdown-clients=", 17) == 0) {
			s->shutdown_count = plat_split(a + 17,
						       s->shutdown_clients);
		} else if (strncmp(a, "register-clients=", 17) == 0) {
			s->register_count = plat_split(a + 17,
						       s->register_clients);
		} else if (strncmp(a, "test-crash-after=", 17) == 0) {
			s->crash_after = (uint32_t)strtoul(a + 17, NULL, 0);
		} else {
			printf("platform: ignoring argument '%s'\n", a);
		}
	}
}

bool plat_srv_named(const char *const *names, uint32_t count, uint64_t badge)
{
	const char *who = rt_cap_client_name(PLAT_SRV_EP, badge);

	for (uint32_t i = 0; who && i < count; i++) {
		if (strcmp(names[i], who) == 0) {
			return true;
		}
	}
	return false;
}

/** The waker: wait for the power interrupt, kick the server, repeat. */
static __attribute__((noreturn)) void plat_waker(uint64_t arg)
{
	(void)arg;
	for (;;) {
		struct rift_regs_msg m = { 0 };
		uint64_t word = 0;

		if (rift_wait(waker_ntfn, &word) != 0) {
			break;
		}
		m.label = PLAT_KICK_POWER;
		if (rift_call(waker_self, &m) != 0) {
			break;
		}
	}
	rift_cap_delete(waker_thread); /* ends this thread */
	for (;;) {
		rift_yield();
	}
}

static void plat_start_waker(struct plat_srv *s)
{
	struct rift_domain_info di;
	long err;

	waker_ntfn = rt_cap("irq-notification");
	if (!waker_ntfn || !s->self_slot || !rt_cap("irq")) {
		printf("platform: no power button interrupt (the description "
		       "gives no 'interrupt' or no 'self' end)\n");
		return;
	}
	waker_self = s->self_slot;
	err = rift_domain_info(&di);
	if (!err) {
		err = plat_thread(&waker_thread, plat_waker, waker_stack,
				  di.max_prio);
	}
	if (err) {
		printf("platform: cannot start the waker (error %ld)\n", err);
		return;
	}
	/* The kernel masks the interrupt from its first firing until we
	 * acknowledge; start from a clean state. */
	rift_irq_ack(rt_cap("irq"), NULL);
	printf("platform: power button armed\n");
}

/** The power button's interrupt fired: tell the supervisor if pressed. */
static void plat_power_kick(struct plat_srv *s)
{
	const struct plat_backend *b = s->ctx.backend;
	bool pressed = b->power_irq && b->power_irq(&s->ctx);

	rift_irq_ack(rt_cap("irq"), NULL);
	if (!pressed) {
		return;
	}
	printf("platform: power button pressed\n");
	if (!s->power.ep) {
		printf("platform: no 'power' capability: cannot ask the "
		       "supervisor for a shutdown\n");
		return;
	}
	if (platform_event_power(&s->power, PLATFORM_POWER_KIND_BUTTON) != 0) {
		printf("platform: the supervisor did not take the power "
		       "event\n");
	}
}

static void plat_features_text(uint32_t f, char *out, size_t size)
{
	snprintf(out, size, "%s%s%s%s%s", f & PLAT_F_RTC ? " rtc" : "",
		 f & PLAT_F_POWER_BUTTON ? " power-button" : "",
		 f & PLAT_F_IPI ? " ipi" : "",
		 f & PLAT_F_TLB_PURGE ? " tlb-purge" : "",
		 f ? "" : " none");
}

static int plat_serve(struct plat_srv *s)
{
	static struct rift_msg req, reply;
	struct platform_server srv = { .ctx = s, .shm_size = 0 };
	uint64_t ep = rt_cap(PLAT_SRV_EP), badge = 0;
	int err = rift_chan_recv(ep, &req, &badge, NULL);

	for (;;) {
		if (err == RIFT_EIO) {
			printf("platform: endpoint gone, stopping\n");
			return 1;
		}
		if (err != RIFT_OK) {
			err = rift_chan_recv(ep, &req, &badge, NULL);
			continue;
		}
		if (s->self_badge && badge == s->self_badge &&
		    (req.label == PLAT_KICK_POWER ||
		     req.label == PLAT_KICK_CLOCK)) {
			if (req.label == PLAT_KICK_POWER) {
				plat_power_kick(s);
			} else {
				printf("platform: wall clock set at a second's "
				       "edge (instance %llu)\n",
				       (unsigned long long)s->wc->generation);
			}
			reply.label = 0;
			reply.len = 0;
			reply.cap_count = 0;
			err = rift_chan_reply_recv(ep, &reply, &req, &badge,
						   NULL);
		} else if (platform_dispatch(&srv, badge, &req, &reply) ==
			   RIFT_IDL_REPLY) {
			err = rift_chan_reply_recv(ep, &reply, &req, &badge,
						   NULL);
		} else {
			err = rift_chan_recv(ep, &req, &badge, NULL);
		}
	}
}

static int plat_setup(struct plat_srv *s, int argc, char **argv)
{
	const struct rift_cap_entry *wc = rt_cap_find("wall-clock");
	char err[160], feat[64];

	plat_args(s, argc, argv);
	s->ctx.fdt = (const void *)(uintptr_t)rt_auxv(RIFT_AT_FDT);
	if (!s->ctx.fdt) {
		printf("platform: no hardware device tree (add hardware-dtb; "
		       "to the description)\n");
		return -1;
	}
	if (plat_topo_parse(s->ctx.fdt, &s->ctx.topo, err, sizeof(err))) {
		printf("platform: topology: %s\n", err);
		return -1;
	}
	plat_board_name(s->ctx.fdt, s->ctx.board, sizeof(s->ctx.board));
	s->ctx.backend = plat_select(s->ctx.fdt);
	if (s->ctx.backend->probe(&s->ctx, err, sizeof(err)) != 0) {
		printf("platform: backend %s: %s\n", s->ctx.backend->name, err);
		return -1;
	}
	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(s->freq));
	if (s->freq == 0) {
		s->freq = NSEC;
	}
	if (wc && wc->kind == RIFT_CAPK_SHM) {
		s->wc = (volatile struct rift_wallclock *)(uintptr_t)wc->badge;
		rift_wallclock_begin(s->wc);
		s->wc->generation++;
		snprintf((char *)s->wc->source, sizeof(s->wc->source), "%s",
			 s->ctx.backend->name);
		rift_wallclock_end(s->wc);
	}
	s->power = rift_chan_open("power");
	if (rt_cap_find("self")) {
		s->self_slot = rt_cap_find("self")->slot;
		s->self_badge = rt_cap_find("self")->badge;
	}
	plat_features_text(s->ctx.backend->features(&s->ctx), feat,
			   sizeof(feat));
	printf("platform: backend %s for board %s: %u nodes, %u CPUs; "
	       "features:%s\n", s->ctx.backend->name, s->ctx.board,
	       s->ctx.topo.node_count, s->ctx.topo.cpu_count, feat);
	return 0;
}

int main(int argc, char **argv)
{
	struct plat_srv *s = &plat_srv;
	struct plat_time t;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!rt_cap(PLAT_SRV_EP)) {
		printf("platform: the description must give it the server end "
		       "of a channel named '%s'\n", PLAT_SRV_EP);
		return 1;
	}
	if (plat_setup(s, argc, argv) != 0) {
		return 1;
	}
	if (s->wc && plat_srv_publish(s) == 0 &&
	    s->ctx.backend->rtc_read(&s->ctx, &t) == 0) {
		printf("platform: wall clock %llu (%s, instance %llu)\n",
		       (unsigned long long)t.sec,
		       s->precise ? "precise" : "to the second",
		       (unsigned long long)s->wc->generation);
		if (!s->precise &&
		    plat_thread(&s->refiner_thread, plat_refiner,
				refiner_stack, 1) != 0) {
			printf("platform: cannot start the refiner: the wall "
			       "clock stays to the second\n");
		}
	}
	if (s->ctx.backend->power_irq) {
		plat_start_waker(s);
	}
	return plat_serve(s);
}
