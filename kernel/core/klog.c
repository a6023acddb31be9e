/* SPDX-License-Identifier: MIT */
/*
 * The kernel log. Whole lines go, under one lock, into a ring in a 2 MiB
 * frame (struct rift_klog) and — until a console server attaches with
 * RIFT_SYS_KLOG_ATTACH — to the UART. While attached, the kernel signals the
 * console's notification for each line and leaves the UART alone, so kernel
 * lines and domain output never interleave mid-line. If the console's
 * notification capability goes (console destroyed), output falls back to the
 * UART at once. A panic always writes to the UART.
 */
#include <rift/arch.h>
#include <rift/ipc.h>
#include <rift/kmem.h>
#include <rift/pl011.h>
#include <rift/printk.h>
#include <rift/spinlock.h>
#include <string.h>

static struct spinlock klog_lock = SPINLOCK_INIT;
static struct rift_klog *ring;
static paddr_t ring_pa;
static struct cap klog_notif = { .holder = HOLDER_KLOG_NOTIF };
static bool klog_panicking;

static bool klog_attached(void)
{
	return klog_notif.type == RIFT_CAP_NOTIFICATION_T && !klog_panicking;
}

static void klog_uart(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n') {
			pl011_putc('\r');
		}
		pl011_putc(s[i]);
	}
}

static void klog_ring_append(const char *s, size_t len)
{
	if (len > ring->size) {
		ring->lost++;
		return;
	}
	/* Two copies at most (the ring wraps once): no division per byte. */
	uint64_t at = ring->head % ring->size;
	size_t first = (size_t)MIN((uint64_t)len, ring->size - at);

	memcpy(&ring->data[at], s, first);
	memcpy(&ring->data[0], s + first, len - first);
	__atomic_store_n(&ring->head, ring->head + len, __ATOMIC_RELEASE);
}

void klog_write(const char *s, size_t len)
{
	bool attached;

	spin_lock(&klog_lock);
	if (ring) {
		klog_ring_append(s, len);
	}
	attached = klog_attached();
	if (!attached) {
		klog_uart(s, len);
	}
	spin_unlock(&klog_lock);
	if (attached) {
		notification_signal(klog_notif.obj,
				    klog_notif.badge ? klog_notif.badge : 1);
	}
}

void klog_panic_mode(void)
{
	klog_panicking = true;
	pl011_reclaim();
}

/** The machine is stopping: its last words go to the UART, taken back
 * from whatever state its last owner left it in. */
void klog_detach(void)
{
	klog_panicking = true;
	pl011_reclaim();
}

uint64_t klog_head(void)
{
	uint64_t head;

	spin_lock(&klog_lock);
	head = ring ? ring->head : 0;
	spin_unlock(&klog_lock);
	return head;
}

/** Move the log into a ring once the allocator runs. */
void klog_init_ring(void)
{
	uint64_t size = PMM_PAGE_SIZE << RIFT_KLOG_FRAME_ORDER;

	if (pmm_alloc_near(&kmem_pmm, 0, RIFT_KLOG_FRAME_ORDER, &ring_pa,
			   NULL)) {
		printk("klog: no memory for the log ring; UART only\n");
		return;
	}
	memset(phys_to_virt(ring_pa), 0, size);
	ring = phys_to_virt(ring_pa);
	ring->size = size - offsetof(struct rift_klog, data);
}

paddr_t klog_ring_pa(void)
{
	return ring ? ring_pa : 0;
}

int klog_attach(struct cap *frame, struct cap *notif)
{
	int err;

	/* Only a copy of the kernel's own log frame (made at boot, marked
	 * FRAME_KERNEL) names the ring. */
	if (!ring || frame->type != RIFT_CAP_FRAME_T ||
	    !(frame->badge & FRAME_KERNEL) || frame->pa != ring_pa) {
		return RIFT_KEINVAL;
	}
	if (notif->type != RIFT_CAP_NOTIFICATION_T) {
		return RIFT_KETYPE;
	}
	if (!(notif->rights & RIFT_RIGHT_WRITE)) {
		return RIFT_KERIGHTS;
	}
	err = cap_derive_check(notif, 0);
	if (err) {
		return err; /* the notification attached before stays */
	}
	cap_drop(&klog_notif);
	return cap_derive(notif, &klog_notif, RIFT_RIGHT_WRITE, 0,
			  HOLDER_KLOG_NOTIF, NULL);
}
