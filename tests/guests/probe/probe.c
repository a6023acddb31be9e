/* SPDX-License-Identifier: MIT */
/*
 * The probe guest (tests/integration/test_61_linux.py): a tiny bare-metal
 * arm64 Image that checks what a guest sees under rift and says so on its
 * PL011. What it does is picked by words in /chosen/bootargs:
 *
 *   probe.mode=hello   start-of-day page, device tree, PSCI version, the
 *                      console ring; then SYSTEM_OFF
 *   probe.mode=marker  probe.marker=A probe.other=B probe.then=off|stay:
 *                      writes marker A all over its RAM, waits, checks its
 *                      own marks are intact and B's appear nowhere, reads
 *                      past the end of its RAM; then powers off, or stays
 *                      alive (a line every half second) for ten seconds,
 *                      or with probe.then=forever until the host stops it
 *                      (a line every two seconds)
 *   probe.mode=reset   boot 1 asks for SYSTEM_RESET, boot 2 powers off
 *   probe.mode=crash   jumps to an unmapped address
 *   probe.mode=sysreg  reads and writes an implementation-defined system
 *                      register (trapped, served by the VMM) and an
 *                      unallocated one (undefined: its own vector skips
 *                      it) a thousand times each, then powers off
 *   probe.mode=garbage fills a page with pseudo-random words and jumps
 *                      into it
 *   probe.mode=smp     PSCI on two vCPUs: CPU_ON of vCPU 1 (twice, with
 *                      CPU_OFF in between, watched with AFFINITY_INFO),
 *                      and the refusals (already on, no such CPU)
 *
 * Markers are stored and searched XORed with 0x5a, so the plain text in
 * the command line (which sits in the guest's own RAM) never matches.
 */
#include <stddef.h>
#include <stdint.h>

#define UART 0x09000000ul
#define RAM 0x40000000ul
#define PSCI_VERSION 0x84000000ul
#define PSCI_SYSTEM_OFF 0x84000008ul
#define PSCI_SYSTEM_RESET 0x84000009ul
#define PSCI_CPU_OFF 0x84000002ul
#define PSCI_CPU_ON64 0xc4000003ul
#define PSCI_AFFINITY_INFO64 0xc4000004ul
#define MARK_LEN 16
#define MARK_STEP 0x100000ul

static volatile uint32_t *const uart_dr = (volatile uint32_t *)UART;
static volatile uint32_t *const uart_fr = (volatile uint32_t *)(UART + 0x18);

static void putc_(char c)
{
	while (*uart_fr & (1u << 5)) {
	}
	*uart_dr = (uint8_t)c;
}

static void puts_(const char *s)
{
	while (*s) {
		putc_(*s++);
	}
}

static void putn(uint64_t v, unsigned base)
{
	char buf[24];
	int n = 0;

	do {
		unsigned d = (unsigned)(v % base);

		buf[n++] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
		v /= base;
	} while (v);
	if (base == 16) {
		puts_("0x");
	}
	while (n) {
		putc_(buf[--n]);
	}
}

static uint64_t hvc3(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
{
	register uint64_t x0 __asm__("x0") = fn;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = a3;

	__asm__ volatile("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
			 : : "memory");
	return x0;
}

static uint64_t smc(uint64_t fn)
{
	register uint64_t x0 __asm__("x0") = fn;

	__asm__ volatile("smc #0" : "+r"(x0) : : "x1", "x2", "x3", "memory");
	return x0;
}

static uint64_t hvc(uint64_t fn, uint64_t a1)
{
	return hvc3(fn, a1, 0, 0);
}

static uint64_t counter(void)
{
	uint64_t v;

	__asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(v));
	return v;
}

static void wait_ms(uint64_t ms)
{
	uint64_t f;
	uint64_t end;

	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(f));
	end = counter() + f / 1000 * ms;
	while (counter() < end) {
	}
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static uint64_t le64(const volatile uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--) {
		v = v << 8 | p[i];
	}
	return v;
}

static int streq(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

/** /chosen/bootargs of the flattened tree at @fdt, or "". */
static const char *bootargs(const uint8_t *fdt)
{
	const uint8_t *st, *strs;
	uint32_t off = 0, size;
	int depth = 0, in_chosen = 0;

	if (be32(fdt) != 0xd00dfeed) {
		return "";
	}
	st = fdt + be32(fdt + 8);
	strs = fdt + be32(fdt + 12);
	size = be32(fdt + 36);
	while (off + 4 <= size) {
		uint32_t tag = be32(st + off);
		const char *name;
		uint32_t len;

		off += 4;
		switch (tag) {
		case 1:
			name = (const char *)st + off;
			depth++;
			in_chosen = depth == 2 && streq(name, "chosen");
			while (st[off]) {
				off++;
			}
			off = (off + 4) & ~3u;
			break;
		case 2:
			depth--;
			in_chosen = 0;
			break;
		case 3:
			len = be32(st + off);
			name = (const char *)strs + be32(st + off + 4);
			if (in_chosen && streq(name, "bootargs")) {
				return (const char *)st + off + 8;
			}
			off = (off + 8 + len + 3) & ~3u;
			break;
		case 9:
			return "";
		default:
			break;
		}
	}
	return "";
}

/** The value of word "key=" in @args, copied to @out (up to @n - 1). */
static int arg(const char *args, const char *key, char *out, size_t n)
{
	const char *p = args;

	while (*p) {
		const char *k = key, *q = p;

		while (*k && *q == *k) {
			k++;
			q++;
		}
		if (!*k && *q == '=') {
			size_t i = 0;

			q++;
			while (*q && *q != ' ' && i + 1 < n) {
				out[i++] = *q++;
			}
			out[i] = 0;
			return 1;
		}
		while (*p && *p != ' ') {
			p++;
		}
		while (*p == ' ') {
			p++;
		}
	}
	out[0] = 0;
	return 0;
}

/* The start-of-day page (drivers-domain/vmm/vm_sod.h). */
static volatile uint8_t *const sod = (volatile uint8_t *)RAM;
static char name[32];

static void say(const char *s)
{
	puts_("probe: ");
	puts_(name);
	puts_(": ");
	puts_(s);
}

static void ring_write(const char *s)
{
	volatile uint8_t *ring = (volatile uint8_t *)le64(sod + 48);
	uint32_t n = (uint32_t)(ring[4] | ring[5] << 8 | ring[6] << 16 |
				ring[7] << 24);
	uint32_t prod = (uint32_t)(ring[8] | ring[9] << 8 | ring[10] << 16 |
				   ring[11] << 24);

	while (*s) {
		ring[16 + prod % n] = (uint8_t)*s++;
		prod++;
	}
	__asm__ volatile("dmb ish" ::: "memory");
	for (int i = 0; i < 4; i++) {
		ring[8 + i] = (uint8_t)(prod >> (8 * i));
	}
}

static void power_off(void)
{
	say("powering off\n");
	hvc(PSCI_SYSTEM_OFF, 0);
	say("FAILED: SYSTEM_OFF returned\n");
	for (;;) {
	}
}

static void hello(const uint8_t *fdt, const char *args)
{
	uint64_t v = hvc(PSCI_VERSION, 0), vs = smc(PSCI_VERSION);

	say("hello; RAM ");
	putn(le64(sod + 24) >> 20, 10);
	puts_(" MiB at ");
	putn(le64(sod + 16), 16);
	puts_(", RMA ");
	putn(le64(sod + 32) >> 20, 10);
	puts_(" MiB, device tree at ");
	putn((uintptr_t)fdt, 16);
	puts_(", PSCI ");
	putn(v >> 16, 10);
	putc_('.');
	putn(v & 0xffff, 10);
	puts_(" (hvc), ");
	putn(vs >> 16, 10);
	putc_('.');
	putn(vs & 0xffff, 10);
	puts_(" (smc)\n");
	say("bootargs '");
	puts_(args);
	puts_("'\n");
	ring_write("probe: written to the console ring\n");
	power_off();
}

/** Is the XORed marker @m at @p? */
static int mark_at(const volatile uint8_t *p, const char *m)
{
	for (int i = 0; i < MARK_LEN; i++) {
		if (p[i] != (uint8_t)((m[i] ? m[i] : 0) ^ 0x5a)) {
			return 0;
		}
		if (!m[i]) {
			break;
		}
	}
	return 1;
}

static void marker(const char *args)
{
	char mine[MARK_LEN], other[MARK_LEN], then[8];
	uint64_t end = RAM + le64(sod + 24), places = 0, intact = 0,
		 found = 0;

	arg(args, "probe.marker", mine, sizeof(mine));
	arg(args, "probe.other", other, sizeof(other));
	arg(args, "probe.then", then, sizeof(then));
	for (uint64_t a = RAM + 4 * MARK_STEP; a < end; a += MARK_STEP) {
		volatile uint8_t *p = (volatile uint8_t *)a;

		for (int i = 0; i < MARK_LEN; i++) {
			p[i] = (uint8_t)(mine[i] ^ 0x5a);
			if (!mine[i]) {
				break;
			}
		}
		places++;
	}
	say("wrote marker ");
	puts_(mine);
	puts_(" at ");
	putn(places, 10);
	puts_(" places\n");
	wait_ms(1500);
	for (uint64_t a = RAM + 4 * MARK_STEP; a < end; a += MARK_STEP) {
		intact += mark_at((const volatile uint8_t *)a, mine);
	}
	for (uint64_t a = RAM; a < end; a += 16) {
		found += mark_at((const volatile uint8_t *)a, other);
	}
	say("own marker intact at ");
	putn(intact, 10);
	puts_(" of ");
	putn(places, 10);
	puts_(" places; other marker ");
	puts_(other);
	puts_(" found ");
	putn(found, 10);
	puts_(" times\n");
	say("past the end of RAM reads ");
	putn(*(volatile uint32_t *)end, 16);
	puts_("\n");
	if (intact == places && found == 0) {
		say("isolated\n");
	} else {
		say("FAILED: not isolated\n");
	}
	for (uint64_t i = 1; streq(then, "forever"); i++) {
		wait_ms(2000);
		say("still running ");
		putn(i, 10);
		puts_("\n");
	}
	if (!streq(then, "stay")) {
		power_off();
	}
	for (int i = 1; i <= 20; i++) {
		wait_ms(500);
		say("alive ");
		putn((uint64_t)i, 10);
		puts_("\n");
	}
	power_off();
}

extern char probe_secondary[];
static volatile uint64_t cpu1_seen;

/** vCPU 1's life: say hello with the context it got, then CPU_OFF. */
void probe_secondary_main(uint64_t context)
{
	cpu1_seen = context;
	__asm__ volatile("dsb sy" ::: "memory");
	hvc(PSCI_CPU_OFF, 0);
	for (;;) {
	}
}

static void puts_signed(int64_t v)
{
	if (v < 0) {
		putc_('-');
		v = -v;
	}
	putn((uint64_t)v, 10);
}

/** CPU_ON vCPU 1 with @context; wait until it ran and is off again. */
static int smp_round(uint64_t context)
{
	int64_t r = (int64_t)hvc3(PSCI_CPU_ON64, 1,
				  (uintptr_t)probe_secondary, context);

	if (r != 0) {
		say("FAILED: CPU_ON of vCPU 1: ");
		puts_signed(r);
		puts_("\n");
		return -1;
	}
	for (int i = 0; i < 2000 && cpu1_seen != context; i++) {
		wait_ms(5);
	}
	for (int i = 0; i < 2000 &&
			hvc3(PSCI_AFFINITY_INFO64, 1, 0, 0) != 1; i++) {
		wait_ms(5);
	}
	say("vCPU 1 ran with context ");
	putn(cpu1_seen, 16);
	puts_(" and is off: AFFINITY_INFO ");
	putn(hvc3(PSCI_AFFINITY_INFO64, 1, 0, 0), 10);
	puts_("\n");
	return cpu1_seen == context ? 0 : -1;
}

static void smp(void)
{
	int64_t again = (int64_t)hvc3(PSCI_CPU_ON64, 0,
				      (uintptr_t)probe_secondary, 0);
	int64_t none = (int64_t)hvc3(PSCI_CPU_ON64, 5,
				     (uintptr_t)probe_secondary, 0);

	say("CPU_ON of vCPU 0 (on): ");
	puts_signed(again);
	puts_(", of vCPU 5 (none): ");
	puts_signed(none);
	puts_("\n");
	if (smp_round(0x1234) == 0 && smp_round(0x5678) == 0) {
		say("two vCPUs: CPU_ON, CPU_OFF, CPU_ON again\n");
	}
	power_off();
}

extern char probe_vectors[];
extern volatile uint64_t probe_undefs;

static void sysregs(void)
{
	uint64_t served = 0, undef_impl, undef_unalloc;

	__asm__ volatile("msr vbar_el1, %0; isb" : : "r"(probe_vectors));
	for (int i = 0; i < 1000; i++) {
		uint64_t v = 0x5a5a; /* stays if the read is skipped */

		/* S3_0_C15_C0_0: implementation defined. Trapped to the
		 * hypervisor (HCR_EL2.TIDCP: the VMM reads it as zero) or
		 * undefined at EL1. */
		__asm__ volatile("mrs %0, s3_0_c15_c0_0" : "+r"(v));
		served += v == 0;
		__asm__ volatile("msr s3_0_c15_c0_0, %0" : : "r"((uint64_t)i));
	}
	undef_impl = probe_undefs;
	for (int i = 0; i < 1000; i++) {
		uint64_t v = 0;

		/* S3_7_C11_C15_7: unallocated; UNDEFINED at EL1. */
		__asm__ volatile("mrs %0, s3_7_c11_c15_7" : "+r"(v));
	}
	undef_unalloc = probe_undefs - undef_impl;
	say("implementation-defined register: ");
	putn(served, 10);
	puts_(" reads answered as zero by the hypervisor, ");
	putn(undef_impl, 10);
	puts_(" accesses undefined; unallocated register: ");
	putn(undef_unalloc, 10);
	puts_(" reads undefined\n");
	power_off();
}

static void garbage(void)
{
	volatile uint32_t *page = (volatile uint32_t *)(RAM + 0x600000);
	uint64_t x = 0x9e3779b97f4a7c15ull;

	for (int i = 0; i < 1024; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		page[i] = (uint32_t)x;
	}
	say("jumping into a page of pseudo-random words\n");
	__asm__ volatile("dsb sy; isb");
	((void (*)(void))(uintptr_t)page)();
}

void probe_main(const uint8_t *fdt)
{
	const char *args = bootargs(fdt);
	char mode[16];

	for (int i = 0; i < 31; i++) {
		name[i] = (char)sod[64 + i];
	}
	if (!mark_at(sod, "") && sod[0] != 'r') {
		puts_("probe: FAILED: no start-of-day page\n");
	}
	arg(args, "probe.mode", mode, sizeof(mode));
	if (streq(mode, "marker")) {
		marker(args);
	} else if (streq(mode, "reset")) {
		uint32_t boots = (uint32_t)(sod[60] | sod[61] << 8);

		say("boot ");
		putn(boots, 10);
		puts_("\n");
		if (boots < 2) {
			say("asking for SYSTEM_RESET\n");
			hvc(PSCI_SYSTEM_RESET, 0);
			say("FAILED: SYSTEM_RESET returned\n");
		}
		power_off();
	} else if (streq(mode, "smp")) {
		smp();
	} else if (streq(mode, "sysreg")) {
		sysregs();
	} else if (streq(mode, "garbage")) {
		garbage();
	} else if (streq(mode, "crash")) {
		say("jumping to 0x10000000 (nothing is mapped there)\n");
		((void (*)(void))0x10000000ul)();
	} else {
		hello(fdt, args);
	}
}
