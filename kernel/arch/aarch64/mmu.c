/* SPDX-License-Identifier: MIT */
/*
 * The kernel's own translation tables (TTBR1_EL2), replacing the boot
 * tables: a linear map of all RAM with the largest blocks that fit, the
 * image with per-section permissions (text RX, rodata R, data RW), the
 * device-tree window, and device registers mapped on demand as device
 * memory. TTBR0_EL2 belongs to user domains.
 */
#include <arch/memlayout.h>
#include <arch/sysreg.h>
#include <plat/board.h>
#include <rift/arch.h>
#include <rift/bootinfo.h>
#include <rift/cpu.h>
#include <rift/kmem.h>
#include <rift/pgtable.h>
#include <rift/pl011.h>
#include <rift/printk.h>

extern char _text[], _etext[], _erodata[], _end[];
extern char boot_stack_guard[], boot_exc_guard[];

static struct pgtable kernel_pt;
static paddr_t image_base_pa;
static uint64_t linear_blocks[3]; /* 1G, 2M, 4K mappings made */

void *phys_to_virt(paddr_t pa)
{
	return (void *)(uintptr_t)(pa + LINEAR_BASE);
}

paddr_t virt_to_phys(const void *va)
{
	uint64_t v = (uint64_t)(uintptr_t)va;

	if (v >= KERNEL_VBASE && v < FIXMAP_BASE) {
		return v - KERNEL_VBASE + image_base_pa;
	}
	return v - LINEAR_BASE;
}

static void mmu_map_or_panic(vaddr_t va, paddr_t pa, uint64_t size,
			     uint32_t flags, const char *what)
{
	int err = pgtable_map(&kernel_pt, va, pa, size, flags);

	if (err) {
		panic("mmu: cannot map %s (%lx+%lx): error %d", what,
		      (unsigned long)pa, (unsigned long)size, err);
	}
}

/** Count the block sizes used for [pa, pa+size), for the boot report. */
static void mmu_count_blocks(paddr_t pa, uint64_t size)
{
	for (uint64_t off = 0; off < size;) {
		uint64_t bs = 0;

		pgtable_lookup(&kernel_pt, LINEAR_BASE + pa + off, NULL, NULL,
			       &bs);
		linear_blocks[bs == GiB(1) ? 0 : bs == MiB(2) ? 1 : 2]++;
		off += bs ? bs : 4096;
	}
}

static void mmu_map_image(void)
{
	uint64_t text = (uint64_t)(_etext - _text);
	uint64_t ro = (uint64_t)(_erodata - _etext);
	uint64_t rw = ALIGN_UP((uint64_t)(_end - _erodata), 4096);

	mmu_map_or_panic(KERNEL_VBASE, image_base_pa, text, PT_READ | PT_EXEC,
			 "kernel text");
	mmu_map_or_panic(KERNEL_VBASE + text, image_base_pa + text, ro,
			 PT_READ, "kernel rodata");
	/* Data and bss, less the boot stacks' guard pages. */
	uint64_t pieces[3][2] = {
		{ (uint64_t)_erodata, (uint64_t)boot_stack_guard },
		{ (uint64_t)boot_stack_guard + 4096, (uint64_t)boot_exc_guard },
		{ (uint64_t)boot_exc_guard + 4096,
		  (uint64_t)_erodata + rw },
	};

	for (int i = 0; i < 3; i++) {
		uint64_t off = pieces[i][0] - KERNEL_VBASE;

		mmu_map_or_panic(pieces[i][0], image_base_pa + off,
				 pieces[i][1] - pieces[i][0],
				 PT_READ | PT_WRITE, "kernel data");
	}
}

/** Is @va in a boot stack's guard page? */
bool arch_boot_stack_guard(uint64_t va)
{
	return (va >= (uint64_t)boot_stack_guard &&
		va < (uint64_t)boot_stack_guard + 4096) ||
	       (va >= (uint64_t)boot_exc_guard &&
		va < (uint64_t)boot_exc_guard + 4096);
}

void arch_ttbr1_switch_idmap(paddr_t root);

/**
 * Install @root in TTBR1 with break-before-make: run the switch from its
 * identity-mapped (TTBR0) physical address, where no TTBR1 translation is
 * needed while TTBR1 walks are off and its TLB entries are gone.
 */
static void mmu_switch_ttbr1(paddr_t root)
{
	void (*idmapped)(paddr_t) = (void (*)(paddr_t))(uintptr_t)virt_to_phys(
		(const void *)(uintptr_t)arch_ttbr1_switch_idmap);

	idmapped(root);
}

void arch_mmu_init(paddr_t image_pa)
{
	paddr_t dtb_block = ALIGN_DOWN(boot_info.fdt_pa, MiB(2));
	paddr_t uart_pa = boot_info.uart_pa ? boot_info.uart_pa :
					      PLAT_EARLY_UART_PA;
	void *uart;

	image_base_pa = image_pa;
	if (pgtable_init(&kernel_pt, NULL, false) != 0) {
		panic("mmu: no page for the kernel root table");
	}
	for (uint32_t i = 0; i < boot_info.mem_count; i++) {
		const struct boot_region *r = &boot_info.mem[i];

		if (r->base + r->size > LINEAR_SIZE) {
			panic("mmu: RAM at %lx beyond the %lu TiB linear map",
			      (unsigned long)r->base,
			      (unsigned long)(LINEAR_SIZE >> 40));
		}
		mmu_map_or_panic(LINEAR_BASE + r->base, r->base, r->size,
				 PT_READ | PT_WRITE, "linear map");
		mmu_count_blocks(r->base, r->size);
	}
	mmu_map_image();
	mmu_map_or_panic(FIXMAP_DTB, dtb_block, FIXMAP_DTB_SPAN, PT_READ,
			 "device tree window");
	uart = arch_ioremap(uart_pa, 4096);
	if (!uart) {
		panic("mmu: cannot map the UART at %lx", (unsigned long)uart_pa);
	}

	/* The boot tables map the image with 2 MiB blocks, these with 4 KiB
	 * pages: break before make, from the identity map (head.S). */
	dsb_ishst();
	mmu_switch_ttbr1(kernel_pt.root);
	pl011_set_base(uart);
	/* No user domain yet: TTBR0 walks are disabled until one runs. */
	write_sysreg(tcr_el2, read_sysreg(tcr_el2) | TCR_EPD0);
	isb();
}

/**
 * This CPU's kernel and exception stacks, each 16 KiB with an unmapped
 * guard page below it (memlayout.h), from the allocator (node-local).
 */
void arch_kstacks_init(struct cpu *c)
{
	uint64_t slot = KSTACK_BASE + c->id * KSTACK_SLOT;
	uint32_t order = (uint32_t)__builtin_ctzll(KSTACK_SIZE / PMM_PAGE_SIZE);
	paddr_t k, e;

	if (pmm_alloc_near(&kmem_pmm, c->node, order, &k, NULL) ||
	    pmm_alloc_near(&kmem_pmm, c->node, order, &e, NULL)) {
		panic("mmu: no memory for CPU %u's stacks", c->id);
	}
	mmu_map_or_panic(slot + KSTACK_OFF, k, KSTACK_SIZE, PT_READ | PT_WRITE,
			 "kernel stack");
	mmu_map_or_panic(slot + EXCSTACK_OFF, e, KSTACK_SIZE,
			 PT_READ | PT_WRITE, "exception stack");
	c->kstack_top = (void *)(uintptr_t)(slot + KSTACK_OFF + KSTACK_SIZE);
	c->exc_stack_top = (void *)(uintptr_t)(slot + EXCSTACK_OFF + KSTACK_SIZE);
}

void mmu_report(void)
{
	printk("mmu: linear map of RAM: %lu x 1G, %lu x 2M, %lu x 4K blocks; "
	       "%lu table pages\n",
	       (unsigned long)linear_blocks[0], (unsigned long)linear_blocks[1],
	       (unsigned long)linear_blocks[2],
	       (unsigned long)kernel_pt.table_pages);
}

void *arch_ioremap(paddr_t pa, uint64_t size)
{
	paddr_t base = ALIGN_DOWN(pa, 4096);
	uint64_t len = ALIGN_UP(pa + size, 4096) - base;
	int err;

	for (uint32_t i = 0; i < boot_info.mem_count; i++) {
		const struct boot_region *r = &boot_info.mem[i];

		if (base < r->base + r->size && r->base < base + len) {
			return NULL; /* RAM is never device memory */
		}
	}
	err = pgtable_map(&kernel_pt, LINEAR_BASE + base, base, len,
			  PT_READ | PT_WRITE | PT_DEVICE);
	if (err != 0 && err != PT_EEXIST) {
		return NULL;
	}
	return phys_to_virt(pa);
}

/** Say which UART the log uses now. */
void arch_console_init(void)
{
	if (!boot_info.uart_pa) {
		printk("console: no arm,pl011 in the device tree; using the "
		       "board's early UART at %lx\n",
		       (unsigned long)PLAT_EARLY_UART_PA);
	}
}
