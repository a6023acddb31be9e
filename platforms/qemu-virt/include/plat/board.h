/* SPDX-License-Identifier: MIT */
/*
 * QEMU virt board: the few facts the kernel needs before it can read the
 * device tree. Everything else comes from the tree at boot.
 */
#ifndef PLAT_BOARD_H
#define PLAT_BOARD_H

/** PL011 used for messages printed before the device tree is parsed. */
#define PLAT_EARLY_UART_PA 0x09000000ull

/** PSCI conduit before /psci is read: QEMU with EL2 on uses SMC. */
#define PLAT_PSCI_CONDUIT_SMC 1

#define PLAT_NAME "qemu-virt"

#endif
