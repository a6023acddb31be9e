/* SPDX-License-Identifier: MIT */
/*
 * Bounded text output for the PCI dump and listing (see pci_fmt.h).
 */
#include "pci_fmt.h"

void pci_fmt_init(struct pci_fmt *f, char *buf, size_t cap)
{
	f->buf = buf;
	f->cap = buf == NULL ? 0 : cap;
	f->len = 0;
	if (f->cap != 0) {
		f->buf[0] = '\0';
	}
}

void pci_fmt_char(struct pci_fmt *f, char c)
{
	if (f->len + 1 < f->cap) {
		f->buf[f->len] = c;
	}
	f->len++;
}

void pci_fmt_str(struct pci_fmt *f, const char *s)
{
	while (*s != '\0') {
		pci_fmt_char(f, *s++);
	}
}

void pci_fmt_hex(struct pci_fmt *f, uint64_t v, unsigned int digits)
{
	static const char hex[] = "0123456789abcdef";
	unsigned int n = 1;

	while (n < 16 && (v >> (4 * n)) != 0) {
		n++;
	}
	if (digits > 16) {
		digits = 16;
	}
	if (n < digits) {
		n = digits;
	}
	while (n-- > 0) {
		pci_fmt_char(f, hex[(v >> (4 * n)) & 0xfu]);
	}
}

void pci_fmt_dec(struct pci_fmt *f, uint64_t v)
{
	char tmp[20];
	unsigned int n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10u);
		v /= 10u;
	} while (v != 0);
	while (n-- > 0) {
		pci_fmt_char(f, tmp[n]);
	}
}

size_t pci_fmt_finish(struct pci_fmt *f)
{
	if (f->cap != 0) {
		f->buf[f->len < f->cap ? f->len : f->cap - 1] = '\0';
	}
	return f->len;
}
