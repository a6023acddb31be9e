/* SPDX-License-Identifier: MIT */
/*
 * System description parsing. Every property is checked (presence, type,
 * range, references between nodes) and every problem is reported with the
 * path of the node and the property at fault.
 */
#include "sysdesc.h"

#include <libfdt.h>
#include <rift/abi.h>
#include <rift/fdt_guard.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

struct sd_ctx {
	const void *fdt;
	struct sysdesc *sd;
	char *err;
	size_t err_size;
};

static int sd_fail(struct sd_ctx *c, int node, const char *fmt, ...)
{
	char path[128] = "/";
	va_list ap;
	int n;

	if (node >= 0 && fdt_get_path(c->fdt, node, path, sizeof(path)) != 0) {
		/* too long (or broken): name the node alone */
		snprintf(path, sizeof(path), ".../%s",
			 fdt_get_name(c->fdt, node, NULL) ?: "?");
	}
	n = snprintf(c->err, c->err_size, "%s: ", path);
	if (n < 0 || (size_t)n >= c->err_size) {
		return -1;
	}
	va_start(ap, fmt);
	vsnprintf(c->err + n, c->err_size - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

/** A NUL-terminated string property, or NULL with an error. */
static const char *sd_string(struct sd_ctx *c, int node, const char *prop,
			     bool required)
{
	int len;
	const char *s = fdt_getprop(c->fdt, node, prop, &len);

	if (!s) {
		if (required) {
			sd_fail(c, node, "missing property '%s'", prop);
		}
		return NULL;
	}
	if (len < 1 || s[len - 1] != '\0' || strlen(s) + 1 != (size_t)len) {
		sd_fail(c, node, "'%s' must be one string", prop);
		return NULL;
	}
	return s;
}

/** A u32 (one cell) or u64 (two cells) property. */
static int sd_number(struct sd_ctx *c, int node, const char *prop,
		     uint64_t *out, bool required, uint64_t def)
{
	int len;
	const fdt32_t *p = fdt_getprop(c->fdt, node, prop, &len);

	if (!p) {
		*out = def;
		return required ? sd_fail(c, node, "missing property '%s'",
					  prop) :
				  0;
	}
	if (len == 4) {
		*out = fdt32_to_cpu(p[0]);
	} else if (len == 8) {
		*out = ((uint64_t)fdt32_to_cpu(p[0]) << 32) |
		       fdt32_to_cpu(p[1]);
	} else {
		return sd_fail(c, node, "'%s' must be 1 or 2 cells", prop);
	}
	return 0;
}

static int sd_range(struct sd_ctx *c, int node, const char *prop,
		    uint64_t *out, uint64_t lo, uint64_t hi, bool required,
		    uint64_t def)
{
	if (sd_number(c, node, prop, out, required, def)) {
		return -1;
	}
	if (!fdt_getprop(c->fdt, node, prop, NULL)) {
		return 0; /* optional and absent: the default stands */
	}
	if (*out < lo || *out > hi) {
		return sd_fail(c, node, "'%s' = %llu is outside [%llu, %llu]",
			       prop, (unsigned long long)*out,
			       (unsigned long long)lo, (unsigned long long)hi);
	}
	return 0;
}

int sysdesc_find_domain(const struct sysdesc *sd, const char *name)
{
	for (uint32_t i = 0; i < sd->domain_count; i++) {
		if (strcmp(sd->domains[i].name, name) == 0) {
			return (int)i;
		}
	}
	return -1;
}

static int sd_args(struct sd_ctx *c, int node, struct sd_domain *d)
{
	int len;
	const char *p = fdt_getprop(c->fdt, node, "args", &len);
	const char *end;

	d->args[0] = d->name;
	d->arg_count = 1;
	if (!p) {
		return 0;
	}
	end = p + len;
	if (len < 1 || p[len - 1] != '\0') {
		return sd_fail(c, node, "'args' must be a list of strings");
	}
	d->arg_count = 0;
	for (; p < end; p += strlen(p) + 1) {
		if (d->arg_count == SD_MAX_ARGS) {
			return sd_fail(c, node, "more than %d args",
				       SD_MAX_ARGS);
		}
		d->args[d->arg_count++] = p;
	}
	return 0;
}

static int sd_restart(struct sd_ctx *c, int node, struct sd_domain *d)
{
	const char *r = sd_string(c, node, "restart", false);
	uint64_t max;

	d->restart = SD_RESTART_NEVER;
	if (r && strcmp(r, "always") == 0) {
		d->restart = SD_RESTART_ALWAYS;
	} else if (r && strcmp(r, "on-fault") == 0) {
		d->restart = SD_RESTART_ON_FAULT;
	} else if (r && strcmp(r, "never") != 0) {
		return sd_fail(c, node, "restart = \"%s\": expected \"never\", "
			       "\"on-fault\" or \"always\"", r);
	} else if (!r && fdt_getprop(c->fdt, node, "restart", NULL)) {
		return -1;
	}
	if (sd_range(c, node, "max-restarts", &max, 0, 1000, false, 3)) {
		return -1;
	}
	d->max_restarts = (uint32_t)max;
	return 0;
}

static int sd_slot(struct sd_ctx *c, int node, const char *prop,
		   uint32_t *out, bool required)
{
	uint64_t v;

	if (sd_range(c, node, prop, &v, required ? SD_SLOT_FIRST : 0,
		     SD_SLOT_LAST, required, 0)) {
		return -1;
	}
	if (v != 0 && v < SD_SLOT_FIRST) {
		return sd_fail(c, node, "'%s' must be in [%d, %d]", prop,
			       SD_SLOT_FIRST, SD_SLOT_LAST);
	}
	*out = (uint32_t)v;
	return 0;
}

static int sd_device(struct sd_ctx *c, int node, struct sd_domain *d)
{
	int len;
	const fdt32_t *reg = fdt_getprop(c->fdt, node, "mmio", &len);
	uint64_t irq;

	if (reg) {
		if (len != 16) {
			return sd_fail(c, node, "'mmio' must be <base-hi "
				       "base-lo size-hi size-lo>");
		}
		d->mmio_base = ((uint64_t)fdt32_to_cpu(reg[0]) << 32) |
			       fdt32_to_cpu(reg[1]);
		d->mmio_size = ((uint64_t)fdt32_to_cpu(reg[2]) << 32) |
			       fdt32_to_cpu(reg[3]);
		if (sd_number(c, node, "mmio-page", &d->mmio_page, false,
			      4096)) {
			return -1;
		}
		if (d->mmio_page != 4096 && d->mmio_page != (2u << 20)) {
			return sd_fail(c, node, "'mmio-page' must be 4 KiB or "
				       "2 MiB");
		}
		if (d->mmio_size == 0 ||
		    ((d->mmio_base | d->mmio_size) & (d->mmio_page - 1)) ||
		    d->mmio_size / d->mmio_page > SD_MAX_MMIO_FRAMES) {
			return sd_fail(c, node, "'mmio' must be aligned to "
				       "'mmio-page', not empty, and at most %d "
				       "pages", SD_MAX_MMIO_FRAMES);
		}
		if (sd_slot(c, node, "mmio-slot", &d->mmio_slot, true)) {
			return -1;
		}
		if (d->mmio_slot + d->mmio_size / d->mmio_page - 1 >
		    SD_SLOT_LAST) {
			return sd_fail(c, node, "mmio frames run past slot %d",
				       SD_SLOT_LAST);
		}
	}
	if (sd_range(c, node, "interrupt", &irq, 32, 1019, false, 0) ||
	    (irq && (sd_slot(c, node, "irq-slot", &d->irq_slot, true) ||
		     sd_slot(c, node, "irq-notification-slot",
			     &d->irq_notif_slot, true)))) {
		return -1;
	}
	d->irq = (uint32_t)irq;
	if (sd_slot(c, node, "irq-control-slot", &d->irq_control_slot, false) ||
	    sd_slot(c, node, "device-slot", &d->device_slot, false) ||
	    sd_slot(c, node, "klog-slot", &d->klog_slot, false)) {
		return -1;
	}
	d->hardware_dtb = fdt_getprop(c->fdt, node, "hardware-dtb", NULL) != NULL;
	d->service = fdt_getprop(c->fdt, node, "service", NULL) != NULL;
	return 0;
}

static int sd_domain(struct sd_ctx *c, int node)
{
	struct sd_domain *d = &c->sd->domains[c->sd->domain_count];
	const char *name = fdt_get_name(c->fdt, node, NULL);
	uint64_t v;

	if (c->sd->domain_count == SD_MAX_DOMAINS) {
		return sd_fail(c, node, "more than %d domains", SD_MAX_DOMAINS);
	}
	if (strlen(name) >= SD_NAME_MAX) {
		return sd_fail(c, node, "name longer than %d", SD_NAME_MAX - 1);
	}
	if (sysdesc_find_domain(c->sd, name) >= 0) {
		return sd_fail(c, node, "duplicate domain name");
	}
	memset(d, 0, sizeof(*d));
	strcpy(d->name, name);
	d->image = sd_string(c, node, "image", true);
	if (!d->image || sd_args(c, node, d) || sd_restart(c, node, d) ||
	    sd_device(c, node, d)) {
		return -1;
	}
	if (sd_range(c, node, "priority", &v, 1, 254, false, 100)) {
		return -1;
	}
	d->priority = (uint32_t)v;
	if (sd_range(c, node, "memory", &d->memory, 1ull << 20, 1ull << 40,
		     true, 0) ||
	    sd_range(c, node, "cap-slots", &v, 128, RIFT_MAX_SLOTS, false, 256)) {
		return -1;
	}
	if (v & (v - 1)) {
		return sd_fail(c, node, "'cap-slots' must be a power of two");
	}
	d->cap_slots = (uint32_t)v;
	c->sd->domain_count++;
	return 0;
}

/** Resolve a domain name and a slot into @peer. */
static int sd_peer(struct sd_ctx *c, int node, const char *name,
		   uint64_t slot, struct sd_peer *peer)
{
	int idx = sysdesc_find_domain(c->sd, name);

	if (idx < 0) {
		return sd_fail(c, node, "no domain named '%s'", name);
	}
	if (slot < SD_SLOT_FIRST || slot > SD_SLOT_LAST) {
		return sd_fail(c, node, "slot %llu for '%s' outside [%d, %d]",
			       (unsigned long long)slot, name, SD_SLOT_FIRST,
			       SD_SLOT_LAST);
	}
	peer->domain = (uint32_t)idx;
	peer->slot = (uint32_t)slot;
	return 0;
}

static int sd_clients(struct sd_ctx *c, int node, struct sd_channel *ch)
{
	int nlen, slen;
	const char *names = fdt_getprop(c->fdt, node, "clients", &nlen);
	const fdt32_t *slots = fdt_getprop(c->fdt, node, "client-slots",
					   &slen);
	const char *p = names;

	if (!names && !slots) {
		return 0; /* a server with no clients yet */
	}
	if (!names || !slots || nlen < 1 || names[nlen - 1] != '\0') {
		return sd_fail(c, node, "needs 'clients' (strings) and "
			       "'client-slots' (cells)");
	}
	for (; p < names + nlen; p += strlen(p) + 1) {
		uint32_t i = ch->client_count;

		if (i == SD_MAX_PEERS || (int)(i + 1) * 4 > slen) {
			return sd_fail(c, node, "more clients than "
				       "client-slots (or over %d)",
				       SD_MAX_PEERS);
		}
		if (sd_peer(c, node, p, fdt32_to_cpu(slots[i]),
			    &ch->clients[i])) {
			return -1;
		}
		ch->client_count++;
	}
	if ((int)ch->client_count * 4 != slen) {
		return sd_fail(c, node, "client-slots has more cells than "
			       "clients");
	}
	return 0;
}

static int sd_channel_type(struct sd_ctx *c, int node, struct sd_channel *ch)
{
	const char *t = sd_string(c, node, "type", true);

	if (!t) {
		return -1;
	}
	if (strcmp(t, "endpoint") == 0) {
		ch->type = SD_CHAN_ENDPOINT;
	} else if (strcmp(t, "notification") == 0) {
		ch->type = SD_CHAN_NOTIFICATION;
	} else if (strcmp(t, "shared-memory") == 0) {
		ch->type = SD_CHAN_SHM;
	} else {
		return sd_fail(c, node, "type = \"%s\": expected \"endpoint\", "
			       "\"notification\" or \"shared-memory\"", t);
	}
	return 0;
}

static int sd_channel(struct sd_ctx *c, int node)
{
	struct sd_channel *ch = &c->sd->channels[c->sd->channel_count];
	const char *server;
	uint64_t slot;

	if (c->sd->channel_count == SD_MAX_CHANNELS) {
		return sd_fail(c, node, "more than %d channels",
			       SD_MAX_CHANNELS);
	}
	memset(ch, 0, sizeof(*ch));
	snprintf(ch->name, sizeof(ch->name), "%s",
		 fdt_get_name(c->fdt, node, NULL));
	server = sd_string(c, node, "server", true);
	if (sd_channel_type(c, node, ch) || !server ||
	    sd_number(c, node, "server-slot", &slot, true, 0) ||
	    sd_peer(c, node, server, slot, &ch->server) ||
	    sd_clients(c, node, ch)) {
		return -1;
	}
	ch->grant = fdt_getprop(c->fdt, node, "grant", NULL) != NULL;
	if (ch->type == SD_CHAN_SHM &&
	    (sd_range(c, node, "size", &ch->size, 4096, 1ull << 30, true, 0) ||
	     sd_range(c, node, "va", &ch->va, SD_SHM_VA_FIRST,
		      SD_SHM_VA_END - ch->size, true, 0))) {
		return -1;
	}
	if (ch->type == SD_CHAN_SHM && ch->size != 4096 &&
	    ch->size != (2u << 20)) {
		return sd_fail(c, node, "'size' must be 4 KiB or 2 MiB");
	}
	if (ch->type == SD_CHAN_SHM && (ch->va & (ch->size - 1))) {
		return sd_fail(c, node, "'va' must be aligned to 'size'");
	}
	c->sd->channel_count++;
	return 0;
}

/** No two capabilities may be placed in the same slot of one domain. */
static int sd_check_slots(struct sd_ctx *c)
{
	uint64_t used[SD_MAX_DOMAINS] = { 0 };

	for (uint32_t i = 0; i < c->sd->domain_count; i++) {
		const struct sd_domain *d = &c->sd->domains[i];
		uint32_t s[6] = { d->mmio_slot, d->irq_slot, d->irq_notif_slot,
				  d->irq_control_slot, d->device_slot,
				  d->klog_slot };

		for (uint64_t f = 1; d->mmio_page && f < d->mmio_size / d->mmio_page;
		     f++) {
			used[i] |= 1ull << (d->mmio_slot + f);
		}
		for (int k = 0; k < 6; k++) {
			if (s[k] && (used[i] & (1ull << s[k]))) {
				return sd_fail(c, -1, "domain %s: slot %u used "
					       "twice", d->name, s[k]);
			}
			used[i] |= s[k] ? 1ull << s[k] : 0;
		}
	}
	for (uint32_t j = 0; j < c->sd->channel_count; j++) {
		const struct sd_channel *ch = &c->sd->channels[j];

		for (uint32_t k = 0; k <= ch->client_count; k++) {
			const struct sd_peer *p = k ? &ch->clients[k - 1] :
						      &ch->server;

			if (used[p->domain] & (1ull << p->slot)) {
				return sd_fail(c, -1, "channel %s: slot %u of "
					       "domain %s used twice", ch->name,
					       p->slot,
					       c->sd->domains[p->domain].name);
			}
			used[p->domain] |= 1ull << p->slot;
		}
	}
	return 0;
}

static int sd_section(struct sd_ctx *c, const char *path,
		      int (*each)(struct sd_ctx *, int))
{
	int parent = fdt_path_offset(c->fdt, path);
	int node;

	if (parent < 0) {
		return 0;
	}
	fdt_for_each_subnode(node, c->fdt, parent) {
		if (each(c, node)) {
			return -1;
		}
	}
	return 0;
}

int sysdesc_parse(const void *blob, size_t size, struct sysdesc *sd,
		  char *err, size_t err_size)
{
	struct sd_ctx c = { blob, sd, err, err_size };
	const char *why = fdt_guard_check(blob, size);
	int e;
	uint64_t v;

	memset(sd, 0, sizeof(*sd));
	if (why) {
		snprintf(err, err_size, "not a valid device tree blob: %s", why);
		return -1;
	}
	e = fdt_check_full(blob, size);
	if (e) {
		snprintf(err, err_size, "corrupt device tree: %s",
			 fdt_strerror(e));
		return -1;
	}
	if (fdt_node_check_compatible(blob, 0, "rift,system") != 0) {
		return sd_fail(&c, 0, "compatible must be \"rift,system\"");
	}
	if (sd_range(&c, 0, "rift,version", &v, 1, 1, true, 0)) {
		return -1;
	}
	sd->version = (uint32_t)v;
	sd->shutdown_when_idle =
		fdt_getprop(blob, 0, "shutdown-when-idle", NULL) != NULL;
	sd->dma_server = sd_string(&c, 0, "dma-server", false);
	if (!sd->dma_server && fdt_getprop(blob, 0, "dma-server", NULL)) {
		return -1; /* present but not one string: sd_string said so */
	}
	if (!sd->dma_server) {
		sd->dma_server = "none";
	}
	if (strcmp(sd->dma_server, "none") != 0) {
		/* smmuv3 and swiotlb are roadmap step 1: refuse, don't pretend. */
		return sd_fail(&c, 0, "dma-server = \"%s\": only \"none\" "
			       "exists in this version", sd->dma_server);
	}
	if (sd_section(&c, "/domains", sd_domain) ||
	    sd_section(&c, "/channels", sd_channel) || sd_check_slots(&c)) {
		return -1;
	}
	if (sd->domain_count == 0) {
		return sd_fail(&c, 0, "no domains under /domains");
	}
	return 0;
}
