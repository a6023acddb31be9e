/* SPDX-License-Identifier: MIT */
/*
 * The dma.idl handlers of the SMMUv3 server. Each checks the request
 * against the server's state first (who is calling, did it claim and
 * attach the device, is the frame RAM it holds with the rights the
 * direction needs) and refuses with a typed error; only then does it
 * change tables, always completing the invalidation (CMD_SYNC) before it
 * lets go of anything the device could still reach.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <rift/abi.h>
#include <rift/rt.h>
#include <rift/syscall.h>

#include "pci.h"
#include "smmu_srv.h"

_Static_assert((int)SMMU_REASON_TRANSLATION == (int)DMA_REASON_TRANSLATION &&
		       (int)SMMU_REASON_PERMISSION == (int)DMA_REASON_PERMISSION &&
		       (int)SMMU_REASON_ADDRESS_SIZE ==
			       (int)DMA_REASON_ADDRESS_SIZE &&
		       (int)SMMU_REASON_NOT_ATTACHED ==
			       (int)DMA_REASON_NOT_ATTACHED &&
		       (int)SMMU_REASON_OTHER == (int)DMA_REASON_OTHER,
	       "smmu_hw.h reasons must be dma.idl's");

/** Unmaps before a TLBI of the whole ASID instead of page by page. */
#define SMMU_TLBI_PAGES_MAX 16

static struct smmu_srv *srv_of(struct dma_server *srv)
{
	return srv->ctx;
}

/**
 * Prints a line a client's request caused (attach, detach, refusals),
 * rate limited so a client looping on requests cannot flood the console;
 * how many were left out is said with the next line.
 */
static __attribute__((format(printf, 2, 3))) void
smmu_say(struct smmu_srv *s, const char *fmt, ...)
{
	va_list ap;

	if (!smmu_log_may(&s->say)) {
		return;
	}
	if (s->say.suppressed) {
		printf("smmuv3: (%u lines about requests not printed)\n",
		       s->say.suppressed);
		s->say.suppressed = 0;
	}
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}

const char *smmu_dma_client(uint64_t badge)
{
	const char *name = rt_cap_client_name(SMMU_CAP_EP, badge);

	return name ? name : "?";
}

/** A caller the description named, other than the server's own end. */
static bool smmu_dma_caller_ok(const struct smmu_srv *s, uint64_t badge)
{
	return badge != 0 && badge < SMMU_MAX_CLIENTS &&
	       badge != s->self_badge &&
	       rt_cap_client_name(SMMU_CAP_EP, badge) != NULL;
}

struct smmu_dev *smmu_dma_dev_by_sid(struct smmu_srv *s, uint32_t sid)
{
	for (uint32_t i = 0; i < SMMU_MAX_DEVS; i++) {
		if (s->devs[i].used && s->devs[i].sid == sid) {
			return &s->devs[i];
		}
	}
	return NULL;
}

/** The device @bdf attached by @badge: RIFT_OK and *dev, or an error. */
static int smmu_dma_mine(struct smmu_srv *s, uint64_t badge, uint32_t bdf,
			 struct smmu_dev **dev)
{
	for (uint32_t i = 0; i < SMMU_MAX_DEVS; i++) {
		if (s->devs[i].used && s->devs[i].bdf == bdf) {
			if (s->devs[i].owner != badge) {
				return RIFT_EPERM;
			}
			*dev = &s->devs[i];
			return RIFT_OK;
		}
	}
	return RIFT_EPERM;
}

void smmu_dma_notify(struct smmu_srv *s, uint64_t badge)
{
	if (s->clients[badge].signal) {
		rift_signal(s->clients[badge].signal);
	}
}

/** The client's fault notification, made on first use. */
static int smmu_dma_client_ntfn(struct smmu_srv *s, uint64_t badge)
{
	struct smmu_client *c = &s->clients[badge];
	long err = RIFT_KENOMEM;

	if (c->ntfn) {
		return RIFT_OK;
	}
	c->ntfn = rt_slot_alloc();
	c->signal = rt_slot_alloc();
	c->ntfn_ro = rt_slot_alloc();
	if (c->ntfn && c->signal && c->ntfn_ro) {
		err = rift_notification_create(c->ntfn);
	}
	if (!err) {
		err = rift_cap_copy(c->ntfn, 0, c->signal, RIFT_RIGHT_WRITE, 1);
	}
	if (!err) {
		err = rift_cap_copy(c->ntfn, 0, c->ntfn_ro, RIFT_RIGHT_READ, 0);
	}
	if (err) {
		uint64_t *slots[3] = { &c->ntfn_ro, &c->signal, &c->ntfn };

		for (int i = 0; i < 3; i++) {
			if (*slots[i]) {
				rift_cap_delete(*slots[i]);
				rt_slot_free(*slots[i]);
				*slots[i] = 0;
			}
		}
		return RIFT_ENOMEM;
	}
	return RIFT_OK;
}

/** Asks the PCI server who claimed @bdf; checks it is the caller. */
static int smmu_dma_claimed_by(struct smmu_srv *s, uint64_t badge,
			       uint32_t bdf, uint32_t *rid)
{
	uint8_t owner[PCI_DMA_OWNER_OWNER_MAX + 1];
	uint16_t len = 0;
	const char *me = smmu_dma_client(badge);
	int err = pci_dma_owner(&s->pci, bdf, owner, &len, rid);

	if (err == RIFT_EBUSY || err == RIFT_ENOENT) {
		smmu_say(s, "smmuv3: attach of %02x:%02x.%x by %s refused: "
			 "%s\n", bdf >> 8, (bdf >> 3) & 0x1f, bdf & 7, me,
			 err == RIFT_EBUSY ? "nobody claimed it from the "
			 "PCI server" : "no such device");
		return err == RIFT_EBUSY ? RIFT_EPERM : RIFT_ENOENT;
	}
	if (err != RIFT_OK) {
		printf("smmuv3: PCI server: %s\n", rift_strerror(err));
		return RIFT_EIO;
	}
	owner[len] = '\0';
	if (strcmp((const char *)owner, me) != 0) {
		smmu_say(s, "smmuv3: attach of %02x:%02x.%x by %s refused: "
			 "%s claimed it\n", bdf >> 8, (bdf >> 3) & 0x1f,
			 bdf & 7, me, (const char *)owner);
		return RIFT_EPERM;
	}
	return RIFT_OK;
}

/** Gives device slot @i its address space, CD and STE. */
static int smmu_dma_activate(struct smmu_srv *s, uint32_t i)
{
	struct smmu_dev *d = &s->devs[i];
	uint64_t ste[SMMU_STE_WORDS];
	uint64_t cd_pa;
	uint64_t *cd = smmu_hwq_cd(s, i, &cd_pa);
	uint64_t w[SMMU_CD_WORDS];

	if (smmu_pt_init(&d->pt, &s->pool)) {
		printf("smmuv3: no table page left for a new address space\n");
		return RIFT_ENOMEM;
	}
	smmu_cd_s1(w, d->asid, d->pt.root_pa, s->ips);
	for (int k = SMMU_CD_WORDS - 1; k >= 0; k--) {
		smmu_put64(&cd[k], w[k]); /* word 0 (V) last */
	}
	smmu_ste_s1(ste, cd_pa);
	if (smmu_hwq_set_ste(s, d->sid, ste)) {
		smmu_pt_destroy(&d->pt);
		return RIFT_EIO;
	}
	return RIFT_OK;
}

/** Takes device @d's address space away: STE invalid, TLB empty. */
static int smmu_dma_deactivate(struct smmu_srv *s, struct smmu_dev *d)
{
	uint64_t ste[SMMU_STE_WORDS];
	uint64_t cmd[1][SMMU_CMD_WORDS];
	int err;

	smmu_ste_invalid(ste);
	err = smmu_hwq_set_ste(s, d->sid, ste);
	smmu_cmd_tlbi_asid(cmd[0], d->asid);
	if (err == 0) {
		err = smmu_hwq_run(s, (const uint64_t(*)[SMMU_CMD_WORDS])cmd,
				   1);
	}
	return err;
}

/** A request to attach, checked (smmu_dma_attach_decode). */
struct smmu_attach {
	uint64_t badge;
	uint32_t bdf;
	uint8_t dma_bits;
	uint32_t rid;	/**< stream id */
	uint64_t top;	/**< first device address out of the device's reach */
	int slot;	/**< free entry of devs[] */
};

/** Is @bdf free, attached by its caller (EBUSY) or by another (EPERM)? */
static int smmu_dma_attach_slot(struct smmu_srv *s, struct smmu_attach *a)
{
	a->slot = -1;
	for (int i = SMMU_MAX_DEVS - 1; i >= 0; i--) {
		if (s->devs[i].used && s->devs[i].bdf == a->bdf) {
			return s->devs[i].owner == a->badge ? RIFT_EBUSY :
							      RIFT_EPERM;
		}
		a->slot = s->devs[i].used ? a->slot : i;
	}
	return a->slot < 0 ? RIFT_ENOMEM : RIFT_OK;
}

/** Everything attach checks before it changes anything. */
static int smmu_dma_attach_decode(struct smmu_srv *s, struct smmu_attach *a)
{
	int err;

	if (!smmu_dma_caller_ok(s, a->badge)) {
		return RIFT_EPERM;
	}
	if (s->broken) {
		return RIFT_EIO;
	}
	if (a->bdf > 0xffff || a->dma_bits == 0 || a->dma_bits > 64) {
		return RIFT_EINVAL;
	}
	err = smmu_dma_attach_slot(s, a);
	if (err == RIFT_OK) {
		err = smmu_dma_claimed_by(s, a->badge, a->bdf, &a->rid);
	}
	if (err != RIFT_OK) {
		return err;
	}
	a->top = a->dma_bits >= SMMU_IAS_BITS ? 1ull << SMMU_IAS_BITS :
						 1ull << a->dma_bits;
	if (a->top <= SMMU_WINDOW_BASE) {
		smmu_say(s, "smmuv3: attach of %02x:%02x.%x refused: a %u-bit "
			 "device reaches no address at or above 0x%llx\n",
			 a->bdf >> 8, (a->bdf >> 3) & 0x1f, a->bdf & 7,
			 a->dma_bits, (unsigned long long)SMMU_WINDOW_BASE);
		return RIFT_ENOMEM;
	}
	if (a->rid >> s->strtab_log2) {
		smmu_say(s, "smmuv3: attach of %02x:%02x.%x refused: stream "
			 "id 0x%x beyond the %u the stream table covers\n",
			 a->bdf >> 8, (a->bdf >> 3) & 0x1f, a->bdf & 7, a->rid,
			 1u << s->strtab_log2);
		return RIFT_ENOMEM;
	}
	/* Two devices behind one aliasing bridge share a stream id. */
	if (smmu_dma_dev_by_sid(s, a->rid)) {
		return RIFT_EBUSY;
	}
	return smmu_dma_client_ntfn(s, a->badge);
}

/** Builds the address space, then lets the device master the bus. */
static int smmu_dma_attach_invoke(struct smmu_srv *s,
				  const struct smmu_attach *a)
{
	struct smmu_dev *d = &s->devs[a->slot];
	int err;

	memset(d, 0, sizeof(*d));
	d->bdf = a->bdf;
	d->sid = a->rid;
	d->owner = a->badge;
	d->dma_bits = a->dma_bits;
	d->asid = (uint16_t)(a->slot + 1);
	smmu_iova_init(&d->iova, SMMU_WINDOW_BASE, a->top - SMMU_WINDOW_BASE);
	err = smmu_dma_activate(s, (uint32_t)a->slot);
	if (err != RIFT_OK) {
		return err;
	}
	d->used = true;
	/* Only now may the device master the bus (docs/dma.md). */
	err = pci_bus_master(&s->pci, a->bdf, true);
	if (err != RIFT_OK) {
		printf("smmuv3: PCI server refused bus mastering: %s\n",
		       rift_strerror(err));
		smmu_dma_deactivate(s, d);
		smmu_pt_destroy(&d->pt);
		d->used = false;
		return err == RIFT_EPERM ? RIFT_EPERM : RIFT_EIO;
	}
	smmu_say(s, "smmuv3: attached %02x:%02x.%x (stream 0x%x) to %s: "
		 "ASID %u, device addresses 0x%llx-0x%llx\n", a->bdf >> 8,
		 (a->bdf >> 3) & 0x1f, a->bdf & 7, a->rid,
		 smmu_dma_client(a->badge), d->asid,
		 (unsigned long long)SMMU_WINDOW_BASE,
		 (unsigned long long)(a->top - 1));
	return RIFT_OK;
}

int dma_handle_attach(struct dma_server *srv, uint64_t badge, uint32_t bdf,
		      uint8_t dma_bits, uint64_t *window_base,
		      uint64_t *window_size, uint64_t *events)
{
	struct smmu_srv *s = srv_of(srv);
	struct smmu_attach a = { .badge = badge, .bdf = bdf,
				 .dma_bits = dma_bits };
	int err = smmu_dma_attach_decode(s, &a);

	if (err == RIFT_OK) {
		err = smmu_dma_attach_invoke(s, &a);
	}
	if (err != RIFT_OK) {
		return err;
	}
	*window_base = SMMU_WINDOW_BASE;
	*window_size = a.top - SMMU_WINDOW_BASE;
	*events = s->clients[badge].ntfn_ro;
	return RIFT_OK;
}

/**
 * Removes mapping @m from its device's tables, invalidates the TLB and
 * waits for it (CMD_SYNC); only then unpins the memory. If the SMMU does
 * not confirm, the pin is kept: leaking memory beats handing the device
 * memory that is reused.
 */
static int smmu_dma_unmap_one(struct smmu_srv *s, struct smmu_map *m)
{
	struct smmu_dev *d = &s->devs[m->dev];
	uint64_t cmd[SMMU_TLBI_PAGES_MAX][SMMU_CMD_WORDS];
	uint32_t n = 0;
	uint32_t tables = d->pt.tables;

	for (uint32_t i = 0; i < m->pages; i++) {
		smmu_pt_unmap(&d->pt, m->iova + (uint64_t)i * SMMU_PAGE);
	}
	/* Per page while few; walk caches too if a table page was freed
	 * (it may be reused as soon as this returns). */
	for (uint32_t i = 0; m->pages <= SMMU_TLBI_PAGES_MAX &&
			     i < m->pages; i++) {
		smmu_cmd_tlbi_va(cmd[n++], d->asid,
				 m->iova + (uint64_t)i * SMMU_PAGE,
				 d->pt.tables == tables);
	}
	if (n == 0) {
		smmu_cmd_tlbi_asid(cmd[n++], d->asid);
	}
	if (smmu_hwq_run(s, (const uint64_t(*)[SMMU_CMD_WORDS])cmd, n)) {
		printf("smmuv3: invalidation not confirmed: the memory of "
		       "mapping 0x%x stays pinned\n", m->handle);
		m->pin = 0;
	}
	if (m->pin) {
		rift_cap_delete(m->pin);
		rt_slot_free(m->pin);
	}
	smmu_iova_free(&d->iova, m->iova);
	s->clients[m->owner].maps--;
	m->handle = 0;
	return RIFT_OK;
}

int dma_handle_detach(struct dma_server *srv, uint64_t badge, uint32_t bdf)
{
	struct smmu_srv *s = srv_of(srv);
	struct smmu_dev *d = NULL;
	int err = smmu_dma_mine(s, badge, bdf, &d);

	if (err != RIFT_OK) {
		return err;
	}
	/* Bus mastering off first, then the address space. */
	err = pci_bus_master(&s->pci, bdf, false);
	if (err != RIFT_OK) {
		printf("smmuv3: detach: bus mastering off failed (%s); the "
		       "device stays blocked by its STE\n", rift_strerror(err));
	}
	if (smmu_dma_deactivate(s, d)) {
		printf("smmuv3: detach of %02x:%02x.%x: the SMMU did not "
		       "confirm; its memory stays pinned\n", bdf >> 8,
		       (bdf >> 3) & 0x1f, bdf & 7);
		return RIFT_EIO;
	}
	for (uint32_t i = 0; i < SMMU_MAX_MAPS; i++) {
		struct smmu_map *m = &s->maps[i];

		if (m->handle && &s->devs[m->dev] == d) {
			/* The STE is invalid and the ASID flushed: unpin. */
			if (m->pin) {
				rift_cap_delete(m->pin);
				rt_slot_free(m->pin);
			}
			s->clients[m->owner].maps--;
			m->handle = 0;
		}
	}
	smmu_pt_destroy(&d->pt);
	d->used = false;
	smmu_say(s, "smmuv3: detached %02x:%02x.%x from %s\n", bdf >> 8,
		 (bdf >> 3) & 0x1f, bdf & 7, smmu_dma_client(badge));
	return RIFT_OK;
}

/** Checks the frame and pins it: RIFT_OK, its physical range in pa/size. */
static int smmu_dma_pin(struct smmu_srv *s, uint64_t frame, uint8_t dir,
			uint64_t *pin, uint64_t *pa, uint64_t *size)
{
	struct rift_cap_info info;
	long kerr;

	if (rift_cap_info(frame, &info) != 0 || info.type != RIFT_CAP_FRAME_T) {
		return RIFT_ENOCAP;
	}
	if ((dir & DMA_DIR_FROM_DEVICE) && !(info.rights & RIFT_RIGHT_WRITE)) {
		return RIFT_EPERM;
	}
	*pin = rt_slot_alloc();
	if (*pin == 0) {
		return RIFT_ENOMEM;
	}
	kerr = rift_dma_pin(s->dmactl, frame, *pin, pa, size);
	if (kerr != 0) {
		rt_slot_free(*pin);
		*pin = 0;
	}
	if (kerr == RIFT_KENOMEM) {
		/* Pins are charged to this server's quota. */
		smmu_say(s, "smmuv3: map refused: no quota left to pin the "
			 "frame (the dma domain's memory); retry after an "
			 "unmap\n");
		return RIFT_ENOMEM;
	}
	if (kerr != 0) {
		smmu_say(s, "smmuv3: map refused: the frame is not RAM the "
			 "caller holds (kernel: %s)\n", rift_strerror(kerr));
		return RIFT_EPERM;
	}
	return RIFT_OK;
}

/** A free mapping record, or NULL. */
static struct smmu_map *smmu_dma_new_map(struct smmu_srv *s, uint32_t *idx)
{
	for (uint32_t i = 0; i < SMMU_MAX_MAPS; i++) {
		if (s->maps[i].handle == 0) {
			*idx = i;
			return &s->maps[i];
		}
	}
	return NULL;
}

/** Enters pages [first, first + n) of the pinned range into @d's tables. */
static int smmu_dma_fill(struct smmu_dev *d, uint64_t iova, uint64_t pa,
			 uint32_t n, bool write)
{
	for (uint32_t i = 0; i < n; i++) {
		if (smmu_pt_map(&d->pt, iova + (uint64_t)i * SMMU_PAGE,
				pa + (uint64_t)i * SMMU_PAGE, write) != 0) {
			while (i-- > 0) {
				smmu_pt_unmap(&d->pt,
					      iova + (uint64_t)i * SMMU_PAGE);
			}
			return RIFT_ENOMEM;
		}
	}
	__asm__ volatile("dsb ishst" ::: "memory"); /* tables before use */
	return RIFT_OK;
}

int dma_handle_map(struct dma_server *srv, uint64_t badge, uint32_t bdf,
		   uint64_t frame, uint64_t offset, uint32_t length,
		   uint8_t dir, uint64_t *dev_addr, uint32_t *handle)
{
	struct smmu_srv *s = srv_of(srv);
	struct smmu_dev *d = NULL;
	struct smmu_map *m;
	uint64_t pin = 0, pa = 0, size = 0, first, span, iova;
	uint32_t idx = 0, pages;
	int err = smmu_dma_mine(s, badge, bdf, &d);

	if (err != RIFT_OK) {
		return err;
	}
	if (length == 0 || dir < DMA_DIR_TO_DEVICE ||
	    dir > DMA_DIR_BIDIRECTIONAL) {
		return RIFT_EINVAL;
	}
	/* No client may take every mapping record from the others. */
	m = s->clients[badge].maps < SMMU_CLIENT_MAPS ?
		    smmu_dma_new_map(s, &idx) : NULL;
	if (!m) {
		return RIFT_ENOMEM;
	}
	err = smmu_dma_pin(s, frame, dir, &pin, &pa, &size);
	if (err != RIFT_OK) {
		return err;
	}
	if (offset >= size || length > size - offset) {
		err = RIFT_EINVAL;
		goto unpin;
	}
	first = offset & ~(uint64_t)(SMMU_PAGE - 1);
	span = offset + length - first;
	pages = (uint32_t)((span + SMMU_PAGE - 1) / SMMU_PAGE);
	if (smmu_iova_alloc(&d->iova, span, &iova) != 0) {
		err = RIFT_ENOMEM;
		goto unpin;
	}
	err = smmu_dma_fill(d, iova, pa + first, pages,
			    (dir & DMA_DIR_FROM_DEVICE) != 0);
	if (err != RIFT_OK) {
		smmu_iova_free(&d->iova, iova);
		goto unpin;
	}
	m->gen++;
	m->handle = ((uint32_t)m->gen << 16) | (idx + 1);
	m->dev = (uint16_t)(d - s->devs);
	m->owner = badge;
	m->iova = iova;
	m->pages = pages;
	m->length = length;
	m->pin = pin;
	s->clients[badge].maps++;
	*dev_addr = iova + (offset - first);
	*handle = m->handle;
	return RIFT_OK;
unpin:
	rift_cap_delete(pin);
	rt_slot_free(pin);
	return err;
}

/** The caller's mapping @handle, or NULL. */
static struct smmu_map *smmu_dma_find(struct smmu_srv *s, uint64_t badge,
				      uint32_t handle)
{
	uint32_t idx = (handle & 0xffff) - 1;

	if ((handle & 0xffff) == 0 || idx >= SMMU_MAX_MAPS ||
	    s->maps[idx].handle != handle || s->maps[idx].owner != badge) {
		return NULL;
	}
	return &s->maps[idx];
}

int dma_handle_unmap(struct dma_server *srv, uint64_t badge, uint32_t handle)
{
	struct smmu_srv *s = srv_of(srv);
	struct smmu_map *m = smmu_dma_find(s, badge, handle);

	if (!m) {
		return RIFT_ENOENT;
	}
	return smmu_dma_unmap_one(s, m);
}

/** sync: the SMMU's walks and the device's accesses are coherent here. */
static int smmu_dma_sync(struct smmu_srv *s, uint64_t badge, uint32_t handle,
			 uint32_t offset, uint32_t length)
{
	struct smmu_map *m = smmu_dma_find(s, badge, handle);

	if (!m) {
		return RIFT_ENOENT;
	}
	if ((uint64_t)offset + length > m->length) {
		return RIFT_EINVAL;
	}
	__asm__ volatile("dsb sy" ::: "memory");
	return RIFT_OK;
}

int dma_handle_sync_for_device(struct dma_server *srv, uint64_t badge,
			       uint32_t handle, uint32_t offset,
			       uint32_t length)
{
	return smmu_dma_sync(srv_of(srv), badge, handle, offset, length);
}

int dma_handle_sync_for_cpu(struct dma_server *srv, uint64_t badge,
			    uint32_t handle, uint32_t offset, uint32_t length)
{
	return smmu_dma_sync(srv_of(srv), badge, handle, offset, length);
}

int dma_handle_limits(struct dma_server *srv, uint64_t badge, uint32_t bdf,
		      uint8_t *dma_bits, uint8_t *server_bits)
{
	struct smmu_srv *s = srv_of(srv);
	struct smmu_dev *d = NULL;
	int err = smmu_dma_mine(s, badge, bdf, &d);

	if (err != RIFT_OK) {
		return err;
	}
	*dma_bits = d->dma_bits;
	*server_bits = d->dma_bits < SMMU_IAS_BITS ? d->dma_bits :
						     SMMU_IAS_BITS;
	return RIFT_OK;
}

int dma_handle_faults(struct dma_server *srv, uint64_t badge,
		      uint16_t *count, struct dma_fault list[8],
		      uint32_t *dropped)
{
	struct smmu_srv *s = srv_of(srv);
	struct smmu_client *c;

	if (!smmu_dma_caller_ok(s, badge)) {
		return RIFT_EPERM;
	}
	c = &s->clients[badge];
	while (c->count > 0 && *count < 8) {
		list[(*count)++] = c->ring[c->head];
		c->head = (c->head + 1) % SMMU_FAULT_RING;
		c->count--;
	}
	*dropped = c->dropped;
	c->dropped = 0;
	return RIFT_OK;
}
