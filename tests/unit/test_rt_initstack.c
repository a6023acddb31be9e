/* SPDX-License-Identifier: MIT */
/*
 * Host tests of the initial-stack builder (libs/rt/initstack.c): the
 * image is parsed back the way musl's _start reads it (argc, argv, envp,
 * auxv) through the VAs it will have once mapped below stack_top.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <rift/abi.h>
#include <rift/initstack.h>

#include "test.h"

#define TOP 0x0000004000000000ull
#define SIZE 4096

static uint8_t stack[SIZE];

static const char *const test_argv[] = { "prog", "-v", "an argument with spaces" };
static const char *const test_envp[] = { "HOME=/", "TERM=rift" };
static const uint64_t test_extra[] = { RIFT_AT_INITRD, 0x2000000000ull, RIFT_AT_SLOT_LIMIT, 4000 };

/** The byte of the stack image at va. */
static uint8_t *at(uint64_t va)
{
	return stack + (va - (TOP - SIZE));
}

/** True if [va, va + len) is inside the stack image. */
static int inside(uint64_t va, uint64_t len)
{
	return va >= TOP - SIZE && va <= TOP && TOP - va >= len;
}

/** The little-endian word at va. */
static uint64_t word(uint64_t va)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--) {
		v = (v << 8) | at(va)[i];
	}
	return v;
}

static struct initstack_params params(void)
{
	struct initstack_params p = {
		.argv = test_argv,
		.argc = 3,
		.envp = test_envp,
		.envc = 2,
		.phdr = 0x400040,
		.phent = 56,
		.phnum = 4,
		.entry = 0x400180,
		.ipcbuf = RIFT_BOOT_IPCBUF_VA,
		.random_seed = 42,
		.extra_auxv = test_extra,
		.extra_auxv_count = 2,
	};

	return p;
}

/** Value of auxv key starting at va (AT_NULL-terminated), or ~0 if absent. */
static uint64_t aux(uint64_t va, uint64_t key)
{
	for (; word(va) != LINUX_AT_NULL; va += 16) {
		if (word(va) == key) {
			return word(va + 8);
		}
	}
	return ~0ull;
}

/** Checks the string at va (inside the stack) equals s. */
static int string_is(uint64_t va, const char *s)
{
	size_t n = strlen(s) + 1;

	return inside(va, n) && memcmp(at(va), s, n) == 0;
}

TEST(layout)
{
	struct initstack_params p = params();
	uint64_t sp = 0;
	uint64_t va;

	memset(stack, 0xa5, sizeof(stack));
	CHECK_EQ(initstack_build(stack, SIZE, TOP, &p, &sp), INITSTACK_OK);
	CHECK_EQ(sp % 16, 0);
	CHECK(inside(sp, 8));
	CHECK_EQ(word(sp), 3);
	for (int i = 0; i < 3; i++) {
		CHECK(string_is(word(sp + 8 + 8 * i), test_argv[i]));
	}
	CHECK_EQ(word(sp + 8 + 8 * 3), 0);
	va = sp + 8 * 5;
	for (int i = 0; i < 2; i++) {
		CHECK(string_is(word(va + 8 * i), test_envp[i]));
	}
	CHECK_EQ(word(va + 16), 0);
	va += 24; /* auxv */
	CHECK_EQ(aux(va, LINUX_AT_PHDR), 0x400040);
	CHECK_EQ(aux(va, LINUX_AT_PHENT), 56);
	CHECK_EQ(aux(va, LINUX_AT_PHNUM), 4);
	CHECK_EQ(aux(va, LINUX_AT_PAGESZ), 4096);
	CHECK_EQ(aux(va, LINUX_AT_ENTRY), 0x400180);
	CHECK_EQ(aux(va, LINUX_AT_UID), 0);
	CHECK_EQ(aux(va, LINUX_AT_EUID), 0);
	CHECK_EQ(aux(va, LINUX_AT_GID), 0);
	CHECK_EQ(aux(va, LINUX_AT_EGID), 0);
	CHECK_EQ(aux(va, LINUX_AT_SECURE), 0);
	CHECK_EQ(aux(va, LINUX_AT_HWCAP), 0);
	CHECK_EQ(aux(va, RIFT_AT_IPCBUF), RIFT_BOOT_IPCBUF_VA);
	CHECK_EQ(aux(va, RIFT_AT_INITRD), 0x2000000000ull);
	CHECK_EQ(aux(va, RIFT_AT_SLOT_LIMIT), 4000);
	CHECK_EQ(aux(va, 12345), ~0ull);
	{
		uint64_t r = aux(va, LINUX_AT_RANDOM);
		uint64_t aux_end = va;

		while (word(aux_end) != LINUX_AT_NULL) {
			aux_end += 16;
		}
		aux_end += 16;
		CHECK(inside(r, 16));
		CHECK_EQ(r % 16, 0);
		CHECK(r >= aux_end); /* above the vectors ... */
		for (int i = 0; i < 3; i++) {
			CHECK(word(sp + 8 + 8 * i) >= r + 16); /* ... below the strings */
		}
	}
	CHECK_EQ(word(TOP - 8), 0); /* end marker */
}

TEST(random_bytes)
{
	struct initstack_params p = params();
	uint8_t first[16];
	uint64_t sp;
	uint64_t r;
	static const uint8_t given[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };

	CHECK_EQ(initstack_build(stack, SIZE, TOP, &p, &sp), INITSTACK_OK);
	r = aux(sp + 8 * 8, LINUX_AT_RANDOM);
	memcpy(first, at(r), 16);
	CHECK(memcmp(first, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 16) != 0);
	CHECK_EQ(initstack_build(stack, SIZE, TOP, &p, &sp), INITSTACK_OK);
	CHECK(memcmp(first, at(r), 16) == 0); /* deterministic in the seed */
	p.random_seed = 43;
	CHECK_EQ(initstack_build(stack, SIZE, TOP, &p, &sp), INITSTACK_OK);
	CHECK(memcmp(first, at(r), 16) != 0);
	p.random = given;
	CHECK_EQ(initstack_build(stack, SIZE, TOP, &p, &sp), INITSTACK_OK);
	CHECK(memcmp(given, at(r), 16) == 0);
}

TEST(minimal)
{
	struct initstack_params p = { 0 };
	uint64_t sp;

	CHECK_EQ(initstack_build(stack, SIZE, TOP, &p, &sp), INITSTACK_OK);
	CHECK_EQ(sp % 16, 0);
	CHECK_EQ(word(sp), 0);      /* argc */
	CHECK_EQ(word(sp + 8), 0);  /* argv NULL */
	CHECK_EQ(word(sp + 16), 0); /* envp NULL */
	CHECK_EQ(aux(sp + 24, RIFT_AT_IPCBUF), ~0ull); /* none asked for */
	CHECK_EQ(aux(sp + 24, LINUX_AT_PAGESZ), 4096);
}

/** Every buffer smaller than needed is refused, the exact size works. */
TEST(too_small)
{
	struct initstack_params p = params();
	uint64_t sp;
	size_t need;

	CHECK_EQ(initstack_build(stack, SIZE, TOP, &p, &sp), INITSTACK_OK);
	need = TOP - sp;
	for (size_t n = 0; n < need; n++) {
		uint8_t *buf = malloc(n ? n : 1);

		if (initstack_build(buf, n, TOP, &p, &sp) != INITSTACK_E_NOSPACE) {
			free(buf);
			CHECK(0);
		}
		free(buf);
	}
	{
		uint8_t *buf = malloc(need);
		int err = initstack_build(buf, need, TOP, &p, &sp);

		free(buf);
		CHECK_EQ(err, INITSTACK_OK);
		CHECK_EQ(sp, TOP - need);
	}
}

TEST(bad_arguments)
{
	struct initstack_params p = params();
	const char *const holes[] = { "a", NULL };
	const uint64_t null_key[] = { 0, 5 };
	uint64_t sp;

	CHECK_EQ(initstack_build(stack, SIZE, TOP + 8, &p, &sp), INITSTACK_E_TOP);
	CHECK_EQ(initstack_build(stack, SIZE, 16, &p, &sp), INITSTACK_E_TOP);
	p.argv = holes;
	p.argc = 2;
	CHECK_EQ(initstack_build(stack, SIZE, TOP, &p, &sp), INITSTACK_E_ARGS);
	p = params();
	p.envp = NULL;
	CHECK_EQ(initstack_build(stack, SIZE, TOP, &p, &sp), INITSTACK_E_ARGS);
	p = params();
	p.extra_auxv = null_key;
	p.extra_auxv_count = 1;
	CHECK_EQ(initstack_build(stack, SIZE, TOP, &p, &sp), INITSTACK_E_ARGS);
	p = params();
	p.envc = (size_t)1 << 60; /* the vector alone cannot fit: not read */
	CHECK_EQ(initstack_build(stack, SIZE, TOP, &p, &sp), INITSTACK_E_NOSPACE);
}

TEST(long_string)
{
	struct initstack_params p = params();
	char *big = malloc(SIZE + 10);
	const char *argv[1] = { big };
	uint64_t sp;

	memset(big, 'x', SIZE + 9);
	big[SIZE + 9] = '\0';
	p.argv = argv;
	p.argc = 1;
	CHECK_EQ(initstack_build(stack, SIZE, TOP, &p, &sp), INITSTACK_E_NOSPACE);
	free(big);
}

TEST(strerror_all)
{
	for (int i = 0; i < INITSTACK_E_COUNT; i++) {
		CHECK(strlen(initstack_strerror(i)) > 5);
	}
	CHECK(strstr(initstack_strerror(-3), "unknown") != NULL);
}

TEST_MAIN("rt_initstack", TEST_ENTRY(layout), TEST_ENTRY(random_bytes), TEST_ENTRY(minimal),
	  TEST_ENTRY(too_small), TEST_ENTRY(bad_arguments), TEST_ENTRY(long_string),
	  TEST_ENTRY(strerror_all))
