/* SPDX-License-Identifier: MIT */
/*
 * Kernel objects and capabilities.
 *
 * Ownership. Every object is made "in" a domain: it is charged to that
 * domain's memory quota and its *original* capability sits in that domain's
 * cspace. Deleting an original first revokes every capability derived from
 * it (anywhere: other cspaces, or held inside the kernel) and then destroys
 * the object and returns its memory. Destroying a domain deletes every
 * capability in its cspace, so it frees exactly what was made in it, and
 * removes every right it handed out.
 *
 * Derivation. All capabilities to one object form a chain in preorder with
 * depths, anchored at the original (depth 0): a copy is inserted right after
 * its parent with depth + 1, so the descendants of a capability are the
 * entries after it with a greater depth (the seL4 mapping-database idea,
 * per object).
 *
 * Every capability points at its chain's original (->orig), so finding it is
 * O(1); the original outlives every copy, so the pointer never dangles.
 *
 * Deletion is iterative and preemptible. Revoking walks the chain forward,
 * unlinking one copy per step (copies never own objects, so nothing
 * recurses). Deleting an original destroys its object; a domain is torn
 * down in phases (threads stopped, slots emptied, tables freed) with its
 * progress kept in the domain itself, and nested domains are descended
 * into iteratively, never recursively. Every step is bounded; between
 * steps the kernel looks for a pending interrupt and, if there is one,
 * returns RIFT_KPREEMPT: the system call is restarted after the interrupt
 * and continues where it stopped (docs/kernel-api.md, "Preemption points").
 *
 * Kernel-held capabilities. Where the kernel keeps a reference to an object
 * (a thread's IPC buffer frame, a domain's fault endpoint, an interrupt's
 * notification) it holds a derived capability of its own, with a holder
 * tag; revoking it empties that capability, and the kernel checks its type
 * before every use, so no object is reachable after its last capability is
 * gone.
 */
#ifndef RIFT_OBJECT_H
#define RIFT_OBJECT_H

#include <rift/abi.h>
#include <rift/list.h>
#include <rift/pgtable.h>
#include <rift/types.h>
#include <arch/trap.h>

struct domain;
struct thread;

enum cap_holder {
	HOLDER_SLOT = 0,       /**< a slot of a domain's cspace */
	HOLDER_IPCBUF = 1,     /**< thread->ipcbuf_cap */
	HOLDER_FAULT_EP = 2,   /**< domain->fault_cap */
	HOLDER_IRQ_NOTIF = 3,  /**< irq handler's notification */
	HOLDER_KLOG_NOTIF = 4, /**< the kernel log's console notification */
	HOLDER_TICK_NOTIF = 5, /**< a tick subscription (irqcap.c) */
	HOLDER_IRQ_CTL = 6,    /**< irq handler's IRQ_CONTROL authority */
	HOLDER_RMA = 7,        /**< a guest domain's Real Mode Area frame */
	HOLDER_VCPU_EP = 8,    /**< a vCPU's exit endpoint */
};

struct cap {
	uint8_t type;     /**< enum rift_cap_type; RIFT_CAP_NULL = empty */
	uint8_t rights;   /**< RIFT_RIGHT_* */
	uint8_t holder;   /**< enum cap_holder */
	uint8_t original; /**< the object's anchor capability */
	uint32_t depth;   /**< derivation depth, original = 0 */
	uint8_t map_flags; /**< RIFT_MAP_* of its mapping, if mapped */
	uint8_t revoking;  /**< a preempted revoke of its copies is under way */
	uint64_t badge;   /**< endpoints and notifications */
	void *obj;        /**< kernel object; NULL for frames and device */
	paddr_t pa;       /**< frames, device range: base */
	uint64_t size;    /**< frames, device range: bytes */
	struct domain *map_dom; /**< frame mapped through this cap, or NULL */
	vaddr_t map_va;
	struct cap *dnext; /**< derivation chain, preorder */
	struct cap *dprev;
	struct cap *orig;  /**< the chain's original (this cap, for an original) */
	void *holder_obj; /**< domain owning the slot, or the holding object */
	/** On the original of a frame: live mappings through any cap of its
	 * chain, writable and executable, so W^X holds per frame, not just
	 * per mapping. (A RIFT_CAP_FRAME_PENDING cap is never mapped; its
	 * ->map_va counts the bytes zeroed so far.) */
	uint32_t maps_w;
	uint32_t maps_x;
};

/** Header of every kernel object allocated from a domain's quota. */
struct kobj {
	uint16_t type;         /**< enum rift_cap_type */
	uint8_t dying;         /**< being destroyed: no new capabilities, no new waiters */
	uint8_t pad;
	uint32_t order;        /**< pages of the allocation, as a pmm order */
	paddr_t pa;            /**< the allocation */
	struct domain *charged; /**< quota charged */
};

struct endpoint {
	struct kobj hdr;
	struct list senders;   /**< threads blocked sending/calling */
	struct list receivers; /**< threads blocked receiving */
};

struct notification {
	struct kobj hdr;
	uint64_t word;
	struct list waiters;
};

enum thread_state {
	TS_INACTIVE,      /**< created, not started, or stopped */
	TS_RUNNABLE,      /**< in a run queue or running */
	TS_BLOCKED_SEND,  /**< in endpoint->senders */
	TS_BLOCKED_RECV,  /**< in endpoint->receivers */
	TS_BLOCKED_REPLY, /**< waiting for ->replier to reply */
	TS_BLOCKED_NOTIF, /**< in notification->waiters */
	TS_FAULTED,       /**< fault delivered or not deliverable; waits for its supervisor */
	TS_BLOCKED_WFI,   /**< a vCPU in WFI: woken by a virtual interrupt */
};

struct fault_info {
	uint32_t kind; /**< enum rift_fault_kind, 0 = none */
	uint64_t addr;
	uint64_t pc;
	uint64_t syndrome;
};

#define FP_STATE_WORDS 66 /* q0-q31 (64 words) + fpsr + fpcr */

struct thread {
	struct kobj hdr;
	struct trap_frame ctx; /**< user registers; SP_EL2 points past it while running */
	uint64_t tls;          /**< TPIDR_EL0 (musl's thread pointer), saved on switch */
	uint64_t fp[FP_STATE_WORDS] __aligned(16);
	struct domain *dom;
	uint32_t id;
	uint8_t prio;
	uint8_t state;      /**< enum thread_state */
	uint8_t ipc_call;   /**< blocked sender is a call (wants a reply) */
	uint8_t in_upcall;  /**< inside the Linux syscall upcall handler */
	uint8_t reply_grant; /**< blocked caller: the reply may carry capabilities */
	uint32_t slice;     /**< ticks left in this time slice */
	uint32_t cpu;
	uint64_t ipc_badge; /**< badge of the cap a blocked sender used */
	struct list qlink;  /**< run queue, endpoint or notification queue */
	struct list dlink;  /**< domain->threads */
	void *blocked_on;   /**< endpoint or notification */
	struct thread *reply_to; /**< caller this thread must reply to */
	struct thread *replier;  /**< thread holding our reply */
	struct cap ipcbuf_cap;   /**< kernel-held copy of the IPC buffer frame */
	vaddr_t ipcbuf_va;
	uint64_t upcall_elr;  /**< where a Linux syscall returns to */
	uint64_t upcall_spsr;
	struct fault_info fault;
	struct vcpu *vcpu;    /**< this thread is a guest's vCPU (rift/vcpu.h) */
};

struct domain {
	struct kobj hdr;
	char name[32];
	uint32_t id;
	uint32_t cspace_slots;
	struct cap *cspace;
	uint32_t cspace_order; /**< pages of the cspace, as a pmm order */
	paddr_t cspace_pa;
	struct pgtable pt;
	uint16_t asid;         /**< valid while asid_gen is current */
	uint64_t asid_gen;
	uint8_t max_prio;
	bool dying;
	bool building;         /**< cspace not yet zeroed (domain_build()) */
	uint64_t build_zeroed; /**< cspace bytes zeroed so far */
	uint64_t quota_pages; /**< memory this domain may hold */
	uint64_t used_pages;  /**< memory charged to it now */
	struct domain *parent; /**< quota came from here */
	uint64_t upcall_entry;
	struct cap fault_cap; /**< kernel-held copy of the fault endpoint */
	struct list threads;
	uint32_t thread_count;
	uint32_t level;        /**< nesting depth: the first domain is 0 */
	struct cap *orig_cap;  /**< its original capability (in the parent's cspace) */
	/* Teardown (domain.c), kept here so that it resumes after preemption. */
	uint8_t teardown;      /**< enum domain_teardown */
	uint32_t td_cursor;    /**< next cspace slot to empty */
	struct domain *td_resume; /**< deepest domain being torn down under this one */
	struct list stopped;   /**< threads already stopped by the teardown */
	/* Guests (GUEST_INIT): stage-2 address space, VMID, RMA. */
	bool guest;
	bool guest_reported;   /**< its stage-2 blocks were logged */
	uint16_t vmid;
	paddr_t rma_ipa;
	struct cap rma_cap;    /**< kernel-held copy of the RMA frame */
	uint64_t s2_blocks[3]; /**< stage-2 leaves: 1 GiB, 2 MiB, 4 KiB */
};

enum domain_teardown {
	TD_ALIVE = 0,
	TD_THREADS, /**< stopping threads */
	TD_SLOTS,   /**< emptying the cspace */
	TD_TABLES,  /**< freeing translation tables */
	TD_DONE,    /**< nothing left but the object and its cspace */
};

/** Frame capability flags (kept in ->badge, unused for frames). */
#define FRAME_DEVICE 1ull /**< device memory: mapped uncached, never freed */
#define FRAME_KERNEL 2ull /**< kernel memory lent read-only: never freed */

/**
 * Internal result of a long operation interrupted at a preemption point:
 * never returned to a domain; the dispatcher restarts the system call.
 */
#define RIFT_KPREEMPT (-1000)

/* cap.c */
struct cap *cap_lookup(struct domain *d, uint64_t cptr);
struct cap *cap_slot_empty(struct domain *d, uint64_t cptr, int *err);
void cap_make_original(struct cap *slot, uint8_t type, void *obj, paddr_t pa,
		       uint64_t size, uint8_t rights, uint64_t badge);
int cap_derive(struct cap *src, struct cap *dst, uint8_t rights_mask,
	       uint64_t badge, uint8_t holder, void *holder_obj);
/** The source-only checks of cap_derive(): RIFT_KOK if it could copy. */
int cap_derive_check(const struct cap *src, uint64_t badge);
/** Delete @c and everything derived from it: RIFT_KOK or RIFT_KPREEMPT. */
int cap_delete(struct cap *c);
/** Delete everything derived from @c: RIFT_KOK or RIFT_KPREEMPT. */
int cap_revoke(struct cap *c);
/** Unlink @c from its chain, drop its mapping and empty it. O(1); the
 * caller has dealt with its object and its copies. */
void cap_empty(struct cap *c);
/** Empty a kernel-held copy (no descendants, never an original). */
void cap_drop(struct cap *c);
/** Is there an interrupt to take? Checked between bounded steps. */
bool preempt_pending(void);
static inline struct cap *cap_original_of(struct cap *c)
{
	return c->orig;
}

/* obj.c: object memory from a domain's quota */
int kobj_alloc(struct domain *charged, uint32_t type, uint32_t order,
	       void **out);
void kobj_free(struct kobj *o);
int quota_charge(struct domain *d, uint64_t pages);
void quota_uncharge(struct domain *d, uint64_t pages);
int frame_alloc_pages(struct domain *d, uint32_t order, int node,
		      paddr_t *pa);
int frame_alloc_pages_raw(struct domain *d, uint32_t order, int node,
			  paddr_t *pa);
/** Bytes zeroed per step of a large frame (docs/kernel-api.md). */
#define FRAME_ZERO_CHUNK 65536u
/** Zero FRAME_ZERO_CHUNK bytes per step; @clean: also clean them to the
 * point of coherency (frames: guests, devices). */
int frame_zero_steps(paddr_t pa, uint64_t size, uint64_t *done, bool clean);
void frame_free_pages(struct domain *d, paddr_t pa, uint32_t order);

/* domain.c */
extern struct domain *root_domain;
struct domain *domain_create_root(const char *name, uint32_t slots);
int domain_pt_alloc(struct domain *d, paddr_t *pa);
void domain_pt_free(struct domain *d, paddr_t pa);
int domain_create(struct domain *parent, const char *name, uint64_t quota,
		  uint32_t slots, uint8_t max_prio, struct domain **out);
int domain_build(struct domain *d);
/** Tear down the domain of original capability @c and empty @c:
 * RIFT_KOK or RIFT_KPREEMPT (call again to continue). */
int domain_destroy(struct cap *c);

int domain_map_frame(struct domain *d, struct cap *frame, vaddr_t va,
		     uint32_t rights);
void domain_unmap_frame(struct cap *frame);
void domain_activate(struct domain *d);
/** A user domain's (never a guest's) address space: the IPC fast path,
 * which never switches to or from a vCPU. */
void domain_activate_user(struct domain *d);
/** The same when leaving a guest: nothing if @d's table is still there. */
void domain_activate_after_guest(struct domain *d);
struct domain *domain_of_slot(struct cap *c);

/* endpoint / notification destruction (ipc.c): wake one waiter per step;
 * RIFT_KOK when the object is freed, or RIFT_KPREEMPT */
int endpoint_destroy(struct endpoint *ep);
int notification_destroy(struct notification *n);

/** The first domain stopped (exit or fault): report and power off. */
void __noreturn kernel_root_stopped(struct thread *t);

/* klog.c */
void klog_init_ring(void);
paddr_t klog_ring_pa(void);
int klog_attach(struct cap *frame, struct cap *notif);
void klog_panic_mode(void);
void klog_detach(void);
uint64_t klog_head(void);

/* sched.c */
void thread_destroy(struct thread *t);

#endif
