/* SPDX-License-Identifier: MIT */
/* The arm64 Image header check (vm_image.h). */
#include "vm_image.h"

static uint64_t le64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--) {
		v = v << 8 | p[i];
	}
	return v;
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

/**
 * An EFI-stub kernel has a PE/COFF header at the offset in bytes 60..63.
 * Its section table says how long the file must be: a truncated copy
 * (a short download, a cut file) ends before its last section does.
 * Returns 1 if checked, 0 if there is no PE header, -1 if truncated.
 */
static int check_pe(const uint8_t *file, size_t size, uint64_t *end)
{
	uint32_t pe = le32(file + 60);
	uint16_t nsec, optsz;
	uint64_t sect;

	if (pe == 0 || pe > size || size - pe < 24 ||
	    le32(file + pe) != 0x00004550u) { /* "PE\0\0" */
		return 0;
	}
	nsec = le16(file + pe + 6);
	optsz = le16(file + pe + 20);
	sect = (uint64_t)pe + 24 + optsz;
	*end = 0;
	for (uint16_t i = 0; i < nsec; i++) {
		const uint8_t *s = file + sect + 40ull * i;
		uint64_t raw_end;

		if (sect + 40ull * (i + 1) > size) {
			return -1; /* the section table itself is cut */
		}
		raw_end = (uint64_t)le32(s + 20) + le32(s + 16);
		if (raw_end > *end) {
			*end = raw_end;
		}
	}
	return *end > size ? -1 : 1;
}

int vm_image_check(const uint8_t *file, size_t size,
		   struct vm_image_info *info)
{
	uint64_t pe_end = 0;
	int pe;

	if (size < VM_IMAGE_HEADER_SIZE) {
		return VM_IMAGE_SHORT;
	}
	if (le32(file + 56) != VM_IMAGE_MAGIC) {
		return VM_IMAGE_MAGIC_BAD;
	}
	info->text_offset = le64(file + 8);
	info->image_size = le64(file + 16);
	info->flags = le64(file + 24);
	info->file_size = size;
	if (info->image_size == 0) {
		/* Kernels before 3.17: text_offset 0x80000, size unknown. */
		info->text_offset = 0x80000;
		info->image_size = size;
	}
	if (info->flags & 1) {
		return VM_IMAGE_BIG_ENDIAN;
	}
	if (info->text_offset & 0xfff || info->text_offset >= VM_IMAGE_ALIGN) {
		return VM_IMAGE_TEXT_OFFSET;
	}
	pe = check_pe(file, size, &pe_end);
	info->has_pe = pe != 0;
	if (pe < 0) {
		return VM_IMAGE_TRUNCATED;
	}
	/* Without a signature, the code in the file is covered by
	 * image_size; with one (a signed EFI image), the PE sections are. */
	if (info->image_size < (pe > 0 ? pe_end : size)) {
		return VM_IMAGE_SIZE_BAD;
	}
	return VM_IMAGE_OK;
}

const char *vm_image_strerror(int err)
{
	switch (err) {
	case VM_IMAGE_OK:
		return "ok";
	case VM_IMAGE_SHORT:
		return "shorter than the 64-byte arm64 Image header "
		       "(truncated, or not a kernel)";
	case VM_IMAGE_MAGIC_BAD:
		return "not an arm64 Linux Image (no \"ARM\\x64\" magic at "
		       "offset 56; a compressed vmlinuz must be unpacked "
		       "first)";
	case VM_IMAGE_BIG_ENDIAN:
		return "a big-endian kernel (Image flags bit 0): guests are "
		       "little-endian";
	case VM_IMAGE_TEXT_OFFSET:
		return "bad text_offset in the Image header (must be 4 KiB "
		       "aligned and below 2 MiB)";
	case VM_IMAGE_SIZE_BAD:
		return "image_size in the Image header is smaller than the "
		       "kernel's code";
	case VM_IMAGE_TRUNCATED:
		return "truncated: the file ends before the kernel's last "
		       "section (its EFI header says it is longer)";
	case VM_IMAGE_TOO_BIG:
		return "the kernel does not fit the guest's memory";
	default:
		return "unknown Image error";
	}
}
