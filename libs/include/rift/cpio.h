/* SPDX-License-Identifier: MIT */
/*
 * A validating reader of cpio "newc" archives (magic 070701), the format of
 * rift's boot archive.
 *
 * Pure functions over a byte buffer: no allocation, never a read past
 * buf + size, whatever the bytes are. Every header field must be exactly
 * eight hex digits; the name size includes its NUL, which must be the
 * name's only NUL; header+name and data are each padded to 4 bytes from
 * the start of the archive; the archive must end with a "TRAILER!!!"
 * entry (anything after it is ignored: archives are often padded to
 * 512-byte blocks). Shared by the kernel and librift; host-tested
 * (tests/unit/test_rt_cpio.c).
 */
#ifndef RIFT_CPIO_H
#define RIFT_CPIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** Why an archive was refused. */
enum cpio_error {
	CPIO_OK = 0,
	CPIO_E_TRUNCATED,  /**< a header or name runs past the end */
	CPIO_E_MAGIC,      /**< not 070701 */
	CPIO_E_HEX,        /**< a header field is not 8 hex digits */
	CPIO_E_NAME,       /**< name size 0, or the name is not one NUL-terminated string */
	CPIO_E_SIZE,       /**< file data runs past the end */
	CPIO_E_NO_TRAILER, /**< the archive ends without TRAILER!!! */
	CPIO_E_NOT_FOUND,  /**< cpio_find(): no such entry */
	CPIO_E_COUNT
};

/** One archive member; pointers into the archive. */
struct cpio_entry {
	const char *name;    /**< NUL-terminated */
	size_t name_len;     /**< without the NUL */
	const uint8_t *data; /**< file contents */
	size_t size;
	uint32_t mode;       /**< type and permission bits (S_IFREG 0100000 ...) */
	uint32_t ino;
};

/** Iteration state: cpio_iter_init(), then cpio_next() until it is not CPIO_OK. */
struct cpio_iter {
	const uint8_t *buf;
	size_t size;
	size_t pos;  /**< offset of the next header (may pass size by padding) */
	int err;     /**< sticky: an error, or CPIO_E_NOT_FOUND after the trailer */
};

/** Starts iterating over the archive buf[0..size). */
void cpio_iter_init(struct cpio_iter *it, const void *buf, size_t size);

/**
 * Reads the next entry into *e. Returns CPIO_OK with an entry, CPIO_E_NOT_FOUND
 * once the trailer has been reached (the end), or an error. After the end
 * or an error it keeps returning the same code.
 */
int cpio_next(struct cpio_iter *it, struct cpio_entry *e);

/**
 * Finds the entry called name (a leading "./" of either is ignored) and
 * returns its data. Returns CPIO_OK, CPIO_E_NOT_FOUND, or the error met on
 * the way (entries before it must be valid; later ones are not checked).
 */
int cpio_find(const void *buf, size_t size, const char *name, const void **data,
	      size_t *len);

/** Checks the whole archive: every entry and the trailer. */
int cpio_validate(const void *buf, size_t size);

/** A sentence describing an error code (any int is accepted). */
const char *cpio_strerror(int err);

#endif
