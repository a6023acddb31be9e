/* SPDX-License-Identifier: MIT */
/*
 * Host tests of the VMM's pure parts (drivers-domain/vmm/vm_*.c): the
 * arm64 Image header check, PSCI decoding, the PL011 register model, the
 * GICv3 distributor and redistributor model, the guest device tree, the
 * start-of-day page and console ring, and the guest configuration. Also
 * run big-endian (s390x): every guest-visible byte is built explicitly.
 */
#include <libfdt.h>
#include <stdint.h>
#include <string.h>

#include "../vm_boot.h"
#include "../vm_config.h"
#include "../vm_fdt.h"
#include "../vm_gic.h"
#include "../vm_image.h"
#include "../vm_layout.h"
#include "../vm_pl011.h"
#include "../vm_psci.h"
#include "../vm_sod.h"
#include "../vm_sysreg.h"
#include "test.h"

static uint8_t img[8192] __attribute__((aligned(8)));
static uint8_t blob[65536] __attribute__((aligned(8)));

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++) {
		p[i] = (uint8_t)(v >> (8 * i));
	}
}

static void put64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++) {
		p[i] = (uint8_t)(v >> (8 * i));
	}
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/** An Image header like Debian's: text_offset 0, flags 0xa. */
static void header(uint64_t text_offset, uint64_t image_size, uint64_t flags)
{
	memset(img, 0, sizeof(img));
	put32(img, 0x91005a4d); /* "MZ" + add: the EFI stub's code0 */
	put64(img + 8, text_offset);
	put64(img + 16, image_size);
	put64(img + 24, flags);
	memcpy(img + 56, "ARM\x64", 4);
}

/** A PE header at 0x40 with two sections; the last ends at @end. */
static void pe(uint32_t end)
{
	uint8_t *p = img + 0x40;

	put32(img + 60, 0x40);
	memcpy(p, "PE\0\0", 4);
	p[6] = 2;     /* sections */
	p[20] = 0xa0; /* optional header size */
	p += 24 + 0xa0;
	memcpy(p, ".text", 5);
	put32(p + 16, 0x1000); /* SizeOfRawData */
	put32(p + 20, 0x1000); /* PointerToRawData */
	p += 40;
	memcpy(p, ".data", 5);
	put32(p + 16, end - 0x2000);
	put32(p + 20, 0x2000);
}

TEST(image_ok_debian_like)
{
	struct vm_image_info i;

	header(0, 0x3000, 0xa);
	pe(0x2800);
	CHECK_EQ(vm_image_check(img, 0x2900, &i), VM_IMAGE_OK);
	CHECK_EQ(i.text_offset, 0);
	CHECK_EQ(i.image_size, 0x3000);
	CHECK_EQ(i.flags, 0xa);
	CHECK(i.has_pe);
}

TEST(image_truncated)
{
	struct vm_image_info i;

	header(0, 0x3000, 0xa);
	pe(0x2800);
	CHECK_EQ(vm_image_check(img, 0x2000, &i), VM_IMAGE_TRUNCATED);
	CHECK_EQ(vm_image_check(img, 40, &i), VM_IMAGE_SHORT);
	CHECK_EQ(vm_image_check(img, 0, &i), VM_IMAGE_SHORT);
	/* Cut inside the section table itself. */
	CHECK_EQ(vm_image_check(img, 0x40 + 24 + 0xa0 + 50, &i),
		 VM_IMAGE_TRUNCATED);
}

TEST(image_not_an_image)
{
	struct vm_image_info i;
	static const uint8_t gz[64] = { 0x1f, 0x8b, 8 };
	static const uint8_t elf[64] = { 0x7f, 'E', 'L', 'F', 2, 1, 1 };

	CHECK_EQ(vm_image_check(gz, sizeof(gz), &i), VM_IMAGE_MAGIC_BAD);
	CHECK_EQ(vm_image_check(elf, sizeof(elf), &i), VM_IMAGE_MAGIC_BAD);
	CHECK(strstr(vm_image_strerror(VM_IMAGE_MAGIC_BAD), "ARM\\x64"));
	CHECK(strstr(vm_image_strerror(VM_IMAGE_TRUNCATED), "truncated"));
}

TEST(image_header_fields)
{
	struct vm_image_info i;

	header(0, 0x1000, 1); /* big-endian */
	CHECK_EQ(vm_image_check(img, 0x1000, &i), VM_IMAGE_BIG_ENDIAN);
	header(0x80001, 0x1000, 0);
	CHECK_EQ(vm_image_check(img, 0x1000, &i), VM_IMAGE_TEXT_OFFSET);
	header(0x200000, 0x1000, 0);
	CHECK_EQ(vm_image_check(img, 0x1000, &i), VM_IMAGE_TEXT_OFFSET);
	header(0, 0x800, 0); /* smaller than the file */
	CHECK_EQ(vm_image_check(img, 0x1000, &i), VM_IMAGE_SIZE_BAD);
	header(0x1234, 0, 0); /* before 3.17: size 0, offset 0x80000 */
	CHECK_EQ(vm_image_check(img, 0x1000, &i), VM_IMAGE_OK);
	CHECK_EQ(i.text_offset, 0x80000);
	CHECK_EQ(i.image_size, 0x1000);
}

static const struct vm_psci_cpus two_cpus = { 2, { 1, 0 } };

static void call(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3,
		 struct vm_psci_action *out)
{
	uint64_t x[4] = { fn, a1, a2, a3 };

	vm_psci_decode(x, 0, &two_cpus, out);
}

TEST(psci_version_features)
{
	struct vm_psci_action a;

	call(PSCI_VERSION, 0, 0, 0, &a);
	CHECK_EQ(a.act, VM_PSCI_RETURN);
	CHECK_EQ(a.ret, 0x10000);
	call(PSCI_FEATURES, PSCI_CPU_ON | PSCI_64, 0, 0, &a);
	CHECK_EQ(a.ret, 0);
	call(PSCI_FEATURES, PSCI_SYSTEM_RESET, 0, 0, &a);
	CHECK_EQ(a.ret, 0);
	call(PSCI_FEATURES, PSCI_CPU_SUSPEND, 0, 0, &a);
	CHECK_EQ(a.ret, PSCI_NOT_SUPPORTED);
	call(PSCI_FEATURES, SMCCC_VERSION, 0, 0, &a);
	CHECK_EQ(a.ret, PSCI_NOT_SUPPORTED);
	call(0x8400001f, 0, 0, 0, &a); /* in range, unknown */
	CHECK_EQ(a.act, VM_PSCI_RETURN);
	CHECK_EQ(a.ret, PSCI_NOT_SUPPORTED);
	call(0x100000000ull | PSCI_SYSTEM_OFF, 0, 0, 0, &a); /* bits 63:32 */
	CHECK_EQ(a.act, VM_PSCI_RETURN);
	CHECK(vm_psci_is_psci(PSCI_CPU_ON | PSCI_64));
	CHECK(!vm_psci_is_psci(SMCCC_VERSION));
	CHECK(!vm_psci_is_psci(0x84000020));
}

TEST(psci_cpu_on_off)
{
	struct vm_psci_action a;

	call(PSCI_CPU_ON | PSCI_64, 1, 0x40080000, 0x1234, &a);
	CHECK_EQ(a.act, VM_PSCI_CPU_ON);
	CHECK_EQ(a.cpu, 1);
	CHECK_EQ(a.entry, 0x40080000);
	CHECK_EQ(a.context, 0x1234);
	call(PSCI_CPU_ON | PSCI_64, 0, 0x40080000, 0, &a);
	CHECK_EQ(a.act, VM_PSCI_RETURN);
	CHECK_EQ(a.ret, PSCI_ALREADY_ON);
	call(PSCI_CPU_ON | PSCI_64, 2, 0x40080000, 0, &a);
	CHECK_EQ(a.ret, PSCI_INVALID_PARAMETERS);
	call(PSCI_CPU_ON | PSCI_64, 0x100, 0x40080000, 0, &a); /* Aff1 */
	CHECK_EQ(a.ret, PSCI_INVALID_PARAMETERS);
	/* SMC32: arguments are 32 bits; the top halves are ignored. */
	call(PSCI_CPU_ON, 0xffffffff00000001ull, 0xffffffff40000000ull, 0,
	     &a);
	CHECK_EQ(a.act, VM_PSCI_CPU_ON);
	CHECK_EQ(a.entry, 0x40000000);
	call(PSCI_CPU_OFF, 0, 0, 0, &a);
	CHECK_EQ(a.act, VM_PSCI_CPU_OFF);
	call(PSCI_AFFINITY_INFO | PSCI_64, 1, 0, 0, &a);
	CHECK_EQ(a.ret, 1); /* off */
	call(PSCI_AFFINITY_INFO | PSCI_64, 0, 0, 0, &a);
	CHECK_EQ(a.ret, 0); /* on */
}

TEST(psci_system)
{
	struct vm_psci_action a;

	call(PSCI_SYSTEM_OFF, 0, 0, 0, &a);
	CHECK_EQ(a.act, VM_PSCI_SYSTEM_OFF);
	call(PSCI_SYSTEM_RESET, 0, 0, 0, &a);
	CHECK_EQ(a.act, VM_PSCI_SYSTEM_RESET);
	call(PSCI_MIGRATE_INFO_TYPE, 0, 0, 0, &a);
	CHECK_EQ(a.ret, 2);
	CHECK(strcmp(vm_psci_name(PSCI_CPU_ON | PSCI_64), "CPU_ON") == 0);
}

static char tx_buf[64];
static size_t tx_len;

static void tx(void *opaque, uint8_t c)
{
	(void)opaque;
	if (tx_len < sizeof(tx_buf)) {
		tx_buf[tx_len++] = (char)c;
	}
}

TEST(pl011_ids_and_tx)
{
	struct vm_pl011 u = { .tx = tx };
	static const uint8_t id[8] = { 0x11, 0x10, 0x14, 0, 0x0d, 0xf0, 5,
				       0xb1 };

	vm_pl011_reset(&u);
	for (int i = 0; i < 8; i++) {
		CHECK_EQ(vm_pl011_read(&u, 0xfe0 + 4 * i, 4), id[i]);
	}
	CHECK_EQ(vm_pl011_read(&u, PL011_CR, 4), 0x300);
	CHECK_EQ(vm_pl011_read(&u, PL011_FR, 4),
		 PL011_FR_TXFE | PL011_FR_RXFE);
	tx_len = 0;
	vm_pl011_write(&u, PL011_DR, 4, 'h');
	vm_pl011_write(&u, PL011_DR, 1, 'i');
	CHECK_EQ(tx_len, 2);
	CHECK(memcmp(tx_buf, "hi", 2) == 0);
	/* TX raised, but masked: no interrupt until IMSC enables it. */
	CHECK(vm_pl011_read(&u, PL011_RIS, 4) & PL011_INT_TX);
	CHECK(!vm_pl011_irq(&u));
	vm_pl011_write(&u, PL011_IMSC, 4, PL011_INT_TX);
	CHECK(vm_pl011_irq(&u));
	CHECK_EQ(vm_pl011_read(&u, PL011_MIS, 4), PL011_INT_TX);
	vm_pl011_write(&u, PL011_ICR, 4, PL011_INT_TX);
	CHECK(!vm_pl011_irq(&u));
	vm_pl011_write(&u, PL011_IBRD, 4, 0x1234567);
	vm_pl011_write(&u, PL011_FBRD, 4, 0xff);
	vm_pl011_write(&u, PL011_LCR_H, 4, 0x70);
	CHECK_EQ(vm_pl011_read(&u, PL011_IBRD, 4), 0x4567);
	CHECK_EQ(vm_pl011_read(&u, PL011_FBRD, 4), 0x3f);
	CHECK_EQ(vm_pl011_read(&u, PL011_LCR_H, 4), 0x70);
	CHECK_EQ(vm_pl011_read(&u, 0x2, 4), 0);      /* unaligned */
	CHECK_EQ(vm_pl011_read(&u, 0x1000, 4), 0);   /* outside */
	vm_pl011_write(&u, PL011_FR, 4, 0);          /* read-only */
	CHECK_EQ(vm_pl011_read(&u, PL011_FR, 4),
		 PL011_FR_TXFE | PL011_FR_RXFE);
}

TEST(pl011_rx)
{
	struct vm_pl011 u = { .tx = tx };
	uint8_t many[40];

	vm_pl011_reset(&u);
	vm_pl011_write(&u, PL011_IMSC, 4, PL011_INT_RX | PL011_INT_RT);
	CHECK(!vm_pl011_irq(&u));
	CHECK_EQ(vm_pl011_input(&u, (const uint8_t *)"ab", 2), 2);
	CHECK(vm_pl011_irq(&u));
	CHECK_EQ(vm_pl011_read(&u, PL011_FR, 4) & PL011_FR_RXFE, 0);
	/* Clearing RX while bytes wait does not lower the line. */
	vm_pl011_write(&u, PL011_ICR, 4, PL011_INT_RX | PL011_INT_RT);
	CHECK(vm_pl011_irq(&u));
	CHECK_EQ(vm_pl011_read(&u, PL011_DR, 4), 'a');
	CHECK_EQ(vm_pl011_read(&u, PL011_DR, 4), 'b');
	CHECK(!vm_pl011_irq(&u));
	CHECK(vm_pl011_read(&u, PL011_FR, 4) & PL011_FR_RXFE);
	CHECK_EQ(vm_pl011_read(&u, PL011_DR, 4), 0); /* empty */
	memset(many, 'x', sizeof(many));
	CHECK_EQ(vm_pl011_input(&u, many, sizeof(many)), PL011_RX_FIFO);
	CHECK(vm_pl011_read(&u, PL011_FR, 4) & PL011_FR_RXFF);
	CHECK_EQ(vm_pl011_rx_room(&u), 0);
	CHECK_EQ(vm_pl011_input(&u, many, 1), 0);
}

#define OPS 64
static struct gic_rec {
	uint32_t cpu, intid, op, prio;
} ops[OPS];
static int nops;

static void gic_op(void *opaque, uint32_t cpu, uint32_t intid,
		   enum vm_gic_op op, uint32_t prio)
{
	(void)opaque;
	if (nops < OPS) {
		ops[nops++] = (struct gic_rec){ cpu, intid, op, prio };
	}
}

static uint64_t gic_rd(struct vm_gic *g, uint64_t gpa, unsigned size)
{
	uint64_t v = 0xdead;

	/* Not the GIC's: a value no register has, so the check fails. */
	return vm_gic_access(g, gpa, size, 0, &v) == 1 ? v : 0xbad0bad0bad0ull;
}

static void gic_wr(struct vm_gic *g, uint64_t gpa, unsigned size, uint64_t v)
{
	vm_gic_access(g, gpa, size, 1, &v);
}

TEST(gic_distributor)
{
	struct vm_gic g = { .op = gic_op };
	uint64_t v = 0;

	vm_gic_reset(&g, 1);
	CHECK_EQ(gic_rd(&g, VM_GICD_BASE + GIC_PIDR2, 4) & 0xf0, 0x30);
	CHECK_EQ(gic_rd(&g, VM_GICD_BASE + GICD_TYPER, 4) & 0x1f, 2);
	gic_wr(&g, VM_GICD_BASE + GICD_CTLR, 4, 0x13);
	CHECK_EQ(gic_rd(&g, VM_GICD_BASE + GICD_CTLR, 4) & (1u << 31), 0);
	CHECK(gic_rd(&g, VM_GICD_BASE + GICD_CTLR, 4) & GICD_CTLR_ARE);
	nops = 0;
	gic_wr(&g, VM_GICD_BASE + GICD_ISENABLER + 4, 4, 1u << 1); /* 33 */
	CHECK_EQ(nops, 1);
	CHECK_EQ(ops[0].intid, 33);
	CHECK_EQ(ops[0].op, VM_GIC_ENABLE);
	CHECK_EQ(gic_rd(&g, VM_GICD_BASE + GICD_ISENABLER + 4, 4), 2);
	gic_wr(&g, VM_GICD_BASE + GICD_ISENABLER + 4, 4, 1u << 1); /* again */
	CHECK_EQ(nops, 1);
	gic_wr(&g, VM_GICD_BASE + GICD_IPRIORITYR + 32, 4, 0xa0a0a0a0);
	CHECK_EQ(nops, 5);
	CHECK_EQ(ops[2].intid, 33);
	CHECK_EQ(ops[2].op, VM_GIC_PRIORITY);
	CHECK_EQ(ops[2].prio, 0xa0);
	CHECK_EQ(gic_rd(&g, VM_GICD_BASE + GICD_IPRIORITYR + 33, 1), 0xa0);
	gic_wr(&g, VM_GICD_BASE + GICD_ICENABLER + 4, 4, ~0u);
	CHECK_EQ(nops, 6);
	CHECK_EQ(ops[5].op, VM_GIC_DISABLE);
	/* Routing: 64-bit IROUTER; a vCPU that does not exist gets 0. */
	gic_wr(&g, VM_GICD_BASE + GICD_IROUTER + 33 * 8, 8, 5);
	CHECK_EQ(vm_gic_spi_target(&g, 33), 0);
	CHECK_EQ(gic_rd(&g, VM_GICD_BASE + GICD_IROUTER + 33 * 8, 8), 5);
	/* Out of range and unknown: not ours, or read as zero. */
	CHECK_EQ(vm_gic_access(&g, VM_GICD_BASE - 4, 4, 0, &v), 0);
	CHECK_EQ(vm_gic_access(&g, VM_GICR_BASE + VM_GICR_STRIDE, 4, 0, &v),
		 0);
	CHECK_EQ(gic_rd(&g, VM_GICD_BASE + 0x5000, 4), 0);
	/* A word straddling the last priority byte: the rest is nothing. */
	nops = 0;
	gic_wr(&g, VM_GICD_BASE + GICD_IPRIORITYR + VM_GIC_NIRQ - 2, 4,
	       0x11223344);
	CHECK_EQ(nops, 2);
	CHECK_EQ(ops[1].intid, VM_GIC_NIRQ - 1);
	CHECK_EQ(gic_rd(&g, VM_GICD_BASE + GICD_IPRIORITYR + VM_GIC_NIRQ - 2,
			4), 0x3344);
	nops = 0;
	vm_gic_spi_level(&g, 33, 1);
	vm_gic_spi_level(&g, 33, 0);
	CHECK_EQ(nops, 2);
	CHECK_EQ(ops[0].op, VM_GIC_SET);
	CHECK_EQ(ops[1].op, VM_GIC_CLEAR);
}

TEST(gic_redistributor)
{
	struct vm_gic g = { .op = gic_op };
	uint64_t rd1 = VM_GICR_BASE + VM_GICR_STRIDE;

	vm_gic_reset(&g, 2);
	/* Waker resets asleep; clearing ProcessorSleep wakes it. */
	CHECK_EQ(gic_rd(&g, VM_GICR_BASE + GICR_WAKER, 4), 6);
	gic_wr(&g, VM_GICR_BASE + GICR_WAKER, 4, 0);
	CHECK_EQ(gic_rd(&g, VM_GICR_BASE + GICR_WAKER, 4), 0);
	gic_wr(&g, VM_GICR_BASE + GICR_WAKER, 4, GICR_WAKER_SLEEP);
	CHECK_EQ(gic_rd(&g, VM_GICR_BASE + GICR_WAKER, 4), 6);
	CHECK_EQ(gic_rd(&g, rd1 + GICR_WAKER, 4), 6);
	/* TYPER: affinity and Last on the last frame only. */
	CHECK_EQ(gic_rd(&g, VM_GICR_BASE + GICR_TYPER, 8), 0);
	CHECK_EQ(gic_rd(&g, rd1 + GICR_TYPER, 8),
		 (1ull << 32) | (1 << 8) | (1 << 4));
	CHECK_EQ(gic_rd(&g, rd1 + GICR_TYPER + 4, 4), 1);
	CHECK_EQ(gic_rd(&g, rd1 + GIC_PIDR2, 4) & 0xf0, 0x30);
	nops = 0;
	gic_wr(&g, rd1 + GICR_ISENABLER0, 4, 1u << 27);
	CHECK_EQ(nops, 1);
	CHECK_EQ(ops[0].cpu, 1);
	CHECK_EQ(ops[0].intid, 27);
	CHECK_EQ(ops[0].op, VM_GIC_ENABLE);
	gic_wr(&g, rd1 + GICR_IPRIORITYR + 27, 1, 0x80);
	CHECK_EQ(nops, 2);
	CHECK_EQ(ops[1].prio, 0x80);
	CHECK_EQ(gic_rd(&g, rd1 + GICR_IPRIORITYR + 24, 4), 0x80000000u);
	gic_wr(&g, rd1 + GICR_IPRIORITYR + 31, 4, 0xffffff40);
	CHECK_EQ(nops, 3);
	CHECK_EQ(gic_rd(&g, rd1 + GICR_IPRIORITYR + 31, 4), 0x40);
	nops = 0;
	vm_gic_sgi(&g, 0, (1ull << 24) | 2); /* SGI 1 to vCPU 1 */
	CHECK_EQ(nops, 1);
	CHECK_EQ(ops[0].cpu, 1);
	CHECK_EQ(ops[0].intid, 1);
	vm_gic_sgi(&g, 1, (1ull << 40) | (3ull << 24)); /* IRM: all but 1 */
	CHECK_EQ(nops, 2);
	CHECK_EQ(ops[1].cpu, 0);
	vm_gic_sgi(&g, 0, (1ull << 16) | 1); /* Aff1 = 1: nobody */
	CHECK_EQ(nops, 2);
}

static const struct vm_fdt_params fdt_params = {
	.name = "linux",
	.ram_base = 0x40000000, .ram_size = 128u << 20,
	.rma_size = 64u << 20, .cpus = 2,
	.bootargs = "console=ttyAMA0 root=/dev/ram \"quoted\" x=1\\",
	.initrd_start = 0x42400000, .initrd_end = 0x42500000,
	.sod_base = 0x40000000, .sod_size = 0x1000,
	.ring_base = 0x40001000, .ring_size = 0x4000,
	.reserved_base = 0x40000000, .reserved_size = 0x200000,
};

static uint64_t prop64(const void *fdt, const char *path, const char *name,
		       int idx)
{
	int node = fdt_path_offset(fdt, path), len;
	const uint8_t *p = fdt_getprop(fdt, node, name, &len);
	fdt64_t v;

	if (!p || len < (idx + 1) * 8) {
		return ~0ull;
	}
	memcpy(&v, p + 8 * idx, 8); /* values are only 4-byte aligned */
	return fdt64_to_cpu(v);
}

TEST(fdt_guest_tree)
{
	int n = vm_fdt_build(blob, sizeof(blob), &fdt_params), len;
	uint64_t addr, size;
	const char *s;
	const fdt32_t *irq;

	CHECK(n > 0);
	CHECK_EQ(fdt_check_full(blob, (size_t)n), 0);
	s = fdt_getprop(blob, fdt_path_offset(blob, "/chosen"), "bootargs",
			&len);
	CHECK(s && strcmp(s, fdt_params.bootargs) == 0); /* unchanged */
	CHECK_EQ(prop64(blob, "/chosen", "linux,initrd-start", 0), 0x42400000);
	CHECK_EQ(prop64(blob, "/chosen", "linux,initrd-end", 0), 0x42500000);
	s = fdt_getprop(blob, fdt_path_offset(blob, "/chosen"), "stdout-path",
			NULL);
	CHECK(s && strcmp(s, "/pl011@9000000") == 0);
	CHECK_EQ(prop64(blob, "/memory@40000000", "reg", 0), 0x40000000);
	CHECK_EQ(prop64(blob, "/memory@40000000", "reg", 1), 128u << 20);
	CHECK_EQ(prop64(blob, "/intc@8000000", "reg", 0), 0x08000000);
	CHECK_EQ(prop64(blob, "/intc@8000000", "reg", 2), 0x080a0000);
	CHECK_EQ(prop64(blob, "/intc@8000000", "reg", 3), 0x40000);
	CHECK_EQ(prop64(blob, "/pl011@9000000", "reg", 0), 0x09000000);
	s = fdt_getprop(blob, fdt_path_offset(blob, "/psci"), "method", NULL);
	CHECK(s && strcmp(s, "hvc") == 0);
	CHECK(fdt_node_check_compatible(blob, fdt_path_offset(blob, "/psci"),
					"arm,psci-0.2") == 0);
	irq = fdt_getprop(blob, fdt_path_offset(blob, "/timer"), "interrupts",
			  &len);
	CHECK(irq && len == 48);
	CHECK_EQ(fdt32_to_cpu(irq[7]), 11); /* virtual timer: PPI 11 = 27 */
	irq = fdt_getprop(blob, fdt_path_offset(blob, "/pl011@9000000"),
			  "interrupts", &len);
	CHECK(irq && len == 12 && fdt32_to_cpu(irq[1]) == 1); /* SPI 1 */
	CHECK(fdt_path_offset(blob, "/cpus/cpu@1") >= 0);
	s = fdt_getprop(blob, fdt_path_offset(blob, "/cpus/cpu@1"),
			"enable-method", NULL);
	CHECK(s && strcmp(s, "psci") == 0);
	CHECK(fdt_node_check_compatible(blob,
					fdt_path_offset(blob, "/hypervisor"),
					"rift,hypervisor") == 0);
	CHECK_EQ(prop64(blob, "/hypervisor", "reg", 2), 0x40001000);
	CHECK_EQ(prop64(blob, "/hypervisor", "rift,rma", 1), 64u << 20);
	CHECK_EQ(fdt_num_mem_rsv(blob), 1);
	CHECK_EQ(fdt_get_mem_rsv(blob, 0, &addr, &size), 0);
	CHECK_EQ(addr, 0x40000000);
	CHECK_EQ(size, 0x200000);
}

TEST(fdt_no_initrd_no_space)
{
	struct vm_fdt_params p = fdt_params;

	p.initrd_end = p.initrd_start;
	p.bootargs = NULL;
	CHECK(vm_fdt_build(blob, sizeof(blob), &p) > 0);
	CHECK(fdt_getprop(blob, fdt_path_offset(blob, "/chosen"),
			  "linux,initrd-start", NULL) == NULL);
	CHECK(fdt_getprop(blob, fdt_path_offset(blob, "/chosen"), "bootargs",
			  NULL) == NULL);
	CHECK_EQ(vm_fdt_build(blob, 256, &p), -FDT_ERR_NOSPACE);
	p.cpus = 0;
	CHECK(vm_fdt_build(blob, sizeof(blob), &p) < 0);
}

static char lines[4][64];
static int nlines;

static void emit(void *opaque, const char *line, size_t len)
{
	(void)opaque;
	if (nlines < 4 && len < 64) {
		memcpy(lines[nlines], line, len);
		lines[nlines++][len] = 0;
	}
}

TEST(sod_and_ring)
{
	static uint8_t page[4096], ring[64];
	struct vm_sod_params p = { "linux", 1, 2, 0x40000000, 128u << 20,
				   64u << 20, 0x40100000, 0x40001000, 64 };
	char line[32];
	size_t len = 0;

	vm_sod_write(page, sizeof(page), &p);
	CHECK(memcmp(page, "riftSOD1", 8) == 0);
	CHECK_EQ(get32(page + 8), 1);
	CHECK_EQ(get32(page + 28), 0); /* high half of 128 MiB */
	CHECK_EQ(get32(page + 24), 128u << 20);
	CHECK_EQ(get32(page + 40), 0x40100000);
	CHECK_EQ(get32(page + 60), 2);
	CHECK(strcmp((char *)page + 64, "linux") == 0);
	vm_ring_init(ring, sizeof(ring));
	CHECK_EQ(get32(ring), VM_RING_MAGIC);
	CHECK_EQ(get32(ring + 4), 48);
	/* The guest writes "hi\nyo" wrapping round the end of the data. */
	put32(ring + 8, 46);
	put32(ring + 12, 46);
	for (uint32_t i = 0; i < 5; i++) {
		ring[16 + (46 + i) % 48] = (uint8_t)"hi\nyo"[i];
	}
	put32(ring + 8, 51);
	nlines = 0;
	CHECK_EQ(vm_ring_drain(ring, sizeof(ring), line, sizeof(line), &len,
			       emit, NULL), 5);
	CHECK_EQ(nlines, 1);
	CHECK(strcmp(lines[0], "hi") == 0);
	CHECK_EQ(len, 2); /* "yo" waits for its newline */
	CHECK_EQ(get32(ring + 12), 51);
	/* A producer too far ahead: resynchronised, reported. */
	put32(ring + 8, 51 + 49);
	CHECK_EQ(vm_ring_drain(ring, sizeof(ring), line, sizeof(line), &len,
			       emit, NULL), -1);
	CHECK_EQ(get32(ring + 12), 100);
}

static int config_blob(const char *bootargs, uint64_t memory, uint64_t rma)
{
	int e = fdt_create(blob, 4096);

	e = e ? e : fdt_finish_reservemap(blob);
	e = e ? e : fdt_begin_node(blob, "");
	e = e ? e : fdt_property_string(blob, "name", "linux");
	e = e ? e : fdt_property_string(blob, "kernel-file", "guest-Image");
	e = e ? e : fdt_property_u64(blob, "kernel", 0x4800200000ull);
	e = e ? e : fdt_property_u64(blob, "kernel-size", 33000000);
	if (bootargs) {
		e = e ? e : fdt_property_string(blob, "bootargs", bootargs);
	}
	e = e ? e : fdt_property_u64(blob, "memory", memory);
	e = e ? e : fdt_property_u64(blob, "rma", rma);
	e = e ? e : fdt_property_u32(blob, "cpus", 1);
	e = e ? e : fdt_end_node(blob);
	return e ? e : fdt_finish(blob);
}

TEST(config_parse)
{
	struct vm_config c;
	char err[200];

	CHECK_EQ(config_blob("console=ttyAMA0", 128u << 20, 64u << 20), 0);
	CHECK_EQ(vm_config_parse(blob, 4096, &c, err, sizeof(err)), 0);
	CHECK(strcmp(c.name, "linux") == 0);
	CHECK(strcmp(c.bootargs, "console=ttyAMA0") == 0);
	CHECK_EQ((uintptr_t)c.kernel, 0x4800200000ull);
	CHECK_EQ(c.kernel_size, 33000000);
	CHECK(c.initrd == NULL);
	CHECK_EQ(c.cpus, 1);
	CHECK_EQ(config_blob(NULL, 128u << 20, 48u << 20), 0);
	CHECK_EQ(vm_config_parse(blob, 4096, &c, err, sizeof(err)), -1);
	CHECK(strstr(err, "power of two"));
	CHECK_EQ(config_blob(NULL, 32u << 20, 64u << 20), 0);
	CHECK_EQ(vm_config_parse(blob, 4096, &c, err, sizeof(err)), -1);
	memset(blob, 0, 64);
	CHECK_EQ(vm_config_parse(blob, 4096, &c, err, sizeof(err)), -1);
	CHECK(strstr(err, "not a device tree"));
}

TEST(boot_layout)
{
	struct vm_image_info i = { .text_offset = 0, .image_size = 0x2010000 };
	struct vm_config c = { .name = "g", .memory = 128u << 20,
			       .rma = 64u << 20, .cpus = 1 };
	struct vm_boot_layout l;
	struct vm_fdt_params p;

	/* Debian's kernel: at RAM + 2 MiB, initramfs at the next 2 MiB. */
	CHECK_EQ(vm_boot_layout(&i, 0x40000000, 128u << 20, 1000000, &l),
		 VM_IMAGE_OK);
	CHECK_EQ(l.kernel, 0x40200000);
	CHECK_EQ(l.kernel_end, 0x42210000);
	CHECK_EQ(l.initrd, 0x42400000);
	CHECK_EQ(l.initrd_end, 0x42400000 + 1000000);
	CHECK_EQ(l.dtb, 0x40100000);
	c.initrd = (const uint8_t *)1;
	vm_boot_fdt_params(&c, &l, 0x40000000, &p);
	CHECK_EQ(p.initrd_start, 0x42400000);
	CHECK_EQ(p.initrd_end, 0x42400000 + 1000000);
	CHECK_EQ(p.reserved_size, VM_RESERVED_SIZE);
	c.initrd = NULL;
	vm_boot_fdt_params(&c, &l, 0x40000000, &p);
	CHECK_EQ(p.initrd_end, p.initrd_start);
	/* text_offset is added; too little memory is refused. */
	i.text_offset = 0x80000;
	CHECK_EQ(vm_boot_layout(&i, 0x40000000, 128u << 20, 0, &l),
		 VM_IMAGE_OK);
	CHECK_EQ(l.kernel, 0x40280000);
	CHECK_EQ(vm_boot_layout(&i, 0x40000000, 32u << 20, 0, &l),
		 VM_IMAGE_TOO_BIG);
	CHECK_EQ(vm_boot_layout(&i, 0x40000000, 64u << 20, 40u << 20, &l),
		 VM_IMAGE_TOO_BIG);
}

#define ENC(op0, op1, crn, crm, op2)                                       \
	((uint64_t)(op0) << 16 | (uint64_t)(op1) << 12 | (uint64_t)(crn) << 8 | \
	 (uint64_t)(crm) << 4 | (uint64_t)(op2))

TEST(sysreg_classes)
{
	CHECK_EQ(vm_sysreg_class(ENC(3, 0, 12, 11, 5)), VM_SYSREG_SGI);
	CHECK_EQ(vm_sysreg_class(ENC(2, 0, 0, 2, 2)), VM_SYSREG_DEBUG);  /* MDSCR */
	CHECK_EQ(vm_sysreg_class(ENC(2, 0, 1, 0, 4)), VM_SYSREG_DEBUG);  /* OSLAR */
	CHECK_EQ(vm_sysreg_class(ENC(3, 3, 9, 12, 0)), VM_SYSREG_PMU);   /* PMCR */
	CHECK_EQ(vm_sysreg_class(ENC(3, 3, 9, 14, 0)), VM_SYSREG_PMU);   /* PMUSERENR */
	CHECK_EQ(vm_sysreg_class(ENC(3, 0, 9, 14, 1)), VM_SYSREG_PMU);   /* PMINTENSET */
	CHECK_EQ(vm_sysreg_class(ENC(3, 3, 14, 15, 7)), VM_SYSREG_PMU);  /* PMCCFILTR */
	CHECK_EQ(vm_sysreg_class(ENC(3, 0, 5, 3, 0)), VM_SYSREG_RAS);    /* ERRIDR */
	CHECK_EQ(vm_sysreg_class(ENC(3, 0, 10, 4, 3)), VM_SYSREG_LOR);   /* LORC */
	CHECK_EQ(vm_sysreg_class(ENC(3, 0, 10, 4, 7)), VM_SYSREG_UNKNOWN); /* LORID */
	CHECK_EQ(vm_sysreg_class(ENC(3, 0, 15, 0, 0)), VM_SYSREG_UNKNOWN);
	CHECK_EQ(vm_sysreg_class(ENC(3, 3, 14, 2, 1)), VM_SYSREG_UNKNOWN); /* CNTP_CTL */
	CHECK_EQ(vm_sysreg_class(1ull << 20), VM_SYSREG_UNKNOWN);
	CHECK(strcmp(vm_sysreg_class_name(VM_SYSREG_PMU), "PMU") == 0);
}

TEST_MAIN("vmm", TEST_ENTRY(image_ok_debian_like),
	  TEST_ENTRY(image_truncated), TEST_ENTRY(image_not_an_image),
	  TEST_ENTRY(image_header_fields), TEST_ENTRY(psci_version_features),
	  TEST_ENTRY(psci_cpu_on_off), TEST_ENTRY(psci_system),
	  TEST_ENTRY(pl011_ids_and_tx), TEST_ENTRY(pl011_rx),
	  TEST_ENTRY(gic_distributor), TEST_ENTRY(gic_redistributor),
	  TEST_ENTRY(fdt_guest_tree), TEST_ENTRY(fdt_no_initrd_no_space),
	  TEST_ENTRY(sod_and_ring), TEST_ENTRY(config_parse),
	  TEST_ENTRY(boot_layout), TEST_ENTRY(sysreg_classes))
