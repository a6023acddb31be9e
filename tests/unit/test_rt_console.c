/* SPDX-License-Identifier: MIT */
/*
 * Host tests of the runtime's output line discipline (libs/rt/console.c):
 * whatever pieces the program writes, the backend sees whole lines.
 */
#include <stdint.h>
#include <string.h>

#include <rift/rt.h>

#include "../../libs/rt/internal.h"
#include "test.h"

#define MAX_WRITES 64

static struct {
	char buf[MAX_WRITES][4096];
	size_t len[MAX_WRITES];
	int count;
} be;

/** The backend: records each write. */
void rt_console_write(const void *buf, size_t len)
{
	if (be.count < MAX_WRITES && len <= sizeof(be.buf[0])) {
		memcpy(be.buf[be.count], buf, len);
		be.len[be.count] = len;
	}
	be.count++;
}

static void reset(void)
{
	rt_out_flush();
	memset(&be, 0, sizeof(be));
}

/** True if write i was exactly s. */
static int wrote(int i, const char *s)
{
	return i < be.count && be.len[i] == strlen(s) && memcmp(be.buf[i], s, be.len[i]) == 0;
}

TEST(lines_are_whole)
{
	reset();
	rt_out_write("hel", 3);
	rt_out_write("lo, ", 4);
	CHECK_EQ(be.count, 0);
	rt_out_write("world\nsecond\nthi", 16);
	CHECK_EQ(be.count, 2);
	CHECK(wrote(0, "hello, world\n"));
	CHECK(wrote(1, "second\n"));
	rt_out_write("rd\n", 3);
	CHECK(wrote(2, "third\n"));
	rt_out_write("\n", 1);
	CHECK(wrote(3, "\n"));
}

TEST(long_line_is_cut)
{
	char big[5000];

	reset();
	memset(big, 'x', sizeof(big));
	big[sizeof(big) - 1] = '\n';
	rt_out_write(big, sizeof(big));
	CHECK_EQ(be.count, 3);
	CHECK_EQ(be.len[0], 2048);
	CHECK_EQ(be.len[1], 2048);
	CHECK_EQ(be.len[2], 5000 - 4096);
	CHECK_EQ(be.buf[2][be.len[2] - 1], '\n');
}

TEST(flush_and_finish)
{
	reset();
	rt_out_write("prompt> ", 8);
	rt_out_flush();
	CHECK(wrote(0, "prompt> "));
	rt_out_flush();
	CHECK_EQ(be.count, 1); /* nothing pending: no empty write */
	rt_out_write("no newline", 10);
	rt_out_finish();
	CHECK(wrote(1, "no newline\n"));
	rt_out_finish();
	CHECK_EQ(be.count, 2);
}

TEST(log_lines)
{
	reset();
	rt_out_write("partial", 7);
	rt_log("unsupported Linux system call 56 (openat)");
	CHECK(wrote(0, "partial"));
	CHECK(wrote(1, "rift-rt: unsupported Linux system call 56 (openat)\n"));
	{
		char long_msg[600];

		memset(long_msg, 'm', sizeof(long_msg) - 1);
		long_msg[sizeof(long_msg) - 1] = '\0';
		rt_log(long_msg);
		CHECK(be.len[2] <= 256);
		CHECK_EQ(be.buf[2][be.len[2] - 1], '\n');
	}
}

TEST(log_once)
{
	CHECK(rt_log_first(56));
	CHECK(!rt_log_first(56));
	CHECK(rt_log_first(57));
	CHECK(rt_log_first(RT_LOG_ONCE_KEYS - 1));
	CHECK(!rt_log_first(RT_LOG_ONCE_KEYS - 1));
	CHECK(rt_log_first(RT_LOG_ONCE_KEYS + 5)); /* out of range: always */
}

TEST(format_numbers)
{
	char buf[24];

	CHECK_EQ(rt_fmt_u64(buf, 0), 1);
	CHECK(strcmp(buf, "0") == 0);
	CHECK_EQ(rt_fmt_u64(buf, 56), 2);
	CHECK(strcmp(buf, "56") == 0);
	CHECK_EQ(rt_fmt_u64(buf, UINT64_MAX), 20);
	CHECK(strcmp(buf, "18446744073709551615") == 0);
}

TEST_MAIN("rt_console", TEST_ENTRY(lines_are_whole), TEST_ENTRY(long_line_is_cut),
	  TEST_ENTRY(flush_and_finish), TEST_ENTRY(log_lines), TEST_ENTRY(log_once),
	  TEST_ENTRY(format_numbers))
