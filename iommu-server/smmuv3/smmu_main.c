/* SPDX-License-Identifier: MIT */
/*
 * The SMMUv3 DMA server (docs/dma.md): finds the SMMU in the hardware
 * device tree, maps its registers, makes and pins its tables, turns it on
 * with every stream refused, binds its event-queue and global-error
 * interrupts, then serves dma.idl forever.
 *
 * Needs, from its system description (the domain named "dma" with
 * dma-server = "smmuv3"): hardware-dtb; device = the SMMU's registers;
 * irq-control = its interrupts; dma-control; the server end of channel
 * "dma" and its own client end "dma:self"; a client end of channel "pci".
 */
#include <libfdt.h>
#include <stdio.h>
#include <string.h>

#include <rift/abi.h>
#include <rift/caps.h>
#include <rift/rt.h>
#include <rift/syscall.h>

#include "smmu_srv.h"

/** Label of the waker's calls on "self". */
#define SMMU_KICK 0x534d4d55ull /* "SMMU" */
#define SMMU_WAKER_STACK 8192
#define SMMU_IRQ_BIT_EVENTQ 1u
#define SMMU_IRQ_BIT_GERROR 2u

static struct smmu_srv smmu;

/** Where the SMMU is, from the hardware device tree. */
struct smmu_dt {
	uint64_t base;
	uint64_t size;
	uint32_t eventq; /**< INTID */
	uint32_t gerror; /**< INTID */
};

/** Reads cell @i of @n-cell groups at @p (cells 1 or 2 per value). */
static uint64_t smmu_dt_cells(const fdt32_t *p, int cells)
{
	uint64_t v = 0;

	for (int i = 0; i < cells; i++) {
		v = (v << 32) | fdt32_to_cpu(p[i]);
	}
	return v;
}

/** The GIC INTID of interrupt @name of node @node, or 0. */
static uint32_t smmu_dt_irq(const void *fdt, int node, const char *name)
{
	int idx = fdt_stringlist_search(fdt, node, "interrupt-names", name);
	int len = 0;
	const fdt32_t *irq = fdt_getprop(fdt, node, "interrupts", &len);

	if (idx < 0 || !irq || len < (idx + 1) * 12) {
		return 0;
	}
	irq += idx * 3;
	/* GIC binding: <type number flags>; type 0 = SPI. */
	return fdt32_to_cpu(irq[0]) == 0 ? fdt32_to_cpu(irq[1]) + 32 : 0;
}

static int smmu_dt_find(struct smmu_dt *dt)
{
	const void *fdt = (const void *)rt_auxv(RIFT_AT_FDT);
	int node, len = 0, ac, sc;
	const fdt32_t *reg;

	if (!fdt) {
		printf("smmuv3: no hardware device tree (hardware-dtb;)\n");
		return -1;
	}
	node = fdt_node_offset_by_compatible(fdt, -1, "arm,smmu-v3");
	if (node < 0) {
		printf("smmuv3: no arm,smmu-v3 node in the device tree (QEMU: "
		       "-M virt,iommu=smmuv3)\n");
		return -1;
	}
	ac = fdt_address_cells(fdt, fdt_parent_offset(fdt, node));
	sc = fdt_size_cells(fdt, fdt_parent_offset(fdt, node));
	reg = fdt_getprop(fdt, node, "reg", &len);
	if (!reg || ac < 1 || ac > 2 || sc < 1 || sc > 2 ||
	    len < (ac + sc) * 4) {
		printf("smmuv3: the SMMU node has no usable 'reg'\n");
		return -1;
	}
	dt->base = smmu_dt_cells(reg, ac);
	dt->size = smmu_dt_cells(reg + ac, sc);
	dt->eventq = smmu_dt_irq(fdt, node, "eventq");
	dt->gerror = smmu_dt_irq(fdt, node, "gerror");
	if (dt->size < 0x20000 || (dt->base & 0xfff) || !dt->eventq ||
	    !dt->gerror) {
		printf("smmuv3: SMMU at 0x%llx size 0x%llx, eventq %u, gerror "
		       "%u: need 128 KiB of registers and both interrupts\n",
		       (unsigned long long)dt->base,
		       (unsigned long long)dt->size, dt->eventq, dt->gerror);
		return -1;
	}
	return 0;
}

/** Makes and maps register page @off of the SMMU. */
static int smmu_map_regs_page(uint64_t pa, uint64_t off)
{
	const struct rift_cap_entry *dev = rt_cap_find(SMMU_CAP_DEVICE);
	uint64_t slot = rt_slot_alloc();
	long err = RIFT_KERANGE;

	for (uint32_t i = 0; dev && slot && i < dev->count &&
			     err == RIFT_KERANGE; i++) {
		err = rift_device_frame(dev->slot + i, slot, pa + off, 0);
	}
	if (err == 0) {
		err = rift_map(0, slot, SMMU_REGS_VA + off,
			       RIFT_MAP_READ | RIFT_MAP_WRITE);
	}
	if (err != 0) {
		printf("smmuv3: cannot map the SMMU's registers at 0x%llx "
		       "(%s): give the domain device = <its range>\n",
		       (unsigned long long)(pa + off), rift_strerror(err));
		return -1;
	}
	return 0;
}

/** The 2 MiB block of tables and queues: made, mapped, pinned. */
static int smmu_make_memory(struct smmu_srv *s)
{
	uint64_t frame = rt_slot_alloc(), pin = rt_slot_alloc(), size = 0;
	long err = frame && pin ? 0 : RIFT_KENOMEM;

	if (!err) {
		err = rift_frame_alloc(0, frame, 9, -1, 0);
	}
	if (!err) {
		err = rift_map(0, frame, SMMU_MEM_VA,
			       RIFT_MAP_READ | RIFT_MAP_WRITE);
	}
	if (!err) {
		err = rift_dma_pin(s->dmactl, frame, pin, &s->mem_pa, &size);
	}
	if (err || size != SMMU_MEM_SIZE) {
		printf("smmuv3: cannot make its 2 MiB of tables (%s): memory "
		       "and dma-control in the description?\n",
		       rift_strerror(err));
		return -1;
	}
	s->mem = (uint8_t *)SMMU_MEM_VA;
	smmu_pool_init(&s->pool, s->mem + SMMU_MEM_POOL,
		       s->mem_pa + SMMU_MEM_POOL,
		       (SMMU_MEM_SIZE - SMMU_MEM_POOL) / SMMU_PAGE);
	return 0;
}

/** Binds @intid (edge) to the server's notification with @bit. */
static int smmu_bind_irq(struct smmu_srv *s, uint32_t intid, uint64_t bit,
			 uint64_t *handler)
{
	uint64_t copy = rt_slot_alloc();
	long err = RIFT_KENOMEM;

	*handler = rt_slot_alloc();
	if (copy && *handler) {
		err = rift_cap_copy(s->irq_ntfn, 0, copy, RIFT_RIGHT_WRITE, bit);
	}
	if (!err) {
		err = rift_irq_bind(rt_cap(SMMU_CAP_IRQ_CONTROL), intid,
				    *handler, copy, 1);
	}
	if (err) {
		printf("smmuv3: cannot bind interrupt %u (%s): irq-control in "
		       "the description?\n", intid, rift_strerror(err));
		return -1;
	}
	return 0;
}

static uint8_t waker_stack[SMMU_WAKER_STACK] __attribute__((aligned(16)));
static uint64_t waker_thread;

/**
 * The waker: waits for the SMMU's interrupts and calls the server's own
 * endpoint, so the main thread does the work. No libc here.
 */
static __attribute__((noreturn)) void smmu_waker(uint64_t unused)
{
	uint64_t self = rt_cap(SMMU_CAP_SELF);

	(void)unused;
	for (;;) {
		struct rift_regs_msg m = { 0 };
		uint64_t word = 0;

		if (rift_wait(smmu.irq_ntfn, &word) != 0) {
			break;
		}
		m.label = SMMU_KICK;
		m.mr[0] = word;
		if (rift_call(self, &m) != 0) {
			break;
		}
	}
	rift_cap_delete(waker_thread);
	for (;;) {
		rift_yield();
	}
}

static int smmu_start_waker(void)
{
	struct rift_domain_info di;
	long err;

	waker_thread = rt_slot_alloc();
	err = rift_domain_info(&di);
	if (!err) {
		err = rift_thread_create(0, waker_thread, di.max_prio, 0);
	}
	if (!err) {
		err = rift_thread_start(waker_thread,
					(uint64_t)(uintptr_t)smmu_waker,
					(uintptr_t)waker_stack +
						SMMU_WAKER_STACK, 0);
	}
	if (err) {
		printf("smmuv3: cannot start the interrupt thread (%s)\n",
		       rift_strerror(err));
		return -1;
	}
	return 0;
}

/** The interrupts fired: global errors, then events; unmask both. */
static void smmu_on_kick(struct smmu_srv *s)
{
	smmu_hwq_gerror(s);
	smmu_hwq_drain_events(s);
	rift_irq_ack(s->irq_eventq, NULL);
	rift_irq_ack(s->irq_gerror, NULL);
	/* An edge that came while masked stays pending; read once more so
	 * nothing waits for the next interrupt either way. */
	smmu_hwq_drain_events(s);
}

/** Gets rid of capabilities a request brought that nobody kept. */
static void smmu_drop_received(const uint64_t *slots)
{
	for (int i = 0; i < RIFT_MSG_CAPS; i++) {
		rift_cap_delete(slots[i]);
	}
}

static int smmu_serve(struct smmu_srv *s)
{
	static struct rift_msg req, reply;
	struct dma_server srv = { .ctx = s, .shm_size = 0 };
	uint64_t ep = rt_cap(SMMU_CAP_EP), badge = 0;
	uint64_t recv[RIFT_MSG_CAPS];
	int err;

	for (int i = 0; i < RIFT_MSG_CAPS; i++) {
		recv[i] = rt_slot_alloc();
	}
	err = rift_chan_recv(ep, &req, &badge, recv);
	for (;;) {
		if (err == RIFT_EIO) {
			printf("smmuv3: endpoint gone, stopping\n");
			return 1;
		}
		if (err != RIFT_OK) {
			smmu_drop_received(recv);
			err = rift_chan_recv(ep, &req, &badge, recv);
			continue;
		}
		if (badge == s->self_badge && req.label == SMMU_KICK) {
			smmu_on_kick(s);
			memset(&reply, 0, sizeof(reply));
			err = rift_chan_reply_recv(ep, &reply, &req, &badge,
						   recv);
			continue;
		}
		err = dma_dispatch(&srv, badge, &req, &reply);
		smmu_drop_received(recv);
		if (err == RIFT_IDL_REPLY) {
			err = rift_chan_reply_recv(ep, &reply, &req, &badge,
						   recv);
		} else {
			err = rift_chan_recv(ep, &req, &badge, recv);
		}
	}
}

/** Capabilities by name; false (and says which) if one is missing. */
static bool smmu_caps(struct smmu_srv *s)
{
	const struct rift_cap_entry *self = rt_cap_find(SMMU_CAP_SELF);

	s->dmactl = rt_cap(SMMU_CAP_DMA_CONTROL);
	s->pci = rift_chan_open(SMMU_CAP_PCI);
	s->self_badge = self ? self->badge : 0;
	if (!rt_cap(SMMU_CAP_EP) || !self || !s->pci.ep || !s->dmactl ||
	    !rt_cap(SMMU_CAP_DEVICE) || !rt_cap(SMMU_CAP_IRQ_CONTROL)) {
		printf("smmuv3: the description must give it: the channel "
		       "'%s' it serves with its own client end '%s:%s', a "
		       "client end of '%s', 'device', 'irq-control' and "
		       "'dma-control' (docs/dma.md)\n", SMMU_CAP_EP,
		       SMMU_CAP_EP, SMMU_CAP_SELF, SMMU_CAP_PCI);
		return false;
	}
	return true;
}

int main(int argc, char **argv)
{
	struct smmu_srv *s = &smmu;
	struct smmu_dt dt;
	bool selftest = argc > 1 && strcmp(argv[1], "selftest") == 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!smmu_caps(s) || smmu_dt_find(&dt) ||
	    smmu_map_regs_page(dt.base, 0) ||
	    smmu_map_regs_page(dt.base, 0x10000) || smmu_make_memory(s)) {
		return 1;
	}
	s->regs = (volatile uint8_t *)SMMU_REGS_VA;
	printf("smmuv3: SMMU at 0x%llx, eventq INTID %u, gerror INTID %u\n",
	       (unsigned long long)dt.base, dt.eventq, dt.gerror);
	s->irq_ntfn = rt_slot_alloc();
	if (rift_notification_create(s->irq_ntfn) ||
	    smmu_bind_irq(s, dt.eventq, SMMU_IRQ_BIT_EVENTQ, &s->irq_eventq) ||
	    smmu_bind_irq(s, dt.gerror, SMMU_IRQ_BIT_GERROR, &s->irq_gerror)) {
		return 1;
	}
	if (smmu_hwq_enable(s)) {
		printf("smmuv3: the SMMU could not be enabled: no device gets "
		       "DMA (every attach is refused)\n");
		s->broken = true;
	}
	if (!s->broken && selftest && smmu_hwq_selftest(s)) {
		s->broken = true;
	}
	if (smmu_start_waker()) {
		return 1;
	}
	printf("smmuv3: serving dma\n");
	return smmu_serve(s);
}
