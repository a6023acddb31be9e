/* SPDX-License-Identifier: MIT */
/*
 * Boot page tables, built with the MMU off.
 *
 * Runs at the physical load address before anything is mapped: every global
 * is reached PC-relatively (adrp), all stores are aligned 64-bit words
 * (memory is Device-nGnRnE while the MMU is off), and nothing here calls out
 * of this file except the early UART writer below.
 *
 * The tables map just enough to reach kernel_main() at the link address:
 *   TTBR0: identity 1 GiB blocks around the image (for the instruction that
 *          turns the MMU on);
 *   TTBR1: the image at KERNEL_VBASE (2 MiB blocks), the early UART and a
 *          4 MiB window onto the device tree (the fixmap).
 * kernel_main() replaces them with the real tables (mmu.c) once the tree has
 * told it where RAM is.
 */
#include <arch/memlayout.h>
#include <arch/pte.h>
#include <plat/board.h>
#include <rift/types.h>

enum {
	BT_ID_L0,
	BT_ID_L1,
	BT_HI_L0,
	BT_HI_L1,
	BT_HI_L2_IMAGE,
	BT_HI_L2_FIX,
	BT_COUNT,
};

static uint64_t boot_tables[BT_COUNT][512] __aligned(4096)
	__section(".bss.pgtables");
uint64_t boot_ttbr0;
uint64_t boot_ttbr1;
uint64_t boot_image_pa; /* where the loader put us */

extern char _text[], _end[];

#define PL011_DR 0x00
#define PL011_FR 0x18
#define PL011_FR_TXFF (1u << 5)

/** Write a string to the board's early UART by physical address. */
static void boot_puts(const char *s)
{
	volatile uint32_t *uart = (volatile uint32_t *)PLAT_EARLY_UART_PA;

	for (; *s; s++) {
		while (uart[PL011_FR / 4] & PL011_FR_TXFF) {
		}
		uart[PL011_DR / 4] = (uint32_t)*s;
	}
}

/** Called from head.S when entered at the wrong exception level. */
void boot_wrong_el(uint64_t el)
{
	static const char digits[] = "0123";
	char msg[] = "rift: entered at EL?, need EL2 "
		     "(QEMU: -M virt,virtualization=on)\n";

	msg[18] = digits[el & 3];
	boot_puts(msg);
	for (;;) {
		__asm__ volatile("wfe");
	}
}

/** Called from head.S on a CPU without the Virtualization Host Extensions. */
void boot_no_vhe(void)
{
	boot_puts("rift: CPU lacks VHE (ARMv8.1); use -cpu neoverse-n1\n");
	for (;;) {
		__asm__ volatile("wfe");
	}
}

static uint64_t boot_table_pa(int i)
{
	return (uint64_t)(uintptr_t)boot_tables[i];
}

static void boot_link(int parent, unsigned idx, int child)
{
	boot_tables[parent][idx] = boot_table_pa(child) | PTE_TABLE | PTE_VALID;
}

/** Map 2 MiB blocks [va, va+size) to pa in the L2 table @l2. */
static void boot_map_2m(int l2, uint64_t va, uint64_t pa, uint64_t size,
			uint64_t attrs)
{
	for (uint64_t off = 0; off < size; off += MiB(2)) {
		unsigned idx = ((va + off) >> 21) & 511;

		boot_tables[l2][idx] = ((pa + off) & PTE_ADDR_MASK) | attrs |
				       PTE_BLOCK | PTE_VALID;
	}
}

/**
 * Build the boot tables; returns 0, or non-zero after printing why the
 * kernel cannot go on.
 */
uint64_t boot_mmu_build(uint64_t dtb_pa)
{
	uint64_t pa = (uint64_t)(uintptr_t)_text;
	uint64_t size = ALIGN_UP((uint64_t)(_end - _text), MiB(2));
	uint64_t normal_rwx = PTE_ATTR(MT_NORMAL) | PTE_AF | PTE_SH_INNER;
	uint64_t dev = PTE_ATTR(MT_DEVICE_nGnRE) | PTE_AF | PTE_XN | PTE_PXN;

	if (!IS_ALIGNED(pa, MiB(2))) {
		boot_puts("rift: image not loaded 2 MiB aligned\n");
		return 1;
	}
	if (size > GiB(1)) {
		boot_puts("rift: image larger than 1 GiB\n");
		return 1;
	}

	/* Identity: the 1 GiB blocks holding the image. */
	boot_link(BT_ID_L0, (pa >> 39) & 511, BT_ID_L1);
	for (uint64_t a = ALIGN_DOWN(pa, GiB(1)); a < pa + size; a += GiB(1)) {
		if (((a >> 39) & 511) != ((pa >> 39) & 511)) {
			boot_puts("rift: image crosses a 512 GiB boundary\n");
			return 1;
		}
		boot_tables[BT_ID_L1][(a >> 30) & 511] = a | normal_rwx |
							 PTE_BLOCK | PTE_VALID;
	}

	/* High half: image at KERNEL_VBASE, fixmap above it. */
	boot_link(BT_HI_L0, (KERNEL_VBASE >> 39) & 511, BT_HI_L1);
	boot_link(BT_HI_L1, (KERNEL_VBASE >> 30) & 511, BT_HI_L2_IMAGE);
	boot_link(BT_HI_L1, (FIXMAP_BASE >> 30) & 511, BT_HI_L2_FIX);
	boot_map_2m(BT_HI_L2_IMAGE, KERNEL_VBASE, pa, size, normal_rwx);
	boot_map_2m(BT_HI_L2_FIX, FIXMAP_UART,
		    ALIGN_DOWN(PLAT_EARLY_UART_PA, MiB(2)), MiB(2), dev);
	boot_map_2m(BT_HI_L2_FIX, FIXMAP_DTB, ALIGN_DOWN(dtb_pa, MiB(2)),
		    FIXMAP_DTB_SPAN, normal_rwx | PTE_XN | PTE_PXN);

	boot_ttbr0 = boot_table_pa(BT_ID_L0);
	boot_ttbr1 = boot_table_pa(BT_HI_L0);
	boot_image_pa = pa;
	return 0;
}
