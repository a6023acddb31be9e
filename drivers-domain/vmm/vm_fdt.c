/* SPDX-License-Identifier: MIT */
/* The guest device tree (vm_fdt.h). */
#include "vm_fdt.h"

#include <libfdt.h>
#include <stdio.h>

#include "vm_layout.h"

#define PH_GIC 1
#define PH_CLK 2

/* GIC interrupt specifier: type (0 SPI, 1 PPI), number, flags. */
#define IRQ_SPI 0
#define IRQ_PPI 1
#define IRQ_LEVEL_HIGH 4

static int prop_u64x2(void *fdt, const char *name, uint64_t a, uint64_t b)
{
	fdt64_t v[2] = { cpu_to_fdt64(a), cpu_to_fdt64(b) };

	return fdt_property(fdt, name, v, sizeof(v));
}

static int prop_irq(void *fdt, const char *name, const uint32_t *spec,
		    int count)
{
	fdt32_t v[12];

	for (int i = 0; i < count * 3 && i < 12; i++) {
		v[i] = cpu_to_fdt32(spec[i]);
	}
	return fdt_property(fdt, name, v, (int)sizeof(fdt32_t) * count * 3);
}

/** Stops at the first error: every helper returns 0 or a libfdt error. */
#define TRY(x)                     \
	do {                       \
		int _e = (x);      \
		if (_e < 0) {      \
			return _e; \
		}                  \
	} while (0)

static int cpus(void *fdt, const struct vm_fdt_params *p)
{
	TRY(fdt_begin_node(fdt, "cpus"));
	TRY(fdt_property_u32(fdt, "#address-cells", 1));
	TRY(fdt_property_u32(fdt, "#size-cells", 0));
	for (uint32_t i = 0; i < p->cpus; i++) {
		char name[16];

		snprintf(name, sizeof(name), "cpu@%x", i);
		TRY(fdt_begin_node(fdt, name));
		TRY(fdt_property_string(fdt, "device_type", "cpu"));
		TRY(fdt_property_string(fdt, "compatible", "arm,armv8"));
		TRY(fdt_property_u32(fdt, "reg", i)); /* MPIDR Aff0 */
		TRY(fdt_property_string(fdt, "enable-method", "psci"));
		TRY(fdt_end_node(fdt));
	}
	return fdt_end_node(fdt);
}

static int gic(void *fdt, const struct vm_fdt_params *p)
{
	char name[32];
	fdt64_t reg[4] = {
		cpu_to_fdt64(VM_GICD_BASE), cpu_to_fdt64(VM_GICD_SIZE),
		cpu_to_fdt64(VM_GICR_BASE),
		cpu_to_fdt64(VM_GICR_STRIDE * p->cpus),
	};

	snprintf(name, sizeof(name), "intc@%llx",
		 (unsigned long long)VM_GICD_BASE);
	TRY(fdt_begin_node(fdt, name));
	TRY(fdt_property_string(fdt, "compatible", "arm,gic-v3"));
	TRY(fdt_property(fdt, "interrupt-controller", NULL, 0));
	TRY(fdt_property_u32(fdt, "#interrupt-cells", 3));
	TRY(fdt_property_u32(fdt, "#redistributor-regions", 1));
	TRY(fdt_property(fdt, "reg", reg, sizeof(reg)));
	TRY(fdt_property_u32(fdt, "phandle", PH_GIC));
	return fdt_end_node(fdt);
}

static int timer_psci(void *fdt)
{
	static const uint32_t ppis[] = {
		IRQ_PPI, VM_TIMER_SEC_PPI, IRQ_LEVEL_HIGH,
		IRQ_PPI, VM_TIMER_PHYS_PPI, IRQ_LEVEL_HIGH,
		IRQ_PPI, VM_TIMER_VIRT_PPI, IRQ_LEVEL_HIGH,
		IRQ_PPI, VM_TIMER_HYP_PPI, IRQ_LEVEL_HIGH,
	};
	static const char psci_compat[] = "arm,psci-1.0\0arm,psci-0.2";

	TRY(fdt_begin_node(fdt, "timer"));
	TRY(fdt_property_string(fdt, "compatible", "arm,armv8-timer"));
	TRY(prop_irq(fdt, "interrupts", ppis, 4));
	TRY(fdt_property(fdt, "always-on", NULL, 0));
	TRY(fdt_end_node(fdt));
	TRY(fdt_begin_node(fdt, "psci"));
	TRY(fdt_property(fdt, "compatible", psci_compat, sizeof(psci_compat)));
	TRY(fdt_property_string(fdt, "method", "hvc"));
	return fdt_end_node(fdt);
}

static int uart(void *fdt, char *path, size_t path_size)
{
	static const char compat[] = "arm,pl011\0arm,primecell";
	static const char clock_names[] = "uartclk\0apb_pclk";
	static const uint32_t irq[] = { IRQ_SPI, VM_UART_SPI, IRQ_LEVEL_HIGH };
	fdt32_t clocks[2] = { cpu_to_fdt32(PH_CLK), cpu_to_fdt32(PH_CLK) };

	TRY(fdt_begin_node(fdt, "apb-pclk"));
	TRY(fdt_property_string(fdt, "compatible", "fixed-clock"));
	TRY(fdt_property_u32(fdt, "#clock-cells", 0));
	TRY(fdt_property_u32(fdt, "clock-frequency", 24000000));
	TRY(fdt_property_string(fdt, "clock-output-names", "clk24mhz"));
	TRY(fdt_property_u32(fdt, "phandle", PH_CLK));
	TRY(fdt_end_node(fdt));
	snprintf(path, path_size, "pl011@%llx",
		 (unsigned long long)VM_UART_BASE);
	TRY(fdt_begin_node(fdt, path));
	TRY(fdt_property(fdt, "compatible", compat, sizeof(compat)));
	TRY(prop_u64x2(fdt, "reg", VM_UART_BASE, 0x1000));
	TRY(prop_irq(fdt, "interrupts", irq, 1));
	TRY(fdt_property(fdt, "clocks", clocks, sizeof(clocks)));
	TRY(fdt_property(fdt, "clock-names", clock_names,
			 sizeof(clock_names)));
	return fdt_end_node(fdt);
}

static int chosen(void *fdt, const struct vm_fdt_params *p, const char *uart)
{
	char stdout_path[48];

	snprintf(stdout_path, sizeof(stdout_path), "/%s", uart);
	TRY(fdt_begin_node(fdt, "chosen"));
	if (p->bootargs) {
		TRY(fdt_property_string(fdt, "bootargs", p->bootargs));
	}
	TRY(fdt_property_string(fdt, "stdout-path", stdout_path));
	if (p->initrd_end > p->initrd_start) {
		TRY(fdt_property_u64(fdt, "linux,initrd-start",
				     p->initrd_start));
		TRY(fdt_property_u64(fdt, "linux,initrd-end", p->initrd_end));
	}
	return fdt_end_node(fdt);
}

static int hypervisor(void *fdt, const struct vm_fdt_params *p)
{
	static const char reg_names[] = "start-of-day\0console-ring";
	fdt64_t reg[4] = {
		cpu_to_fdt64(p->sod_base), cpu_to_fdt64(p->sod_size),
		cpu_to_fdt64(p->ring_base), cpu_to_fdt64(p->ring_size),
	};

	TRY(fdt_begin_node(fdt, "hypervisor"));
	TRY(fdt_property_string(fdt, "compatible", "rift,hypervisor"));
	TRY(fdt_property_u32(fdt, "rift,version", 1));
	TRY(fdt_property_string(fdt, "rift,guest-name", p->name));
	TRY(fdt_property(fdt, "reg", reg, sizeof(reg)));
	TRY(fdt_property(fdt, "reg-names", reg_names, sizeof(reg_names)));
	TRY(prop_u64x2(fdt, "rift,rma", p->ram_base, p->rma_size));
	return fdt_end_node(fdt);
}

int vm_fdt_build(void *buf, size_t size, const struct vm_fdt_params *p)
{
	static const char compat[] = "linux,dummy-virt";
	char mem[32], uart_name[32];

	if (p->cpus == 0 || p->cpus > 8 || size > 0x7fffffff) {
		return -FDT_ERR_BADVALUE;
	}
	TRY(fdt_create(buf, (int)size));
	if (p->reserved_size) {
		TRY(fdt_add_reservemap_entry(buf, p->reserved_base,
					     p->reserved_size));
	}
	TRY(fdt_finish_reservemap(buf));
	TRY(fdt_begin_node(buf, ""));
	TRY(fdt_property_string(buf, "compatible", compat));
	TRY(fdt_property_string(buf, "model", "rift guest (QEMU virt layout)"));
	TRY(fdt_property_u32(buf, "#address-cells", 2));
	TRY(fdt_property_u32(buf, "#size-cells", 2));
	TRY(fdt_property_u32(buf, "interrupt-parent", PH_GIC));
	snprintf(mem, sizeof(mem), "memory@%llx",
		 (unsigned long long)p->ram_base);
	TRY(fdt_begin_node(buf, mem));
	TRY(fdt_property_string(buf, "device_type", "memory"));
	TRY(prop_u64x2(buf, "reg", p->ram_base, p->ram_size));
	TRY(fdt_end_node(buf));
	TRY(cpus(buf, p));
	TRY(gic(buf, p));
	TRY(timer_psci(buf));
	TRY(uart(buf, uart_name, sizeof(uart_name)));
	TRY(chosen(buf, p, uart_name));
	TRY(hypervisor(buf, p));
	TRY(fdt_end_node(buf));
	TRY(fdt_finish(buf));
	return (int)fdt_totalsize(buf);
}
