/* SPDX-License-Identifier: MIT */
/*
 * Reader of the kernel's log ring (struct rift_klog in <rift/abi.h>). The
 * kernel appends whole lines and then publishes them by advancing head
 * (release); the console keeps its own tail, copies what lies between into
 * a private batch, checks the batch was not overwritten meanwhile, and
 * passes complete lines on. Nothing here trusts the ring beyond its bounds:
 * every index is taken modulo a size checked once at start.
 *
 * A writer may be appending one line past head while we copy, so only the
 * bytes at least KLOG_SLACK (printk's longest line) behind the oldest byte
 * the next append can reach are safe; anything older counts as lost, and
 * the reader skips to the next line start so no torn line is printed.
 */
#include <stdio.h>
#include <string.h>

#include "con.h"

#define KLOG_SLACK 256u  /* the longest line the kernel appends at once */
#define KLOG_BATCH 4096u /* bytes copied per round */
#define KLOG_FRAME_BYTES (4096ull << RIFT_KLOG_FRAME_ORDER)

static uint64_t klog_head(const struct con_klog *k)
{
	return __atomic_load_n(&k->ring->head, __ATOMIC_ACQUIRE);
}

int con_klog_init(struct con_klog *k, const volatile struct rift_klog *ring)
{
	uint64_t size = ring->size;

	memset(k, 0, sizeof(*k));
	if (size <= 2 * KLOG_BATCH ||
	    size > KLOG_FRAME_BYTES - offsetof(struct rift_klog, data)) {
		return -1;
	}
	k->ring = ring;
	k->tail = klog_head(k);
	return 0;
}

/** The oldest position that is still safe to read when head is @head. */
static uint64_t klog_safe_start(const struct con_klog *k, uint64_t head)
{
	uint64_t window = k->ring->size - KLOG_SLACK;

	return head > window ? head - window : 0;
}

/** Skips what was overwritten before we read it; returns true if any. */
static bool klog_skip_lost(struct con_klog *k, uint64_t head)
{
	uint64_t safe = klog_safe_start(k, head);

	if (k->tail >= safe) {
		return false;
	}
	k->lost += safe - k->tail;
	k->tail = safe;
	k->resync = true;
	k->line_len = 0;
	return true;
}

/** Takes one byte of the log; returns 1 if it completed a line. */
static uint32_t klog_byte(struct con_klog *k, char c)
{
	if (k->resync) {
		k->resync = c != '\n';
		return 0;
	}
	k->line[k->line_len++] = c;
	if (c != '\n' && k->line_len < CON_KLOG_LINE_MAX) {
		return 0;
	}
	con_out_raw(k->line, k->line_len);
	k->line_len = 0;
	return 1;
}

/**
 * Copies up to KLOG_BATCH bytes from the tail into @batch. Returns how many,
 * or 0 if they were overwritten while copying (the caller retries).
 */
static uint32_t klog_copy(struct con_klog *k, uint64_t head, uint8_t *batch)
{
	uint64_t size = k->ring->size;
	uint32_t n = head - k->tail < KLOG_BATCH ? (uint32_t)(head - k->tail) :
						   KLOG_BATCH;

	for (uint32_t i = 0; i < n; i++) {
		batch[i] = k->ring->data[(k->tail + i) % size];
	}
	if (k->tail < klog_safe_start(k, klog_head(k))) {
		return 0;
	}
	return n;
}

/** Reports bytes lost since the last report, as a console line. */
static void klog_tell_lost(struct con_klog *k)
{
	char msg[128];

	if (k->lost == k->lost_told) {
		return;
	}
	snprintf(msg, sizeof(msg), "console: %llu bytes of the kernel log "
		 "were overwritten before they could be shown",
		 (unsigned long long)(k->lost - k->lost_told));
	k->lost_told = k->lost;
	con_lines_say(msg);
}

uint32_t con_klog_drain(struct con_klog *k)
{
	uint8_t batch[KLOG_BATCH];
	uint32_t lines = 0;

	for (;;) {
		uint64_t head = klog_head(k);
		uint32_t n;

		if (head < k->tail) {
			k->tail = head; /* never happens: head only grows */
		}
		klog_skip_lost(k, head);
		if (head == k->tail) {
			break;
		}
		n = klog_copy(k, head, batch);
		for (uint32_t i = 0; i < n; i++) {
			lines += klog_byte(k, (char)batch[i]);
		}
		k->tail += n;
	}
	klog_tell_lost(k);
	return lines;
}
