/* SPDX-License-Identifier: MIT */
/*
 * Fault bursts. One DMA that the SMMU refuses is often many events (QEMU
 * records one per 4-byte access), and a broken or hostile device can
 * fault without end. Events of one drain of the queue with the same
 * stream, type and direction are one burst: logged once (stream id,
 * device, owner, address of the first, how many), and queued for the
 * device's owner (dma.idl faults(), signalled through its notification).
 * Log lines are limited to SMMU_LOG_LINES a second (smmu_log_may(), also
 * used for the lines clients' requests cause); bursts beyond that are
 * counted and the count is said with the next line printed, so the
 * console is never flooded and no burst goes unmentioned.
 */
#include <stdio.h>

#include "smmu_srv.h"

#define SMMU_BURSTS 16		       /**< distinct bursts per drain */
#define SMMU_LOG_LINES 10	       /**< per second */
#define SMMU_LOG_WINDOW 1000000000ull /**< ns */

/** Bursts collected in the current drain. */
static struct smmu_burst {
	uint32_t sid;
	uint8_t type;
	bool write;
	bool has_addr;
	uint64_t addr;
	uint32_t count;
} bursts[SMMU_BURSTS];
static uint32_t burst_count;

void smmu_fault_event(struct smmu_srv *s, const struct smmu_evt *e)
{
	struct smmu_burst *b;

	s->events++;
	for (uint32_t i = 0; i < burst_count; i++) {
		b = &bursts[i];
		if (b->sid == e->sid && b->type == e->type &&
		    b->write == e->write) {
			b->count++;
			return;
		}
	}
	if (burst_count == SMMU_BURSTS) {
		bursts[SMMU_BURSTS - 1].count++; /* counted, not separated */
		return;
	}
	b = &bursts[burst_count++];
	b->sid = e->sid;
	b->type = e->type;
	b->write = e->write;
	b->has_addr = e->has_addr;
	b->addr = e->addr;
	b->count = 1;
}

bool smmu_log_may(struct smmu_log *l)
{
	uint64_t now = smmu_now_ns();

	if (now - l->window_start_ns >= SMMU_LOG_WINDOW) {
		l->window_start_ns = now;
		l->lines = 0;
	}
	if (l->lines >= SMMU_LOG_LINES) {
		l->suppressed++;
		return false;
	}
	l->lines++;
	return true;
}

/** Logs burst @b of device @d (NULL: not attached). */
static void smmu_fault_log(struct smmu_srv *s, const struct smmu_burst *b,
			   const struct smmu_dev *d)
{
	char where[64] = "";
	char who[64] = "not attached";
	char more[48] = "";

	if (!smmu_log_may(&s->log)) {
		return;
	}
	if (b->has_addr) {
		snprintf(where, sizeof(where), ", device %s at 0x%llx",
			 b->write ? "write" : "read",
			 (unsigned long long)b->addr);
	}
	if (d) {
		snprintf(who, sizeof(who), "%02x:%02x.%x of %s",
			 d->bdf >> 8, (d->bdf >> 3) & 0x1f, d->bdf & 7,
			 smmu_dma_client(d->owner));
	}
	if (s->log.suppressed) {
		snprintf(more, sizeof(more), " (%u more bursts not logged)",
			 s->log.suppressed);
		s->log.suppressed = 0;
	}
	printf("smmuv3: fault: stream 0x%x (%s): %s%s, %u event%s%s\n",
	       b->sid, who, smmu_evt_name(b->type), where, b->count,
	       b->count == 1 ? "" : "s", more);
}

/** Queues burst @b for the owner of device @d and signals it. */
static void smmu_fault_forward(struct smmu_srv *s, const struct smmu_burst *b,
			       const struct smmu_dev *d)
{
	struct smmu_client *c;
	struct dma_fault *f;

	if (!d || d->owner == 0 || d->owner >= SMMU_MAX_CLIENTS) {
		return;
	}
	c = &s->clients[d->owner];
	if (c->count == SMMU_FAULT_RING) {
		c->dropped++;
		c->head = (c->head + 1) % SMMU_FAULT_RING;
		c->count--;
	}
	f = &c->ring[(c->head + c->count) % SMMU_FAULT_RING];
	f->bdf = d->bdf;
	f->stream = b->sid;
	f->addr = b->addr;
	f->write = b->write;
	f->reason = (uint8_t)smmu_evt_reason(b->type);
	f->count = b->count;
	c->count++;
	smmu_dma_notify(s, d->owner);
}

void smmu_fault_flush(struct smmu_srv *s)
{
	for (uint32_t i = 0; i < burst_count; i++) {
		const struct smmu_dev *d = smmu_dma_dev_by_sid(s, bursts[i].sid);

		s->bursts++;
		smmu_fault_log(s, &bursts[i], d);
		smmu_fault_forward(s, &bursts[i], d);
	}
	burst_count = 0;
}
