/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the system-description parser
 * (drivers-domain/supervisor/sysdesc.c). Built and run by `make fuzz`
 * (tests/unit/dt.mk), seeded with every shipped description.
 *
 * Each input goes to sysdesc_parse() as is (libFuzzer hands over an exactly
 * sized heap copy, so ASan sees reads past it). Then:
 *  - a rejection must leave a terminated, non-empty message that names a
 *    node ("/...") or says the blob is not a (sound) device tree;
 *  - it must not crash or hang: libfdt 1.6.1 does on some blobs, and the
 *    parser's structural check (rift/fdt_guard.h) must keep them away;
 *  - an acceptance must satisfy everything docs and sysdesc.h promise:
 *    counts, ranges, alignment, references, one capability per slot,
 *    unique names, every channel end and every need a named capability;
 *  - the same input with a tiny error buffer (exactly sized, so ASan sees
 *    a write past it) must give the same answer.
 * A broken invariant aborts with a message: libFuzzer saves the input.
 */
#include <libfdt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rift/abi.h>
#include <rift/fdt_guard.h>

#include "sysdesc.h"

static struct sysdesc sd;

static void broken(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz_sysdesc: invariant broken: %s (%s)\n", what,
		detail);
	abort();
}

/** Is @s a NUL-terminated string within [@b, @b + @n)? */
static int in_blob(const char *s, const uint8_t *b, size_t n)
{
	const char *lo = (const char *)b;

	return s >= lo && s < lo + n && memchr(s, '\0', (size_t)(lo + n - s));
}

static int slot_ok(uint32_t s)
{
	return s >= SD_SLOT_FIRST && s <= SD_SLOT_LAST;
}

/** Mark slot @s of domain @d used; a second use is a broken invariant. */
static void use_slot(uint64_t *used, uint32_t s, const char *d)
{
	if (!slot_ok(s)) {
		broken("slot outside [8, 63]", d);
	}
	if (*used & (1ull << s)) {
		broken("slot used twice", d);
	}
	*used |= 1ull << s;
}

static void check_domain(const struct sd_domain *d, const uint8_t *b,
			 size_t n, uint64_t *used)
{
	if (!memchr(d->name, '\0', sizeof(d->name))) {
		broken("domain name not terminated", "");
	}
	/* The DMA server's image may be the literal "none" (not started),
	 * and its arguments the parser's own pool= and force strings. */
	bool dma = strcmp(d->name, SD_DMA_DOMAIN) == 0;

	if (!in_blob(d->image, b, n) &&
	    !(dma && d->disabled && strcmp(d->image, "none") == 0)) {
		broken("image outside the blob", d->name);
	}
	if (d->disabled && !dma) {
		broken("a domain other than dma not started", d->name);
	}
	if (d->arg_count < 1 || d->arg_count > SD_MAX_ARGS) {
		broken("arg count", d->name);
	}
	for (uint32_t i = 0; i < d->arg_count; i++) {
		if (d->args[i] != d->name && !in_blob(d->args[i], b, n) &&
		    !(dma && (d->args[i] == sd.dma_args[0] ||
			      d->args[i] == sd.dma_args[1]))) {
			broken("argument outside the blob", d->name);
		}
	}
	if (d->priority < 1 || d->priority > 254 || d->memory < (1u << 20) ||
	    d->memory > (1ull << 40) || d->cap_slots < 128 ||
	    d->cap_slots > RIFT_MAX_SLOTS || (d->cap_slots & (d->cap_slots - 1)) ||
	    d->restart > SD_RESTART_ALWAYS || d->max_restarts > 1000) {
		broken("domain number out of range", d->name);
	}
	if (d->mmio_size) {
		uint64_t frames = d->mmio_size / d->mmio_page;
		const struct sd_cap *m = sysdesc_find_cap(d, "mmio");

		if ((d->mmio_page != 4096 && d->mmio_page != (2u << 20)) ||
		    ((d->mmio_base | d->mmio_size) & (d->mmio_page - 1)) ||
		    frames > SD_MAX_MMIO_FRAMES || !m || m->count != frames) {
			broken("mmio", d->name);
		}
	} else if (d->mmio_base || sysdesc_find_cap(d, "mmio")) {
		broken("mmio capability without mmio", d->name);
	}
	if (d->irq && (d->irq < 32 || d->irq > 1019 ||
		       !sysdesc_find_cap(d, "irq") ||
		       !sysdesc_find_cap(d, "irq-notification"))) {
		broken("interrupt", d->name);
	}
	if (d->cap_count > SD_MAX_CAPS) {
		broken("capability count", d->name);
	}
	for (uint32_t i = 0; i < d->cap_count; i++) {
		const struct sd_cap *c = &d->caps[i];

		if (!memchr(c->name, '\0', sizeof(c->name)) || !c->name[0] ||
		    c->count == 0 || sysdesc_find_cap(d, c->name) != c) {
			broken("capability name", d->name);
		}
		for (uint32_t k = 0; k < c->count; k++) {
			use_slot(used, c->slot + k, d->name);
		}
	}
	for (uint32_t k = 0; k < d->need_count; k++) {
		if (!in_blob(d->needs[k], b, n) ||
		    !sysdesc_find_cap(d, d->needs[k])) {
			broken("a need not given", d->name);
		}
	}
}

static void check_valid(const uint8_t *b, size_t n)
{
	uint64_t used[SD_MAX_DOMAINS] = { 0 };

	if (sd.version != 1 || sd.domain_count < 1 ||
	    sd.domain_count > SD_MAX_DOMAINS ||
	    sd.channel_count > SD_MAX_CHANNELS) {
		broken("counts", "");
	}
	if (strcmp(sd.dma_server, "none") != 0 &&
	    strcmp(sd.dma_server, "smmuv3") != 0 &&
	    strcmp(sd.dma_server, "swiotlb") != 0) {
		broken("unknown dma-server accepted", sd.dma_server);
	}
	if (strcmp(sd.dma_server, "none") != 0) {
		int k = sysdesc_find_domain(&sd, SD_DMA_DOMAIN);

		if (k < 0 || sd.domains[k].disabled) {
			broken("a DMA server without its domain",
			       sd.dma_server);
		}
	}
	for (uint32_t i = 0; i < sd.domain_count; i++) {
		check_domain(&sd.domains[i], b, n, &used[i]);
		if (sysdesc_find_domain(&sd, sd.domains[i].name) != (int)i) {
			broken("domain names not unique", sd.domains[i].name);
		}
	}
	for (uint32_t j = 0; j < sd.channel_count; j++) {
		const struct sd_channel *c = &sd.channels[j];

		if (!memchr(c->name, '\0', sizeof(c->name)) ||
		    c->type > SD_CHAN_SHM || c->client_count > SD_MAX_PEERS) {
			broken("channel", c->name);
		}
		for (uint32_t k = 0; k <= c->client_count; k++) {
			const struct sd_peer *p = k ? &c->clients[k - 1] :
						      &c->server;

			const struct sd_cap *cap;

			if (p->domain >= sd.domain_count) {
				broken("peer domain out of range", c->name);
			}
			cap = sysdesc_find_cap(&sd.domains[p->domain], p->cap);
			if (!cap || cap->slot != p->slot || cap->channel != (int)j ||
			    cap->client != (int)k - 1) {
				broken("channel end is not its capability",
				       c->name);
			}
		}
		if (c->type == SD_CHAN_SHM &&
		    ((c->size != 4096 && c->size != (2u << 20)) ||
		     (c->va & (c->size - 1)) || c->va < SD_SHM_VA_FIRST ||
		     c->va + c->size > SD_SHM_VA_END)) {
			broken("shared memory size/va", c->name);
		}
	}
}

static int starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}


int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[256];
	size_t small_sizes[] = { 1, 9 };
	int r;

	memset(err, 0x5a, sizeof(err));
	r = sysdesc_parse(data, size, &sd, err, sizeof(err));
	if (r == 0) {
		check_valid(data, size);
	} else if (r != -1) {
		broken("return value", "not 0 or -1");
	} else if (!memchr(err, '\0', sizeof(err)) || err[0] == 0x5a ||
		   err[0] == '\0') {
		broken("rejected without a message", "");
	} else if (err[0] != '/' &&
		   !starts(err, "not a valid device tree blob: ") &&
		   !starts(err, "corrupt device tree: ")) {
		broken("error names no node", err);
	}
	for (size_t i = 0; i < sizeof(small_sizes) / sizeof(small_sizes[0]);
	     i++) {
		char *e = malloc(small_sizes[i]);

		if (sysdesc_parse(data, size, &sd, e, small_sizes[i]) != r) {
			broken("answer depends on the error buffer", "");
		}
		if (r && !memchr(e, '\0', small_sizes[i])) {
			broken("short error not terminated", "");
		}
		free(e);
	}
	return 0;
}
