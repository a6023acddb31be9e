/* SPDX-License-Identifier: MIT */
/*
 * The SMMUv3 DMA server: state shared by its files (docs/dma.md).
 *
 *   smmu_main.c   start-up (device tree, registers, memory, interrupts),
 *                 the IPC loop and the interrupt waker thread
 *   smmu_hwq.c    the SMMU itself: enable, command queue with CMD_SYNC,
 *                 event queue drain, global errors
 *   smmu_fault.c  fault bursts: logged once, queued for the owner
 *   smmu_dma.c    the dma.idl handlers: attach, map, unmap, ...
 *   smmu_hw.c, smmu_pt.c  formats and tables (host tested)
 *
 * Single threaded: the waker thread only turns the SMMU's interrupts into
 * calls on the server's own endpoint ("self"), so all work runs on the
 * main thread, one request at a time.
 *
 * Memory: one 2 MiB frame, pinned (rift_dma_pin gives its physical
 * address) and mapped, holds the linear stream table, the command and
 * event queues, the context descriptors and the pool of translation
 * table pages (SMMU_MEM_*). Mapped driver memory is pinned per mapping.
 */
#ifndef SMMU_SRV_H
#define SMMU_SRV_H

#include <stdbool.h>
#include <stdint.h>

#include <rift/chan.h>

#include "dma.h"
#include "smmu_hw.h"
#include "smmu_pt.h"

/** Capability names the description must give (docs/dma.md). */
#define SMMU_CAP_EP "dma"		   /**< the channel it serves */
#define SMMU_CAP_SELF "self"		   /**< its own client end (waker) */
#define SMMU_CAP_PCI "pci"		   /**< client end of the PCI server */
#define SMMU_CAP_DEVICE "device"	   /**< the SMMU's registers */
#define SMMU_CAP_IRQ_CONTROL "irq-control" /**< its interrupts */
#define SMMU_CAP_DMA_CONTROL "dma-control" /**< pins */

/** Where things are mapped in the server. */
#define SMMU_REGS_VA 0x0000006000000000ull /**< page 0; page 1 at +64 KiB */
#define SMMU_MEM_VA 0x0000006000200000ull  /**< the 2 MiB block */

/** Layout of the 2 MiB block. */
#define SMMU_MEM_STRTAB 0x000000u /**< linear stream table (<= 256 KiB) */
#define SMMU_MEM_CMDQ 0x040000u	  /**< command queue, 4 KiB */
#define SMMU_MEM_EVTQ 0x041000u	  /**< event queue, 4 KiB */
#define SMMU_MEM_CD 0x042000u	  /**< context descriptors, 64 B each */
#define SMMU_MEM_POOL 0x043000u	  /**< translation table pages, to 2 MiB */
#define SMMU_MEM_SIZE 0x200000u

#define SMMU_STRTAB_LOG2_MAX 12 /**< stream ids 0..4095: buses 0..15 */
#define SMMU_CMDQ_LOG2 8	/**< 256 commands of 16 bytes */
#define SMMU_EVTQ_LOG2 7	/**< 128 events of 32 bytes */

#define SMMU_MAX_DEVS 32     /**< attached devices (one CD and ASID each) */
#define SMMU_MAX_MAPS 1024   /**< mappings, over all devices */
#define SMMU_CLIENT_MAPS 512 /**< mappings one client may hold */
#define SMMU_MAX_CLIENTS 17  /**< badges 1..16 of the dma channel */
#define SMMU_FAULT_RING 16   /**< fault bursts kept per client */
#define SMMU_WINDOW_BASE 0x100000ull /**< first device address handed out */

/** An attached device: its own address space. */
struct smmu_dev {
	bool used;
	uint32_t bdf;
	uint32_t sid;	    /**< stream id = PCI requester id */
	uint64_t owner;	    /**< badge of the driver that attached it */
	uint16_t asid;
	uint8_t dma_bits;
	struct smmu_pt pt;
	struct smmu_iova iova;
};

/** A mapping: pages of one pinned frame in one device's space. */
struct smmu_map {
	uint32_t handle; /**< 0: unused; else (generation << 16) | (index + 1) */
	uint16_t gen;
	uint16_t dev;	 /**< index in devs[] */
	uint64_t owner;	 /**< badge of the driver */
	uint64_t iova;	 /**< device address of the first page */
	uint32_t pages;
	uint32_t length; /**< bytes mapped from the device address on */
	uint64_t pin;	 /**< the DMA_PIN capability (deleted last) */
};

/** A driver (client of the dma channel): its fault notification and queue. */
struct smmu_client {
	uint64_t ntfn;	  /**< notification (original; 0: none yet) */
	uint64_t signal;  /**< badged copy the server signals through */
	uint64_t ntfn_ro; /**< read-only copy handed out by attach */
	struct dma_fault ring[SMMU_FAULT_RING];
	uint32_t head;	  /**< oldest */
	uint32_t count;
	uint32_t dropped;
	uint32_t maps;	  /**< mappings it holds (<= SMMU_CLIENT_MAPS) */
};

/** Rate limit of fault log lines (the console is never flooded). */
struct smmu_log {
	uint64_t window_start_ns;
	uint32_t lines;	     /**< printed in this window */
	uint32_t suppressed; /**< bursts not printed since the last summary */
};

struct smmu_srv {
	volatile uint8_t *regs;
	uint8_t *mem;
	uint64_t mem_pa;
	uint8_t strtab_log2;
	uint8_t ips;	   /**< IDR5.OAS, for the CDs */
	bool asid16;
	bool broken;	   /**< unusable (set-up failed, or service failure) */
	uint32_t cmd_prod; /**< next command slot (index with wrap bit) */
	struct smmu_pool pool;
	struct smmu_dev devs[SMMU_MAX_DEVS];
	struct smmu_map maps[SMMU_MAX_MAPS];
	struct smmu_client clients[SMMU_MAX_CLIENTS];
	struct smmu_log log;   /**< fault lines */
	struct smmu_log say;   /**< lines clients' requests cause */
	uint64_t dmactl;
	struct rift_chan pci;
	uint64_t self_badge;
	uint64_t irq_ntfn;     /**< both interrupts signal it */
	uint64_t irq_eventq;   /**< handlers (bit 0 and bit 1 of the word) */
	uint64_t irq_gerror;
	uint64_t events;       /**< SMMU events seen */
	uint64_t bursts;       /**< fault bursts seen */
};

/** Reads the registers and turns the SMMU on: default deny. 0 or -1. */
int smmu_hwq_enable(struct smmu_srv *s);
/**
 * Queues @n commands and a CMD_SYNC and waits until the SMMU has consumed
 * all of them. 0; -1 (said why) on a command error or a timeout.
 */
int smmu_hwq_run(struct smmu_srv *s, const uint64_t (*cmds)[SMMU_CMD_WORDS],
		 uint32_t n);
/** Writes STE @sid (word 0 last) and invalidates it: CFGI_STE, CFGI_CD. */
int smmu_hwq_set_ste(struct smmu_srv *s, uint32_t sid,
		     const uint64_t ste[SMMU_STE_WORDS]);
/**
 * Self-test (argument "selftest"): queues an illegal command, checks the
 * error is caught and skipped and the queue works on. 0 or -1.
 */
int smmu_hwq_selftest(struct smmu_srv *s);
/** Drains the event queue (smmu_fault_*). */
void smmu_hwq_drain_events(struct smmu_srv *s);
/** Handles active global errors. */
void smmu_hwq_gerror(struct smmu_srv *s);
/** The CD of device slot @i: server address and physical address. */
uint64_t *smmu_hwq_cd(struct smmu_srv *s, uint32_t i, uint64_t *pa);

/** Collects one event into the burst being built. */
void smmu_fault_event(struct smmu_srv *s, const struct smmu_evt *e);
/** Ends a drain: logs and forwards the bursts collected. */
void smmu_fault_flush(struct smmu_srv *s);
/**
 * May a line be printed now (at most 10 a second per limiter)? Counts
 * those that may not in l->suppressed.
 */
bool smmu_log_may(struct smmu_log *l);

/** The device attached with stream id @sid, or NULL. */
struct smmu_dev *smmu_dma_dev_by_sid(struct smmu_srv *s, uint32_t sid);
/** The name of the client of @badge ("?" if none). */
const char *smmu_dma_client(uint64_t badge);
/** Signals client @badge that faults wait. */
void smmu_dma_notify(struct smmu_srv *s, uint64_t badge);

/** Nanoseconds of CLOCK_MONOTONIC. */
uint64_t smmu_now_ns(void);

#endif
