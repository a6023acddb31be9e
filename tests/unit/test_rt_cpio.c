/* SPDX-License-Identifier: MIT */
/*
 * Host tests of the cpio newc reader (libs/rt/cpio.c): archives written
 * here the way `cpio -o -H newc` writes them, then broken one rule at a
 * time. Every read runs on an exact-size heap copy so AddressSanitizer
 * catches any read past the end.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rift/cpio.h>

#include "test.h"

static uint8_t arc[8192];
static size_t arc_len;

/** Pads the archive to 4 bytes with zeros. */
static void pad4(void)
{
	while (arc_len % 4 != 0) {
		arc[arc_len++] = 0;
	}
}

/** Appends an entry; returns the offset of its header. */
static size_t add(const char *name, const void *data, size_t size, uint32_t mode)
{
	size_t at = arc_len;
	char hdr[111];

	snprintf(hdr, sizeof(hdr),
		 "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X", 7u, mode, 0u,
		 0u, 1u, 0u, (unsigned)size, 0u, 0u, 0u, 0u, (unsigned)strlen(name) + 1, 0u);
	memcpy(arc + arc_len, hdr, 110);
	arc_len += 110;
	memcpy(arc + arc_len, name, strlen(name) + 1);
	arc_len += strlen(name) + 1;
	pad4();
	memcpy(arc + arc_len, data, size);
	arc_len += size;
	pad4();
	return at;
}

static void trailer(void)
{
	add("TRAILER!!!", "", 0, 0);
}

/** supervisor (5 bytes), ./system.dtb (0 bytes), a directory, hello (9 bytes). */
static void build_valid(void)
{
	memset(arc, 0, sizeof(arc));
	arc_len = 0;
	add("supervisor", "\x7f" "ELF!", 5, 0100755);
	add("./system.dtb", "", 0, 0100644);
	add("dir", "", 0, 040755);
	add("hello", "hi there\n", 9, 0100755);
	trailer();
}

/** Runs cpio_validate on an exact-size copy of the first n bytes. */
static int validate_n(size_t n)
{
	uint8_t *copy = malloc(n ? n : 1);
	int err;

	memcpy(copy, arc, n);
	err = cpio_validate(copy, n);
	free(copy);
	return err;
}

static int find(const char *name, size_t *size_out, char *first_byte)
{
	uint8_t *copy = malloc(arc_len);
	const void *data = NULL;
	size_t size = 0;
	int err;

	memcpy(copy, arc, arc_len);
	err = cpio_find(copy, arc_len, name, &data, &size);
	if (err == CPIO_OK) {
		*size_out = size;
		*first_byte = size ? *(const char *)data : 0;
		if (size > 0 && ((const uint8_t *)data < copy ||
				 (const uint8_t *)data + size > copy + arc_len)) {
			err = -1;
		}
	}
	free(copy);
	return err;
}

/** Overwrites header field i (0 = ino ... 12 = check) of the entry at off. */
static void set_field(size_t off, int i, const char *hex8)
{
	memcpy(arc + off + 6 + 8 * i, hex8, 8);
}

TEST(valid_iterate)
{
	struct cpio_iter it;
	struct cpio_entry e;
	static const char *const names[] = { "supervisor", "./system.dtb", "dir", "hello" };
	static const size_t sizes[] = { 5, 0, 0, 9 };

	build_valid();
	cpio_iter_init(&it, arc, arc_len);
	for (int i = 0; i < 4; i++) {
		CHECK_EQ(cpio_next(&it, &e), CPIO_OK);
		CHECK(strcmp(e.name, names[i]) == 0);
		CHECK_EQ(e.name_len, strlen(names[i]));
		CHECK_EQ(e.size, sizes[i]);
		CHECK_EQ(e.ino, 7);
		CHECK_EQ(((uintptr_t)e.data - (uintptr_t)arc) % 4, 0);
	}
	CHECK(memcmp(e.data, "hi there\n", 9) == 0);
	CHECK_EQ(e.mode, 0100755);
	CHECK_EQ(cpio_next(&it, &e), CPIO_E_NOT_FOUND);
	CHECK_EQ(cpio_next(&it, &e), CPIO_E_NOT_FOUND);
	CHECK_EQ(cpio_validate(arc, arc_len), CPIO_OK);
}

TEST(find_by_name)
{
	size_t size = 0;
	char c = 0;

	build_valid();
	CHECK_EQ(find("supervisor", &size, &c), CPIO_OK);
	CHECK_EQ(size, 5);
	CHECK_EQ(c, 0x7f);
	CHECK_EQ(find("hello", &size, &c), CPIO_OK);
	CHECK_EQ(size, 9);
	CHECK_EQ(c, 'h');
	CHECK_EQ(find("system.dtb", &size, &c), CPIO_OK); /* "./" ignored */
	CHECK_EQ(size, 0);
	CHECK_EQ(find("./hello", &size, &c), CPIO_OK);
	CHECK_EQ(find("hell", &size, &c), CPIO_E_NOT_FOUND);
	CHECK_EQ(find("hello2", &size, &c), CPIO_E_NOT_FOUND);
	CHECK_EQ(find("TRAILER!!!", &size, &c), CPIO_E_NOT_FOUND);
	CHECK_EQ(find("", &size, &c), CPIO_E_NOT_FOUND);
}

TEST(padding_after_trailer)
{
	build_valid();
	arc_len += 512; /* zero blocks, as cpio writes */
	CHECK_EQ(validate_n(arc_len), CPIO_OK);
}

TEST(truncated)
{
	size_t full;

	build_valid();
	full = arc_len - 3; /* the trailer's own padding is not needed */
	CHECK_EQ(validate_n(full), CPIO_OK);
	for (size_t n = 0; n < full; n++) {
		int err = validate_n(n);

		CHECK(err != CPIO_OK);
		CHECK(err == CPIO_E_TRUNCATED || err == CPIO_E_SIZE || err == CPIO_E_NO_TRAILER ||
		      err == CPIO_E_NAME);
	}
	CHECK_EQ(validate_n(0), CPIO_E_NO_TRAILER);
	CHECK_EQ(validate_n(50), CPIO_E_TRUNCATED);
}

TEST(bad_magic)
{
	size_t size;
	char c;

	build_valid();
	arc[5] = '2'; /* 070702: the CRC format */
	CHECK_EQ(validate_n(arc_len), CPIO_E_MAGIC);
	CHECK_EQ(find("hello", &size, &c), CPIO_E_MAGIC);
	build_valid();
	memcpy(arc, "070707", 6); /* old portable format */
	CHECK_EQ(validate_n(arc_len), CPIO_E_MAGIC);
}

TEST(bad_hex)
{
	build_valid();
	set_field(0, 6, "0000000G");
	CHECK_EQ(validate_n(arc_len), CPIO_E_HEX);
	build_valid();
	set_field(0, 11, " 000000B");
	CHECK_EQ(validate_n(arc_len), CPIO_E_HEX);
	build_valid();
	set_field(0, 12, "-0000000");
	CHECK_EQ(validate_n(arc_len), CPIO_E_HEX);
	build_valid();
	set_field(0, 6, "0000000a"); /* lower case is fine (size 10 would run on) */
	CHECK(validate_n(arc_len) != CPIO_E_HEX);
}

TEST(bad_name)
{
	build_valid();
	arc[110 + 10] = 'X'; /* "supervisor" loses its NUL */
	CHECK_EQ(validate_n(arc_len), CPIO_E_NAME);
	build_valid();
	arc[110 + 3] = '\0'; /* a NUL inside the name */
	CHECK_EQ(validate_n(arc_len), CPIO_E_NAME);
	build_valid();
	set_field(0, 11, "00000000"); /* name size 0 */
	CHECK_EQ(validate_n(arc_len), CPIO_E_NAME);
	build_valid();
	set_field(0, 11, "FFFFFFFF"); /* name size past the end */
	CHECK_EQ(validate_n(arc_len), CPIO_E_TRUNCATED);
}

TEST(size_past_end)
{
	build_valid();
	set_field(0, 6, "00010000");
	CHECK_EQ(validate_n(arc_len), CPIO_E_SIZE);
	build_valid();
	set_field(0, 6, "FFFFFFFF");
	CHECK_EQ(validate_n(arc_len), CPIO_E_SIZE);
}

TEST(missing_trailer)
{
	size_t size;
	char c;

	build_valid();
	arc_len = 0;
	add("a", "x", 1, 0100644);
	CHECK_EQ(validate_n(arc_len), CPIO_E_NO_TRAILER);
	CHECK_EQ(find("b", &size, &c), CPIO_E_NO_TRAILER);
	CHECK_EQ(find("a", &size, &c), CPIO_OK); /* found before the end */
	arc_len -= 3;                         /* the last padding missing too */
	CHECK_EQ(validate_n(arc_len), CPIO_E_NO_TRAILER);
}

TEST(errors_stick)
{
	struct cpio_iter it;
	struct cpio_entry e;

	build_valid();
	set_field(0, 6, "0000000Z");
	cpio_iter_init(&it, arc, arc_len);
	CHECK_EQ(cpio_next(&it, &e), CPIO_E_HEX);
	CHECK_EQ(cpio_next(&it, &e), CPIO_E_HEX);
}

TEST(strerror_all)
{
	for (int i = 0; i < CPIO_E_COUNT; i++) {
		CHECK(strlen(cpio_strerror(i)) > 5);
		for (int j = 0; j < i; j++) {
			CHECK(strcmp(cpio_strerror(i), cpio_strerror(j)) != 0);
		}
	}
	CHECK(strstr(cpio_strerror(99), "unknown") != NULL);
}

/** Random byte flips never crash the reader or yield data outside the buffer. */
TEST(random_corruption)
{
	uint64_t state = 99;

	for (int round = 0; round < 20000; round++) {
		struct cpio_iter it;
		struct cpio_entry e;
		uint8_t *copy;

		build_valid();
		for (int k = 0; k < 1 + round % 3; k++) {
			state = state * 6364136223846793005ull + 1442695040888963407ull;
			arc[(state >> 33) % arc_len] = (uint8_t)(state >> 24);
		}
		copy = malloc(arc_len);
		memcpy(copy, arc, arc_len);
		cpio_iter_init(&it, copy, arc_len);
		while (cpio_next(&it, &e) == CPIO_OK) {
			if (e.data < copy || e.data + e.size > copy + arc_len ||
			    strlen(e.name) != e.name_len) {
				free(copy);
				CHECK(0);
			}
		}
		free(copy);
	}
}

TEST_MAIN("rt_cpio", TEST_ENTRY(valid_iterate), TEST_ENTRY(find_by_name),
	  TEST_ENTRY(padding_after_trailer), TEST_ENTRY(truncated), TEST_ENTRY(bad_magic),
	  TEST_ENTRY(bad_hex), TEST_ENTRY(bad_name), TEST_ENTRY(size_past_end),
	  TEST_ENTRY(missing_trailer), TEST_ENTRY(errors_stick), TEST_ENTRY(strerror_all),
	  TEST_ENTRY(random_corruption))
