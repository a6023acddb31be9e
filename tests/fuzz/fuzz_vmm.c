/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the VMM's models of what a guest controls
 * (drivers-domain/vmm/vm_*.c): every guest access, hypercall and ring is
 * hostile input. The first byte picks what the rest feeds:
 *   0  a stream of 14-byte exits: kind (MMIO to the GIC or the PL011,
 *      PSCI, SGI, input bytes), size, write flag, offset (u32), value (u64)
 *   1  vm_image_check() on the bytes as a kernel file
 *   2  vm_config_parse() on the bytes as a configuration tree
 *   3  vm_ring_drain() on the bytes as a console ring
 * Invariants (abort on failure): the GIC asks only for operations on
 * vCPUs that exist and INTIDs it has; the PL011's FIFO never holds more
 * than it can; PSCI never starts a vCPU that does not exist or is on; a
 * ring never emits more than it holds.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../drivers-domain/vmm/vm_config.h"
#include "../../drivers-domain/vmm/vm_gic.h"
#include "../../drivers-domain/vmm/vm_image.h"
#include "../../drivers-domain/vmm/vm_layout.h"
#include "../../drivers-domain/vmm/vm_pl011.h"
#include "../../drivers-domain/vmm/vm_psci.h"
#include "../../drivers-domain/vmm/vm_sod.h"

#define CPUS 3

static void check(int ok)
{
	if (!ok) {
		abort();
	}
}

static void gic_op(void *opaque, uint32_t cpu, uint32_t intid,
		   enum vm_gic_op op, uint32_t prio)
{
	(void)opaque;
	check(cpu < CPUS && intid < VM_GIC_NIRQ && op <= VM_GIC_PRIORITY &&
	      prio < 256);
}

static void tx(void *opaque, uint8_t c)
{
	(void)opaque;
	(void)c;
}

static uint64_t le(const uint8_t *p, int n)
{
	uint64_t v = 0;

	for (int i = n - 1; i >= 0; i--) {
		v = v << 8 | p[i];
	}
	return v;
}

static void exits(const uint8_t *d, size_t n)
{
	static struct vm_gic g;
	static struct vm_pl011 u;
	struct vm_psci_cpus cpus = { CPUS, { 1, 0, 0 } };

	g.op = gic_op;
	vm_gic_reset(&g, CPUS);
	u.tx = tx;
	vm_pl011_reset(&u);
	for (; n >= 14; d += 14, n -= 14) {
		unsigned size = d[1] & 15, write = d[2] & 1;
		uint64_t off = le(d + 3, 4), val = le(d + 7, 8);

		switch (d[0] % 6) {
		case 0: /* the distributor */
			vm_gic_access(&g, VM_GICD_BASE + off % 0x10000, size,
				      (int)write, &val);
			break;
		case 1: /* redistributors, and a little past them */
			vm_gic_access(&g, VM_GICR_BASE + off % (0x20000 * 4),
				      size, (int)write, &val);
			break;
		case 2:
			if (write) {
				vm_pl011_write(&u, off % 0x1100, size,
					       (uint32_t)val);
			} else {
				vm_pl011_read(&u, off % 0x1100, size);
			}
			break;
		case 3: {
			uint64_t x[4] = { off | (uint64_t)d[1] << 24 << 8,
					  val, val >> 7, off };
			struct vm_psci_action a;

			x[0] = d[2] & 2 ? 0x84000000u | (off & 0x4000001f) :
					  x[0];
			vm_psci_decode(x, 0, &cpus, &a);
			if (a.act == VM_PSCI_CPU_ON) {
				check(a.cpu < CPUS && !cpus.on[a.cpu]);
				cpus.on[a.cpu] = 1;
			}
			break;
		}
		case 4:
			vm_gic_sgi(&g, d[1] % CPUS, val);
			vm_gic_spi_level(&g, (uint32_t)off, (int)write);
			break;
		default:
			vm_pl011_input(&u, d + 7, d[1] % 9);
			break;
		}
		check(u.rx_count <= PL011_RX_FIFO && u.rx_head < PL011_RX_FIFO);
		check(vm_pl011_rx_room(&u) + u.rx_count == PL011_RX_FIFO);
	}
}

static size_t emitted;

static void emit(void *opaque, const char *line, size_t len)
{
	(void)opaque;
	(void)line;
	emitted += len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t buf[1 << 16] __attribute__((aligned(8)));
	struct vm_image_info info;
	struct vm_config c;
	char err[200], line[64];
	size_t len = 0;

	if (size < 1 || size - 1 > sizeof(buf)) {
		return 0;
	}
	memcpy(buf, data + 1, size - 1);
	switch (data[0] % 4) {
	case 0:
		exits(buf, size - 1);
		break;
	case 1:
		if (vm_image_check(buf, size - 1, &info) == VM_IMAGE_OK) {
			check(info.text_offset < VM_IMAGE_ALIGN &&
			      !(info.flags & 1));
		}
		break;
	case 2:
		if (vm_config_parse(buf, size - 1, &c, err, sizeof(err)) == 0) {
			check(c.cpus >= 1 && c.cpus <= VM_PSCI_MAX_CPUS &&
			      c.memory >= c.rma && c.kernel && c.name &&
			      c.kernel_file);
		} else {
			check(memchr(err, 0, sizeof(err)) != NULL);
		}
		break;
	default:
		if (size - 1 >= VM_RING_HDR + 1) {
			uint32_t n = (uint32_t)(size - 1);
			long got;

			emitted = 0;
			got = vm_ring_drain(buf, n, line, sizeof(line), &len,
					    emit, NULL);
			check(got <= (long)(n - VM_RING_HDR) &&
			      len < sizeof(line) &&
			      emitted <= (size_t)(got > 0 ? got : 0));
		}
		break;
	}
	return 0;
}
