/* SPDX-License-Identifier: MIT */
/*
 * A validating parser of static aarch64 ELF64 executables, for loaders
 * (the kernel loading the supervisor, the supervisor loading the others).
 *
 * Pure functions over a byte buffer: no I/O, no allocation, every field
 * read with explicit little-endian loads and bounds-checked, so any byte
 * string is safe to pass. Reentrant. Built into the kernel as well as
 * librift and host-tested (tests/unit/test_rt_elf.c).
 *
 * What is accepted: ELFCLASS64, little-endian, EM_AARCH64, ET_EXEC with no
 * PT_INTERP / PT_DYNAMIC (static, not PIE); 1..ELF_LOAD_MAX_SEGS PT_LOAD
 * segments in ascending address order that do not share a 4 KiB page, each
 * inside the file, memsz >= filesz, below 2^48 and above the null page,
 * p_align a power of two with vaddr % p_align == offset % p_align, never
 * writable and executable at once; the entry point inside the file-backed
 * part of an executable segment; the program headers inside a loaded
 * segment (the program finds them through AT_PHDR).
 */
#ifndef RIFT_ELF_LOAD_H
#define RIFT_ELF_LOAD_H

#include <stddef.h>
#include <stdint.h>

/** Segment permission flags (ELF p_flags). */
#define ELF_PF_X 0x1u
#define ELF_PF_W 0x2u
#define ELF_PF_R 0x4u

#define ELF_LOAD_MAX_SEGS 8   /**< PT_LOAD segments accepted */
#define ELF_LOAD_MAX_PHDRS 64 /**< program headers accepted */
#define ELF_LOAD_VA_LIMIT (1ull << 48) /**< segments end at or below this */
#define ELF_LOAD_PAGE 4096ull

/** Why a file was refused. */
enum elf_load_error {
	ELF_LOAD_OK = 0,
	ELF_LOAD_E_TRUNCATED,   /**< shorter than the ELF header */
	ELF_LOAD_E_MAGIC,       /**< no \x7fELF */
	ELF_LOAD_E_CLASS,       /**< not ELFCLASS64 */
	ELF_LOAD_E_DATA,        /**< not little-endian */
	ELF_LOAD_E_VERSION,     /**< not EV_CURRENT */
	ELF_LOAD_E_MACHINE,     /**< not EM_AARCH64 */
	ELF_LOAD_E_TYPE,        /**< not ET_EXEC */
	ELF_LOAD_E_EHSIZE,      /**< e_ehsize is not 64 */
	ELF_LOAD_E_PHENTSIZE,   /**< e_phentsize is not 56 */
	ELF_LOAD_E_PHNUM,       /**< no or too many program headers */
	ELF_LOAD_E_PHDRS,       /**< program header table outside the file */
	ELF_LOAD_E_DYNAMIC,     /**< PT_INTERP or PT_DYNAMIC: not static */
	ELF_LOAD_E_SEG_FILE,    /**< segment data outside the file */
	ELF_LOAD_E_SEG_SIZE,    /**< segment memsz < filesz */
	ELF_LOAD_E_SEG_ALIGN,   /**< bad p_align or vaddr/offset not congruent */
	ELF_LOAD_E_SEG_ADDR,    /**< segment in the null page or beyond 2^48 */
	ELF_LOAD_E_SEG_OVERLAP, /**< segments unsorted, overlapping or sharing a page */
	ELF_LOAD_E_SEG_FLAGS,   /**< segment writable and executable */
	ELF_LOAD_E_TOO_MANY,    /**< more than ELF_LOAD_MAX_SEGS PT_LOAD */
	ELF_LOAD_E_NO_LOAD,     /**< no PT_LOAD segment */
	ELF_LOAD_E_ENTRY,       /**< entry not in an executable segment */
	ELF_LOAD_E_PHDR_VA,     /**< program headers not in a loaded segment */
	ELF_LOAD_E_TLS,         /**< PT_TLS outside the file or the image */
	ELF_LOAD_E_EXECSTACK,   /**< PT_GNU_STACK asks for an executable stack */
	ELF_LOAD_E_COUNT
};

/** One PT_LOAD segment: copy filesz bytes from offset to vaddr, zero the rest. */
struct elf_segment {
	uint64_t vaddr;
	uint64_t memsz;
	uint64_t filesz;
	uint64_t offset; /**< in the file */
	uint64_t align;
	uint32_t flags;  /**< ELF_PF_* */
};

/** What a loader needs to know about a valid executable. */
struct elf_image {
	uint64_t entry;
	uint64_t phdr_va;   /**< VA of the program headers once loaded (AT_PHDR) */
	uint64_t phoff;     /**< their offset in the file */
	uint16_t phentsize; /**< AT_PHENT */
	uint16_t phnum;     /**< AT_PHNUM */
	uint32_t seg_count; /**< PT_LOAD segments with memsz > 0, ascending */
	struct elf_segment segs[ELF_LOAD_MAX_SEGS];
	uint64_t end;       /**< highest vaddr + memsz (the program's end) */
};

/**
 * Parses and validates the executable in buf[0..size). Returns ELF_LOAD_OK
 * and fills *img, or an error (then *img is unspecified).
 */
int elf_load_parse(const void *buf, size_t size, struct elf_image *img);

/** A sentence describing an error code (any int is accepted). */
const char *elf_load_strerror(int err);

#endif
