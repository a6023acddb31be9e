/* SPDX-License-Identifier: MIT */
/*
 * System description parsing. Every property is checked (presence, type,
 * range, references between nodes) and every problem is reported with the
 * path of the node and the property at fault.
 */
#include "sysdesc.h"

#include <libfdt.h>
#include <rift/abi.h>
#include <rift/caps.h>
#include <rift/fdt_guard.h>
#include <rift/pci_id.h>
#include <rift/wallclock.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

struct sd_ctx {
	const void *fdt;
	struct sysdesc *sd;
	char *err;
	size_t err_size;
	int dom_node[SD_MAX_DOMAINS];
	int chan_node[SD_MAX_CHANNELS];
};

static int sd_fail(struct sd_ctx *c, int node, const char *fmt, ...)
{
	char path[128] = "/";
	va_list ap;
	int n;

	if (node > 0 && fdt_get_path(c->fdt, node, path, sizeof(path)) != 0) {
		/* too long (or broken): name the node alone */
		const char *name = fdt_get_name(c->fdt, node, NULL);

		if (name && name[0]) {
			snprintf(path, sizeof(path), "/.../%s", name);
		} else {
			snprintf(path, sizeof(path), "/...(node at offset %d)",
				 node);
		}
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

uint32_t sysdesc_default_slots(uint64_t memory)
{
	uint64_t want = memory / 4096 + SD_SLOTS_SPARE;
	uint64_t slots = SD_SLOTS_MIN;

	while (slots < want && slots < RIFT_MAX_SLOTS) {
		slots *= 2;
	}
	return (uint32_t)slots;
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

/** Properties of the numbered form, now refused with what to write. */
static const char *const sd_gone[][2] = {
	{ "mmio-slot", "drop it: the frames are named \"mmio\"" },
	{ "irq-slot", "drop it: the handler is named \"irq\"" },
	{ "irq-notification-slot",
	  "drop it: the notification is named \"irq-notification\"" },
	{ "irq-control-slot", "write 'irq-control;' (or <first count>)" },
	{ "device-slot", "write 'device;' (or its ranges)" },
	{ "klog-slot", "write 'klog;'" },
	{ "server-slot", "drop it: each end is named after the channel" },
	{ "client-slots", "drop it: each end is named after the channel" },
};

static int sd_refuse_slots(struct sd_ctx *c, int node)
{
	for (size_t i = 0; i < sizeof(sd_gone) / sizeof(sd_gone[0]); i++) {
		if (fdt_getprop(c->fdt, node, sd_gone[i][0], NULL)) {
			return sd_fail(c, node, "'%s': slot numbers are chosen "
				       "by the supervisor and capabilities "
				       "found by name (rt_cap()); %s",
				       sd_gone[i][0], sd_gone[i][1]);
		}
	}
	return 0;
}

/** A boolean grant: present and empty. */
static int sd_flag(struct sd_ctx *c, int node, const char *prop, bool *out)
{
	int len;
	const void *p = fdt_getprop(c->fdt, node, prop, &len);

	*out = p != NULL;
	if (p && len != 0) {
		return sd_fail(c, node, "'%s' takes no value", prop);
	}
	return 0;
}

/**
 * device; (all device memory) or device = <base-hi base-lo size-hi
 * size-lo>, ... (only those ranges: one capability per range, carved from
 * the supervisor's with RIFT_SYS_CAP_CARVE).
 */
static int sd_device_ranges(struct sd_ctx *c, int node, struct sd_domain *d)
{
	int len;
	const fdt32_t *p = fdt_getprop(c->fdt, node, "device", &len);

	d->device = p != NULL;
	if (!p || len == 0) {
		return 0;
	}
	if (len % 16 != 0 || len / 16 > SD_MAX_DEVICE_RANGES) {
		return sd_fail(c, node, "'device' must be empty or 1 to %d "
			       "ranges <base-hi base-lo size-hi size-lo>",
			       SD_MAX_DEVICE_RANGES);
	}
	for (int i = 0; i < len / 16; i++, p += 4) {
		uint64_t base = ((uint64_t)fdt32_to_cpu(p[0]) << 32) |
				fdt32_to_cpu(p[1]);
		uint64_t size = ((uint64_t)fdt32_to_cpu(p[2]) << 32) |
				fdt32_to_cpu(p[3]);

		if (size == 0 || ((base | size) & 0xfff) ||
		    base + size < base) {
			return sd_fail(c, node, "'device' range %d must be "
				       "4 KiB aligned, not empty, and not wrap",
				       i);
		}
		d->device_base[i] = base;
		d->device_size[i] = size;
	}
	d->device_ranges = (uint32_t)(len / 16);
	return 0;
}

/** irq-control; (every interrupt) or irq-control = <first count>. */
static int sd_irq_control(struct sd_ctx *c, int node, struct sd_domain *d)
{
	int len;
	const fdt32_t *p = fdt_getprop(c->fdt, node, "irq-control", &len);

	d->irq_control = p != NULL;
	if (!p || len == 0) {
		return 0;
	}
	if (len != 8) {
		return sd_fail(c, node, "'irq-control' must be empty or "
			       "<first-intid count>");
	}
	d->irq_first = fdt32_to_cpu(p[0]);
	d->irq_count = fdt32_to_cpu(p[1]);
	if (d->irq_first < 32 || d->irq_count == 0 ||
	    d->irq_count > 1020 - d->irq_first) {
		return sd_fail(c, node, "'irq-control' = <%u %u>: interrupts "
			       "must lie in [32, 1019]", d->irq_first,
			       d->irq_count);
	}
	return 0;
}

static int sd_device(struct sd_ctx *c, int node, struct sd_domain *d)
{
	int len;
	const fdt32_t *reg = fdt_getprop(c->fdt, node, "mmio", &len);
	uint64_t irq;

	if (sd_refuse_slots(c, node)) {
		return -1;
	}
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
	}
	if (sd_range(c, node, "interrupt", &irq, 32, 1019, false, 0)) {
		return -1;
	}
	d->irq = (uint32_t)irq;
	if (sd_irq_control(c, node, d) || sd_device_ranges(c, node, d) ||
	    sd_flag(c, node, "klog", &d->klog) ||
	    sd_flag(c, node, "dma-control", &d->dma_control)) {
		return -1;
	}
	d->hardware_dtb = fdt_getprop(c->fdt, node, "hardware-dtb", NULL) != NULL;
	d->service = fdt_getprop(c->fdt, node, "service", NULL) != NULL;
	return 0;
}

/**
 * The platform server's grants: `wall-clock-source;` (writes the
 * wall-clock page, at most one domain), `power-events;` (may ask the
 * supervisor for an orderly shutdown), and `vmm;` (runs guests, which the
 * shutdown powers off first).
 */
static int sd_platform_flags(struct sd_ctx *c, int node, struct sd_domain *d)
{
	if (sd_flag(c, node, "wall-clock-source", &d->wall_clock_source) ||
	    sd_flag(c, node, "power-events", &d->power_events) ||
	    sd_flag(c, node, "vmm", &d->vmm)) {
		return -1;
	}
	if (d->wall_clock_source) {
		if (c->sd->wall_clock_source >= 0) {
			return sd_fail(c, node, "'wall-clock-source': domain "
				       "%s is the source already",
				       c->sd->domains[c->sd->wall_clock_source]
					       .name);
		}
		c->sd->wall_clock_source = (int32_t)c->sd->domain_count;
	}
	return 0;
}

/** needs = "a", "b": names the domain's program looks up. */
static int sd_needs(struct sd_ctx *c, int node, struct sd_domain *d)
{
	int len;
	const char *p = fdt_getprop(c->fdt, node, "needs", &len);
	const char *end = p ? p + len : NULL;

	if (!p) {
		return 0;
	}
	if (len < 2 || p[len - 1] != '\0') {
		return sd_fail(c, node, "'needs' must be a list of names");
	}
	for (; p < end; p += strlen(p) + 1) {
		if (d->need_count == SD_MAX_NEEDS) {
			return sd_fail(c, node, "more than %d names in 'needs'",
				       SD_MAX_NEEDS);
		}
		d->needs[d->need_count++] = p;
	}
	return 0;
}

/**
 * The `guest` child of a domain node (docs/system-description.md,
 * "Guests"): which kernel and initramfs from the boot archive, the
 * command line and the guest's memory, RMA and vCPUs. The files are
 * looked up when the domain starts; the Image itself is checked by the
 * VMM, which says what is wrong with it.
 */
static int sd_guest(struct sd_ctx *c, int node, struct sd_domain *d)
{
	struct sd_guest *g = &d->guest;
	int gn = fdt_subnode_offset(c->fdt, node, "guest");
	uint64_t v;

	if (gn < 0) {
		return 0;
	}
	d->has_guest = true;
	d->vmm = true; /* its guest goes first at an orderly shutdown */
	g->kernel = sd_string(c, gn, "kernel", true);
	if (!g->kernel) {
		return -1;
	}
	g->initrd = sd_string(c, gn, "initrd", false);
	g->bootargs = sd_string(c, gn, "bootargs", false);
	if ((!g->initrd && fdt_getprop(c->fdt, gn, "initrd", NULL)) ||
	    (!g->bootargs && fdt_getprop(c->fdt, gn, "bootargs", NULL))) {
		return -1;
	}
	if (g->bootargs && strlen(g->bootargs) >= 2048) {
		return sd_fail(c, gn, "'bootargs' longer than 2047 characters "
			       "(Linux's limit)");
	}
	if (sd_range(c, gn, "memory", &g->memory, 2u << 20, 1ull << 36, false,
		     128u << 20) ||
	    sd_range(c, gn, "rma", &g->rma, 2u << 20, 1ull << 30, false,
		     64u << 20) ||
	    sd_range(c, gn, "cpus", &v, 1, 8, false, 1)) {
		return -1;
	}
	g->cpus = (uint32_t)v;
	if (g->rma & (g->rma - 1)) {
		return sd_fail(c, gn, "'rma' must be a power of two");
	}
	if (g->memory % (2u << 20) || g->memory < g->rma) {
		return sd_fail(c, gn, "'memory' must be a multiple of 2 MiB "
			       "and at least 'rma'");
	}
	if (g->memory >= d->memory) {
		return sd_fail(c, gn, "'memory' (%llu MiB) must be less than "
			       "the domain's memory (%llu MiB), which pays for "
			       "the guest, its files and the VMM",
			       (unsigned long long)(g->memory >> 20),
			       (unsigned long long)(d->memory >> 20));
	}
	return 0;
}

/** pci-devices = "vvvv:dddd" | "bb:dd.f", ...: what it may claim. */
static int sd_pci_devices(struct sd_ctx *c, int node, struct sd_domain *d)
{
	int len;
	const char *p = fdt_getprop(c->fdt, node, "pci-devices", &len);
	const char *end = p ? p + len : NULL;
	uint32_t a, b;

	if (!p) {
		return 0;
	}
	if (len < 2 || p[len - 1] != '\0') {
		return sd_fail(c, node, "'pci-devices' must be a list of "
			       "strings");
	}
	for (; p < end; p += strlen(p) + 1) {
		if (d->pci_device_count == SD_MAX_PCI_DEVICES) {
			return sd_fail(c, node, "more than %d 'pci-devices'",
				       SD_MAX_PCI_DEVICES);
		}
		if (pci_id_parse(p, &a, &b) == PCI_ID_BAD) {
			return sd_fail(c, node, "pci-devices \"%s\": expected "
				       "\"vvvv:dddd\" (vendor:device, hex) or "
				       "\"bb:dd.f\" (bus:device.function)", p);
		}
		d->pci_devices[d->pci_device_count++] = p;
	}
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
	/* The DMA server's image follows dma-server (sd_dma()). */
	d->image = sd_string(c, node, "image",
			     strcmp(name, SD_DMA_DOMAIN) != 0);
	if ((!d->image && fdt_getprop(c->fdt, node, "image", NULL)) ||
	    (!d->image && strcmp(name, SD_DMA_DOMAIN) != 0) ||
	    sd_args(c, node, d) || sd_restart(c, node, d) ||
	    sd_device(c, node, d) || sd_platform_flags(c, node, d) ||
	    sd_needs(c, node, d) || sd_pci_devices(c, node, d)) {
		return -1;
	}
	if (sd_range(c, node, "priority", &v, 1, 254, false, 100)) {
		return -1;
	}
	d->priority = (uint32_t)v;
	if (sd_range(c, node, "memory", &d->memory, 1ull << 20, 1ull << 40,
		     true, 0) ||
	    sd_range(c, node, "cap-slots", &v, 128, RIFT_MAX_SLOTS, false,
		     sysdesc_default_slots(d->memory))) {
		return -1;
	}
	if (v & (v - 1)) {
		return sd_fail(c, node, "'cap-slots' must be a power of two");
	}
	d->cap_slots = (uint32_t)v;
	if (sd_guest(c, node, d)) {
		return -1;
	}
	c->dom_node[c->sd->domain_count] = node;
	c->sd->domain_count++;
	return 0;
}

/** Names the device grants of a domain take (sd_caps()): never a channel's. */
static bool sd_reserved_name(const char *cap)
{
	static const char *const reserved[] = {
		"mmio", "irq", "irq-notification", "irq-control", "device",
		"klog", "dma-control", "wall-clock", "power",
	};

	for (size_t i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++) {
		if (strcmp(cap, reserved[i]) == 0) {
			return true;
		}
	}
	return false;
}

/**
 * Resolve "domain" or "domain:name" into @peer: the capability is named
 * after the channel unless a name follows the colon.
 */
static int sd_peer(struct sd_ctx *c, int node, const char *ref,
		   const char *chname, struct sd_peer *peer)
{
	const char *colon = strchr(ref, ':');
	size_t dlen = colon ? (size_t)(colon - ref) : strlen(ref);
	const char *cap = colon ? colon + 1 : chname;
	char dom[SD_NAME_MAX];
	int idx;

	if (dlen == 0 || dlen >= SD_NAME_MAX) {
		return sd_fail(c, node, "no domain named '%.*s'", (int)dlen,
			       ref);
	}
	memcpy(dom, ref, dlen);
	dom[dlen] = '\0';
	idx = sysdesc_find_domain(c->sd, dom);
	if (idx < 0) {
		return sd_fail(c, node, "no domain named '%s'", dom);
	}
	if (cap[0] == '\0' || strlen(cap) >= SD_NAME_MAX || strchr(cap, ':')) {
		return sd_fail(c, node, "'%s': the capability name after ':' "
			       "must have 1 to %d characters and no ':'", ref,
			       SD_NAME_MAX - 1);
	}
	if (sd_reserved_name(cap)) {
		return sd_fail(c, node, "'%s': the name '%s' is reserved for a "
			       "domain's device grants; name the channel end "
			       "otherwise (\"%s:<name>\")", ref, cap, dom);
	}
	peer->domain = (uint32_t)idx;
	strcpy(peer->cap, cap);
	strcpy(peer->label, dom);
	return 0;
}

static int sd_clients(struct sd_ctx *c, int node, struct sd_channel *ch)
{
	int nlen;
	const char *names = fdt_getprop(c->fdt, node, "clients", &nlen);
	const char *p = names;

	if (!names) {
		return 0; /* a server with no clients yet */
	}
	if (nlen < 2 || names[nlen - 1] != '\0') {
		return sd_fail(c, node, "'clients' must be a list of domain "
			       "names");
	}
	for (; p < names + nlen; p += strlen(p) + 1) {
		uint32_t i = ch->client_count;
		struct sd_peer *peer = &ch->clients[i];

		if (i == SD_MAX_PEERS) {
			return sd_fail(c, node, "more than %d clients",
				       SD_MAX_PEERS);
		}
		if (sd_peer(c, node, p, ch->name, peer)) {
			return -1;
		}
		/* A second end of the same domain: the server knows it as
		 * "domain:name". */
		for (uint32_t k = 0; k < i; k++) {
			if (ch->clients[k].domain == peer->domain) {
				if (strlen(p) >= SD_NAME_MAX) {
					return sd_fail(c, node, "'%s': longer "
						       "than %d", p,
						       SD_NAME_MAX - 1);
				}
				strcpy(peer->label, p);
				break;
			}
		}
		ch->client_count++;
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

	if (c->sd->channel_count == SD_MAX_CHANNELS) {
		return sd_fail(c, node, "more than %d channels",
			       SD_MAX_CHANNELS);
	}
	memset(ch, 0, sizeof(*ch));
	snprintf(ch->name, sizeof(ch->name), "%s",
		 fdt_get_name(c->fdt, node, NULL));
	server = sd_string(c, node, "server", true);
	if (sd_refuse_slots(c, node) || sd_channel_type(c, node, ch) ||
	    !server || sd_peer(c, node, server, ch->name, &ch->server) ||
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
	c->chan_node[c->sd->channel_count] = node;
	c->sd->channel_count++;
	return 0;
}

const struct sd_cap *sysdesc_find_cap(const struct sd_domain *d,
				      const char *name)
{
	for (uint32_t i = 0; i < d->cap_count; i++) {
		if (strcmp(d->caps[i].name, name) == 0) {
			return &d->caps[i];
		}
	}
	return NULL;
}

/** Give domain @di a capability: a unique name and the next free slots. */
static int sd_add_cap(struct sd_ctx *c, int node, uint32_t di,
		      const char *name, uint32_t kind, uint32_t count,
		      int32_t channel, int32_t client)
{
	struct sd_domain *d = &c->sd->domains[di];
	struct sd_cap *cap = &d->caps[d->cap_count];

	if (sysdesc_find_cap(d, name)) {
		return sd_fail(c, node, "domain %s already has a capability "
			       "named '%s' (name this end \"%s:<other>\")",
			       d->name, name, d->name);
	}
	if (d->cap_count == SD_MAX_CAPS ||
	    d->slots_used + count > SD_MAX_CAPS) {
		return sd_fail(c, node, "domain %s: capabilities need more "
			       "than the %d slots there are for them",
			       d->name, SD_MAX_CAPS);
	}
	memset(cap, 0, sizeof(*cap));
	snprintf(cap->name, sizeof(cap->name), "%s", name);
	cap->kind = kind;
	cap->slot = SD_SLOT_FIRST + d->slots_used;
	cap->count = count;
	cap->channel = channel;
	cap->client = client;
	d->slots_used += count;
	d->cap_count++;
	return 0;
}

/** The kinds of a channel's ends (rift/caps.h). */
static uint32_t sd_end_kind(enum sd_channel_type t, bool server)
{
	switch (t) {
	case SD_CHAN_ENDPOINT:
		return server ? RIFT_CAPK_ENDPOINT_SERVER :
				RIFT_CAPK_ENDPOINT_CLIENT;
	case SD_CHAN_NOTIFICATION:
		return server ? RIFT_CAPK_NOTIFY_WAIT : RIFT_CAPK_NOTIFY_SIGNAL;
	default:
		return RIFT_CAPK_SHM;
	}
}

/** Does channel end @cap serve clients listed in the table? */
static const struct sd_channel *sd_served(const struct sysdesc *sd,
					  const struct sd_cap *cap)
{
	const struct sd_channel *ch = cap->channel >= 0 ?
		&sd->channels[cap->channel] : NULL;

	return ch && cap->client < 0 && ch->type != SD_CHAN_SHM ? ch : NULL;
}

/**
 * How many RIFT_CAPK_PEER_PCI entries follow client @k of channel @ch in
 * the table of the server end @cap: its domain's pci-devices, if @cap is
 * the PCI server's end (named SD_PCI_END).
 */
static uint32_t sd_pci_listed(const struct sysdesc *sd,
			      const struct sd_cap *cap,
			      const struct sd_channel *ch, uint32_t k)
{
	if (strcmp(cap->name, SD_PCI_END) != 0 ||
	    ch->type != SD_CHAN_ENDPOINT) {
		return 0;
	}
	return sd->domains[ch->clients[k].domain].pci_device_count;
}

uint32_t sysdesc_cap_entries(const struct sysdesc *sd, uint32_t domain)
{
	const struct sd_domain *d = &sd->domains[domain];
	uint32_t n = d->cap_count;

	for (uint32_t i = 0; i < d->cap_count; i++) {
		const struct sd_channel *ch = sd_served(sd, &d->caps[i]);

		n += ch ? ch->client_count : 0;
		for (uint32_t k = 0; ch && k < ch->client_count; k++) {
			n += sd_pci_listed(sd, &d->caps[i], ch, k);
		}
	}
	return n;
}

int sysdesc_cap_table(const struct sysdesc *sd, uint32_t domain, void *buf,
		      size_t size)
{
	struct rift_cap_table *t = buf;
	const struct sd_domain *d = &sd->domains[domain];
	uint32_t n = sysdesc_cap_entries(sd, domain);

	if (size < sizeof(*t) ||
	    n > (size - sizeof(*t)) / sizeof(struct rift_cap_entry)) {
		return -1;
	}
	memset(buf, 0, size);
	t->magic = RIFT_CAPS_MAGIC;
	snprintf(t->domain, sizeof(t->domain), "%s", d->name);
	for (uint32_t i = 0; i < d->cap_count; i++) {
		const struct sd_cap *cap = &d->caps[i];
		const struct sd_channel *ch = cap->channel >= 0 ?
			&sd->channels[cap->channel] : NULL;
		const struct sd_channel *served = sd_served(sd, cap);
		uint32_t self = t->count;
		struct rift_cap_entry *e = &t->entry[t->count++];

		snprintf(e->name, sizeof(e->name), "%s", cap->name);
		e->kind = cap->kind;
		e->slot = cap->slot;
		e->count = cap->count;
		if (strcmp(cap->name, "wall-clock") == 0 && !ch) {
			e->badge = RIFT_BOOT_WALLCLOCK_VA;
		} else if (strcmp(cap->name, "power") == 0 && !ch) {
			e->badge = SD_POWER_BADGE + domain;
		} else if (ch && ch->type == SD_CHAN_SHM) {
			e->badge = ch->va;
		} else if (ch && cap->client >= 0) {
			e->badge = ch->type == SD_CHAN_NOTIFICATION ?
				1ull << cap->client : (uint64_t)cap->client + 1;
		}
		for (uint32_t k = 0; served && k < served->client_count; k++) {
			struct rift_cap_entry *p = &t->entry[t->count++];

			snprintf(p->name, sizeof(p->name), "%s",
				 served->clients[k].label);
			uint32_t peer = t->count - 1;
			const struct sd_domain *cd =
				&sd->domains[served->clients[k].domain];

			p->kind = RIFT_CAPK_PEER;
			p->of = self;
			p->badge = served->type == SD_CHAN_NOTIFICATION ?
				1ull << k : k + 1;
			for (uint32_t m = 0;
			     m < sd_pci_listed(sd, cap, served, k); m++) {
				struct rift_cap_entry *a =
					&t->entry[t->count++];

				snprintf(a->name, sizeof(a->name), "%s",
					 cd->pci_devices[m]);
				a->kind = RIFT_CAPK_PEER_PCI;
				a->of = peer;
			}
		}
	}
	return (int)t->count;
}

/**
 * Name every capability of every domain and choose its slot: a domain's
 * own device capabilities first, then channel ends in description order.
 * Then check that every name a domain needs is one it gets.
 */
static int sd_assign(struct sd_ctx *c)
{
	struct sysdesc *sd = c->sd;

	for (uint32_t i = 0; i < sd->domain_count; i++) {
		const struct sd_domain *d = &sd->domains[i];
		int n = c->dom_node[i];

		if ((d->mmio_size &&
		     sd_add_cap(c, n, i, "mmio", RIFT_CAPK_MMIO,
				(uint32_t)(d->mmio_size / d->mmio_page), -1,
				-1)) ||
		    (d->irq && (sd_add_cap(c, n, i, "irq", RIFT_CAPK_IRQ, 1,
					   -1, -1) ||
				sd_add_cap(c, n, i, "irq-notification",
					   RIFT_CAPK_IRQ_NOTIFY, 1, -1, -1))) ||
		    (d->irq_control &&
		     sd_add_cap(c, n, i, "irq-control", RIFT_CAPK_IRQ_CONTROL,
				1, -1, -1)) ||
		    (d->device &&
		     sd_add_cap(c, n, i, "device", RIFT_CAPK_DEVICE,
				d->device_ranges ? d->device_ranges : 1, -1,
				-1)) ||
		    (d->klog && sd_add_cap(c, n, i, "klog", RIFT_CAPK_KLOG, 1,
					   -1, -1)) ||
		    (d->dma_control &&
		     sd_add_cap(c, n, i, "dma-control", RIFT_CAPK_DMA_CONTROL,
				1, -1, -1)) ||
		    (d->wall_clock_source &&
		     sd_add_cap(c, n, i, "wall-clock", RIFT_CAPK_SHM, 1, -1,
				-1)) ||
		    (d->power_events &&
		     sd_add_cap(c, n, i, "power", RIFT_CAPK_ENDPOINT_CLIENT, 1,
				-1, -1))) {
			return -1;
		}
	}
	for (uint32_t j = 0; j < sd->channel_count; j++) {
		struct sd_channel *ch = &sd->channels[j];
		int n = c->chan_node[j];

		for (uint32_t k = 0; k <= ch->client_count; k++) {
			struct sd_peer *p = k ? &ch->clients[k - 1] :
						&ch->server;
			struct sd_domain *d = &sd->domains[p->domain];

			if (sd_add_cap(c, n, p->domain, p->cap,
				       sd_end_kind(ch->type, k == 0), 1,
				       (int32_t)j, (int32_t)k - 1)) {
				return -1;
			}
			p->slot = d->caps[d->cap_count - 1].slot;
		}
	}
	for (uint32_t i = 0; i < sd->domain_count; i++) {
		const struct sd_domain *d = &sd->domains[i];
		uint32_t entries = sysdesc_cap_entries(sd, i);

		if (entries > RIFT_CAPS_MAX_ENTRIES) {
			return sd_fail(c, c->dom_node[i], "domain %s: %u "
				       "capabilities and clients of its "
				       "channels, more than the %u its table "
				       "holds", d->name, entries,
				       (unsigned)RIFT_CAPS_MAX_ENTRIES);
		}
		for (uint32_t k = 0; k < d->need_count; k++) {
			char have[160] = "";
			size_t len = 0;

			if (sysdesc_find_cap(d, d->needs[k])) {
				continue;
			}
			for (uint32_t m = 0; m < d->cap_count &&
					     len < sizeof(have); m++) {
				len += (size_t)snprintf(have + len,
							sizeof(have) - len,
							"%s%s", m ? ", " : "",
							d->caps[m].name);
			}
			return sd_fail(c, c->dom_node[i], "domain %s needs a "
				       "capability named '%s', which the "
				       "description does not give it (it "
				       "gets: %s)", d->name, d->needs[k],
				       d->cap_count ? have : "nothing");
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

/**
 * The DMA server: the domain named SD_DMA_DOMAIN runs the image of the
 * selected server ("smmuv3", "swiotlb"), with the swiotlb options of its
 * node as arguments; under "none" it is not started. A server other than
 * "none" needs that domain.
 */
static int sd_dma(struct sd_ctx *c)
{
	struct sysdesc *sd = c->sd;
	int i = sysdesc_find_domain(sd, SD_DMA_DOMAIN);
	struct sd_domain *d = i >= 0 ? &sd->domains[i] : NULL;
	int node = i >= 0 ? c->dom_node[i] : 0;
	bool none = strcmp(sd->dma_server, "none") == 0;

	if (!d) {
		return none ? 0 : sd_fail(c, 0, "dma-server = \"%s\" needs a "
					  "domain named \"%s\" under /domains "
					  "(docs/dma.md)", sd->dma_server,
					  SD_DMA_DOMAIN);
	}
	if (sd_number(c, node, "swiotlb-pool", &sd->swiotlb_pool, false, 0) ||
	    sd_flag(c, node, "swiotlb-force", &sd->swiotlb_force)) {
		return -1;
	}
	d->disabled = none;
	if (none) {
		d->image = d->image ? d->image : "none";
		return 0;
	}
	if (!d->image) {
		d->image = sd->dma_server;
	}
	if (!fdt_getprop(c->fdt, node, "args", NULL)) {
		d->args[0] = sd->dma_server;
		d->arg_count = 1;
		if (strcmp(sd->dma_server, "swiotlb") == 0 && sd->swiotlb_pool) {
			snprintf(sd->dma_args[0], sizeof(sd->dma_args[0]),
				 "pool=%llu",
				 (unsigned long long)sd->swiotlb_pool);
			d->args[d->arg_count++] = sd->dma_args[0];
		}
		if (strcmp(sd->dma_server, "swiotlb") == 0 &&
		    sd->swiotlb_force) {
			snprintf(sd->dma_args[1], sizeof(sd->dma_args[1]),
				 "force");
			d->args[d->arg_count++] = sd->dma_args[1];
		}
	}
	return 0;
}

int sysdesc_parse_dma(const void *blob, size_t size, const char *dma,
		      struct sysdesc *sd, char *err, size_t err_size)
{
	struct sd_ctx c = { .fdt = blob, .sd = sd, .err = err,
			    .err_size = err_size };
	const char *why = fdt_guard_check(blob, size);
	int e;
	uint64_t v;

	memset(sd, 0, sizeof(*sd));
	sd->wall_clock_source = -1;
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
	if (dma) {
		sd->dma_server = dma;
	}
	if (strcmp(sd->dma_server, "none") != 0 &&
	    strcmp(sd->dma_server, "smmuv3") != 0 &&
	    strcmp(sd->dma_server, "swiotlb") != 0) {
		return sd_fail(&c, 0, "dma-server = \"%s\"%s: expected "
			       "\"smmuv3\", \"swiotlb\" or \"none\"",
			       sd->dma_server, dma ? " (rift.dma=)" : "");
	}
	if (sd_section(&c, "/domains", sd_domain) ||
	    sd_section(&c, "/channels", sd_channel) || sd_assign(&c) ||
	    sd_dma(&c)) {
		return -1;
	}
	if (sd->domain_count == 0) {
		return sd_fail(&c, 0, "no domains under /domains");
	}
	return 0;
}

int sysdesc_parse(const void *blob, size_t size, struct sysdesc *sd,
		  char *err, size_t err_size)
{
	return sysdesc_parse_dma(blob, size, NULL, sd, err, err_size);
}
