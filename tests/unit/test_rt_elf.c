/* SPDX-License-Identifier: MIT */
/*
 * Host tests of the ELF loader's parser (libs/rt/elf_load.c): a valid
 * static executable built here, then one broken copy per rule. Every
 * parse runs on an exact-size heap copy so AddressSanitizer catches any
 * read past the end.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <rift/elf_load.h>

#include "test.h"

#define FILE_SIZE 0x1800
#define TEXT_VA 0x400000ull
#define DATA_VA 0x411000ull
#define ENTRY (TEXT_VA + 0x200)

static uint8_t img_buf[0x4000];

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)v);
	put16(p + 2, (uint16_t)(v >> 16));
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

/** Program header i of img_buf (table at offset 64). */
static uint8_t *phdr(int i)
{
	return img_buf + 64 + 56 * i;
}

static void set_phdr(int i, uint32_t type, uint32_t flags, uint64_t off, uint64_t va,
		     uint64_t filesz, uint64_t memsz, uint64_t align)
{
	uint8_t *p = phdr(i);

	put32(p + 0, type);
	put32(p + 4, flags);
	put64(p + 8, off);
	put64(p + 16, va);
	put64(p + 24, va);
	put64(p + 32, filesz);
	put64(p + 40, memsz);
	put64(p + 48, align);
}

/**
 * A static aarch64 executable like musl's: R+X text (with the headers) at
 * 0x400000, RW data+bss at 0x411000 from file offset 0x1000, GNU_STACK.
 */
static void build_valid(void)
{
	uint8_t *e = img_buf;

	memset(img_buf, 0, sizeof(img_buf));
	memcpy(e, "\x7f" "ELF", 4);
	e[4] = 2; /* ELFCLASS64 */
	e[5] = 1; /* little-endian */
	e[6] = 1; /* EV_CURRENT */
	put16(e + 16, 2);   /* ET_EXEC */
	put16(e + 18, 183); /* EM_AARCH64 */
	put32(e + 20, 1);
	put64(e + 24, ENTRY);
	put64(e + 32, 64); /* phoff */
	put16(e + 52, 64);
	put16(e + 54, 56);
	put16(e + 56, 3);
	set_phdr(0, 1, ELF_PF_R | ELF_PF_X, 0, TEXT_VA, 0x1000, 0x1000, 0x10000);
	set_phdr(1, 1, ELF_PF_R | ELF_PF_W, 0x1000, DATA_VA, 0x800, 0x3000, 0x1000);
	set_phdr(2, 0x6474e551u, ELF_PF_R | ELF_PF_W, 0, 0, 0, 0, 16);
}

static void set_phnum(uint16_t n)
{
	put16(img_buf + 56, n);
}

/** Parses the first size bytes of img_buf from an exact-size copy. */
static int parse_n(size_t size, struct elf_image *img)
{
	uint8_t *copy = malloc(size ? size : 1);
	int err;

	memcpy(copy, img_buf, size);
	err = elf_load_parse(copy, size, img);
	free(copy);
	return err;
}

static int parse(struct elf_image *img)
{
	return parse_n(FILE_SIZE, img);
}

static int parse_err(void)
{
	struct elf_image img;

	return parse(&img);
}

TEST(valid)
{
	struct elf_image img;

	build_valid();
	CHECK_EQ(parse(&img), ELF_LOAD_OK);
	CHECK_EQ(img.entry, ENTRY);
	CHECK_EQ(img.phdr_va, TEXT_VA + 64);
	CHECK_EQ(img.phoff, 64);
	CHECK_EQ(img.phentsize, 56);
	CHECK_EQ(img.phnum, 3);
	CHECK_EQ(img.seg_count, 2);
	CHECK_EQ(img.segs[0].vaddr, TEXT_VA);
	CHECK_EQ(img.segs[0].filesz, 0x1000);
	CHECK_EQ(img.segs[0].flags, ELF_PF_R | ELF_PF_X);
	CHECK_EQ(img.segs[1].vaddr, DATA_VA);
	CHECK_EQ(img.segs[1].offset, 0x1000);
	CHECK_EQ(img.segs[1].filesz, 0x800);
	CHECK_EQ(img.segs[1].memsz, 0x3000);
	CHECK_EQ(img.segs[1].flags, ELF_PF_R | ELF_PF_W);
	CHECK_EQ(img.end, DATA_VA + 0x3000);
}

TEST(every_truncation_rejected)
{
	struct elf_image img;

	build_valid();
	for (size_t n = 0; n < FILE_SIZE; n++) {
		int err = parse_n(n, &img);

		CHECK(err != ELF_LOAD_OK);
		if (n < 64) {
			CHECK_EQ(err, ELF_LOAD_E_TRUNCATED);
		}
	}
}

TEST(bad_ident)
{
	build_valid();
	img_buf[1] = 'e';
	CHECK_EQ(parse_err(), ELF_LOAD_E_MAGIC);
	build_valid();
	img_buf[4] = 1;
	CHECK_EQ(parse_err(), ELF_LOAD_E_CLASS);
	build_valid();
	img_buf[5] = 2;
	CHECK_EQ(parse_err(), ELF_LOAD_E_DATA);
	build_valid();
	img_buf[6] = 0;
	CHECK_EQ(parse_err(), ELF_LOAD_E_VERSION);
	build_valid();
	put32(img_buf + 20, 2);
	CHECK_EQ(parse_err(), ELF_LOAD_E_VERSION);
}

TEST(bad_machine_and_type)
{
	build_valid();
	put16(img_buf + 18, 62); /* x86-64 */
	CHECK_EQ(parse_err(), ELF_LOAD_E_MACHINE);
	build_valid();
	put16(img_buf + 16, 3); /* ET_DYN: PIE */
	CHECK_EQ(parse_err(), ELF_LOAD_E_TYPE);
	build_valid();
	put16(img_buf + 16, 1); /* ET_REL */
	CHECK_EQ(parse_err(), ELF_LOAD_E_TYPE);
}

TEST(bad_header_sizes)
{
	build_valid();
	put16(img_buf + 52, 52);
	CHECK_EQ(parse_err(), ELF_LOAD_E_EHSIZE);
	build_valid();
	put16(img_buf + 54, 32);
	CHECK_EQ(parse_err(), ELF_LOAD_E_PHENTSIZE);
}

TEST(phoff_phnum_overflow)
{
	build_valid();
	set_phnum(0);
	CHECK_EQ(parse_err(), ELF_LOAD_E_PHNUM);
	build_valid();
	set_phnum(ELF_LOAD_MAX_PHDRS + 1);
	CHECK_EQ(parse_err(), ELF_LOAD_E_PHNUM);
	build_valid();
	set_phnum(0xffff); /* PN_XNUM */
	CHECK_EQ(parse_err(), ELF_LOAD_E_PHNUM);
	build_valid();
	put64(img_buf + 32, UINT64_MAX - 55);
	CHECK_EQ(parse_err(), ELF_LOAD_E_PHDRS);
	build_valid();
	put64(img_buf + 32, FILE_SIZE - 56);
	CHECK_EQ(parse_err(), ELF_LOAD_E_PHDRS);
	build_valid();
	put64(img_buf + 32, 68); /* not 8-aligned */
	CHECK_EQ(parse_err(), ELF_LOAD_E_PHDRS);
}

TEST(segment_past_end)
{
	build_valid();
	set_phdr(1, 1, ELF_PF_R | ELF_PF_W, 0x1000, DATA_VA, 0x801, 0x3000, 0x1000);
	CHECK_EQ(parse_err(), ELF_LOAD_E_SEG_FILE);
	build_valid();
	set_phdr(1, 1, ELF_PF_R | ELF_PF_W, UINT64_MAX - 0xfff, DATA_VA, 0x2000, 0x3000, 0);
	CHECK_EQ(parse_err(), ELF_LOAD_E_SEG_FILE);
	build_valid();
	set_phdr(1, 1, ELF_PF_R | ELF_PF_W, 0x2000, DATA_VA, 0, 0x3000, 0x1000);
	CHECK_EQ(parse_err(), ELF_LOAD_E_SEG_FILE); /* offset alone past the end */
}

TEST(memsz_below_filesz)
{
	build_valid();
	set_phdr(1, 1, ELF_PF_R | ELF_PF_W, 0x1000, DATA_VA, 0x800, 0x7ff, 0x1000);
	CHECK_EQ(parse_err(), ELF_LOAD_E_SEG_SIZE);
}

TEST(overlapping_segments)
{
	build_valid();
	set_phdr(1, 1, ELF_PF_R | ELF_PF_W, 0x1000, TEXT_VA + 0x800, 0x800, 0x800, 0);
	CHECK_EQ(parse_err(), ELF_LOAD_E_SEG_OVERLAP); /* bytes overlap */
	build_valid();
	set_phdr(0, 1, ELF_PF_R | ELF_PF_X, 0, TEXT_VA, 0xe00, 0xe00, 0x1000);
	set_phdr(1, 1, ELF_PF_R | ELF_PF_W, 0x1f00, TEXT_VA + 0xf00, 0x100, 0x100, 0);
	put16(img_buf + 56, 2);
	{
		struct elf_image img;

		CHECK_EQ(parse_n(0x2000, &img), ELF_LOAD_E_SEG_OVERLAP); /* share a page */
	}
	build_valid();
	set_phdr(1, 1, ELF_PF_R | ELF_PF_W, 0x1000, TEXT_VA - 0x10000, 0x800, 0x800, 0x1000);
	CHECK_EQ(parse_err(), ELF_LOAD_E_SEG_OVERLAP); /* out of order */
}

TEST(misaligned)
{
	build_valid();
	set_phdr(1, 1, ELF_PF_R | ELF_PF_W, 0x1000, DATA_VA + 0x10, 0x800, 0x3000, 0x1000);
	CHECK_EQ(parse_err(), ELF_LOAD_E_SEG_ALIGN);
	build_valid();
	set_phdr(1, 1, ELF_PF_R | ELF_PF_W, 0x1000, DATA_VA, 0x800, 0x3000, 0x1800);
	CHECK_EQ(parse_err(), ELF_LOAD_E_SEG_ALIGN); /* not a power of two */
}

TEST(address_range)
{
	build_valid();
	set_phdr(1, 1, ELF_PF_R | ELF_PF_W, 0x1000, 1ull << 48, 0x800, 0x3000, 0x1000);
	CHECK_EQ(parse_err(), ELF_LOAD_E_SEG_ADDR);
	build_valid();
	set_phdr(1, 1, ELF_PF_R | ELF_PF_W, 0x1000, (1ull << 48) - 0x1000, 0x800, 0x3000, 0x1000);
	CHECK_EQ(parse_err(), ELF_LOAD_E_SEG_ADDR); /* ends above 2^48 */
	build_valid();
	set_phdr(1, 1, ELF_PF_R | ELF_PF_W, 0x1000, UINT64_MAX - 0xfff, 0x800, 0x3000, 0x1000);
	CHECK_EQ(parse_err(), ELF_LOAD_E_SEG_ADDR); /* wraps */
	build_valid();
	set_phdr(0, 1, ELF_PF_R | ELF_PF_X, 0, 0, 0x1000, 0x1000, 0x1000);
	CHECK_EQ(parse_err(), ELF_LOAD_E_SEG_ADDR); /* the null page */
}

TEST(entry_outside_exec)
{
	build_valid();
	put64(img_buf + 24, DATA_VA + 0x10);
	CHECK_EQ(parse_err(), ELF_LOAD_E_ENTRY); /* in the RW segment */
	build_valid();
	put64(img_buf + 24, TEXT_VA + 0x1000);
	CHECK_EQ(parse_err(), ELF_LOAD_E_ENTRY); /* just past the text */
	build_valid();
	put64(img_buf + 24, 0x10);
	CHECK_EQ(parse_err(), ELF_LOAD_E_ENTRY);
	build_valid();
	put64(img_buf + 24, ENTRY + 2);
	CHECK_EQ(parse_err(), ELF_LOAD_E_ENTRY); /* not an instruction boundary */
}

TEST(write_and_exec)
{
	build_valid();
	set_phdr(1, 1, ELF_PF_R | ELF_PF_W | ELF_PF_X, 0x1000, DATA_VA, 0x800, 0x3000, 0x1000);
	CHECK_EQ(parse_err(), ELF_LOAD_E_SEG_FLAGS);
}

TEST(dynamic_rejected)
{
	build_valid();
	set_phdr(2, 3, ELF_PF_R, 0x100, TEXT_VA + 0x100, 0x20, 0x20, 1); /* PT_INTERP */
	CHECK_EQ(parse_err(), ELF_LOAD_E_DYNAMIC);
	build_valid();
	set_phdr(2, 2, ELF_PF_R | ELF_PF_W, 0x1000, DATA_VA, 0x100, 0x100, 8); /* PT_DYNAMIC */
	CHECK_EQ(parse_err(), ELF_LOAD_E_DYNAMIC);
}

TEST(segment_counts)
{
	build_valid();
	set_phdr(0, 4, ELF_PF_R, 0, TEXT_VA, 0x1000, 0x1000, 4); /* PT_NOTE */
	set_phdr(1, 4, ELF_PF_R, 0, TEXT_VA, 0x10, 0x10, 4);
	CHECK_EQ(parse_err(), ELF_LOAD_E_NO_LOAD);
	build_valid();
	set_phnum(ELF_LOAD_MAX_SEGS + 1);
	for (int i = 0; i <= ELF_LOAD_MAX_SEGS; i++) {
		set_phdr(i, 1, ELF_PF_R | (i == 0 ? ELF_PF_X : 0), 0, TEXT_VA + 0x10000ull * i,
			 0x1000, 0x1000, 0x1000);
	}
	CHECK_EQ(parse_err(), ELF_LOAD_E_TOO_MANY);
}

TEST(phdrs_not_loaded)
{
	build_valid();
	/* Text from offset 0x1000 only: the headers at 64 are not loaded. */
	set_phdr(0, 1, ELF_PF_R | ELF_PF_X, 0x1000, TEXT_VA + 0x1000, 0x400, 0x400, 0x1000);
	set_phdr(1, 1, ELF_PF_R | ELF_PF_W, 0x1400, DATA_VA + 0x400, 0x400, 0x3000, 0x1000);
	put64(img_buf + 24, TEXT_VA + 0x1000);
	CHECK_EQ(parse_err(), ELF_LOAD_E_PHDR_VA);
	build_valid();
	set_phdr(2, 6, ELF_PF_R, 128, TEXT_VA + 128, 56 * 3, 56 * 3, 8); /* PT_PHDR lies */
	CHECK_EQ(parse_err(), ELF_LOAD_E_PHDR_VA);
}

TEST(tls_and_stack)
{
	build_valid();
	set_phdr(2, 7, ELF_PF_R, 0x1000, DATA_VA, 0x40, 0x80, 8); /* PT_TLS, fine */
	CHECK_EQ(parse_err(), ELF_LOAD_OK);
	build_valid();
	set_phdr(2, 7, ELF_PF_R, 0x1000, DATA_VA + 0x10000, 0x40, 0x80, 8);
	CHECK_EQ(parse_err(), ELF_LOAD_E_TLS); /* not in the image */
	build_valid();
	set_phdr(2, 7, ELF_PF_R, FILE_SIZE, DATA_VA, 0x40, 0x80, 8);
	CHECK_EQ(parse_err(), ELF_LOAD_E_TLS); /* not in the file */
	build_valid();
	set_phdr(2, 0x6474e551u, ELF_PF_R | ELF_PF_W | ELF_PF_X, 0, 0, 0, 0, 16);
	CHECK_EQ(parse_err(), ELF_LOAD_E_EXECSTACK);
}

TEST(empty_segment_skipped)
{
	struct elf_image img;

	build_valid();
	set_phdr(2, 1, ELF_PF_R, 0, 0x10000000, 0, 0, 0x1000);
	CHECK_EQ(parse(&img), ELF_LOAD_OK);
	CHECK_EQ(img.seg_count, 2);
}

TEST(strerror_all)
{
	for (int i = 0; i < ELF_LOAD_E_COUNT; i++) {
		const char *s = elf_load_strerror(i);

		CHECK(s != NULL && strlen(s) > 5);
		for (int j = 0; j < i; j++) {
			CHECK(strcmp(s, elf_load_strerror(j)) != 0);
		}
	}
	CHECK(strstr(elf_load_strerror(-1), "unknown") != NULL);
	CHECK(strstr(elf_load_strerror(ELF_LOAD_E_COUNT), "unknown") != NULL);
}

/** Random corruptions of header and program headers never crash or pass bad data. */
TEST(random_corruption)
{
	uint64_t state = 12345;

	for (int round = 0; round < 20000; round++) {
		struct elf_image img;
		int flips = 1 + round % 4;

		build_valid();
		for (int k = 0; k < flips; k++) {
			state = state * 6364136223846793005ull + 1442695040888963407ull;
			img_buf[(state >> 33) % (64 + 56 * 3)] ^= (uint8_t)(1u << ((state >> 29) % 8));
		}
		if (parse(&img) != ELF_LOAD_OK) {
			continue;
		}
		for (uint32_t i = 0; i < img.seg_count; i++) {
			CHECK(img.segs[i].offset + img.segs[i].filesz <= FILE_SIZE);
			CHECK(img.segs[i].filesz <= img.segs[i].memsz);
			CHECK(img.segs[i].vaddr + img.segs[i].memsz <= ELF_LOAD_VA_LIMIT);
		}
	}
}

TEST_MAIN("rt_elf", TEST_ENTRY(valid), TEST_ENTRY(every_truncation_rejected),
	  TEST_ENTRY(bad_ident), TEST_ENTRY(bad_machine_and_type), TEST_ENTRY(bad_header_sizes),
	  TEST_ENTRY(phoff_phnum_overflow), TEST_ENTRY(segment_past_end),
	  TEST_ENTRY(memsz_below_filesz), TEST_ENTRY(overlapping_segments), TEST_ENTRY(misaligned),
	  TEST_ENTRY(address_range), TEST_ENTRY(entry_outside_exec), TEST_ENTRY(write_and_exec),
	  TEST_ENTRY(dynamic_rejected), TEST_ENTRY(segment_counts), TEST_ENTRY(phdrs_not_loaded),
	  TEST_ENTRY(tls_and_stack), TEST_ENTRY(empty_segment_skipped), TEST_ENTRY(strerror_all),
	  TEST_ENTRY(random_corruption))
