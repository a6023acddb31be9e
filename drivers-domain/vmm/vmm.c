/* SPDX-License-Identifier: MIT */
/*
 * The VMM: one domain per guest (docs/guests.md). It reads the guest's
 * configuration (rift/guest.h), checks the kernel Image, builds the guest
 * (vcpu.c), loads kernel, initramfs, device tree and start-of-day pages
 * into its RAM and starts vCPU 0 with x0 = the device tree, as the Linux
 * boot protocol asks. Then it serves the guest's exits: PSCI, the GIC
 * distributor and redistributors, the PL011 (through the console server)
 * and trapped system registers. Power-off ends the VMM (and with it the
 * guest), reset rebuilds the guest and boots it again, a crash ends it.
 */
#include <rift/abi.h>
#include <rift/guest.h>
#include <rift/rt.h>
#include <rift/syscall.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "console.h"
#include "console_client.h"
#include "vm_boot.h"
#include "vm_fdt.h"
#include "vm_image.h"
#include "vm_layout.h"
#include "vm_sod.h"
#include "vm_sysreg.h"
#include "vmm.h"

#define LINE_MAX_BYTES 256
#define LOG_LIMIT 8 /* unhandled accesses logged per guest boot */
#define WAKER_STACK 8192

enum vmm_end { VMM_RUN, VMM_OFF, VMM_RESET, VMM_CRASH };

static struct vm_config cfg;
static struct vm_image_info image;
static struct vm_guest guest;
static struct vm_gic gic;
static struct vm_pl011 uart;
static struct vm_psci_cpus psci;
static uint32_t boots, logged;
static int uart_level, input_more;
static char out_line[LINE_MAX_BYTES], ring_line[LINE_MAX_BYTES];
static size_t out_len, ring_len;
static uint64_t ring_gpa, waker_ep;
/* Exits served this boot, by what they touched: reported when it ends. */
static struct {
	uint64_t gicd, gicr, uart, other_mmio, psci, hvc_other, sysreg;
} exits;
static uint8_t waker_stack[WAKER_STACK] __attribute__((aligned(16)));

static void emit(void *opaque, const char *line, size_t len)
{
	char buf[LINE_MAX_BYTES + 8];
	size_t done;

	(void)opaque;
	if (len > LINE_MAX_BYTES) {
		len = LINE_MAX_BYTES;
	}
	memcpy(buf, line, len);
	buf[len++] = '\n';
	console_client_write(buf, len, &done);
}

/** A byte the guest sent on its PL011: out as whole lines. */
static void uart_tx(void *opaque, uint8_t c)
{
	(void)opaque;
	if (c == '\n' || out_len == LINE_MAX_BYTES) {
		emit(NULL, out_line, out_len);
		out_len = 0;
		if (c == '\n') {
			return;
		}
	}
	out_line[out_len++] = (char)c;
}

static void gic_op(void *opaque, uint32_t cpu, uint32_t intid,
		   enum vm_gic_op op, uint32_t prio)
{
	(void)opaque;
	vk_irq(&guest, cpu, intid, op, prio);
}

/** Follow the PL011's interrupt line: pending while it is high. */
static void uart_irq_sync(void)
{
	int level = vm_pl011_irq(&uart);

	if (level || uart_level) {
		vm_gic_spi_level(&gic, 32 + VM_UART_SPI, level);
	}
	uart_level = level;
}

/** Takes what the console holds for us, as much as the FIFO has room. */
static void uart_fill(void)
{
	uint8_t buf[CONSOLE_READ_DATA_MAX];
	size_t room = vm_pl011_rx_room(&uart);
	uint16_t len = 0;

	if (room == 0) {
		input_more = 1;
		return;
	}
	if (room > sizeof(buf)) {
		room = sizeof(buf);
	}
	if (console_read(console_client_chan(), (uint16_t)room, buf, &len) !=
	    RIFT_OK) {
		input_more = 0;
		return;
	}
	vm_pl011_input(&uart, buf, len);
	input_more = len == room;
	uart_irq_sync();
}

/** Loads kernel, initramfs, device tree and start-of-day pages. */
static int load(uint64_t *entry, uint64_t *dtb, char *err, size_t err_size)
{
	uint64_t base = guest.ram_base;
	struct vm_boot_layout l;
	struct vm_fdt_params p;
	struct vm_sod_params sod = {
		.name = cfg.name, .cpus = cfg.cpus, .boots = boots,
		.ram_base = base, .ram_size = guest.ram_size,
		.rma_size = cfg.rma, .dtb = base + VM_DTB_OFFSET,
		.ring = base + VM_RING_OFFSET, .ring_size = VM_RING_SIZE,
	};
	int n;

	if (vm_boot_layout(&image, base, guest.ram_size, cfg.initrd_size,
			   &l) != VM_IMAGE_OK) {
		snprintf(err, err_size, "kernel (%llu bytes with its bss) and "
			 "initramfs (%llu) do not fit %llu MiB of guest memory",
			 (unsigned long long)image.image_size,
			 (unsigned long long)cfg.initrd_size,
			 (unsigned long long)(guest.ram_size >> 20));
		return -1;
	}
	memcpy(guest.ram + (l.kernel - base), cfg.kernel, cfg.kernel_size);
	if (cfg.initrd) {
		memcpy(guest.ram + (l.initrd - base), cfg.initrd,
		       cfg.initrd_size);
	}
	vm_boot_fdt_params(&cfg, &l, base, &p);
	n = vm_fdt_build(guest.ram + (l.dtb - base), VM_DTB_MAX, &p);
	if (n < 0) {
		snprintf(err, err_size, "guest device tree: libfdt error %d",
			 n);
		return -1;
	}
	vm_sod_write(guest.ram + (l.sod - base), VM_SOD_SIZE, &sod);
	vm_ring_init(guest.ram + (l.ring - base), VM_RING_SIZE);
	/* The guest starts with its MMU and caches off: all of it must be
	 * in memory, and no stale instructions cached for the kernel. */
	vk_clean(guest.ram + (l.kernel - base), cfg.kernel_size, 1);
	vk_clean(guest.ram + (l.initrd - base), cfg.initrd_size, 0);
	vk_clean(guest.ram + (l.dtb - base), (size_t)n, 0);
	vk_clean(guest.ram + (l.sod - base), VM_SOD_SIZE, 0);
	vk_clean(guest.ram + (l.ring - base), VM_RING_SIZE, 0);
	ring_gpa = l.ring;
	*entry = l.kernel;
	*dtb = l.dtb;
	printf("vmm: %s: boot %u: kernel %s at 0x%llx (%llu bytes), "
	       "initramfs %s at 0x%llx (%llu bytes), device tree at 0x%llx "
	       "(%d bytes)\n", cfg.name, boots, cfg.kernel_file,
	       (unsigned long long)l.kernel,
	       (unsigned long long)cfg.kernel_size,
	       cfg.initrd_file ? cfg.initrd_file : "(none)",
	       (unsigned long long)l.initrd,
	       (unsigned long long)cfg.initrd_size,
	       (unsigned long long)*dtb, n);
	return 0;
}

/** Builds the guest and starts vCPU 0. */
static int boot(void)
{
	char err[200];
	uint64_t entry, dtb;

	boots++;
	logged = 0;
	memset(&psci, 0, sizeof(psci));
	psci.count = cfg.cpus;
	gic.op = gic_op;
	vm_gic_reset(&gic, cfg.cpus);
	uart.tx = uart_tx;
	vm_pl011_reset(&uart);
	uart_level = 0;
	out_len = ring_len = 0;
	guest.cfg = &cfg;
	if (vk_guest_create(&guest, err, sizeof(err)) != 0 ||
	    load(&entry, &dtb, err, sizeof(err)) != 0) {
		printf("vmm: %s: cannot build the guest: %s\n", cfg.name, err);
		return -1;
	}
	for (uint32_t i = 0; i < cfg.cpus; i++) {
		if (vk_vcpu_create(&guest, i, err, sizeof(err)) != 0) {
			printf("vmm: %s: %s\n", cfg.name, err);
			return -1;
		}
	}
	printf("vmm: %s: %llu MiB of RAM at 0x%llx (RMA %llu MiB; frames: "
	       "%llu x 2 MiB, %llu x 1 GiB, %llu other), %u vCPU(s)\n",
	       cfg.name, (unsigned long long)(guest.ram_size >> 20),
	       (unsigned long long)guest.ram_base,
	       (unsigned long long)(cfg.rma >> 20),
	       (unsigned long long)guest.counts[1],
	       (unsigned long long)guest.counts[2],
	       (unsigned long long)guest.counts[3], cfg.cpus);
	psci.on[0] = 1;
	if (vk_vcpu_start(&guest, 0, entry, dtb) != 0) {
		printf("vmm: %s: cannot start vCPU 0\n", cfg.name);
		return -1;
	}
	return 0;
}

static void drain_ring(void)
{
	if (ring_gpa && vm_ring_drain(guest.ram + VM_RING_OFFSET,
				      VM_RING_SIZE, ring_line,
				      sizeof(ring_line), &ring_len, emit,
				      NULL) < 0) {
		printf("vmm: %s: console ring broken (producer too far "
		       "ahead); skipped\n", cfg.name);
	}
}

static uint64_t mr(const struct rift_regs_msg *m, unsigned i)
{
	return i < 5 ? m->mr[i] : rift_ipcbuf()->mr[i];
}

static void reply(struct rift_regs_msg *m, uint64_t action, uint32_t words,
		  uint64_t v0)
{
	m->label = action;
	m->info = words;
	m->mr[0] = v0;
}

static void log_unhandled(const char *what, uint64_t a, uint64_t pc)
{
	if (logged++ < LOG_LIMIT) {
		printf("vmm: %s: unhandled %s 0x%llx at pc 0x%llx: %s\n",
		       cfg.name, what, (unsigned long long)a,
		       (unsigned long long)pc,
		       logged == LOG_LIMIT ? "ignored (no more of these "
					     "are logged)" : "ignored");
	}
}

static void mmio(struct rift_regs_msg *m)
{
	uint64_t gpa = mr(m, 3), acc = mr(m, 4), val = mr(m, 5);
	unsigned size = RIFT_ACCESS_SIZE(acc);
	int write = (acc & RIFT_ACCESS_WRITE) != 0;

	if (gpa >= VM_UART_BASE && gpa < VM_UART_BASE + PL011_SIZE) {
		uint64_t off = gpa - VM_UART_BASE;

		exits.uart++;
		if (write) {
			vm_pl011_write(&uart, off, size, (uint32_t)val);
			val = 0;
		} else {
			val = vm_pl011_read(&uart, off, size);
			if (off == PL011_DR && uart.rx_count == 0 &&
			    input_more) {
				uart_fill();
			}
		}
		uart_irq_sync();
	} else if (vm_gic_access(&gic, gpa, size, write, &val)) {
		if (gpa < VM_GICR_BASE) {
			exits.gicd++;
		} else {
			exits.gicr++;
		}
	} else {
		exits.other_mmio++;
		log_unhandled(write ? "MMIO write to" : "MMIO read of", gpa,
			      mr(m, 2));
		val = 0;
	}
	reply(m, RIFT_VCPU_DONE, 1, write ? 0 : val);
}

/** Returns how the guest goes on after a PSCI or other HVC/SMC call. */
static enum vmm_end hypercall(struct rift_regs_msg *m, uint32_t cpu)
{
	uint64_t x[4] = { mr(m, 6), mr(m, 7), mr(m, 8), mr(m, 9) };
	struct vm_psci_action a;

	if (!vm_psci_is_psci(x[0])) {
		exits.hvc_other++;
		/* SMCCC: unknown function ids answer NOT_SUPPORTED. */
		reply(m, RIFT_VCPU_DONE, 1, (uint64_t)(int64_t)-1);
		return VMM_RUN;
	}
	exits.psci++;
	vm_psci_decode(x, cpu, &psci, &a);
	reply(m, RIFT_VCPU_DONE, 1, (uint64_t)a.ret);
	switch (a.act) {
	case VM_PSCI_SYSTEM_OFF:
		return VMM_OFF;
	case VM_PSCI_SYSTEM_RESET:
		return VMM_RESET;
	case VM_PSCI_CPU_OFF:
		psci.on[cpu] = 0;
		reply(m, RIFT_VCPU_STOP, 0, 0);
		break;
	case VM_PSCI_CPU_ON:
		psci.on[a.cpu] = 1;
		if (vk_vcpu_start(&guest, a.cpu, a.entry, a.context) != 0) {
			psci.on[a.cpu] = 0;
			reply(m, RIFT_VCPU_DONE, 1,
			      (uint64_t)(int64_t)PSCI_INTERNAL_FAILURE);
		}
		break;
	default:
		break;
	}
	return VMM_RUN;
}

/**
 * A trapped system register: ICC_SGI1R_EL1 raises SGIs; the debug, PMU,
 * RAS and LOR registers the kernel traps read as zero and ignore writes
 * (the guest sees no debug, counters, error records or LOR regions);
 * anything else too, logged (decisions/guest-unknown-sysregs.md).
 */
static void sysreg(struct rift_regs_msg *m, uint32_t cpu)
{
	uint64_t enc = mr(m, 3), acc = mr(m, 4);
	enum vm_sysreg_class c = vm_sysreg_class(enc);

	exits.sysreg++;
	if (c == VM_SYSREG_SGI && (acc & RIFT_ACCESS_WRITE)) {
		vm_gic_sgi(&gic, cpu, mr(m, 5));
	} else if (c == VM_SYSREG_UNKNOWN || c == VM_SYSREG_SGI) {
		log_unhandled(acc & RIFT_ACCESS_WRITE ?
			      "system register write, encoding" :
			      "system register read, encoding",
			      enc, mr(m, 2));
	}
	reply(m, RIFT_VCPU_DONE, 1, 0); /* reads as zero, writes ignored */
}

static const char *crash_kind(uint64_t kind)
{
	switch (kind) {
	case RIFT_EXIT_IABT:
		return "instruction fetch from unmapped guest-physical";
	case RIFT_EXIT_DABT:
		return "data access it cannot decode at";
	default:
		return "exception it cannot handle, ESR";
	}
}

/** One exit of vCPU @cpu; sets the reply in @m. */
static enum vmm_end on_exit(struct rift_regs_msg *m, uint32_t cpu)
{
	uint64_t kind = mr(m, 0);

	switch (kind) {
	case RIFT_EXIT_MMIO:
		mmio(m);
		break;
	case RIFT_EXIT_HVC:
	case RIFT_EXIT_SMC:
		return hypercall(m, cpu);
	case RIFT_EXIT_SYSREG:
		sysreg(m, cpu);
		break;
	default:
		printf("vmm: %s: guest crashed: %s 0x%llx at pc 0x%llx "
		       "(ESR 0x%llx)\n", cfg.name, crash_kind(kind),
		       (unsigned long long)(kind == RIFT_EXIT_OTHER ? mr(m, 1) :
						 mr(m, 3)),
		       (unsigned long long)mr(m, 2),
		       (unsigned long long)mr(m, 1));
		return VMM_CRASH;
	}
	return VMM_RUN;
}

static void end_guest(const char *why)
{
	uint64_t back;

	for (uint32_t i = 0; i < cfg.cpus; i++) {
		vk_vcpu_stop(&guest, i);
	}
	drain_ring();
	if (out_len) {
		emit(NULL, out_line, out_len);
		out_len = 0;
	}
	printf("vmm: %s: exits served this boot: %llu GICD, %llu GICR, %llu "
	       "PL011, %llu other MMIO, %llu PSCI, %llu other HVC/SMC, %llu "
	       "system register\n", cfg.name,
	       (unsigned long long)exits.gicd, (unsigned long long)exits.gicr,
	       (unsigned long long)exits.uart,
	       (unsigned long long)exits.other_mmio,
	       (unsigned long long)exits.psci,
	       (unsigned long long)exits.hvc_other,
	       (unsigned long long)exits.sysreg);
	memset(&exits, 0, sizeof(exits));
	back = vk_guest_destroy(&guest);
	printf("vmm: %s: guest %s; its memory returned: %llu pages (free "
	       "pages %llu before it was built, %llu now)\n", cfg.name, why,
	       (unsigned long long)back,
	       (unsigned long long)guest.free_before,
	       (unsigned long long)vk_free_pages());
}

/** The input waker: rings the VMM's endpoint when input waits. */
static __attribute__((noreturn)) void waker_run(uint64_t doorbell)
{
	for (;;) {
		struct rift_regs_msg m = { 0 };
		uint64_t word = 0;

		if (rift_wait(doorbell, &word) != 0 ||
		    rift_call(waker_ep, &m) != 0) {
			break;
		}
	}
	for (;;) {
		rift_yield();
	}
}

static void start_waker(void)
{
	uint64_t doorbell = console_input_doorbell(), thread;
	struct rift_domain_info di;

	if (!doorbell) {
		return; /* no input channel: output only */
	}
	waker_ep = rt_slot_alloc();
	thread = rt_slot_alloc();
	if (rift_cap_copy(guest.ep, 0, waker_ep, RIFT_RIGHT_WRITE,
			  VMM_BADGE_WAKER) != 0 ||
	    rift_domain_info(&di) != 0 ||
	    rift_thread_create(0, thread, di.max_prio, 0) != 0 ||
	    rift_thread_start(thread, (uint64_t)(uintptr_t)waker_run,
			      (uintptr_t)waker_stack + WAKER_STACK,
			      doorbell) != 0) {
		printf("vmm: %s: no console input (waker thread failed)\n",
		       cfg.name);
	}
}

static int configure(void)
{
	const void *blob = (const void *)(uintptr_t)rt_auxv(RIFT_AT_GUEST);
	char err[200];
	int e;

	if (!blob) {
		printf("vmm: no guest configuration: give this domain a "
		       "'guest' node in the system description\n");
		return -1;
	}
	if (vm_config_parse(blob, 4096, &cfg, err, sizeof(err)) != 0) {
		printf("vmm: bad guest configuration: %s\n", err);
		return -1;
	}
	e = vm_image_check(cfg.kernel, cfg.kernel_size, &image);
	if (e) {
		printf("vmm: %s: guest kernel '%s' (%llu bytes): %s\n",
		       cfg.name, cfg.kernel_file,
		       (unsigned long long)cfg.kernel_size,
		       vm_image_strerror(e));
		return -1;
	}
	return 0;
}

int main(void)
{
	struct rift_regs_msg m;
	long e;

	if (configure() != 0) {
		return 1;
	}
	guest.ep = rt_slot_alloc();
	if (rift_endpoint_create(guest.ep) != 0) {
		printf("vmm: %s: no exit endpoint\n", cfg.name);
		return 1;
	}
	start_waker();
	if (boot() != 0) {
		end_guest("not started");
		return 1;
	}
	e = rift_recv(guest.ep, &m);
	for (;;) {
		enum vmm_end end = VMM_RUN;
		int answer = 1;

		if (e != 0) {
			printf("vmm: %s: receive failed: %ld\n", cfg.name, e);
			return 2;
		}
		if (m.badge == VMM_BADGE_WAKER) {
			uart_fill();
			reply(&m, 0, 0, 0);
		} else if (m.label == RIFT_VCPU_EXIT_LABEL && m.badge >= 1 &&
			   m.badge <= cfg.cpus) {
			end = on_exit(&m, (uint32_t)m.badge - 1);
		} else {
			answer = 0; /* not a caller we know: no reply */
		}
		drain_ring();
		if (end == VMM_OFF) {
			end_guest("powered off (PSCI SYSTEM_OFF)");
			return 0;
		}
		if (end == VMM_CRASH) {
			end_guest("crashed");
			return 2;
		}
		if (end == VMM_RESET) {
			end_guest("reset (PSCI SYSTEM_RESET): rebooting it");
			if (boot() != 0) {
				end_guest("not restarted");
				return 1;
			}
			e = rift_recv(guest.ep, &m);
			continue;
		}
		e = answer ? rift_reply_recv(guest.ep, &m) :
			     rift_recv(guest.ep, &m);
	}
}
