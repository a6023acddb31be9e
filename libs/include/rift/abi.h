/* SPDX-License-Identifier: MIT */
/*
 * The rift kernel ABI: system call numbers, register conventions, the IPC
 * buffer layout, capability types and rights, fault messages, and the
 * initial capability slots of the first domain. Shared by the kernel and
 * user level; the reference is docs/kernel-api.md.
 *
 * System calls are `svc #N`: the SVC immediate N is the call number.
 * `svc #0` is the Linux ABI that musl uses (x8 = Linux number, x0-x5 args):
 * the kernel does not implement it but reflects it to the domain's runtime
 * (an "upcall", see RIFT_SYS_SET_UPCALL). Arguments are in x0..x7; results
 * come back in x0 (0 or a negative RIFT_E* error) and, for some calls, in
 * x1..x8. Registers not named as results are preserved.
 */
#ifndef RIFT_ABI_H
#define RIFT_ABI_H

#include <stdint.h>

enum rift_sys {
	RIFT_SYS_LINUX = 0, /* musl's svc #0: reflected to the runtime */
	RIFT_SYS_NULL = 1,  /* does nothing; returns 0 (benchmarks) */
	RIFT_SYS_DEBUG_WRITE = 2, /* x0 = len (<= RIFT_DEBUG_WRITE_MAX): write ipcbuf->data[0..len) to the kernel log */
	RIFT_SYS_SET_UPCALL = 3,  /* x0 = entry PC for Linux syscalls (0 = none) */
	RIFT_SYS_UPCALL_RETURN = 4, /* back to the instruction after svc #0 */
	RIFT_SYS_YIELD = 5,
	RIFT_SYS_EXIT = 6,        /* x0 = status: the calling thread stops; its domain's fault handler gets RIFT_FAULT_EXIT */

	/* IPC: x0 = endpoint cptr, x1 = label, x2 = info, x3..x7 = MR0..MR4,
	 * MR5.. in ipcbuf->mr[5..]. Received: x0 = 0/error, x1 = label,
	 * x2 = info, x3..x7 = MR0..MR4, x8 = badge. */
	RIFT_SYS_CALL = 16,
	RIFT_SYS_SEND = 17,
	RIFT_SYS_NBSEND = 18,
	RIFT_SYS_RECV = 19,
	RIFT_SYS_NBRECV = 20,
	RIFT_SYS_REPLY = 21,      /* x0 ignored; replies to the last caller */
	RIFT_SYS_REPLY_RECV = 22, /* reply, then receive on x0 */

	/* Notifications: x0 = notification cptr. */
	RIFT_SYS_SIGNAL = 24, /* OR the cap's badge into the word */
	RIFT_SYS_WAIT = 25,   /* block until non-zero; x1 = word (cleared) */
	RIFT_SYS_POLL = 26,   /* x1 = word (cleared), never blocks */

	/* Capabilities (cptr = slot index in the caller's cspace). */
	RIFT_SYS_CAP_INFO = 32,   /* x0 = cptr -> x1 = type, x2 = rights, x3 = badge, x4 = size order (frames) */
	RIFT_SYS_CAP_COPY = 33,   /* x0 = src, x1 = dst domain cptr (0 = self), x2 = dst slot, x3 = rights mask, x4 = badge (0 = keep) */
	RIFT_SYS_CAP_DELETE = 34, /* x0 = cptr */
	RIFT_SYS_CAP_REVOKE = 35, /* x0 = cptr: delete every copy derived from it */

	/* Objects. An object made "in" domain D is charged to D's memory
	 * quota and its original capability goes into D's cspace, so that
	 * destroying D frees it; the caller may get a derived copy. */
	RIFT_SYS_FRAME_ALLOC = 40,  /* x0 = domain cptr (0 = self), x1 = slot there, x2 = size order (0..18: 4 KiB .. 1 GiB, naturally aligned), x3 = node (-1 = any), x4 = caller's copy slot (0 = none) */
	RIFT_SYS_MAP = 41,          /* x0 = domain cptr (0 = self), x1 = frame cptr, x2 = va, x3 = RIFT_MAP_*, x4 = 1: x1 names a slot of that domain (not the caller's) */
	RIFT_SYS_UNMAP = 42,        /* x0 = frame cptr */
	RIFT_SYS_ENDPOINT_CREATE = 43,     /* x0 = dst slot */
	RIFT_SYS_NOTIFICATION_CREATE = 44, /* x0 = dst slot */
	RIFT_SYS_DOMAIN_CREATE = 45, /* x0 = dst slot (in the parent), x1 = memory quota (pages, taken from the parent's), x2 = cspace slots, x3 = max priority, x4 = parent domain cptr (0 = self), x5 = caller's copy slot (0 = none); ipcbuf->data = NUL-terminated name (<= 31 chars); returns x1 = the new domain's id */
	RIFT_SYS_DOMAIN_DESTROY = 46, /* x0 = the domain's original capability (only its parent holds it); preemptible */
	RIFT_SYS_DOMAIN_SET_FAULT = 47, /* x0 = domain cptr, x1 = endpoint cptr, x2 = badge */
	RIFT_SYS_THREAD_CREATE = 48, /* x0 = domain cptr (0 = self), x1 = slot there, x2 = priority, x3 = caller's copy slot (0 = none) */
	RIFT_SYS_THREAD_START = 49,  /* x0 = thread cptr, x1 = pc, x2 = sp, x3 = arg (x0 of the thread) */
	RIFT_SYS_THREAD_SET_IPCBUF = 50, /* x0 = thread cptr, x1 = frame cptr (4 KiB), x2 = va where it is mapped */
	RIFT_SYS_DEVICE_FRAME = 51, /* x0 = device cptr, x1 = dst slot, x2 = physical address, x3 = size order: a frame inside the device range, derived from it */
	RIFT_SYS_CAP_CARVE = 52,    /* x0 = DEVICE or IRQ_CONTROL cptr, x1 = dst slot, x2 = base (bytes, or first INTID), x3 = size (bytes, or INTID count), x4 = rights mask: a narrower child of x0 */
	RIFT_SYS_DMA_PIN = 53,      /* x0 = DMA_CONTROL cptr, x1 = RAM frame cptr, x2 = dst slot: a DMA_PIN capability there; returns x1 = physical address, x2 = size (bytes). The frame's memory is not reused until every pin of it is deleted, even after its capabilities are gone */

	/* Interrupts. */
	RIFT_SYS_IRQ_BIND = 56, /* x0 = irq control cptr, x1 = INTID, x2 = dst slot, x3 = notification cptr, x4 = trigger (0 level, 1 edge) */
	RIFT_SYS_IRQ_ACK = 57,  /* x0 = irq handler cptr: unmask; returns x1 = deliveries so far */
	RIFT_SYS_TICK_BIND = 59, /* x0 = irq control cptr (its range must hold the kernel timer's INTID), x1 = notification cptr: signalled every kernel tick (at most 4 bound) */

	/* Kernel log: x0 = the log frame cptr (RIFT_SLOT_KLOG), x1 = a
	 * notification cptr. From then on the kernel writes its log (and
	 * RIFT_SYS_DEBUG_WRITE lines) only into the ring, not the UART, and
	 * signals the notification when it adds a line. Returns x1 = ring size,
	 * x2 = the ring's head at attach (read from there). */
	RIFT_SYS_KLOG_ATTACH = 58,

	/* Information. */
	RIFT_SYS_MEMINFO = 60, /* x0 = node -> x1 = free pages of the machine on node, x2 = total pages, x3 = caller pool used pages, x4 = caller pool quota */
	RIFT_SYS_DOMAIN_INFO = 61, /* -> x1 = domain id, x2 = cspace slots, x3 = max priority */
	RIFT_SYS_DEBUG_RECURSE = 62, /* debug kernels only (RIFT_DEBUG): x0 = depth; recurses in the kernel to test the stack guard */

	/* Guests (docs/guests-kernel.md). A guest is a domain turned into one
	 * by GUEST_INIT: a stage-2 address space with a VMID, vCPUs as its
	 * only threads. */
	RIFT_SYS_GUEST_INIT = 64,  /* x0 = domain cptr (fresh), x1 = RMA frame cptr (caller's copy of a frame made in that domain; order 9..18), x2 = guest RAM base IPA (aligned to the RMA): returns x1 = VMID */
	RIFT_SYS_VCPU_CREATE = 65, /* x0 = guest domain cptr, x1 = slot there, x2 = priority, x3 = caller's copy slot (0 = none), x4 = exit endpoint cptr, x5 = exit badge (0 = keep), x6 = MPIDR affinity: returns x1 = vCPU id */
	RIFT_SYS_VCPU_RESUME = 66, /* x0 = vCPU cptr: a stopped vCPU runs from its registers */
	RIFT_SYS_VCPU_STOP = 67,   /* x0 = vCPU cptr: stop it (an exit call in flight is cancelled) */
	RIFT_SYS_VCPU_READ = 68,   /* x0 = vCPU cptr, x1 = RIFT_VREG_*: returns x1 = value */
	RIFT_SYS_VCPU_WRITE = 69,  /* x0 = vCPU cptr, x1 = RIFT_VREG_*, x2 = value */
	RIFT_SYS_VCPU_IRQ = 70,    /* x0 = vCPU cptr, x1 = virtual INTID (0..1019), x2 = RIFT_VIRQ_*, x3 = priority (RIFT_VIRQ_PRIORITY) */

	RIFT_SYS_COUNT = 80,
};

/* Errors returned in x0. */
enum rift_kerr {
	RIFT_KOK = 0,
	RIFT_KEINVAL = -22,   /* bad argument */
	RIFT_KENOSYS = -38,   /* unknown system call */
	RIFT_KECAP = -100,    /* empty slot or slot out of range */
	RIFT_KETYPE = -101,   /* capability of the wrong type */
	RIFT_KERIGHTS = -102, /* capability lacks a right */
	RIFT_KEFULL = -103,   /* destination slot not empty */
	RIFT_KENOMEM = -104,  /* pool quota or physical memory exhausted */
	RIFT_KEBUSY = -105,   /* already mapped, already bound, already started */
	RIFT_KEAGAIN = -106,  /* non-blocking operation would block */
	RIFT_KEGONE = -107,   /* the peer or object was destroyed */
	RIFT_KERANGE = -108,  /* address or size out of range */
	RIFT_KEDEADLK = -109, /* Linux syscall from inside the upcall handler */
	RIFT_KELIMIT = -110,  /* a fixed kernel limit (nesting depth, derivation depth) */
};

/* Bytes per RIFT_SYS_DEBUG_WRITE: keeps the call inside the kernel's
 * interrupt-latency bound (docs/kernel-api.md). */
#define RIFT_DEBUG_WRITE_MAX 256

/* Largest cspace (slots). Its memory comes from the parent's quota and is
 * zeroed in preemptible steps when the domain is made. */
#define RIFT_MAX_SLOTS 16384

/* IPC message info word (x2). */
#define RIFT_INFO_WORDS(info) ((uint32_t)(info)&0x7f)       /* 0..64 */
#define RIFT_INFO_CAPS(info) (((uint32_t)(info) >> 8) & 0x7) /* 0..4 */
#define RIFT_INFO(words, caps) ((uint64_t)(words) | ((uint64_t)(caps) << 8))
/* Bits 14..12: unused bytes in the last word (0..7), carried unchanged by
 * the kernel so byte-oriented users (IDL) keep exact lengths. */
#define RIFT_INFO_PAD(info) (((uint32_t)(info) >> 12) & 0x7)
#define RIFT_INFO_WITH_PAD(info, pad) ((info) | ((uint64_t)(pad) << 12))
#define RIFT_INFO_MASK 0x777full /* words 6..0, caps 10..8, pad 14..12 */
#define RIFT_MSG_REG_WORDS 5 /* MR0..MR4 travel in x3..x7 */
#define RIFT_IPC_WORDS 64
#define RIFT_IPC_CAPS 4

/**
 * The per-thread IPC buffer: one 4 KiB frame, mapped in the thread's domain
 * and registered with RIFT_SYS_THREAD_SET_IPCBUF. The kernel reads and
 * writes it through its own mapping of the frame, never through a user
 * pointer.
 */
struct rift_ipcbuf {
	uint64_t mr[RIFT_IPC_WORDS];        /* message words; mr[0..4] unused (registers) */
	uint64_t send_caps[RIFT_IPC_CAPS];  /* cptrs to transfer (need grant right) */
	uint64_t recv_slots[RIFT_IPC_CAPS]; /* empty slots for received caps */
	uint64_t recv_types[RIFT_IPC_CAPS]; /* types of received caps (RIFT_CAP_*) */
	uint64_t user[8];                   /* free for the runtime (TLS pointer etc.) */
	uint8_t data[2048];                 /* byte area: DEBUG_WRITE, names */
};

/* Capability types (RIFT_SYS_CAP_INFO x1, recv_types[]). */
enum rift_cap_type {
	RIFT_CAP_NULL = 0,
	RIFT_CAP_DOMAIN = 1,
	RIFT_CAP_THREAD = 2,
	RIFT_CAP_ENDPOINT_T = 3,
	RIFT_CAP_NOTIFICATION_T = 4,
	RIFT_CAP_FRAME_T = 5,
	RIFT_CAP_IRQ_CONTROL = 6,
	RIFT_CAP_IRQ_HANDLER = 7,
	RIFT_CAP_DEVICE = 8, /* a range of device MMIO: [base, base + size) */
	RIFT_CAP_FRAME_PENDING = 9, /* a large frame whose FRAME_ALLOC was preempted while zeroing: repeat the call to finish it, or delete it */
	RIFT_CAP_DMA_CONTROL = 10, /* may pin RAM frames for DMA and learn their physical addresses (RIFT_SYS_DMA_PIN) */
	RIFT_CAP_DMA_PIN = 11,     /* a pinned frame: its memory is not reused until this capability is deleted */
	RIFT_CAP_VCPU = 12, /* a virtual CPU of a guest domain */
};

/* Rights. */
#define RIFT_RIGHT_READ (1u << 0)
#define RIFT_RIGHT_WRITE (1u << 1)
#define RIFT_RIGHT_GRANT (1u << 2) /* may transfer capabilities through it */
#define RIFT_RIGHT_GRANT_REPLY (1u << 3) /* endpoints: replies to calls made with it may carry capabilities */
#define RIFT_RIGHTS_ALL 15u

/* RIFT_SYS_MAP flags. */
#define RIFT_MAP_READ (1u << 0)
#define RIFT_MAP_WRITE (1u << 1)
#define RIFT_MAP_EXEC (1u << 2)

/* Fault messages: sent by the kernel on behalf of a faulting thread to its
 * domain's fault endpoint. label = RIFT_FAULT_LABEL, badge = the one set
 * with RIFT_SYS_DOMAIN_SET_FAULT, MR0 = kind, MR1 = address, MR2 = pc,
 * MR3 = syndrome (ESR) or exit status, MR4 = the faulting domain's id. */
#define RIFT_FAULT_LABEL 0xfa017ull
enum rift_fault_kind {
	RIFT_FAULT_DATA = 1,    /* bad data access (MR1 = address) */
	RIFT_FAULT_INSN = 2,    /* bad instruction fetch */
	RIFT_FAULT_UNDEF = 3,   /* undefined instruction */
	RIFT_FAULT_ALIGN = 4,   /* PC/SP alignment */
	RIFT_FAULT_SYSCALL = 5, /* svc #0 (Linux) with no upcall set; MR1 = x8 (the Linux number) */
	RIFT_FAULT_EXIT = 6,    /* RIFT_SYS_EXIT: MR3 = status */
	RIFT_FAULT_OTHER = 7,
};

/*
 * Guest exits: a vCPU exit the kernel cannot finish is an IPC call from the
 * vCPU to its exit endpoint: label = RIFT_VCPU_EXIT_LABEL, badge = the exit
 * badge, RIFT_VCPU_EXIT_WORDS words: MR0 = RIFT_EXIT_*, MR1 = ESR_EL2,
 * MR2 = guest PC, MR3 = IPA (MMIO, IABT, DABT) / immediate (HVC, SMC) /
 * RIFT_EXIT_SYSREG_ENC (SYSREG), MR4 = access (RIFT_ACCESS_*: MMIO, SYSREG),
 * MR5 = the value written, MR6..MR9 = guest x0..x3. The reply's label is a
 * RIFT_VCPU_* action; its words are the result (docs/guests-kernel.md).
 */
#define RIFT_VCPU_EXIT_LABEL 0xe417ull
#define RIFT_VCPU_EXIT_WORDS 10
enum rift_exit_kind {
	RIFT_EXIT_MMIO = 1,   /* data abort at an IPA with no stage-2 mapping, decoded */
	RIFT_EXIT_HVC = 2,
	RIFT_EXIT_SMC = 3,
	RIFT_EXIT_SYSREG = 4, /* trapped MSR/MRS */
	RIFT_EXIT_IABT = 5,   /* instruction fetch from an unmapped IPA */
	RIFT_EXIT_DABT = 6,   /* data abort the kernel cannot decode (ISV = 0, ...) */
	RIFT_EXIT_OTHER = 7,  /* any other exception from the guest */
};
#define RIFT_EXIT_SYSREG_ENC(op0, op1, crn, crm, op2)                       \
	(((uint64_t)(op0) << 16) | ((uint64_t)(op1) << 12) |                \
	 ((uint64_t)(crn) << 8) | ((uint64_t)(crm) << 4) | (uint64_t)(op2))
#define RIFT_ACCESS_SIZE(a) ((uint32_t)(a)&0xff) /* bytes: 1, 2, 4, 8 */
#define RIFT_ACCESS_WRITE (1u << 8)
#define RIFT_ACCESS_REG(a) (((uint32_t)(a) >> 16) & 0x1f) /* Rt; 31 = zero register */
#define RIFT_ACCESS_SIGN (1u << 24) /* sign-extend a read */
#define RIFT_ACCESS_64 (1u << 25)   /* Rt is an X register */
/* Reply actions (label of the reply to an exit). */
enum rift_vcpu_action {
	RIFT_VCPU_DONE = 0,  /* complete: read result MR0 -> Rt and PC += 4 (MMIO, SYSREG); HVC: x0.. = MR0.. (reply words, <= 4); SMC: same and PC += 4 */
	RIFT_VCPU_RETRY = 1, /* resume as is (registers set with VCPU_WRITE) */
	RIFT_VCPU_UNDEF = 2, /* inject an undefined-instruction exception into the guest */
	RIFT_VCPU_STOP = 3,  /* stop the vCPU (VCPU_RESUME restarts it) */
};

/* vCPU register ids (RIFT_SYS_VCPU_READ/WRITE). 0..30 are x0..x30. */
enum rift_vreg {
	RIFT_VREG_X0 = 0,
	RIFT_VREG_SP_EL0 = 31,
	RIFT_VREG_PC = 32,
	RIFT_VREG_PSTATE = 33, /* SPSR format; AArch64 EL0t, EL1t or EL1h only */
	RIFT_VREG_SP_EL1 = 34,
	RIFT_VREG_ELR_EL1 = 35,
	RIFT_VREG_SPSR_EL1 = 36,
	RIFT_VREG_SCTLR_EL1 = 37,
	RIFT_VREG_TTBR0_EL1 = 38,
	RIFT_VREG_TTBR1_EL1 = 39,
	RIFT_VREG_TCR_EL1 = 40,
	RIFT_VREG_MAIR_EL1 = 41,
	RIFT_VREG_VBAR_EL1 = 42,
	RIFT_VREG_ESR_EL1 = 43,
	RIFT_VREG_FAR_EL1 = 44,
	RIFT_VREG_TPIDR_EL1 = 45,
	RIFT_VREG_CONTEXTIDR_EL1 = 46,
	RIFT_VREG_CPACR_EL1 = 47,
	RIFT_VREG_CNTKCTL_EL1 = 48,
	RIFT_VREG_CNTV_CTL = 49,
	RIFT_VREG_CNTV_CVAL = 50,
	RIFT_VREG_CNTVOFF = 51,
	RIFT_VREG_MPIDR = 52,
	RIFT_VREG_PAR_EL1 = 53,
	RIFT_VREG_AFSR0_EL1 = 54,
	RIFT_VREG_AFSR1_EL1 = 55,
	RIFT_VREG_AMAIR_EL1 = 56,
	RIFT_VREG_TPIDR_EL0 = 57,
	RIFT_VREG_TPIDRRO_EL0 = 58,
	RIFT_VREG_CSSELR_EL1 = 59,
	RIFT_VREG_MDSCR_EL1 = 60,
	RIFT_VREG_COUNT = 61,
};

/* RIFT_SYS_VCPU_IRQ operations. Every INTID starts disabled (GIC reset). */
enum rift_virq_op {
	RIFT_VIRQ_CLEAR = 0,    /* clear pending */
	RIFT_VIRQ_SET = 1,      /* make pending (wakes a vCPU in WFI if enabled) */
	RIFT_VIRQ_DISABLE = 2,
	RIFT_VIRQ_ENABLE = 3,
	RIFT_VIRQ_PRIORITY = 4, /* x3 = priority (0 highest .. 255) */
};
#define RIFT_VIRQ_DEFAULT_PRIORITY 0xa0
#define RIFT_VIRQ_MAX 1020
#define RIFT_VTIMER_INTID 27 /* the guest's EL1 virtual timer, raised by the kernel */

/* Initial capability slots of the first domain (the supervisor). */
enum rift_boot_slot {
	RIFT_SLOT_NULL = 0,
	RIFT_SLOT_SELF = 1,        /* its own domain */
	RIFT_SLOT_THREAD = 2,      /* its first thread */
	RIFT_SLOT_IRQ_CONTROL = 3, /* all interrupts */
	RIFT_SLOT_DEVICE = 4,      /* all device MMIO (not RAM) */
	RIFT_SLOT_IPCBUF = 5,      /* frame of its IPC buffer */
	RIFT_SLOT_DMA_CONTROL = 6, /* pin frames for DMA (RIFT_SYS_DMA_PIN) */
	RIFT_SLOT_KLOG = 7,        /* the kernel log ring: one 2 MiB frame, read-only */
	RIFT_SLOT_FIRST_FREE = 64,
};

/**
 * The kernel log ring, at the start of the RIFT_SLOT_KLOG frame. The kernel
 * appends whole lines; head counts every byte ever written, so a reader
 * keeping its own tail sees data[tail % size .. head % size) and knows it
 * lost (head - tail - size) bytes if it fell more than size behind.
 */
struct rift_klog {
	uint64_t head;  /* bytes written so far (monotonic) */
	uint64_t size;  /* bytes in data[] */
	uint64_t lost;  /* lines dropped because a single line was too long */
	uint64_t reserved[5];
	uint8_t data[]; /* at offset 64 */
};
#define RIFT_KLOG_FRAME_ORDER 9 /* 2 MiB */

/* Where the kernel maps things for the first domain. */
#define RIFT_BOOT_IPCBUF_VA 0x0000001000000000ull
#define RIFT_BOOT_INITRD_VA 0x0000002000000000ull /* the boot archive */
#define RIFT_BOOT_FDT_VA 0x0000003000000000ull    /* the hardware device tree */
#define RIFT_BOOT_STACK_TOP 0x0000004000000000ull

/* auxv entries the kernel/supervisor add for rift (beyond Linux's). */
#define RIFT_AT_IPCBUF 0x5241 /* VA of the IPC buffer */
#define RIFT_AT_INITRD 0x5242 /* VA of the boot archive (first domain) */
#define RIFT_AT_INITRD_SIZE 0x5243
#define RIFT_AT_FDT 0x5244 /* VA of the hardware device tree (first domain) */
#define RIFT_AT_SLOT_LIMIT 0x5245 /* slots from here to the end hold the program image: the runtime must not use them */

#endif
