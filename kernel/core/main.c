/* SPDX-License-Identifier: MIT */
/*
 * Boot sequence of the boot CPU, after head.S has turned the MMU on:
 *   device tree -> kernel page tables -> physical allocator -> interrupt
 *   controller and timer -> banner -> (domains, later) -> heartbeat.
 */
#include <arch/memlayout.h>
#include <plat/board.h>
#include <rift/arch.h>
#include <rift/bootinfo.h>
#include <rift/cpu.h>
#include <rift/irq.h>
#include <rift/kmem.h>
#include <rift/object.h>
#include <rift/pl011.h>
#include <rift/printk.h>
#include <rift/sched.h>
#include <rift/vcpu.h>
#include <stdlib.h>
#include <string.h>

#ifndef RIFT_VERSION
#define RIFT_VERSION "0.1.0"
#endif

#define TICK_HZ 100
#define DEFAULT_BOOT_TICKS 20

struct cpu cpus[BOOT_MAX_CPUS];
extern bool fast_enabled;
extern bool preempt_enabled;
extern uint32_t asid_limit_bits;
extern uint64_t asid_rollovers;

static void __noreturn shutdown(void);

extern char _text[], _end[];

/** Find "key=" in the boot arguments; returns its value or NULL. */
static const char *bootarg(const char *key)
{
	size_t klen = strlen(key);

	for (const char *p = boot_info.bootargs; *p;) {
		const char *end = strchr(p, ' ');

		if (!end) {
			end = p + strlen(p);
		}
		if ((size_t)(end - p) > klen && strncmp(p, key, klen) == 0 &&
		    p[klen] == '=') {
			return p + klen + 1;
		}
		p = *end ? end + 1 : end;
	}
	return NULL;
}

static void cpus_init(void)
{
	uint64_t me = arch_cpu_hwid();

	for (uint32_t i = 0; i < boot_info.cpu_count; i++) {
		cpus[i].id = i;
		cpus[i].hwid = boot_info.cpus[i].mpidr;
		cpus[i].node = boot_info.cpus[i].node;
		if (cpus[i].hwid == me) {
			cpus[i].online = true;
			arch_cpu_set_local(&cpus[i]);
		}
	}
	if (!this_cpu() || !this_cpu()->online) {
		panic("boot CPU %lx is not in the device tree's /cpus",
		      (unsigned long)me);
	}
}

static void banner_numa(void)
{
	char line[128];
	int n;

	printk("numa: %u node(s), distance matrix%s:\n", boot_info.node_count,
	       boot_info.has_distance_map ? "" : " (default, no /distance-map)");
	n = snprintk(line, sizeof(line), "numa:     ");
	for (uint32_t j = 0; j < boot_info.node_count; j++) {
		n += snprintk(line + n, sizeof(line) - n, " %3u", j);
	}
	printk("%s\n", line);
	for (uint32_t i = 0; i < boot_info.node_count; i++) {
		n = snprintk(line, sizeof(line), "numa: %3u ", i);
		for (uint32_t j = 0; j < boot_info.node_count; j++) {
			n += snprintk(line + n, sizeof(line) - n, " %3u",
				      boot_info.distance[i][j]);
		}
		printk("%s\n", line);
	}
}

/** One line per distinct compatible string: "device: pl011@9000000 (arm,pl011)". */
static void banner_devices(void)
{
	const struct boot_device *d = boot_info.devices;

	printk("devices: %u in the device tree\n", boot_info.device_count);
	for (uint32_t i = 0; i < boot_info.device_count; i++) {
		uint32_t same = 1;
		bool seen = false;

		for (uint32_t j = 0; j < i && !seen; j++) {
			seen = strcmp(d[j].compatible, d[i].compatible) == 0;
		}
		if (seen) {
			continue;
		}
		for (uint32_t j = i + 1; j < boot_info.device_count; j++) {
			same += strcmp(d[j].compatible, d[i].compatible) == 0;
		}
		if (same > 1) {
			printk("device: %s (%s) and %u more\n", d[i].name,
			       d[i].compatible, same - 1);
		} else {
			printk("device: %s (%s)\n", d[i].name, d[i].compatible);
		}
	}
}

static void banner(void)
{
	printk("rift %s on %s (aarch64)\n", RIFT_VERSION, PLAT_NAME);
	printk("rift: running at %s\n", arch_mode_name());
	printk("rift: device tree at %lx, %u bytes; bootargs \"%s\"\n",
	       (unsigned long)boot_info.fdt_pa, boot_info.fdt_size,
	       boot_info.bootargs);
	printk("cpus: %u in the device tree\n", boot_info.cpu_count);
	for (uint32_t i = 0; i < boot_info.cpu_count; i++) {
		printk("cpu%u: mpidr %lx, node %u, %s\n", i,
		       (unsigned long)cpus[i].hwid, cpus[i].node,
		       cpus[i].online ? "online (boot)" : "parked");
	}
	kmem_report();
	mmu_report();
	banner_numa();
	banner_devices();
	if (boot_info.initrd_end > boot_info.initrd_start) {
		printk("initrd: [%lx, %lx)\n",
		       (unsigned long)boot_info.initrd_start,
		       (unsigned long)boot_info.initrd_end);
	}
}

static void heartbeat(void)
{
	const char *arg = bootarg("rift.ticks");
	uint64_t want = arg ? strtoul(arg, NULL, 0) : DEFAULT_BOOT_TICKS;
	uint64_t start = arch_counter();

	arch_irq_enable();
	while (this_cpu()->ticks < want) {
		arch_wait_for_interrupt();
	}
	arch_irq_disable();
	printk("heartbeat: %lu timer ticks in %lu ms, %lu unhandled "
	       "interrupts\n",
	       (unsigned long)this_cpu()->ticks,
	       (unsigned long)((arch_counter() - start) * 1000 /
			       arch_counter_freq()),
	       (unsigned long)irq_unhandled_count);
}

static uint64_t selftest_irqs;

static void selftest_irq(uint32_t intid)
{
	(void)intid;
	selftest_irqs++;
}

/** Wait (with interrupts on) until @n self-test interrupts or 50 ticks. */
static uint64_t selftest_wait(uint64_t n)
{
	uint64_t until = this_cpu()->ticks + 50;

	arch_irq_enable();
	while (selftest_irqs < n && this_cpu()->ticks < until) {
		arch_wait_for_interrupt();
	}
	arch_irq_disable();
	return selftest_irqs;
}

/**
 * Interrupt trigger modes through the real controller: a spare SPI set up
 * as edge and then as level must read back so, and each software pend must
 * be delivered exactly once (two pends before delivery collapse into one).
 */
static void selftest_irq_modes(void)
{
	const uint32_t spi = 100;
	enum irq_trigger modes[2] = { IRQ_EDGE, IRQ_LEVEL };

	irq_register(spi, selftest_irq, IRQ_EDGE);
	for (int m = 0; m < 2; m++) {
		uint64_t base = selftest_irqs;

		irqc_enable(spi, modes[m]);
		printk("selftest: irq %u configured %s, reads back %s\n", spi,
		       modes[m] == IRQ_EDGE ? "edge" : "level",
		       irqc_trigger(spi) == IRQ_EDGE ? "edge" : "level");
		irqc_set_pending(spi);
		selftest_wait(base + 1);
		irqc_set_pending(spi);
		irqc_set_pending(spi);
		selftest_wait(base + 3);
		printk("selftest: irq %u %s: 3 pends (1, then 2 at once), %lu "
		       "deliveries\n",
		       spi, modes[m] == IRQ_EDGE ? "edge" : "level",
		       (unsigned long)(selftest_irqs - base));
	}
}

/** Deliberate faults and device checks, for tests (rift.selftest=). */
static void selftest(void)
{
	const char *what = bootarg("rift.selftest");

	if (what && strncmp(what, "irq", 3) == 0) {
		selftest_irq_modes();
	}

	if (what && strncmp(what, "fault", 5) == 0) {
		printk("selftest: writing to an unmapped address\n");
		*(volatile uint64_t *)(uintptr_t)0x0000dead0000beefull = 1;
	}
}

void kernel_main(paddr_t dtb_pa, paddr_t image_pa);
void kernel_main(paddr_t dtb_pa, paddr_t image_pa)
{
	uint64_t off = dtb_pa & (MiB(2) - 1);

	pl011_set_base((volatile void *)(uintptr_t)(
		FIXMAP_UART + (PLAT_EARLY_UART_PA & (MiB(2) - 1))));
	printk("rift: starting, device tree at %lx\n", (unsigned long)dtb_pa);
	dt_parse((const void *)(uintptr_t)(FIXMAP_DTB + off), dtb_pa,
		 FIXMAP_DTB_SPAN - off);
	cpus_init();
	arch_mmu_init(image_pa);
	arch_console_init();
	kmem_init(image_pa, (uint64_t)(_end - _text));
	klog_init_ring();
	arch_irq_init();
	arch_timer_init(TICK_HZ);
	banner();
	selftest();
	sched_init_cpu(this_cpu()->id);
	arch_kstacks_init(this_cpu());
	if (boot_info.initrd_end > boot_info.initrd_start) {
		const char *pmu = bootarg("rift.pmu");

		arch_user_init();
		arch_pmu_init(pmu && strncmp(pmu, "user", 4) == 0);
		arch_vcpu_boot(); /* after the PMU: guests' MDCR_EL2 from it */
		if (bootarg("rift.fastpath") &&
		    strncmp(bootarg("rift.fastpath"), "off", 3) == 0) {
			fast_enabled = false;
			printk("rift: IPC fast path off\n");
		}
		if (bootarg("rift.asid_bits")) {
			asid_limit_bits = (uint32_t)strtoul(
				bootarg("rift.asid_bits"), NULL, 0);
			if (asid_limit_bits < 1) {
				asid_limit_bits = 1; /* ASID 1 alone */
			}
			printk("rift: ASIDs limited to %u bits\n",
			       asid_limit_bits);
		}
		if (bootarg("rift.preempt") &&
		    strncmp(bootarg("rift.preempt"), "off", 3) == 0) {
			preempt_enabled = false;
			printk("rift: preemption points off (long calls run to "
			       "the end with interrupts masked)\n");
		}
		kernel_lock_acquire();
		boot_first_domain();
		kernel_lock_release();
		sched_start();
	}
	heartbeat();
	shutdown();
}

static void __noreturn shutdown(void)
{
	printk("rift: system off\n");
	pl011_flush();
	arch_system_off();
}

void kernel_root_stopped(struct thread *t)
{
	klog_detach();
	if (t->fault.kind == RIFT_FAULT_EXIT) {
		printk("rift: supervisor exited with status %ld\n",
		       (long)t->fault.syndrome);
	} else {
		printk("rift: supervisor stopped by a fault (kind %u) at %lx, pc "
		       "%lx, syndrome %lx; nothing can restart it\n",
		       t->fault.kind, (unsigned long)t->fault.addr,
		       (unsigned long)t->fault.pc,
		       (unsigned long)t->fault.syndrome);
	}
	if (pl011_dropped) {
		printk("console: %lu characters of kernel output were dropped "
		       "while the UART was stopped\n",
		       (unsigned long)pl011_dropped);
	}
	printk("heartbeat: %lu timer ticks, %lu unhandled interrupts, %lu ASID "
	       "generations turned over\n",
	       (unsigned long)this_cpu()->ticks,
	       (unsigned long)irq_unhandled_count,
	       (unsigned long)asid_rollovers);
	shutdown();
}
