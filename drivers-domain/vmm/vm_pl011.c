/* SPDX-License-Identifier: MIT */
/* The PL011 register model (vm_pl011.h). */
#include "vm_pl011.h"

/* PrimeCell identification of a PL011 r1p5, as on QEMU virt:
 * PeriphID0..3 then CellID0..3. */
static const uint8_t pl011_id[8] = { 0x11, 0x10, 0x14, 0x00,
				     0x0d, 0xf0, 0x05, 0xb1 };

/** RX and RT follow the FIFO: raised while a byte waits, as with a
 * receive timeout that has expired. */
static void update_rx(struct vm_pl011 *u)
{
	if (u->rx_count) {
		u->ris |= PL011_INT_RX | PL011_INT_RT;
	} else {
		u->ris &= ~(PL011_INT_RX | PL011_INT_RT);
	}
}

void vm_pl011_reset(struct vm_pl011 *u)
{
	u->ibrd = u->fbrd = u->lcr_h = u->imsc = u->ris = 0;
	u->ilpr = u->dmacr = 0;
	u->cr = 0x300;
	u->ifls = 0x12;
	u->rx_head = u->rx_count = 0;
}

static uint32_t pop_rx(struct vm_pl011 *u)
{
	uint32_t c;

	if (u->rx_count == 0) {
		return 0;
	}
	c = u->rx[u->rx_head];
	u->rx_head = (u->rx_head + 1) % PL011_RX_FIFO;
	u->rx_count--;
	update_rx(u);
	return c;
}

static uint32_t flags(const struct vm_pl011 *u)
{
	uint32_t fr = PL011_FR_TXFE;

	if (u->rx_count == 0) {
		fr |= PL011_FR_RXFE;
	}
	if (u->rx_count == PL011_RX_FIFO) {
		fr |= PL011_FR_RXFF;
	}
	return fr;
}

uint32_t vm_pl011_read(struct vm_pl011 *u, uint64_t offset, unsigned size)
{
	if (offset >= PL011_SIZE || (offset & 3) || size == 0 || size > 4) {
		return 0;
	}
	if (offset >= PL011_PERIPHID0) {
		return pl011_id[(offset - PL011_PERIPHID0) / 4];
	}
	switch (offset) {
	case PL011_DR:
		return pop_rx(u);
	case PL011_RSR:
		return 0;
	case PL011_FR:
		return flags(u);
	case PL011_ILPR:
		return u->ilpr;
	case PL011_IBRD:
		return u->ibrd;
	case PL011_FBRD:
		return u->fbrd;
	case PL011_LCR_H:
		return u->lcr_h;
	case PL011_CR:
		return u->cr;
	case PL011_IFLS:
		return u->ifls;
	case PL011_IMSC:
		return u->imsc;
	case PL011_RIS:
		return u->ris;
	case PL011_MIS:
		return u->ris & u->imsc;
	case PL011_DMACR:
		return u->dmacr;
	default:
		return 0;
	}
}

void vm_pl011_write(struct vm_pl011 *u, uint64_t offset, unsigned size,
		    uint32_t value)
{
	if (offset >= PL011_SIZE || (offset & 3) || size == 0 || size > 4) {
		return;
	}
	switch (offset) {
	case PL011_DR:
		if (u->tx) {
			u->tx(u->opaque, (uint8_t)value);
		}
		/* Sent at once: the FIFO is below any trigger level. */
		u->ris |= PL011_INT_TX;
		break;
	case PL011_RSR:
		break; /* clears errors; there never are any */
	case PL011_ILPR:
		u->ilpr = value & 0xff;
		break;
	case PL011_IBRD:
		u->ibrd = value & 0xffff;
		break;
	case PL011_FBRD:
		u->fbrd = value & 0x3f;
		break;
	case PL011_LCR_H:
		u->lcr_h = value & 0xff;
		break;
	case PL011_CR:
		u->cr = value & 0xffff;
		break;
	case PL011_IFLS:
		u->ifls = value & 0x3f;
		break;
	case PL011_IMSC:
		u->imsc = value & PL011_INT_ALL;
		break;
	case PL011_ICR:
		u->ris &= ~(value & PL011_INT_ALL);
		update_rx(u); /* RX and RT stay up while bytes wait */
		break;
	case PL011_DMACR:
		u->dmacr = value & 7;
		break;
	default:
		break;
	}
}

size_t vm_pl011_rx_room(const struct vm_pl011 *u)
{
	return PL011_RX_FIFO - u->rx_count;
}

size_t vm_pl011_input(struct vm_pl011 *u, const uint8_t *buf, size_t len)
{
	size_t n = 0;

	while (n < len && u->rx_count < PL011_RX_FIFO) {
		u->rx[(u->rx_head + u->rx_count) % PL011_RX_FIFO] = buf[n++];
		u->rx_count++;
	}
	update_rx(u);
	return n;
}

int vm_pl011_irq(const struct vm_pl011 *u)
{
	return (u->ris & u->imsc) != 0;
}
