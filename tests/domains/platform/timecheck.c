/* SPDX-License-Identifier: MIT */
/*
 * timecheck: a client of the platform server (tests/integration/
 * test_55_platform.py).
 *
 *   timecheck rtc        print time(), CLOCK_REALTIME and the server's
 *                        wall_clock, identify and the topology; exit 0
 *   timecheck loop N     N rounds of time() and wall_clock, retrying a
 *                        call that fails (the server restarting); exit 0
 *   timecheck wait       block forever (a stand-in for a guest's VMM)
 *   timecheck request    call request_shutdown, then block
 */
#include <rift/chan.h>
#include <rift/msg.h>
#include <rift/rt.h>
#include <rift/syscall.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "platform.h"

static struct rift_chan plat;

static int server_clock(uint64_t *sec, uint32_t *nsec, bool *precise)
{
	uint64_t counter;

	return platform_wall_clock(&plat, sec, nsec, &counter, precise);
}

/* Power events go to the supervisor, never to this client. */
int platform_on_power(struct platform_client *cli, uint64_t badge,
		      enum platform_power_kind kind)
{
	(void)cli;
	(void)badge;
	(void)kind;
	return RIFT_ENOSYS;
}

static int do_rtc(void)
{
	struct timespec ts;
	uint8_t backend[33] = { 0 }, board[65] = { 0 };
	uint16_t blen = 0, bdlen = 0;
	uint32_t features = 0, nodes = 0, cpus = 0, maxid = 0;
	uint64_t sec = 0;
	uint32_t nsec = 0;
	bool precise = false;
	int e;

	clock_gettime(CLOCK_REALTIME, &ts);
	printf("timecheck: time() = %lld\n", (long long)time(NULL));
	printf("timecheck: CLOCK_REALTIME = %lld.%09ld\n",
	       (long long)ts.tv_sec, ts.tv_nsec);
	e = platform_identify(&plat, backend, &blen, board, &bdlen, &features);
	if (e) {
		printf("timecheck: identify failed: %s\n", rift_strerror(e));
		return 1;
	}
	printf("timecheck: backend %s, board %s, features 0x%x\n",
	       (char *)backend, (char *)board, features);
	e = server_clock(&sec, &nsec, &precise);
	if (e) {
		printf("timecheck: wall_clock failed: %s\n", rift_strerror(e));
		return 1;
	}
	printf("timecheck: wall_clock = %llu.%09u\n", (unsigned long long)sec,
	       nsec);
	e = platform_topology(&plat, &nodes, &cpus, &maxid);
	if (e) {
		printf("timecheck: topology failed: %s\n", rift_strerror(e));
		return 1;
	}
	printf("timecheck: topology: %u nodes, %u CPUs\n", nodes, cpus);
	for (uint32_t i = 0; i < nodes; i++) {
		struct platform_mem_range r[16];
		uint32_t id = 0, n = 0;
		uint64_t bytes = 0;
		uint16_t ranges = 0;

		uint8_t dist[64];
		uint64_t mpidr[32];
		uint32_t total = 0;
		uint16_t count = 0, ncpu = 0;
		char line[256];
		int len = 0;

		if (platform_node(&plat, i, &id, &n, &bytes, &ranges, r) != 0 ||
		    platform_distances(&plat, id, 0, &count, dist) != 0 ||
		    platform_node_cpus(&plat, id, 0, &total, &ncpu, mpidr) != 0) {
			printf("timecheck: node %u: query failed\n", i);
			return 1;
		}
		for (uint16_t k = 0; k < count && len < 200; k++) {
			len += snprintf(line + len, sizeof(line) - (size_t)len,
					" %u", dist[k]);
		}
		len += snprintf(line + len, sizeof(line) - (size_t)len,
				"; cpus");
		for (uint16_t k = 0; k < ncpu && len < 240; k++) {
			len += snprintf(line + len, sizeof(line) - (size_t)len,
					" %#llx", (unsigned long long)mpidr[k]);
		}
		printf("timecheck: node %u: %u CPUs, %llu MiB in %u ranges "
		       "at %#llx; distances%s\n", id, n,
		       (unsigned long long)(bytes >> 20), ranges,
		       (unsigned long long)r[0].base, line);
	}
	e = platform_ipi(&plat, 0, 0, 1, PLATFORM_IPI_MODE_INT);
	printf("timecheck: ipi: %s\n", rift_strerror(e));
	e = platform_request_shutdown(&plat);
	printf("timecheck: request_shutdown: %s\n", rift_strerror(e));
	return 0;
}

static int do_loop(int rounds)
{
	for (int i = 0; i < rounds; i++) {
		uint64_t sec = 0;
		uint32_t nsec = 0;
		bool precise = false;
		int e, tries = 0;

		while ((e = server_clock(&sec, &nsec, &precise)) != 0) {
			printf("timecheck: round %d: wall_clock failed (%s); "
			       "retrying\n", i, rift_strerror(e));
			if (++tries == 5) {
				return 1;
			}
			rift_yield();
		}
		printf("timecheck: round %d: time() = %lld, wall_clock = "
		       "%llu\n", i, (long long)time(NULL),
		       (unsigned long long)sec);
	}
	printf("timecheck: %d rounds done\n", rounds);
	return 0;
}

/** Blocks for good: on a notification nobody can signal. */
static int do_wait_forever(void)
{
	uint64_t ntfn = rt_slot_alloc(), word = 0;

	if (!ntfn || rift_notification_create(ntfn) != 0) {
		return 1;
	}
	rift_wait(ntfn, &word);
	return 0;
}

/** Asks for an orderly shutdown, then waits to be stopped. */
static int do_request(void)
{
	int e = platform_request_shutdown(&plat);

	printf("timecheck: request_shutdown: %s\n", rift_strerror(e));
	return e ? 1 : do_wait_forever();
}

static int do_wait(void)
{
	printf("timecheck: waiting until the machine stops\n");
	return do_wait_forever();
}

int main(int argc, char **argv)
{
	plat = rift_chan_open("platform");
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 1 && strcmp(argv[1], "rtc") == 0) {
		return do_rtc();
	}
	if (argc > 2 && strcmp(argv[1], "loop") == 0) {
		return do_loop(atoi(argv[2]));
	}
	if (argc > 1 && strcmp(argv[1], "wait") == 0) {
		return do_wait();
	}
	if (argc > 1 && strcmp(argv[1], "request") == 0) {
		return do_request();
	}
	printf("timecheck: usage: timecheck rtc | loop N | wait | request\n");
	return 2;
}
