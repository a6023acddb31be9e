/* SPDX-License-Identifier: MIT */
/*
 * Initial stack builder (see rift/initstack.h). Shared by the kernel,
 * librift and the host tests: freestanding C.
 */
#include <string.h>

#include <rift/abi.h>
#include <rift/initstack.h>

/** auxv entries written before the optional and extra ones. */
#define INITSTACK_FIXED_AUX 16

/** The stack being written: buffer and the VA of its first byte. */
struct initstack_out {
	uint8_t *buf;
	uint64_t base; /**< VA of buf[0] */
};

/** Stores v little-endian at va. */
static void initstack_put64(const struct initstack_out *o, uint64_t va, uint64_t v)
{
	uint8_t *p = o->buf + (va - o->base);

	for (int i = 0; i < 8; i++) {
		p[i] = (uint8_t)(v >> (8 * i));
	}
}

/** Copies n bytes to va. */
static void initstack_put(const struct initstack_out *o, uint64_t va, const void *src, size_t n)
{
	memcpy(o->buf + (va - o->base), src, n);
}

/**
 * Adds the sizes (with NUL) of count strings to *total, failing if one is
 * NULL or the total passes limit.
 */
static int initstack_strings_size(const char *const *s, size_t count, size_t limit,
				  size_t *total)
{
	if (count > 0 && s == NULL) {
		return INITSTACK_E_ARGS;
	}
	for (size_t i = 0; i < count; i++) {
		size_t n;

		if (s[i] == NULL) {
			return INITSTACK_E_ARGS;
		}
		n = strnlen(s[i], limit) + 1;
		if (n > limit - *total) {
			return INITSTACK_E_NOSPACE;
		}
		*total += n;
	}
	return INITSTACK_OK;
}

/** Number of auxv pairs, AT_NULL included; 0 if an extra key is AT_NULL. */
static size_t initstack_aux_count(const struct initstack_params *p)
{
	for (size_t i = 0; i < p->extra_auxv_count; i++) {
		if (p->extra_auxv[2 * i] == LINUX_AT_NULL) {
			return 0;
		}
	}
	return INITSTACK_FIXED_AUX + (p->ipcbuf != 0) + p->extra_auxv_count + 1;
}

/**
 * Writes count strings upward from *str_va (advancing it) and their
 * addresses, then NULL, to the vector at vec_va.
 */
static void initstack_put_strings(const struct initstack_out *o, const char *const *s,
				  size_t count, uint64_t *str_va, uint64_t vec_va)
{
	for (size_t i = 0; i < count; i++) {
		size_t n = strlen(s[i]) + 1;

		initstack_put(o, *str_va, s[i], n);
		initstack_put64(o, vec_va + 8 * i, *str_va);
		*str_va += n;
	}
	initstack_put64(o, vec_va + 8 * count, 0);
}

/** splitmix64 step, to expand random_seed into AT_RANDOM's bytes. */
static uint64_t initstack_mix(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/** Writes AT_RANDOM's 16 bytes at va. */
static void initstack_put_random(const struct initstack_out *o, uint64_t va,
				 const struct initstack_params *p)
{
	uint64_t state = p->random_seed;

	if (p->random != NULL) {
		initstack_put(o, va, p->random, 16);
		return;
	}
	initstack_put64(o, va, initstack_mix(&state));
	initstack_put64(o, va + 8, initstack_mix(&state));
}

/** Writes the auxv at va; random_va is where AT_RANDOM's bytes are. */
static void initstack_put_auxv(const struct initstack_out *o, uint64_t va,
			       const struct initstack_params *p, uint64_t random_va)
{
	const uint64_t fixed[INITSTACK_FIXED_AUX][2] = {
		{ LINUX_AT_PHDR, p->phdr },     { LINUX_AT_PHENT, p->phent },
		{ LINUX_AT_PHNUM, p->phnum },   { LINUX_AT_PAGESZ, 4096 },
		{ LINUX_AT_BASE, 0 },           { LINUX_AT_FLAGS, 0 },
		{ LINUX_AT_ENTRY, p->entry },   { LINUX_AT_UID, 0 },
		{ LINUX_AT_EUID, 0 },           { LINUX_AT_GID, 0 },
		{ LINUX_AT_EGID, 0 },           { LINUX_AT_SECURE, 0 },
		{ LINUX_AT_RANDOM, random_va }, { LINUX_AT_HWCAP, 0 },
		{ LINUX_AT_HWCAP2, 0 },         { LINUX_AT_CLKTCK, 100 },
	};

	for (size_t i = 0; i < INITSTACK_FIXED_AUX; i++, va += 16) {
		initstack_put64(o, va, fixed[i][0]);
		initstack_put64(o, va + 8, fixed[i][1]);
	}
	if (p->ipcbuf != 0) {
		initstack_put64(o, va, RIFT_AT_IPCBUF);
		initstack_put64(o, va + 8, p->ipcbuf);
		va += 16;
	}
	for (size_t i = 0; i < p->extra_auxv_count; i++, va += 16) {
		initstack_put64(o, va, p->extra_auxv[2 * i]);
		initstack_put64(o, va + 8, p->extra_auxv[2 * i + 1]);
	}
	initstack_put64(o, va, LINUX_AT_NULL);
	initstack_put64(o, va + 8, 0);
}

/** Builds the initial stack; see rift/initstack.h. */
int initstack_build(void *buf, size_t size, uint64_t stack_top,
		    const struct initstack_params *p, uint64_t *sp)
{
	struct initstack_out o = { buf, stack_top - size };
	size_t strings = 0;
	size_t aux = initstack_aux_count(p);
	uint64_t words;
	uint64_t str_va;
	uint64_t random_va;
	uint64_t vec_va;
	int err;

	if (stack_top % 16 != 0 || stack_top < size) {
		return INITSTACK_E_TOP;
	}
	if (aux == 0) {
		return INITSTACK_E_ARGS;
	}
	/* Bound the counts first: each costs at least a word. */
	if (p->argc > size / 8 || p->envc > size / 8 || aux > size / 16) {
		return INITSTACK_E_NOSPACE;
	}
	err = initstack_strings_size(p->argv, p->argc, size, &strings);
	if (err == INITSTACK_OK) {
		err = initstack_strings_size(p->envp, p->envc, size, &strings);
	}
	if (err != INITSTACK_OK) {
		return err;
	}
	words = 1 + (p->argc + 1) + (p->envc + 1) + 2 * (uint64_t)aux;
	if (8 + strings + 16 + 15 + 8 * words + 15 > stack_top) {
		return INITSTACK_E_NOSPACE; /* would wrap below address 0 */
	}
	str_va = stack_top - 8 - strings;
	random_va = (str_va - 16) & ~15ull;
	vec_va = (random_va - 8 * words) & ~15ull;
	if (stack_top - vec_va > size) {
		return INITSTACK_E_NOSPACE;
	}

	initstack_put64(&o, stack_top - 8, 0);
	initstack_put_random(&o, random_va, p);
	initstack_put64(&o, vec_va, p->argc);
	initstack_put_strings(&o, p->argv, p->argc, &str_va, vec_va + 8);
	initstack_put_strings(&o, p->envp, p->envc, &str_va, vec_va + 8 * (p->argc + 2));
	initstack_put_auxv(&o, vec_va + 8 * (p->argc + p->envc + 3), p, random_va);
	*sp = vec_va;
	return INITSTACK_OK;
}

/** A sentence describing an error code. */
const char *initstack_strerror(int err)
{
	static const char *const msgs[INITSTACK_E_COUNT] = {
		[INITSTACK_OK] = "initial stack built",
		[INITSTACK_E_NOSPACE] = "initial stack does not fit in the buffer",
		[INITSTACK_E_TOP] = "stack top not 16-byte aligned or below the buffer",
		[INITSTACK_E_ARGS] = "NULL argument/environment string or AT_NULL in the extra auxv",
	};

	if (err < 0 || err >= INITSTACK_E_COUNT) {
		return "unknown initial-stack error";
	}
	return msgs[err];
}
