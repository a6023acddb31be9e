/* SPDX-License-Identifier: MIT */
/*
 * dma.idl for the swiotlb server. Every handler first decides who may do
 * what (decode), then acts (invoke); a refused request changes nothing.
 * Mappings belong to the badge that made them: another caller's handle is
 * "no such mapping" (RIFT_ENOENT), never a hint that it exists.
 */
#include <stdio.h>
#include <string.h>

#include <rift/msg.h>
#include <rift/rt.h>
#include <rift/syscall.h>

#include "dma.h"
#include "pci.h"
#include "swiotlb.h"

#define SW_LOG_REFUSALS 32 /* then only counted: no floods */

static const char *sw_who(uint64_t badge)
{
	const char *n = rt_cap_client_name("dma", badge);

	return n ? n : "?";
}

/** Logs a refusal (the first SW_LOG_REFUSALS) and returns @err. */
static int sw_refuse(uint64_t badge, const char *what, int err)
{
	if (sw.refused < SW_LOG_REFUSALS) {
		printf("swiotlb: %s refused for %s: %s\n", what, sw_who(badge),
		       rift_strerror(err));
	} else if (sw.refused == SW_LOG_REFUSALS) {
		printf("swiotlb: more refusals: counted, not logged\n");
	}
	sw.refused++;
	return err;
}

/**
 * The attach authority, in one place: did the caller claim @bdf from the
 * PCI server? The PCI server names the claimer (pci.idl dma_owner, which
 * it answers only to its client named "dma"); it must be the domain this
 * server knows behind @badge.
 */
static int sw_claim_check(uint64_t badge, uint32_t bdf)
{
	const char *who = rt_cap_client_name("dma", badge);
	uint8_t owner[PCI_DMA_OWNER_OWNER_MAX];
	uint16_t len = 0;
	uint32_t rid = 0;
	int err;

	if (!who) {
		return RIFT_EPERM;
	}
	err = pci_dma_owner(&sw.pci, bdf, owner, &len, &rid);
	if (err != RIFT_OK || len != strlen(who) ||
	    memcmp(owner, who, len) != 0) {
		return RIFT_EPERM;
	}
	return RIFT_OK;
}

static struct sw_dev *sw_dev_of(uint64_t badge, uint32_t bdf)
{
	for (int i = 0; i < SW_MAX_DEVS; i++) {
		if (sw.devs[i].used && sw.devs[i].bdf == bdf &&
		    sw.devs[i].badge == badge) {
			return &sw.devs[i];
		}
	}
	return NULL;
}

static bool sw_attached_by_anyone(uint32_t bdf)
{
	for (int i = 0; i < SW_MAX_DEVS; i++) {
		if (sw.devs[i].used && sw.devs[i].bdf == bdf) {
			return true;
		}
	}
	return false;
}

static struct sw_dev *sw_dev_free(void)
{
	for (int i = 0; i < SW_MAX_DEVS; i++) {
		if (!sw.devs[i].used) {
			return &sw.devs[i];
		}
	}
	return NULL;
}

/** Notification for @d and its read-only copy; 0 or an error. */
static int sw_events(struct sw_dev *d)
{
	d->events = rt_slot_alloc();
	d->events_ro = rt_slot_alloc();
	if (d->events && d->events_ro &&
	    rift_notification_create(d->events) == 0 &&
	    rift_cap_copy(d->events, 0, d->events_ro, RIFT_RIGHT_READ, 0) == 0) {
		return RIFT_OK;
	}
	if (d->events) {
		rift_cap_delete(d->events);
		rt_slot_free(d->events);
	}
	if (d->events_ro) {
		rt_slot_free(d->events_ro);
	}
	return RIFT_ENOMEM;
}

int dma_handle_attach(struct dma_server *srv, uint64_t badge, uint32_t bdf,
		      uint8_t dma_bits, uint64_t *window_base,
		      uint64_t *window_size, uint64_t *events)
{
	uint64_t limit = sw_limit(dma_bits);
	struct sw_dev *d;

	(void)srv;
	if (dma_bits < 12 || dma_bits > 64) {
		return sw_refuse(badge, "attach (dma_bits)", RIFT_EINVAL);
	}
	if (sw_claim_check(badge, bdf) != RIFT_OK) {
		return sw_refuse(badge, "attach (device not claimed by caller)",
				 RIFT_EPERM);
	}
	if (sw_attached_by_anyone(bdf)) {
		return sw_refuse(badge, "attach (attached already)", RIFT_EBUSY);
	}
	if (!swp_reachable(&sw.pool, limit)) {
		printf("swiotlb: attach %02x:%02x.%u by %s: no reachable "
		       "memory: the device drives %u address bits (below "
		       "0x%llx) and the bounce pool lies at 0x%llx-0x%llx\n",
		       bdf >> 8, (bdf >> 3) & 31, bdf & 7, sw_who(badge),
		       dma_bits, (unsigned long long)limit,
		       (unsigned long long)swp_lowest(&sw.pool),
		       (unsigned long long)swp_highest(&sw.pool));
		return RIFT_ENOMEM;
	}
	d = sw_dev_free();
	if (!d || sw_events(d) != RIFT_OK) {
		return sw_refuse(badge, "attach (no room)", RIFT_ENOMEM);
	}
	/* Only now may the device master the bus: it has somewhere to go. */
	if (pci_bus_master(&sw.pci, bdf, true) != RIFT_OK) {
		rift_cap_delete(d->events);
		rt_slot_free(d->events);
		rt_slot_free(d->events_ro);
		return sw_refuse(badge, "attach (bus mastering refused)",
				 RIFT_EPERM);
	}
	d->used = true;
	d->bdf = bdf;
	d->badge = badge;
	d->dma_bits = dma_bits;
	*window_base = sw.force ? swp_lowest(&sw.pool) : 0;
	*window_size = sw.force ? swp_highest(&sw.pool) - *window_base
		       : limit ? limit
			       : ~0ull;
	*events = d->events_ro;
	printf("swiotlb: %02x:%02x.%u attached by %s (%u-bit DMA%s)\n",
	       bdf >> 8, (bdf >> 3) & 31, bdf & 7, sw_who(badge), dma_bits,
	       sw.force ? ", bounced" : "");
	return RIFT_OK;
}

/** Maps the caller's frame of @m and copies between it and the pool. */
static int sw_bounce_copy(struct sw_map *m, uint64_t off, uint64_t len,
			  bool to_pool)
{
	uint64_t flags = RIFT_MAP_READ | (to_pool ? 0 : RIFT_MAP_WRITE);
	volatile uint8_t *cpu, *pool;

	/*
	 * Mapped only for the copy: a caller that deletes its frame while
	 * a mapping exists makes the next copy fail cleanly here (the
	 * server runs above its clients, so nothing of theirs runs during
	 * the copy itself).
	 */
	uint64_t va = m->frame_size == SWP_PAGE	 ? SW_COPY_VA_4K
		      : m->frame_size == (2ull << 20) ? SW_COPY_VA_2M
						      : SW_COPY_VA_1G;
	long kerr = rift_map(0, m->frame, va, flags);

	if (kerr != 0) {
		printf("swiotlb: map for copy: %s\n", rift_strerror(kerr));
		return RIFT_EPERM;
	}
	cpu = (volatile uint8_t *)(uintptr_t)va + m->offset + off;
	pool = (volatile uint8_t *)(uintptr_t)swp_va(&sw.pool, m->page) +
	       (m->offset & (SWP_PAGE - 1)) + off;
	if (to_pool) {
		sw_copy(pool, cpu, len);
	} else {
		sw_copy(cpu, pool, len);
	}
	rift_unmap(m->frame);
	sw.bytes_copied += len;
	return RIFT_OK;
}

static struct sw_map *sw_map_free(uint32_t *index)
{
	for (uint32_t i = 0; i < SW_MAPS; i++) {
		if (!sw.maps[i].used) {
			*index = i;
			return &sw.maps[i];
		}
	}
	return NULL;
}

/** Zeroes the pool bytes of @m's pages that the caller's bytes do not cover. */
static void sw_bounce_clear(struct sw_map *m)
{
	volatile uint8_t *p = (volatile uint8_t *)(uintptr_t)swp_va(&sw.pool,
								    m->page);
	uint64_t head = m->offset & (SWP_PAGE - 1);
	uint64_t tail = head + m->length, all = (uint64_t)m->pages * SWP_PAGE;

	for (uint64_t i = 0; i < head; i++) {
		p[i] = 0;
	}
	for (uint64_t i = tail; i < all; i++) {
		p[i] = 0;
	}
}

/** Bounces @m: pool pages below the device's limit, the data copied in. */
static int sw_map_bounce(struct sw_map *m, uint8_t dma_bits)
{
	uint64_t head = m->offset & (SWP_PAGE - 1);
	uint32_t pages = (uint32_t)((head + m->length + SWP_PAGE - 1) / SWP_PAGE);

	if (swp_alloc(&sw.pool, pages, sw_limit(dma_bits), &m->page) != 0) {
		return RIFT_ENOMEM; /* full: nothing mapped, retry later */
	}
	m->pages = pages;
	m->bounce = true;
	m->dev_addr = swp_pa(&sw.pool, m->page) + head;
	sw_bounce_clear(m); /* no earlier mapping's bytes reach this device */
	if (sw_bounce_copy(m, 0, m->length, true) != RIFT_OK) {
		swp_free(&sw.pool, m->page, m->pages);
		return RIFT_EPERM;
	}
	return RIFT_OK;
}

/**
 * Decode half of map: everything about the request that can be refused
 * before anything is taken. 0, or the refusal (logged).
 */
static int sw_map_check(uint64_t badge, const struct sw_dev *d, uint64_t frame,
			uint64_t offset, uint32_t length, uint8_t dir)
{
	struct rift_cap_info ci;
	uint64_t size;

	if (!d) {
		return sw_refuse(badge, "map (device not attached by caller)",
				 RIFT_EPERM);
	}
	if (length == 0 || dir < DMA_DIR_TO_DEVICE ||
	    dir > DMA_DIR_BIDIRECTIONAL || rift_cap_info(frame, &ci) != 0 ||
	    ci.type != RIFT_CAP_FRAME_T || ci.size_order > 18) {
		return sw_refuse(badge, "map (bad length, frame or dir)",
				 RIFT_EINVAL);
	}
	size = 4096ull << ci.size_order;
	if (offset >= size || size - offset < length) {
		return sw_refuse(badge, "map (range outside the frame)",
				 RIFT_EINVAL);
	}
	if (dir != DMA_DIR_TO_DEVICE && !(ci.rights & RIFT_RIGHT_WRITE)) {
		return sw_refuse(badge, "map (the device would write a "
				 "read-only frame)", RIFT_EPERM);
	}
	if (badge >= SW_MAX_BADGE ||
	    sw.client_maps[badge] >= SW_MAPS_PER_CLIENT) {
		return sw_refuse(badge, "map (the client's mappings are at "
				 "their limit)", RIFT_ENOMEM);
	}
	return RIFT_OK;
}

/** Uses @m's memory in place: the pin stays, the frame copy goes. */
static int sw_map_in_place(struct sw_map *m, uint64_t pa)
{
	if (m->frame_size > SW_PIN_BYTES_PER_CLIENT -
				    sw.client_pinned[m->badge]) {
		return RIFT_ENOMEM;
	}
	sw.client_pinned[m->badge] += m->frame_size;
	m->dev_addr = pa + m->offset;
	m->frame = 0; /* the loop deletes the received capability */
	sw.n_direct++;
	return RIFT_OK;
}

int dma_handle_map(struct dma_server *srv, uint64_t badge, uint32_t bdf,
		   uint64_t frame, uint64_t offset, uint32_t length, uint8_t dir,
		   uint64_t *dev_addr, uint32_t *handle)
{
	struct sw_dev *d = sw_dev_of(badge, bdf);
	uint64_t pin, pa = 0, size = 0;
	struct sw_map *m;
	uint32_t index = 0;
	long kerr;
	int err = sw_map_check(badge, d, frame, offset, length, dir);

	(void)srv;
	if (err != RIFT_OK) {
		return err;
	}
	m = sw_map_free(&index);
	pin = m ? rt_slot_alloc() : 0;
	if (!pin) {
		return sw_refuse(badge, "map (mapping table full)", RIFT_ENOMEM);
	}
	/*
	 * Pinning proves the frame is RAM and tells where it is; the pin is
	 * charged to this server's quota for the frame's size.
	 */
	kerr = rift_dma_pin(sw.dmactl, frame, pin, &pa, &size);
	if (kerr != 0) {
		rt_slot_free(pin);
		if (kerr == RIFT_KENOMEM || kerr == RIFT_KELIMIT) {
			return sw_refuse(badge, "map (the server's quota cannot "
					 "pin more: unmap first)", RIFT_ENOMEM);
		}
		return sw_refuse(badge, "map (not RAM the caller holds)",
				 RIFT_EPERM);
	}
	*m = (struct sw_map){ .dir = dir, .bdf = bdf, .badge = badge,
			      .frame = frame, .pin = pin, .frame_size = size,
			      .offset = offset, .length = length,
			      .gen = m->gen + 1 };
	if (sw_needs_bounce(pa + offset, length, d->dma_bits, sw.force)) {
		err = sw_map_bounce(m, d->dma_bits);
		rift_cap_delete(pin); /* the device never sees this memory */
		rt_slot_free(pin);
		m->pin = 0;
		if (err != RIFT_OK) {
			return sw_refuse(badge, err == RIFT_ENOMEM
					 ? "map (bounce pool full)"
					 : "map (frame gone)", err);
		}
		sw.took_cap = true; /* keep the frame for the copies */
		sw.n_bounce++;
	} else if (sw_map_in_place(m, pa) != RIFT_OK) {
		rift_cap_delete(pin);
		rt_slot_free(pin);
		return sw_refuse(badge, "map (the client's pinned memory is at "
				 "its limit)", RIFT_ENOMEM);
	}
	m->used = true;
	sw.client_maps[badge]++;
	*dev_addr = m->dev_addr;
	*handle = sw_handle(index, m->gen);
	return RIFT_OK;
}

/** The caller's mapping @handle, or NULL. */
static struct sw_map *sw_map_of(uint64_t badge, uint32_t handle)
{
	uint32_t i = sw_handle_index(handle);
	struct sw_map *m = i < SW_MAPS ? &sw.maps[i] : NULL;

	if (!m || !m->used || m->badge != badge ||
	    (m->gen & 0xfffffu) != sw_handle_gen(handle)) {
		return NULL;
	}
	return m;
}

/** Drops @m: pool pages, the frame copy or the pin. */
static void sw_map_drop(struct sw_map *m)
{
	if (m->bounce) {
		swp_free(&sw.pool, m->page, m->pages);
	}
	if (m->frame) {
		rift_cap_delete(m->frame);
		rt_slot_free(m->frame);
	}
	if (m->pin) {
		rift_cap_delete(m->pin);
		rt_slot_free(m->pin);
		sw.client_pinned[m->badge] -= m->frame_size;
	}
	m->used = false;
	m->frame = m->pin = 0;
	sw.client_maps[m->badge]--;
}

int dma_handle_unmap(struct dma_server *srv, uint64_t badge, uint32_t handle)
{
	struct sw_map *m = sw_map_of(badge, handle);

	(void)srv;
	if (!m) {
		return sw_refuse(badge, "unmap (no such mapping)", RIFT_ENOENT);
	}
	if (m->bounce && m->dir != DMA_DIR_TO_DEVICE) {
		/* A frame deleted meanwhile has nowhere to receive the data. */
		(void)sw_bounce_copy(m, 0, m->length, false);
	}
	sw_map_drop(m);
	return RIFT_OK;
}

static int sw_sync(uint64_t badge, uint32_t handle, uint32_t offset,
		   uint32_t length, bool for_device)
{
	struct sw_map *m = sw_map_of(badge, handle);

	if (!m) {
		return sw_refuse(badge, "sync (no such mapping)", RIFT_ENOENT);
	}
	if (offset > m->length || m->length - offset < length) {
		return sw_refuse(badge, "sync (range outside the mapping)",
				 RIFT_EINVAL);
	}
	if (!m->bounce || length == 0) {
		return RIFT_OK; /* RAM is coherent with DMA here */
	}
	if (!for_device && m->dir == DMA_DIR_TO_DEVICE) {
		return RIFT_OK; /* the device may not write it: nothing back */
	}
	return sw_bounce_copy(m, offset, length, for_device);
}

int dma_handle_sync_for_device(struct dma_server *srv, uint64_t badge,
			       uint32_t handle, uint32_t offset, uint32_t length)
{
	(void)srv;
	return sw_sync(badge, handle, offset, length, true);
}

int dma_handle_sync_for_cpu(struct dma_server *srv, uint64_t badge,
			    uint32_t handle, uint32_t offset, uint32_t length)
{
	(void)srv;
	return sw_sync(badge, handle, offset, length, false);
}

void sw_unmap_all(uint64_t badge, uint32_t bdf)
{
	for (uint32_t i = 0; i < SW_MAPS; i++) {
		if (sw.maps[i].used && sw.maps[i].badge == badge &&
		    sw.maps[i].bdf == bdf) {
			sw_map_drop(&sw.maps[i]);
		}
	}
}

int dma_handle_detach(struct dma_server *srv, uint64_t badge, uint32_t bdf)
{
	struct sw_dev *d = sw_dev_of(badge, bdf);

	(void)srv;
	if (!d) {
		return sw_refuse(badge, "detach (not attached by caller)",
				 RIFT_EPERM);
	}
	/*
	 * Without an IOMMU only the device's bus mastering stops its DMA:
	 * off first, then the pins and the bounce pages go.
	 */
	if (pci_bus_master(&sw.pci, bdf, false) != RIFT_OK) {
		printf("swiotlb: %02x:%02x.%u: bus mastering could not be "
		       "turned off\n", bdf >> 8, (bdf >> 3) & 31, bdf & 7);
	}
	sw_unmap_all(badge, bdf);
	rift_cap_delete(d->events); /* revokes the driver's copy too */
	rt_slot_free(d->events);
	rt_slot_free(d->events_ro);
	d->used = false;
	printf("swiotlb: %02x:%02x.%u detached by %s\n", bdf >> 8,
	       (bdf >> 3) & 31, bdf & 7, sw_who(badge));
	return RIFT_OK;
}

int dma_handle_limits(struct dma_server *srv, uint64_t badge, uint32_t bdf,
		      uint8_t *dma_bits, uint8_t *server_bits)
{
	struct sw_dev *d = sw_dev_of(badge, bdf);
	uint64_t hi = swp_highest(&sw.pool);
	uint8_t bits = 0;

	(void)srv;
	if (!d) {
		return RIFT_EPERM;
	}
	while (bits < 64 && (hi - 1) >> bits) {
		bits++;
	}
	*dma_bits = d->dma_bits;
	*server_bits = sw.force ? bits : d->dma_bits;
	return RIFT_OK;
}

int dma_handle_faults(struct dma_server *srv, uint64_t badge, uint16_t *count,
		      struct dma_fault list[8], uint32_t *dropped)
{
	(void)srv;
	(void)badge;
	(void)list;
	*count = 0; /* no IOMMU: nothing observes a device's faults */
	*dropped = 0;
	return RIFT_OK;
}
