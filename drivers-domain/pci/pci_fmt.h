/* SPDX-License-Identifier: MIT */
/*
 * A tiny bounded text builder with a hex formatter, so the dump and the
 * listing need no printf. snprintf semantics: at most cap - 1 characters
 * and a NUL are stored; the length counts everything that was produced,
 * so a caller can learn the size it needs by passing cap 0.
 */
#ifndef RIFT_PCI_FMT_H
#define RIFT_PCI_FMT_H

#include <stddef.h>
#include <stdint.h>

/** Output position in a caller-provided buffer. */
struct pci_fmt {
	char *buf;  /**< May be NULL when cap is 0. */
	size_t cap; /**< Bytes available in buf, NUL included. */
	size_t len; /**< Characters produced so far (may exceed cap). */
};

/** Starts output into buf[0..cap). */
void pci_fmt_init(struct pci_fmt *f, char *buf, size_t cap);

/** Appends one character. */
void pci_fmt_char(struct pci_fmt *f, char c);

/** Appends a NUL-terminated string. */
void pci_fmt_str(struct pci_fmt *f, const char *s);

/** Appends `v` in lowercase hex, zero-padded to at least `digits`. */
void pci_fmt_hex(struct pci_fmt *f, uint64_t v, unsigned int digits);

/** Appends `v` in decimal. */
void pci_fmt_dec(struct pci_fmt *f, uint64_t v);

/** NUL-terminates (when cap > 0) and returns the length produced. */
size_t pci_fmt_finish(struct pci_fmt *f);

#endif
