/* SPDX-License-Identifier: MIT */
/*
 * Capabilities by name: lookups in the table the supervisor hands every
 * domain (rift/caps.h). Pure string and table code; safe before musl is
 * set up and inside the upcall handler.
 */
#include <rift/caps.h>
#include <rift/rt.h>

static int caps_streq(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

/** The table, or NULL when the domain has none (started by hand). */
const struct rift_cap_table *rt_cap_table(void)
{
	const struct rift_cap_table *t =
		(const void *)(uintptr_t)rt_auxv(RIFT_AT_CAPS);

	if (!t || t->magic != RIFT_CAPS_MAGIC ||
	    t->count > RIFT_CAPS_MAX_ENTRIES) {
		return NULL;
	}
	return t;
}

const struct rift_cap_entry *rt_cap_find_in(const struct rift_cap_table *t,
					    const char *name)
{
	for (uint32_t i = 0; t && name && i < t->count; i++) {
		const struct rift_cap_entry *e = &t->entry[i];

		if (e->kind != RIFT_CAPK_PEER && e->kind != RIFT_CAPK_PEER_PCI &&
		    e->name[RIFT_CAP_NAME_MAX - 1] == '\0' &&
		    caps_streq(e->name, name)) {
			return e;
		}
	}
	return NULL;
}

const struct rift_cap_entry *rt_cap_find(const char *name)
{
	return rt_cap_find_in(rt_cap_table(), name);
}

uint64_t rt_cap(const char *name)
{
	const struct rift_cap_entry *e = rt_cap_find(name);

	return e ? e->slot : 0;
}

const char *rt_domain_name(void)
{
	const struct rift_cap_table *t = rt_cap_table();

	return t && t->domain[RIFT_CAP_NAME_MAX - 1] == '\0' ? t->domain : NULL;
}

/** The PEER entries of channel entry @ch, one by one: @i from 0. */
static const struct rift_cap_entry *
caps_peer(const struct rift_cap_table *t, const struct rift_cap_entry *ch,
	  uint32_t *i)
{
	uint32_t idx = (uint32_t)(ch - t->entry);

	for (; *i < t->count; (*i)++) {
		const struct rift_cap_entry *e = &t->entry[*i];

		if (e->kind == RIFT_CAPK_PEER && e->of == idx &&
		    e->name[RIFT_CAP_NAME_MAX - 1] == '\0') {
			(*i)++;
			return e;
		}
	}
	return NULL;
}

const char *rt_cap_client_name(const char *channel, uint64_t badge)
{
	const struct rift_cap_table *t = rt_cap_table();
	const struct rift_cap_entry *ch = rt_cap_find_in(t, channel), *p;
	uint32_t i = 0;

	while (ch && (p = caps_peer(t, ch, &i)) != NULL) {
		if (p->badge == badge) {
			return p->name;
		}
	}
	return NULL;
}

uint64_t rt_cap_client_badge(const char *channel, const char *client)
{
	const struct rift_cap_table *t = rt_cap_table();
	const struct rift_cap_entry *ch = rt_cap_find_in(t, channel), *p;
	uint32_t i = 0;

	while (ch && (p = caps_peer(t, ch, &i)) != NULL) {
		if (caps_streq(p->name, client)) {
			return p->badge;
		}
	}
	return 0;
}

uint32_t rt_cap_clients(const char *channel, const char **names,
			uint64_t *badges, uint32_t max)
{
	const struct rift_cap_table *t = rt_cap_table();
	const struct rift_cap_entry *ch = rt_cap_find_in(t, channel), *p;
	uint32_t i = 0, n = 0;

	while (ch && (p = caps_peer(t, ch, &i)) != NULL) {
		if (n < max) {
			names[n] = p->name;
			badges[n] = p->badge;
		}
		n++;
	}
	return n;
}

const char *rt_cap_client_attr(const char *channel, uint64_t badge,
			       uint32_t kind, uint32_t index)
{
	const struct rift_cap_table *t = rt_cap_table();
	const struct rift_cap_entry *ch = rt_cap_find_in(t, channel), *p;
	uint32_t i = 0;

	while (ch && (p = caps_peer(t, ch, &i)) != NULL) {
		uint32_t self = (uint32_t)(p - t->entry);

		if (p->badge != badge) {
			continue;
		}
		for (uint32_t k = self + 1; k < t->count; k++) {
			const struct rift_cap_entry *a = &t->entry[k];

			if (a->kind == kind && a->of == self &&
			    a->name[RIFT_CAP_NAME_MAX - 1] == '\0' &&
			    index-- == 0) {
				return a->name;
			}
		}
		return NULL;
	}
	return NULL;
}
