/* SPDX-License-Identifier: MIT */
/*
 * The pci.idl request handlers. The generated dispatcher has checked the
 * message; these check the request against the server's state (does the
 * function exist, did this badge claim it, is the access allowed) and
 * then act through pci_owner.c. Each refusal is a typed error reply.
 */
#include "pci.h"

#include <rift/caps.h>
#include <rift/pci_id.h>
#include <rift/rt.h>
#include <stdio.h>
#include <string.h>

#include "pci_internal.h"
#include "pci_policy.h"
#include "pci_srv.h"
#include "pci_topo.h"

/** The server state behind a dispatcher handle. */
static struct pci_srv *pci_handlers_srv(struct pci_server *srv)
{
	return srv->ctx;
}

int pci_handle_list(struct pci_server *srv, uint64_t badge, uint16_t first,
		    uint16_t *total, uint16_t *count,
		    struct pci_dev_id devs[32])
{
	const struct pci_topology *t = &pci_handlers_srv(srv)->topo;
	uint16_t i = pci_topo_next_by_bdf(t, PCI_ENUM_NONE);

	(void)badge;
	*total = t->func_count;
	for (uint16_t pos = 0; i != PCI_ENUM_NONE && *count < 32;
	     i = pci_topo_next_by_bdf(t, i)) {
		const struct pci_func *f = &t->funcs[i];

		if (pos++ < first) {
			continue;
		}
		devs[*count].bdf = f->bdf;
		devs[*count].vendor = f->vendor;
		devs[*count].device = f->device;
		devs[*count].class_code = f->class_code;
		(*count)++;
	}
	return RIFT_OK;
}

/** The interface's bar_attr bits for the core's BAR flags. */
static uint32_t pci_handlers_bar_attr(uint32_t flags)
{
	uint32_t attr = 0;

	attr |= (flags & PCI_BAR_F_IO) ? PCI_BAR_ATTR_IO : 0u;
	attr |= (flags & PCI_BAR_F_64) ? PCI_BAR_ATTR_MEM64 : 0u;
	attr |= (flags & PCI_BAR_F_PREFETCH) ? PCI_BAR_ATTR_PREFETCH : 0u;
	attr |= (flags & PCI_BAR_F_UPPER) ? PCI_BAR_ATTR_UPPER : 0u;
	attr |= (flags & PCI_BAR_F_ASSIGNED) ? PCI_BAR_ATTR_ASSIGNED : 0u;
	return attr;
}

/** Fills the BAR descriptions of `info` from function `f`. */
static void pci_handlers_bars(const struct pci_topology *t,
			      const struct pci_func *f,
			      struct pci_dev_info *info)
{
	for (unsigned int i = 0; i < PCI_ENUM_BAR_COUNT; i++) {
		const struct pci_bar *b = &f->bars[i];
		struct pci_bar_desc *d = &info->bars[i];

		d->size = b->size;
		d->flags = pci_handlers_bar_attr(b->flags);
		if (b->flags & PCI_BAR_F_ASSIGNED) {
			d->bus_addr = b->addr;
			d->cpu_addr = pci_topo_cpu_addr(t, b->kind, b->addr);
		}
	}
}

int pci_handle_info(struct pci_server *srv, uint64_t badge, uint32_t bdf,
		    struct pci_dev_info *info)
{
	struct pci_srv *s = pci_handlers_srv(srv);
	uint16_t idx = pci_owner_find(s, bdf);
	const struct pci_func *f;

	if (idx == PCI_ENUM_NONE) {
		return RIFT_ENOENT;
	}
	f = &s->topo.funcs[idx];
	info->bdf = f->bdf;
	info->vendor = f->vendor;
	info->device = f->device;
	info->class_code = f->class_code;
	info->revision = f->revision;
	info->header_type = f->header_type;
	info->pcie_type = f->pcie_type;
	info->int_pin = f->int_pin;
	info->intid = s->devs[idx].intid;
	info->command = f->command;
	info->claimed = s->devs[idx].owner != 0;
	info->mine = badge != 0 && s->devs[idx].owner == badge;
	pci_handlers_bars(&s->topo, f, info);
	info->cap_count = f->cap_count;
	for (unsigned int i = 0; i < f->cap_count; i++) {
		info->caps[i].id = f->caps[i].id;
		info->caps[i].offset = f->caps[i].offset;
	}
	return RIFT_OK;
}

/** The name the description gives the client of @badge (rift/caps.h). */
static const char *pci_handlers_client(uint64_t badge)
{
	const char *name = rt_cap_client_name(PCI_SRV_CAP_EP, badge);

	return name ? name : "an unnamed client";
}

/**
 * Does the description assign function @idx to the client of @badge (one
 * of its `pci-devices` patterns matches)? Says so when it does not.
 */
static bool pci_handlers_assigned(struct pci_srv *s, uint64_t badge,
				  uint16_t idx)
{
	const struct pci_func *f = &s->topo.funcs[idx];
	const char *pat;
	char what[96];

	for (uint32_t i = 0; (pat = rt_cap_client_attr(PCI_SRV_CAP_EP, badge,
						       RIFT_CAPK_PEER_PCI,
						       i)) != NULL; i++) {
		if (pci_id_match(pat, f->bdf, f->vendor, f->device)) {
			return true;
		}
	}
	/* Said once per client: a client retrying cannot flood the log. */
	if (badge < 64 && !(s->refused_said & (1ull << badge))) {
		s->refused_said |= badge < 64 ? 1ull << badge : 0;
		snprintf(what, sizeof(what), "refused to %s (client %llu): not "
			 "in its pci-devices", pci_handlers_client(badge),
			 (unsigned long long)badge);
		pci_report_func(s, idx, what);
	}
	return false;
}

int pci_handle_claim(struct pci_server *srv, uint64_t badge, uint32_t bdf)
{
	struct pci_srv *s = pci_handlers_srv(srv);
	uint16_t idx = pci_owner_find(s, bdf);
	int err;
	char what[80];

	/* Bridges are refused as bridges by pci_owner_claim(). */
	if (idx != PCI_ENUM_NONE && badge != 0 &&
	    (s->topo.funcs[idx].header_type & PCI_HEADER_LAYOUT_MASK) ==
		    PCI_HEADER_ENDPOINT &&
	    !pci_handlers_assigned(s, badge, idx)) {
		return RIFT_EPERM;
	}
	err = pci_owner_claim(s, badge, bdf);

	if (err == RIFT_OK) {
		snprintf(what, sizeof(what), "claimed by %s (client %llu)",
			 pci_handlers_client(badge), (unsigned long long)badge);
		pci_report_func(s, pci_owner_find(s, bdf), what);
	}
	return err;
}

int pci_handle_release(struct pci_server *srv, uint64_t badge, uint32_t bdf)
{
	struct pci_srv *s = pci_handlers_srv(srv);
	uint16_t idx;
	int err = pci_owner_check(s, badge, bdf, &idx);
	char what[80];

	if (err != RIFT_OK) {
		return err;
	}
	err = pci_owner_release(s, idx);
	snprintf(what, sizeof(what), "released by %s (client %llu)",
		 pci_handlers_client(badge), (unsigned long long)badge);
	pci_report_func(s, idx, what);
	return err;
}

int pci_handle_bar_frame(struct pci_server *srv, uint64_t badge, uint32_t bdf,
			 uint8_t bar_index, uint32_t index, uint32_t *count,
			 uint8_t *order, uint64_t *frame)
{
	struct pci_srv *s = pci_handlers_srv(srv);
	uint16_t idx;
	int err = pci_owner_check(s, badge, bdf, &idx);

	if (err != RIFT_OK) {
		return err;
	}
	return pci_owner_bar_frame(s, idx, bar_index, index, count, order,
				   frame);
}

int pci_handle_irq_attach(struct pci_server *srv, uint64_t badge, uint32_t bdf,
			  uint32_t *intid, uint64_t *irq)
{
	struct pci_srv *s = pci_handlers_srv(srv);
	uint16_t idx;
	int err = pci_owner_check(s, badge, bdf, &idx);

	if (err != RIFT_OK) {
		return err;
	}
	return pci_owner_irq_attach(s, idx, intid, irq);
}

int pci_handle_irq_ack(struct pci_server *srv, uint64_t badge, uint32_t bdf,
		       uint64_t *count)
{
	struct pci_srv *s = pci_handlers_srv(srv);
	uint16_t idx;
	int err = pci_owner_check(s, badge, bdf, &idx);

	if (err != RIFT_OK) {
		return err;
	}
	return pci_owner_irq_ack(s, idx, count);
}

/** Decode a config access: only the claimer, only a valid offset/width. */
static int pci_handlers_config_decode(struct pci_srv *s, uint64_t badge,
				      uint32_t bdf, uint16_t offset,
				      uint8_t width, uint16_t *idx)
{
	int err = pci_owner_check(s, badge, bdf, idx);

	if (err != RIFT_OK) {
		return err;
	}
	return pci_policy_access_ok(offset, width) ? RIFT_OK : RIFT_EINVAL;
}

int pci_handle_config_read(struct pci_server *srv, uint64_t badge,
			   uint32_t bdf, uint16_t offset, uint8_t width,
			   uint32_t *value)
{
	struct pci_srv *s = pci_handlers_srv(srv);
	uint16_t idx;
	int err = pci_handlers_config_decode(s, badge, bdf, offset, width,
					     &idx);

	if (err != RIFT_OK) {
		return err;
	}
	*value = pci_cfg_read(&s->ecam, bdf, offset, width);
	return RIFT_OK;
}

int pci_handle_config_write(struct pci_server *srv, uint64_t badge,
			    uint32_t bdf, uint16_t offset, uint8_t width,
			    uint32_t value)
{
	struct pci_srv *s = pci_handlers_srv(srv);
	uint16_t idx;
	int err = pci_handlers_config_decode(s, badge, bdf, offset, width,
					     &idx);

	if (err != RIFT_OK) {
		return err;
	}
	if (width < 4 && (value >> (8u * width)) != 0) {
		return RIFT_ERANGE;
	}
	if (!pci_policy_config_write(offset, width, &value,
				     s->topo.funcs[idx].command)) {
		return RIFT_EPERM;
	}
	pci_cfg_write(&s->ecam, bdf, offset, width, value);
	return RIFT_OK;
}

/** Is @badge the DMA server (the client the description names "dma")? */
static bool pci_handlers_is_dma(const struct pci_srv *s, uint64_t badge)
{
	return badge != 0 && badge == s->dma_badge;
}

int pci_handle_dma_owner(struct pci_server *srv, uint64_t badge, uint32_t bdf,
			 uint8_t *owner, uint16_t *owner_len,
			 uint32_t *requester_id)
{
	struct pci_srv *s = pci_handlers_srv(srv);
	uint16_t idx = pci_owner_find(s, bdf);
	const char *name;
	size_t len;

	if (!pci_handlers_is_dma(s, badge)) {
		return RIFT_EPERM;
	}
	if (idx == PCI_ENUM_NONE) {
		return RIFT_ENOENT;
	}
	if (s->devs[idx].owner == 0) {
		return RIFT_EBUSY;
	}
	name = pci_handlers_client(s->devs[idx].owner);
	len = strlen(name);
	if (len > PCI_DMA_OWNER_OWNER_MAX) {
		len = PCI_DMA_OWNER_OWNER_MAX;
	}
	memcpy(owner, name, len);
	*owner_len = (uint16_t)len;
	*requester_id = pci_owner_requester_id(s, idx);
	return RIFT_OK;
}

int pci_handle_bus_master(struct pci_server *srv, uint64_t badge, uint32_t bdf,
			  bool on)
{
	struct pci_srv *s = pci_handlers_srv(srv);
	uint16_t idx = pci_owner_find(s, bdf);
	char what[80];

	if (!pci_handlers_is_dma(s, badge)) {
		return RIFT_EPERM;
	}
	if (idx == PCI_ENUM_NONE) {
		return RIFT_ENOENT;
	}
	if (s->devs[idx].owner == 0) {
		return RIFT_EBUSY;
	}
	if (pci_enum_set_master(&s->ecam, &s->topo, idx, on) != PCI_ENUM_OK) {
		return RIFT_EIO;
	}
	snprintf(what, sizeof(what), "bus mastering %s for %s (asked by the "
		 "DMA server)", on ? "on" : "off",
		 pci_handlers_client(s->devs[idx].owner));
	pci_report_func(s, idx, what);
	return RIFT_OK;
}
