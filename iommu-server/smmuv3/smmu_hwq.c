/* SPDX-License-Identifier: MIT */
/*
 * The SMMU's registers and queues (IHI 0070 chapters 3.5 and 6): enabling
 * it with every stream refused, commands with completion checked by
 * CMD_SYNC, the event queue and global errors.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <rift/syscall.h>

#include "smmu_regs.h"
#include "smmu_srv.h"

/** Polls of an acknowledgement register before giving up. */
#define SMMU_POLL_LIMIT 1000000u

uint64_t smmu_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static uint32_t rd32(struct smmu_srv *s, uint32_t off)
{
	return *(volatile uint32_t *)(s->regs + off);
}

static void wr32(struct smmu_srv *s, uint32_t off, uint32_t v)
{
	*(volatile uint32_t *)(s->regs + off) = v;
}

static void wr64(struct smmu_srv *s, uint32_t off, uint64_t v)
{
	*(volatile uint64_t *)(s->regs + off) = v;
}

/** Makes memory writes visible to the SMMU before a register write. */
static void smmu_publish(void)
{
	__asm__ volatile("dsb ishst" ::: "memory");
}

/** Writes @v to @reg and waits until @ack reads it back. */
static int smmu_write_ack(struct smmu_srv *s, uint32_t reg, uint32_t ack,
			  uint32_t v, const char *what)
{
	wr32(s, reg, v);
	for (uint32_t i = 0; i < SMMU_POLL_LIMIT; i++) {
		if (rd32(s, ack) == v) {
			return 0;
		}
		if (i % 64 == 63) {
			rift_yield();
		}
	}
	printf("smmuv3: %s: no acknowledgement (wrote 0x%x, reads 0x%x)\n",
	       what, v, rd32(s, ack));
	return -1;
}

uint64_t *smmu_hwq_cd(struct smmu_srv *s, uint32_t i, uint64_t *pa)
{
	*pa = s->mem_pa + SMMU_MEM_CD + 64ull * i;
	return (uint64_t *)(s->mem + SMMU_MEM_CD + 64u * i);
}

/** Checks the ID registers; fills the server's view of the SMMU. */
static int smmu_probe(struct smmu_srv *s)
{
	uint32_t idr0 = rd32(s, SMMU_IDR0);
	uint32_t idr1 = rd32(s, SMMU_IDR1);
	uint32_t idr5 = rd32(s, SMMU_IDR5);
	uint32_t ttf = (idr0 >> SMMU_IDR0_TTF_SHIFT) & 3;
	uint32_t sidsize = idr1 & SMMU_IDR1_SIDSIZE_MASK;

	printf("smmuv3: IDR0 0x%08x IDR1 0x%08x IDR5 0x%08x\n", idr0, idr1,
	       idr5);
	if (!(idr0 & SMMU_IDR0_S1P) || !(ttf & 2) ||
	    !(idr5 & SMMU_IDR5_GRAN4K)) {
		printf("smmuv3: needs stage 1 with AArch64 tables and 4 KiB "
		       "pages; this SMMU has S1P %u TTF %u GRAN4K %u\n",
		       (idr0 >> 1) & 1, ttf, (idr5 >> 4) & 1);
		return -1;
	}
	if (((idr1 >> SMMU_IDR1_CMDQS_SHIFT) & 0x1f) < SMMU_CMDQ_LOG2 ||
	    ((idr1 >> SMMU_IDR1_EVENTQS_SHIFT) & 0x1f) < SMMU_EVTQ_LOG2) {
		printf("smmuv3: queues smaller than this server needs\n");
		return -1;
	}
	s->strtab_log2 = (uint8_t)(sidsize < SMMU_STRTAB_LOG2_MAX ?
				   sidsize : SMMU_STRTAB_LOG2_MAX);
	s->ips = (uint8_t)(idr5 & SMMU_IDR5_OAS_MASK);
	s->asid16 = (idr0 & SMMU_IDR0_ASID16) != 0;
	if (!(idr0 & SMMU_IDR0_COHACC)) {
		printf("smmuv3: note: IDR0.COHACC = 0 (table walks not "
		       "coherent); this server assumes coherent walks\n");
	}
	return 0;
}

/**
 * GBPA.ABORT: DMA of every stream is aborted while SMMUEN = 0. QEMU 7.2
 * has no GBPA (reads 0, writes ignored): there, nothing stops DMA while
 * the SMMU is off, which is why bus mastering stays off until then.
 */
static void smmu_gbpa_abort(struct smmu_srv *s)
{
	wr32(s, SMMU_GBPA, SMMU_GBPA_ABORT | SMMU_GBPA_UPDATE);
	for (uint32_t i = 0; i < 1000; i++) {
		if (!(rd32(s, SMMU_GBPA) & SMMU_GBPA_UPDATE)) {
			break;
		}
	}
	printf("smmuv3: GBPA %s\n", (rd32(s, SMMU_GBPA) & SMMU_GBPA_ABORT) ?
	       "aborts while disabled" :
	       "not implemented: DMA passes while the SMMU is off");
}

int smmu_hwq_enable(struct smmu_srv *s)
{
	uint64_t cmd[2][SMMU_CMD_WORDS];
	uint32_t cr0;

	if (smmu_probe(s)) {
		return -1;
	}
	if (rd32(s, SMMU_CR0) & SMMU_CR0_SMMUEN) {
		/* A previous server left it on: its tables went with it. */
		printf("smmuv3: the SMMU is enabled already; a restarted DMA "
		       "server is not supported yet (docs/dma.md)\n");
		return -1;
	}
	smmu_gbpa_abort(s);
	if (smmu_write_ack(s, SMMU_CR0, SMMU_CR0ACK, 0, "CR0 off") ||
	    smmu_write_ack(s, SMMU_IRQ_CTRL, SMMU_IRQ_CTRLACK, 0,
			   "IRQ_CTRL off")) {
		return -1;
	}
	/* Every STE invalid (zeroed): C_BAD_STE for every stream. */
	memset(s->mem, 0, SMMU_MEM_POOL);
	smmu_publish();
	wr32(s, SMMU_CR1, SMMU_CR1_WB_ISH);
	wr32(s, SMMU_CR2, SMMU_CR2_RECINVSID | SMMU_CR2_PTM);
	wr64(s, SMMU_STRTAB_BASE, SMMU_BASE_RA |
	     (s->mem_pa + SMMU_MEM_STRTAB));
	wr32(s, SMMU_STRTAB_BASE_CFG, s->strtab_log2); /* FMT 0: linear */
	wr64(s, SMMU_CMDQ_BASE, SMMU_BASE_RA | (s->mem_pa + SMMU_MEM_CMDQ) |
	     SMMU_CMDQ_LOG2);
	wr32(s, SMMU_CMDQ_PROD, 0);
	wr32(s, SMMU_CMDQ_CONS, 0);
	s->cmd_prod = 0;
	wr64(s, SMMU_EVENTQ_BASE, SMMU_BASE_RA |
	     (s->mem_pa + SMMU_MEM_EVTQ) | SMMU_EVTQ_LOG2);
	wr32(s, SMMU_EVENTQ_PROD, 0);
	wr32(s, SMMU_EVENTQ_CONS, 0);
	cr0 = SMMU_CR0_CMDQEN;
	if (smmu_write_ack(s, SMMU_CR0, SMMU_CR0ACK, cr0, "CMDQEN")) {
		return -1;
	}
	/* Forget anything cached from before: configuration and TLB. */
	smmu_cmd_cfgi_all(cmd[0]);
	smmu_cmd_tlbi_all(cmd[1]);
	if (smmu_hwq_run(s, (const uint64_t(*)[SMMU_CMD_WORDS])cmd, 2)) {
		return -1;
	}
	cr0 |= SMMU_CR0_EVENTQEN;
	if (smmu_write_ack(s, SMMU_CR0, SMMU_CR0ACK, cr0, "EVENTQEN") ||
	    smmu_write_ack(s, SMMU_IRQ_CTRL, SMMU_IRQ_CTRLACK,
			   SMMU_IRQ_GERROR | SMMU_IRQ_EVENTQ, "IRQ_CTRL")) {
		return -1;
	}
	cr0 |= SMMU_CR0_SMMUEN;
	if (smmu_write_ack(s, SMMU_CR0, SMMU_CR0ACK, cr0, "SMMUEN")) {
		return -1;
	}
	printf("smmuv3: enabled: %u stream ids (linear table), every stream "
	       "refused until attached; %u table pages\n",
	       1u << s->strtab_log2, s->pool.pages);
	return 0;
}

/** Reads CMDQ_CONS; on a command error, skips it and says so. */
static bool smmu_cmdq_error(struct smmu_srv *s, uint32_t cons)
{
	uint32_t gerror = rd32(s, SMMU_GERROR) ^ rd32(s, SMMU_GERRORN);
	uint64_t *bad;

	if (!(gerror & SMMU_GERROR_CMDQ_ERR)) {
		return false;
	}
	bad = (uint64_t *)(s->mem + SMMU_MEM_CMDQ +
			   16u * (cons & ((1u << SMMU_CMDQ_LOG2) - 1)));
	printf("smmuv3: command error %u at index %u (opcode 0x%02llx); "
	       "skipped\n", SMMU_CMDQ_CONS_ERR(cons),
	       cons & ((1u << SMMU_CMDQ_LOG2) - 1),
	       (unsigned long long)(smmu_get64(bad) & 0xff));
	/* Replace the bad command by a harmless CMD_SYNC and go on. */
	{
		uint64_t sync[SMMU_CMD_WORDS];

		smmu_cmd_sync(sync);
		smmu_put64(bad, sync[0]);
		smmu_put64(bad + 1, sync[1]);
	}
	smmu_publish();
	wr32(s, SMMU_GERRORN, rd32(s, SMMU_GERRORN) ^ SMMU_GERROR_CMDQ_ERR);
	/* The SMMU resumes on the acknowledgement; QEMU's only consumes
	 * when PROD is written, so write it again (harmless elsewhere). */
	wr32(s, SMMU_CMDQ_PROD, s->cmd_prod);
	return true;
}

int smmu_hwq_run(struct smmu_srv *s, const uint64_t (*cmds)[SMMU_CMD_WORDS],
		 uint32_t n)
{
	uint64_t sync[SMMU_CMD_WORDS];
	bool failed = false;
	uint32_t cons = 0;

	smmu_cmd_sync(sync);
	for (uint32_t i = 0; i <= n; i++) {
		const uint64_t *c = i < n ? cmds[i] : sync;
		uint64_t *slot;
		uint32_t spins = 0;

		/* Room for one more? The SMMU consumes in order. */
		while (smmu_q_full(s->cmd_prod, rd32(s, SMMU_CMDQ_CONS),
				   SMMU_CMDQ_LOG2)) {
			wr32(s, SMMU_CMDQ_PROD, s->cmd_prod);
			if (++spins > SMMU_POLL_LIMIT) {
				printf("smmuv3: command queue stuck full\n");
				return -1;
			}
			rift_yield();
		}
		slot = (uint64_t *)(s->mem + SMMU_MEM_CMDQ +
				    16u * (s->cmd_prod &
					   ((1u << SMMU_CMDQ_LOG2) - 1)));
		smmu_put64(slot, c[0]);
		smmu_put64(slot + 1, c[1]);
		s->cmd_prod = smmu_q_next(s->cmd_prod, SMMU_CMDQ_LOG2);
	}
	smmu_publish();
	wr32(s, SMMU_CMDQ_PROD, s->cmd_prod);
	for (uint32_t i = 0; i < SMMU_POLL_LIMIT; i++) {
		cons = rd32(s, SMMU_CMDQ_CONS);
		if (smmu_cmdq_error(s, cons)) {
			failed = true;
			continue;
		}
		if (smmu_q_empty(s->cmd_prod, cons, SMMU_CMDQ_LOG2)) {
			return failed ? -1 : 0;
		}
		if (i % 64 == 63) {
			rift_yield();
		}
	}
	printf("smmuv3: CMD_SYNC did not complete (PROD 0x%x CONS 0x%x)\n",
	       s->cmd_prod, cons);
	return -1;
}

int smmu_hwq_set_ste(struct smmu_srv *s, uint32_t sid,
		     const uint64_t ste[SMMU_STE_WORDS])
{
	uint64_t *dst = (uint64_t *)(s->mem + SMMU_MEM_STRTAB + 64u * sid);
	uint64_t cmd[2][SMMU_CMD_WORDS];

	/* Word 0 holds V: invalid first, the rest, then word 0 last. */
	smmu_put64(&dst[0], 0);
	smmu_publish();
	for (int i = 1; i < SMMU_STE_WORDS; i++) {
		smmu_put64(&dst[i], ste[i]);
	}
	smmu_publish();
	smmu_put64(&dst[0], ste[0]);
	smmu_publish();
	smmu_cmd_cfgi_ste(cmd[0], sid);
	smmu_cmd_cfgi_cd(cmd[1], sid);
	return smmu_hwq_run(s, (const uint64_t(*)[SMMU_CMD_WORDS])cmd, 2);
}

void smmu_hwq_drain_events(struct smmu_srv *s)
{
	uint32_t prod = rd32(s, SMMU_EVENTQ_PROD);
	uint32_t cons = rd32(s, SMMU_EVENTQ_CONS);
	uint32_t mask = (1u << SMMU_EVTQ_LOG2) - 1;

	if ((prod ^ cons) & SMMU_EVENTQ_OVFLG) {
		printf("smmuv3: event queue overflowed: events were lost\n");
	}
	cons &= (2u << SMMU_EVTQ_LOG2) - 1;
	while (!smmu_q_empty(prod, cons, SMMU_EVTQ_LOG2)) {
		const uint64_t *raw = (const uint64_t *)(s->mem + SMMU_MEM_EVTQ +
							 32u * (cons & mask));
		uint64_t rec[SMMU_EVT_WORDS];
		struct smmu_evt e;

		for (int i = 0; i < SMMU_EVT_WORDS; i++) {
			rec[i] = smmu_get64(&raw[i]);
		}
		smmu_evt_decode(rec, &e);
		smmu_fault_event(s, &e);
		cons = smmu_q_next(cons, SMMU_EVTQ_LOG2);
		/* Give the slot back at once: the queue never fills up
		 * while we read (and acknowledge an overflow with it). */
		wr32(s, SMMU_EVENTQ_CONS, cons | (prod & SMMU_EVENTQ_OVFLG));
		if (smmu_q_empty(prod, cons, SMMU_EVTQ_LOG2)) {
			prod = rd32(s, SMMU_EVENTQ_PROD);
		}
	}
	wr32(s, SMMU_EVENTQ_CONS, cons | (prod & SMMU_EVENTQ_OVFLG));
	smmu_fault_flush(s);
}

void smmu_hwq_gerror(struct smmu_srv *s)
{
	static const char *const names[] = {
		"CMDQ_ERR", "?", "EVENTQ_ABT_ERR", "PRIQ_ABT_ERR",
		"MSI_CMDQ_ABT_ERR", "MSI_EVENTQ_ABT_ERR", "MSI_PRIQ_ABT_ERR",
		"MSI_GERROR_ABT_ERR", "SFM_ERR",
	};
	uint32_t gerror = rd32(s, SMMU_GERROR);
	uint32_t active = (gerror ^ rd32(s, SMMU_GERRORN)) & SMMU_GERROR_ALL;

	if (!active) {
		return;
	}
	for (uint32_t b = 0; b < 9; b++) {
		if (active & (1u << b)) {
			printf("smmuv3: global error %s\n", names[b]);
		}
	}
	if (active & SMMU_GERROR_CMDQ_ERR) {
		/* Handled where commands are waited for; just skip it. */
		smmu_cmdq_error(s, rd32(s, SMMU_CMDQ_CONS));
		active &= ~SMMU_GERROR_CMDQ_ERR;
	}
	if (active & SMMU_GERROR_SFM) {
		/* Service failure mode: the SMMU stopped translating and
		 * terminates all DMA. Nothing more can be attached. */
		printf("smmuv3: service failure mode: all DMA is refused; no "
		       "more attach or map\n");
		s->broken = true;
	}
	/* Acknowledge: make GERRORN equal to GERROR for those bits. */
	wr32(s, SMMU_GERRORN, rd32(s, SMMU_GERRORN) ^ active);
}

int smmu_hwq_selftest(struct smmu_srv *s)
{
	uint64_t bad[1][SMMU_CMD_WORDS] = { { 0x7f, 0 } }; /* no such opcode */
	uint64_t good[1][SMMU_CMD_WORDS];

	smmu_cmd_cfgi_all(good[0]);
	if (smmu_hwq_run(s, (const uint64_t(*)[SMMU_CMD_WORDS])bad, 1) == 0) {
		printf("smmuv3: self-test: an illegal command was accepted\n");
		return -1;
	}
	if (smmu_hwq_run(s, (const uint64_t(*)[SMMU_CMD_WORDS])good, 1) != 0) {
		printf("smmuv3: self-test: the queue did not recover\n");
		return -1;
	}
	printf("smmuv3: self-test: command error caught, skipped, queue "
	       "working\n");
	return 0;
}
