/* SPDX-License-Identifier: MIT */
/*
 * The guest's PL011 UART (ARM PrimeCell UART, DDI 0183): a register model
 * with enough of the device for Linux's amba-pl011 driver and its earlycon.
 * Transmit never waits (the FIFO always reads empty); bytes written go to
 * the owner's output seam. Received bytes wait in a 32-byte FIFO. Pure and
 * host-tested: the VMM feeds it guest accesses and console input and
 * drives the interrupt line from vm_pl011_irq().
 */
#ifndef VM_PL011_H
#define VM_PL011_H

#include <stddef.h>
#include <stdint.h>

#define PL011_SIZE 0x1000

/* Register offsets. */
enum {
	PL011_DR = 0x000,    /**< RW data: read pops RX, write transmits */
	PL011_RSR = 0x004,   /**< RW receive status / error clear */
	PL011_FR = 0x018,    /**< RO flags */
	PL011_ILPR = 0x020,  /**< RW IrDA low-power counter (kept, unused) */
	PL011_IBRD = 0x024,  /**< RW integer baud divisor */
	PL011_FBRD = 0x028,  /**< RW fractional baud divisor */
	PL011_LCR_H = 0x02c, /**< RW line control */
	PL011_CR = 0x030,    /**< RW control */
	PL011_IFLS = 0x034,  /**< RW FIFO level select */
	PL011_IMSC = 0x038,  /**< RW interrupt mask set/clear (1 = enabled) */
	PL011_RIS = 0x03c,   /**< RO raw interrupt status */
	PL011_MIS = 0x040,   /**< RO masked interrupt status */
	PL011_ICR = 0x044,   /**< WO interrupt clear */
	PL011_DMACR = 0x048, /**< RW DMA control (no DMA: kept, unused) */
	PL011_PERIPHID0 = 0xfe0, /**< RO PeriphID0..3 at 0xfe0..0xfec */
	PL011_CELLID0 = 0xff0,   /**< RO CellID0..3 at 0xff0..0xffc */
};

/* FR bits. */
#define PL011_FR_BUSY (1u << 3)
#define PL011_FR_RXFE (1u << 4)
#define PL011_FR_TXFF (1u << 5)
#define PL011_FR_RXFF (1u << 6)
#define PL011_FR_TXFE (1u << 7)

/* Interrupt bits (RIS, MIS, IMSC, ICR). */
#define PL011_INT_RX (1u << 4)
#define PL011_INT_TX (1u << 5)
#define PL011_INT_RT (1u << 6)
#define PL011_INT_ALL 0x7ffu

#define PL011_RX_FIFO 32

struct vm_pl011 {
	uint32_t ibrd, fbrd, lcr_h, cr, ifls, imsc, ris, ilpr, dmacr;
	uint8_t rx[PL011_RX_FIFO];
	uint32_t rx_head, rx_count;
	/** Output seam: called for every byte the guest transmits. */
	void (*tx)(void *opaque, uint8_t byte);
	void *opaque;
};

/** Reset state (as after power-on): CR = 0x300 (TXE, RXE), FIFO empty. */
void vm_pl011_reset(struct vm_pl011 *u);

/**
 * A guest read of @size bytes (1, 2 or 4) at @offset. Unknown or
 * unaligned offsets read 0 (Linux never does either). Reading DR pops the
 * RX FIFO.
 */
uint32_t vm_pl011_read(struct vm_pl011 *u, uint64_t offset, unsigned size);

/** A guest write at @offset. Read-only and unknown registers ignore it. */
void vm_pl011_write(struct vm_pl011 *u, uint64_t offset, unsigned size,
		    uint32_t value);

/** Queues up to @len input bytes; returns how many fit in the FIFO. */
size_t vm_pl011_input(struct vm_pl011 *u, const uint8_t *buf, size_t len);

/** Free places in the RX FIFO. */
size_t vm_pl011_rx_room(const struct vm_pl011 *u);

/** Level of the interrupt line: 1 when any enabled interrupt is raised. */
int vm_pl011_irq(const struct vm_pl011 *u);

#endif
