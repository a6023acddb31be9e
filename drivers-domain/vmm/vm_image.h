/* SPDX-License-Identifier: MIT */
/*
 * The arm64 Linux `Image` header (Documentation/arm64/booting.rst): what
 * the VMM checks before it loads a kernel. Pure: no I/O, every field read
 * little-endian from bytes, so it runs and is tested on any host.
 */
#ifndef VM_IMAGE_H
#define VM_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#define VM_IMAGE_HEADER_SIZE 64
#define VM_IMAGE_MAGIC 0x644d5241u /* "ARM\x64", little-endian, at 56 */
#define VM_IMAGE_ALIGN 0x200000ull /* load base: 2 MiB aligned */

/** What the header says, once checked. */
struct vm_image_info {
	uint64_t text_offset; /**< load offset from a 2 MiB-aligned base */
	uint64_t image_size;  /**< bytes the kernel occupies, bss included */
	uint64_t flags;       /**< bit 0 big-endian, 1-2 page size, 3 placement */
	uint64_t file_size;
	int has_pe;           /**< an EFI stub's PE header was found and checked */
};

enum vm_image_err {
	VM_IMAGE_OK = 0,
	VM_IMAGE_SHORT,      /**< smaller than the 64-byte header */
	VM_IMAGE_MAGIC_BAD,  /**< no "ARM\x64" at offset 56 */
	VM_IMAGE_BIG_ENDIAN, /**< flags bit 0: a big-endian kernel */
	VM_IMAGE_TEXT_OFFSET, /**< text_offset not 4 KiB aligned or >= 2 MiB */
	VM_IMAGE_SIZE_BAD,   /**< image_size smaller than the file's code */
	VM_IMAGE_TRUNCATED,  /**< the PE sections reach past the end of file */
	VM_IMAGE_TOO_BIG,    /**< does not fit the guest's memory */
};

/** Checks @size bytes at @file; fills @info. Returns enum vm_image_err. */
int vm_image_check(const uint8_t *file, size_t size,
		   struct vm_image_info *info);

/** A sentence for @err (enum vm_image_err). */
const char *vm_image_strerror(int err);

#endif
