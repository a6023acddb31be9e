/* SPDX-License-Identifier: MIT */
/*
 * Starting the first domain, the supervisor, from the boot archive (a cpio
 * "newc" archive passed as the initrd). The kernel knows just enough to
 * load one static ELF: everything else is the supervisor's job.
 *
 * The supervisor gets capabilities to its own domain and thread, to all
 * interrupts and all device memory, and its IPC buffer; its quota is all
 * free memory. Its image, stack, the boot archive and the device tree are
 * mapped at boot without capabilities: they live as long as the machine.
 * The ELF, cpio and initial-stack code is the same the supervisor uses
 * (libs/rt), built into the kernel.
 */
#include <rift/arch.h>
#include <rift/bootinfo.h>
#include <rift/cpio.h>
#include <rift/elf_load.h>
#include <rift/initstack.h>
#include <rift/irq.h>
#include <rift/kmem.h>
#include <rift/object.h>
#include <rift/printk.h>
#include <rift/sched.h>
#include <string.h>

#define ROOT_SLOTS 4096
#define ROOT_PRIO 100
#define STACK_PAGES 16

static void boot_map(struct domain *d, vaddr_t va, paddr_t pa, uint64_t size,
		     uint32_t flags, const char *what)
{
	int err = pgtable_map(&d->pt, va, pa, size, flags | PT_USER | PT_READ);

	if (err) {
		panic("boot: cannot map the supervisor's %s: error %d", what,
		      err);
	}
}

static paddr_t boot_page(struct domain *d)
{
	paddr_t pa;

	if (frame_alloc_pages(d, 0, -1, &pa)) {
		panic("boot: out of memory loading the supervisor");
	}
	return pa;
}

static void boot_load_segment(struct domain *d, const uint8_t *file,
			      const struct elf_segment *s)
{
	uint32_t flags = (s->flags & ELF_PF_W) ? PT_WRITE :
			 (s->flags & ELF_PF_X) ? PT_EXEC : 0;
	vaddr_t start = ALIGN_DOWN(s->vaddr, 4096);

	for (vaddr_t va = start; va < s->vaddr + s->memsz; va += 4096) {
		paddr_t pa = boot_page(d);
		uint8_t *dst = phys_to_virt(pa);
		vaddr_t lo = MAX(va, s->vaddr);
		vaddr_t hi = MIN(va + 4096, s->vaddr + s->filesz);

		if (hi > lo) {
			memcpy(dst + (lo - va), file + s->offset + (lo - s->vaddr),
			       hi - lo);
		}
		if (flags & PT_EXEC) {
			arch_cache_sync_exec(dst, 4096); /* copied code */
		}
		boot_map(d, va, pa, 4096, flags, "image");
	}
}

/** Map [pa, pa+size) read-only at @va (+ the offset of pa in its page). */
static uint64_t boot_map_blob(struct domain *d, vaddr_t va, paddr_t pa,
			      uint64_t size, const char *what)
{
	paddr_t base = ALIGN_DOWN(pa, 4096);

	boot_map(d, va, base, ALIGN_UP(pa + size, 4096) - base, 0, what);
	return va + (pa - base);
}

static uint64_t boot_stack(struct domain *d, const struct elf_image *img,
			   uint64_t archive_va, uint64_t fdt_va)
{
	static const char *const argv[] = { "supervisor" };
	uint64_t extra[] = {
		RIFT_AT_IPCBUF, RIFT_BOOT_IPCBUF_VA,
		RIFT_AT_INITRD, archive_va,
		RIFT_AT_INITRD_SIZE, boot_info.initrd_end - boot_info.initrd_start,
		RIFT_AT_FDT, fdt_va,
		RIFT_AT_SLOT_LIMIT, ROOT_SLOTS,
	};
	struct initstack_params p = {
		.argv = argv,
		.argc = 1,
		.phdr = img->phdr_va,
		.phent = img->phentsize,
		.phnum = img->phnum,
		.entry = img->entry,
		.random_seed = arch_counter(),
		.extra_auxv = extra,
		.extra_auxv_count = ARRAY_SIZE(extra) / 2,
	};
	uint64_t sp = 0;
	vaddr_t base = RIFT_BOOT_STACK_TOP - STACK_PAGES * 4096;

	for (vaddr_t va = base; va < RIFT_BOOT_STACK_TOP; va += 4096) {
		paddr_t pa = boot_page(d);

		if (va + 4096 == RIFT_BOOT_STACK_TOP) {
			int err = initstack_build(phys_to_virt(pa), 4096,
						  RIFT_BOOT_STACK_TOP, &p, &sp);

			if (err) {
				panic("boot: supervisor stack: %s",
				      initstack_strerror(err));
			}
		}
		boot_map(d, va, pa, 4096, PT_WRITE, "stack");
	}
	return sp;
}

static struct cap *boot_slot(struct domain *d, uint64_t slot)
{
	int err;
	struct cap *c = cap_slot_empty(d, slot, &err);

	if (!c) {
		panic("boot: supervisor slot %lu: error %d",
		      (unsigned long)slot, err);
	}
	return c;
}

/**
 * The supervisor's initial capabilities (rift_boot_slot in abi.h). The
 * DEVICE capability covers the whole physical address space (RAM and the
 * interrupt controller are refused per frame); IRQ_CONTROL covers INTIDs
 * 0..1023 (only SPIs not used by the kernel can be bound). The supervisor
 * carves narrower ones for the servers it starts.
 */
static struct thread *boot_caps(struct domain *d)
{
	struct thread *t;
	paddr_t ipcbuf = boot_page(d);

	cap_make_original(boot_slot(d, RIFT_SLOT_SELF), RIFT_CAP_DOMAIN, d, 0,
			  0, RIFT_RIGHTS_ALL, 0);
	d->orig_cap = &d->cspace[RIFT_SLOT_SELF];
	cap_make_original(boot_slot(d, RIFT_SLOT_IRQ_CONTROL),
			  RIFT_CAP_IRQ_CONTROL, NULL, 0, IRQ_MAX,
			  RIFT_RIGHTS_ALL, 0);
	cap_make_original(boot_slot(d, RIFT_SLOT_DEVICE), RIFT_CAP_DEVICE, NULL,
			  0, 1ull << 48, RIFT_RIGHTS_ALL, 0);
	cap_make_original(boot_slot(d, RIFT_SLOT_DMA_CONTROL),
			  RIFT_CAP_DMA_CONTROL, NULL, 0, 0, RIFT_RIGHTS_ALL, 0);
	cap_make_original(boot_slot(d, RIFT_SLOT_IPCBUF), RIFT_CAP_FRAME_T,
			  NULL, ipcbuf, 4096, RIFT_RIGHTS_ALL, 0);
	if (klog_ring_pa()) {
		cap_make_original(boot_slot(d, RIFT_SLOT_KLOG),
				  RIFT_CAP_FRAME_T, NULL, klog_ring_pa(),
				  PMM_PAGE_SIZE << RIFT_KLOG_FRAME_ORDER,
				  RIFT_RIGHT_READ | RIFT_RIGHT_GRANT,
				  FRAME_KERNEL);
	}
	if (thread_create(d, ROOT_PRIO, &t)) {
		panic("boot: no memory for the supervisor's thread");
	}
	cap_make_original(boot_slot(d, RIFT_SLOT_THREAD), RIFT_CAP_THREAD, t, 0,
			  0, RIFT_RIGHTS_ALL, 0);
	if (domain_map_frame(d, &d->cspace[RIFT_SLOT_IPCBUF],
			     RIFT_BOOT_IPCBUF_VA,
			     RIFT_MAP_READ | RIFT_MAP_WRITE) ||
	    cap_derive(&d->cspace[RIFT_SLOT_IPCBUF], &t->ipcbuf_cap,
		       RIFT_RIGHTS_ALL, 0, HOLDER_IPCBUF, t)) {
		panic("boot: cannot set up the supervisor's IPC buffer");
	}
	t->ipcbuf_va = RIFT_BOOT_IPCBUF_VA;
	t->ipcbuf_cap.orig->maps_w++; /* the kernel writes it (W^X) */
	return t;
}

void boot_first_domain(void)
{
	const uint8_t *archive = phys_to_virt(boot_info.initrd_start);
	size_t size = boot_info.initrd_end - boot_info.initrd_start;
	const void *file;
	size_t len;
	struct elf_image img;
	struct domain *d;
	struct thread *t;
	uint64_t archive_va, fdt_va;
	int err;

	if (cpio_find(archive, size, "supervisor", &file, &len)) {
		panic("boot archive (%lu bytes at %lx) has no 'supervisor'",
		      (unsigned long)size,
		      (unsigned long)boot_info.initrd_start);
	}
	err = elf_load_parse(file, len, &img);
	if (err) {
		panic("boot: supervisor image: %s", elf_load_strerror(err));
	}
	d = domain_create_root("supervisor", ROOT_SLOTS);
	root_domain = d;
	t = boot_caps(d);
	for (uint32_t i = 0; i < img.seg_count; i++) {
		boot_load_segment(d, file, &img.segs[i]);
	}
	archive_va = boot_map_blob(d, RIFT_BOOT_INITRD_VA,
				   boot_info.initrd_start, size, "boot archive");
	fdt_va = boot_map_blob(d, RIFT_BOOT_FDT_VA, boot_info.fdt_pa,
			       boot_info.fdt_size, "device tree");
	thread_start(t, img.entry, boot_stack(d, &img, archive_va, fdt_va), 0);
	printk("boot: supervisor loaded: %u segments, entry %lx, %lu pages "
	       "charged\n",
	       img.seg_count, (unsigned long)img.entry,
	       (unsigned long)d->used_pages);
}
