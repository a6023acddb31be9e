/* SPDX-License-Identifier: MIT */
/*
 * A tiny bare-metal aarch64 guest for the kernel's guest tests
 * (tests/integration/test_60_guest.py): it runs at EL1 with the MMU off
 * and talks to its VMM (tests/domains/guest/gvmm.c) only through exits:
 * a PL011 data register at 0x09000000 for its console (one MMIO exit per
 * byte), a test device at 0x0a000000, HVC/SMC (PSCI), trapped system
 * registers. Its memory is the RMA at 0x40000000 (image, then stack at
 * 1 MiB) and whatever else the VMM maps.
 */
#include <stdint.h>

#include "guest_abi.h"

uint64_t guest_hvc(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3);
uint64_t guest_smc(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3);
void guest_jump_garbage(uint64_t pc, uint64_t vbar);
void guest_main(uint64_t scenario);

#define read_sysreg(r)                                          \
	({                                                      \
		uint64_t __v;                                   \
		__asm__ volatile("mrs %0, " #r : "=r"(__v));    \
		__v;                                            \
	})
#define write_sysreg(r, v)                                              \
	do {                                                            \
		uint64_t __v = (uint64_t)(v);                           \
		__asm__ volatile("msr " #r ", %0" : : "r"(__v));        \
	} while (0)
#define isb() __asm__ volatile("isb" ::: "memory")

/* The compiler may call these for loops and copies. */
void *memset(void *d, int c, unsigned long n);
void *memset(void *d, int c, unsigned long n)
{
	volatile uint8_t *p = d;

	while (n--) {
		*p++ = (uint8_t)c;
	}
	return d;
}

void *memcpy(void *d, const void *s, unsigned long n);
void *memcpy(void *d, const void *s, unsigned long n)
{
	volatile uint8_t *p = d;
	const uint8_t *q = s;

	while (n--) {
		*p++ = *q++;
	}
	return d;
}

static volatile uint8_t *const uart = (volatile uint8_t *)GUEST_UART;
static volatile uint64_t *const tdev = (volatile uint64_t *)GUEST_TDEV;

static void putc_(char c)
{
	*uart = (uint8_t)c;
}

static void puts_(const char *s)
{
	while (*s) {
		putc_(*s++);
	}
}

static void putu(uint64_t v)
{
	char buf[24];
	int i = 0;

	do {
		buf[i++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (i) {
		putc_(buf[--i]);
	}
}

static void putx(uint64_t v)
{
	puts_("0x");
	for (int s = 60; s >= 0; s -= 4) {
		if ((v >> s) || s == 0) {
			putc_("0123456789abcdef"[(v >> s) & 0xf]);
		}
	}
}

static void tdev_cmd(uint64_t cmd)
{
	tdev[TDEV_CMD / 8] = cmd;
}

static void fail(const char *what, uint64_t got)
{
	puts_("FAILED: ");
	puts_(what);
	puts_(": got ");
	putx(got);
	puts_("\n");
	guest_hvc(PSCI_SYSTEM_OFF, 0, 0, 0);
}

#define EXPECT(what, got, want)                 \
	do {                                    \
		uint64_t g_ = (got);            \
		if (g_ != (uint64_t)(want)) {   \
			fail(what, g_);         \
			return;                 \
		}                               \
	} while (0)

/* ---- exceptions taken by the guest itself */

static volatile uint64_t undefs, irqs, irq_log[64], last_esr;

void guest_sync(void);
void guest_sync(void)
{
	uint64_t esr = read_sysreg(esr_el1);

	last_esr = esr;
	if ((esr >> 26) == 0) { /* undefined instruction: skip it */
		undefs++;
		write_sysreg(elr_el1, read_sysreg(elr_el1) + 4);
		return;
	}
	puts_("FAILED: unexpected exception, ESR ");
	putx(esr);
	puts_(" at ");
	putx(read_sysreg(elr_el1));
	puts_("\n");
	guest_hvc(PSCI_SYSTEM_OFF, 0, 0, 0);
}

void guest_other(void);
void guest_other(void)
{
	puts_("FAILED: unexpected exception vector, ESR ");
	putx(read_sysreg(esr_el1));
	puts_("\n");
	guest_hvc(PSCI_SYSTEM_OFF, 0, 0, 0);
}

void guest_irq(void);
void guest_irq(void)
{
	uint64_t iar = read_sysreg(S3_0_C12_C12_0); /* ICC_IAR1_EL1 */
	uint32_t intid = (uint32_t)iar & 0xffffff;

	if (intid >= 1020) {
		return; /* spurious */
	}
	if (irqs < 64) {
		irq_log[irqs] = intid;
	}
	irqs++;
	if (intid == 27) {
		write_sysreg(cntv_ctl_el0, 2); /* masked: the test rearms it */
		isb();
	}
	write_sysreg(S3_0_C12_C12_1, iar); /* ICC_EOIR1_EL1 */
	isb();
}

static void gic_cpu_init(void)
{
	write_sysreg(S3_0_C12_C12_5, read_sysreg(S3_0_C12_C12_5) | 1); /* ICC_SRE_EL1.SRE */
	isb();
	write_sysreg(S3_0_C4_C6_0, 0xff); /* ICC_PMR_EL1 */
	write_sysreg(S3_0_C12_C12_7, 1);  /* ICC_IGRPEN1_EL1 */
	isb();
}

static void irq_enable(void)
{
	__asm__ volatile("msr daifclr, #2" ::: "memory");
}

static void irq_disable(void)
{
	__asm__ volatile("msr daifset, #2" ::: "memory");
}

/* ---- scenarios */

static void basic(void)
{
	uint64_t v;
	volatile uint64_t *ram2m = (volatile uint64_t *)GUEST_EXTRA_2M;
	volatile uint64_t *ram4k = (volatile uint64_t *)GUEST_EXTRA_4K;

	puts_("hello from the test guest at EL");
	putu((read_sysreg(CurrentEL) >> 2) & 3);
	puts_("\n");
	/* HVC and SMC (PSCI), answered by the VMM */
	EXPECT("hvc PSCI_VERSION", guest_hvc(PSCI_VERSION, 0, 0, 0), 0x10001);
	EXPECT("smc PSCI_VERSION", guest_smc(PSCI_VERSION, 0, 0, 0), 0x10001);
	{
		register uint64_t x0 __asm__("x0") = VENDOR_HVC_FOUR;
		register uint64_t x1 __asm__("x1") = 0;
		register uint64_t x2 __asm__("x2") = 0;
		register uint64_t x3 __asm__("x3") = 0;

		__asm__ volatile("hvc #0"
				 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
				 :
				 : "memory");
		EXPECT("hvc 4 results", x0 + (x1 << 8) + (x2 << 16) + (x3 << 24),
		       0x04030201);
	}
	puts_("hvc ok: PSCI 1.1 through the VMM, 4 result registers\n");
	/* MMIO reads of every size and sign, decoded by the kernel */
	__asm__ volatile("ldrb %w0, [%1]" : "=r"(v) : "r"(tdev) : "memory");
	EXPECT("ldrb", v, 0x81);
	__asm__ volatile("ldrsb %w0, [%1]" : "=r"(v) : "r"(tdev) : "memory");
	EXPECT("ldrsb w", v, 0xffffff81);
	__asm__ volatile("ldrsb %0, [%1]" : "=r"(v) : "r"(tdev) : "memory");
	EXPECT("ldrsb x", v, 0xffffffffffffff81);
	__asm__ volatile("ldrh %w0, [%1]" : "=r"(v) : "r"(tdev) : "memory");
	EXPECT("ldrh", v, 0x9281);
	__asm__ volatile("ldrsh %0, [%1]" : "=r"(v) : "r"(tdev) : "memory");
	EXPECT("ldrsh x", v, 0xffffffffffff9281);
	__asm__ volatile("ldr %w0, [%1]" : "=r"(v) : "r"(tdev) : "memory");
	EXPECT("ldr w", v, 0x44339281);
	__asm__ volatile("ldrsw %0, [%1]" : "=r"(v) : "r"(tdev) : "memory");
	EXPECT("ldrsw x", v, 0x44339281);
	__asm__ volatile("ldr %0, [%1]" : "=r"(v) : "r"(tdev) : "memory");
	EXPECT("ldr x", v, TDEV_READ_VALUE);
	/* ... and writes: the VMM checks value and size */
	v = 0x1234567890abcdefull;
	__asm__ volatile("strb %w0, [%1, #8]" : : "r"(v), "r"(tdev) : "memory");
	__asm__ volatile("strh %w0, [%1, #8]" : : "r"(v), "r"(tdev) : "memory");
	__asm__ volatile("str %w0, [%1, #8]" : : "r"(v), "r"(tdev) : "memory");
	__asm__ volatile("str %0, [%1, #8]" : : "r"(v), "r"(tdev) : "memory");
	__asm__ volatile("str xzr, [%0, #8]" : : "r"(tdev) : "memory");
	EXPECT("writes seen by the VMM", tdev[TDEV_VERDICT / 8], 5);
	puts_("mmio ok: 8 reads and 5 writes decoded and completed\n");
	/* a trapped system register: the EL1 physical timer (CNTHCTL_EL2) */
	EXPECT("cntp_ctl_el0", read_sysreg(cntp_ctl_el0), 0x5a);
	puts_("sysreg ok: CNTP_CTL_EL0 read answered by the VMM\n");
	/* more RAM: a 2 MiB block and a 4 KiB page, no exits */
	ram2m[0] = 0x2222;
	ram2m[(2u << 20) / 8 - 1] = 0x2223;
	ram4k[0] = 0x4444;
	EXPECT("2 MiB frame", ram2m[0] + ram2m[(2u << 20) / 8 - 1], 0x4445);
	EXPECT("4 KiB page", ram4k[0], 0x4444);
	puts_("ram ok: 2 MiB and 4 KiB frames\n");
}

static void isolation(uint64_t marker)
{
	volatile uint64_t *mine = (volatile uint64_t *)GUEST_MARKER;
	static const uint64_t probes[] = {
		0x0, 0x08000000, 0x3ffff000, 0x44000000, 0x48000000,
		0x80000000, 0x100000000ull, 0xff00000000ull,
	};
	uint64_t seen = *mine;

	puts_("guest ");
	putx(marker);
	puts_(": my RAM at the marker holds ");
	putx(seen);
	puts_("\n");
	if (seen != 0) {
		fail("another guest's marker is visible", seen);
		return;
	}
	*mine = marker;
	/* Everything outside my RAM is an exit, never memory. */
	for (unsigned i = 0; i < sizeof(probes) / sizeof(probes[0]); i++) {
		uint64_t got = *(volatile uint64_t *)probes[i];

		if (got != TDEV_HOLE_VALUE) {
			fail("a read outside guest RAM returned data", got);
			return;
		}
	}
	puts_("guest ");
	putx(marker);
	puts_(": 8 reads outside my RAM were exits, none reached memory\n");
	if (marker == 0xaaaa) {
		/* Wait (interrupts masked) until the VMM wakes me. */
		tdev_cmd(TDEV_CMD_PHASE);
		__asm__ volatile("wfi" ::: "memory");
		EXPECT("my marker after the other guest", *mine, marker);
		puts_("guest ");
		putx(marker);
		puts_(": woken, my marker intact after the other guest ran\n");
	}
}

static void vtimer(void)
{
	uint64_t freq = read_sysreg(cntfrq_el0);
	uint64_t t0 = read_sysreg(cntvct_el0);

	gic_cpu_init();
	irq_enable();
	for (int i = 0; i < 5; i++) {
		uint64_t before = irqs;

		write_sysreg(cntv_tval_el0, freq / 1000); /* 1 ms */
		write_sysreg(cntv_ctl_el0, 1);
		isb();
		while (irqs == before) {
			__asm__ volatile("wfi" ::: "memory");
		}
		EXPECT("virtual timer INTID", irq_log[before], 27);
	}
	irq_disable();
	puts_("vtimer ok: 5 virtual timer interrupts (INTID 27) in ");
	putu((read_sysreg(cntvct_el0) - t0) * 1000000 / freq);
	puts_(" us\n");
}

static void many_irqs(void)
{
	gic_cpu_init();
	tdev_cmd(TDEV_CMD_INJECT);
	irq_enable();
	while (irqs < TDEV_INJECT_COUNT) {
		__asm__ volatile("wfi" ::: "memory");
	}
	irq_disable();
	for (unsigned i = 0; i < TDEV_INJECT_COUNT; i++) {
		EXPECT("interrupt order", irq_log[i], TDEV_INJECT_FIRST + i);
	}
	puts_("irqs ok: ");
	putu(irqs);
	puts_(" interrupts pending at once, all taken in order ");
	putu(irq_log[0]);
	puts_("..");
	putu(irq_log[irqs - 1]);
	puts_("\n");
}

static void wfi_test(void)
{
	uint64_t freq = read_sysreg(cntfrq_el0);
	uint64_t t0, t1, wakeups = 0;

	gic_cpu_init(); /* interrupts stay masked: WFI wakes, no handler */
	write_sysreg(cntv_tval_el0, freq / 100); /* 10 ms */
	write_sysreg(cntv_ctl_el0, 1);
	isb();
	t0 = read_sysreg(cntvct_el0);
	while (!(read_sysreg(cntv_ctl_el0) & 4)) {
		__asm__ volatile("wfi" ::: "memory");
		wakeups++;
	}
	t1 = read_sysreg(cntvct_el0);
	write_sysreg(cntv_ctl_el0, 0);
	isb();
	if (wakeups > 3) {
		fail("WFI returned too often (not blocked)", wakeups);
		return;
	}
	puts_("wfi ok: blocked ");
	putu((t1 - t0) * 1000 / freq);
	puts_(" ms until the timer, ");
	putu(wakeups);
	puts_(" wake-up(s)\n");
}

static void garbage(void)
{
	uint32_t *junk = (uint32_t *)GUEST_JUNK;

	for (unsigned i = 0; i < 1000; i++) {
		/* an implementation-defined register (HCR_EL2.TIDCP; QEMU
		 * 7.2 makes it undefined at EL1 without trapping) and a
		 * trapped one the VMM does not emulate (the EL1 physical
		 * timer's compare value): both come back undefined */
		(void)read_sysreg(S3_0_C15_C0_0);
		(void)read_sysreg(cntp_cval_el0);
	}
	puts_("hammered 2000 undefined system registers: ");
	putu(undefs);
	puts_(" undefined-instruction exceptions came back\n");
	/* The host's debug and PMU state is not the guest's: arming
	 * single-step and unlocking the OS lock, or touching the PMU, trap
	 * (MDCR_EL2.TDA, TDOSA, TPM) and the VMM refuses them. */
	undefs = 0;
	write_sysreg(oslar_el1, 0);
	write_sysreg(mdscr_el1, 1 | (1u << 15)); /* SS | MDE */
	(void)read_sysreg(pmcr_el0);
	isb();
	puts_("debug and PMU registers: ");
	putu(undefs);
	puts_(" of 3 accesses undefined\n");
	for (unsigned i = 0; i < 64; i++) {
		junk[i] = 0xffffffffu - i * 0x01010101u;
	}
	puts_("jumping into garbage with the vectors at an unmapped IPA\n");
	guest_jump_garbage((uint64_t)(uintptr_t)junk, 0x80000000ull);
	puts_("FAILED: came back from garbage\n");
}

static uint64_t cycles(void)
{
	uint64_t c;

	__asm__ volatile("isb; mrs %0, pmccntr_el0" : "=r"(c) : : "memory");
	return c;
}

static void report(const char *name, uint64_t *s, unsigned n)
{
	for (unsigned i = 1; i < n; i++) { /* insertion sort */
		uint64_t x = s[i];
		unsigned j = i;

		while (j > 0 && s[j - 1] > x) {
			s[j] = s[j - 1];
			j--;
		}
		s[j] = x;
	}
	puts_("BENCH ");
	puts_(name);
	puts_(" min=");
	putu(s[0]);
	puts_(" median=");
	putu(s[n / 2]);
	puts_(" n=");
	putu(n);
	puts_("\n");
}

static void bench(void)
{
	static uint64_t s[BENCH_N];
	uint64_t base, t;

	/* the cost of reading the counter twice, subtracted */
	base = cycles();
	base = cycles() - base;
	for (unsigned i = 0; i < BENCH_N; i++) {
		t = cycles();
		guest_hvc(PSCI_VERSION, 0, 0, 0);
		s[i] = cycles() - t - base;
	}
	report("guest_null_hypercall", s, BENCH_N);
	for (unsigned i = 0; i < BENCH_N; i++) {
		t = cycles();
		(void)*(volatile uint32_t *)(GUEST_UART + 0x18); /* UARTFR */
		s[i] = cycles() - t - base;
	}
	report("guest_mmio_exit", s, BENCH_N);
	/* An exit the kernel finishes itself: WFI with an interrupt
	 * pending in a list register, so it returns at once. The priority
	 * mask keeps it from being signalled (QEMU 7.2 does not trap a WFI
	 * that would wake at once, nor WFE at all). */
	gic_cpu_init();
	write_sysreg(S3_0_C4_C6_0, 0); /* ICC_PMR_EL1: nothing signalled */
	isb();
	tdev_cmd(TDEV_CMD_INJECT);
	for (unsigned i = 0; i < BENCH_N; i++) {
		t = cycles();
		__asm__ volatile("wfi" ::: "memory");
		s[i] = cycles() - t - base;
	}
	report("guest_kernel_exit", s, BENCH_N);
}

void guest_main(uint64_t scenario)
{
	switch (scenario) {
	case SCEN_BASIC:
		basic();
		break;
	case SCEN_ISO_A:
		isolation(0xaaaa);
		break;
	case SCEN_ISO_B:
		isolation(0xbbbb);
		break;
	case SCEN_VTIMER:
		vtimer();
		break;
	case SCEN_IRQS:
		many_irqs();
		break;
	case SCEN_WFI:
		wfi_test();
		break;
	case SCEN_GARBAGE:
		garbage();
		break;
	case SCEN_BENCH:
		bench();
		break;
	default:
		fail("unknown scenario", scenario);
		return;
	}
	guest_hvc(PSCI_SYSTEM_OFF, 0, 0, 0);
}
