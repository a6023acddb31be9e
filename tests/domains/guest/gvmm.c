/* SPDX-License-Identifier: MIT */
/*
 * A small test VMM for the kernel's guest mechanism (issue 12, kernel
 * side; the real VMM is drivers-domain/vmm/). It makes guest domains out
 * of its own quota, loads the bare-metal test guest (guest_main.c) into
 * their RMA, runs them and serves their exits: a console at the PL011 data
 * register, a test device, PSCI over HVC and SMC, one trapped system
 * register. Each scenario prints one result line (test_60_guest.py).
 *
 * argv[1]: "all" (every scenario, then the destroy checks), "bench"
 * (make bench), or one scenario name.
 */
#include <rift/abi.h>
#include <rift/rt.h>
#include <rift/syscall.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guest_abi.h"

extern const uint8_t guest_image[], guest_image_end[];

#define RMA_ORDER 14 /* 64 MiB */
#define RMA_SIZE (4096ull << RMA_ORDER)
#define VMM_RMA_VA 0x5000000000ull

/* Slots inside a guest's own cspace. */
enum { GS_RMA = 8, GS_2M = 9, GS_4K = 10, GS_VCPU = 11, GS_1G = 12 };

#define MAX_GUESTS 4

struct guest {
	const char *name;
	uint64_t dom;      /* the guest domain (original) */
	uint64_t rma;      /* our copy of its RMA */
	uint64_t vcpu;     /* our copy of its vCPU */
	uint64_t vmid;
	int scenario;
	bool running;
	bool phase;        /* TDEV_CMD_PHASE seen */
	char line[160];
	unsigned len;
	unsigned writes;   /* TDEV_WRITE checks passed */
	unsigned holes;    /* reads of unmapped IPAs */
	unsigned smcs, sysregs, mmio;
	uint64_t badge;
};

static struct guest guests[MAX_GUESTS];
static uint64_t ep;
static uint64_t vcpu_prio; /* our own (the domain's maximum) */

static void check(bool ok, const char *what, long err)
{
	if (!ok) {
		printf("FAILED: %s (%ld)\n", what, err);
		exit(1);
	}
}

static uint64_t pool_used(void)
{
	struct rift_meminfo mi;

	rift_meminfo(-1, &mi);
	return mi.pool_used;
}

/*
 * "pool": guest RAM carved from memory the VMM holds (RIFT_SYS_CAP_CARVE
 * on a frame, seL4's untyped model for frames). The pool is one 4 MiB
 * frame allocated once; each guest gets its 2 MiB block and its 4 KiB
 * page carved from it, so a guest rebuilt later finds its large block
 * however fragmented the allocator has become meanwhile.
 */
static uint64_t pool, pool_2m, pool_4k; /* our slots; 0: not in use */

static void pool_give(struct guest *g)
{
	long err;

	if (!pool) {
		pool = rt_slot_alloc();
		err = rift_frame_alloc(0, pool, 10, -1, 0);
		check(err == 0, "the 4 MiB pool", err);
	}
	pool_2m = rt_slot_alloc();
	pool_4k = rt_slot_alloc();
	err = rift_cap_carve(pool, pool_2m, 2u << 20, 2u << 20, RIFT_RIGHTS_ALL);
	check(err == 0, "carve 2 MiB from the pool", err);
	err = rift_cap_carve(pool, pool_4k, 0, 4096, RIFT_RIGHTS_ALL);
	check(err == 0, "carve 4 KiB from the pool", err);
	/* The guest's stage 2 maps a copy in its own cspace. */
	err = rift_cap_copy(pool_2m, g->dom, GS_2M, RIFT_RIGHTS_ALL, 0);
	check(err == 0, "give the 2 MiB block", err);
	err = rift_cap_copy(pool_4k, g->dom, GS_4K, RIFT_RIGHTS_ALL, 0);
	check(err == 0, "give the 4 KiB page", err);
}

/**
 * Take the pool's blocks back (the guest's copies went with it). A VMM
 * that gives them to another, distrusted guest scrubs them first (and
 * cleans them to the point of coherency); the test guests here are one
 * program that writes before it reads.
 */
static void pool_take_back(void)
{
	check(rift_cap_delete(pool_2m) == 0 && rift_cap_delete(pool_4k) == 0,
	      "delete the carved blocks", 0);
	rt_slot_free(pool_2m);
	rt_slot_free(pool_4k);
	pool_2m = pool_4k = 0;
}

static bool use_pool;

static struct guest *guest_start(const char *name, int scenario, bool big)
{
	struct guest *g = NULL;
	uint64_t quota = (RMA_SIZE >> 12) + 512 + 1 + 64 + (big ? 262144 : 0);
	uint64_t id;
	long err;

	for (int i = 0; i < MAX_GUESTS; i++) {
		if (!guests[i].dom) {
			g = &guests[i];
			memset(g, 0, sizeof(*g));
			g->badge = (uint64_t)i + 1;
			break;
		}
	}
	check(g != NULL, "a free guest entry", 0);
	g->name = name;
	g->scenario = scenario;
	g->dom = rt_slot_alloc();
	g->rma = rt_slot_alloc();
	g->vcpu = rt_slot_alloc();
	err = rift_domain_create(g->dom, quota, 64, vcpu_prio, name);
	check(err >= 0, "guest domain", err);
	err = rift_frame_alloc(g->dom, GS_RMA, RMA_ORDER, -1, g->rma);
	check(err == 0, "RMA frame (64 MiB)", err);
	err = rift_guest_init(g->dom, g->rma, GUEST_RAM, &g->vmid);
	check(err == 0, "GUEST_INIT", err);
	err = rift_map(0, g->rma, VMM_RMA_VA, RIFT_MAP_READ | RIFT_MAP_WRITE);
	check(err == 0, "map the RMA in the VMM", err);
	memcpy((void *)VMM_RMA_VA, guest_image,
	       (size_t)(guest_image_end - guest_image));
	/* The guest starts with its MMU and caches off: what we wrote
	 * must be in memory, not only in our cache (SCTLR_EL2.UCI lets EL0
	 * clean by VA), and the instruction side must not hold stale
	 * lines. */
	uint64_t ctr, line;

	__asm__ volatile("mrs %0, ctr_el0" : "=r"(ctr));
	line = 4ull << (((ctr >> 16) & 0xf) < (ctr & 0xf) ?
				((ctr >> 16) & 0xf) : (ctr & 0xf));
	for (uint64_t a = VMM_RMA_VA;
	     a < VMM_RMA_VA + (uint64_t)(guest_image_end - guest_image);
	     a += line) {
		__asm__ volatile("dc cvac, %0\n\tic ivau, %0" : : "r"(a) : "memory");
	}
	__asm__ volatile("dsb ish\n\tisb" ::: "memory");
	err = rift_unmap(g->rma);
	check(err == 0, "unmap the RMA", err);
	if (scenario == SCEN_BASIC && use_pool) {
		pool_give(g);
		err = rift_map_in(g->dom, GS_2M, GUEST_EXTRA_2M,
				  RIFT_MAP_READ | RIFT_MAP_WRITE | RIFT_MAP_EXEC);
		check(err == 0, "map the pool's 2 MiB in stage 2", err);
		err = rift_map_in(g->dom, GS_4K, GUEST_EXTRA_4K,
				  RIFT_MAP_READ | RIFT_MAP_WRITE);
		check(err == 0, "map the pool's 4 KiB in stage 2", err);
	} else if (scenario == SCEN_BASIC) {
		err = rift_frame_alloc(g->dom, GS_2M, 9, -1, 0);
		check(err == 0, "2 MiB frame", err);
		err = rift_map_in(g->dom, GS_2M, GUEST_EXTRA_2M,
				  RIFT_MAP_READ | RIFT_MAP_WRITE | RIFT_MAP_EXEC);
		check(err == 0, "map 2 MiB in stage 2", err);
		err = rift_frame_alloc(g->dom, GS_4K, 0, -1, 0);
		check(err == 0, "4 KiB frame", err);
		err = rift_map_in(g->dom, GS_4K, GUEST_EXTRA_4K,
				  RIFT_MAP_READ | RIFT_MAP_WRITE);
		check(err == 0, "map 4 KiB in stage 2", err);
	}
	if (big) {
		err = rift_frame_alloc(g->dom, GS_1G, 18, -1, 0);
		check(err == 0, "1 GiB frame", err);
		err = rift_map_in(g->dom, GS_1G, GUEST_BIG_1G,
				  RIFT_MAP_READ | RIFT_MAP_WRITE | RIFT_MAP_EXEC);
		check(err == 0, "map 1 GiB in stage 2", err);
	}
	err = rift_vcpu_create(g->dom, GS_VCPU, vcpu_prio, g->vcpu, ep,
			       g->badge, 0, &id);
	check(err == 0, "VCPU_CREATE", err);
	check(rift_vcpu_write(g->vcpu, RIFT_VREG_PC, GUEST_RAM) == 0, "PC", 0);
	check(rift_vcpu_write(g->vcpu, RIFT_VREG_X0, (uint64_t)scenario) == 0,
	      "x0", 0);
	/* No GIC distributor here: enable what the tests raise. */
	rift_vcpu_irq(g->vcpu, RIFT_VTIMER_INTID, RIFT_VIRQ_ENABLE, 0);
	for (unsigned i = 0; i < TDEV_INJECT_COUNT; i++) {
		rift_vcpu_irq(g->vcpu, TDEV_INJECT_FIRST + i, RIFT_VIRQ_ENABLE,
			      0);
		/* distinct priorities (5 bits: steps of 8): the guest
		 * must take them highest priority first, 40 .. 51 */
		rift_vcpu_irq(g->vcpu, TDEV_INJECT_FIRST + i,
			      RIFT_VIRQ_PRIORITY, 0x20 + 8 * i);
	}
	err = rift_vcpu_resume(g->vcpu);
	check(err == 0, "VCPU_RESUME", err);
	g->running = true;
	return g;
}

static void guest_destroy(struct guest *g)
{
	long err = rift_domain_destroy(g->dom);

	check(err == 0, "destroy the guest domain", err);
	/* Our copies went with the originals. */
	rt_slot_free(g->dom);
	rt_slot_free(g->rma);
	rt_slot_free(g->vcpu);
	g->dom = 0;
}

static void guest_putc(struct guest *g, char c)
{
	if (c == '\n' || g->len + 1 >= sizeof(g->line)) {
		g->line[g->len] = '\0';
		if (strncmp(g->line, "BENCH ", 6) == 0) {
			printf("%s\n", g->line);
		} else {
			printf("guest %s: %s\n", g->name, g->line);
		}
		g->len = 0;
		if (c == '\n') {
			return;
		}
	}
	g->line[g->len++] = c;
}

static const uint64_t expected_writes[][2] = {
	{ 1, 0xef }, { 2, 0xcdef }, { 4, 0x90abcdef },
	{ 8, 0x1234567890abcdefull }, { 8, 0 },
};

/** An MMIO exit: returns the value a read gets. */
static uint64_t mmio(struct guest *g, uint64_t ipa, uint64_t access,
		     uint64_t value)
{
	bool write = access & RIFT_ACCESS_WRITE;
	uint32_t size = RIFT_ACCESS_SIZE(access);

	g->mmio++;
	if (ipa == GUEST_UART && write) {
		guest_putc(g, (char)value);
		return 0;
	}
	if (ipa == GUEST_UART + 0x18 && !write) {
		return 0x90; /* UARTFR: TXFE | RXFE */
	}
	if (ipa >= GUEST_TDEV && ipa < GUEST_TDEV + 0x1000) {
		uint64_t off = ipa - GUEST_TDEV;

		if (!write && off == TDEV_READ) {
			return TDEV_READ_VALUE;
		}
		if (!write && off == TDEV_VERDICT) {
			return g->writes;
		}
		if (write && off == TDEV_WRITE) {
			unsigned i = g->writes;

			if (i < 5 && expected_writes[i][0] == size &&
			    expected_writes[i][1] == value) {
				g->writes++;
			} else {
				printf("guest %s: write %u: size %u value %lx "
				       "not as expected\n",
				       g->name, i, size, (unsigned long)value);
			}
			return 0;
		}
		if (write && off == TDEV_CMD && value == TDEV_CMD_INJECT) {
			for (unsigned k = 0; k < TDEV_INJECT_COUNT; k++) {
				long err = rift_vcpu_irq(g->vcpu,
							 TDEV_INJECT_FIRST + k,
							 RIFT_VIRQ_SET, 0);

				check(err == 0, "VCPU_IRQ SET", err);
			}
			return 0;
		}
		if (write && off == TDEV_CMD && value == TDEV_CMD_PHASE) {
			g->phase = true;
			return 0;
		}
	}
	g->holes++;
	return TDEV_HOLE_VALUE;
}

static const char *kind_name(uint64_t kind)
{
	static const char *const names[] = {
		"?", "MMIO", "HVC", "SMC", "SYSREG", "instruction abort",
		"data abort", "other exception",
	};

	return kind < 8 ? names[kind] : "?";
}

/**
 * Serve exits until guest @until stops (@phase false) or reaches its
 * phase. Returns with every exit answered.
 */
static void serve(struct guest *until, bool phase)
{
	struct rift_regs_msg m;
	struct rift_ipcbuf *ib = rift_ipcbuf();
	long err = rift_recv(ep, &m);

	for (;;) {
		struct guest *g = NULL;
		uint64_t kind = m.mr[0], pc, addr = m.mr[3];
		uint64_t access, x0 = ib->mr[6];
		bool done = false;

		/* The hot exits first (make bench): PSCI_VERSION, UARTFR. */
		if (kind == RIFT_EXIT_HVC && x0 == PSCI_VERSION) {
			m.label = RIFT_VCPU_DONE;
			m.info = RIFT_INFO(1, 0);
			m.mr[0] = 0x10001;
			err = rift_reply_recv(ep, &m);
			continue;
		}
		if (kind == RIFT_EXIT_MMIO && addr == GUEST_UART + 0x18) {
			m.label = RIFT_VCPU_DONE;
			m.info = RIFT_INFO(1, 0);
			m.mr[0] = 0x90; /* UARTFR: TXFE | RXFE */
			err = rift_reply_recv(ep, &m);
			continue;
		}
		pc = m.mr[2];
		access = m.mr[4];
		check(err == 0, "receive an exit", err);
		check(m.label == RIFT_VCPU_EXIT_LABEL, "exit label", (long)m.label);
		check(RIFT_INFO_WORDS(m.info) == RIFT_VCPU_EXIT_WORDS,
		      "exit words", (long)m.info);
		if (m.badge >= 1 && m.badge <= MAX_GUESTS) {
			g = &guests[m.badge - 1];
		}
		check(g && g->dom, "exit from a known guest", (long)m.badge);
		m.label = RIFT_VCPU_DONE;
		m.info = RIFT_INFO(1, 0);
		m.mr[0] = 0;
		switch (kind) {
		case RIFT_EXIT_MMIO:
			m.mr[0] = mmio(g, addr, access, ib->mr[5]);
			break;
		case RIFT_EXIT_HVC:
		case RIFT_EXIT_SMC:
			if (kind == RIFT_EXIT_SMC) {
				g->smcs++;
				printf("guest %s: smc from the guest: function "
				       "%lx (HCR_EL2.TSC)\n",
				       g->name, (unsigned long)x0);
			}
			if (x0 == PSCI_VERSION) {
				m.mr[0] = 0x10001;
			} else if (x0 == VENDOR_HVC_FOUR) {
				m.info = RIFT_INFO(4, 0);
				m.mr[0] = 1;
				m.mr[1] = 2;
				m.mr[2] = 3;
				m.mr[3] = 4;
			} else if (x0 == PSCI_SYSTEM_OFF) {
				printf("guest %s: power off (%u MMIO exits)\n",
				       g->name, g->mmio);
				m.label = RIFT_VCPU_STOP;
				g->running = false;
				done = g == until;
			} else {
				m.mr[0] = (uint64_t)-1; /* NOT_SUPPORTED */
			}
			break;
		case RIFT_EXIT_SYSREG:
			g->sysregs++;
			if (addr == RIFT_EXIT_SYSREG_ENC(3, 3, 14, 2, 1)) {
				m.mr[0] = 0x5a; /* CNTP_CTL_EL0 */
			} else {
				m.label = RIFT_VCPU_UNDEF;
			}
			break;
		default:
			printf("guest %s: %s at pc %lx, address %lx (syndrome "
			       "%lx): guest stopped\n",
			       g->name, kind_name(kind), (unsigned long)pc,
			       (unsigned long)addr, (unsigned long)m.mr[1]);
			m.label = RIFT_VCPU_STOP;
			g->running = false;
			done = g == until;
			break;
		}
		if (g == until && phase && g->phase) {
			done = true;
		}
		if (done) {
			err = rift_reply(&m);
			check(err == 0, "reply", err);
			return;
		}
		err = rift_reply_recv(ep, &m);
	}
}

static void run(const char *name, int scenario, bool big)
{
	struct guest *g = guest_start(name, scenario, big);

	serve(g, false);
	guest_destroy(g);
}

static void isolation(void)
{
	struct guest *a = guest_start("giso-a", SCEN_ISO_A, false);
	struct guest *b;
	long err;

	serve(a, true); /* A wrote its marker and waits in WFI */
	b = guest_start("giso-b", SCEN_ISO_B, false);
	serve(b, false);
	guest_destroy(b);
	printf("isolation: guest B powered off and destroyed while guest A "
	       "lives; %u + %u reads outside guest RAM were exits\n",
	       a->holes, b->holes);
	/* wake A from WFI with an interrupt (its IRQs stay masked) */
	err = rift_vcpu_irq(a->vcpu, TDEV_INJECT_FIRST, RIFT_VIRQ_SET, 0);
	check(err == 0, "wake A", err);
	serve(a, false);
	guest_destroy(a);
}

/* Two guests' virtual timers at once: one vCPU's state is saved while
 * the other runs, its timer watched by the kernel tick. */
static void two_timers(void)
{
	struct guest *a = guest_start("gtime-a", SCEN_VTIMER, false);
	struct guest *b = guest_start("gtime-b", SCEN_VTIMER, false);

	serve(a, false);
	if (b->running) {
		serve(b, false);
	}
	guest_destroy(a);
	guest_destroy(b);
	printf("two timers: both guests took their timer interrupts\n");
}

static void garbage(void)
{
	struct guest *g = guest_start("gbad", SCEN_GARBAGE, false);

	serve(g, false);
	printf("garbage: %u trapped system register exits answered with "
	       "an undefined-instruction exception; rift keeps running\n",
	       g->sysregs);
	guest_destroy(g);
}

/**
 * After every guest is destroyed the pool is where it was after the
 * first one (the VMM's own page tables for its RMA window stay), and one
 * more guest changes nothing; the VMID is reused.
 */
static void destroy_checks(uint64_t after_first, uint64_t first_vmid)
{
	struct guest *g;
	uint64_t vmid, now = pool_used();

	g = guest_start("gagain", SCEN_BASIC, false);
	vmid = g->vmid;
	serve(g, false);
	guest_destroy(g);
	printf("destroy: pool %lu pages after the first guest, %lu after all "
	       "%u, %lu after one more; that guest got vmid %lu (the first "
	       "guest's: %lu)\n",
	       (unsigned long)after_first, (unsigned long)now, 10u,
	       (unsigned long)pool_used(), (unsigned long)vmid,
	       (unsigned long)first_vmid);
}

int main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "all";
	bool all = strcmp(what, "all") == 0;
	long err;

	struct rift_domain_info di;

	rift_domain_info(&di);
	vcpu_prio = di.max_prio;
	ep = rt_slot_alloc();
	err = rift_endpoint_create(ep);
	check(err == 0, "exit endpoint", err);
	if (strcmp(what, "bench") == 0) {
		run("gbench", SCEN_BENCH, false);
		printf("bench guest done\n");
		return 0;
	}
	if (all || strcmp(what, "basic") == 0) {
		struct guest *g = guest_start("gbasic", SCEN_BASIC, false);
		uint64_t vmid = g->vmid;

		serve(g, false);
		guest_destroy(g);
		if (all) {
			uint64_t after_first = pool_used();

			isolation();
			run("gvtimer", SCEN_VTIMER, false);
			run("girqs", SCEN_IRQS, false);
			two_timers();
			run("gwfi", SCEN_WFI, false);
			garbage();
			destroy_checks(after_first, vmid);
		}
	}
	if (strcmp(what, "big") == 0) {
		run("gbig", SCEN_BASIC, true);
	}
	if (strcmp(what, "pool") == 0) {
		struct rift_cap_info ci;
		uint64_t used;

		use_pool = true;
		run("gpool1", SCEN_BASIC, false);
		pool_take_back();
		used = pool_used();
		run("gpool2", SCEN_BASIC, false);
		pool_take_back();
		check(rift_cap_info(pool, &ci) == 0 &&
		      ci.type == RIFT_CAP_FRAME_T && ci.size_order == 10 &&
		      pool_used() == used,
		      "the pool outlives its guests", 0);
		printf("gvmm: guest RAM carved from the VMM's 4 MiB pool, "
		       "given to two guests in turn; the pool outlived both\n");
	}
	printf("gvmm: done\n");
	return 0;
}
