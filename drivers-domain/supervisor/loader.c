/* SPDX-License-Identifier: MIT */
/*
 * Building a domain from its description: the domain object, its program
 * image page by page, stack, IPC buffer, thread, fault endpoint, channels
 * and devices.
 *
 * Everything is made *in* the child (charged to its quota, originals in
 * its cspace), so destroying the child returns all of it. The supervisor
 * keeps only derived copies it needs (the domain itself, the thread, the
 * IPC buffer frame); those disappear with the child. Image and stack
 * frames sit in the top slots of the child's cspace, and the child's
 * runtime is told (RIFT_AT_SLOT_LIMIT) not to touch them.
 */
#include "supervisor.h"

#include <rift/abi.h>
#include <rift/caps.h>
#include <rift/cpio.h>
#include <rift/elf_load.h>
#include <rift/guest.h>
#include <rift/initstack.h>
#include <rift/rt.h>
#include <rift/syscall.h>
#include <rift/wallclock.h>
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE 4096ull
#define STACK_BASE (RIFT_BOOT_STACK_TOP - SUP_STACK_PAGES * PAGE)

struct build {
	struct child *c;
	uint64_t next_slot; /* image slots, allocated downward */
	char *err;
	size_t err_size;
	uint64_t guest_va; /* a VMM's guest configuration (rift/guest.h) */
};

#define BLOCK (2ull << 20)

static int fail(struct build *b, const char *what, long code)
{
	snprintf(b->err, b->err_size, "%s (error %ld)", what, code);
	return -1;
}

/** Map frame @slot of the child's cspace into the child at @va. */
static long map_in_child(struct child *c, uint64_t slot, uint64_t va,
			 uint64_t flags)
{
	return rift_map_in(c->dom_slot, slot, va, flags);
}

/**
 * Make one page of the child at @va: a fresh frame in the child, filled
 * with @len bytes of @src at @offset within the page, mapped with @flags.
 */
static int make_page(struct build *b, uint64_t va, const void *src,
		     size_t offset, size_t len, uint64_t flags)
{
	uint64_t slot = b->next_slot--;
	uint64_t tmp = rt_slot_alloc();
	long err;

	if (!tmp) {
		return fail(b, "supervisor out of slots", 0);
	}
	err = rift_frame_alloc(b->c->dom_slot, slot, 0, -1, tmp);
	if (err) {
		rt_slot_free(tmp);
		return fail(b, "frame for the image", err);
	}
	if (len) {
		err = rift_map(0, tmp, SUP_SCRATCH_VA,
			       RIFT_MAP_READ | RIFT_MAP_WRITE);
		if (err == 0) {
			memcpy((uint8_t *)SUP_SCRATCH_VA + offset, src, len);
			rift_unmap(tmp);
		}
	}
	rift_cap_delete(tmp);
	rt_slot_free(tmp);
	if (err) {
		return fail(b, "scratch mapping", err);
	}
	err = map_in_child(b->c, slot, va, flags);
	return err ? fail(b, "mapping the image", err) : 0;
}

static uint64_t seg_flags(uint32_t pf)
{
	uint64_t f = RIFT_MAP_READ;

	if (pf & ELF_PF_W) {
		f |= RIFT_MAP_WRITE;
	} else if (pf & ELF_PF_X) {
		f |= RIFT_MAP_EXEC;
	}
	return f;
}

static int load_segment(struct build *b, const uint8_t *file,
			const struct elf_segment *s)
{
	uint64_t start = s->vaddr & ~(PAGE - 1);
	uint64_t end = (s->vaddr + s->memsz + PAGE - 1) & ~(PAGE - 1);

	for (uint64_t va = start; va < end; va += PAGE) {
		uint64_t lo = va < s->vaddr ? s->vaddr : va;
		uint64_t hi = va + PAGE;
		uint64_t fend = s->vaddr + s->filesz;
		size_t len = 0;

		if (hi > fend) {
			hi = fend;
		}
		if (hi > lo) {
			len = (size_t)(hi - lo);
		}
		if (make_page(b, va, file + s->offset + (lo - s->vaddr),
			      (size_t)(lo - va), len, seg_flags(s->flags))) {
			return -1;
		}
	}
	return 0;
}

/** The hardware device tree, packed, for children that ask for it. */
static const void *packed_fdt(size_t *size)
{
	static void *copy;
	const void *fdt = (const void *)(uintptr_t)rt_auxv(RIFT_AT_FDT);

	if (!copy && fdt) {
		copy = malloc(fdt_totalsize(fdt));
		if (copy && (fdt_move(fdt, copy, (int)fdt_totalsize(fdt)) != 0 ||
			     fdt_pack(copy) != 0)) {
			free(copy);
			copy = NULL;
		}
	}
	*size = copy ? fdt_totalsize(copy) : 0;
	return copy;
}

static uint64_t fdt_pages(const struct sd_domain *d)
{
	size_t size = 0;

	if (d->hardware_dtb) {
		packed_fdt(&size);
	}
	return (size + PAGE - 1) / PAGE;
}

/** Copy the hardware tree into the child, read-only at RIFT_BOOT_FDT_VA. */
static int load_fdt(struct build *b)
{
	size_t size;
	const uint8_t *fdt = packed_fdt(&size);

	if (!fdt) {
		return fail(b, "no hardware device tree to give", 0);
	}
	for (size_t off = 0; off < size; off += PAGE) {
		size_t len = size - off < PAGE ? size - off : PAGE;

		if (make_page(b, RIFT_BOOT_FDT_VA + off, fdt + off, 0, len,
			      RIFT_MAP_READ)) {
			return -1;
		}
	}
	return 0;
}

static uint64_t image_pages(const struct elf_image *img)
{
	uint64_t n = SUP_STACK_PAGES;

	for (uint32_t i = 0; i < img->seg_count; i++) {
		const struct elf_segment *s = &img->segs[i];
		uint64_t start = s->vaddr & ~(PAGE - 1);

		n += (s->vaddr + s->memsz - start + PAGE - 1) / PAGE;
	}
	return n;
}

/** The virtual counter: different on every boot and every start. */
static uint64_t counter(void)
{
	uint64_t v;

	__asm__ volatile("isb\n mrs %0, cntvct_el0" : "=r"(v));
	return v;
}

static int build_stack(struct build *b, const struct elf_image *img,
		       uint64_t slot_limit, bool wallclock, uint64_t *sp)
{
	const struct sd_domain *d = b->c->desc;
	static uint8_t top[PAGE];
	uint64_t extra[12] = { RIFT_AT_IPCBUF, RIFT_BOOT_IPCBUF_VA,
			       RIFT_AT_SLOT_LIMIT, slot_limit,
			       RIFT_AT_CAPS, RIFT_BOOT_CAPS_VA };
	uint32_t pairs = 3;

	if (d->hardware_dtb) {
		extra[pairs * 2] = RIFT_AT_FDT;
		extra[pairs * 2 + 1] = RIFT_BOOT_FDT_VA;
		pairs++;
	}
	if (wallclock) {
		extra[pairs * 2] = RIFT_AT_WALLCLOCK;
		extra[pairs * 2 + 1] = RIFT_BOOT_WALLCLOCK_VA;
		pairs++;
	}
	if (b->guest_va) { /* a VMM: its guest configuration */
		extra[pairs * 2] = RIFT_AT_GUEST;
		extra[pairs * 2 + 1] = b->guest_va;
		pairs++;
	}
	struct initstack_params p = {
		.argv = d->args,
		.argc = d->arg_count,
		.envp = NULL,
		.envc = 0,
		.phdr = img->phdr_va,
		.phent = img->phentsize,
		.phnum = img->phnum,
		.entry = img->entry,
		.random_seed = counter() ^ ((uint64_t)b->c->index << 32) ^
			       b->c->restarts,
		.extra_auxv = extra,
		.extra_auxv_count = pairs,
	};
	int err;

	err = initstack_build(top, sizeof(top), RIFT_BOOT_STACK_TOP, &p,
				  sp);

	if (err) {
		return fail(b, initstack_strerror(err), err);
	}
	for (uint64_t va = STACK_BASE; va < RIFT_BOOT_STACK_TOP; va += PAGE) {
		bool is_top = va + PAGE == RIFT_BOOT_STACK_TOP;

		if (make_page(b, va, top, 0, is_top ? PAGE : 0,
			      RIFT_MAP_READ | RIFT_MAP_WRITE)) {
			return -1;
		}
	}
	return 0;
}

static int make_thread(struct build *b, uint64_t entry, uint64_t sp,
		       uint64_t fault_ep)
{
	struct child *c = b->c;
	long err;

	c->ipcbuf_slot = rt_slot_alloc();
	c->thread_slot = rt_slot_alloc();
	err = rift_frame_alloc(c->dom_slot, RIFT_SLOT_IPCBUF, 0, -1,
			       c->ipcbuf_slot);
	if (!err) {
		err = map_in_child(c, RIFT_SLOT_IPCBUF, RIFT_BOOT_IPCBUF_VA,
				   RIFT_MAP_READ | RIFT_MAP_WRITE);
	}
	if (!err) {
		err = rift_thread_create(c->dom_slot, RIFT_SLOT_THREAD,
					 c->desc->priority, c->thread_slot);
	}
	if (!err) {
		err = rift_thread_set_ipcbuf(c->thread_slot, c->ipcbuf_slot,
					     RIFT_BOOT_IPCBUF_VA);
	}
	if (!err) {
		err = rift_domain_set_fault(c->dom_slot, fault_ep,
					    c->index + 1);
	}
	if (!err) {
		err = rift_thread_start(c->thread_slot, entry, sp, 0);
	}
	return err ? fail(b, "thread set-up", err) : 0;
}

/** Give the child its ends of every channel it takes part in. */
static int connect_channels(struct supervisor *s, struct build *b)
{
	uint32_t me = b->c->index;

	for (uint32_t i = 0; i < s->sd.channel_count; i++) {
		const struct sd_channel *ch = &s->sd.channels[i];
		long err = 0;

		if (!s->channels[i].slot) {
			printf("supervisor: %s: channel %s is closed; not "
			       "connected\n", b->c->desc->name, ch->name);
			continue;
		}
		if (ch->server.domain == me) {
			uint64_t r = ch->type == SD_CHAN_SHM ?
				RIFT_RIGHT_READ | RIFT_RIGHT_WRITE :
				RIFT_RIGHT_READ | RIFT_RIGHT_GRANT;

			err = rift_cap_copy(s->channels[i].slot, b->c->dom_slot,
					    ch->server.slot, r, 0);
			if (!err && ch->type == SD_CHAN_SHM) {
				err = map_in_child(b->c, ch->server.slot,
						   ch->va, RIFT_MAP_READ |
							   RIFT_MAP_WRITE);
			}
		}
		for (uint32_t k = 0; k < ch->client_count && !err; k++) {
			/* Replies may carry capabilities back to a client
			 * (a PCI BAR frame, say); sending them needs
			 * the channel's `grant`. */
			uint64_t badge, rights = RIFT_RIGHT_WRITE |
						 RIFT_RIGHT_GRANT_REPLY;

			if (ch->clients[k].domain != me) {
				continue;
			}
			badge = ch->type == SD_CHAN_NOTIFICATION ? 1ull << k :
				ch->type == SD_CHAN_ENDPOINT ? k + 1 : 0;
			if (ch->type == SD_CHAN_SHM) {
				rights |= RIFT_RIGHT_READ;
			}
			if (ch->grant) {
				rights |= RIFT_RIGHT_GRANT;
			}
			err = rift_cap_copy(s->channels[i].slot, b->c->dom_slot,
					    ch->clients[k].slot, rights, badge);
			if (!err && ch->type == SD_CHAN_SHM) {
				err = map_in_child(b->c, ch->clients[k].slot,
						   ch->va, RIFT_MAP_READ |
							   RIFT_MAP_WRITE);
			}
		}
		if (err) {
			return fail(b, ch->name, err);
		}
	}
	return 0;
}

/** The slot of @d's capability @name (the parser gave it one). */
static uint64_t cap_slot(const struct sd_domain *d, const char *name)
{
	const struct sd_cap *cap = sysdesc_find_cap(d, name);

	return cap ? cap->slot : 0;
}

/** Hand over the device frames and interrupt the description grants. */
static int connect_devices(struct supervisor *s, struct build *b)
{
	const struct sd_domain *d = b->c->desc;
	struct device_obj *dev = &s->devices[b->c->index];
	long err = 0;

	for (uint32_t i = 0; i < dev->frame_count && !err; i++) {
		err = rift_cap_copy(dev->frame_slots[i], b->c->dom_slot,
				    cap_slot(d, "mmio") + i, RIFT_RIGHTS_ALL, 0);
	}
	if (!err && d->irq) {
		err = rift_cap_copy(dev->handler_slot, b->c->dom_slot,
				    cap_slot(d, "irq"), RIFT_RIGHTS_ALL, 0);
	}
	if (!err && d->irq) {
		err = rift_cap_copy(dev->notif_slot, b->c->dom_slot,
				    cap_slot(d, "irq-notification"),
				    RIFT_RIGHT_READ, 0);
	}
	if (!err && d->irq_control) {
		err = rift_cap_copy(dev->irq_control_slot ?
				    dev->irq_control_slot : RIFT_SLOT_IRQ_CONTROL,
				    b->c->dom_slot, cap_slot(d, "irq-control"),
				    RIFT_RIGHTS_ALL, 0);
	}
	for (uint32_t i = 0; !err && d->device && i < d->device_ranges; i++) {
		err = rift_cap_copy(dev->device_slots[i], b->c->dom_slot,
				    cap_slot(d, "device") + i, RIFT_RIGHTS_ALL,
				    0);
	}
	if (!err && d->device && d->device_ranges == 0) {
		err = rift_cap_copy(RIFT_SLOT_DEVICE, b->c->dom_slot,
				    cap_slot(d, "device"), RIFT_RIGHTS_ALL, 0);
	}
	if (!err && d->klog) {
		err = rift_cap_copy(RIFT_SLOT_KLOG, b->c->dom_slot,
				    cap_slot(d, "klog"), RIFT_RIGHT_READ, 0);
	}
	if (!err && d->dma_control) {
		err = rift_cap_copy(RIFT_SLOT_DMA_CONTROL, b->c->dom_slot,
				    cap_slot(d, "dma-control"), RIFT_RIGHTS_ALL,
				    0);
	}
	return err ? fail(b, "device capabilities", err) : 0;
}

/**
 * One 2 MiB frame made in the child, @len bytes of @src copied in, mapped
 * read-only at @va: the guest files go in blocks (a 33 MB kernel is 16
 * frames and slots, not 8,000).
 */
static int make_block(struct build *b, uint64_t va, const uint8_t *src,
		      size_t len)
{
	uint64_t slot = b->next_slot--;
	uint64_t tmp = rt_slot_alloc();
	long err;

	if (!tmp) {
		return fail(b, "supervisor out of slots", 0);
	}
	err = rift_frame_alloc(b->c->dom_slot, slot, 9, -1, tmp);
	if (!err) {
		err = rift_map(0, tmp, SUP_SCRATCH_BLOCK_VA,
			       RIFT_MAP_READ | RIFT_MAP_WRITE);
		if (!err) {
			memcpy((uint8_t *)SUP_SCRATCH_BLOCK_VA, src, len);
			rift_unmap(tmp);
		}
		rift_cap_delete(tmp);
	}
	rt_slot_free(tmp);
	if (!err) {
		err = map_in_child(b->c, slot, va, RIFT_MAP_READ);
	}
	return err ? fail(b, "guest file frames", err) : 0;
}

/** Maps file @name of the archive at *@va (advanced past it, 2 MiB
 * aligned); its size in *@size. */
static int load_guest_file(struct supervisor *s, struct build *b,
			   const char *name, uint64_t *va, uint64_t *size)
{
	const void *file;
	size_t len;

	if (cpio_find(s->archive, s->archive_size, name, &file, &len)) {
		snprintf(b->err, b->err_size, "guest file '%s' is not in the "
			 "boot archive", name);
		return -1;
	}
	*size = len;
	for (size_t off = 0; off < len; off += BLOCK) {
		size_t n = len - off < BLOCK ? len - off : BLOCK;

		if (make_block(b, *va + off, (const uint8_t *)file + off, n)) {
			return -1;
		}
	}
	*va += (len + BLOCK - 1) / BLOCK * BLOCK;
	return 0;
}

/** Slots the guest files and the configuration page take (0: no guest;
 * a missing file counts 0: load_guest() reports it). */
static uint64_t guest_slots(struct supervisor *s, const struct sd_domain *d)
{
	const char *files[2] = { d->guest.kernel, d->guest.initrd };
	uint64_t n = 1;

	if (!d->has_guest) {
		return 0;
	}
	for (int i = 0; i < 2; i++) {
		const void *file;
		size_t len;

		if (files[i] && cpio_find(s->archive, s->archive_size,
					  files[i], &file, &len) == 0) {
			n += (len + BLOCK - 1) / BLOCK;
		}
	}
	return n;
}

static int cfg_u64(void *fdt, const char *name, uint64_t v)
{
	return fdt_property_u64(fdt, name, v);
}

/**
 * A VMM's guest (rift/guest.h): its kernel and initramfs mapped read-only
 * from RIFT_BOOT_GUEST_FILES_VA, and the configuration tree describing
 * them at RIFT_BOOT_GUEST_VA.
 */
static int load_guest(struct supervisor *s, struct build *b)
{
	static uint8_t page[PAGE] __attribute__((aligned(8)));
	const struct sd_domain *d = b->c->desc;
	const struct sd_guest *g = &d->guest;
	uint64_t va = RIFT_BOOT_GUEST_FILES_VA, kva = va, ksize, iva = 0;
	uint64_t isize = 0;
	int e;

	if (load_guest_file(s, b, g->kernel, &va, &ksize)) {
		return -1;
	}
	iva = va;
	if (g->initrd && load_guest_file(s, b, g->initrd, &va, &isize)) {
		return -1;
	}
	e = fdt_create(page, sizeof(page));
	e = e ? e : fdt_finish_reservemap(page);
	e = e ? e : fdt_begin_node(page, "");
	e = e ? e : fdt_property_string(page, "name", d->name);
	e = e ? e : fdt_property_string(page, "kernel-file", g->kernel);
	e = e ? e : cfg_u64(page, "kernel", kva);
	e = e ? e : cfg_u64(page, "kernel-size", ksize);
	if (g->initrd) {
		e = e ? e : fdt_property_string(page, "initrd-file", g->initrd);
		e = e ? e : cfg_u64(page, "initrd", iva);
		e = e ? e : cfg_u64(page, "initrd-size", isize);
	}
	if (g->bootargs) {
		e = e ? e : fdt_property_string(page, "bootargs", g->bootargs);
	}
	e = e ? e : cfg_u64(page, "memory", g->memory);
	e = e ? e : cfg_u64(page, "rma", g->rma);
	e = e ? e : fdt_property_u32(page, "cpus", g->cpus);
	e = e ? e : fdt_end_node(page);
	e = e ? e : fdt_finish(page);
	if (e) {
		return fail(b, "guest configuration tree", e);
	}
	b->guest_va = RIFT_BOOT_GUEST_VA;
	return make_page(b, RIFT_BOOT_GUEST_VA, page, 0, PAGE, RIFT_MAP_READ);
}

/** The capability table (rift/caps.h), read-only at RIFT_BOOT_CAPS_VA. */
static int build_caps(struct supervisor *s, struct build *b)
{
	static uint8_t page[PAGE];

	if (sysdesc_cap_table(&s->sd, b->c->index, page, sizeof(page)) < 0) {
		return fail(b, "capability table full", 0);
	}
	return make_page(b, RIFT_BOOT_CAPS_VA, page, 0, PAGE, RIFT_MAP_READ);
}

int loader_start(struct supervisor *s, struct child *c, char *err,
		 size_t err_size)
{
	const struct sd_domain *d = c->desc;
	struct build b = { c, d->cap_slots - 1, err, err_size, 0 };
	struct elf_image img;
	const void *file;
	size_t size;
	uint64_t sp, limit;
	int e;

	if (cpio_find(s->archive, s->archive_size, d->image, &file, &size)) {
		snprintf(err, err_size, "image '%s' is not in the boot archive",
			 d->image);
		return -1;
	}
	e = elf_load_parse(file, size, &img);
	if (e) {
		snprintf(err, err_size, "image '%s': %s", d->image,
			 elf_load_strerror(e));
		return -1;
	}
	limit = image_pages(&img) + fdt_pages(d) + 1 + /* + the caps page */
		guest_slots(s, d) + platform_image_slots(s, d);
	if (limit + RIFT_SLOT_FIRST_FREE + 16 >= d->cap_slots) {
		snprintf(err, err_size, "cap-slots %u too few for a %llu-page "
			 "image", d->cap_slots,
			 (unsigned long long)limit);
		return -1;
	}
	limit = d->cap_slots - limit; /* the runtime stays below this slot */
	c->dom_slot = rt_slot_alloc();
	e = (int)rift_domain_create(c->dom_slot, d->memory / PAGE, d->cap_slots,
				    d->priority, d->name);
	if (e < 0) {
		rt_slot_free(c->dom_slot);
		c->dom_slot = 0;
		return fail(&b, "domain create", e);
	}
	c->id = (uint64_t)e;
	for (uint32_t i = 0; i < img.seg_count; i++) {
		if (load_segment(&b, file, &img.segs[i])) {
			goto undo;
		}
	}
	if ((d->hardware_dtb && load_fdt(&b)) ||
	    (d->has_guest && load_guest(s, &b)) || build_caps(s, &b) ||
	    build_stack(&b, &img, limit, s->wallclock_slot != 0, &sp) ||
	    connect_channels(s, &b) || connect_devices(s, &b)) {
		goto undo;
	}
	e = (int)platform_connect(s, c, b.next_slot);
	b.next_slot -= platform_image_slots(s, d);
	if (e) {
		fail(&b, "wall clock or power capability", e);
		goto undo;
	}
	if (make_thread(&b, img.entry, sp, s->fault_ep)) {
		goto undo;
	}
	c->running = true;
	return 0;
undo:
	loader_destroy(c);
	return -1;
}

void loader_destroy(struct child *c)
{
	rift_domain_destroy(c->dom_slot);
	/* The copies the supervisor held were derived from the child's
	 * originals and went with it; the slots are empty again. */
	rt_slot_free(c->dom_slot);
	if (c->thread_slot) {
		rt_slot_free(c->thread_slot);
	}
	if (c->ipcbuf_slot) {
		rt_slot_free(c->ipcbuf_slot);
	}
	c->dom_slot = c->thread_slot = c->ipcbuf_slot = 0;
	c->running = false;
}

void loader_close_channels(struct supervisor *s, const struct child *c)
{
	for (uint32_t i = 0; i < s->sd.channel_count; i++) {
		const struct sd_channel *ch = &s->sd.channels[i];

		if (ch->server.domain != c->index || ch->type == SD_CHAN_SHM ||
		    !s->channels[i].slot) {
			continue;
		}
		/* Destroying the object wakes every waiting client with
		 * RIFT_KEGONE and empties every copy: no one hangs. */
		rift_cap_delete(s->channels[i].slot);
		rt_slot_free(s->channels[i].slot);
		s->channels[i].slot = 0;
		printf("supervisor: channel %s closed: its server %s is gone\n",
		       ch->name, c->desc->name);
	}
}

static int make_channel(struct supervisor *s, uint32_t i)
{
	const struct sd_channel *ch = &s->sd.channels[i];
	uint64_t slot = rt_slot_alloc();

	s->channels[i].slot = slot;
	switch (ch->type) {
	case SD_CHAN_ENDPOINT:
		return (int)rift_endpoint_create(slot);
	case SD_CHAN_NOTIFICATION:
		return (int)rift_notification_create(slot);
	default:
		return (int)rift_frame_alloc(0, slot, ch->size == PAGE ? 0 : 9,
					     -1, 0);
	}
}

static int make_device(struct supervisor *s, uint32_t i)
{
	const struct sd_domain *d = &s->sd.domains[i];
	struct device_obj *dev = &s->devices[i];
	long err = 0;

	for (uint64_t off = 0; off < d->mmio_size && !err;
	     off += d->mmio_page) {
		uint64_t slot = rt_slot_alloc();

		if (dev->frame_count == SD_MAX_MMIO_FRAMES) {
			return -1;
		}
		dev->frame_slots[dev->frame_count++] = slot;
		err = rift_device_frame(RIFT_SLOT_DEVICE, slot,
					d->mmio_base + off,
					d->mmio_page == PAGE ? 0 : 9);
	}
	/* Ranged authority: children of the supervisor's, carved once. */
	for (uint32_t k = 0; !err && k < d->device_ranges; k++) {
		dev->device_slots[k] = rt_slot_alloc();
		err = rift_cap_carve(RIFT_SLOT_DEVICE, dev->device_slots[k],
				     d->device_base[k], d->device_size[k],
				     RIFT_RIGHTS_ALL);
	}
	if (!err && d->irq_count) {
		dev->irq_control_slot = rt_slot_alloc();
		err = rift_cap_carve(RIFT_SLOT_IRQ_CONTROL,
				     dev->irq_control_slot, d->irq_first,
				     d->irq_count, RIFT_RIGHTS_ALL);
	}
	if (!err && d->irq) {
		dev->notif_slot = rt_slot_alloc();
		dev->handler_slot = rt_slot_alloc();
		err = rift_notification_create(dev->notif_slot);
		if (!err) {
			err = rift_irq_bind(RIFT_SLOT_IRQ_CONTROL, d->irq,
					    dev->handler_slot, dev->notif_slot,
					    0);
		}
	}
	return (int)err;
}

int loader_make_objects(struct supervisor *s, char *err, size_t err_size)
{
	long e;

	/* Warm up the scratch window so its page tables exist before any
	 * free-page accounting starts. */
	uint64_t tmp = rt_slot_alloc();

	e = rift_frame_alloc(0, tmp, 0, -1, 0);
	if (!e) {
		e = rift_map(0, tmp, SUP_SCRATCH_VA, RIFT_MAP_READ);
		rift_unmap(tmp);
		rift_cap_delete(tmp);
	}
	rt_slot_free(tmp);
	for (uint32_t i = 0; i < s->sd.channel_count && !e; i++) {
		e = make_channel(s, i);
		if (e) {
			snprintf(err, err_size, "channel %s: error %ld",
				 s->sd.channels[i].name, e);
		}
	}
	if (!e && platform_make_objects(s, err, err_size)) {
		return -1;
	}
	for (uint32_t i = 0; i < s->sd.domain_count && !e; i++) {
		e = make_device(s, i);
		if (e) {
			snprintf(err, err_size, "devices of %s: error %ld",
				 s->sd.domains[i].name, e);
		}
	}
	return e ? -1 : 0;
}
