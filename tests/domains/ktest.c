/* SPDX-License-Identifier: MIT */
/*
 * Kernel soundness tests run as an ordinary domain (issue 9): deep
 * derivation chains, deep domain nesting, destroying what one runs on, a
 * capability passed back and forth between two domains, and (debug
 * kernels) a kernel stack overflow. argv[1] picks the scenario. Each
 * prints one result line the integration test matches; any failure prints
 * "FAILED: ..." and exits 1.
 */
#define RIFT_DEBUG_CALLS
#include "common.h"

#define SLOT_EP test_cap("pass")   /* ktest_pass.dts */
#define SLOT_ECHO test_cap("echo") /* fairness.dts */

#include <rift/rt.h>
#include <string.h>

/** Pages charged to this domain's pool now. */
static uint64_t pool_used(void)
{
	struct rift_meminfo mi;

	TEST_REQUIRE(rift_meminfo(-1, &mi) == 0, "meminfo");
	return mi.pool_used;
}

static uint64_t pool_free(void)
{
	struct rift_meminfo mi;

	TEST_REQUIRE(rift_meminfo(-1, &mi) == 0, "meminfo");
	return mi.pool_quota - mi.pool_used;
}

static uint64_t slot(void)
{
	uint64_t s = rt_slot_alloc();

	TEST_REQUIRE(s != 0, "out of slots");
	return s;
}

/* ---------------------------------------------------------- deep chain */

#define CHAIN_MAX 16000

static uint64_t chain[CHAIN_MAX + 1];

/**
 * An endpoint copied onto its own copy as often as the cspace allows (at
 * least 10,000 levels), then revoked from the root: every copy is gone,
 * the kernel is up, and the pool is back where it was.
 */
static int deep_chain(void)
{
	uint64_t before = pool_used();
	struct rift_cap_info ci;
	uint32_t n = 0;

	chain[0] = slot();
	TEST_REQUIRE(rift_endpoint_create(chain[0]) == 0, "endpoint");
	while (n < CHAIN_MAX) {
		uint64_t s = rt_slot_alloc();

		if (!s) {
			break;
		}
		TEST_REQUIRE(rift_cap_copy(chain[n], 0, s, RIFT_RIGHTS_ALL, 0) == 0,
			     "copy %u", n + 1);
		chain[++n] = s;
	}
	TEST_REQUIRE(n >= 10000, "only %u levels of derivation", n);
	TEST_REQUIRE(rift_cap_info(chain[n], &ci) == 0 &&
			     ci.type == RIFT_CAP_ENDPOINT_T,
		     "deepest copy unusable");
	TEST_REQUIRE(rift_cap_revoke(chain[0]) == 0, "revoke");
	for (uint32_t i = 1; i <= n; i++) {
		TEST_REQUIRE(rift_cap_info(chain[i], &ci) == RIFT_KECAP,
			     "copy %u survived the revoke", i);
	}
	TEST_REQUIRE(rift_cap_delete(chain[0]) == 0, "delete the original");
	TEST_REQUIRE(pool_used() == before, "pool %lu pages, was %lu",
		     (unsigned long)pool_used(), (unsigned long)before);
	printf("deepchain: %u levels of derivation revoked from the root; "
	       "kernel up, pool back to %lu pages\n",
	       n, (unsigned long)before);
	return 0;
}

/* ---------------------------------------------------------- deep nesting */

/** Pages a parent spends on each child beyond its quota: the domain
 * object, a 64-slot cspace (two pages) and the child's root table. */
#define LEVEL_COST 4

/**
 * Domains nested as deep as the quota allows (at least 10,000 levels),
 * each made inside the last (RIFT_SYS_DOMAIN_CREATE with a parent), then
 * the whole tower destroyed through the original of its first domain.
 */
static int deep_nesting(void)
{
	uint64_t before = pool_used();
	uint64_t top = slot(), cur = top, copy[2] = { slot(), slot() };
	uint64_t quota = pool_free() - 64;
	long stop;
	uint32_t levels = 1;
	long err;

	err = rift_domain_create(top, quota, 64, 100, "tower0");
	TEST_REQUIRE(err >= 0, "first domain: %ld", err);
	for (;;) {
		uint64_t next = copy[levels % 2];

		quota -= LEVEL_COST;
		err = rift_domain_create_in(cur, 8, quota, 64,
					    100, next, "tower");
		if (err < 0) {
			break;
		}
		if (cur != top) {
			TEST_REQUIRE(rift_cap_delete(cur) == 0, "drop copy");
		}
		cur = next;
		levels++;
	}
	TEST_REQUIRE(err == RIFT_KENOMEM || err == RIFT_KELIMIT,
		     "nesting stopped by error %ld", err);
	TEST_REQUIRE(levels >= 10000, "only %u levels of nesting (%ld)",
		     levels, err);
	stop = err;
	if (cur != top) {
		/* A copy does not destroy, even of a leaf. */
		TEST_REQUIRE(rift_domain_destroy(cur) == RIFT_KERIGHTS,
			     "destroy through a copy not refused");
	}
	err = rift_domain_destroy(top);
	TEST_REQUIRE(err == 0, "destroy from the root: %ld", err);
	if (cur != top) {
		struct rift_cap_info ci;

		TEST_REQUIRE(rift_cap_info(cur, &ci) == RIFT_KECAP,
			     "copy of the deepest domain survived");
	}
	TEST_REQUIRE(pool_used() == before, "pool %lu pages, was %lu",
		     (unsigned long)pool_used(), (unsigned long)before);
	printf("nesting: %u levels of domains destroyed from the root (stopped "
	       "by %s, error %ld); kernel up, pool back to %lu pages\n",
	       levels, stop == RIFT_KENOMEM ? "quota" : "a kernel limit", stop,
	       (unsigned long)before);
	return 0;
}

/* ---------------------------------------------------------- ancestor */

/* A4.x encodings of the few instructions the probe thread runs. */
#define MOVZ(rd, imm) (0xd2800000u | ((uint32_t)(imm) << 5) | (rd))
#define SVC(imm) (0xd4000001u | ((uint32_t)(imm) << 5))
#define MOV_X3_X0 0xaa0003e3u
#define BRANCH_SELF 0x14000000u

#define PROBE_VA 0x7000000000ull
#define SCRATCH_VA 0x7100000000ull

/* Slots in the grandchild's cspace. */
enum {
	G_EP = 64,     /* endpoint back to this domain */
	G_ANCESTOR,    /* copy of its parent */
	G_SELF,        /* copy of itself */
	G_CODE,        /* the probe's code frame */
	G_THREAD,      /* the probe thread (original) */
	G_CALLER,      /* a second thread that calls and is destroyed mid-call */
};

/** Emit "send label @label with MR0 = x0 on G_EP". */
static uint32_t *emit_report(uint32_t *p, uint32_t label)
{
	*p++ = MOV_X3_X0;
	*p++ = MOVZ(0, G_EP);
	*p++ = MOVZ(1, label);
	*p++ = MOVZ(2, RIFT_INFO(1, 0));
	*p++ = SVC(RIFT_SYS_SEND);
	return p;
}

/** The probe: tries to destroy its parent and itself through copies,
 * reports both, then deletes its own thread capability. */
static void write_probe(uint32_t *p)
{
	*p++ = MOVZ(0, G_ANCESTOR);
	*p++ = SVC(RIFT_SYS_DOMAIN_DESTROY);
	p = emit_report(p, 1);
	*p++ = MOVZ(0, G_SELF);
	*p++ = SVC(RIFT_SYS_DOMAIN_DESTROY);
	p = emit_report(p, 2);
	*p++ = MOVZ(0, G_THREAD);
	*p++ = SVC(RIFT_SYS_CAP_DELETE);
	p = emit_report(p, 3); /* never: the thread is gone */
	*p++ = BRANCH_SELF;
}

/** The caller thread (64 words in): calls us and waits for the reply. */

static void write_caller(uint32_t *p)
{
	*p++ = MOVZ(0, G_EP);
	*p++ = MOVZ(1, 4);
	*p++ = MOVZ(2, 0);
	*p++ = SVC(RIFT_SYS_CALL);
	p = emit_report(p, 5); /* never: its domain is destroyed mid-call */
	*p++ = BRANCH_SELF;
}

static void expect_report(uint64_t ep, uint64_t label, long want)
{
	struct rift_regs_msg m;

	TEST_REQUIRE(rift_recv(ep, &m) == 0, "recv");
	TEST_REQUIRE(m.label == label, "report %lu, expected %lu",
		     (unsigned long)m.label, (unsigned long)label);
	TEST_REQUIRE((long)m.mr[0] == want, "report %lu: %ld, expected %ld",
		     (unsigned long)label, (long)m.mr[0], want);
}

/**
 * A grandchild G whose thread holds copies of its parent C and of itself:
 * destroying either is refused (only the original destroys, and only the
 * parent holds it); deleting its own running thread's capability is exact
 * (the thread is gone, nothing else); a second thread of G blocked in a
 * call to us is destroyed with G mid-call, and our reply then fails
 * cleanly. Every page comes back.
 */
static int ancestor(void)
{
	uint64_t c = slot(), g = slot(), ep = slot(), code = slot();
	uint64_t probe = slot(), caller = slot();
	struct rift_cap_info ci;
	struct rift_regs_msg m;
	uint32_t *text;
	uint64_t before;
	long err;

	/* The scratch window's tables stay once made: make them first. */
	TEST_REQUIRE(rift_frame_alloc(0, code, 0, -1, 0) == 0, "frame");
	TEST_REQUIRE(rift_map(0, code, SCRATCH_VA, RIFT_MAP_READ) == 0, "map");
	TEST_REQUIRE(rift_unmap(code) == 0 && rift_cap_delete(code) == 0, "unmap");
	before = pool_used();

	TEST_REQUIRE(rift_domain_create(c, 256, 64, 100, "parent") >= 0, "C");
	TEST_REQUIRE(rift_domain_create_in(c, 8, 128, 128, 100, g, "child") >= 0,
		     "G");
	TEST_REQUIRE(rift_endpoint_create(ep) == 0, "endpoint");
	TEST_REQUIRE(rift_cap_copy(ep, g, G_EP, RIFT_RIGHT_WRITE, 0) == 0, "ep");
	TEST_REQUIRE(rift_cap_copy(c, g, G_ANCESTOR, RIFT_RIGHTS_ALL, 0) == 0,
		     "C copy");
	TEST_REQUIRE(rift_cap_copy(g, g, G_SELF, RIFT_RIGHTS_ALL, 0) == 0,
		     "G copy");
	/* The code, written here, then executable there (W^X per frame). */
	TEST_REQUIRE(rift_frame_alloc(0, code, 0, -1, 0) == 0, "code frame");
	TEST_REQUIRE(rift_map(0, code, SCRATCH_VA,
			      RIFT_MAP_READ | RIFT_MAP_WRITE) == 0, "map");
	text = (uint32_t *)SCRATCH_VA;
	write_probe(text);
	write_caller(text + 64);
	TEST_REQUIRE(rift_cap_copy(code, g, G_CODE, RIFT_RIGHTS_ALL, 0) == 0,
		     "code copy");
	TEST_REQUIRE(rift_map_in(g, G_CODE, PROBE_VA,
				 RIFT_MAP_READ | RIFT_MAP_EXEC) == RIFT_KEBUSY,
		     "executable while writable elsewhere");
	TEST_REQUIRE(rift_unmap(code) == 0, "unmap");
	TEST_REQUIRE(rift_map_in(g, G_CODE, PROBE_VA,
				 RIFT_MAP_READ | RIFT_MAP_EXEC) == 0, "map X");
	TEST_REQUIRE(rift_map(0, code, SCRATCH_VA,
			      RIFT_MAP_READ | RIFT_MAP_WRITE) == RIFT_KEBUSY,
		     "writable while executable elsewhere");

	TEST_REQUIRE(rift_thread_create(g, G_THREAD, 100, probe) == 0, "thread");
	TEST_REQUIRE(rift_thread_start(probe, PROBE_VA, 0, 0) == 0, "start");
	expect_report(ep, 1, RIFT_KERIGHTS);
	expect_report(ep, 2, RIFT_KERIGHTS);
	for (int i = 0; i < 1000 && rift_cap_info(probe, &ci) == 0; i++) {
		rift_yield();
	}
	TEST_REQUIRE(rift_cap_info(probe, &ci) == RIFT_KECAP,
		     "thread survived deleting its own capability");

	TEST_REQUIRE(rift_thread_create(g, G_CALLER, 100, caller) == 0, "thr 2");
	TEST_REQUIRE(rift_thread_start(caller, PROBE_VA + 256, 0, 0) == 0,
		     "start 2");
	TEST_REQUIRE(rift_recv(ep, &m) == 0 && m.label == 4, "call");
	err = rift_domain_destroy(c); /* takes G and the caller with it */
	TEST_REQUIRE(err == 0, "destroy C: %ld", err);
	m.info = 0;
	TEST_REQUIRE(rift_reply(&m) == RIFT_KEINVAL,
		     "reply to a destroyed caller not refused");
	TEST_REQUIRE(rift_cap_info(g, &ci) == RIFT_KECAP, "copy of G kept");
	TEST_REQUIRE(rift_cap_delete(ep) == 0 && rift_cap_delete(code) == 0,
		     "cleanup");
	TEST_REQUIRE(pool_used() == before, "pool %lu pages, was %lu",
		     (unsigned long)pool_used(), (unsigned long)before);
	printf("ancestor: destroying a parent or oneself through a copy refused; "
	       "own thread deleted exactly; caller destroyed mid-call; pool back "
	       "to %lu pages\n",
	       (unsigned long)before);
	return 0;
}

/* ---------------------------------------------------------- pass a cap */

#define PASSES 3000

/**
 * Client side: a frame passed to the server and back PASSES times (each
 * hop a copy of the last, in the other domain), then the original deleted:
 * the server must then hold none of its copies.
 */
static int pass_client(void)
{
	uint64_t before = pool_used();
	struct rift_ipcbuf *ib = rift_ipcbuf();
	uint64_t orig = slot(), cur = orig;
	struct rift_regs_msg m;

	TEST_REQUIRE(rift_frame_alloc(0, orig, 0, -1, 0) == 0, "frame");
	for (int i = 0; i < PASSES; i++) {
		uint64_t next = slot();

		ib->send_caps[0] = cur;
		ib->recv_slots[0] = next;
		m = (struct rift_regs_msg){ 1, RIFT_INFO(0, 1), { 0 }, 0 };
		TEST_REQUIRE(rift_call(SLOT_EP, &m) == 0, "pass %d", i);
		TEST_REQUIRE(RIFT_INFO_CAPS(m.info) == 1 &&
				     ib->recv_types[0] == RIFT_CAP_FRAME_T,
			     "pass %d: frame not returned", i);
		cur = next;
	}
	TEST_REQUIRE(rift_cap_delete(orig) == 0, "delete the original");
	m = (struct rift_regs_msg){ 2, 0, { 0 }, 0 };
	TEST_REQUIRE(rift_call(SLOT_EP, &m) == 0, "count");
	TEST_REQUIRE(m.mr[0] == 0, "server still holds %lu copies",
		     (unsigned long)m.mr[0]);
	TEST_REQUIRE(rift_cap_info(cur, &(struct rift_cap_info){ 0 }) ==
			     RIFT_KECAP,
		     "our deepest copy survived");
	TEST_REQUIRE(pool_used() == before, "pool changed");
	printf("pass: a frame passed back and forth %d times (%d levels), "
	       "deleted at the root: no copy left in either domain\n",
	       PASSES, 2 * PASSES);
	return 0;
}

static uint64_t held[PASSES + 1];

static int pass_server(void)
{
	struct rift_ipcbuf *ib = rift_ipcbuf();
	struct rift_regs_msg m;
	uint32_t n = 0;

	ib->recv_slots[0] = held[n] = slot();
	TEST_REQUIRE(rift_recv(SLOT_EP, &m) == 0, "recv");
	for (;;) {
		if (m.label == 1) {
			TEST_REQUIRE(RIFT_INFO_CAPS(m.info) == 1, "no cap");
			ib->send_caps[0] = held[n++];
			m.info = RIFT_INFO(0, 1);
		} else {
			uint64_t live = 0;

			for (uint32_t i = 0; i < n; i++) {
				struct rift_cap_info ci;

				live += rift_cap_info(held[i], &ci) == 0;
			}
			m.info = RIFT_INFO(1, 0);
			m.mr[0] = live;
			rift_reply(&m);
			printf("pass server: %u copies received, %lu left after "
			       "the revoke\n", n, (unsigned long)live);
			return 0;
		}
		TEST_REQUIRE(n <= PASSES, "too many passes");
		ib->recv_slots[0] = held[n] = slot();
		TEST_REQUIRE(rift_reply_recv(SLOT_EP, &m) == 0, "reply_recv");
	}
}

/* ---------------------------------------------------------- latency */

#define SLOT_IRQCTL test_cap("irq-control")

static uint64_t counter(void)
{
	uint64_t v;

	__asm__ volatile("isb\n mrs %0, cntvct_el0" : "=r"(v));
	return v;
}

static uint64_t counter_freq(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(v));
	return v;
}

/**
 * Wait for @rounds kernel ticks (100 Hz) on a tick notification and return
 * the longest gap between two wake-ups, in counter ticks. A wake-up is
 * late by however long the kernel kept interrupts masked when the tick
 * came (or, at equal priority, how long others ran first).
 */
static uint64_t worst_tick_gap(uint32_t rounds)
{
	uint64_t n = slot(), word, prev, worst = 0;

	TEST_REQUIRE(rift_notification_create(n) == 0, "notification");
	TEST_REQUIRE(rift_tick_bind(SLOT_IRQCTL, n) == 0, "tick bind");
	for (int i = 0; i < 3; i++) {
		TEST_REQUIRE(rift_wait(n, &word) == 0, "wait");
	}
	prev = counter();
	for (uint32_t i = 0; i < rounds; i++) {
		uint64_t now;

		TEST_REQUIRE(rift_wait(n, &word) == 0, "wait");
		now = counter();
		if (now - prev > worst) {
			worst = now - prev;
		}
		prev = now;
	}
	return worst;
}

/**
 * The high-priority measuring thread: worst wake-up delay past the 10 ms
 * tick period while a low-priority domain zeroes the largest frame it may
 * and destroys a huge domain, over and over. Under QEMU -icount shift=0
 * one nanosecond of virtual time is one instruction.
 */
static int latency(void)
{
	uint64_t freq = counter_freq(), period = freq / 100;
	uint64_t gap = worst_tick_gap(100);
	uint64_t late = gap > period ? gap - period : 0;

	printf("latency: 100 ticks, worst wake-up delay %lu ns past the tick "
	       "period\n",
	       (unsigned long)(late * 1000000000ull / freq));
	return 0;
}

#define HOG_FRAMES 8000
#define HOG_NEST 2000

/** Fill domain @h (slots from 64 up) with frames, then nest domains. */
static void hog_fill(uint64_t h, uint64_t quota)
{
	uint64_t cur = h, copy[2] = { slot(), slot() };

	for (uint64_t i = 0; i < HOG_FRAMES; i++) {
		TEST_REQUIRE(rift_frame_alloc(h, 64 + i, 0, -1, 0) == 0,
			     "frame %lu in the huge domain", (unsigned long)i);
	}
	quota -= HOG_FRAMES + 64;
	for (uint32_t i = 0; i < HOG_NEST; i++) {
		uint64_t next = copy[i % 2];

		quota -= LEVEL_COST;
		TEST_REQUIRE(rift_domain_create_in(cur, cur == h ? 63 : 8, quota,
						   64, 50, next, "nest") >= 0,
			     "nested domain %u", i);
		if (cur != h) {
			TEST_REQUIRE(rift_cap_delete(cur) == 0, "drop copy");
		}
		cur = next;
	}
	TEST_REQUIRE(rift_cap_delete(cur) == 0, "drop copy");
	rt_slot_free(copy[0]);
	rt_slot_free(copy[1]);
}

/** The low-priority domain: large frames and huge teardowns, forever. */
static int hog(void)
{
	uint64_t big = slot(), h = slot();
	uint64_t hq = 32768; /* 128 MiB for the huge domain */

	for (int round = 1;; round++) {
		uint64_t order = 18;

		if (rift_frame_alloc(0, big, order, -1, 0) != 0) {
			order = 9;
			TEST_REQUIRE(rift_frame_alloc(0, big, order, -1, 0) == 0,
				     "large frame");
		}
		TEST_REQUIRE(rift_cap_delete(big) == 0, "free the frame");
		TEST_REQUIRE(rift_domain_create(h, hq, RIFT_MAX_SLOTS, 50,
						"huge") >= 0,
			     "huge domain");
		hog_fill(h, hq);
		TEST_REQUIRE(rift_domain_destroy(h) == 0, "destroy huge");
		if (round <= 3) {
			printf("hog: round %d: %s frame zeroed and freed; domain "
			       "with %d frames and %d nested domains destroyed\n",
			       round, order == 18 ? "1 GiB" : "2 MiB",
			       HOG_FRAMES, HOG_NEST);
		}
	}
}

/* ---------------------------------------------------------- fairness */

/**
 * The flooded server: like the console writing to its UART, it works a
 * while on each request (~100k instructions), so most ticks land while it
 * runs on a client's behalf.
 */
static int echo(void)
{
	struct rift_regs_msg m;

	TEST_REQUIRE(rift_recv(SLOT_ECHO, &m) == 0, "recv");
	for (;;) {
		for (volatile uint32_t i = 0; i < 25000; i++) {
		}
		m.info = RIFT_INFO(1, 0);
		rift_reply_recv(SLOT_ECHO, &m);
	}
}

/** Calls the echo server as fast as it can, forever. */
static int flood(void)
{
	printf("flood: flooding the echo server\n");
	for (uint64_t i = 0;; i++) {
		struct rift_regs_msg m = { 1, RIFT_INFO(1, 0), { i }, 0 };

		TEST_REQUIRE(rift_call(SLOT_ECHO, &m) == 0, "call");
	}
}

/** A 10 ms ticker at the flooder's priority: its worst gap. */
static int ticker(void)
{
	uint64_t freq = counter_freq();
	uint64_t gap = worst_tick_gap(100);

	printf("ticker: 100 ticks at the flooder's priority, worst gap %lu us\n",
	       (unsigned long)(gap * 1000000ull / freq));
	return 0;
}

/* ---------------------------------------------------------- kernel stack */

static int kstack(void)
{
	long r;

	printf("kstack: recursing 1000 frames deep in the kernel\n");
	r = rift_debug_recurse(1000);
	/* Only a release kernel gets here: the call does not exist. */
	TEST_REQUIRE(r == RIFT_KENOSYS, "debug call returned %ld", r);
	printf("kstack: not a debug kernel: the call is refused (%ld)\n", r);
	return 0;
}

int main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "";

	if (strcmp(what, "deepchain") == 0) {
		return deep_chain();
	}
	if (strcmp(what, "nesting") == 0) {
		return deep_nesting();
	}
	if (strcmp(what, "ancestor") == 0) {
		return ancestor();
	}
	if (strcmp(what, "pass-client") == 0) {
		return pass_client();
	}
	if (strcmp(what, "pass-server") == 0) {
		return pass_server();
	}
	if (strcmp(what, "kstack") == 0) {
		return kstack();
	}
	if (strcmp(what, "latency") == 0) {
		return latency();
	}
	if (strcmp(what, "hog") == 0) {
		return hog();
	}
	if (strcmp(what, "echo") == 0) {
		return echo();
	}
	if (strcmp(what, "flood") == 0) {
		return flood();
	}
	if (strcmp(what, "ticker") == 0) {
		return ticker();
	}
	printf("FAILED: ktest: unknown scenario '%s'\n", what);
	return 1;
}
