/* SPDX-License-Identifier: MIT */
/*
 * A register-level model behind the platform backends' register seam
 * (drivers-domain/platform/plat_mmio.h), for host tests. It records every
 * access (mapping, read, write) in order with its full physical address,
 * and answers reads from a small model of the Shub 1 (SH_RTC, the PIO
 * write status with scripted busy and deadlock answers) and of the PL031
 * and PL061. Values are host integers: no byte order is involved, so the
 * tests mean the same on big-endian hosts.
 */
#ifndef TESTS_PLAT_MODEL_H
#define TESTS_PLAT_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#define MODEL_LOG_MAX 8192

enum model_op { MODEL_MAP = 'M', MODEL_READ = 'R', MODEL_WRITE = 'W' };

struct model_access {
	char op;
	uint64_t pa;
	uint64_t val; /* written, or returned */
};

struct model {
	struct model_access log[MODEL_LOG_MAX];
	uint32_t count;
	bool overflow;
	/* Shub 1 */
	uint64_t rtc;                /* SH_RTC of every node */
	uint32_t pio_busy;           /* status reads answered busy first */
	uint32_t deadlock_at[8];     /* 1-based idle status reads that */
	uint32_t deadlock_count;     /* report DEADLOCK */
	uint32_t idle_reads;         /* idle status reads so far */
	bool pio_stuck;              /* never idle */
	/* PL031 / PL061 */
	uint32_t pl031_dr;
	uint32_t pl061_mis;
	bool refuse_map;             /* plat_map fails */
};

extern struct model model;

/** Forgets the log and sets the defaults (idle, RTC 0). */
void model_reset(void);
/** Number of logged accesses of kind @op. */
uint32_t model_count(char op);
/** Prints the log (for a failing test). */
void model_dump(void);

#endif
