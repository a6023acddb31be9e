/* SPDX-License-Identifier: MIT */
/*
 * Validating ELF64 parser (see rift/elf_load.h). Shared by the kernel,
 * librift and the host tests: freestanding C, no libc beyond the headers.
 */
#include <stdbool.h>

#include <rift/elf_load.h>

/* ELF64 header: field offsets. */
#define EH_SIZE 64
#define EI_CLASS 4
#define EI_DATA 5
#define EI_VERSION 6
#define EH_TYPE 16
#define EH_MACHINE 18
#define EH_VERSION 20
#define EH_ENTRY 24
#define EH_PHOFF 32
#define EH_EHSIZE 52
#define EH_PHENTSIZE 54
#define EH_PHNUM 56

#define ELFCLASS64 2
#define ELFDATA2LSB 1
#define EV_CURRENT 1
#define ET_EXEC 2
#define EM_AARCH64 183

/* ELF64 program header: size and field offsets. */
#define PH_SIZE 56
#define PH_TYPE 0
#define PH_FLAGS 4
#define PH_OFFSET 8
#define PH_VADDR 16
#define PH_FILESZ 32
#define PH_MEMSZ 40
#define PH_ALIGN 48

#define PT_LOAD 1
#define PT_DYNAMIC 2
#define PT_INTERP 3
#define PT_PHDR 6
#define PT_TLS 7
#define PT_GNU_STACK 0x6474e551u

/** A program header, decoded. */
struct elf_phdr {
	uint32_t type;
	uint32_t flags;
	uint64_t offset;
	uint64_t vaddr;
	uint64_t filesz;
	uint64_t memsz;
	uint64_t align;
};

/** The file being parsed. */
struct elf_file {
	const uint8_t *p;
	size_t size;
};

/** Little-endian loads (bounds are the caller's job). */
static uint16_t elf_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | (p[1] << 8));
}

static uint32_t elf_le32(const uint8_t *p)
{
	return (uint32_t)elf_le16(p) | ((uint32_t)elf_le16(p + 2) << 16);
}

static uint64_t elf_le64(const uint8_t *p)
{
	return (uint64_t)elf_le32(p) | ((uint64_t)elf_le32(p + 4) << 32);
}

/** True if [off, off + len) lies inside the file, without overflow. */
static bool elf_in_file(const struct elf_file *f, uint64_t off, uint64_t len)
{
	return off <= f->size && len <= f->size - off;
}

/** True if v is 0 or a power of two. */
static bool elf_pow2_or_zero(uint64_t v)
{
	return (v & (v - 1)) == 0;
}

static uint64_t elf_page_down(uint64_t v)
{
	return v & ~(ELF_LOAD_PAGE - 1);
}

/** Page-rounded end of [vaddr, vaddr + memsz); memsz already range-checked. */
static uint64_t elf_page_up(uint64_t v)
{
	return (v + ELF_LOAD_PAGE - 1) & ~(ELF_LOAD_PAGE - 1);
}

/** Checks the ELF header; fills entry and the program header table. */
static int elf_check_header(const struct elf_file *f, struct elf_image *img)
{
	const uint8_t *p = f->p;

	if (f->size < EH_SIZE) {
		return ELF_LOAD_E_TRUNCATED;
	}
	if (p[0] != 0x7f || p[1] != 'E' || p[2] != 'L' || p[3] != 'F') {
		return ELF_LOAD_E_MAGIC;
	}
	if (p[EI_CLASS] != ELFCLASS64) {
		return ELF_LOAD_E_CLASS;
	}
	if (p[EI_DATA] != ELFDATA2LSB) {
		return ELF_LOAD_E_DATA;
	}
	if (p[EI_VERSION] != EV_CURRENT || elf_le32(p + EH_VERSION) != EV_CURRENT) {
		return ELF_LOAD_E_VERSION;
	}
	if (elf_le16(p + EH_MACHINE) != EM_AARCH64) {
		return ELF_LOAD_E_MACHINE;
	}
	if (elf_le16(p + EH_TYPE) != ET_EXEC) {
		return ELF_LOAD_E_TYPE;
	}
	if (elf_le16(p + EH_EHSIZE) != EH_SIZE) {
		return ELF_LOAD_E_EHSIZE;
	}
	if (elf_le16(p + EH_PHENTSIZE) != PH_SIZE) {
		return ELF_LOAD_E_PHENTSIZE;
	}
	img->entry = elf_le64(p + EH_ENTRY);
	img->phoff = elf_le64(p + EH_PHOFF);
	img->phentsize = PH_SIZE;
	img->phnum = elf_le16(p + EH_PHNUM);
	if (img->phnum == 0 || img->phnum > ELF_LOAD_MAX_PHDRS) {
		return ELF_LOAD_E_PHNUM;
	}
	/* 8-aligned: the program reads them in place as Elf64_Phdr. */
	if (img->phoff % 8 != 0 || !elf_in_file(f, img->phoff, (uint64_t)img->phnum * PH_SIZE)) {
		return ELF_LOAD_E_PHDRS;
	}
	return ELF_LOAD_OK;
}

/** Decodes program header i (inside the file: checked by elf_check_header). */
static void elf_read_phdr(const struct elf_file *f, const struct elf_image *img, uint32_t i,
			  struct elf_phdr *ph)
{
	const uint8_t *p = f->p + img->phoff + (uint64_t)i * PH_SIZE;

	ph->type = elf_le32(p + PH_TYPE);
	ph->flags = elf_le32(p + PH_FLAGS);
	ph->offset = elf_le64(p + PH_OFFSET);
	ph->vaddr = elf_le64(p + PH_VADDR);
	ph->filesz = elf_le64(p + PH_FILESZ);
	ph->memsz = elf_le64(p + PH_MEMSZ);
	ph->align = elf_le64(p + PH_ALIGN);
}

/** Checks the sizes of a segment-like header: file range, memsz >= filesz. */
static int elf_check_extent(const struct elf_file *f, const struct elf_phdr *ph)
{
	if (!elf_in_file(f, ph->offset, ph->filesz)) {
		return ELF_LOAD_E_SEG_FILE;
	}
	if (ph->memsz < ph->filesz) {
		return ELF_LOAD_E_SEG_SIZE;
	}
	return ELF_LOAD_OK;
}

/** Checks one PT_LOAD on its own. */
static int elf_check_load(const struct elf_file *f, const struct elf_phdr *ph)
{
	int err = elf_check_extent(f, ph);

	if (err != ELF_LOAD_OK) {
		return err;
	}
	if (!elf_pow2_or_zero(ph->align) ||
	    (ph->align > 1 && ph->vaddr % ph->align != ph->offset % ph->align)) {
		return ELF_LOAD_E_SEG_ALIGN;
	}
	if (ph->vaddr < ELF_LOAD_PAGE || ph->vaddr > ELF_LOAD_VA_LIMIT ||
	    ph->memsz > ELF_LOAD_VA_LIMIT - ph->vaddr) {
		return ELF_LOAD_E_SEG_ADDR;
	}
	if ((ph->flags & ELF_PF_W) && (ph->flags & ELF_PF_X)) {
		return ELF_LOAD_E_SEG_FLAGS;
	}
	return ELF_LOAD_OK;
}

/** Appends a checked PT_LOAD, which must start on a page after the last one. */
static int elf_add_load(struct elf_image *img, const struct elf_phdr *ph)
{
	struct elf_segment *s;

	if (ph->memsz == 0) {
		return ELF_LOAD_OK; /* nothing to load */
	}
	if (img->seg_count == ELF_LOAD_MAX_SEGS) {
		return ELF_LOAD_E_TOO_MANY;
	}
	if (img->seg_count > 0 && elf_page_down(ph->vaddr) < elf_page_up(img->end)) {
		return ELF_LOAD_E_SEG_OVERLAP;
	}
	s = &img->segs[img->seg_count++];
	s->vaddr = ph->vaddr;
	s->memsz = ph->memsz;
	s->filesz = ph->filesz;
	s->offset = ph->offset;
	s->align = ph->align;
	s->flags = ph->flags & (ELF_PF_R | ELF_PF_W | ELF_PF_X);
	img->end = ph->vaddr + ph->memsz;
	return ELF_LOAD_OK;
}

/** Index of the loaded segment whose memory holds [va, va + len), or -1. */
static int elf_seg_holding(const struct elf_image *img, uint64_t va, uint64_t len)
{
	for (uint32_t i = 0; i < img->seg_count; i++) {
		const struct elf_segment *s = &img->segs[i];

		if (va >= s->vaddr && va - s->vaddr <= s->memsz && len <= s->memsz - (va - s->vaddr)) {
			return (int)i;
		}
	}
	return -1;
}

/** Checks a PT_TLS: inside the file and its initialised image inside a segment. */
static int elf_check_tls(const struct elf_file *f, const struct elf_image *img,
			 const struct elf_phdr *ph)
{
	if (elf_check_extent(f, ph) != ELF_LOAD_OK || !elf_pow2_or_zero(ph->align) ||
	    elf_seg_holding(img, ph->vaddr, ph->filesz) < 0) {
		return ELF_LOAD_E_TLS;
	}
	return ELF_LOAD_OK;
}

/** First pass: the PT_LOAD segments and the headers that forbid loading. */
static int elf_parse_loads(const struct elf_file *f, struct elf_image *img)
{
	struct elf_phdr ph;
	int err = ELF_LOAD_OK;

	for (uint32_t i = 0; i < img->phnum && err == ELF_LOAD_OK; i++) {
		elf_read_phdr(f, img, i, &ph);
		if (ph.type == PT_INTERP || ph.type == PT_DYNAMIC) {
			err = ELF_LOAD_E_DYNAMIC;
		} else if (ph.type == PT_GNU_STACK && (ph.flags & ELF_PF_X)) {
			err = ELF_LOAD_E_EXECSTACK;
		} else if (ph.type == PT_LOAD) {
			err = elf_check_load(f, &ph);
			if (err == ELF_LOAD_OK) {
				err = elf_add_load(img, &ph);
			}
		}
	}
	if (err == ELF_LOAD_OK && img->seg_count == 0) {
		err = ELF_LOAD_E_NO_LOAD;
	}
	return err;
}

/** Second pass: PT_TLS and PT_PHDR, which must lie in the loaded image. */
static int elf_parse_others(const struct elf_file *f, struct elf_image *img)
{
	struct elf_phdr ph;

	for (uint32_t i = 0; i < img->phnum; i++) {
		elf_read_phdr(f, img, i, &ph);
		if (ph.type == PT_TLS && elf_check_tls(f, img, &ph) != ELF_LOAD_OK) {
			return ELF_LOAD_E_TLS;
		}
		if (ph.type == PT_PHDR && ph.offset != img->phoff) {
			return ELF_LOAD_E_PHDR_VA;
		}
	}
	return ELF_LOAD_OK;
}

/**
 * Finds where the program headers are once loaded: the segment whose file
 * bytes contain the table maps it at the same offset.
 */
static int elf_find_phdr_va(struct elf_image *img)
{
	uint64_t len = (uint64_t)img->phnum * PH_SIZE;

	for (uint32_t i = 0; i < img->seg_count; i++) {
		const struct elf_segment *s = &img->segs[i];

		if (img->phoff >= s->offset && img->phoff - s->offset <= s->filesz &&
		    len <= s->filesz - (img->phoff - s->offset)) {
			img->phdr_va = s->vaddr + (img->phoff - s->offset);
			return ELF_LOAD_OK;
		}
	}
	return ELF_LOAD_E_PHDR_VA;
}

/** Checks that the entry is an instruction in the file part of an X segment. */
static int elf_check_entry(const struct elf_image *img)
{
	if (img->entry % 4 != 0) {
		return ELF_LOAD_E_ENTRY;
	}
	for (uint32_t i = 0; i < img->seg_count; i++) {
		const struct elf_segment *s = &img->segs[i];

		if ((s->flags & ELF_PF_X) && img->entry >= s->vaddr &&
		    img->entry - s->vaddr < s->filesz) {
			return ELF_LOAD_OK;
		}
	}
	return ELF_LOAD_E_ENTRY;
}

/** Parses and validates an executable; see rift/elf_load.h. */
int elf_load_parse(const void *buf, size_t size, struct elf_image *img)
{
	struct elf_file f = { buf, size };
	int err;

	img->seg_count = 0;
	img->end = 0;
	img->phdr_va = 0;
	err = elf_check_header(&f, img);
	if (err == ELF_LOAD_OK) {
		err = elf_parse_loads(&f, img);
	}
	if (err == ELF_LOAD_OK) {
		err = elf_parse_others(&f, img);
	}
	if (err == ELF_LOAD_OK) {
		err = elf_find_phdr_va(img);
	}
	if (err == ELF_LOAD_OK) {
		err = elf_check_entry(img);
	}
	return err;
}

/** A sentence describing an error code. */
const char *elf_load_strerror(int err)
{
	static const char *const msgs[ELF_LOAD_E_COUNT] = {
		[ELF_LOAD_OK] = "valid executable",
		[ELF_LOAD_E_TRUNCATED] = "file shorter than an ELF header",
		[ELF_LOAD_E_MAGIC] = "not an ELF file",
		[ELF_LOAD_E_CLASS] = "not a 64-bit ELF file",
		[ELF_LOAD_E_DATA] = "not a little-endian ELF file",
		[ELF_LOAD_E_VERSION] = "unknown ELF version",
		[ELF_LOAD_E_MACHINE] = "not an aarch64 executable",
		[ELF_LOAD_E_TYPE] = "not a static executable (ET_EXEC); PIE and shared objects are not supported",
		[ELF_LOAD_E_EHSIZE] = "bad ELF header size",
		[ELF_LOAD_E_PHENTSIZE] = "bad program header size",
		[ELF_LOAD_E_PHNUM] = "no or too many program headers",
		[ELF_LOAD_E_PHDRS] = "program header table outside the file or misaligned",
		[ELF_LOAD_E_DYNAMIC] = "dynamically linked (PT_INTERP/PT_DYNAMIC)",
		[ELF_LOAD_E_SEG_FILE] = "segment data outside the file",
		[ELF_LOAD_E_SEG_SIZE] = "segment memory size smaller than its file size",
		[ELF_LOAD_E_SEG_ALIGN] = "segment alignment invalid or address and offset not congruent",
		[ELF_LOAD_E_SEG_ADDR] = "segment in the null page or beyond 2^48",
		[ELF_LOAD_E_SEG_OVERLAP] = "segments out of order, overlapping or sharing a page",
		[ELF_LOAD_E_SEG_FLAGS] = "segment both writable and executable",
		[ELF_LOAD_E_TOO_MANY] = "too many loadable segments",
		[ELF_LOAD_E_NO_LOAD] = "no loadable segment",
		[ELF_LOAD_E_ENTRY] = "entry point not in an executable segment",
		[ELF_LOAD_E_PHDR_VA] = "program headers not inside a loaded segment",
		[ELF_LOAD_E_TLS] = "TLS segment outside the file or the loaded image",
		[ELF_LOAD_E_EXECSTACK] = "executable stack requested",
	};

	if (err < 0 || err >= ELF_LOAD_E_COUNT) {
		return "unknown ELF loader error";
	}
	return msgs[err];
}
