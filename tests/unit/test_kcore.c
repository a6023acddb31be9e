/* SPDX-License-Identifier: MIT */
/*
 * The kernel core (capabilities, IPC, scheduler, domains) on the fake arch:
 * system calls through syscall_dispatch() (and the fast path) from threads
 * of several domains, with the invariant checker (kcore_harness.c) after
 * each test and every page accounted for when the test's domains are gone.
 *
 * Each test builds a "world" under the supervisor R: domain A (R's slot
 * WORLD) with thread TA, and domain B inside A with thread TB, then acts
 * only through system calls, and ends with R's thread T0 destroying A
 * (RIFT_SYS_DOMAIN_DESTROY), after which the free memory must be what it
 * was before the world existed.
 */
#include "kcore_harness.h"

#include <rift/arch.h>
#include <rift/ipc.h>
#include <rift/irq.h>
#include <rift/kmem.h>
#include <rift/printk.h>
#include <rift/sched.h>
#include <rift/vcpu.h>
#ifdef __SANITIZE_ADDRESS__
#include <sanitizer/asan_interface.h>
#endif

#undef CHECK /* the kernel's, if any: the tests use test.h's */
#include "test.h"

#define WORLD 64   /* R's slot of A */
#define A_B 20     /* A's slot of B */
#define T_SLOT 10  /* each domain's first thread (IPC buffer frame in 11) */
#define FREE 100   /* first slot the tests use freely */
#define KH_MAX_LIST 4096

static struct domain *A, *B;
static struct thread *TA, *TB;
static uint64_t world_pages_before;

#define SYS(t, nr, ...) kh_sys(t, RIFT_SYS_##nr, __VA_ARGS__)

static long sys6(struct thread *t, uint32_t nr, uint64_t a0, uint64_t a1,
		 uint64_t a2, uint64_t a3, uint64_t a4)
{
	return kh_sys(t, nr, a0, a1, a2, a3, a4, 0);
}

/** A (quota @quota) with TA at @pa, B inside A with TB at @pb. */
static int world_end(void);

static bool world_prio(uint64_t quota, uint8_t pa, uint8_t pb)
{
	if (kh_R->cspace[WORLD].type != RIFT_CAP_NULL) {
		world_end(); /* a failed test left its world */
	}
	world_pages_before = fake_pages_out();
	A = kh_domain(kh_R, WORLD, quota, 512, 200);
	B = A ? kh_domain(A, A_B, quota / 4, 512, 200) : NULL;
	TA = A ? kh_thread(A, T_SLOT, pa) : NULL;
	TB = B ? kh_thread(B, T_SLOT, pb) : NULL;
	return TA && TB && kh_check() == 0;
}

static bool world(void)
{
	return world_prio(4096, 100, 100);
}

/** T0 destroys A; everything must come back. 0, or a line number. */
static int world_end(void)
{
	if (kh_super_wake()) {
		return __LINE__;
	}
	if (kh_sys1(kh_T0, RIFT_SYS_DOMAIN_DESTROY, WORLD) != 0) {
		return __LINE__;
	}
	kh_super_sleep();
	if (kh_check() || fake_pages_out() != world_pages_before ||
	    kh_R->used_pages != kh_base_R_used ||
	    kh_R->cspace[WORLD].type != RIFT_CAP_NULL) {
		return __LINE__;
	}
	return 0;
}

#define CHECK_WORLD_END()                                                   \
	do {                                                                \
		int l_ = world_end();                                       \
		if (l_) {                                                   \
			printf("  world_end failed at line %d: %s\n", l_,  \
			       kh_why);                                    \
		}                                                           \
		CHECK(l_ == 0);                                             \
	} while (0)

/* For helpers returning a value: fail the test, return 1. */
#define CHECK_EQ_RET(a, b)                                                  \
	do {                                                                \
		long long _a = (long long)(a), _b = (long long)(b);         \
		if (_a != _b) {                                             \
			printf("  %s:%d: %s == %s (%lld != %lld)\n",        \
			       __FILE__, __LINE__, #a, #b, _a, _b);        \
			*bad = 1;                                           \
			return 1;                                           \
		}                                                           \
	} while (0)

#define CHECK_INV()                                                         \
	do {                                                                \
		int c_ = kh_check();                                        \
		if (c_) {                                                   \
			printf("  invariant: %s\n", kh_why);               \
		}                                                           \
		CHECK(c_ == 0);                                             \
	} while (0)

/* ---------------------------------------------------------------- tests */

TEST(boot)
{
	CHECK_INV();
	CHECK(fake_idle()); /* T0 waits for its interrupt */
	CHECK_EQ(kh_T0->state, TS_BLOCKED_NOTIF);
	CHECK(fake_irq_enabled(KH_R_IRQ));
	CHECK(fake_irq_enabled(FAKE_TIMER_INTID));
	CHECK(kh_super_wake() == 0);
	CHECK(sched_current() == kh_T0);
	kh_super_sleep();
	CHECK(fake_idle());
	CHECK_INV();
}

TEST(cap_copy_delete_revoke)
{
	struct rift_ipcbuf *ib;

	CHECK(world());
	(void)ib;
	CHECK_EQ(SYS(TA, ENDPOINT_CREATE, FREE, 0, 0, 0, 0, 0), 0);
	/* copy with fewer rights, then a copy of the copy: rights only shrink */
	CHECK_EQ(SYS(TA, CAP_COPY, FREE, 0, FREE + 1,
		     RIFT_RIGHT_READ | RIFT_RIGHT_WRITE, 0, 0), 0);
	CHECK_EQ(SYS(TA, CAP_COPY, FREE + 1, 0, FREE + 2, RIFT_RIGHTS_ALL, 0, 0),
		 0);
	CHECK_EQ(SYS(TA, CAP_INFO, FREE + 2, 0, 0, 0, 0, 0), 0);
	CHECK_EQ(TA->ctx.x[1], RIFT_CAP_ENDPOINT_T);
	CHECK_EQ(TA->ctx.x[2], RIFT_RIGHT_READ | RIFT_RIGHT_WRITE);
	CHECK_EQ(A->cspace[FREE + 2].depth, 2);
	/* into B, badged */
	CHECK_EQ(SYS(TA, CAP_COPY, FREE, A_B, FREE, RIFT_RIGHTS_ALL, 77, 0), 0);
	CHECK_EQ(B->cspace[FREE].badge, 77);
	/* badging a badged capability is refused */
	CHECK_EQ(SYS(TA, CAP_COPY, FREE, A_B, FREE + 1, RIFT_RIGHTS_ALL, 5, 0),
		 0);
	CHECK_EQ(SYS(TB, CAP_COPY, FREE, 0, FREE + 2, RIFT_RIGHTS_ALL, 9, 0),
		 RIFT_KEINVAL);
	/* errors: empty source, occupied destination, slot 0, bad rights */
	CHECK_EQ(SYS(TA, CAP_COPY, FREE + 50, 0, FREE + 3, 7, 0, 0), RIFT_KECAP);
	CHECK_EQ(SYS(TA, CAP_COPY, FREE, 0, FREE + 1, 7, 0, 0), RIFT_KEFULL);
	CHECK_EQ(SYS(TA, CAP_COPY, FREE, 0, 0, 7, 0, 0), RIFT_KECAP);
	CHECK_EQ(SYS(TA, CAP_COPY, FREE, 0, FREE + 3, 16, 0, 0), RIFT_KEINVAL);
	CHECK_EQ(SYS(TA, CAP_COPY, FREE, 0, 512, 7, 0, 0), RIFT_KECAP);
	CHECK_INV();
	/* deleting the middle copy deletes what was derived from it */
	CHECK_EQ(SYS(TA, CAP_DELETE, FREE + 1, 0, 0, 0, 0, 0), 0);
	CHECK_EQ(A->cspace[FREE + 2].type, RIFT_CAP_NULL);
	CHECK_EQ(B->cspace[FREE].type, RIFT_CAP_ENDPOINT_T);
	CHECK_INV();
	/* revoking the original empties every copy, keeps the original */
	CHECK_EQ(SYS(TA, CAP_REVOKE, FREE, 0, 0, 0, 0, 0), 0);
	CHECK_EQ(B->cspace[FREE].type, RIFT_CAP_NULL);
	CHECK_EQ(B->cspace[FREE + 1].type, RIFT_CAP_NULL);
	CHECK_EQ(A->cspace[FREE].type, RIFT_CAP_ENDPOINT_T);
	CHECK(A->cspace[FREE].dnext == NULL);
	CHECK_INV();
	/* deleting the original destroys the endpoint and returns its page */
	{
		uint64_t used = A->used_pages;
		void *ep = A->cspace[FREE].obj;

		CHECK_EQ(SYS(TA, CAP_DELETE, FREE, 0, 0, 0, 0, 0), 0);
		CHECK_EQ(A->used_pages, used - 1);
		CHECK(fake_addr_freed(ep));
#ifdef __SANITIZE_ADDRESS__
		CHECK(__asan_address_is_poisoned(ep));
#endif
	}
	CHECK_EQ(SYS(TA, CAP_DELETE, FREE, 0, 0, 0, 0, 0), RIFT_KECAP);
	CHECK_INV();
	CHECK_WORLD_END();
}

/*
 * A capability passed back and forth between two domains, each copy made
 * from the last: one derivation chain 2 * n deep across two cspaces, then
 * revoked from the root.
 */
TEST(derivation_chain_deep)
{
	const uint32_t n = 180;
	uint64_t out;

	CHECK(world());
	out = fake_pages_out();
	/* B gets a capability to A (a copy of R's), to copy into A */
	CHECK_EQ(kh_copy(&kh_R->cspace[WORLD], B, 30, RIFT_RIGHTS_ALL, 0), 0);
	CHECK_EQ(SYS(TA, NOTIFICATION_CREATE, FREE, 0, 0, 0, 0, 0), 0);
	for (uint32_t i = 0; i < n; i++) {
		CHECK_EQ(SYS(TA, CAP_COPY, FREE + i, A_B, FREE + i,
			     RIFT_RIGHTS_ALL, 0, 0),
			 0);
		CHECK_EQ(SYS(TB, CAP_COPY, FREE + i, 30, FREE + i + 1,
			     RIFT_RIGHTS_ALL, 0, 0),
			 0);
	}
	CHECK_EQ(A->cspace[FREE + n].depth, 2 * n);
	CHECK_EQ(B->cspace[FREE + n - 1].depth, 2 * n - 1);
	CHECK_INV();
	CHECK_EQ(SYS(TA, CAP_REVOKE, FREE, 0, 0, 0, 0, 0), 0);
	CHECK(A->cspace[FREE].dnext == NULL);
	for (uint32_t i = 1; i <= n; i++) {
		CHECK_EQ(A->cspace[FREE + i].type, RIFT_CAP_NULL);
		CHECK_EQ(B->cspace[FREE + i - 1].type, RIFT_CAP_NULL);
	}
	CHECK_EQ(SYS(TA, CAP_DELETE, FREE, 0, 0, 0, 0, 0), 0);
	CHECK_EQ(fake_pages_out(), out);
	CHECK_INV();
	CHECK_WORLD_END();
}

TEST(domain_create_destroy_quota)
{
	uint64_t used, out;
	long r;
	struct domain *c;

	CHECK(world());
	used = A->used_pages;
	out = fake_pages_out();
	/* no name (empty IPC buffer data): refused */
	kh_ipcbuf(TA)->data[0] = 0;
	CHECK_EQ(SYS(TA, DOMAIN_CREATE, FREE, 100, 64, 50, 0, 0), RIFT_KEINVAL);
	memcpy(kh_ipcbuf(TA)->data, "child", 6);
	/* more quota than A has, a priority above A's, odd slot counts */
	CHECK_EQ(SYS(TA, DOMAIN_CREATE, FREE, 1ull << 40, 64, 50, 0, 0),
		 RIFT_KENOMEM);
	CHECK_EQ(SYS(TA, DOMAIN_CREATE, FREE, 100, 64, 201, 0, 0),
		 RIFT_KEINVAL);
	CHECK_EQ(SYS(TA, DOMAIN_CREATE, FREE, 100, 65, 50, 0, 0), RIFT_KEINVAL);
	CHECK_EQ(SYS(TA, DOMAIN_CREATE, FREE, 100, 63, 50, 0, 0), RIFT_KEINVAL);
	CHECK_EQ(A->used_pages, used);
	CHECK_EQ(fake_pages_out(), out);
	r = SYS(TA, DOMAIN_CREATE, FREE, 100, 1024, 50, 0, 0);
	CHECK_EQ(r, 0);
	c = A->cspace[FREE].obj;
	CHECK_EQ(TA->ctx.x[1], c->id);
	CHECK(strcmp(c->name, "child") == 0);
	/* object page + cspace (1024 slots) + the quota */
	CHECK_EQ(A->used_pages,
		 used + 1 + (1ull << c->cspace_order) + 100);
	CHECK_INV();
	/* things made in the child through A's capability to it */
	CHECK_EQ(SYS(TA, FRAME_ALLOC, FREE, 70, 0, ~0ull, FREE + 1, 0), 0);
	CHECK_EQ(SYS(TA, FRAME_ALLOC, FREE, 71, PMM_ORDER_2M, ~0ull, 0, 0),
		 RIFT_KENOMEM); /* 512 pages > the child's 100 */
	CHECK_EQ(SYS(TA, THREAD_CREATE, FREE, 72, 40, FREE + 2, 0, 0), 0);
	CHECK_EQ(SYS(TA, THREAD_CREATE, FREE, 73, 51, 0, 0, 0), RIFT_KEINVAL);
	CHECK_EQ(SYS(TA, MAP, FREE, 70, 0x200000, RIFT_MAP_READ, 1, 0), 0);
	CHECK(c->used_pages > 2); /* frame, thread, tables */
	CHECK_INV();
	/* destroy: the quota comes back exactly; A's copies are revoked */
	CHECK_EQ(SYS(TA, DOMAIN_DESTROY, FREE, 0, 0, 0, 0, 0), 0);
	CHECK_EQ(A->used_pages, used);
	CHECK_EQ(fake_pages_out(), out);
	CHECK_EQ(A->cspace[FREE + 1].type, RIFT_CAP_NULL);
	CHECK_EQ(A->cspace[FREE + 2].type, RIFT_CAP_NULL);
	CHECK_EQ(A->cspace[FREE].type, RIFT_CAP_NULL);
	/* a domain may not destroy itself; only the original destroys */
	CHECK_EQ(SYS(TA, DOMAIN_DESTROY, 0, 0, 0, 0, 0, 0), RIFT_KECAP);
	CHECK_EQ(SYS(TA, DOMAIN_CREATE, FREE, 10, 64, 50, 0, 0), 0);
	CHECK_EQ(SYS(TA, CAP_COPY, FREE, 0, FREE + 1, RIFT_RIGHTS_ALL, 0, 0), 0);
	CHECK_EQ(SYS(TA, DOMAIN_DESTROY, FREE + 1, 0, 0, 0, 0, 0), RIFT_KERIGHTS);
	CHECK_EQ(SYS(TA, DOMAIN_DESTROY, FREE, 0, 0, 0, 0, 0), 0);
	CHECK_EQ(A->cspace[FREE + 1].type, RIFT_CAP_NULL);
	CHECK_INV();
	CHECK_WORLD_END();
}

TEST(domain_nesting)
{
	const uint32_t depth = 40;
	struct domain *d;

	CHECK(world());
	d = B;
	for (uint32_t i = 0; i < depth && d; i++) {
		d = kh_domain(d, 40, 20 * (depth - i) + 20, 64, 100);
		CHECK(d != NULL);
		CHECK(kh_thread(d, T_SLOT, 50) != NULL);
		CHECK(kh_endpoint(d, T_SLOT + 2) != NULL);
	}
	CHECK_INV();
	/* A destroys B: the whole nest goes, B's quota returns to A */
	{
		uint64_t used = A->used_pages, b = 1 + (1ull << B->cspace_order) +
						  B->quota_pages;

		CHECK_EQ(SYS(TA, DOMAIN_DESTROY, A_B, 0, 0, 0, 0, 0), 0);
		CHECK_EQ(A->used_pages, used - b);
	}
	CHECK_INV();
	CHECK_WORLD_END();
}

TEST(ipc_call_reply)
{
	struct thread *server, *client;
	long r;

	CHECK(world());
	server = TB;
	client = TA;
	CHECK_EQ(SYS(TA, ENDPOINT_CREATE, FREE, 0, 0, 0, 0, 0), 0);
	CHECK_EQ(SYS(TA, CAP_COPY, FREE, A_B, FREE, RIFT_RIGHT_READ, 0, 0), 0);
	CHECK_EQ(SYS(TA, CAP_COPY, FREE, 0, FREE + 1, RIFT_RIGHT_WRITE, 0x5ee,
		     0),
		 0);
	/* the server waits; the CPU goes to the client */
	r = SYS(server, RECV, FREE, 0, 0, 0, 0, 0);
	CHECK_EQ(r, KH_BLOCKED);
	CHECK_EQ(server->state, TS_BLOCKED_RECV);
	/* rights: the receive-only copy cannot send, the send-only cannot
	 * receive */
	CHECK_EQ(SYS(client, RECV, FREE + 1, 0, 0, 0, 0, 0), RIFT_KERIGHTS);
	/* call: label 9, 3 words */
	r = kh_sys(client, RIFT_SYS_CALL, FREE + 1, 9, RIFT_INFO(3, 0), 100,
		   200, 300);
	CHECK_EQ(r, KH_BLOCKED);
	CHECK_EQ(client->state, TS_BLOCKED_REPLY);
	CHECK(client->replier == server);
	CHECK_EQ(server->state, TS_RUNNABLE);
	CHECK_EQ(server->ctx.x[0], 0);
	CHECK_EQ(server->ctx.x[1], 9);
	CHECK_EQ(RIFT_INFO_WORDS(server->ctx.x[2]), 3);
	CHECK_EQ(server->ctx.x[3], 100);
	CHECK_EQ(server->ctx.x[5], 300);
	CHECK_EQ(server->ctx.x[8], 0x5ee); /* the badge */
	CHECK_INV();
	/* the server replies (label 1, one word) */
	r = kh_sys(server, RIFT_SYS_REPLY, 0, 1, RIFT_INFO(1, 0), 42, 0, 0);
	CHECK_EQ(r, 0);
	CHECK_EQ(client->state, TS_RUNNABLE);
	CHECK_EQ(client->ctx.x[0], 0);
	CHECK_EQ(client->ctx.x[1], 1);
	CHECK_EQ(client->ctx.x[3], 42);
	CHECK(server->reply_to == NULL);
	/* replying again: nobody to reply to */
	CHECK_EQ(kh_sys(server, RIFT_SYS_REPLY, 0, 1, 0, 0, 0, 0), RIFT_KEINVAL);
	/* non-blocking forms with nobody waiting */
	CHECK_EQ(SYS(client, NBSEND, FREE + 1, 0, 0, 0, 0, 0), RIFT_KEAGAIN);
	CHECK_EQ(SYS(server, NBRECV, FREE, 0, 0, 0, 0, 0), RIFT_KEAGAIN);
	/* a send with a malformed info word */
	CHECK_EQ(SYS(client, SEND, FREE + 1, 0, 1ull << 20, 0, 0, 0),
		 RIFT_KEINVAL);
	CHECK_INV();
	CHECK_WORLD_END();
}

TEST(ipc_send_queue_and_destroy)
{
	CHECK(world());
	CHECK_EQ(SYS(TA, ENDPOINT_CREATE, FREE, 0, 0, 0, 0, 0), 0);
	CHECK_EQ(SYS(TA, CAP_COPY, FREE, A_B, FREE, RIFT_RIGHTS_ALL, 0, 0), 0);
	/* B's thread sends and blocks; A's receives it */
	CHECK_EQ(kh_sys(TB, RIFT_SYS_SEND, FREE, 7, RIFT_INFO(1, 0), 11, 0, 0),
		 KH_BLOCKED);
	CHECK_EQ(TB->state, TS_BLOCKED_SEND);
	CHECK_INV();
	CHECK_EQ(SYS(TA, RECV, FREE, 0, 0, 0, 0, 0), 0);
	CHECK_EQ(TA->ctx.x[1], 7);
	CHECK_EQ(TA->ctx.x[3], 11);
	CHECK_EQ(TB->state, TS_RUNNABLE);
	CHECK_EQ(TB->ctx.x[0], 0);
	/* TB blocks again; A deletes the endpoint: TB wakes with KEGONE */
	CHECK_EQ(kh_sys(TB, RIFT_SYS_SEND, FREE, 7, 0, 0, 0, 0), KH_BLOCKED);
	CHECK_EQ(SYS(TA, CAP_DELETE, FREE, 0, 0, 0, 0, 0), 0);
	CHECK_EQ(TB->state, TS_RUNNABLE);
	CHECK_EQ((long)TB->ctx.x[0], RIFT_KEGONE);
	CHECK_EQ(B->cspace[FREE].type, RIFT_CAP_NULL);
	CHECK_INV();
	/* a thread blocked in a call whose server's domain is destroyed */
	CHECK_EQ(SYS(TA, ENDPOINT_CREATE, FREE, 0, 0, 0, 0, 0), 0);
	CHECK_EQ(SYS(TA, CAP_COPY, FREE, A_B, FREE, RIFT_RIGHTS_ALL, 0, 0), 0);
	CHECK_EQ(SYS(TB, RECV, FREE, 0, 0, 0, 0, 0), KH_BLOCKED);
	CHECK_EQ(kh_sys(TA, RIFT_SYS_CALL, FREE, 1, 0, 0, 0, 0), KH_BLOCKED);
	CHECK(TA->replier == TB);
	CHECK_INV();
	/* only the parent (A) holds B's original: A's second thread
	 * destroys B while TA waits for TB's reply; R's copy cannot */
	CHECK_EQ(kh_copy(&A->cspace[A_B], kh_R, FREE, RIFT_RIGHTS_ALL, 0), 0);
	CHECK(kh_super_wake() == 0);
	CHECK_EQ(kh_sys1(kh_T0, RIFT_SYS_DOMAIN_DESTROY, FREE), RIFT_KERIGHTS);
	kh_super_sleep();
	{
		struct thread *ta2 = kh_thread(A, T_SLOT + 2, 100);

		CHECK(ta2 != NULL);
		CHECK_EQ(kh_sys1(ta2, RIFT_SYS_DOMAIN_DESTROY, A_B), 0);
	}
	CHECK_EQ(TA->state, TS_RUNNABLE);
	CHECK_EQ((long)TA->ctx.x[0], RIFT_KEGONE);
	CHECK(TA->replier == NULL);
	CHECK_EQ(kh_R->cspace[FREE].type, RIFT_CAP_NULL);
	CHECK_EQ(A->cspace[A_B].type, RIFT_CAP_NULL);
	CHECK_INV();
	CHECK_WORLD_END();
}

TEST(ipc_cap_transfer)
{
	struct rift_ipcbuf *sb, *rb;

	CHECK(world());
	sb = kh_ipcbuf(TA);
	rb = kh_ipcbuf(TB);
	CHECK_EQ(SYS(TA, ENDPOINT_CREATE, FREE, 0, 0, 0, 0, 0), 0);
	CHECK_EQ(SYS(TA, NOTIFICATION_CREATE, FREE + 1, 0, 0, 0, 0, 0), 0);
	CHECK_EQ(SYS(TA, CAP_COPY, FREE, A_B, FREE, RIFT_RIGHT_READ, 0, 0), 0);
	CHECK_EQ(SYS(TA, CAP_COPY, FREE, 0, FREE + 2,
		     RIFT_RIGHT_WRITE, 0, 0), 0); /* no grant */
	rb->recv_slots[0] = FREE + 10;
	rb->recv_slots[1] = FREE + 11;
	CHECK_EQ(SYS(TB, RECV, FREE, 0, 0, 0, 0, 0), KH_BLOCKED);
	sb->send_caps[0] = FREE + 1;
	sb->send_caps[1] = FREE;
	/* without the grant right: refused */
	CHECK_EQ(kh_sys(TA, RIFT_SYS_SEND, FREE + 2, 0, RIFT_INFO(0, 2), 0, 0,
			0),
		 RIFT_KERIGHTS);
	/* with it: two capabilities arrive in B's receive slots */
	CHECK_EQ(kh_sys(TA, RIFT_SYS_SEND, FREE, 0, RIFT_INFO(6, 2), 0, 0, 0),
		 0);
	CHECK_EQ(RIFT_INFO_CAPS(TB->ctx.x[2]), 2);
	CHECK_EQ(RIFT_INFO_WORDS(TB->ctx.x[2]), 6);
	CHECK_EQ(rb->recv_types[0], RIFT_CAP_NOTIFICATION_T);
	CHECK_EQ(rb->recv_types[1], RIFT_CAP_ENDPOINT_T);
	CHECK_EQ(B->cspace[FREE + 10].type, RIFT_CAP_NOTIFICATION_T);
	CHECK_INV();
	/* revoking at the source takes them back */
	CHECK_EQ(SYS(TA, CAP_REVOKE, FREE + 1, 0, 0, 0, 0, 0), 0);
	CHECK_EQ(B->cspace[FREE + 10].type, RIFT_CAP_NULL);
	CHECK_INV();
	CHECK_WORLD_END();
}

TEST(notifications)
{
	CHECK(world());
	CHECK_EQ(SYS(TA, NOTIFICATION_CREATE, FREE, 0, 0, 0, 0, 0), 0);
	CHECK_EQ(SYS(TA, CAP_COPY, FREE, A_B, FREE, RIFT_RIGHT_WRITE, 0x10, 0),
		 0);
	CHECK_EQ(SYS(TA, CAP_COPY, FREE, 0, FREE + 1, RIFT_RIGHT_WRITE, 0x2, 0),
		 0);
	/* signal twice with two badges, one poll gets both bits */
	CHECK_EQ(SYS(TB, SIGNAL, FREE, 0, 0, 0, 0, 0), 0);
	CHECK_EQ(SYS(TA, SIGNAL, FREE + 1, 0, 0, 0, 0, 0), 0);
	CHECK_EQ(SYS(TA, POLL, FREE, 0, 0, 0, 0, 0), 0);
	CHECK_EQ(TA->ctx.x[1], 0x12);
	CHECK_EQ(SYS(TA, POLL, FREE, 0, 0, 0, 0, 0), 0);
	CHECK_EQ(TA->ctx.x[1], 0);
	/* rights */
	CHECK_EQ(SYS(TB, WAIT, FREE, 0, 0, 0, 0, 0), RIFT_KERIGHTS);
	CHECK_EQ(SYS(TA, SIGNAL, T_SLOT, 0, 0, 0, 0, 0), RIFT_KETYPE);
	/* a waiter blocks and is woken by a signal from the other domain */
	CHECK_EQ(SYS(TA, WAIT, FREE, 0, 0, 0, 0, 0), KH_BLOCKED);
	CHECK_EQ(TA->state, TS_BLOCKED_NOTIF);
	CHECK(sched_current() == TB);
	CHECK_INV();
	CHECK_EQ(SYS(TB, SIGNAL, FREE, 0, 0, 0, 0, 0), 0);
	CHECK_EQ(TA->state, TS_RUNNABLE);
	CHECK_EQ(TA->ctx.x[1], 0x10);
	CHECK_INV();
	CHECK_WORLD_END();
}

TEST(scheduler_priorities)
{
	/* TA at 50, TB at 150 */
	CHECK(world_prio(4096, 50, 150));
	CHECK_EQ(SYS(TA, NOTIFICATION_CREATE, FREE, 0, 0, 0, 0, 0), 0);
	CHECK_EQ(SYS(TA, CAP_COPY, FREE, A_B, FREE, RIFT_RIGHTS_ALL, 0, 0), 0);
	/* TB waits; TA runs; TA's signal makes TB runnable and TB, more
	 * important, preempts TA on the way out of the call */
	CHECK_EQ(SYS(TB, WAIT, FREE, 0, 0, 0, 0, 0), KH_BLOCKED);
	CHECK(sched_current() == TA);
	CHECK_EQ(SYS(TA, SIGNAL, FREE, 0, 0, 0, 0, 0), 0);
	CHECK(sched_current() == TB);
	CHECK_EQ(TA->state, TS_RUNNABLE);
	/* yield at the highest level with nobody else there: TB stays */
	CHECK_EQ(SYS(TB, YIELD, 0, 0, 0, 0, 0, 0), 0);
	CHECK(sched_current() == TB);
	/* timer ticks never hand the CPU to a less important thread */
	for (int i = 0; i < 5; i++) {
		CHECK_EQ(fake_tick(), FAKE_RUNNING);
		CHECK(sched_current() == TB);
	}
	CHECK_INV();
	CHECK_WORLD_END();
}

TEST(scheduler_round_robin)
{
	struct thread *t2;

	CHECK(world_prio(4096, 100, 100));
	t2 = kh_thread(A, T_SLOT + 2, 100);
	CHECK(t2 != NULL);
	CHECK(kh_switch_to(TA) == 0);
	/* three threads at one level: ticks rotate through all of them */
	{
		bool seen[3] = { false, false, false };

		for (int i = 0; i < 20; i++) {
			struct thread *c = sched_current();

			seen[0] |= c == TA;
			seen[1] |= c == TB;
			seen[2] |= c == t2;
			CHECK_EQ(fake_tick(), FAKE_RUNNING);
		}
		CHECK(seen[0] && seen[1] && seen[2]);
	}
	/* yield passes the CPU on at once */
	{
		struct thread *before = sched_current();

		CHECK_EQ(kh_sys0(before, RIFT_SYS_YIELD), 0);
		CHECK(sched_current() != before);
	}
	CHECK_INV();
	CHECK_WORLD_END();
}

TEST(thread_delete_self)
{
	uint64_t used;

	CHECK(world());
	used = A->used_pages;
	/* TA deletes its own thread capability mid-call: it is destroyed
	 * after the switch away, its page returns */
	CHECK_EQ(SYS(TA, CAP_DELETE, T_SLOT, 0, 0, 0, 0, 0), KH_BLOCKED);
	CHECK(sched_current() != TA);
	CHECK_EQ(A->used_pages, used - 1);
	CHECK_EQ(A->thread_count, 0);
	CHECK_INV();
	CHECK_WORLD_END();
}

TEST(fault_to_handler)
{
	struct thread *h;

	CHECK(world());
	/* A handles B's faults on an endpoint, badge 0xb */
	h = TA;
	CHECK_EQ(SYS(TA, ENDPOINT_CREATE, FREE, 0, 0, 0, 0, 0), 0);
	CHECK_EQ(SYS(TA, DOMAIN_SET_FAULT, A_B, FREE, 0xb, 0, 0, 0), 0);
	CHECK_EQ(SYS(TA, DOMAIN_SET_FAULT, 0, FREE, 0, 0, 0, 0), RIFT_KEINVAL);
	CHECK_EQ(B->fault_cap.type, RIFT_CAP_ENDPOINT_T);
	CHECK_EQ(SYS(h, RECV, FREE, 0, 0, 0, 0, 0), KH_BLOCKED);
	CHECK(kh_switch_to(TB) == 0);
	CHECK(fake_fault(RIFT_FAULT_DATA, 0xdead000) != FAKE_NO_THREAD);
	CHECK_EQ(TB->state, TS_FAULTED);
	CHECK_EQ(h->state, TS_RUNNABLE);
	CHECK_EQ(h->ctx.x[1], RIFT_FAULT_LABEL);
	CHECK_EQ(h->ctx.x[3], RIFT_FAULT_DATA);
	CHECK_EQ(h->ctx.x[4], 0xdead000);
	CHECK_EQ(h->ctx.x[7], B->id);
	CHECK_EQ(h->ctx.x[8], 0xb);
	CHECK(strstr(fake_log(), "data abort at dead000") != NULL);
	CHECK_INV();
	/* the handler restarts the thread */
	CHECK_EQ(SYS(TA, THREAD_CREATE, A_B, FREE + 1, 10, FREE + 2, 0, 0), 0);
	CHECK_EQ(SYS(TA, THREAD_START, FREE + 2, 0x1000, 0x2000, 5, 0, 0), 0);
	CHECK_EQ(SYS(TA, THREAD_START, FREE + 2, 0x1000, 0x2000, 5, 0, 0),
		 RIFT_KEBUSY);
	CHECK_EQ(SYS(TA, THREAD_START, FREE + 2, 0x1001, 0x2000, 5, 0, 0),
		 RIFT_KERANGE);
	/* deleting the endpoint empties B's kernel-held fault capability */
	CHECK_EQ(SYS(TA, CAP_DELETE, FREE, 0, 0, 0, 0, 0), 0);
	CHECK_EQ(B->fault_cap.type, RIFT_CAP_NULL);
	CHECK_INV();
	CHECK_WORLD_END();
}

TEST(irq_to_notification)
{
	CHECK(world());
	/* R lends A its interrupt control */
	CHECK_EQ(kh_copy(&kh_R->cspace[RIFT_SLOT_IRQ_CONTROL], A, FREE + 5,
			 RIFT_RIGHTS_ALL, 0),
		 0);
	CHECK_EQ(SYS(TA, NOTIFICATION_CREATE, FREE, 0, 0, 0, 0, 0), 0);
	CHECK_EQ(sys6(TA, RIFT_SYS_IRQ_BIND, FREE + 5, 50, FREE + 1, FREE, 1),
		 0);
	/* taken: R's interrupt, the timer's, SGIs and PPIs, numbers past the
	 * controller */
	CHECK_EQ(sys6(TA, RIFT_SYS_IRQ_BIND, FREE + 5, KH_R_IRQ, FREE + 2, FREE,
		      0),
		 RIFT_KEBUSY);
	CHECK_EQ(sys6(TA, RIFT_SYS_IRQ_BIND, FREE + 5, FAKE_TIMER_INTID,
		      FREE + 2, FREE, 0),
		 RIFT_KEINVAL);
	CHECK_EQ(sys6(TA, RIFT_SYS_IRQ_BIND, FREE + 5, 1020, FREE + 2, FREE, 0),
		 RIFT_KEINVAL);
	CHECK(fake_irq_enabled(50));
	CHECK_EQ(SYS(TA, WAIT, FREE, 0, 0, 0, 0, 0), KH_BLOCKED);
	/* the device interrupts: masked, TA woken */
	fake_irq_raise(50);
	CHECK_EQ(fake_interrupt(), FAKE_RUNNING);
	CHECK_EQ(TA->state, TS_RUNNABLE);
	CHECK(!fake_irq_enabled(50));
	CHECK_EQ(SYS(TA, IRQ_ACK, FREE + 1, 0, 0, 0, 0, 0), 0);
	CHECK_EQ(TA->ctx.x[1], 1);
	CHECK(fake_irq_enabled(50));
	CHECK_INV();
	/* deleting the notification: the handler's capability is emptied,
	 * a later interrupt is counted as unhandled */
	CHECK_EQ(SYS(TA, CAP_DELETE, FREE, 0, 0, 0, 0, 0), 0);
	CHECK_INV();
	{
		uint64_t u = irq_unhandled_count;

		fake_irq_raise(50);
		fake_interrupt();
		CHECK_EQ(irq_unhandled_count, u + 1);
	}
	/* destroying the world unbinds the interrupt */
	CHECK_WORLD_END();
	CHECK(!fake_irq_enabled(50));
}

/**
 * The IPC fast path and the general path must give the same result: one
 * scenario run both ways (a server above its client; a third thread at the
 * client's level, queued for the first rounds and waiting after), every
 * register a thread sees and who runs after each step compared.
 */
#define TRACE_MAX 256
struct trace {
	uint64_t v[TRACE_MAX];
	int n;
	struct trace *sched; /* who runs after each step */
};

static void trace_add(struct trace *tr, uint64_t v)
{
	if (tr->n < TRACE_MAX) {
		tr->v[tr->n++] = v;
	}
}

static int who(struct thread *const *ts, int n)
{
	for (int i = 0; i < n; i++) {
		if (sched_current() == ts[i]) {
			return i;
		}
	}
	return -1;
}

static void fast_scenario(struct trace *tr, struct trace *sched)
{
	struct thread *srv, *cli, *other;
	struct thread *ts[4];

	tr->n = 0;
	sched->n = 0;
	if (!world_prio(4096, 100, 150)) {
		trace_add(tr, 0xbad);
		return;
	}
	srv = TB;
	cli = TA;
	other = kh_thread(A, T_SLOT + 2, 100);
	ts[0] = srv;
	ts[1] = cli;
	ts[2] = other;
	ts[3] = kh_T0;
	trace_add(tr, (uint64_t)SYS(cli, ENDPOINT_CREATE, FREE, 0, 0, 0, 0, 0));
	trace_add(tr, (uint64_t)SYS(cli, CAP_COPY, FREE, A_B, FREE,
				    RIFT_RIGHTS_ALL, 0, 0));
	trace_add(tr, (uint64_t)SYS(cli, CAP_COPY, FREE, 0, FREE + 1,
				    RIFT_RIGHTS_ALL, 0x77, 0));
	trace_add(tr, (uint64_t)SYS(srv, RECV, FREE, 0, 0, 0, 0, 0));
	trace_add(tr, (uint64_t)SYS(cli, NOTIFICATION_CREATE, FREE + 2, 0, 0, 0,
				    0, 0));
	trace_add(tr, (uint64_t)SYS(cli, CAP_COPY, FREE + 2, 0, FREE + 3,
				    RIFT_RIGHTS_ALL, 0, 0));
	for (int round = 0; round < 6; round++) {
		if (round == 3) {
			/* from here on the client's level is empty */
			trace_add(tr, (uint64_t)SYS(other, WAIT, FREE + 3, 0, 0,
						    0, 0, 0));
		}
		trace_add(tr, (uint64_t)kh_sys(cli, RIFT_SYS_CALL, FREE + 1,
					       round, RIFT_INFO(2, 0),
					       round * 10, round * 20, 0));
		trace_add(sched, (uint64_t)who(ts, 4));
		for (int i = 0; i < 9; i++) {
			trace_add(tr, srv->ctx.x[i]);
		}
		/* the server answers and waits for the next message */
		trace_add(tr, (uint64_t)kh_sys(srv, RIFT_SYS_REPLY_RECV, FREE,
					       round + 100, RIFT_INFO(1, 0),
					       round * 3, 0, 0));
		trace_add(sched, (uint64_t)who(ts, 4));
		for (int i = 0; i < 9; i++) {
			trace_add(tr, cli->ctx.x[i]);
		}
		trace_add(sched, cli->state);
		trace_add(sched, srv->state);
		trace_add(sched, other->state);
	}
	trace_add(tr, kh_check() == 0);
	trace_add(tr, world_end() == 0);
}

static int trace_diff(const struct trace *a, const struct trace *b,
		      const char *what)
{
	if (a->n != b->n) {
		printf("  %s traces: %d entries fast, %d general\n", what, a->n,
		       b->n);
		return -1;
	}
	for (int i = 0; i < a->n; i++) {
		if (a->v[i] != b->v[i]) {
			printf("  %s trace differs at %d: fast %lx, general "
			       "%lx\n",
			       what, i, (unsigned long)a->v[i],
			       (unsigned long)b->v[i]);
			return -1;
		}
	}
	return 0;
}

TEST(fastpath_same_as_general)
{
	static struct trace fast_tr, slow_tr, fast_sched, slow_sched;
	uint64_t hits;

	fast_enabled = true;
	fake_counters_reset();
	fast_scenario(&fast_tr, &fast_sched);
	hits = fake.fastpath_hits;
	fast_enabled = false;
	fake_counters_reset();
	fast_scenario(&slow_tr, &slow_sched);
	fast_enabled = true;
	CHECK(hits > 0);
	CHECK_EQ(fake.fastpath_hits, 0);
	/* every register each thread sees */
	CHECK(trace_diff(&fast_tr, &slow_tr, "register") == 0);
	CHECK_EQ(fast_tr.v[fast_tr.n - 1], 1);
	CHECK_EQ(fast_tr.v[fast_tr.n - 2], 1);
	/* Issue 9: the fast path switched to an equal-priority thread ahead
	 * of those already queued at its level (the general path queues it
	 * at the tail). */
	CHECK(trace_diff(&fast_sched, &slow_sched, "scheduling") == 0);
}

TEST(frames_and_mapping)
{
	uint64_t used;

	CHECK(world());
	used = A->used_pages;
	CHECK_EQ(SYS(TA, FRAME_ALLOC, 0, FREE, PMM_ORDER_2M, ~0ull, 0, 0), 0);
	CHECK_EQ(A->used_pages, used + 512);
	/* any order 0..18 (guests' RMAs); nothing above 1 GiB */
	CHECK_EQ(SYS(TA, FRAME_ALLOC, 0, FREE + 1, PMM_MAX_ORDER + 1, ~0ull, 0,
		     0),
		 RIFT_KEINVAL);
	CHECK_EQ(SYS(TA, FRAME_ALLOC, 0, FREE + 1, 3, ~0ull, 0, 0), 0);
	CHECK_EQ(SYS(TA, CAP_DELETE, FREE + 1, 0, 0, 0, 0, 0), 0);
	CHECK_EQ(SYS(TA, FRAME_ALLOC, 0, FREE + 1, 0, 5, 0, 0), RIFT_KEINVAL);
	/* map: alignment, W^X, one mapping per capability */
	CHECK_EQ(SYS(TA, MAP, 0, FREE, 0x201000, RIFT_MAP_READ, 0, 0),
		 RIFT_KEINVAL);
	CHECK_EQ(SYS(TA, MAP, 0, FREE, 0x200000,
		     RIFT_MAP_WRITE | RIFT_MAP_EXEC, 0, 0),
		 RIFT_KEINVAL);
	CHECK_EQ(SYS(TA, MAP, 0, FREE, 0x200000, RIFT_MAP_READ | RIFT_MAP_WRITE,
		     0, 0),
		 0);
	CHECK_EQ(SYS(TA, MAP, 0, FREE, 0x400000, RIFT_MAP_READ, 0, 0),
		 RIFT_KEBUSY);
	/* a read-only copy can be mapped readable, not writable */
	CHECK_EQ(SYS(TA, CAP_COPY, FREE, 0, FREE + 1, RIFT_RIGHT_READ, 0, 0), 0);
	CHECK_EQ(SYS(TA, MAP, 0, FREE + 1, 0x400000,
		     RIFT_MAP_READ | RIFT_MAP_WRITE, 0, 0),
		 RIFT_KERIGHTS);
	CHECK_EQ(SYS(TA, MAP, 0, FREE + 1, 0x400000, RIFT_MAP_READ, 0, 0), 0);
	CHECK_EQ(SYS(TA, MAP, 0, FREE + 1, 0x600000, RIFT_MAP_READ, 0, 0),
		 RIFT_KEBUSY);
	CHECK_INV();
	{
		uint64_t flushes = fake.tlb_flush_asid;

		/* revoking the copy unmaps it (TLB flushed) */
		CHECK_EQ(SYS(TA, CAP_REVOKE, FREE, 0, 0, 0, 0, 0), 0);
		CHECK(fake.tlb_flush_asid > flushes);
	}
	CHECK_EQ(SYS(TA, UNMAP, FREE, 0, 0, 0, 0, 0), 0);
	CHECK_EQ(SYS(TA, UNMAP, FREE, 0, 0, 0, 0, 0), RIFT_KEINVAL);
	/* a frame in use as an IPC buffer: deleting it empties the thread's
	 * kernel-held copy */
	CHECK_EQ(SYS(TA, CAP_DELETE, T_SLOT + 1, 0, 0, 0, 0, 0), 0);
	CHECK(kh_ipcbuf(TA) == NULL);
	CHECK_EQ(TA->ipcbuf_cap.type, RIFT_CAP_NULL);
	CHECK_INV();
	/* device frames: not RAM, not the interrupt controller */
	CHECK_EQ(kh_copy(&kh_R->cspace[RIFT_SLOT_DEVICE], A, FREE + 2,
			 RIFT_RIGHTS_ALL, 0),
		 0);
	CHECK_EQ(SYS(TA, DEVICE_FRAME, FREE + 2, FREE + 3, FAKE_RAM_BASE, 0, 0,
		     0),
		 RIFT_KERANGE);
	CHECK_EQ(SYS(TA, DEVICE_FRAME, FREE + 2, FREE + 3, FAKE_GIC_BASE, 0, 0,
		     0),
		 RIFT_KERANGE);
	CHECK_EQ(SYS(TA, DEVICE_FRAME, FREE + 2, FREE + 3, 0x09000000, 0, 0, 0),
		 0);
	CHECK_INV();
	CHECK_WORLD_END();
}

/**
 * A frame pinned for DMA outlives its owner's capabilities: the owner's
 * quota is credited when it deletes the frame, but the pages return to
 * the allocator only at the last unpin (or when the pin holder goes).
 */
TEST(dma_pin_defers_free)
{
	uint64_t out, used_a, used_b, pa;

	CHECK(world());
	/* A plays the DMA server, B the driver whose frame it maps */
	CHECK_EQ(kh_copy(&kh_R->cspace[RIFT_SLOT_DMA_CONTROL], A, FREE,
			 RIFT_RIGHTS_ALL, 0),
		 0);
	CHECK_EQ(SYS(TB, FRAME_ALLOC, 0, FREE, 0, ~0ull, 0, 0), 0);
	pa = B->cspace[FREE].pa;
	CHECK_EQ(kh_copy(&B->cspace[FREE], A, FREE + 1, RIFT_RIGHT_READ, 0), 0);
	/* only DMA control pins; pins are never copied; no device frames */
	CHECK_EQ(SYS(TB, DMA_PIN, FREE, FREE, FREE + 1, 0, 0, 0), RIFT_KETYPE);
	CHECK_EQ(SYS(TA, DMA_PIN, FREE + 1, FREE + 1, FREE + 2, 0, 0, 0),
		 RIFT_KETYPE);
	CHECK_EQ(SYS(TA, DMA_PIN, FREE, FREE, FREE + 2, 0, 0, 0), RIFT_KETYPE);
	used_a = A->used_pages;
	CHECK_EQ(SYS(TA, DMA_PIN, FREE, FREE + 1, FREE + 2, 0, 0, 0), 0);
	CHECK_EQ(TA->ctx.x[1], pa);
	CHECK_EQ(TA->ctx.x[2], 4096);
	CHECK_EQ(A->cspace[FREE + 2].type, RIFT_CAP_DMA_PIN);
	/* the pin holder pays for it; it keeps the frame copy's rights */
	CHECK_EQ(A->used_pages, used_a + 1);
	CHECK_EQ(A->cspace[FREE + 2].rights, RIFT_RIGHT_READ);
	CHECK_EQ(SYS(TA, CAP_COPY, FREE + 2, 0, FREE + 3, RIFT_RIGHTS_ALL, 0,
		     0),
		 RIFT_KETYPE);
	CHECK_EQ(kh_copy(&kh_R->cspace[RIFT_SLOT_DEVICE], A, FREE + 4,
			 RIFT_RIGHTS_ALL, 0),
		 0);
	CHECK_EQ(SYS(TA, DEVICE_FRAME, FREE + 4, FREE + 5, 0x09000000, 0, 0,
		     0),
		 0);
	CHECK_EQ(SYS(TA, DMA_PIN, FREE, FREE + 5, FREE + 6, 0, 0, 0),
		 RIFT_KEINVAL);
	CHECK_INV();
	/* the driver drops its frame: its quota is back, the pages are not */
	out = fake_pages_out();
	used_b = B->used_pages;
	CHECK_EQ(SYS(TB, CAP_DELETE, FREE, 0, 0, 0, 0, 0), 0);
	CHECK_EQ(B->used_pages, used_b - 1);
	CHECK_EQ(A->cspace[FREE + 1].type, RIFT_CAP_NULL); /* copy revoked */
	CHECK_EQ(fake_pages_out(), out);
	CHECK_INV();
	/* the unpin frees them and credits the holder */
	CHECK_EQ(SYS(TA, CAP_DELETE, FREE + 2, 0, 0, 0, 0, 0), 0);
	CHECK_EQ(fake_pages_out(), out - 1);
	CHECK_EQ(A->used_pages, used_a);
	/* pinned memory is bounded by the holder's quota */
	CHECK_EQ(SYS(TB, FRAME_ALLOC, 0, FREE, PMM_ORDER_2M, ~0ull, 0, 0), 0);
	CHECK_EQ(kh_copy(&B->cspace[FREE], A, FREE + 1, RIFT_RIGHTS_ALL, 0), 0);
	A->quota_pages = A->used_pages + 511;
	CHECK_EQ(SYS(TA, DMA_PIN, FREE, FREE + 1, FREE + 2, 0, 0, 0),
		 RIFT_KENOMEM);
	A->quota_pages = A->used_pages + 512;
	CHECK_EQ(SYS(TA, DMA_PIN, FREE, FREE + 1, FREE + 2, 0, 0, 0), 0);
	A->quota_pages = 4096; /* as world() made it: R's accounts agree */
	CHECK_EQ(A->cspace[FREE + 2].rights, RIFT_RIGHT_READ | RIFT_RIGHT_WRITE);
	CHECK_INV();
	CHECK_EQ(SYS(TA, CAP_DELETE, FREE + 2, 0, 0, 0, 0, 0), 0);
	CHECK_EQ(SYS(TB, CAP_DELETE, FREE, 0, 0, 0, 0, 0), 0);
	/* a pin left behind is released with its holder's domain */
	CHECK_EQ(SYS(TB, FRAME_ALLOC, 0, FREE, 0, ~0ull, 0, 0), 0);
	CHECK_EQ(kh_copy(&B->cspace[FREE], A, FREE + 1, RIFT_RIGHT_READ, 0), 0);
	CHECK_EQ(SYS(TA, DMA_PIN, FREE, FREE + 1, FREE + 2, 0, 0, 0), 0);
	CHECK_EQ(SYS(TB, CAP_DELETE, FREE, 0, 0, 0, 0, 0), 0);
	CHECK_INV();
	CHECK_WORLD_END();
}

/**
 * A RAM frame carves into naturally aligned smaller frames (seL4's untyped
 * memory, for frames): children of the source, narrowed rights, mapped on
 * their own, gone with a revoke of the source; a DMA pin of a carved frame
 * holds the whole block.
 */
TEST(frame_carve)
{
	uint64_t pa, out, used_a;

	CHECK(world());
	CHECK_EQ(SYS(TA, FRAME_ALLOC, 0, FREE, PMM_ORDER_2M, ~0ull, 0, 0), 0);
	pa = A->cspace[FREE].pa;
	/* bad blocks: not a power of two, misaligned, outside, too small */
	CHECK_EQ(SYS(TA, CAP_CARVE, FREE, FREE + 1, 0, 0x3000, 15, 0),
		 RIFT_KERANGE);
	CHECK_EQ(SYS(TA, CAP_CARVE, FREE, FREE + 1, 0x1000, 0x2000, 15, 0),
		 RIFT_KERANGE);
	CHECK_EQ(SYS(TA, CAP_CARVE, FREE, FREE + 1, 0x200000, 0x1000, 15, 0),
		 RIFT_KERANGE);
	CHECK_EQ(SYS(TA, CAP_CARVE, FREE, FREE + 1, 0, 0x400000, 15, 0),
		 RIFT_KERANGE);
	CHECK_EQ(SYS(TA, CAP_CARVE, FREE, FREE + 1, 0, 0x800, 15, 0),
		 RIFT_KERANGE);
	CHECK_EQ(SYS(TA, CAP_CARVE, FREE, FREE + 1, ~0ull << 12, 0x1000, 15,
		     0),
		 RIFT_KERANGE);
	/* a 64 KiB block, a 4 KiB block inside it, a read-only 4 KiB one */
	CHECK_EQ(SYS(TA, CAP_CARVE, FREE, FREE + 1, 0x10000, 0x10000, 15, 0),
		 0);
	CHECK_EQ(A->cspace[FREE + 1].pa, pa + 0x10000);
	CHECK_EQ(A->cspace[FREE + 1].size, 0x10000);
	CHECK_EQ(SYS(TA, CAP_CARVE, FREE + 1, FREE + 2, 0x3000, 0x1000, 15, 0),
		 0);
	CHECK_EQ(A->cspace[FREE + 2].pa, pa + 0x13000);
	CHECK_EQ(SYS(TA, CAP_CARVE, FREE, FREE + 3, 0x1000, 0x1000,
		     RIFT_RIGHT_READ, 0),
		 0);
	CHECK_EQ(SYS(TA, MAP, 0, FREE + 1, 0x400000,
		     RIFT_MAP_READ | RIFT_MAP_WRITE, 0, 0),
		 0);
	CHECK_EQ(SYS(TA, MAP, 0, FREE + 2, 0x600000,
		     RIFT_MAP_READ | RIFT_MAP_WRITE, 0, 0),
		 0);
	CHECK_EQ(SYS(TA, MAP, 0, FREE + 3, 0x800000,
		     RIFT_MAP_READ | RIFT_MAP_WRITE, 0, 0),
		 RIFT_KERIGHTS);
	CHECK_INV();
	/* device frames are carved through their DEVICE capability */
	CHECK_EQ(kh_copy(&kh_R->cspace[RIFT_SLOT_DEVICE], A, FREE + 4,
			 RIFT_RIGHTS_ALL, 0),
		 0);
	CHECK_EQ(SYS(TA, DEVICE_FRAME, FREE + 4, FREE + 5, 0x09000000, 0, 0,
		     0),
		 0);
	CHECK_EQ(SYS(TA, CAP_CARVE, FREE + 5, FREE + 6, 0, 0x1000, 15, 0),
		 RIFT_KEINVAL);
	/* a pin of a carved frame holds (and charges) the whole block */
	CHECK_EQ(kh_copy(&kh_R->cspace[RIFT_SLOT_DMA_CONTROL], A, FREE + 7,
			 RIFT_RIGHTS_ALL, 0),
		 0);
	used_a = A->used_pages;
	CHECK_EQ(SYS(TA, DMA_PIN, FREE + 7, FREE + 2, FREE + 8, 0, 0, 0), 0);
	CHECK_EQ(TA->ctx.x[1], pa + 0x13000);
	CHECK_EQ(TA->ctx.x[2], 0x1000);
	CHECK_EQ(A->used_pages, used_a + 512);
	CHECK_INV();
	/* revoking the source takes every carved frame and its mapping */
	out = fake_pages_out();
	CHECK_EQ(SYS(TA, CAP_DELETE, FREE, 0, 0, 0, 0, 0), 0);
	CHECK_EQ(A->cspace[FREE + 1].type, RIFT_CAP_NULL);
	CHECK_EQ(A->cspace[FREE + 2].type, RIFT_CAP_NULL);
	CHECK_EQ(A->cspace[FREE + 3].type, RIFT_CAP_NULL);
	CHECK_EQ(fake_pages_out(), out); /* held by the pin */
	CHECK_INV();
	CHECK_EQ(SYS(TA, CAP_DELETE, FREE + 8, 0, 0, 0, 0, 0), 0);
	CHECK_EQ(fake_pages_out(), out - 512);
	CHECK_EQ(A->used_pages, used_a - 512);
	CHECK_INV();
	CHECK_WORLD_END();
}

TEST(exit_and_linux_upcall)
{
	CHECK(world());
	/* a Linux call without an upcall entry is a fault; with one it is
	 * reflected */
	CHECK_EQ(SYS(TB, SET_UPCALL, 0x5000, 0, 0, 0, 0, 0), 0);
	{
		uint64_t elr = TB->ctx.elr;

		CHECK(kh_switch_to(TB) == 0);
		TB->ctx.x[8] = 64; /* write(2) */
		CHECK_EQ(fake_svc(RIFT_SYS_LINUX), FAKE_RUNNING);
		CHECK_EQ(TB->ctx.elr, 0x5000);
		CHECK_EQ(fake_svc(RIFT_SYS_LINUX), FAKE_RUNNING);
		CHECK_EQ((long)TB->ctx.x[0], RIFT_KEDEADLK);
		CHECK_EQ(SYS(TB, UPCALL_RETURN, 0, 0, 0, 0, 0, 0), 0);
		CHECK_EQ(TB->ctx.elr, elr + 4);
	}
	/* no fault handler: an exiting thread just stops */
	CHECK_EQ(SYS(TB, EXIT, 3, 0, 0, 0, 0, 0), KH_BLOCKED);
	CHECK_EQ(TB->state, TS_FAULTED);
	CHECK_INV();
	CHECK_EQ(SYS(TA, NULL, 0, 0, 0, 0, 0, 0), 0);
	CHECK_EQ(kh_sys0(TA, 63), RIFT_KENOSYS);
	CHECK_EQ(SYS(TA, MEMINFO, ~0ull, 0, 0, 0, 0, 0), 0);
	CHECK_EQ(TA->ctx.x[3], A->used_pages);
	CHECK_EQ(TA->ctx.x[4], A->quota_pages);
	CHECK_INV();
	CHECK_WORLD_END();
}

/*
 * Issue 9: a domain that reaches a capability to an ancestor destroys the
 * domain it runs in. Refused (or handled exactly): the kernel stays
 * consistent and the caller learns the result.
 */
TEST(destroy_ancestor)
{
	volatile int rc = -1;
	volatile long r = 0;

	CHECK(world());
	/* B gets a capability to A (from R's), B's thread destroys A */
	CHECK_EQ(kh_copy(&kh_R->cspace[WORLD], B, 30, RIFT_RIGHTS_ALL, 0), 0);
	FAKE_TRY(rc, r = SYS(TB, DOMAIN_DESTROY, 30, 0, 0, 0, 0, 0));
	if (rc) {
		printf("  %s\n", fake_panic_msg);
	}
	CHECK_EQ(rc, 0);
	/* refused: only the parent's original destroys (decisions/
	 * domain-destroy-original-only.md) */
	CHECK_EQ(r, RIFT_KERIGHTS);
	CHECK_EQ(kh_R->cspace[WORLD].type, RIFT_CAP_DOMAIN);
	CHECK_EQ(TB->state, TS_RUNNABLE);
	/* nor its own domain through a copy A gave it */
	CHECK_EQ(SYS(TA, CAP_COPY, A_B, A_B, 31, RIFT_RIGHTS_ALL, 0, 0), 0);
	CHECK_EQ(SYS(TB, DOMAIN_DESTROY, 31, 0, 0, 0, 0, 0), RIFT_KERIGHTS);
	CHECK_INV();
	CHECK_WORLD_END();
}

/* ---------------------------------------------------------------- preemption */

/**
 * Issue @nr by @t once, then again each time it is restarted, checking the
 * invariants at every stop. Returns x0, the number of restarts in *@n.
 */
static long run_restarting(struct thread *t, uint32_t nr, uint64_t a0,
			   long *n, int *bad)
{
	*n = 0;
	*bad = 0;
	CHECK_EQ_RET(kh_switch_to(t), 0);
	t->ctx.x[0] = a0;
	fake_svc(nr);
	while (fake_restart_pending(t) == (int)nr) {
		/* every stop for short runs, then every 64th */
		if ((*n < 256 || *n % 64 == 0) && kh_check()) {
			printf("  invariant at restart %ld: %s\n", *n, kh_why);
			*bad = 1;
			return 1;
		}
		if (++*n > 1000000 || sched_current() != t) {
			*bad = 1;
			return 1;
		}
		fake_svc(nr);
	}
	return (long)(int64_t)t->ctx.x[0];
}

TEST(preempt_revoke)
{
	const uint32_t n = 200;
	long restarts, r;
	int bad;

	CHECK(world());
	CHECK_EQ(SYS(TA, ENDPOINT_CREATE, FREE, 0, 0, 0, 0, 0), 0);
	for (uint32_t i = 0; i < n; i++) {
		CHECK_EQ(SYS(TA, CAP_COPY, FREE + i, 0,
			     FREE + i + 1, RIFT_RIGHTS_ALL, 0, 0),
			 0);
	}
	/* every preemption point sees an interrupt: the revocation still
	 * finishes, one copy per step */
	fake_counters_reset();
	fake_preempt_every(1);
	r = run_restarting(TA, RIFT_SYS_CAP_REVOKE, FREE, &restarts, &bad);
	fake_preempt_every(0);
	CHECK(!bad);
	CHECK_EQ(r, 0);
	CHECK(restarts >= (long)n / 2);
	CHECK(A->cspace[FREE].dnext == NULL);
	CHECK_INV();
	CHECK_WORLD_END();
}

TEST(preempt_domain_destroy)
{
	long restarts, r;
	int bad;
	struct domain *d = B;

	CHECK(world());
	d = B;
	/* a nest of domains, each with a thread, objects and copies */
	for (uint32_t i = 0; i < 12 && d; i++) {
		struct domain *c = kh_domain(d, 40, 20 * (12 - i) + 30, 64, 100);

		CHECK(c != NULL);
		CHECK(kh_thread(c, T_SLOT, 50) != NULL);
		CHECK(kh_endpoint(c, T_SLOT + 2) != NULL);
		CHECK_EQ(kh_copy(&c->cspace[T_SLOT + 2], d, 41 + i % 8,
				 RIFT_RIGHTS_ALL, 0),
			 0);
		d = c;
	}
	CHECK_INV();
	fake_counters_reset();
	fake_preempt_every(1);
	r = run_restarting(TA, RIFT_SYS_DOMAIN_DESTROY, A_B, &restarts, &bad);
	fake_preempt_every(0);
	CHECK(!bad);
	CHECK_EQ(r, 0);
	CHECK(restarts > 50);
	CHECK_EQ(A->cspace[A_B].type, RIFT_CAP_NULL);
	CHECK_INV();
	/* the same, stopped at one arbitrary point after another */
	CHECK(kh_domain(A, A_B, 512, 128, 100) != NULL);
	for (uint32_t i = 0; i < 5; i++) {
		d = kh_domain(A->cspace[A_B].obj, 60 + i, 40, 64, 100);
		CHECK(d && kh_thread(d, T_SLOT, 50));
	}
	for (long k = 0;; k++) {
		fake_preempt_after(k * 7);
		r = run_restarting(TA, RIFT_SYS_DOMAIN_DESTROY, A_B, &restarts,
				   &bad);
		CHECK(!bad);
		if (A->cspace[A_B].type == RIFT_CAP_NULL) {
			break;
		}
		CHECK(k < 100000);
	}
	fake_preempt_after(-1);
	CHECK_INV();
	CHECK_WORLD_END();
}

/*
 * An interrupt that arrives during a long destruction is taken at the
 * next preemption point: the thread it wakes runs before the destruction
 * goes on.
 */
TEST(preempt_interrupt_latency)
{
	struct thread *hi;
	long r;

	CHECK(world());
	hi = kh_thread(A, T_SLOT + 2, 180);
	CHECK(hi != NULL);
	CHECK_EQ(kh_copy(&kh_R->cspace[RIFT_SLOT_IRQ_CONTROL], A, FREE + 5,
			 RIFT_RIGHTS_ALL, 0),
		 0);
	CHECK_EQ(SYS(hi, NOTIFICATION_CREATE, FREE, 0, 0, 0, 0, 0), 0);
	CHECK_EQ(sys6(hi, RIFT_SYS_IRQ_BIND, FREE + 5, 60, FREE + 1, FREE, 0),
		 0);
	CHECK_EQ(SYS(hi, WAIT, FREE, 0, 0, 0, 0, 0), KH_BLOCKED);
	for (uint32_t i = 0; i < 300; i++) {
		CHECK_EQ(SYS(TB, NOTIFICATION_CREATE, 100 + i, 0, 0, 0, 0, 0),
			 0);
	}
	/* the device interrupts while TA destroys B */
	fake_counters_reset();
	fake_irq_raise(60);
	CHECK(kh_switch_to(TA) == 0);
	TA->ctx.x[0] = A_B;
	fake_svc(RIFT_SYS_DOMAIN_DESTROY);
	CHECK_EQ(fake_restart_pending(TA), RIFT_SYS_DOMAIN_DESTROY);
	CHECK_EQ(fake.irq_pending_calls, 1); /* stopped at the first point */
	CHECK(sched_current() == hi);        /* the woken thread runs */
	CHECK(A->cspace[A_B].type == RIFT_CAP_DOMAIN);
	CHECK_INV();
	fake_irq_lower(60);
	CHECK_EQ(SYS(hi, IRQ_ACK, FREE + 1, 0, 0, 0, 0, 0), 0);
	CHECK_EQ(SYS(hi, WAIT, FREE, 0, 0, 0, 0, 0), KH_BLOCKED);
	/* TA's call goes on where it stopped */
	CHECK(sched_current() == TA);
	r = kh_sys(TA, RIFT_SYS_DOMAIN_DESTROY, A_B, 0, 0, 0, 0, 0);
	CHECK_EQ(r, 0);
	CHECK_EQ(A->cspace[A_B].type, RIFT_CAP_NULL);
	CHECK_INV();
	CHECK_WORLD_END();
}

TEST(preempt_large_frame)
{
	long restarts;
	uint64_t used;

	CHECK(world());
	used = A->used_pages;
	/* 2 MiB zeroed in FRAME_ZERO_CHUNK steps, a preemption point between */
	CHECK(kh_switch_to(TA) == 0);
	fake_preempt_every(1);
	TA->ctx.x[0] = 0;
	TA->ctx.x[1] = FREE;
	TA->ctx.x[2] = PMM_ORDER_2M;
	TA->ctx.x[3] = ~0ull;
	TA->ctx.x[4] = 0;
	fake_svc(RIFT_SYS_FRAME_ALLOC);
	restarts = 0;
	while (fake_restart_pending(TA) == RIFT_SYS_FRAME_ALLOC) {
		CHECK_EQ(A->cspace[FREE].type, RIFT_CAP_FRAME_PENDING);
		CHECK_EQ(A->used_pages, used + 512);
		CHECK_INV();
		restarts++;
		fake_svc(RIFT_SYS_FRAME_ALLOC);
	}
	fake_preempt_every(0);
	CHECK_EQ((long)TA->ctx.x[0], 0);
	CHECK_EQ(A->cspace[FREE].type, RIFT_CAP_FRAME_T);
	CHECK_EQ(restarts, (long)(MiB(2) / FRAME_ZERO_CHUNK) - 1);
	{
		const uint8_t *p = phys_to_virt(A->cspace[FREE].pa);

		for (uint64_t i = 0; i < MiB(2); i += 4096) {
			CHECK_EQ(p[i] | p[i + 4095], 0);
		}
	}
	/* a pending frame deleted half-way returns every page */
	CHECK(kh_switch_to(TA) == 0);
	fake_preempt_every(1);
	TA->ctx.x[0] = 0;
	TA->ctx.x[1] = FREE + 1;
	TA->ctx.x[2] = PMM_ORDER_2M;
	TA->ctx.x[3] = ~0ull;
	TA->ctx.x[4] = 0;
	fake_svc(RIFT_SYS_FRAME_ALLOC);
	fake_svc(RIFT_SYS_FRAME_ALLOC);
	fake_preempt_every(0);
	CHECK_EQ(A->cspace[FREE + 1].type, RIFT_CAP_FRAME_PENDING);
	CHECK_EQ(SYS(TA, CAP_DELETE, FREE + 1, 0, 0, 0, 0, 0), 0);
	CHECK_EQ(A->used_pages, used + 512);
	CHECK_INV();
	CHECK_WORLD_END();
}

/*
 * Issue 9's cap_deep_chain on the host: a derivation chain 10,000 deep
 * (each copy made from the last, alternating between two domains), revoked
 * from the root, once straight and once stopped at every preemption point;
 * memory back to what it was.
 */
TEST(deep_chain_10000)
{
	const uint32_t n = 10000;
	struct domain *x, *y;
	struct thread *tx, *ty;
	uint64_t out;

	CHECK(world_prio(8192, 100, 100));
	x = kh_domain(A, 40, 1024, RIFT_MAX_SLOTS, 100);
	y = kh_domain(A, 41, 1024, RIFT_MAX_SLOTS, 100);
	CHECK(x && y);
	tx = kh_thread(x, 1, 100);
	ty = kh_thread(y, 1, 100);
	CHECK(tx && ty);
	/* each may copy into the other */
	CHECK_EQ(kh_copy(&A->cspace[41], x, 3, RIFT_RIGHTS_ALL, 0), 0);
	CHECK_EQ(kh_copy(&A->cspace[40], y, 3, RIFT_RIGHTS_ALL, 0), 0);
	for (int pass = 0; pass < 2; pass++) {
		long restarts = 0;
		int bad = 0;

		out = fake_pages_out();
		CHECK_EQ(SYS(tx, ENDPOINT_CREATE, 10, 0, 0, 0, 0, 0), 0);
		for (uint32_t i = 0; i < n; i++) {
			struct thread *t = i % 2 ? ty : tx;
			uint64_t src = 10 + i / 2, dst = i % 2 ? 11 + i / 2 :
								 10 + i / 2;

			if (SYS(t, CAP_COPY, src, 3, dst, RIFT_RIGHTS_ALL, 0,
				0) != 0) {
				CHECK_EQ(i, n); /* which step failed */
			}
		}
		CHECK_INV();
		if (pass == 0) {
			CHECK_EQ(SYS(tx, CAP_REVOKE, 10, 0, 0, 0, 0, 0), 0);
		} else {
			fake_preempt_every(1);
			CHECK_EQ(run_restarting(tx, RIFT_SYS_CAP_REVOKE, 10,
						&restarts, &bad),
				 0);
			fake_preempt_every(0);
			CHECK(!bad);
			CHECK_EQ(restarts, n - 1);
		}
		CHECK(x->cspace[10].dnext == NULL);
		CHECK_EQ(SYS(tx, CAP_DELETE, 10, 0, 0, 0, 0, 0), 0);
		CHECK_EQ(fake_pages_out(), out);
		CHECK_INV();
	}
	CHECK_WORLD_END();
}

/*
 * Issue 9's domain_deep_nesting on the host: 1,500 nested domains, each
 * with a thread and an endpoint, destroyed from the top; memory back.
 */
TEST(deep_nesting)
{
	const uint32_t n = 1500;
	struct domain *d;
	uint64_t out;
	long restarts;
	int bad;

	CHECK(world_prio(12000, 100, 100));
	out = fake_pages_out();
	d = A;
	for (uint32_t i = 0; i < n; i++) {
		/* object + cspace (64 slots) + the child's quota; a root
		 * table of its own */
		d = kh_domain(d, i ? 10 : 40, 5 * (n - i) + 10, 64, 100);
		if (!d) {
			CHECK_EQ(i, n); /* which level failed */
		}
		if (i % 100 == 0) {
			CHECK(kh_endpoint(d, 20) != NULL);
		}
	}
	CHECK(kh_thread(d, 30, 10) != NULL);
	CHECK_EQ(d->level, n + 1);
	CHECK_INV();
	fake_preempt_every(3);
	CHECK_EQ(run_restarting(TA, RIFT_SYS_DOMAIN_DESTROY, 40, &restarts,
				&bad),
		 0);
	fake_preempt_every(0);
	CHECK(!bad);
	CHECK(restarts > (long)n / 3);
	CHECK_EQ(A->cspace[40].type, RIFT_CAP_NULL);
	CHECK_EQ(fake_pages_out(), out);
	CHECK_INV();
	CHECK_WORLD_END();
}

/*
 * A revocation stopped at a preemption point leaves a depth gap in the
 * chain (the original at 0, then a copy at 2). While it is unfinished the
 * revoked capability gives no new copies (RIFT_KEBUSY), so no copy can sit
 * in front of the gap and "adopt" descendants it is not the source of:
 * even if the revoking thread is destroyed and never resumes. (Found here:
 * the first rework let such a copy in, and deleting it deleted B's copy.)
 */
TEST(revoke_abandoned)
{
	struct thread *ta2;

	CHECK(world());
	ta2 = kh_thread(A, T_SLOT + 2, 100);
	CHECK(ta2 != NULL);
	CHECK_EQ(SYS(TA, ENDPOINT_CREATE, FREE, 0, 0, 0, 0, 0), 0);
	CHECK_EQ(SYS(TA, CAP_COPY, FREE, A_B, FREE, RIFT_RIGHTS_ALL, 0, 0), 0);
	CHECK_EQ(SYS(TB, CAP_COPY, FREE, 0, FREE + 1, RIFT_RIGHTS_ALL, 0, 0), 0);
	/* TA's revocation stops after its first step ... */
	CHECK(kh_switch_to(TA) == 0);
	fake_preempt_after(0);
	TA->ctx.x[0] = FREE;
	fake_svc(RIFT_SYS_CAP_REVOKE);
	fake_preempt_after(-1);
	CHECK_EQ(fake_restart_pending(TA), RIFT_SYS_CAP_REVOKE);
	CHECK_EQ(A->cspace[FREE].dnext->depth, 2);
	CHECK_INV();
	/* ... and never resumes: TA is destroyed */
	CHECK_EQ(SYS(ta2, CAP_DELETE, T_SLOT, 0, 0, 0, 0, 0), 0);
	CHECK_INV();
	/* no new copy of the revoked capability meanwhile */
	CHECK_EQ(SYS(ta2, CAP_COPY, FREE, 0, FREE + 2, RIFT_RIGHTS_ALL, 0, 0),
		 RIFT_KEBUSY);
	CHECK_EQ(B->cspace[FREE + 1].type, RIFT_CAP_ENDPOINT_T);
	/* a new revocation finishes the job; then copies are possible */
	CHECK_EQ(SYS(ta2, CAP_REVOKE, FREE, 0, 0, 0, 0, 0), 0);
	CHECK_EQ(B->cspace[FREE + 1].type, RIFT_CAP_NULL);
	CHECK_EQ(SYS(ta2, CAP_COPY, FREE, 0, FREE + 2, RIFT_RIGHTS_ALL, 0, 0),
		 0);
	CHECK_INV();
	CHECK_WORLD_END();
}

/*
 * Revoking the IRQ_CONTROL a line was bound with unbinds it: the handler
 * stays (inert: IRQ_ACK gives RIFT_KEGONE, the line is not delivered) and
 * the line can be bound again by whoever has the authority.
 */
TEST(irq_control_revoked)
{
	uint64_t u;

	CHECK(world());
	/* R lends A a copy; A binds line 50 with it */
	CHECK_EQ(kh_copy(&kh_R->cspace[RIFT_SLOT_IRQ_CONTROL], kh_R, FREE,
			 RIFT_RIGHTS_ALL, 0),
		 0);
	CHECK_EQ(kh_copy(&kh_R->cspace[FREE], A, FREE + 5, RIFT_RIGHTS_ALL, 0),
		 0);
	CHECK_EQ(SYS(TA, NOTIFICATION_CREATE, FREE, 0, 0, 0, 0, 0), 0);
	CHECK_EQ(sys6(TA, RIFT_SYS_IRQ_BIND, FREE + 5, 50, FREE + 1, FREE, 1),
		 0);
	CHECK_INV();
	/* R takes it back */
	CHECK(kh_super_wake() == 0);
	CHECK_EQ(kh_sys1(kh_T0, RIFT_SYS_CAP_REVOKE, FREE), 0);
	kh_super_sleep();
	CHECK_EQ(A->cspace[FREE + 5].type, RIFT_CAP_NULL);
	CHECK_EQ(A->cspace[FREE + 1].type, RIFT_CAP_IRQ_HANDLER);
	CHECK_INV();
	CHECK_EQ(SYS(TA, IRQ_ACK, FREE + 1, 0, 0, 0, 0, 0), RIFT_KEGONE);
	u = irq_unhandled_count;
	fake_irq_raise(50);
	fake_interrupt();
	CHECK_EQ(irq_unhandled_count, u + 1);
	CHECK_EQ(SYS(TA, POLL, FREE, 0, 0, 0, 0, 0), 0);
	CHECK_EQ(TA->ctx.x[1], 0);
	CHECK(!fake_irq_enabled(50));
	/* the line is free again: bound through a new copy */
	CHECK_EQ(kh_copy(&kh_R->cspace[FREE], A, FREE + 5, RIFT_RIGHTS_ALL, 0),
		 0);
	CHECK_EQ(sys6(TA, RIFT_SYS_IRQ_BIND, FREE + 5, 50, FREE + 2, FREE, 1),
		 0);
	CHECK(fake_irq_enabled(50));
	CHECK_INV();
	CHECK_WORLD_END();
	CHECK(kh_super_wake() == 0);
	CHECK_EQ(kh_sys1(kh_T0, RIFT_SYS_CAP_DELETE, FREE), 0);
	kh_super_sleep();
	CHECK_INV();
	CHECK_EQ(fake_pages_out(), kh_base_pages_out);
}

/*
 * With 8-bit ASIDs (ID_AA64MMFR0) more domains than ASIDs still run: a
 * domain draws its ASID when it first runs in a generation; when none is
 * left the generation turns over with a full user TLB invalidation. No two
 * domains of the current generation share an ASID, and the one running is
 * the one the address-space switch was given.
 */
static int asids_distinct(void)
{
	struct domain *ds[KH_MAX_LIST];
	uint32_t n = kh_domains(ds, KH_MAX_LIST);
	uint64_t gen = 0;
	static uint8_t seen[256];

	for (uint32_t i = 0; i < n; i++) {
		gen = MAX(gen, ds[i]->asid_gen);
	}
	memset(seen, 0, sizeof(seen));
	for (uint32_t i = 0; i < n; i++) {
		if (ds[i]->asid_gen != gen) {
			continue;
		}
		if (ds[i]->asid == 0 || ds[i]->asid > 255 ||
		    seen[ds[i]->asid]++) {
			return -1;
		}
	}
	return 0;
}

TEST(asid_rollover)
{
	const uint32_t n = 300;
	struct thread *ts[300];
	uint64_t rollovers;

	CHECK(world_prio(12000, 100, 100));
	fake_set_asid_bits(8);
	fake_counters_reset();
	for (uint32_t i = 0; i < n; i++) {
		struct domain *d = kh_domain(A, 100 + i, 8, 64, 100);

		CHECK(d != NULL);
		ts[i] = kh_thread(d, 10, 100);
		CHECK(ts[i] != NULL);
	}
	CHECK_INV();
	for (int round = 0; round < 2; round++) {
		for (uint32_t i = 0; i < n; i++) {
			CHECK_EQ(kh_sys0(ts[i], RIFT_SYS_NULL), 0);
			CHECK_EQ(fake.user_asid, ts[i]->dom->asid);
			CHECK_EQ(fake.user_root, ts[i]->dom->pt.root);
			if (i % 50 == 0) {
				CHECK(asids_distinct() == 0);
			}
		}
	}
	rollovers = fake.tlb_flush_all_user;
	CHECK(rollovers >= 2);
	CHECK(asids_distinct() == 0);
	fake_set_asid_bits(16);
	CHECK_INV();
	CHECK_WORLD_END();
}

/* Tick notifications: signalled from the timer interrupt; gone with the
 * notification. */
TEST(tick_notifications)
{
	CHECK(world());
	CHECK_EQ(kh_copy(&kh_R->cspace[RIFT_SLOT_IRQ_CONTROL], A, FREE + 5,
			 RIFT_RIGHTS_ALL, 0),
		 0);
	CHECK_EQ(SYS(TA, NOTIFICATION_CREATE, FREE, 0, 0, 0, 0, 0), 0);
	CHECK_EQ(SYS(TA, CAP_COPY, FREE, 0, FREE + 1, RIFT_RIGHTS_ALL, 0x40, 0),
		 0);
	/* an IRQ control range without the timer's interrupt: refused */
	CHECK_EQ(SYS(TA, CAP_CARVE, FREE + 5, FREE + 6, 32, 64,
		     RIFT_RIGHTS_ALL, 0),
		 0);
	CHECK_EQ(SYS(TA, TICK_BIND, FREE + 6, FREE + 1, 0, 0, 0, 0),
		 RIFT_KERANGE);
	CHECK_EQ(SYS(TA, TICK_BIND, FREE + 5, FREE + 1, 0, 0, 0, 0), 0);
	CHECK_EQ(SYS(TA, WAIT, FREE, 0, 0, 0, 0, 0), KH_BLOCKED);
	CHECK_INV();
	fake_tick();
	CHECK_EQ(TA->state, TS_RUNNABLE);
	CHECK_EQ(TA->ctx.x[1], 0x40);
	/* revoking the badged copy ends the subscription */
	CHECK_EQ(SYS(TA, CAP_REVOKE, FREE, 0, 0, 0, 0, 0), 0);
	CHECK_INV();
	fake_tick();
	CHECK_EQ(SYS(TA, POLL, FREE, 0, 0, 0, 0, 0), 0);
	CHECK_EQ(TA->ctx.x[1], 0);
	CHECK_WORLD_END();
}

/* The checker itself: each kind of damage it exists to find is found. */
/* Guests: a guest domain inside A, its vCPU's exits served by TA. */
static int guest_exit(struct thread *v, uint32_t kind, uint64_t addr,
		      uint64_t access, uint64_t value)
{
	struct vcpu_exit e = { .kind = kind,
			       .insn_len = kind == RIFT_EXIT_HVC ? 0 : 4,
			       .pc = v->ctx.elr,
			       .addr = addr, .access = access,
			       .value = value };

	if (kh_switch_to(v)) {
		return -1;
	}
	return fake_guest_exit(&e);
}

TEST(guest_vcpu_exits)
{
	struct domain *g;
	struct thread *v;
	uint64_t pages = fake_pages_out(), vmid;
	long r;

	CHECK(world());
	g = kh_domain(A, FREE, 1024, 128, 200);
	CHECK(g != NULL);
	/* the RMA: a 2 MiB frame made in the guest, A keeps a copy */
	CHECK_EQ(SYS(TA, FRAME_ALLOC, FREE, 8, 9, ~0ull, FREE + 1, 0), 0);
	CHECK_EQ(SYS(TA, GUEST_INIT, FREE, FREE + 1, 0x40100000, 0, 0, 0),
		 RIFT_KERANGE); /* not aligned to the RMA */
	CHECK_EQ(SYS(TA, GUEST_INIT, 0, FREE + 1, 0x40000000, 0, 0, 0),
		 RIFT_KEINVAL); /* not oneself */
	CHECK_EQ(SYS(TA, GUEST_INIT, FREE, FREE + 1, 0x40000000, 0, 0, 0), 0);
	vmid = TA->ctx.x[1];
	CHECK(g->guest && vmid > 0 && g->vmid == vmid);
	CHECK_EQ(g->s2_blocks[1], 1);
	CHECK_EQ(SYS(TA, GUEST_INIT, FREE, FREE + 1, 0x40000000, 0, 0, 0),
		 RIFT_KEBUSY);
	CHECK_EQ(SYS(TA, THREAD_CREATE, FREE, 20, 100, 0, 0, 0), RIFT_KEINVAL);
	/* more RAM: a 4 KiB page at an IPA, then the vCPU */
	CHECK_EQ(SYS(TA, FRAME_ALLOC, FREE, 10, 0, ~0ull, 0, 0), 0);
	CHECK_EQ(SYS(TA, MAP, FREE, 10, 0x40200000,
		     RIFT_MAP_READ | RIFT_MAP_WRITE | RIFT_MAP_EXEC, 1, 0),
		 0);
	CHECK_EQ(g->s2_blocks[2], 1);
	CHECK_EQ(SYS(TA, ENDPOINT_CREATE, FREE + 2, 0, 0, 0, 0, 0), 0);
	CHECK_EQ(SYS(TA, VCPU_CREATE, FREE, 9, 201, FREE + 3, FREE + 2, 0x77),
		 RIFT_KEINVAL); /* above the guest's maximum priority */
	CHECK_EQ(SYS(TA, VCPU_CREATE, FREE, 9, 100, FREE + 3, FREE + 2, 0x77),
		 0);
	CHECK_EQ(kh_slot(A, FREE + 3)->type, RIFT_CAP_VCPU);
	v = ((struct vcpu *)kh_slot(A, FREE + 3)->obj)->thread;
	CHECK_EQ(v->state, TS_INACTIVE);
	CHECK_EQ(v->ctx.spsr, 0x3c5);
	CHECK_EQ(SYS(TA, VCPU_WRITE, FREE + 3, RIFT_VREG_PSTATE, 0x3c9, 0, 0,
		     0),
		 RIFT_KEINVAL); /* never EL2 */
	CHECK_EQ(SYS(TA, VCPU_WRITE, FREE + 3, RIFT_VREG_PC, 0x40000000, 0, 0,
		     0),
		 0);
	CHECK_EQ(SYS(TA, VCPU_WRITE, FREE + 3, RIFT_VREG_VBAR_EL1, 0x40000800,
		     0, 0, 0),
		 0);
	CHECK_EQ(SYS(TA, VCPU_READ, FREE + 3, RIFT_VREG_VBAR_EL1, 0, 0, 0, 0),
		 0);
	CHECK_EQ(TA->ctx.x[1], 0x40000800);
	CHECK_EQ(SYS(TA, VCPU_READ, FREE + 3, RIFT_VREG_COUNT, 0, 0, 0, 0),
		 RIFT_KEINVAL);
	CHECK_EQ(SYS(TA, VCPU_IRQ, FREE + 3, RIFT_VIRQ_MAX, RIFT_VIRQ_SET, 0, 0,
		     0),
		 RIFT_KERANGE);
	CHECK_EQ(SYS(TA, VCPU_RESUME, FREE + 3, 0, 0, 0, 0, 0), 0);
	CHECK_EQ(SYS(TA, VCPU_RESUME, FREE + 3, 0, 0, 0, 0, 0), RIFT_KEBUSY);
	CHECK(strstr(fake_log(), "RMA 2 MiB at 40000000, stage 2: 0 x 1 GiB, "
				 "1 x 2 MiB, 1 x 4 KiB blocks"));
	/* HVC: the VMM gets the call, its reply sets x0..x1 */
	CHECK_EQ(SYS(TA, RECV, FREE + 2, 0, 0, 0, 0, 0), KH_BLOCKED);
	v->ctx.x[0] = 0x84000000;
	CHECK_EQ(guest_exit(v, RIFT_EXIT_HVC, 0, 0, 0), FAKE_RUNNING);
	CHECK_EQ(v->state, TS_BLOCKED_REPLY);
	CHECK_EQ(TA->state, TS_RUNNABLE);
	CHECK_EQ(TA->ctx.x[1], RIFT_VCPU_EXIT_LABEL);
	CHECK_EQ(RIFT_INFO_WORDS(TA->ctx.x[2]), RIFT_VCPU_EXIT_WORDS);
	CHECK_EQ(TA->ctx.x[3], RIFT_EXIT_HVC);
	CHECK_EQ(TA->ctx.x[8], 0x77);
	CHECK_EQ(kh_ipcbuf(TA)->mr[6], 0x84000000);
	CHECK_INV();
	r = kh_sys(TA, RIFT_SYS_REPLY, 0, RIFT_VCPU_DONE, RIFT_INFO(2, 0),
		   0x10001, 5, 0);
	CHECK_EQ(r, 0);
	CHECK_EQ(v->state, TS_RUNNABLE);
	CHECK_EQ(v->ctx.x[0], 0x10001);
	CHECK_EQ(v->ctx.x[1], 5);
	/* MMIO: a sign-extending halfword load into w5 */
	CHECK_EQ(SYS(TA, RECV, FREE + 2, 0, 0, 0, 0, 0), KH_BLOCKED);
	CHECK_EQ(guest_exit(v, RIFT_EXIT_MMIO, 0x09000000,
			    2 | (5u << 16) | RIFT_ACCESS_SIGN, 0),
		 FAKE_RUNNING);
	r = kh_sys(TA, RIFT_SYS_REPLY, 0, RIFT_VCPU_DONE, RIFT_INFO(1, 0),
		   0x128001, 0, 0);
	CHECK_EQ(r, 0);
	CHECK_EQ(v->ctx.x[5], 0xffff8001);
	CHECK_EQ(v->ctx.elr, 0x40000004);
	/* UNDEF: into the guest's own vector */
	CHECK_EQ(SYS(TA, RECV, FREE + 2, 0, 0, 0, 0, 0), KH_BLOCKED);
	CHECK_EQ(guest_exit(v, RIFT_EXIT_SYSREG, 0, 8, 0), FAKE_RUNNING);
	CHECK_EQ(kh_sys(TA, RIFT_SYS_REPLY, 0, RIFT_VCPU_UNDEF, 0, 0, 0, 0), 0);
	CHECK_EQ(v->ctx.elr, 0x40000800);
	/* WFI blocks until an enabled interrupt is pending */
	CHECK_EQ(guest_exit(v, 0, 0, 0, 0), FAKE_RUNNING);
	CHECK_EQ(v->state, TS_BLOCKED_WFI);
	CHECK_EQ(SYS(TA, VCPU_IRQ, FREE + 3, 40, RIFT_VIRQ_SET, 0, 0, 0), 0);
	CHECK_EQ(v->state, TS_BLOCKED_WFI); /* disabled: stays asleep */
	CHECK_EQ(SYS(TA, VCPU_IRQ, FREE + 3, 40, RIFT_VIRQ_ENABLE, 0, 0, 0), 0);
	CHECK_EQ(v->state, TS_RUNNABLE);
	CHECK_INV();
	/* an exit nobody answers: the VMM receives again; the vCPU stops */
	CHECK_EQ(SYS(TA, RECV, FREE + 2, 0, 0, 0, 0, 0), KH_BLOCKED);
	CHECK_EQ(guest_exit(v, RIFT_EXIT_HVC, 0, 0, 0), FAKE_RUNNING);
	CHECK_EQ(SYS(TA, NBRECV, FREE + 2, 0, 0, 0, 0, 0), RIFT_KEAGAIN);
	CHECK_EQ(v->state, TS_INACTIVE);
	CHECK(strstr(fake_log(), "exit not answered"));
	/* stop and resume; then a stop while it waits for its reply */
	CHECK_EQ(SYS(TA, VCPU_RESUME, FREE + 3, 0, 0, 0, 0, 0), 0);
	CHECK_EQ(guest_exit(v, RIFT_EXIT_MMIO, 0x1000, 8, 0), FAKE_RUNNING);
	CHECK_EQ(v->state, TS_BLOCKED_SEND);
	CHECK_EQ(SYS(TA, VCPU_STOP, FREE + 3, 0, 0, 0, 0, 0), 0);
	CHECK_EQ(v->state, TS_INACTIVE);
	CHECK_INV();
	/* destroying the guest frees it all, and its VMID */
	CHECK_EQ(SYS(TA, DOMAIN_DESTROY, FREE, 0, 0, 0, 0, 0), 0);
	CHECK_EQ(kh_slot(A, FREE + 1)->type, RIFT_CAP_NULL);
	CHECK_EQ(kh_slot(A, FREE + 3)->type, RIFT_CAP_NULL);
	CHECK_INV();
	g = kh_domain(A, FREE, 1024, 128, 200);
	CHECK_EQ(SYS(TA, FRAME_ALLOC, FREE, 8, 9, ~0ull, FREE + 1, 0), 0);
	CHECK_EQ(SYS(TA, GUEST_INIT, FREE, FREE + 1, 0x40000000, 0, 0, 0), 0);
	CHECK_EQ(TA->ctx.x[1], vmid);
	CHECK_WORLD_END();
	CHECK_EQ(fake_pages_out(), pages);
}

TEST(checker_finds_damage)
{
	struct cap *c;
	struct cap *save;

	CHECK(world());
	CHECK_EQ(SYS(TA, ENDPOINT_CREATE, FREE, 0, 0, 0, 0, 0), 0);
	CHECK_EQ(SYS(TA, CAP_COPY, FREE, A_B, FREE, RIFT_RIGHTS_ALL, 0, 0), 0);
	CHECK_EQ(SYS(TA, CAP_COPY, FREE, 0, FREE + 1, RIFT_RIGHTS_ALL, 0, 0), 0);
	CHECK_INV();
	/* a broken back link */
	c = &A->cspace[FREE + 1];
	save = c->dprev;
	c->dprev = NULL;
	CHECK(kh_check() != 0 && strstr(kh_why, "dprev"));
	c->dprev = save;
	/* a copy at depth 0 */
	{
		uint32_t d = c->depth;

		c->depth = 0;
		CHECK(kh_check() != 0 && strstr(kh_why, "depth"));
		c->depth = d;
	}
	/* a wrong holder */
	c->holder_obj = B;
	CHECK(kh_check() != 0 && strstr(kh_why, "not in a slot"));
	c->holder_obj = A;
	/* a page charged and not held */
	A->used_pages++;
	CHECK(kh_check() != 0 && strstr(kh_why, "charged"));
	A->used_pages--;
	/* a capability left off its chain */
	{
		struct cap *n = c->dnext, *p = c->dprev;

		p->dnext = n;
		if (n) {
			n->dprev = p;
		}
		CHECK(kh_check() != 0 && strstr(kh_why, "derivation chains"));
		p->dnext = c;
		if (n) {
			n->dprev = c;
		}
	}
	CHECK_INV();
	CHECK_WORLD_END();
}

TEST(panic_is_caught)
{
	volatile int rc = -1;

	FAKE_TRY(rc, panic("test panic %d", 42));
	CHECK_EQ(rc, FAKE_PANIC);
	CHECK(strcmp(fake_panic_msg, "PANIC: test panic 42") == 0);
	FAKE_TRY(rc, (void)0);
	CHECK_EQ(rc, 0);
	/* the kernel's own CHECK(): an original over a full slot */
	FAKE_TRY(rc, cap_make_original(&kh_R->cspace[RIFT_SLOT_SELF],
				       RIFT_CAP_ENDPOINT_T, NULL, 0, 0, 0, 0));
	CHECK_EQ(rc, FAKE_PANIC);
	CHECK(strstr(fake_panic_msg, "CHECK failed at kernel/core/cap.c") !=
	      NULL);
	CHECK_EQ(kh_R->cspace[RIFT_SLOT_SELF].type, RIFT_CAP_DOMAIN);
	CHECK_INV();
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_ENTRY(boot),
		TEST_ENTRY(panic_is_caught),
		TEST_ENTRY(cap_copy_delete_revoke),
		TEST_ENTRY(derivation_chain_deep),
		TEST_ENTRY(domain_create_destroy_quota),
		TEST_ENTRY(domain_nesting),
		TEST_ENTRY(ipc_call_reply),
		TEST_ENTRY(ipc_send_queue_and_destroy),
		TEST_ENTRY(ipc_cap_transfer),
		TEST_ENTRY(notifications),
		TEST_ENTRY(scheduler_priorities),
		TEST_ENTRY(scheduler_round_robin),
		TEST_ENTRY(thread_delete_self),
		TEST_ENTRY(fault_to_handler),
		TEST_ENTRY(irq_to_notification),
		TEST_ENTRY(fastpath_same_as_general),
		TEST_ENTRY(frames_and_mapping), TEST_ENTRY(dma_pin_defers_free), TEST_ENTRY(frame_carve),
		TEST_ENTRY(exit_and_linux_upcall),
		TEST_ENTRY(destroy_ancestor),
		TEST_ENTRY(preempt_revoke),
		TEST_ENTRY(preempt_domain_destroy),
		TEST_ENTRY(preempt_interrupt_latency),
		TEST_ENTRY(preempt_large_frame),
		TEST_ENTRY(deep_chain_10000),
		TEST_ENTRY(deep_nesting),
		TEST_ENTRY(revoke_abandoned),
		TEST_ENTRY(irq_control_revoked),
		TEST_ENTRY(asid_rollover),
		TEST_ENTRY(tick_notifications),
		TEST_ENTRY(guest_vcpu_exits), TEST_ENTRY(checker_finds_damage),
	};

	kh_boot();
	return test_run(cases, ARRAY_SIZE(cases));
}

const char *test_suite = "kcore";
