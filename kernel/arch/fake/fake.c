/* SPDX-License-Identifier: MIT */
/*
 * The fake architecture: kernel/arch/aarch64's duties done on the host, for
 * host tests and fuzzing of the kernel core. See <arch/fake.h>.
 */
#include <arch/fake.h>
#include <arch/trap.h>
#include <rift/arch.h>
#include <rift/bootinfo.h>
#include <rift/cpu.h>
#include <rift/fastpath.h>
#include <rift/ipc.h>
#include <rift/irq.h>
#include <rift/kmem.h>
#include <rift/object.h>
#include <rift/pl011.h>
#include <rift/printk.h>
#include <rift/sched.h>
#include <rift/syscall.h>
#include <rift/vcpu.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__SANITIZE_ADDRESS__)
#define FAKE_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define FAKE_ASAN 1
#endif
#endif
#ifdef FAKE_ASAN
#include <sanitizer/asan_interface.h>
#define fake_poison(p, n) ASAN_POISON_MEMORY_REGION(p, n)
#define fake_unpoison(p, n) ASAN_UNPOISON_MEMORY_REGION(p, n)
#else
#define fake_poison(p, n) ((void)(p), (void)(n))
#define fake_unpoison(p, n) ((void)(p), (void)(n))
#endif

/* What the rest of the kernel defines in files the host build leaves out
 * (main.c, dt.c, user.c). */
struct cpu cpus[BOOT_MAX_CPUS];
struct boot_info boot_info;
bool fast_enabled = true;

struct cpu *fake_cpu_local;
struct fake_counters fake;

void fake_counters_reset(void)
{
	bool on = fake.irq_on, fpt = fake.fp_trapping;
	paddr_t root = fake.user_root;
	uint16_t asid = fake.user_asid;

	memset(&fake, 0, sizeof(fake));
	fake.irq_on = on;
	fake.fp_trapping = fpt;
	fake.user_root = root;
	fake.user_asid = asid;
}

/* ---------------------------------------------------------------- console */

static char *log_buf;
static size_t log_len, log_cap;
bool fake_quiet;

void pl011_set_base(volatile void *base)
{
	(void)base;
}

void pl011_flush(void)
{
}

uint64_t pl011_dropped;

void pl011_reclaim(void)
{
}

void pl011_putc(char c)
{
	if (c == '\r') {
		return;
	}
	if (log_len + 2 > log_cap) {
		if (log_cap >= (1u << 20)) {
			/* keep the newer half */
			memmove(log_buf, log_buf + log_len / 2,
				log_len - log_len / 2);
			log_len -= log_len / 2;
		} else {
			log_cap = log_cap ? log_cap * 2 : 4096;
			log_buf = realloc(log_buf, log_cap);
			if (!log_buf) {
				abort();
			}
		}
	}
	log_buf[log_len++] = c;
	log_buf[log_len] = '\0';
}

const char *fake_log(void)
{
	return log_buf ? log_buf : "";
}

void fake_log_clear(void)
{
	log_len = 0;
	if (log_buf) {
		log_buf[0] = '\0';
	}
}

/* ---------------------------------------------------------------- panics */

jmp_buf *fake_panic_jmp;
int fake_panic_kind;
char fake_panic_msg[256];

static void __noreturn fake_halt(int kind)
{
	const char *log = fake_log();
	const char *p = NULL;

	for (const char *s = log; (s = strstr(s, "PANIC: ")) != NULL; s++) {
		p = s;
	}
	if (kind == FAKE_PANIC && p) {
		size_t n = strcspn(p, "\n");

		n = MIN(n, sizeof(fake_panic_msg) - 1);
		memcpy(fake_panic_msg, p, n);
		fake_panic_msg[n] = '\0';
	} else if (kind == FAKE_OFF) {
		snprintf(fake_panic_msg, sizeof(fake_panic_msg), "system off");
	}
	fake_panic_kind = kind;
	if (fake_panic_jmp) {
		longjmp(*fake_panic_jmp, kind);
	}
	if (!fake_quiet) {
		size_t len = strlen(log);

		fprintf(stderr, "--- kernel log (tail) ---\n%s",
			log + (len > 8192 ? len - 8192 : 0));
	}
	fprintf(stderr, "fake arch: %s\n", fake_panic_msg);
	abort();
}

void arch_panic_halt(void)
{
	fake_halt(FAKE_PANIC);
}

void arch_system_off(void)
{
	fake_halt(FAKE_OFF);
}

void arch_backtrace(uint64_t fp, uint64_t pc)
{
	(void)fp;
	(void)pc;
}

void kernel_root_stopped(struct thread *t)
{
	klog_detach();
	printk("rift: supervisor stopped (fault kind %u, status %ld)\n",
	       t->fault.kind, (long)t->fault.syndrome);
	arch_system_off();
}

/* ---------------------------------------------------------------- memory */

static uint8_t *ram;
static uint64_t ram_size;
static uint8_t *page_live; /* one byte per page: handed out */
static uint64_t pages_out;

/* Pointers outside the arena (the kernel image: static data such as
 * kmem.c's boot pool) get "physical" addresses with this bit set. */
#define FAKE_IMAGE_PA (1ull << 62)

bool fake_in_ram(const void *p)
{
	return ram && (const uint8_t *)p >= ram &&
	       (const uint8_t *)p < ram + ram_size;
}

void *phys_to_virt(paddr_t pa)
{
	if (pa & FAKE_IMAGE_PA) {
		return (void *)(uintptr_t)(pa & ~FAKE_IMAGE_PA);
	}
	if (pa < FAKE_RAM_BASE || pa - FAKE_RAM_BASE >= ram_size) {
		panic("fake: phys_to_virt(%lx): not RAM", (unsigned long)pa);
	}
	return ram + (pa - FAKE_RAM_BASE);
}

paddr_t virt_to_phys(const void *va)
{
	if (!fake_in_ram(va)) {
		return (paddr_t)(uintptr_t)va | FAKE_IMAGE_PA;
	}
	return FAKE_RAM_BASE + (paddr_t)((const uint8_t *)va - ram);
}

void *arch_ioremap(paddr_t pa, uint64_t size)
{
	(void)pa;
	(void)size;
	return NULL;
}

void arch_mmu_init(paddr_t image_pa)
{
	(void)image_pa;
}

void mmu_report(void)
{
}

void arch_console_init(void)
{
}

static uint64_t page_index(paddr_t pa)
{
	if (pa < FAKE_RAM_BASE || pa - FAKE_RAM_BASE >= ram_size ||
	    !IS_ALIGNED(pa, PMM_PAGE_SIZE)) {
		panic("fake: allocator page %lx outside RAM", (unsigned long)pa);
	}
	return (pa - FAKE_RAM_BASE) >> PMM_PAGE_SHIFT;
}

/* The allocator's entry points, wrapped at link time (--wrap). */
int __real_pmm_alloc(struct pmm *p, uint32_t node, uint32_t order,
		     paddr_t *out);
int __real_pmm_alloc_near(struct pmm *p, uint32_t preferred, uint32_t order,
			  paddr_t *out, uint32_t *node_out);
int __real_pmm_free(struct pmm *p, paddr_t pa, uint32_t order);
int __wrap_pmm_alloc(struct pmm *p, uint32_t node, uint32_t order,
		     paddr_t *out);
int __wrap_pmm_alloc_near(struct pmm *p, uint32_t preferred, uint32_t order,
			  paddr_t *out, uint32_t *node_out);
int __wrap_pmm_free(struct pmm *p, paddr_t pa, uint32_t order);
int __real_pmm_unpin(struct pmm *p, paddr_t pa, uint32_t order);
int __wrap_pmm_unpin(struct pmm *p, paddr_t pa, uint32_t order);

/** Block @pa of @order went back to the free lists: poison it. */
static void pages_returned(paddr_t pa, uint32_t order)
{
	uint64_t first = page_index(pa), n = 1ull << order;

	for (uint64_t i = first; i < first + n; i++) {
		page_live[i] = 0;
	}
	pages_out -= n;
	fake_poison(phys_to_virt(pa), n << PMM_PAGE_SHIFT);
}

static void pages_handed_out(paddr_t pa, uint32_t order)
{
	uint64_t first = page_index(pa), n = 1ull << order;

	for (uint64_t i = first; i < first + n; i++) {
		if (page_live[i]) {
			panic("fake: allocator handed out page %lx twice",
			      (unsigned long)(FAKE_RAM_BASE + (i << 12)));
		}
		page_live[i] = 1;
	}
	pages_out += n;
	fake_unpoison(phys_to_virt(pa), n << PMM_PAGE_SHIFT);
}

/* lld also wraps pmm.c's calls to its own functions (pmm_alloc_near()
 * calls pmm_alloc()): only the outermost call counts. */
static int wrap_depth;

int __wrap_pmm_alloc(struct pmm *p, uint32_t node, uint32_t order,
		     paddr_t *out)
{
	int err;

	wrap_depth++;
	err = __real_pmm_alloc(p, node, order, out);
	wrap_depth--;
	if (!err && p == &kmem_pmm && !wrap_depth) {
		pages_handed_out(*out, order);
	}
	return err;
}

int __wrap_pmm_alloc_near(struct pmm *p, uint32_t preferred, uint32_t order,
			  paddr_t *out, uint32_t *node_out)
{
	int err;

	wrap_depth++;
	err = __real_pmm_alloc_near(p, preferred, order, out, node_out);
	wrap_depth--;
	if (!err && p == &kmem_pmm && !wrap_depth) {
		pages_handed_out(*out, order);
	}
	return err;
}

/**
 * Every page the kernel gives back is poisoned: from here on any access
 * to it (an object used after its destruction) is an ASan report. A free
 * the allocator refuses (double free, wrong order) is a kernel bug here,
 * not a value to ignore.
 */
int __wrap_pmm_free(struct pmm *p, paddr_t pa, uint32_t order)
{
	uint64_t first, n = 1ull << order;
	int err;

	if (p != &kmem_pmm || wrap_depth) {
		return __real_pmm_free(p, pa, order);
	}
	first = page_index(pa);
	for (uint64_t i = first; i < first + n && i < ram_size >> 12; i++) {
		if (!page_live[i]) {
			panic("fake: kernel frees page %lx (block %lx order %u) "
			      "that is not allocated",
			      (unsigned long)(FAKE_RAM_BASE + (i << 12)),
			      (unsigned long)pa, order);
		}
	}
	wrap_depth++;
	err = __real_pmm_free(p, pa, order);
	wrap_depth--;
	if (err) {
		panic("fake: pmm_free(%lx, order %u): %s", (unsigned long)pa,
		      order, pmm_strerror(err));
	}
	if (!pmm_held(p, pa)) { /* a pinned block stays out until unpinned */
		pages_returned(pa, order);
	}
	return err;
}

/** The last unpin of a block freed meanwhile returns it. */
int __wrap_pmm_unpin(struct pmm *p, paddr_t pa, uint32_t order)
{
	bool held = p == &kmem_pmm && pmm_held(p, pa);
	int err = __real_pmm_unpin(p, pa, order);

	if (!err && held && !pmm_held(p, pa)) {
		pages_returned(pa, order);
	}
	return err;
}

uint64_t fake_pages_out(void)
{
	return pages_out;
}

bool fake_page_live(paddr_t pa)
{
	if (pa < FAKE_RAM_BASE || pa - FAKE_RAM_BASE >= ram_size) {
		return false;
	}
	return page_live[(pa - FAKE_RAM_BASE) >> PMM_PAGE_SHIFT];
}

bool fake_addr_freed(const void *p)
{
	return fake_in_ram(p) &&
	       !page_live[((const uint8_t *)p - ram) >> PMM_PAGE_SHIFT];
}

static void fake_stats(struct pmm_stats *sum)
{
	memset(sum, 0, sizeof(*sum));
	for (uint32_t n = 0; n < PMM_MAX_NODES; n++) {
		struct pmm_stats st;

		pmm_stats(&kmem_pmm, n, &st);
		sum->free_pages += st.free_pages;
		sum->total_pages += st.total_pages;
		sum->reserved_pages += st.reserved_pages;
	}
}

uint64_t fake_free_pages(void)
{
	struct pmm_stats st;

	fake_stats(&st);
	return st.free_pages;
}

uint64_t fake_total_pages(void)
{
	struct pmm_stats st;

	fake_stats(&st);
	return st.total_pages;
}

uint64_t fake_reserved_pages(void)
{
	struct pmm_stats st;

	fake_stats(&st);
	return st.reserved_pages;
}

/* ---------------------------------------------------------------- CPU */

const char *arch_mode_name(void)
{
	return "fake (host)";
}

uint64_t arch_cpu_hwid(void)
{
	return 0;
}

void arch_cpu_set_local(struct cpu *c)
{
	fake_cpu_local = c;
}

void arch_irq_enable(void)
{
	fake.irq_on = true;
}

void arch_irq_disable(void)
{
	fake.irq_on = false;
}

static uint64_t counter;

uint64_t arch_counter(void)
{
	return ++counter;
}

uint64_t arch_counter_freq(void)
{
	return 1000000;
}

void arch_user_init(void)
{
}

void arch_pmu_init(bool user_read)
{
	(void)user_read;
}

static uint32_t asid_bits = 16;

uint32_t arch_asid_bits(void)
{
	return asid_bits;
}

void fake_set_asid_bits(uint32_t bits)
{
	asid_bits = bits;
}

unsigned long fake_pt_publish_count; /* arch/barrier.h */

void arch_cache_sync_exec(const void *va, uint64_t size)
{
	if (!fake_in_ram(va) || !fake_in_ram((const uint8_t *)va + size - 1)) {
		panic("fake: cache maintenance of %p+%lx outside RAM", va,
		      (unsigned long)size);
	}
	fake.cache_sync_exec++;
	fake.cache_sync_bytes += size;
}

void arch_clean_to_poc(const void *va, uint64_t size)
{
	(void)va;
	fake.clean_poc_bytes += size;
}

void arch_zero_pages(void *va, uint64_t size)
{
	if (!IS_ALIGNED((uintptr_t)va - (uintptr_t)ram, PMM_PAGE_SIZE) ||
	    !IS_ALIGNED(size, PMM_PAGE_SIZE) || !fake_in_ram(va) ||
	    !fake_in_ram((const uint8_t *)va + size - 1)) {
		panic("fake: arch_zero_pages(%p, %lx): not whole pages of RAM",
		      va, (unsigned long)size);
	}
	fake.zeroed_bytes += size;
	memset(va, 0, size);
}

/* ---------------------------------------------------------------- threads */

static uint64_t fake_tpidr;            /* TPIDR_EL0 */
static uint64_t fake_fpregs[FP_STATE_WORDS]; /* q0-q31, fpsr, fpcr */

void arch_thread_init_ctx(struct trap_frame *f, uint64_t pc, uint64_t sp,
			  uint64_t arg)
{
	memset(f, 0, sizeof(*f));
	f->x[0] = arg;
	f->sp = sp;
	f->elr = pc;
}

void arch_thread_save(struct thread *t)
{
	fake.thread_save++;
	t->tls = fake_tpidr;
}

void arch_thread_switch(struct thread *old, struct thread *new)
{
	fake.thread_switch++;
	if (old) {
		old->tls = fake_tpidr;
	}
	fake_tpidr = new->tls;
}

void arch_set_user_table(paddr_t root, uint16_t asid)
{
	fake.set_user_table++;
	fake.user_root = root;
	fake.user_asid = asid;
}

void arch_tlb_flush_asid(uint16_t asid)
{
	(void)asid;
	fake.tlb_flush_asid++;
}

void arch_tlb_flush_all_user(void)
{
	fake.tlb_flush_all_user++;
}

void arch_enter_user(struct trap_frame *f)
{
	(void)f;
	panic("fake: arch_enter_user (use fake_svc/fake_interrupt)");
}

void arch_fp_save(uint64_t *state)
{
	fake.fp_save++;
	memcpy(state, fake_fpregs, sizeof(fake_fpregs));
}

void arch_fp_restore(const uint64_t *state)
{
	fake.fp_restore++;
	memcpy(fake_fpregs, state, sizeof(fake_fpregs));
}

void arch_fp_trap_enable(bool trap)
{
	struct cpu *c = this_cpu();

	if (trap == c->fp_trapping) {
		return;
	}
	c->fp_trapping = trap;
	fake.fp_trapping = trap;
	fake.fp_trap_changes++;
}

void thread_fault(struct thread *t, uint32_t kind, uint64_t addr,
		  uint64_t syndrome)
{
	t->fault = (struct fault_info){ kind, addr, t->ctx.elr, syndrome };
	ipc_send_fault(t);
}

/* ---------------------------------------------------------------- interrupt controller */

struct fake_irq {
	bool enabled, pending, active, line;
	uint8_t trigger; /* enum irq_trigger */
};

static struct fake_irq irqs[IRQ_MAX];
static uint32_t ndeliverable; /* enabled, pending and not active */

static bool deliverable(uint32_t i)
{
	return irqs[i].enabled && irqs[i].pending && !irqs[i].active;
}

/* Every change of an interrupt's state goes through here. */
#define IRQ_UPDATE(i, stmt)                                                 \
	do {                                                                \
		ndeliverable -= deliverable(i);                             \
		stmt;                                                       \
		ndeliverable += deliverable(i);                             \
	} while (0)

static bool irq_valid(uint32_t intid)
{
	return intid < 32 + FAKE_SPI_COUNT;
}

void arch_irq_init(void)
{
	memset(irqs, 0, sizeof(irqs));
	ndeliverable = 0;
}

uint32_t irqc_ack(void)
{
	if (!ndeliverable) {
		return IRQC_SPURIOUS;
	}
	for (uint32_t i = 0; i < IRQ_MAX; i++) {
		if (deliverable(i)) {
			IRQ_UPDATE(i, irqs[i].pending = false;
				   irqs[i].active = true);
			fake.irqs_taken++;
			return i;
		}
	}
	panic("fake: interrupt count wrong");
}

void irqc_eoi(uint32_t intid)
{
	if (intid >= IRQ_MAX) {
		panic("fake: EOI of interrupt %u", intid);
	}
	if (!irqs[intid].active) {
		panic("fake: EOI of interrupt %u, which is not active", intid);
	}
	IRQ_UPDATE(intid, irqs[intid].active = false;
		   if (irqs[intid].trigger == IRQ_LEVEL && irqs[intid].line) {
			   irqs[intid].pending = true;
		   });
}

void irqc_enable(uint32_t intid, enum irq_trigger trig)
{
	if (!irq_valid(intid)) {
		return;
	}
	IRQ_UPDATE(intid, irqs[intid].enabled = true;
		   irqs[intid].trigger = (uint8_t)trig);
}

void irqc_disable(uint32_t intid)
{
	if (irq_valid(intid)) {
		IRQ_UPDATE(intid, irqs[intid].enabled = false);
	}
}

void irqc_set_pending(uint32_t intid)
{
	if (irq_valid(intid)) {
		IRQ_UPDATE(intid, irqs[intid].pending = true);
	}
}

enum irq_trigger irqc_trigger(uint32_t intid)
{
	return irq_valid(intid) ? (enum irq_trigger)irqs[intid].trigger :
				  IRQ_LEVEL;
}

bool irq_controller_overlaps(uint64_t pa, uint64_t size)
{
	return pa < FAKE_GIC_BASE + FAKE_GIC_SIZE && FAKE_GIC_BASE < pa + size;
}

void fake_irq_raise(uint32_t intid)
{
	if (!irq_valid(intid)) {
		return;
	}
	IRQ_UPDATE(intid, irqs[intid].line = true;
		   irqs[intid].pending = true);
}

void fake_irq_lower(uint32_t intid)
{
	if (!irq_valid(intid)) {
		return;
	}
	IRQ_UPDATE(intid, irqs[intid].line = false;
		   if (irqs[intid].trigger == IRQ_LEVEL) {
			   irqs[intid].pending = false;
		   });
}

void fake_irq_quiesce(uint32_t intid)
{
	if (irq_valid(intid)) {
		IRQ_UPDATE(intid, irqs[intid].line = false;
			   irqs[intid].pending = false);
	}
}

bool fake_irq_enabled(uint32_t intid)
{
	return irq_valid(intid) && irqs[intid].enabled;
}

bool fake_irq_is_pending(uint32_t intid)
{
	return irq_valid(intid) && irqs[intid].pending;
}

static bool irq_deliverable(void)
{
	return ndeliverable != 0;
}

uint32_t arch_timer_intid(void)
{
	return FAKE_TIMER_INTID;
}

static void timer_tick(uint32_t intid)
{
	this_cpu()->ticks++;
	sched_tick();
	irq_tick_notify();
	fake_irq_lower(intid); /* re-armed: the line drops */
}

void arch_timer_init(uint32_t hz)
{
	(void)hz;
	irq_register(FAKE_TIMER_INTID, timer_tick, IRQ_LEVEL);
}

/* ---------------------------------------------------------------- preemption points */

static long preempt_countdown = -1;
static long preempt_period, preempt_phase;

void fake_preempt_after(long n)
{
	preempt_countdown = n;
}

void fake_preempt_every(long k)
{
	preempt_period = k > 0 ? k : 0;
	preempt_phase = 0;
}

bool arch_irq_pending(void)
{
	fake.irq_pending_calls++;
	if (preempt_period && ++preempt_phase == preempt_period) {
		preempt_phase = 0;
		return true;
	}
	if (preempt_countdown == 0) {
		preempt_countdown = -1;
		return true;
	}
	if (preempt_countdown > 0) {
		preempt_countdown--;
	}
	return irq_deliverable();
}

/*
 * A restarted call lives in the thread's own frame, as on hardware (the PC
 * is back on the svc): ESR's unused bit 62 marks it, so it dies with the
 * thread and a new thread starts without one.
 */
#define FAKE_ESR_RESTART (1ull << 62)

static void restart_clear(struct thread *t)
{
	t->ctx.esr &= ~FAKE_ESR_RESTART;
}

void arch_syscall_restart(struct trap_frame *f)
{
	fake.restarts++;
	f->elr -= 4;
	f->esr |= FAKE_ESR_RESTART;
}

int fake_restart_pending(const struct thread *t)
{
	if (!(t->ctx.esr & FAKE_ESR_RESTART)) {
		return -1;
	}
	return (int)(t->ctx.esr & 0xffff);
}

/* ---------------------------------------------------------------- traps */

/* Where an idle CPU with nothing to wake it returns to: the trap entry
 * running now (a real CPU would sleep in WFI until a device interrupts). */
static jmp_buf idle_jmp;
static bool idle_armed;

void arch_wait_for_interrupt(void)
{
	fake.wfi++;
	if (!fake.irq_on) {
		panic("fake: WFI with interrupts masked");
	}
	if (irq_deliverable()) {
		/* taken at once, as aarch64's trap_irq does while idle */
		kernel_lock_acquire();
		irq_handle();
		kernel_lock_release();
		return;
	}
	if (!idle_armed) {
		panic("fake: idle outside a trap");
	}
	longjmp(idle_jmp, 1);
}

bool fake_idle(void)
{
	return this_cpu()->current == NULL;
}

/** As the aarch64 guest exit path: back into a vCPU that did not switch. */
static void fake_resume(struct trap_frame *next)
{
	struct thread *t = this_cpu()->current;

	(void)next;
	if (t && t->vcpu && !this_cpu()->in_guest) {
		arch_vcpu_enter(t->vcpu);
	}
}

/** Take pending enabled interrupts as EL0 would after the return. */
static int take_interrupts(void)
{
	for (volatile int n = 0; irq_deliverable(); n++) {
		if (n == 1000) {
			panic("fake: interrupt storm (1000 in a row)");
		}
		kernel_lock_acquire();
		idle_armed = true;
		if (setjmp(idle_jmp)) {
			idle_armed = false;
			arch_irq_disable();
			return FAKE_IDLE; /* sched_idle dropped the lock */
		}
		this_cpu()->in_guest = false; /* a guest exit, if one ran */
		irq_handle();
		fake_resume(sched_next());
		idle_armed = false;
		kernel_lock_release();
	}
	return fake_idle() ? FAKE_IDLE : FAKE_RUNNING;
}

int fake_interrupt(void)
{
	return take_interrupts();
}

/* aarch64 user.c's trap_el0_sync_locked() for an SVC */
static void svc_locked(struct thread *t, struct trap_frame *f, uint32_t nr)
{
	struct trap_frame *next = NULL;

	if (nr == RIFT_SYS_CALL && fast_enabled) {
		next = fastpath_call(t, f);
	} else if (nr == RIFT_SYS_REPLY_RECV && fast_enabled) {
		next = fastpath_reply_recv(t, f);
	}
	if (next) {
		fake.fastpath_hits++;
		return;
	}
	syscall_dispatch(t, f, nr);
	fake_resume(sched_next());
}

uint32_t fake_vmid_bits = 16;


int fake_guest_exit(const struct vcpu_exit *e)
{
	struct thread *t = sched_current();
	struct vcpu *v;

	if (!t || !t->vcpu) {
		return FAKE_NO_THREAD;
	}
	v = t->vcpu;
	this_cpu()->in_guest = false;
	kernel_lock_acquire();
	idle_armed = true;
	if (setjmp(idle_jmp)) {
		idle_armed = false;
		arch_irq_disable();
		return FAKE_IDLE;
	}
	v->exit = *e;
	if (e->kind == 0 || e->kind == ~0u) {
		t->ctx.elr += 4;
		vcpu_wfi(v, e->kind != 0);
	} else {
		vcpu_handle_exit(v);
	}
	fake_resume(sched_next());
	idle_armed = false;
	kernel_lock_release();
	return take_interrupts();
}

int fake_svc(uint32_t nr)
{
	struct thread *t = sched_current();
	struct trap_frame *f;

	if (!t) {
		return FAKE_NO_THREAD;
	}
	if (t->vcpu) {
		struct vcpu_exit e = { .kind = RIFT_EXIT_HVC, .pc = t->ctx.elr,
				       .addr = nr };

		return fake_guest_exit(&e);
	}
	f = &t->ctx;
	restart_clear(t);
	f->esr = (0x15ull << 26) | nr; /* EC = SVC64, ISS = the immediate */
	f->elr += 4;
	kernel_lock_acquire();
	idle_armed = true;
	if (setjmp(idle_jmp)) {
		idle_armed = false;
		arch_irq_disable();
		return FAKE_IDLE;
	}
	svc_locked(t, f, nr);
	idle_armed = false;
	kernel_lock_release();
	return take_interrupts();
}

int fake_fault(uint32_t kind, uint64_t addr)
{
	struct thread *t = sched_current();

	if (!t) {
		return FAKE_NO_THREAD;
	}
	if (t->vcpu) {
		/* a guest's abort is an exit, never a host fault */
		struct vcpu_exit e = { .kind = kind % 2 ? RIFT_EXIT_DABT :
							  RIFT_EXIT_MMIO,
				       .insn_len = 4, .pc = t->ctx.elr,
				       .addr = addr, .access = 8 | (kind << 16) };

		return fake_guest_exit(&e);
	}
	kernel_lock_acquire();
	idle_armed = true;
	if (setjmp(idle_jmp)) {
		idle_armed = false;
		arch_irq_disable();
		return FAKE_IDLE;
	}
	thread_fault(t, kind, addr, 0x24ull << 26);
	fake_resume(sched_next());
	idle_armed = false;
	kernel_lock_release();
	return take_interrupts();
}

int fake_fp_use(void)
{
	struct thread *t = sched_current();

	if (!t) {
		return FAKE_NO_THREAD;
	}
	fake_fpregs[0]++; /* the thread changes its FP registers */
	if (!this_cpu()->fp_trapping) {
		return FAKE_RUNNING;
	}
	kernel_lock_acquire();
	idle_armed = true;
	if (setjmp(idle_jmp)) {
		idle_armed = false;
		arch_irq_disable();
		return FAKE_IDLE;
	}
	fp_trap(t);
	fake_fpregs[0]++;
	sched_next();
	idle_armed = false;
	kernel_lock_release();
	return take_interrupts();
}

int fake_tick(void)
{
	fake_irq_raise(FAKE_TIMER_INTID);
	return take_interrupts();
}

/* ---------------------------------------------------------------- boot */

void fake_boot(uint64_t ram_bytes)
{
	uint64_t meta;

	ram_size = ALIGN_UP(ram_bytes, PMM_PAGE_SIZE);
	ram = aligned_alloc(PMM_PAGE_SIZE, ram_size);
	page_live = calloc(ram_size >> PMM_PAGE_SHIFT, 1);
	if (!ram || !page_live) {
		fprintf(stderr, "fake arch: no memory for %lu bytes of RAM\n",
			(unsigned long)ram_size);
		abort();
	}
	memset(ram, 0xa5, ram_size);
	boot_info.mem[0] = (struct boot_region){ FAKE_RAM_BASE, ram_size, 0 };
	boot_info.mem_count = 1;
	boot_info.node_count = 1;
	boot_info.distance[0][0] = 10;
	boot_info.cpu_count = 1;
	boot_info.bootargs = "";
	cpus[0].id = 0;
	cpus[0].online = true;
	arch_cpu_set_local(&cpus[0]);
	kmem_init(0, 0);
	/* kmem.c puts the allocator's metadata at the top of the range;
	 * everything below it is free memory, poisoned until handed out. */
	meta = ALIGN_DOWN(ram_size - pmm_meta_bytes(ram_size), PMM_PAGE_SIZE);
	if (fake_reserved_pages() != (ram_size - meta) >> PMM_PAGE_SHIFT ||
	    fake_free_pages() != meta >> PMM_PAGE_SHIFT) {
		panic("fake: allocator metadata not where expected");
	}
	fake_poison(ram, meta);
	klog_init_ring();
	arch_irq_init();
	arch_timer_init(100);
	sched_init_cpu(0);
	this_cpu()->kstack_top = NULL;
}
