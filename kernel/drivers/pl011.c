/* SPDX-License-Identifier: MIT */
/*
 * PL011 output for the kernel's own log. Polled; used before the console
 * server owns the UART, if the console goes away, and for panics.
 *
 * The console server holds the UART's registers and could stop it
 * (UARTCR.UARTEN = 0) and then drop its log notification, sending the
 * kernel back here: a wait for FIFO room is therefore bounded. A wait that
 * runs out marks the UART stuck; output is then dropped and counted, with
 * no more waiting, until a panic re-enables the UART for its last words.
 */
#include <rift/pl011.h>

enum pl011_reg {
	PL011_DR = 0x00, /* RW data */
	PL011_FR = 0x18, /* RO flags */
	PL011_CR = 0x30, /* RW control */
};

#define PL011_FR_TXFF (1u << 5) /* transmit FIFO full */
#define PL011_FR_BUSY (1u << 3)
#define PL011_CR_UARTEN (1u << 0)
#define PL011_CR_TXE (1u << 8)

/* Register reads before giving up on FIFO room: one character at 9600
 * baud (~1 ms) with reads of ~100 ns. */
#define PL011_SPIN_MAX 20000u

static volatile uint32_t *pl011_base;
static bool pl011_stuck;
uint64_t pl011_dropped; /**< characters dropped while stuck */

void pl011_set_base(volatile void *base)
{
	pl011_base = base;
}

void pl011_putc(char c)
{
	uint32_t spins = 0;

	if (!pl011_base) {
		return;
	}
	while (!pl011_stuck && (pl011_base[PL011_FR / 4] & PL011_FR_TXFF)) {
		if (++spins == PL011_SPIN_MAX) {
			pl011_stuck = true;
		}
	}
	if (pl011_stuck) {
		pl011_dropped++;
		return;
	}
	pl011_base[PL011_DR / 4] = (uint8_t)c;
}

/** Panic path: take the UART back, whatever its owner did to it. */
void pl011_reclaim(void)
{
	if (!pl011_base) {
		return;
	}
	pl011_base[PL011_CR / 4] |= PL011_CR_UARTEN | PL011_CR_TXE;
	pl011_stuck = false;
}

void pl011_flush(void)
{
	uint32_t spins = 0;

	if (!pl011_base) {
		return;
	}
	while ((pl011_base[PL011_FR / 4] & PL011_FR_BUSY) &&
	       ++spins < PL011_SPIN_MAX) {
	}
}
