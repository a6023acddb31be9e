/* SPDX-License-Identifier: MIT */
/*
 * Exception handling at EL2: decoding, the panic dump, and dispatch of
 * interrupts. A kernel-mode exception is always a kernel bug: it prints a
 * readable dump and powers the machine off so a test never hangs.
 */
#include <arch/memlayout.h>
#include <arch/sysreg.h>
#include <arch/trap.h>
#include <rift/arch.h>
#include <rift/bootinfo.h>
#include <rift/irq.h>
#include <rift/object.h>
#include <rift/printk.h>
#include <rift/sched.h>

struct ec_name {
	uint8_t ec;
	const char *name;
};

static const struct ec_name ec_names[] = {
	{ 0x00, "unknown reason" },
	{ 0x01, "WFI/WFE" },
	{ 0x07, "SVE/SIMD/FP access" },
	{ 0x0e, "illegal execution state" },
	{ 0x15, "SVC (AArch64)" },
	{ 0x16, "HVC (AArch64)" },
	{ 0x17, "SMC (AArch64)" },
	{ 0x18, "MSR/MRS/system instruction" },
	{ 0x20, "instruction abort from lower EL" },
	{ 0x21, "instruction abort, same EL" },
	{ 0x22, "PC alignment fault" },
	{ 0x24, "data abort from lower EL" },
	{ 0x25, "data abort, same EL" },
	{ 0x26, "SP alignment fault" },
	{ 0x2c, "floating-point exception" },
	{ 0x2f, "SError" },
	{ 0x30, "breakpoint from lower EL" },
	{ 0x31, "breakpoint, same EL" },
	{ 0x3c, "BRK instruction" },
};

const char *trap_ec_name(uint32_t ec)
{
	for (size_t i = 0; i < ARRAY_SIZE(ec_names); i++) {
		if (ec_names[i].ec == ec) {
			return ec_names[i].name;
		}
	}
	return "unrecognised exception class";
}

/** For aborts: the fault status code in words. */
static const char *trap_dfsc_name(uint32_t fsc)
{
	switch (fsc & 0x3c) {
	case 0x04:
		return "translation fault";
	case 0x08:
		return "access flag fault";
	case 0x0c:
		return "permission fault";
	default:
		break;
	}
	if (fsc == 0x21) {
		return "alignment fault";
	}
	if (fsc == 0x10) {
		return "synchronous external abort";
	}
	return "other fault";
}

static void trap_dump_regs(const struct trap_frame *f)
{
	for (int i = 0; i < 30; i += 2) {
		printk("  x%-2d %016lx  x%-2d %016lx\n", i,
		       (unsigned long)f->x[i], i + 1,
		       (unsigned long)f->x[i + 1]);
	}
	printk("  x30 %016lx  sp  %016lx\n", (unsigned long)f->x[30],
	       (unsigned long)f->sp);
}

void trap_panic(const struct trap_frame *f, const char *why)
{
	uint32_t ec = (uint32_t)(f->esr >> 26) & 0x3f;

	arch_irq_disable();
	klog_panic_mode();
	printk("PANIC: %s: %s (EC 0x%02x)\n", why, trap_ec_name(ec), ec);
	if (ec == 0x20 || ec == 0x21 || ec == 0x24 || ec == 0x25) {
		printk("  %s, %s access at %016lx\n",
		       trap_dfsc_name((uint32_t)f->esr & 0x3f),
		       (f->esr & (1u << 6)) ? "write" : "read",
		       (unsigned long)f->far);
	}
	printk("  ESR %016lx  FAR %016lx\n", (unsigned long)f->esr,
	       (unsigned long)f->far);
	printk("  ELR %016lx  SPSR %016lx\n", (unsigned long)f->elr,
	       (unsigned long)f->spsr);
	trap_dump_regs(f);
	arch_backtrace(f->x[29], f->elr);
	arch_panic_halt();
}

/** Which guard page, if any, holds @va: a stack overflow's fault. */
bool arch_boot_stack_guard(uint64_t va);

static const char *stack_guard_name(uint64_t va)
{
	uint64_t off;

	if (arch_boot_stack_guard(va)) {
		return "boot stack overflow (guard page hit)";
	}
	if (va < KSTACK_BASE || va >= KSTACK_BASE + BOOT_MAX_CPUS * KSTACK_SLOT) {
		return NULL;
	}
	off = (va - KSTACK_BASE) % KSTACK_SLOT;
	if (off < KSTACK_OFF) {
		return "kernel stack overflow (guard page hit)";
	}
	if (off >= KSTACK_OFF + KSTACK_SIZE && off < EXCSTACK_OFF) {
		return "exception stack overflow (guard page hit)";
	}
	return NULL;
}

void trap_el2_sync(struct trap_frame *f);
void trap_el2_sync(struct trap_frame *f)
{
	const char *guard = stack_guard_name(f->far);

	trap_panic(f, guard ? guard : "unexpected exception in the kernel");
}

void trap_el2_unexpected(struct trap_frame *f);
void trap_el2_unexpected(struct trap_frame *f)
{
	trap_panic(f, "unexpected FIQ/SError in the kernel");
}

void trap_irq(struct trap_frame *f);
void trap_irq(struct trap_frame *f)
{
	(void)f;
	/* Only reached while idling (the kernel runs with IRQs masked), when
	 * the idle loop has dropped the kernel lock. */
	kernel_lock_acquire();
	irq_handle();
	kernel_lock_release();
}

static bool frame_ok(uint64_t fp, uint64_t prev)
{
	bool image = fp >= KERNEL_VBASE && fp < FIXMAP_BASE;
	bool stacks = fp >= KSTACK_BASE &&
		      fp < KSTACK_BASE + BOOT_MAX_CPUS * KSTACK_SLOT &&
		      !stack_guard_name(fp) && !stack_guard_name(fp + 15);

	return fp > prev && IS_ALIGNED(fp, 16) && (image || stacks);
}

void arch_backtrace(uint64_t fp, uint64_t pc)
{
	uint64_t prev = 0;

	printk("  backtrace (addr2line -e build/.../rift.elf):\n");
	printk("    #0 %016lx\n", (unsigned long)pc);
	for (int depth = 1; depth < 32 && frame_ok(fp, prev); depth++) {
		const uint64_t *rec = (const uint64_t *)fp;

		if (rec[1] == 0) {
			break;
		}
		printk("    #%d %016lx\n", depth, (unsigned long)(rec[1] - 4));
		prev = fp;
		fp = rec[0];
	}
}
