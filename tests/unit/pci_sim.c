/* SPDX-License-Identifier: MIT */
/*
 * Simulated PCI configuration space (see pci_sim.h).
 */
#include "pci_sim.h"

#include <string.h>

#include "../../drivers-domain/pci/pci_enum.h"

/** Type 1 header offsets the simulator decodes. */
enum {
	SIM_SEC_BUS = 0x19,
	SIM_SUB_BUS = 0x1a,
	SIM_IO_BASE = 0x1c,
	SIM_MEM_BASE = 0x20,
	SIM_PREF_BASE = 0x24,
	SIM_PREF_UPPER = 0x28,
	SIM_IO_UPPER = 0x30,
};

static uint32_t sim_get(const uint8_t *p, int size)
{
	uint32_t v = 0;

	for (int i = size - 1; i >= 0; i--) {
		v = (v << 8) | p[i];
	}
	return v;
}

static void sim_put(uint8_t *p, int size, uint32_t v)
{
	for (int i = 0; i < size; i++) {
		p[i] = (uint8_t)(v >> (8 * i));
	}
}

void pci_sim_init(struct pci_sim *s, uint8_t root_bus)
{
	memset(s, 0, sizeof(*s));
	s->root_bus = root_bus;
	s->seg_count = 1;
}

static bool sim_is_bridge(const struct pci_sim_func *f)
{
	return (f->cfg[0x0e] & 0x7f) == 1;
}

int pci_sim_add_func(struct pci_sim *s, int seg, uint8_t dev, uint8_t fn,
		     uint16_t vendor, uint16_t device, uint32_t class_rev)
{
	int idx = s->func_count++;
	struct pci_sim_func *f = &s->funcs[idx];

	f->seg = seg;
	f->dev = dev;
	f->fn = fn;
	f->child_seg = -1;
	f->cap_next = 0x40;
	sim_put(&f->cfg[0x00], 2, vendor);
	sim_put(&f->cfg[0x02], 2, device);
	sim_put(&f->cfg[0x08], 4, class_rev);
	f->cfg[0x3d] = 1;      /* INTA */
	f->wmask[0x04] = 0x47; /* I/O, memory, master, parity */
	f->wmask[0x05] = 0x05; /* SERR, INTx disable */
	f->wmask[0x0c] = 0xff;
	f->wmask[0x0d] = 0xff;
	f->wmask[0x3c] = 0xff;
	return idx;
}

int pci_sim_add_bridge(struct pci_sim *s, int seg, uint8_t dev, uint8_t fn,
		       uint16_t vendor, uint16_t device, uint32_t flags)
{
	int idx = pci_sim_add_func(s, seg, dev, fn, vendor, device,
				   0x060400u << 8);
	struct pci_sim_func *f = &s->funcs[idx];

	f->cfg[0x0e] = 1;
	f->child_seg = s->seg_count++;
	memset(&f->wmask[0x18], 0xff, 4);
	if (flags & PCI_SIM_BR_IO) {
		uint8_t type = (flags & PCI_SIM_BR_IO32) ? 1 : 0;

		f->wmask[0x1c] = 0xf0;
		f->wmask[0x1d] = 0xf0;
		f->cfg[0x1c] = type;
		f->cfg[0x1d] = type;
		if (type) {
			memset(&f->wmask[SIM_IO_UPPER], 0xff, 4);
		}
	}
	f->wmask[0x20] = 0xf0;
	f->wmask[0x21] = 0xff;
	f->wmask[0x22] = 0xf0;
	f->wmask[0x23] = 0xff;
	if (flags & PCI_SIM_BR_PREF) {
		uint8_t type = (flags & PCI_SIM_BR_PREF64) ? 1 : 0;

		f->wmask[0x24] = 0xf0;
		f->wmask[0x25] = 0xff;
		f->wmask[0x26] = 0xf0;
		f->wmask[0x27] = 0xff;
		f->cfg[0x24] = type;
		f->cfg[0x26] = type;
		if (type) {
			memset(&f->wmask[SIM_PREF_UPPER], 0xff, 8);
		}
	}
	f->wmask[0x3e] = 0xff;
	f->wmask[0x3f] = 0x0f;
	return idx;
}

int pci_sim_child(const struct pci_sim *s, int idx)
{
	return s->funcs[idx].child_seg;
}

void pci_sim_set_bar(struct pci_sim *s, int idx, int bar, int kind,
		     uint64_t size)
{
	struct pci_sim_func *f = &s->funcs[idx];
	uint32_t lo = 0;

	f->bar_kind[bar] = (uint8_t)kind;
	f->bar_size[bar] = size;
	switch (kind) {
	case PCI_SIM_BAR_IO:
		lo = 1;
		break;
	case PCI_SIM_BAR_MEM32_PREF:
		lo = 8;
		break;
	case PCI_SIM_BAR_MEM64:
		lo = 4;
		break;
	case PCI_SIM_BAR_MEM64_PREF:
		lo = 0xc;
		break;
	default:
		break;
	}
	sim_put(&f->cfg[0x10 + 4 * bar], 4, lo);
}

void pci_sim_set_rom(struct pci_sim *s, int idx, uint32_t size)
{
	s->funcs[idx].rom_size = size;
}

uint8_t pci_sim_add_cap(struct pci_sim *s, int idx, uint8_t id, uint8_t len)
{
	struct pci_sim_func *f = &s->funcs[idx];
	uint8_t off = f->cap_next;

	f->cfg[off] = id;
	f->cfg[off + 1] = 0;
	if (f->cap_tail != 0) {
		f->cfg[f->cap_tail + 1] = off;
	} else {
		f->cfg[0x34] = off;
	}
	f->cfg[0x06] |= 0x10;
	f->cap_tail = off;
	f->cap_next = (uint8_t)((off + len + 3) & ~3);
	return off;
}

uint8_t pci_sim_add_pcie_cap(struct pci_sim *s, int idx, uint8_t type)
{
	uint8_t off = pci_sim_add_cap(s, idx, 0x10, 0x3c);

	sim_put(&s->funcs[idx].cfg[off + 2], 2, (uint32_t)(type << 4) | 2u);
	return off;
}

void pci_sim_set_multifunction(struct pci_sim *s, int idx)
{
	s->funcs[idx].cfg[0x0e] |= 0x80;
}

void pci_sim_set_alias(struct pci_sim *s, int idx)
{
	s->funcs[idx].alias_fns = true;
}

uint32_t pci_sim_peek(const struct pci_sim *s, int idx, uint32_t off, int size)
{
	return sim_get(&s->funcs[idx].cfg[off], size);
}

void pci_sim_poke(struct pci_sim *s, int idx, uint32_t off, int size,
		  uint32_t val)
{
	sim_put(&s->funcs[idx].cfg[off], size, val);
}

/** The bridge on `seg` whose bus range holds `bus`; -1 none, -2 many. */
static int sim_claimant(struct pci_sim *s, int seg, unsigned int bus)
{
	int found = -1;

	for (int i = 0; i < s->func_count; i++) {
		const struct pci_sim_func *f = &s->funcs[i];
		unsigned int sec = f->cfg[SIM_SEC_BUS];
		unsigned int sub = f->cfg[SIM_SUB_BUS];

		if (f->seg != seg || f->child_seg < 0 || sec == 0 ||
		    bus < sec || bus > sub) {
			continue;
		}
		if (found >= 0) {
			s->route_conflicts++;
			return -2;
		}
		found = i;
	}
	return found;
}

/** Segment that configuration cycles for `bus` reach, or -1. */
static int sim_route(struct pci_sim *s, unsigned int bus)
{
	int seg = PCI_SIM_ROOT;

	if (bus == s->root_bus) {
		return PCI_SIM_ROOT;
	}
	for (int hops = 0; hops < 256; hops++) {
		int br = sim_claimant(s, seg, bus);

		if (br < 0) {
			return -1;
		}
		seg = s->funcs[br].child_seg;
		if (s->funcs[br].cfg[SIM_SEC_BUS] == bus) {
			return seg;
		}
	}
	return -1;
}

int pci_sim_lookup(struct pci_sim *s, uint32_t bdf)
{
	int seg = sim_route(s, PCI_BDF_BUS(bdf));
	uint8_t dev = PCI_BDF_DEV(bdf);
	uint8_t fn = PCI_BDF_FN(bdf);

	if (seg < 0) {
		return -1;
	}
	for (int i = 0; i < s->func_count; i++) {
		const struct pci_sim_func *f = &s->funcs[i];

		if (f->seg == seg && f->dev == dev &&
		    (f->fn == fn || (f->fn == 0 && f->alias_fns))) {
			return i;
		}
	}
	return -1;
}

static bool sim_access_ok(struct pci_sim *s, uint32_t off, int size)
{
	if ((size != 1 && size != 2 && size != 4) ||
	    (off & (uint32_t)(size - 1)) != 0 ||
	    off + (uint32_t)size > PCI_SIM_CFG_SIZE) {
		s->bad_accesses++;
		return false;
	}
	return true;
}

uint32_t pci_cfg_read(void *ctx, uint32_t bdf, uint32_t off, int size)
{
	struct pci_sim *s = ctx;
	int idx;

	if (!sim_access_ok(s, off, size)) {
		return 0xffffffffu;
	}
	idx = pci_sim_lookup(s, bdf);
	if (idx < 0) {
		return size == 4 ? 0xffffffffu : (1u << (8 * size)) - 1u;
	}
	return sim_get(&s->funcs[idx].cfg[off], size);
}

/** Value BAR register `bar` takes when `val` is written to it. */
static uint32_t sim_bar_value(const struct pci_sim_func *f, int bar,
			      uint32_t val)
{
	int kind = f->bar_kind[bar];
	uint64_t mask = ~(f->bar_size[bar] - 1u);

	switch (kind) {
	case PCI_SIM_BAR_IO:
		return ((uint32_t)mask & val & ~3u) | 1u;
	case PCI_SIM_BAR_MEM32:
		return (uint32_t)mask & val & ~0xfu;
	case PCI_SIM_BAR_MEM32_PREF:
		return ((uint32_t)mask & val & ~0xfu) | 8u;
	case PCI_SIM_BAR_MEM64:
		return ((uint32_t)mask & val & ~0xfu) | 4u;
	case PCI_SIM_BAR_MEM64_PREF:
		return ((uint32_t)mask & val & ~0xfu) | 0xcu;
	default:
		break;
	}
	if (bar > 0 && (f->bar_kind[bar - 1] == PCI_SIM_BAR_MEM64 ||
			f->bar_kind[bar - 1] == PCI_SIM_BAR_MEM64_PREF)) {
		return (uint32_t)(~(f->bar_size[bar - 1] - 1u) >> 32) & val;
	}
	return 0;
}

/** Applies a merged dword write at `dw` with register semantics. */
static void sim_write_dword(struct pci_sim *s, struct pci_sim_func *f,
			    uint32_t dw, uint32_t val)
{
	uint32_t bars = sim_is_bridge(f) ? 2 : 6;
	uint32_t rom = sim_is_bridge(f) ? 0x38 : 0x30;

	if (dw >= 0x10 && dw < 0x10 + 4 * bars) {
		if (val == 0xffffffffu && (f->cfg[0x04] & 0x3)) {
			s->sized_decoding++;
		}
		sim_put(&f->cfg[dw], 4,
			sim_bar_value(f, (int)(dw - 0x10) / 4, val));
		return;
	}
	if (dw == rom) {
		uint32_t mask = f->rom_size ? (~(f->rom_size - 1u) | 1u) : 0;

		sim_put(&f->cfg[dw], 4, val & mask & 0xfffff801u);
		return;
	}
	if (dw >= 0x100) {
		return;
	}
	for (uint32_t b = 0; b < 4; b++) {
		uint8_t m = f->wmask[dw + b];
		uint8_t nb = (uint8_t)(val >> (8 * b));

		f->cfg[dw + b] = (uint8_t)((f->cfg[dw + b] & ~m) | (nb & m));
	}
}

void pci_cfg_write(void *ctx, uint32_t bdf, uint32_t off, int size,
		   uint32_t val)
{
	struct pci_sim *s = ctx;
	struct pci_sim_func *f;
	uint32_t dw = off & ~3u;
	uint8_t bytes[4];
	int idx;

	if (!sim_access_ok(s, off, size)) {
		return;
	}
	idx = pci_sim_lookup(s, bdf);
	if (idx < 0) {
		return;
	}
	s->writes++;
	f = &s->funcs[idx];
	memcpy(bytes, &f->cfg[dw], 4);
	sim_put(&bytes[off - dw], size, val);
	sim_write_dword(s, f, dw, sim_get(bytes, 4));
}

uint64_t pci_sim_bar_addr(const struct pci_sim *s, int idx, int bar)
{
	const struct pci_sim_func *f = &s->funcs[idx];
	uint32_t lo = sim_get(&f->cfg[0x10 + 4 * bar], 4);

	if (lo & 1u) {
		return lo & ~3u;
	}
	if ((lo & 6u) == 4u) {
		return (lo & ~0xfull) |
		       ((uint64_t)sim_get(&f->cfg[0x14 + 4 * bar], 4) << 32);
	}
	return lo & ~0xfull;
}

bool pci_sim_window(const struct pci_sim *s, int idx, int kind, uint64_t *base,
		    uint64_t *limit)
{
	const struct pci_sim_func *f = &s->funcs[idx];
	const uint8_t *c = f->cfg;

	if (kind == 0) {
		if (f->wmask[SIM_IO_BASE] == 0) {
			return false;
		}
		*base = (uint64_t)(c[0x1c] & 0xf0) << 8;
		*limit = ((uint64_t)(c[0x1d] & 0xf0) << 8) | 0xfff;
		if (c[0x1c] & 1) {
			*base |= (uint64_t)sim_get(&c[0x30], 2) << 16;
			*limit |= (uint64_t)sim_get(&c[0x32], 2) << 16;
		}
	} else if (kind == 1) {
		*base = (uint64_t)(sim_get(&c[0x20], 2) & 0xfff0) << 16;
		*limit = ((uint64_t)(sim_get(&c[0x22], 2) & 0xfff0) << 16) |
			 0xfffff;
	} else {
		if (f->wmask[SIM_PREF_BASE] == 0) {
			return false;
		}
		*base = (uint64_t)(sim_get(&c[0x24], 2) & 0xfff0) << 16;
		*limit = ((uint64_t)(sim_get(&c[0x26], 2) & 0xfff0) << 16) |
			 0xfffff;
		if (c[0x24] & 1) {
			*base |= (uint64_t)sim_get(&c[0x28], 4) << 32;
			*limit |= (uint64_t)sim_get(&c[0x2c], 4) << 32;
		}
	}
	return *base <= *limit;
}

/* ------------------------------------------------------ QEMU device models */

/*
 * Capability offsets and chain order below are those of QEMU 7.2, read
 * from its ECAM by the enumerator itself (bare metal under
 * qemu-system-aarch64 -M virt); like QEMU, each capability added becomes
 * the head of the list.
 */

uint8_t pci_sim_push_cap(struct pci_sim *s, int idx, uint8_t off, uint8_t id)
{
	struct pci_sim_func *f = &s->funcs[idx];

	f->cfg[off] = id;
	f->cfg[off + 1] = f->cfg[0x34];
	f->cfg[0x34] = off;
	f->cfg[0x06] |= 0x10;
	return off;
}

/** Pushes a PCI Express capability (version 2) of port type `type`. */
static void sim_push_pcie(struct pci_sim *s, int idx, uint8_t off, uint8_t type)
{
	pci_sim_push_cap(s, idx, off, 0x10);
	sim_put(&s->funcs[idx].cfg[off + 2], 2, (uint32_t)(type << 4) | 2u);
}

int pci_sim_qemu_host(struct pci_sim *s, uint8_t dev)
{
	int h = pci_sim_add_func(s, PCI_SIM_ROOT, dev, 0, 0x1b36, 0x0008,
				 0x060000u << 8);

	pci_sim_poke(s, h, 0x2c, 2, 0x1af4);
	pci_sim_poke(s, h, 0x2e, 2, 0x1100);
	pci_sim_poke(s, h, 0x3d, 1, 0);
	return h;
}

/** Virtio vendor capabilities (common, ISR, device, notify, PCI cfg)
 *  and MSI-X; a modern device behind a port also has PCIe and PM. */
static void sim_virtio_caps(struct pci_sim *s, int idx, bool modern)
{
	static const uint8_t legacy[] = {0x40, 0x50, 0x60, 0x70, 0x84};
	static const uint8_t express[] = {0x84, 0x94, 0xa4, 0xb4, 0xc8};
	const uint8_t *vendor = modern ? express : legacy;

	if (modern) {
		sim_push_pcie(s, idx, 0x40, 0x0);
		pci_sim_push_cap(s, idx, 0x7c, 0x01);
	}
	for (int i = 0; i < 5; i++) {
		pci_sim_push_cap(s, idx, vendor[i], 0x09);
	}
	pci_sim_push_cap(s, idx, modern ? 0xdc : 0x98, 0x11);
}

/** Common part of the virtio-pci models. */
static int sim_virtio(struct pci_sim *s, int seg, uint8_t dev, bool modern,
		      uint16_t type, uint32_t class_code, uint32_t io_size)
{
	uint16_t id = modern ? (uint16_t)(0x1040 + type)
			     : (uint16_t)(0x1000 + type - 1);
	int v = pci_sim_add_func(s, seg, dev, 0, 0x1af4, id,
				 (class_code << 8) | (modern ? 1u : 0u));

	pci_sim_poke(s, v, 0x2c, 2, 0x1af4);
	pci_sim_poke(s, v, 0x2e, 2, modern ? 0x1100 : type);
	if (!modern) {
		pci_sim_set_bar(s, v, 0, PCI_SIM_BAR_IO, io_size);
	}
	pci_sim_set_bar(s, v, 1, PCI_SIM_BAR_MEM32, 0x1000);
	pci_sim_set_bar(s, v, 4, PCI_SIM_BAR_MEM64_PREF, 0x4000);
	sim_virtio_caps(s, v, modern);
	return v;
}

int pci_sim_qemu_virtio_blk(struct pci_sim *s, int seg, uint8_t dev,
			    bool modern)
{
	return sim_virtio(s, seg, dev, modern, 2, 0x010000, 0x80);
}

int pci_sim_qemu_virtio_net(struct pci_sim *s, int seg, uint8_t dev,
			    bool modern)
{
	int v = sim_virtio(s, seg, dev, modern, 1, 0x020000, 0x20);

	pci_sim_set_rom(s, v, 0x40000);
	return v;
}

int pci_sim_qemu_e1000e(struct pci_sim *s, int seg, uint8_t dev)
{
	int e = pci_sim_add_func(s, seg, dev, 0, 0x8086, 0x10d3,
				 0x020000u << 8);

	pci_sim_poke(s, e, 0x2c, 2, 0x8086);
	pci_sim_set_bar(s, e, 0, PCI_SIM_BAR_MEM32, 0x20000);
	pci_sim_set_bar(s, e, 1, PCI_SIM_BAR_MEM32, 0x20000);
	pci_sim_set_bar(s, e, 2, PCI_SIM_BAR_IO, 0x20);
	pci_sim_set_bar(s, e, 3, PCI_SIM_BAR_MEM32, 0x4000);
	pci_sim_set_rom(s, e, 0x40000);
	pci_sim_push_cap(s, e, 0xa0, 0x11); /* MSI-X */
	/* Root complex integrated endpoint on the root bus. */
	sim_push_pcie(s, e, 0xe0, seg == PCI_SIM_ROOT ? 0x9 : 0x0);
	pci_sim_push_cap(s, e, 0xd0, 0x05); /* MSI */
	pci_sim_push_cap(s, e, 0xc8, 0x01); /* power management */
	return e;
}

int pci_sim_qemu_root_port(struct pci_sim *s, int seg, uint8_t dev)
{
	int r = pci_sim_add_bridge(
		s, seg, dev, 0, 0x1b36, 0x000c,
		PCI_SIM_BR_IO | PCI_SIM_BR_PREF | PCI_SIM_BR_PREF64);

	pci_sim_set_bar(s, r, 0, PCI_SIM_BAR_MEM32, 0x1000);
	pci_sim_push_cap(s, r, 0x40, 0x0d); /* bridge subsystem ID */
	pci_sim_push_cap(s, r, 0x48, 0x11); /* MSI-X */
	sim_push_pcie(s, r, 0x54, 0x4);	    /* root port */
	return r;
}

int pci_sim_qemu_pci_bridge(struct pci_sim *s, int seg, uint8_t dev)
{
	int b = pci_sim_add_bridge(
		s, seg, dev, 0, 0x1b36, 0x0001,
		PCI_SIM_BR_IO | PCI_SIM_BR_PREF | PCI_SIM_BR_PREF64);

	pci_sim_poke(s, b, 0x06, 2, 0x00a0); /* 66 MHz, fast back-to-back */
	pci_sim_set_bar(s, b, 0, PCI_SIM_BAR_MEM64, 0x100);
	pci_sim_push_cap(s, b, 0x40, 0x0c); /* SHPC */
	pci_sim_push_cap(s, b, 0x48, 0x04); /* slot ID */
	pci_sim_push_cap(s, b, 0x4c, 0x05); /* MSI */
	return b;
}

void pci_sim_qemu_virt(struct pci_sim *s, struct pci_sim_virt *v)
{
	pci_sim_init(s, 0);
	v->host = pci_sim_qemu_host(s, 0);
	v->blk = pci_sim_qemu_virtio_blk(s, PCI_SIM_ROOT, 1, false);
	v->net = pci_sim_qemu_virtio_net(s, PCI_SIM_ROOT, 2, false);
	v->e1000e = pci_sim_qemu_e1000e(s, PCI_SIM_ROOT, 3);
	v->root_port = pci_sim_qemu_root_port(s, PCI_SIM_ROOT, 4);
	v->blk2 = pci_sim_qemu_virtio_blk(s, pci_sim_child(s, v->root_port), 0,
					  true);
	v->bridge = pci_sim_qemu_pci_bridge(s, PCI_SIM_ROOT, 5);
	v->net2 = pci_sim_qemu_virtio_net(s, pci_sim_child(s, v->bridge), 1,
					  false);
}

void pci_sim_qemu_virt_config(struct pci_enum_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->bus_start = 0;
	cfg->bus_end = 0xff;
	cfg->io.bus_base = 0;
	cfg->io.cpu_base = 0x3eff0000;
	cfg->io.size = 0x10000;
	cfg->mem32.bus_base = 0x10000000;
	cfg->mem32.cpu_base = 0x10000000;
	cfg->mem32.size = 0x2eff0000;
	cfg->pref.bus_base = 0x8000000000ull;
	cfg->pref.cpu_base = 0x8000000000ull;
	cfg->pref.size = 0x8000000000ull;
}
