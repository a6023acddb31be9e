/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: sequences of system calls from several domains into the
 * kernel core on the fake arch (kernel/arch/fake, tests/unit/kcore_harness.c).
 *
 * Each input runs in a fresh world under the supervisor R: domain A (quota
 * from R) with two threads, B inside A and C inside B with one thread each,
 * an endpoint and a notification made in A with copies in B and C, and
 * copies of R's interrupt control and device capabilities in A. The input
 * is a list of operations:
 *
 *   system call   from the thread chosen by one byte (if it is runnable;
 *                 else the current one), number from a table or raw,
 *                 six arguments each from a one-byte class (small value,
 *                 a useful constant, or 8 raw bytes); a thread whose call
 *                 was restarted (arch_syscall_restart) issues it again
 *   user write    a word of a thread's IPC buffer (message words, send_caps,
 *                 recv_slots, the name area)
 *   tick          the timer interrupt
 *   irq / lower   a device raises or drops an SPI line
 *   fp            the current thread uses FP/SIMD (lazy switching trap)
 *   fault         the current thread takes a data abort
 *   preempt       the preemption point after the next N, or every k-th,
 *                 sees an interrupt pending (the call restarts)
 *   supervisor    R's thread preempts the world and revokes what it lent
 *
 * The first byte picks the IPC fast path on or off for the whole input, or
 * (bit 1) runs the input twice, fast path on and off, and requires the
 * same thread states, registers and running thread after every operation.
 * After every operation the invariants of kh_check() must hold (capability
 * derivation chains and holders, no object reachable after its
 * destruction, thread and IPC links, every domain charged exactly what it
 * holds, every page of RAM accounted for); freed pages are poisoned, so
 * any access to a destroyed object is an ASan report. At the end R
 * destroys A through a system call and the free memory must be exactly
 * what it was before the world existed. A broken invariant aborts with
 * the reason; libFuzzer saves the input.
 */
#include "kcore_harness.h"

#include <rift/ipc.h>
#include <rift/pmm.h>
#include <rift/irq.h>
#include <rift/sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WORLD 64
/* R lends the world copies of its authority from these slots (its own
 * wake-up interrupt is bound under the original IRQ control, which a
 * revocation of the lent copy leaves alone) */
#define LEND_IRQ 10
#define LEND_DEVICE 11
#define LEND_KLOG 12
#define MAX_OPS 256
#define MAX_THREADS 64

/* System calls and how many argument registers (x0..) each reads. */
static const struct {
	uint8_t nr, nargs;
} sys_table[] = {
	{ RIFT_SYS_LINUX, 0 },          { RIFT_SYS_NULL, 0 },
	{ RIFT_SYS_DEBUG_WRITE, 1 },    { RIFT_SYS_SET_UPCALL, 1 },
	{ RIFT_SYS_UPCALL_RETURN, 0 },  { RIFT_SYS_YIELD, 0 },
	{ RIFT_SYS_EXIT, 1 },           { RIFT_SYS_CALL, 4 },
	{ RIFT_SYS_SEND, 4 },           { RIFT_SYS_NBSEND, 4 },
	{ RIFT_SYS_RECV, 1 },           { RIFT_SYS_NBRECV, 1 },
	{ RIFT_SYS_REPLY, 4 },          { RIFT_SYS_REPLY_RECV, 4 },
	{ RIFT_SYS_SIGNAL, 1 },         { RIFT_SYS_WAIT, 1 },
	{ RIFT_SYS_POLL, 1 },           { RIFT_SYS_CAP_INFO, 1 },
	{ RIFT_SYS_CAP_COPY, 5 },       { RIFT_SYS_CAP_DELETE, 1 },
	{ RIFT_SYS_CAP_REVOKE, 1 },     { RIFT_SYS_FRAME_ALLOC, 5 },
	{ RIFT_SYS_MAP, 5 },            { RIFT_SYS_UNMAP, 1 },
	{ RIFT_SYS_ENDPOINT_CREATE, 1 }, { RIFT_SYS_NOTIFICATION_CREATE, 1 },
	{ RIFT_SYS_DOMAIN_CREATE, 6 },  { RIFT_SYS_DOMAIN_DESTROY, 1 },
	{ RIFT_SYS_DOMAIN_SET_FAULT, 3 }, { RIFT_SYS_THREAD_CREATE, 4 },
	{ RIFT_SYS_THREAD_START, 4 },   { RIFT_SYS_THREAD_SET_IPCBUF, 3 },
	{ RIFT_SYS_DEVICE_FRAME, 4 },   { RIFT_SYS_CAP_CARVE, 5 },
	{ RIFT_SYS_IRQ_BIND, 5 },       { RIFT_SYS_IRQ_ACK, 1 },
	{ RIFT_SYS_KLOG_ATTACH, 2 },    { RIFT_SYS_MEMINFO, 1 },
	{ RIFT_SYS_DOMAIN_INFO, 0 },    { RIFT_SYS_TICK_BIND, 2 },
	{ RIFT_SYS_GUEST_INIT, 3 },     { RIFT_SYS_VCPU_CREATE, 6 },
	{ RIFT_SYS_VCPU_RESUME, 1 },    { RIFT_SYS_VCPU_STOP, 1 },
	{ RIFT_SYS_VCPU_READ, 2 },      { RIFT_SYS_VCPU_WRITE, 3 },
	{ RIFT_SYS_VCPU_IRQ, 4 },
};
#define NSYS (sizeof(sys_table) / sizeof(sys_table[0]))

static const uint64_t constants[64] = {
	~0ull, 1ull << 40, 0x200000, 0x400000, 0x40000000, 0x10000000,
	0x1000, 0x8000, RIFT_INFO(5, 0), RIFT_INFO(6, 1), RIFT_INFO(64, 4),
	RIFT_INFO(2, 2), RIFT_INFO(0, 1), RIFT_INFO(65, 0), 0x777f, 0x8000,
	PMM_ORDER_2M, PMM_ORDER_1G, 7, 3, 5, 6, 1ull << 48, (1ull << 48) - 4096,
	0x09000000, 0x08000000, FAKE_RAM_BASE, 256, 512, 1024, 65536, 65538,
	32, 40, 1019, 1020, 26, 255, 200, 201, RIFT_FAULT_LABEL, 0x8000000000ull,
	0xffffffffffffull, 0xfffffffffffff000ull, 4096, 4097, 0x7fffffffffffull,
	30, 31, 20, 21, 22, 23, 5, 6, 2, 64, 65, 66, 100, 101, 120, 127,
};

struct input {
	const uint8_t *p;
	size_t n;
};

static bool get(struct input *in, uint8_t *b)
{
	if (!in->n) {
		return false;
	}
	*b = *in->p++;
	in->n--;
	return true;
}

static uint64_t get_arg(struct input *in)
{
	uint8_t c = 0;
	uint64_t v = 0;

	if (!get(in, &c)) {
		return 0;
	}
	if (c < 0x80) {
		return c; /* slots, small numbers */
	}
	if (c < 0xc0) {
		return constants[c & 0x3f];
	}
	for (int i = 0; i < 8; i++) {
		uint8_t b = 0;

		get(in, &b);
		v |= (uint64_t)b << (8 * i);
	}
	return v;
}

static void die(const char *what, const char *why)
{
	fprintf(stderr, "fuzz_kernel: %s: %s\n", what, why);
	abort();
}

static void check(const char *when)
{
	if (kh_check()) {
		die(when, kh_why);
	}
}

static uint32_t world_threads(struct thread **out)
{
	struct domain *d[512];
	uint32_t nd = kh_domains(d, 512), n = 0;

	for (uint32_t i = 1; i < nd; i++) { /* not R */
		for (struct list *l = d[i]->threads.next;
		     l != &d[i]->threads && n < MAX_THREADS; l = l->next) {
			out[n++] = container_of(l, struct thread, dlink);
		}
	}
	return n;
}

static void world_build(void)
{
	struct domain *a, *b, *c;

	a = kh_domain(kh_R, WORLD, 2048, 256, 200);
	b = a ? kh_domain(a, 20, 512, 128, 200) : NULL;
	c = b ? kh_domain(b, 20, 128, 64, 150) : NULL;
	if (!c || !kh_thread(a, 10, 100) || !kh_thread(a, 12, 120) ||
	    !kh_thread(b, 10, 100) || !kh_thread(c, 10, 80) ||
	    !kh_endpoint(a, 30) || !kh_notification(a, 31) ||
	    kh_copy(&a->cspace[30], b, 30, RIFT_RIGHTS_ALL, 0) ||
	    kh_copy(&b->cspace[30], c, 30, RIFT_RIGHTS_ALL, 0) ||
	    kh_copy(&a->cspace[31], b, 31, RIFT_RIGHTS_ALL, 0) ||
	    kh_copy(&a->cspace[31], c, 31, RIFT_RIGHTS_ALL, 0x4) ||
	    kh_copy(&kh_R->cspace[LEND_IRQ], a, 5, RIFT_RIGHTS_ALL, 0) ||
	    kh_copy(&kh_R->cspace[LEND_DEVICE], a, 6, RIFT_RIGHTS_ALL, 0) ||
	    kh_copy(&kh_R->cspace[LEND_KLOG], a, 7, RIFT_RIGHTS_ALL, 0)) {
		die("world", "cannot build the world");
	}
}

static void op_syscall(struct input *in)
{
	struct thread *ts[MAX_THREADS];
	uint32_t n = world_threads(ts);
	uint8_t sel = 0, nrb = 0;
	struct thread *t, *cur = sched_current();
	uint32_t nr, nargs;
	uint64_t args[7] = { 0 };
	int pending;

	get(in, &sel);
	get(in, &nrb);
	if (!n) {
		return;
	}
	t = ts[sel % n];
	if (t->state != TS_RUNNABLE) {
		t = cur; /* the chosen one cannot run: the one running acts */
	}
	if (!t || t == kh_T0 || kh_switch_to(t)) {
		return;
	}
	/* mostly the table; sometimes any number (all six registers) */
	if (nrb < 4 * NSYS) {
		nr = sys_table[nrb % NSYS].nr;
		nargs = sys_table[nrb % NSYS].nargs;
	} else {
		nr = nrb % RIFT_SYS_COUNT;
		nargs = 6;
	}
	if (nr == RIFT_SYS_DEBUG_RECURSE) {
		return; /* the stack-guard test: recursion on purpose */
	}
	for (uint32_t i = 0; i < nargs; i++) {
		args[i] = get_arg(in);
	}
	if (nr == RIFT_SYS_LINUX) {
		args[6] = get_arg(in); /* the Linux call number, in x8 */
	}
	pending = fake_restart_pending(t);
	if (pending >= 0) {
		/* its PC is on the restarted svc, its registers unchanged */
		fake_svc((uint32_t)pending);
		return;
	}
	for (uint32_t i = 0; i < nargs; i++) {
		t->ctx.x[i] = args[i];
	}
	if (nr == RIFT_SYS_LINUX) {
		t->ctx.x[8] = args[6];
	}
	fake_svc(nr);
	if (nr == RIFT_SYS_KLOG_ATTACH && !fake_addr_freed(t)) {
		/* the log ring's head at attach: the program moves on (and
		 * the differential mode compares runs with different logs) */
		t->ctx.x[2] = 0;
	}
}

static void op_ipcbuf(struct input *in)
{
	struct thread *ts[MAX_THREADS];
	uint32_t n = world_threads(ts);
	uint8_t sel = 0, idx = 0;
	uint64_t v;
	struct rift_ipcbuf *b;

	get(in, &sel);
	get(in, &idx);
	v = get_arg(in);
	if (!n || !(b = kh_ipcbuf(ts[sel % n]))) {
		return;
	}
	if (idx < 64) {
		b->mr[idx] = v;
	} else if (idx < 68) {
		b->send_caps[idx - 64] = v;
	} else if (idx < 72) {
		b->recv_slots[idx - 68] = v;
	} else {
		memcpy(&b->data[(idx - 72) % 256 * 8], &v, 8);
	}
}

/*
 * Differential mode: the same input with the fast path on and off must
 * leave every thread in the same state with the same registers after each
 * operation, and the same thread running (issue 9: the fast path gives
 * exactly the general path's result). Identifiers the two runs number
 * differently (domain ids) and the log ring's head are left out.
 */
static uint64_t trace[MAX_OPS];
static int ntrace;

static uint64_t mix(uint64_t h, uint64_t v)
{
	return (h ^ v) * 0x100000001b3ull;
}

static uint32_t world_id;

static uint64_t snapshot(void)
{
	struct thread *ts[MAX_THREADS];
	uint32_t n = world_threads(ts);
	uint64_t h = 0xcbf29ce484222325ull;

	h = mix(h, fake_idle() ? 1000 : 0);
	if (getenv("FUZZ_KERNEL_TRACE")) {
		fprintf(stderr, "op %d (world %u)\n", ntrace, world_id);
	}
	for (uint32_t i = 0; i < n; i++) {
		struct trap_frame *f = &ts[i]->ctx;
		uint32_t last = (uint32_t)f->esr & 0xffff;

		/* Domain and thread (vCPU) ids differ between the runs:
		 * where the kernel hands one out, the program takes it and
		 * clears the register. */
		if (last == RIFT_SYS_DOMAIN_CREATE ||
		    last == RIFT_SYS_DOMAIN_INFO ||
		    last == RIFT_SYS_VCPU_CREATE) {
			f->x[1] = 0;
		}
		if (f->x[1] == RIFT_FAULT_LABEL) {
			f->x[7] = 0;
		}

		if (getenv("FUZZ_KERNEL_TRACE")) {
			fprintf(stderr, "  t%u%s state %u x0-8 %lx %lx %lx %lx "
				"%lx %lx %lx %lx %lx\n",
				i, ts[i] == sched_current() ? "*" : "",
				ts[i]->state, (unsigned long)f->x[0],
				(unsigned long)f->x[1], (unsigned long)f->x[2],
				(unsigned long)f->x[3], (unsigned long)f->x[4],
				(unsigned long)f->x[5], (unsigned long)f->x[6],
				(unsigned long)f->x[7], (unsigned long)f->x[8]);
		}
		h = mix(h, i);
		h = mix(h, ts[i] == sched_current());
		h = mix(h, ts[i]->state);
		if (ts[i]->state != TS_RUNNABLE) {
			continue; /* whoever wakes it writes its results */
		}
		for (int r = 0; r <= 8; r++) {
			h = mix(h, f->x[r]);
		}
	}
	return h;
}

/*
 * The supervisor acts from above, preempting the world: it revokes what it
 * lent A (interrupt control, device memory, the log frame, from every
 * domain A passed them to), or A's copies of its log frame only.
 */
static void op_supervisor(uint8_t b)
{
	static const uint32_t lent[] = { LEND_IRQ, LEND_DEVICE, LEND_KLOG };

	if (kh_super_wake()) {
		die("supervisor", "does not run after its interrupt");
	}
	kh_sys1(kh_T0, RIFT_SYS_CAP_REVOKE, lent[b % 3]);
	kh_super_sleep();
}

static void run(struct input *in, bool tracing)
{
	uint8_t op;

	for (int i = 0; i < MAX_OPS && get(in, &op); i++) {
		uint8_t b = 0;

		switch (op % 16) {
		case 0: case 1: case 2: case 3: case 4: case 5: case 6:
		case 7: case 8:
			op_syscall(in);
			break;
		case 9:
			op_ipcbuf(in);
			break;
		case 10:
			get(in, &b);
			op_supervisor(b);
			break;
		case 11:
			fake_tick();
			break;
		case 12:
			get(in, &b);
			if (32 + b % 64 != KH_R_IRQ) {
				fake_irq_raise(32 + b % 64);
				fake_interrupt();
			}
			break;
		case 13:
			get(in, &b);
			if (b & 0x80) {
				if (sched_current() != kh_T0) {
					fake_fp_use();
				}
			} else if (32 + b % 64 != KH_R_IRQ) {
				fake_irq_lower(32 + b % 64);
			}
			break;
		case 14:
			get(in, &b);
			if (sched_current() && sched_current() != kh_T0) {
				fake_fault(1 + b % 7, 0x1000ull * b);
			}
			break;
		default:
			get(in, &b);
			if (b & 0x80) {
				fake_preempt_every(b & 0x7f); /* 0: off */
			} else {
				fake_preempt_after(b == 0x7f ? -1 : b);
			}
			break;
		}
		check("after an operation");
		if (tracing) {
			trace[ntrace++] = snapshot();
		}
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	kh_boot();
	if (kh_copy(&kh_R->cspace[RIFT_SLOT_IRQ_CONTROL], kh_R, LEND_IRQ,
		    RIFT_RIGHTS_ALL, 0) ||
	    kh_copy(&kh_R->cspace[RIFT_SLOT_DEVICE], kh_R, LEND_DEVICE,
		    RIFT_RIGHTS_ALL, 0) ||
	    kh_copy(&kh_R->cspace[RIFT_SLOT_KLOG], kh_R, LEND_KLOG,
		    RIFT_RIGHTS_ALL, 0)) {
		die("boot", "cannot make the lending copies");
	}
	check("after boot");
	return 0;
}

/** Build a world, run @data in it, take it down; everything must return. */
static void one_world(const uint8_t *data, size_t size, bool tracing)
{
	struct input in = { data, size };
	long r;

	world_build();
	world_id = ((struct domain *)kh_R->cspace[WORLD].obj)->id;
	check("after building the world");
	kh_check_allocator = false; /* O(pages): once at the end */
	ntrace = 0;
	run(&in, tracing);
	kh_check_allocator = true;
	/* The supervisor takes the world down (still preempted every k
	 * points, if the input said so); everything comes back. */
	fake_preempt_after(-1);
	/* the devices are reset: nothing pending carries over to the next
	 * world (or the second run of a differential input) */
	for (uint32_t i = 32; i < 32 + 64; i++) {
		if (i != KH_R_IRQ) {
			fake_irq_quiesce(i);
		}
	}
	if (kh_super_wake()) {
		die("end", "the supervisor does not run after its interrupt");
	}
	r = kh_sys1(kh_T0, RIFT_SYS_DOMAIN_DESTROY, WORLD);
	if (r != 0) {
		char why[64];

		snprintf(why, sizeof(why), "destroying the world: %ld", r);
		die("end", why);
	}
	fake_preempt_every(0);
	kh_super_sleep();
	check("after destroying the world");
	if (fake_pages_out() != kh_base_pages_out ||
	    kh_R->used_pages != kh_base_R_used) {
		char why[128];

		snprintf(why, sizeof(why),
			 "%lu pages out (%lu before), R uses %lu (%lu before)",
			 (unsigned long)fake_pages_out(),
			 (unsigned long)kh_base_pages_out,
			 (unsigned long)kh_R->used_pages,
			 (unsigned long)kh_base_R_used);
		die("memory not returned", why);
	}
	for (uint32_t i = 32; i < IRQ_MAX; i++) {
		if (i != KH_R_IRQ && fake_irq_enabled(i)) {
			die("end", "an interrupt stays enabled with no owner");
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint64_t fast_trace[MAX_OPS];
	uint8_t mode;
	int nfast;

	if (!size) {
		return 0;
	}
	mode = data[0];
	fake_log_clear();
	if (!(mode & 2)) {
		fast_enabled = !(mode & 1);
		one_world(data + 1, size - 1, false);
		fast_enabled = true;
		return 0;
	}
	fast_enabled = true;
	one_world(data + 1, size - 1, true);
	nfast = ntrace;
	memcpy(fast_trace, trace, sizeof(trace));
	fast_enabled = false;
	one_world(data + 1, size - 1, true);
	fast_enabled = true;
	for (int i = 0; i < MIN(nfast, ntrace); i++) {
		if (fast_trace[i] != trace[i]) {
			char why[80];

			snprintf(why, sizeof(why),
				 "threads differ after operation %d", i);
			die("fast path against the general path", why);
		}
	}
	if (nfast != ntrace) {
		die("fast path against the general path",
		    "different numbers of operations");
	}
	return 0;
}
