/* SPDX-License-Identifier: MIT */
/*
 * PL011 output for the kernel's own log. Polled; used before the console
 * server owns the UART and for panics.
 */
#include <rift/pl011.h>

enum pl011_reg {
	PL011_DR = 0x00, /* RW data */
	PL011_FR = 0x18, /* RO flags */
};

#define PL011_FR_TXFF (1u << 5) /* transmit FIFO full */
#define PL011_FR_BUSY (1u << 3)

static volatile uint32_t *pl011_base;

void pl011_set_base(volatile void *base)
{
	pl011_base = base;
}

void pl011_putc(char c)
{
	if (!pl011_base) {
		return;
	}
	while (pl011_base[PL011_FR / 4] & PL011_FR_TXFF) {
	}
	pl011_base[PL011_DR / 4] = (uint8_t)c;
}

void pl011_flush(void)
{
	if (!pl011_base) {
		return;
	}
	while (pl011_base[PL011_FR / 4] & PL011_FR_BUSY) {
	}
}
