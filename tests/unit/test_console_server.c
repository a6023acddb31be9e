/* SPDX-License-Identifier: MIT */
/*
 * The console server's logic (drivers-domain/console): line assembly and
 * tagging, argument parsing, input routing and focus, and the kernel log
 * ring reader, against fake output seams that record what would reach the
 * UART and which doorbells would ring.
 */
#include "test.h"

#include <stdint.h>

#include <rift/msg.h>

#include "con.h"

/* ------------------------------------------------------------------ fakes */

static char out_buf[65536];
static size_t out_len;
static unsigned out_lines;
static uint64_t rung[8];
static unsigned rung_count;

void con_out_line(const char *tag, const char *text, size_t len)
{
	out_len += (size_t)snprintf(out_buf + out_len,
				    sizeof(out_buf) - out_len, "[%s] %.*s\n",
				    tag, (int)len, text);
	out_lines++;
}

void con_out_raw(const char *text, size_t len)
{
	out_len += (size_t)snprintf(out_buf + out_len,
				    sizeof(out_buf) - out_len, "%.*s%s",
				    (int)len, text,
				    len && text[len - 1] == '\n' ? "" : "\n");
	out_lines++;
}

void con_out_doorbell(uint64_t slot)
{
	if (rung_count < 8) {
		rung[rung_count] = slot;
	}
	rung_count++;
}

static struct con_state st;

static void reset(void)
{
	memset(&st, 0, sizeof(st));
	out_len = 0;
	out_buf[0] = '\0';
	out_lines = 0;
	rung_count = 0;
}

/**
 * Names the clients as the supervisor's table would, from "clients=a,b,c"
 * (badges 1, 2, 3; test shorthand), then parses the rest of the
 * NULL-terminated argument list into st; returns the first failure.
 */
static int parse(const char *const *args, char *err, size_t size)
{
	char *argv[16];
	int argc = 0;

	argv[argc++] = (char *)"console";
	for (; *args; args++) {
		if (strncmp(*args, "clients=", 8) == 0) {
			char list[256], *p = list;
			uint32_t badge = 1;

			snprintf(list, sizeof(list), "%s", *args + 8);
			for (;;) {
				char *comma = strchr(p, ',');

				if (comma) {
					*comma = '\0';
				}
				if (con_args_client(&st, badge++, p, err,
						    size) != 0) {
					return -1;
				}
				if (!comma) {
					break;
				}
				p = comma + 1;
			}
			continue;
		}
		argv[argc++] = (char *)*args;
	}
	return con_args_parse(&st, argc, argv, err, size);
}

static void setup_clients(void)
{
	static const char *const args[] = { "clients=console,alpha,beta",
					    "focus-admin=alpha", NULL };
	char err[128];

	reset();
	parse(args, err, sizeof(err));
}

static void put(uint64_t badge, const char *s)
{
	con_lines_put(&st, badge, (const uint8_t *)s, strlen(s));
}

/* ------------------------------------------------------------------ lines */

TEST(lines_whole_and_tagged)
{
	setup_clients();
	put(2, "hello\n");
	CHECK(strcmp(out_buf, "[alpha] hello\n") == 0);
	put(0, "from the supervisor\n");
	put(9, "unnamed\n");
	CHECK(strcmp(out_buf, "[alpha] hello\n[supervisor] from the "
			      "supervisor\n[client9] unnamed\n") == 0);
}

TEST(lines_pieces_never_mix)
{
	setup_clients();
	put(2, "al");
	put(3, "be");
	CHECK_EQ(out_lines, 0);
	put(2, "pha's");
	put(3, "ta's line\nand more");
	put(2, " line\n");
	CHECK(strcmp(out_buf, "[beta] beta's line\n[alpha] alpha's line\n") ==
	      0);
	put(3, "\n");
	CHECK(strstr(out_buf, "[beta] and more\n") != NULL);
	CHECK_EQ(out_lines, 3);
}

TEST(lines_control_characters)
{
	setup_clients();
	put(2, "a\x1b[2Jb\tc\r\n");
	put(2, "\r[beta] forged\n");
	put(2, "\x7f\x80\xff\n");
	put(2, "\n");
	CHECK(strcmp(out_buf, "[alpha] a?[2Jb\tc\n[alpha] [beta] forged\n"
			      "[alpha] ???\n[alpha] \n") == 0);
}

TEST(lines_long_line_cut_into_pieces)
{
	static char big[CON_LINE_MAX + 11];

	setup_clients();
	memset(big, 'x', CON_LINE_MAX + 10);
	big[CON_LINE_MAX + 10] = '\0';
	put(2, big);
	CHECK_EQ(out_lines, 1);
	CHECK_EQ(strlen(out_buf), strlen("[alpha] \n") + CON_LINE_MAX);
	put(2, "\n");
	CHECK_EQ(out_lines, 2);
	CHECK(strcmp(out_buf + strlen(out_buf) - 20,
		     "\n[alpha] xxxxxxxxxx\n") == 0);
}

TEST(lines_badge_out_of_range)
{
	setup_clients();
	CHECK(con_lines_client(&st, CON_MAX_CLIENTS) != NULL);
	CHECK(con_lines_client(&st, CON_MAX_CLIENTS + 1) == NULL);
	put(CON_MAX_CLIENTS + 1, "nobody\n");
	CHECK_EQ(out_lines, 0);
}

/* ------------------------------------------------------------- arguments */

TEST(args_good)
{
	static const char *const args[] = { "focus=b", "clients=a,b,c-1.x",
					    "focus-admin=a,c-1.x", NULL };
	char err[128] = "";

	reset();
	CHECK_EQ(parse(args, err, sizeof(err)), 0);
	CHECK_EQ(st.client_count, 3);
	CHECK(strcmp(st.clients[1].name, "a") == 0);
	CHECK(strcmp(st.clients[3].name, "c-1.x") == 0);
	CHECK_EQ(st.focus, 2);
	CHECK(st.clients[1].focus_admin && !st.clients[2].focus_admin &&
	      st.clients[3].focus_admin);
	CHECK_EQ(con_args_badge(&st, "b", 1), 2);
	CHECK_EQ(con_args_badge(&st, "bb", 2), 0);
}

TEST(args_bad)
{
	static const char *const cases[][3] = {
		{ "clients=a,,b", NULL },
		{ "clients=a,b,a", NULL },
		{ "clients=a b", NULL },
		{ "clients=a", "focus=b" },
		{ "clients=a", "focus-admin=a,z" },
		{ "clients=a", "colour=blue" },
		{ "clients=a", "clients=b" },
		{ "clients=a b:c", NULL },
		{ "clients=abcdefghijklmnopqrstuvwxyz012345", NULL },
		{ "clients=", NULL },
		{ "clients=a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q", NULL },
	};
	char err[128];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		reset();
		err[0] = '\0';
		CHECK_EQ(parse(cases[i], err, sizeof(err)), -1);
		CHECK(err[0] != '\0');
	}
	/* The console's own args no longer name its clients. */
	{
		char *argv[] = { (char *)"console", (char *)"clients=a,b" };

		reset();
		CHECK_EQ(con_args_parse(&st, 2, argv, err, sizeof(err)), -1);
		CHECK(strstr(err, "'clients=' is gone") != NULL);
	}
}

/* ------------------------------------------------------------------ input */

TEST(input_without_focus_is_dropped)
{
	setup_clients();
	con_input_put(&st, (const uint8_t *)"abc", 3);
	con_input_put(&st, (const uint8_t *)"de", 2);
	CHECK_EQ(st.input_dropped, 5);
	CHECK_EQ(out_lines, 1); /* said once */
	CHECK(strstr(out_buf, "no domain has the input focus") != NULL);
	CHECK_EQ(rung_count, 0);
	CHECK_EQ(con_input_room(&st, 64), 64);
}

TEST(input_to_focus_with_doorbell)
{
	uint8_t buf[CON_INPUT_MAX];

	setup_clients();
	st.clients[2].doorbell = 17;
	CHECK_EQ(con_input_focus(&st, 0, 2), RIFT_OK);
	CHECK(strstr(out_buf, "input focus: alpha") != NULL);
	con_input_put(&st, (const uint8_t *)"ls ", 3);
	con_input_put(&st, (const uint8_t *)"-l\n", 3);
	CHECK_EQ(rung_count, 1); /* only when the queue turned non-empty */
	CHECK_EQ(rung[0], 17);
	CHECK_EQ(con_input_take(&st, 3, buf, 10), 0); /* not beta's */
	CHECK_EQ(con_input_take(&st, 2, buf, 4), 4);
	CHECK(memcmp(buf, "ls -", 4) == 0);
	CHECK_EQ(con_input_take(&st, 2, buf, 100), 2);
	CHECK(memcmp(buf, "l\n", 2) == 0);
	CHECK_EQ(con_input_take(&st, 2, buf, 100), 0);
	con_input_put(&st, (const uint8_t *)"x", 1);
	CHECK_EQ(rung_count, 2);
}

TEST(input_queue_wraps_and_fills)
{
	uint8_t in[2 * CON_INPUT_MAX], got[CON_INPUT_MAX];

	setup_clients();
	CHECK_EQ(con_input_focus(&st, 0, 3), RIFT_OK);
	for (size_t i = 0; i < sizeof(in); i++) {
		in[i] = (uint8_t)(i * 7);
	}
	con_input_put(&st, in, 600);
	CHECK_EQ(con_input_take(&st, 3, got, 500), 500);
	CHECK(memcmp(got, in, 500) == 0);
	CHECK_EQ(con_input_room(&st, 64), CON_INPUT_MAX - 100);
	con_input_put(&st, in + 600, CON_INPUT_MAX - 100 + 8);
	CHECK_EQ(st.input_dropped, 8);
	CHECK(strstr(out_buf, "queue is full") != NULL);
	CHECK_EQ(con_input_room(&st, 64), 0);
	CHECK_EQ(con_input_take(&st, 3, got, CON_INPUT_MAX), CON_INPUT_MAX);
	CHECK(memcmp(got, in + 500, CON_INPUT_MAX) == 0);
}

TEST(input_focus_rules)
{
	setup_clients();
	st.clients[3].doorbell = 18;
	CHECK_EQ(con_input_focus(&st, 3, 3), RIFT_EPERM); /* not an admin */
	CHECK_EQ(con_input_focus(&st, CON_MAX_CLIENTS + 1, 3), RIFT_EPERM);
	CHECK_EQ(con_input_focus(&st, 2, 9), RIFT_ENOENT); /* unnamed */
	CHECK_EQ(con_input_focus(&st, 2, CON_MAX_CLIENTS + 1), RIFT_ENOENT);
	CHECK_EQ(st.focus, 0);
	CHECK_EQ(con_input_focus(&st, 2, 2), RIFT_OK); /* admin */
	con_input_put(&st, (const uint8_t *)"a", 1);
	CHECK_EQ(con_input_focus(&st, 0, 3), RIFT_OK); /* supervisor */
	con_input_put(&st, (const uint8_t *)"b", 1);
	CHECK_EQ(rung_count, 1);
	CHECK_EQ(st.clients[2].input.len, 1); /* queued bytes stay put */
	CHECK_EQ(con_input_focus(&st, 0, 0), RIFT_OK);
	CHECK(strstr(out_buf, "input focus: nobody") != NULL);
	CHECK_EQ(con_input_focus(&st, 0, 3), RIFT_OK); /* pending: ring */
	CHECK_EQ(rung_count, 2);
}

/* ------------------------------------------------------------- kernel log */

#define RING_DATA 16384u

static uint64_t ring_words[(64 + RING_DATA) / 8];

static struct rift_klog *ring_new(void)
{
	struct rift_klog *r = (struct rift_klog *)ring_words;

	memset(ring_words, 0, sizeof(ring_words));
	r->size = RING_DATA;
	return r;
}

/** Appends a line as the kernel does: bytes first, then the head. */
static void ring_append(struct rift_klog *r, const char *s)
{
	size_t len = strlen(s);

	for (size_t i = 0; i < len; i++) {
		r->data[(r->head + i) % r->size] = (uint8_t)s[i];
	}
	r->head += len;
}

TEST(klog_starts_at_head)
{
	struct rift_klog *r = ring_new();
	struct con_klog k;

	reset();
	ring_append(r, "[supervisor] already on the UART\n");
	CHECK_EQ(con_klog_init(&k, r), 0);
	CHECK_EQ(con_klog_drain(&k), 0);
	ring_append(r, "rift: a kernel line\n[hello] a domain line\npart");
	CHECK_EQ(con_klog_drain(&k), 2);
	CHECK(strcmp(out_buf, "rift: a kernel line\n[hello] a domain line\n") ==
	      0);
	ring_append(r, "ial line\n");
	CHECK_EQ(con_klog_drain(&k), 1);
	CHECK(strstr(out_buf, "\npartial line\n") != NULL);
}

TEST(klog_wraps)
{
	struct rift_klog *r = ring_new();
	struct con_klog k;
	char line[64];
	unsigned lines = 0;

	reset();
	r->head = 10 * RING_DATA - 7; /* the next line straddles the end */
	CHECK_EQ(con_klog_init(&k, r), 0);
	for (int i = 0; i < 2000; i++) {
		snprintf(line, sizeof(line), "line %d\n", i);
		ring_append(r, line);
		if (i % 100 == 99) {
			lines += con_klog_drain(&k);
		}
	}
	CHECK_EQ(lines, 2000);
	CHECK(strncmp(out_buf, "line 0\nline 1\n", 14) == 0);
	CHECK(strstr(out_buf, "\nline 1999\n") != NULL);
	CHECK_EQ(k.lost, 0);
}

TEST(klog_loss_is_reported_and_never_torn)
{
	struct rift_klog *r = ring_new();
	struct con_klog k;
	char line[64];

	reset();
	CHECK_EQ(con_klog_init(&k, r), 0);
	ring_append(r, "first\n");
	for (int i = 0; i < 3000; i++) { /* ~30 KiB: laps the 16 KiB ring */
		snprintf(line, sizeof(line), "overrun line %04d\n", i);
		ring_append(r, line);
	}
	con_klog_drain(&k);
	CHECK(k.lost > 0);
	CHECK(strstr(out_buf, "first") == NULL);
	CHECK(strstr(out_buf, "of the kernel log were overwritten") != NULL);
	CHECK(strstr(out_buf, "overrun line 2999\n") != NULL);
	/* Every line shown is whole. */
	for (char *p = out_buf; *p; p = strchr(p, '\n') + 1) {
		CHECK(strncmp(p, "overrun line ", 13) == 0 ||
		      strncmp(p, "[console] ", 10) == 0);
		CHECK(strchr(p, '\n') - p == 17 || p[0] == '[');
	}
}

TEST(klog_bad_size_refused)
{
	struct rift_klog *r = ring_new();
	struct con_klog k;

	r->size = 100;
	CHECK_EQ(con_klog_init(&k, r), -1);
	r->size = 4ull << 20;
	CHECK_EQ(con_klog_init(&k, r), -1);
}

TEST_MAIN("console_server",
	  TEST_ENTRY(lines_whole_and_tagged),
	  TEST_ENTRY(lines_pieces_never_mix),
	  TEST_ENTRY(lines_control_characters),
	  TEST_ENTRY(lines_long_line_cut_into_pieces),
	  TEST_ENTRY(lines_badge_out_of_range),
	  TEST_ENTRY(args_good), TEST_ENTRY(args_bad),
	  TEST_ENTRY(input_without_focus_is_dropped),
	  TEST_ENTRY(input_to_focus_with_doorbell),
	  TEST_ENTRY(input_queue_wraps_and_fills),
	  TEST_ENTRY(input_focus_rules), TEST_ENTRY(klog_starts_at_head),
	  TEST_ENTRY(klog_wraps),
	  TEST_ENTRY(klog_loss_is_reported_and_never_torn),
	  TEST_ENTRY(klog_bad_size_refused))
