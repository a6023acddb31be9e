/* SPDX-License-Identifier: MIT */
/*
 * Every kernel call the VMM makes (docs/guests.md, "The exit path"; the
 * ABI: libs/include/rift/abi.h, docs/guests-kernel.md). A guest is a
 * domain the VMM creates inside itself (so the VMM's quota pays for the
 * guest's RAM) and turns into a guest with GUEST_INIT; its RAM is frames
 * made in it, each also mapped in the VMM's own address space through the
 * copy FRAME_ALLOC gives the VMM.
 */
#include <rift/abi.h>
#include <rift/rt.h>
#include <rift/syscall.h>
#include <stdio.h>
#include <string.h>

#include "vm_layout.h"
#include "vmm.h"

#define PAGE 4096ull
#define GUEST_PRIO_DEFAULT 100

static uint32_t order_of(uint64_t size)
{
	uint32_t o = 0;

	while ((PAGE << o) < size) {
		o++;
	}
	return o;
}

uint64_t vk_free_pages(void)
{
	struct rift_meminfo mi;

	return rift_meminfo(-1, &mi) == 0 ? mi.free_pages : 0;
}

/** Slots in the guest's cspace: one per frame and vCPU, some spare. */
static uint64_t guest_slots(const struct vm_config *c)
{
	uint64_t want = c->memory / (2u << 20) + 32, slots = 128;

	while (slots < want && slots < RIFT_MAX_SLOTS) {
		slots *= 2;
	}
	return slots;
}

/** Makes one frame of @size bytes in the guest, mapped at @ipa in the
 * guest (unless it is the RMA, which GUEST_INIT maps) and in the view. */
static long add_frame(struct vm_guest *g, uint64_t ipa, uint64_t size,
		      int rma)
{
	struct vm_frame *f = &g->frames[g->frame_count];
	uint32_t gslot = g->guest_slot;
	long err;

	if (g->frame_count == VMM_MAX_FRAMES) {
		return RIFT_KELIMIT;
	}
	f->vmm_slot = rt_slot_alloc();
	if (!f->vmm_slot) {
		return RIFT_KENOMEM;
	}
	err = rift_frame_alloc(g->dom_slot, gslot, order_of(size), -1,
			       f->vmm_slot);
	if (err) {
		rt_slot_free(f->vmm_slot);
		return err;
	}
	g->guest_slot++;
	f->ipa = ipa;
	f->size = size;
	g->frame_count++;
	if (!rma) {
		err = rift_map_in(g->dom_slot, gslot, ipa,
				  RIFT_MAP_READ | RIFT_MAP_WRITE |
					  RIFT_MAP_EXEC);
	}
	if (!err) {
		err = rift_map(0, f->vmm_slot,
			       VMM_RAM_VIEW_VA + (ipa - g->ram_base),
			       RIFT_MAP_READ | RIFT_MAP_WRITE);
	}
	g->counts[size == PAGE ? 0 : size == (2u << 20) ? 1 :
		  size == (1u << 30) ? 2 : 3]++;
	return err;
}

/** The largest block at @ipa no bigger than @left: aligned, 1 GiB max. */
static uint64_t block_at(uint64_t ipa, uint64_t left)
{
	uint64_t b = 1ull << 30;

	while (b > (2u << 20) && ((ipa & (b - 1)) || b > left)) {
		b >>= 1;
	}
	return b;
}

int vk_guest_create(struct vm_guest *g, char *err, size_t err_size)
{
	const struct vm_config *c = g->cfg;
	uint64_t quota = c->memory / PAGE + 64 + 16 * c->cpus;
	uint64_t vmid = 0, ipa;
	long e;

	g->free_before = vk_free_pages();
	g->ram_base = VM_RAM_BASE;
	g->ram_size = c->memory;
	g->ram = (uint8_t *)(uintptr_t)VMM_RAM_VIEW_VA;
	g->frame_count = 0;
	memset(g->counts, 0, sizeof(g->counts));
	g->guest_slot = RIFT_SLOT_FIRST_FREE;
	g->dom_slot = rt_slot_alloc();
	e = rift_domain_create(g->dom_slot, quota, guest_slots(c),
			       GUEST_PRIO_DEFAULT, c->name);
	if (e < 0) {
		snprintf(err, err_size, "cannot create the guest domain "
			 "(%llu pages of quota): error %ld",
			 (unsigned long long)quota, e);
		rt_slot_free(g->dom_slot);
		g->dom_slot = 0;
		return -1;
	}
	e = add_frame(g, g->ram_base, c->rma, 1);
	if (!e) {
		e = rift_guest_init(g->dom_slot, g->frames[0].vmm_slot,
				    g->ram_base, &vmid);
	}
	for (ipa = g->ram_base + c->rma;
	     !e && ipa < g->ram_base + c->memory;) {
		uint64_t b = block_at(ipa, g->ram_base + c->memory - ipa);

		e = add_frame(g, ipa, b, 0);
		/* A large block may not be free: try the next size down. */
		while (e == RIFT_KENOMEM && b > (2u << 20)) {
			b >>= 1;
			e = add_frame(g, ipa, b, 0);
		}
		ipa += b;
	}
	if (e) {
		snprintf(err, err_size, "guest memory (%llu MiB, RMA %llu "
			 "MiB): error %ld at frame %u",
			 (unsigned long long)(c->memory >> 20),
			 (unsigned long long)(c->rma >> 20), e,
			 g->frame_count);
		vk_guest_destroy(g);
		return -1;
	}
	return 0;
}

int vk_vcpu_create(struct vm_guest *g, uint32_t cpu, char *err,
		   size_t err_size)
{
	uint64_t id = 0;
	long e;

	g->vcpu_slot[cpu] = rt_slot_alloc();
	e = rift_vcpu_create(g->dom_slot, g->guest_slot++, GUEST_PRIO_DEFAULT,
			     g->vcpu_slot[cpu], g->ep, cpu + 1, cpu, &id);
	if (e) {
		snprintf(err, err_size, "cannot create vCPU %u: error %ld",
			 cpu, e);
		rt_slot_free(g->vcpu_slot[cpu]);
		g->vcpu_slot[cpu] = 0;
		return -1;
	}
	return 0;
}

int vk_vcpu_start(struct vm_guest *g, uint32_t cpu, uint64_t pc, uint64_t x0)
{
	uint64_t v = g->vcpu_slot[cpu];
	long e = rift_vcpu_write(v, RIFT_VREG_PC, pc);

	for (uint32_t r = 0; r < 4 && !e; r++) {
		e = rift_vcpu_write(v, RIFT_VREG_X0 + r, r == 0 ? x0 : 0);
	}
	if (!e) {
		/* EL1h, DAIF masked: the Linux boot protocol's entry state. */
		e = rift_vcpu_write(v, RIFT_VREG_PSTATE, 0x3c5);
	}
	if (!e) {
		e = rift_vcpu_resume(v);
	}
	return (int)e;
}

void vk_vcpu_stop(struct vm_guest *g, uint32_t cpu)
{
	if (g->vcpu_slot[cpu]) {
		rift_vcpu_stop(g->vcpu_slot[cpu]);
	}
}

void vk_irq(struct vm_guest *g, uint32_t cpu, uint32_t intid, uint32_t op,
	    uint32_t prio)
{
	if (cpu < VM_PSCI_MAX_CPUS && g->vcpu_slot[cpu]) {
		rift_vcpu_irq(g->vcpu_slot[cpu], intid, op, prio);
	}
}

void vk_clean(const void *p, size_t len, int code)
{
	uint64_t ctr, dline, iline;
	uintptr_t a = (uintptr_t)p, end = a + len;

	__asm__ volatile("mrs %0, ctr_el0" : "=r"(ctr));
	dline = 4ull << ((ctr >> 16) & 0xf); /* DminLine */
	iline = 4ull << (ctr & 0xf);         /* IminLine */
	for (uintptr_t x = a & ~(dline - 1); x < end; x += dline) {
		__asm__ volatile("dc cvac, %0" : : "r"(x) : "memory");
	}
	__asm__ volatile("dsb ish" ::: "memory");
	if (code) {
		for (uintptr_t x = a & ~(iline - 1); x < end; x += iline) {
			__asm__ volatile("ic ivau, %0" : : "r"(x) : "memory");
		}
		__asm__ volatile("dsb ish\n\tisb" ::: "memory");
	}
}

uint64_t vk_guest_destroy(struct vm_guest *g)
{
	uint64_t before = vk_free_pages();

	for (uint32_t i = 0; i < g->frame_count; i++) {
		rift_unmap(g->frames[i].vmm_slot);
		rift_cap_delete(g->frames[i].vmm_slot);
		rt_slot_free(g->frames[i].vmm_slot);
	}
	g->frame_count = 0;
	if (g->dom_slot) {
		rift_domain_destroy(g->dom_slot);
		rt_slot_free(g->dom_slot);
		g->dom_slot = 0;
	}
	for (uint32_t i = 0; i < VM_PSCI_MAX_CPUS; i++) {
		if (g->vcpu_slot[i]) {
			rt_slot_free(g->vcpu_slot[i]); /* went with the guest */
			g->vcpu_slot[i] = 0;
		}
	}
	return vk_free_pages() - before;
}
