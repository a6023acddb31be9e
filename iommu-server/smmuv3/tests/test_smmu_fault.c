/* SPDX-License-Identifier: MIT */
/*
 * Host tests of the SMMU server's fault bursts (smmu_fault.c): events of
 * one drain with the same stream, type and direction make one burst,
 * logged once and forwarded once to the device's owner; the log is
 * limited to 10 lines a second and says how many bursts it left out; an
 * owner's queue keeps the newest 16 and counts the dropped. Built with
 * -Dprintf=test_printf so the server's lines are captured here.
 */
#include <stdarg.h>
#include <stdint.h>

#include "../smmu_srv.h"
#include "test.h"

static char lines[64][256];
static int line_count;
static uint64_t now_ns = 5000000000ull;
static int notified[SMMU_MAX_CLIENTS];
static struct smmu_dev dev8 = { .used = true, .bdf = 8, .sid = 8,
				.owner = 2 };

/** The server's lines are kept; the harness's go to stdout. */
int test_printf(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (strncmp(buf, "smmuv3:", 7) == 0) {
		if (line_count < 64) {
			snprintf(lines[line_count++], sizeof(lines[0]), "%s",
				 buf);
		}
		return n;
	}
	return fputs(buf, stdout) < 0 ? -1 : n;
}

struct smmu_dev *smmu_dma_dev_by_sid(struct smmu_srv *s, uint32_t sid)
{
	(void)s;
	return sid == 8 ? &dev8 : NULL;
}

const char *smmu_dma_client(uint64_t badge)
{
	return badge == 2 ? "rogue" : "?";
}

void smmu_dma_notify(struct smmu_srv *s, uint64_t badge)
{
	(void)s;
	notified[badge]++;
}

uint64_t smmu_now_ns(void)
{
	return now_ns;
}

static struct smmu_srv srv;

static void reset(void)
{
	memset(&srv, 0, sizeof(srv));
	memset(notified, 0, sizeof(notified));
	line_count = 0;
	now_ns += 10000000000ull;
}

static void event(uint32_t sid, uint8_t type, uint64_t addr, bool write)
{
	struct smmu_evt e = { .type = type, .sid = sid, .has_addr = true,
			      .addr = addr, .write = write };

	if (type == SMMU_EVT_C_BAD_STE) {
		e.has_addr = false;
		e.addr = 0;
		e.write = false;
	}
	smmu_fault_event(&srv, &e);
}

TEST(one_burst_one_line)
{
	reset();
	for (int i = 0; i < 16; i++) {
		event(8, SMMU_EVT_F_TRANSLATION, 0x7f96d000 + 4 * i, true);
	}
	smmu_fault_flush(&srv);
	CHECK_EQ(line_count, 1);
	CHECK(strcmp(lines[0], "smmuv3: fault: stream 0x8 (00:01.0 of rogue): "
		     "F_TRANSLATION, device write at 0x7f96d000, 16 events\n")
	      == 0);
	CHECK_EQ(srv.events, 16);
	CHECK_EQ(srv.bursts, 1);
	CHECK_EQ(notified[2], 1);
	CHECK_EQ(srv.clients[2].count, 1);
	CHECK_EQ(srv.clients[2].ring[0].stream, 8);
	CHECK_EQ(srv.clients[2].ring[0].bdf, 8);
	CHECK(srv.clients[2].ring[0].addr == 0x7f96d000ull);
	CHECK_EQ(srv.clients[2].ring[0].write, 1);
	CHECK_EQ(srv.clients[2].ring[0].reason, SMMU_REASON_TRANSLATION);
	CHECK_EQ(srv.clients[2].ring[0].count, 16);
}

TEST(bursts_split_by_stream_type_direction)
{
	reset();
	event(8, SMMU_EVT_F_TRANSLATION, 0x1000, true);
	event(8, SMMU_EVT_F_TRANSLATION, 0x2000, false);
	event(8, SMMU_EVT_F_PERMISSION, 0x3000, true);
	event(0x10, SMMU_EVT_C_BAD_STE, 0, false);
	event(8, SMMU_EVT_F_TRANSLATION, 0x1004, true);
	smmu_fault_flush(&srv);
	CHECK_EQ(line_count, 4);
	CHECK(strstr(lines[0], "device write at 0x1000, 2 events") != NULL);
	CHECK(strstr(lines[1], "device read at 0x2000, 1 event\n") != NULL);
	CHECK(strstr(lines[2], "F_PERMISSION") != NULL);
	CHECK(strcmp(lines[3], "smmuv3: fault: stream 0x10 (not attached): "
		     "C_BAD_STE, 1 event\n") == 0);
	/* Not attached: nobody to forward to. */
	CHECK_EQ(srv.clients[2].count, 3);
	CHECK_EQ(notified[2], 3);
	/* The next drain starts new bursts. */
	event(8, SMMU_EVT_F_TRANSLATION, 0x1000, true);
	smmu_fault_flush(&srv);
	CHECK_EQ(line_count, 5);
}

TEST(log_rate_limited_and_counted)
{
	reset();
	for (int i = 0; i < 25; i++) {
		event(0x10 + (uint32_t)i, SMMU_EVT_C_BAD_STE, 0, false);
		smmu_fault_flush(&srv);
	}
	CHECK_EQ(line_count, 10);
	CHECK_EQ(srv.bursts, 25);
	now_ns += 1000000001ull;
	event(0x40, SMMU_EVT_C_BAD_STE, 0, false);
	smmu_fault_flush(&srv);
	CHECK_EQ(line_count, 11);
	CHECK(strstr(lines[10], "(15 more bursts not logged)") != NULL);
}

TEST(owner_queue_keeps_newest)
{
	reset();
	for (int i = 0; i < 20; i++) {
		event(8, SMMU_EVT_F_TRANSLATION, 0x1000ull * (uint64_t)(i + 1),
		      true);
		smmu_fault_flush(&srv);
	}
	CHECK_EQ(srv.clients[2].count, SMMU_FAULT_RING);
	CHECK_EQ(srv.clients[2].dropped, 4);
	CHECK(srv.clients[2].ring[srv.clients[2].head].addr == 0x5000ull);
}

TEST(many_streams_in_one_drain)
{
	reset();
	/* More distinct bursts than a drain keeps: all counted. */
	for (uint32_t i = 0; i < 40; i++) {
		event(0x100 + i, SMMU_EVT_C_BAD_STE, 0, false);
	}
	smmu_fault_flush(&srv);
	CHECK_EQ(srv.events, 40);
	CHECK_EQ(srv.bursts, 16);
	CHECK(line_count <= 10);
}

TEST_MAIN("smmu_fault", TEST_ENTRY(one_burst_one_line),
	  TEST_ENTRY(bursts_split_by_stream_type_direction),
	  TEST_ENTRY(log_rate_limited_and_counted),
	  TEST_ENTRY(owner_queue_keeps_newest),
	  TEST_ENTRY(many_streams_in_one_drain))
