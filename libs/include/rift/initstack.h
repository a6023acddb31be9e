/* SPDX-License-Identifier: MIT */
/*
 * Builds the initial stack of a new program exactly as Linux does for
 * aarch64, so musl's _start (behind _rift_start) finds what it expects.
 * The image is written into a caller-provided buffer that will be mapped
 * so that its last byte is just below stack_top. From the returned SP up:
 *
 *   SP ->  argc
 *          argv[0] .. argv[argc-1], NULL
 *          envp[0] .. envp[envc-1], NULL
 *          auxv: (key, value) pairs, AT_NULL last
 *          padding to 16 bytes
 *          AT_RANDOM's 16 bytes (16-aligned)
 *          argument and environment strings
 *          8 zero bytes (end marker)
 *   stack_top
 *
 * SP is 16-byte aligned. auxv holds AT_PHDR, AT_PHENT, AT_PHNUM, AT_PAGESZ,
 * AT_BASE (0), AT_FLAGS (0), AT_ENTRY, AT_UID, AT_EUID, AT_GID, AT_EGID,
 * AT_SECURE (all 0), AT_RANDOM, AT_HWCAP, AT_HWCAP2 (0), AT_CLKTCK (100),
 * RIFT_AT_IPCBUF if ipcbuf != 0, then the caller's extra pairs.
 *
 * Pure and reentrant; all words are stored little-endian byte by byte.
 * Shared by the kernel and librift; host-tested (test_rt_initstack.c).
 */
#ifndef RIFT_INITSTACK_H
#define RIFT_INITSTACK_H

#include <stddef.h>
#include <stdint.h>

/* Linux auxv keys (include/uapi/linux/auxvec.h). */
#define LINUX_AT_NULL 0
#define LINUX_AT_PHDR 3
#define LINUX_AT_PHENT 4
#define LINUX_AT_PHNUM 5
#define LINUX_AT_PAGESZ 6
#define LINUX_AT_BASE 7
#define LINUX_AT_FLAGS 8
#define LINUX_AT_ENTRY 9
#define LINUX_AT_UID 11
#define LINUX_AT_EUID 12
#define LINUX_AT_GID 13
#define LINUX_AT_EGID 14
#define LINUX_AT_HWCAP 16
#define LINUX_AT_CLKTCK 17
#define LINUX_AT_SECURE 23
#define LINUX_AT_RANDOM 25
#define LINUX_AT_HWCAP2 26

/** What goes on the stack. */
struct initstack_params {
	const char *const *argv; /**< argc strings (argv[argc] need not be NULL) */
	size_t argc;
	const char *const *envp; /**< envc strings; may be NULL if envc == 0 */
	size_t envc;
	uint64_t phdr;  /**< AT_PHDR: VA of the program headers (elf_image.phdr_va) */
	uint64_t phent; /**< AT_PHENT */
	uint64_t phnum; /**< AT_PHNUM */
	uint64_t entry; /**< AT_ENTRY */
	uint64_t ipcbuf; /**< RIFT_AT_IPCBUF if non-zero (or pass it in extra_auxv) */
	uint64_t random_seed; /**< AT_RANDOM's bytes are derived from it ... */
	const uint8_t *random; /**< ... unless these 16 bytes are given */
	const uint64_t *extra_auxv; /**< extra (key, value) pairs; keys non-zero */
	size_t extra_auxv_count;    /**< number of pairs */
};

/** Why no stack was built. */
enum initstack_error {
	INITSTACK_OK = 0,
	INITSTACK_E_NOSPACE, /**< the buffer is too small */
	INITSTACK_E_TOP,     /**< stack_top not 16-aligned or below the buffer size */
	INITSTACK_E_ARGS,    /**< a NULL string or an extra auxv key of AT_NULL */
	INITSTACK_E_COUNT
};

/**
 * Writes the initial stack into buf[0..size), which will be mapped at
 * [stack_top - size, stack_top), and returns its SP in *sp. Bytes of buf
 * below SP are left as they are. Returns INITSTACK_OK or an error.
 */
int initstack_build(void *buf, size_t size, uint64_t stack_top,
		    const struct initstack_params *p, uint64_t *sp);

/** A sentence describing an error code (any int is accepted). */
const char *initstack_strerror(int err);

#endif
