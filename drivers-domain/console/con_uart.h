/* SPDX-License-Identifier: MIT */
/*
 * The PL011 UART as the console drives it: polled transmit, interrupt-driven
 * receive. Only the console server touches the UART once it runs (the
 * kernel writes it again only after the console is gone, or to panic).
 */
#ifndef CONSOLE_CON_UART_H
#define CONSOLE_CON_UART_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/**
 * Takes over the PL011 mapped at @base: enables the UART, its transmitter
 * and receiver, and the receive and receive-timeout interrupts (all others
 * masked). Line settings (baud rate, framing, FIFO enable) stay as firmware
 * left them: changing the FIFO mode would flush input typed before the
 * console ran.
 */
void con_uart_init(volatile void *base);

/** Has con_uart_init() run? */
bool con_uart_ready(void);

/** Writes @len bytes, waiting while the transmit FIFO is full. */
void con_uart_write(const char *s, size_t len);

/**
 * Reads what the receive FIFO holds, up to @max bytes, dropping bytes
 * received with a framing, parity, break or overrun error, then clears the
 * receive interrupts. Returns the number of bytes stored.
 */
size_t con_uart_read(uint8_t *buf, size_t max);

#endif
