/* SPDX-License-Identifier: MIT */
/* PL011 access for the console server (see con_uart.h). */
#include "con_uart.h"

/** PL011 registers (ARM DDI 0183), byte offsets. */
enum pl011_reg {
	PL011_DR = 0x00,   /* RW data; bits 11..8 receive errors */
	PL011_FR = 0x18,   /* RO flags */
	PL011_CR = 0x30,   /* RW control */
	PL011_IMSC = 0x38, /* RW interrupt mask set/clear (1 = enabled) */
	PL011_ICR = 0x44,  /* WO interrupt clear */
};

#define PL011_DR_ERRORS (0xfu << 8) /* overrun, break, parity, framing */
#define PL011_FR_RXFE (1u << 4)     /* receive FIFO empty */
#define PL011_FR_TXFF (1u << 5)     /* transmit FIFO full */
#define PL011_CR_UARTEN (1u << 0)
#define PL011_CR_TXE (1u << 8)
#define PL011_CR_RXE (1u << 9)
#define PL011_INT_RX (1u << 4)      /* receive */
#define PL011_INT_RT (1u << 6)      /* receive timeout */
#define PL011_INT_ERRORS (0xfu << 7) /* framing, parity, break, overrun */
#define PL011_INT_ALL 0x7ffu

static volatile uint32_t *uart;

static uint32_t uart_rd(enum pl011_reg r)
{
	return uart[r / 4];
}

static void uart_wr(enum pl011_reg r, uint32_t v)
{
	uart[r / 4] = v;
}

void con_uart_init(volatile void *base)
{
	uart = base;
	uart_wr(PL011_IMSC, 0);
	uart_wr(PL011_ICR, PL011_INT_ALL);
	uart_wr(PL011_CR, uart_rd(PL011_CR) | PL011_CR_UARTEN | PL011_CR_TXE |
				  PL011_CR_RXE);
	uart_wr(PL011_IMSC, PL011_INT_RX | PL011_INT_RT);
}

bool con_uart_ready(void)
{
	return uart != NULL;
}

void con_uart_write(const char *s, size_t len)
{
	if (uart == NULL) {
		return;
	}
	for (size_t i = 0; i < len; i++) {
		while (uart_rd(PL011_FR) & PL011_FR_TXFF) {
		}
		uart_wr(PL011_DR, (uint8_t)s[i]);
	}
}

size_t con_uart_read(uint8_t *buf, size_t max)
{
	size_t n = 0;

	if (uart == NULL) {
		return 0;
	}
	/*
	 * Clear first, then drain: a byte that arrives after the last read
	 * raises the interrupt again. Clearing after the drain would wipe the
	 * interrupt of such a byte, and the PL011 raises RX only when its FIFO
	 * goes from empty to non-empty: input would stall for good.
	 */
	uart_wr(PL011_ICR, PL011_INT_RX | PL011_INT_RT | PL011_INT_ERRORS);
	while (n < max && !(uart_rd(PL011_FR) & PL011_FR_RXFE)) {
		uint32_t v = uart_rd(PL011_DR);

		if (!(v & PL011_DR_ERRORS)) {
			buf[n++] = (uint8_t)v;
		}
	}
	return n;
}
