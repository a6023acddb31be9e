/* SPDX-License-Identifier: MIT */
/* What the test guest and its VMM (gvmm.c) agree on. */
#ifndef GUEST_ABI_H
#define GUEST_ABI_H

#define GUEST_RAM 0x40000000ull     /* the RMA: image at its start */
#define GUEST_MARKER 0x40200000ull  /* isolation: a word in the RMA */
#define GUEST_JUNK 0x40300000ull    /* garbage instructions */
#define GUEST_EXTRA_2M 0x44000000ull /* a 2 MiB frame above the RMA */
#define GUEST_EXTRA_4K 0x44200000ull /* a 4 KiB page above that */
#define GUEST_BIG_1G 0x80000000ull   /* a 1 GiB frame (gvmm "big") */
#define GUEST_UART 0x09000000ull    /* PL011 data register: console */
#define GUEST_TDEV 0x0a000000ull    /* the test device */

/* Test device registers (offsets). */
#define TDEV_READ 0x00     /* reads TDEV_READ_VALUE */
#define TDEV_WRITE 0x08    /* writes checked by the VMM */
#define TDEV_VERDICT 0x10  /* reads: writes the VMM found right */
#define TDEV_CMD 0x100     /* writes: TDEV_CMD_* */
#define TDEV_READ_VALUE 0x8877665544339281ull
#define TDEV_HOLE_VALUE 0xdeadbeefdeadbeefull /* any unmapped IPA */
#define TDEV_CMD_INJECT 1  /* raise TDEV_INJECT_COUNT SPIs at once */
#define TDEV_CMD_PHASE 2   /* isolation: guest A waits in WFI now */
#define TDEV_INJECT_FIRST 40
#define TDEV_INJECT_COUNT 12 /* three times the list registers of QEMU */

#define PSCI_VERSION 0x84000000ull
#define PSCI_SYSTEM_OFF 0x84000008ull
#define VENDOR_HVC_FOUR 0xc6000001ull /* answers x0..x3 = 1, 2, 3, 4 */

enum {
	SCEN_BASIC = 1,
	SCEN_ISO_A = 2,
	SCEN_ISO_B = 3,
	SCEN_VTIMER = 4,
	SCEN_IRQS = 5,
	SCEN_WFI = 6,
	SCEN_GARBAGE = 7,
	SCEN_BENCH = 8,
};

#define BENCH_N 64

#endif
