/* SPDX-License-Identifier: MIT */
/*
 * Benchmarks, measured in instructions: under QEMU -icount shift=0 the PMU
 * cycle counter (enabled for EL0 by rift.pmu=user, counting EL2 too)
 * advances exactly once per executed instruction. Each row is the minimum
 * and median over many iterations of (end - start - overhead), where the
 * overhead of reading the counter twice is measured the same way.
 *
 * Roles (argv[1]): "client" measures and prints `BENCH ...` lines;
 * "server" answers calls; "waiter" wakes on the notification and stamps
 * the shared page. Slots and addresses: tests/system/bench.dts.
 */
#include <rift/abi.h>
#include <rift/rt.h>
#include <rift/syscall.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Capabilities by their names in tests/system/bench.dts, looked up once
 * (bench_caps()) so lookups stay out of the measured loops. */
static uint64_t SLOT_EP, SLOT_NTFN, SLOT_FLAKY;

static void bench_caps(void)
{
	SLOT_EP = rt_cap("calls");
	SLOT_NTFN = rt_cap("doorbell");
	SLOT_FLAKY = rt_cap("restartable");
}
#define LABEL_CRASH 3
#define RESTARTS ITERS
#define SHM_VA 0x0000006000000000ull
#define ITERS 1000
#define LABEL_PLAIN 1
#define LABEL_CAP 2

static uint64_t samples[ITERS];

static inline uint64_t cycles(void)
{
	uint64_t v;

	__asm__ volatile("isb\n mrs %0, pmccntr_el0" : "=r"(v) : : "memory");
	return v;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static uint64_t overhead;

static void report(const char *key, size_t n)
{
	qsort(samples, n, sizeof(samples[0]), cmp_u64);
	printf("BENCH %s min=%llu median=%llu n=%zu\n", key,
	       (unsigned long long)(samples[0] - overhead),
	       (unsigned long long)(samples[n / 2] - overhead), n);
}

static void measure_overhead(void)
{
	for (int i = 0; i < ITERS; i++) {
		uint64_t t0 = cycles();

		samples[i] = cycles() - t0;
	}
	qsort(samples, ITERS, sizeof(samples[0]), cmp_u64);
	overhead = samples[0];
	printf("BENCH overhead min=%llu median=%llu n=%d\n",
	       (unsigned long long)samples[0],
	       (unsigned long long)samples[ITERS / 2], ITERS);
}

/** A loop of exactly 1 + 2 * 1000 instructions. */
static void calibrate(void)
{
	for (int i = 0; i < ITERS; i++) {
		uint64_t t0 = cycles();

		__asm__ volatile("mov x9, #1000\n"
				 "1: subs x9, x9, #1\n"
				 "b.ne 1b\n"
				 :
				 :
				 : "x9", "cc");
		samples[i] = cycles() - t0;
	}
	qsort(samples, ITERS, sizeof(samples[0]), cmp_u64);
	printf("BENCH calibration expected=2001 measured=%llu median=%llu\n",
	       (unsigned long long)(samples[0] - overhead),
	       (unsigned long long)(samples[ITERS / 2] - overhead));
}

static void bench_null(void)
{
	for (int i = 0; i < ITERS; i++) {
		uint64_t t0 = cycles();

		rift_null();
		samples[i] = cycles() - t0;
	}
	report("null_syscall", ITERS);
}

static void bench_call(const char *key, uint32_t words, bool with_cap)
{
	struct rift_ipcbuf *b = rift_ipcbuf();
	uint64_t frame = rt_slot_alloc();

	if (with_cap && rift_frame_alloc(0, frame, 0, -1, 0) != 0) {
		printf("BENCH %s unavailable: no frame\n", key);
		return;
	}
	for (int i = 0; i < ITERS; i++) {
		struct rift_regs_msg m = {
			with_cap ? LABEL_CAP : LABEL_PLAIN,
			RIFT_INFO(words, with_cap ? 1 : 0), { 1, 2, 3, 4, 5 }, 0
		};
		uint64_t t0;

		b->send_caps[0] = frame;
		t0 = cycles();
		rift_call(SLOT_EP, &m);
		samples[i] = cycles() - t0;
	}
	report(key, ITERS);
}

static void bench_notify(void)
{
	volatile uint64_t *shm = (volatile uint64_t *)SHM_VA;

	for (int i = 0; i < ITERS; i++) {
		uint64_t t0 = cycles();

		rift_signal(SLOT_NTFN);
		samples[i] = shm[0] - t0; /* stamped by the waiter */
	}
	report("notify_to_waiter", ITERS);
}

static void bench_domain(void)
{
	const int n = ITERS;

	for (int i = 0; i < n; i++) {
		uint64_t d = rt_slot_alloc(), th = rt_slot_alloc();
		uint64_t t0 = cycles();
		long err = rift_domain_create(d, 64, 128, 100, "bench-child");

		if (err >= 0) {
			err = rift_thread_create(d, RIFT_SLOT_THREAD, 100, th);
		}
		if (err >= 0) {
			err = rift_frame_alloc(d, 100, 0, -1, 0);
		}
		if (err >= 0) {
			err = rift_map_in(d, 100, 0x400000, RIFT_MAP_READ);
		}
		rift_domain_destroy(d);
		samples[i] = cycles() - t0;
		if (err < 0) {
			printf("BENCH domain_create_destroy failed: %ld\n", err);
			return;
		}
		rt_slot_free(d);
		rt_slot_free(th);
	}
	report("domain_create_destroy", (size_t)n);
}

/**
 * Server restart: ask the flaky server to crash, then call again until a
 * request is served. The endpoint belongs to the supervisor, so the new
 * instance serves the same endpoint and the client only calls again.
 */
static void bench_restart(void)
{
	for (int i = 0; i < RESTARTS; i++) {
		struct rift_regs_msg m = { LABEL_CRASH, 0, { 0 }, 0 };
		uint64_t t0 = cycles();
		long err = rift_call(SLOT_FLAKY, &m);

		if (err != RIFT_KEGONE) {
			printf("BENCH server_restart failed: crash call gave %ld\n",
			       err);
			return;
		}
		do {
			m.label = LABEL_PLAIN;
			m.info = 0;
			err = rift_call(SLOT_FLAKY, &m);
		} while (err != 0);
		samples[i] = cycles() - t0;
	}
	report("server_restart", RESTARTS);
}

static int client(void)
{
	measure_overhead();
	calibrate();
	bench_null();
	bench_call("ipc_call_reply_0", 0, false);
	bench_call("ipc_call_reply_8", 8, false);
	bench_call("ipc_call_reply_cap", 0, true);
	bench_notify();
	bench_domain();
	bench_restart();
	printf("BENCH done\n");
	return 0;
}

static __attribute__((noreturn)) int server(void)
{
	struct rift_ipcbuf *b = rift_ipcbuf();
	uint64_t slot = rt_slot_alloc();
	struct rift_regs_msg m;

	b->recv_slots[0] = slot;
	rift_recv(SLOT_EP, &m);
	for (;;) {
		if (m.label == LABEL_CAP) {
			rift_cap_delete(slot);
		}
		m.info = RIFT_INFO(RIFT_INFO_WORDS(m.info), 0);
		rift_reply_recv(SLOT_EP, &m);
	}
}

static __attribute__((noreturn)) int flaky(void)
{
	struct rift_regs_msg m;

	rift_recv(SLOT_FLAKY, &m);
	for (;;) {
		if (m.label == LABEL_CRASH) {
			*(volatile int *)0 = 1; /* the supervisor restarts us */
		}
		m.info = 0;
		rift_reply_recv(SLOT_FLAKY, &m);
	}
}

static __attribute__((noreturn)) int waiter(void)
{
	volatile uint64_t *shm = (volatile uint64_t *)SHM_VA;

	for (;;) {
		uint64_t word;

		rift_wait(SLOT_NTFN, &word);
		shm[0] = cycles();
	}
}

int main(int argc, char **argv)
{
	bench_caps();
	if (argc >= 2 && strcmp(argv[1], "server") == 0) {
		return server();
	}
	if (argc >= 2 && strcmp(argv[1], "flaky") == 0) {
		return flaky();
	}
	if (argc >= 2 && strcmp(argv[1], "waiter") == 0) {
		return waiter();
	}
	return client();
}
