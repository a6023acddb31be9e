/* SPDX-License-Identifier: MIT */
/*
 * FP/SIMD state across thread switches: fills all 32 vector registers with
 * a pattern derived from its argument, gives the CPU away (yield, and timer
 * preemption while spinning), and checks every register still holds its
 * pattern. Two instances with different patterns run side by side.
 */
#include <rift/syscall.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static void fill(uint64_t seed)
{
	__asm__ volatile(
		"dup v0.2d, %0\n add %0, %0, #1\n dup v1.2d, %0\n add %0, %0, #1\n"
		"dup v2.2d, %0\n add %0, %0, #1\n dup v3.2d, %0\n add %0, %0, #1\n"
		"dup v4.2d, %0\n add %0, %0, #1\n dup v5.2d, %0\n add %0, %0, #1\n"
		"dup v6.2d, %0\n add %0, %0, #1\n dup v7.2d, %0\n add %0, %0, #1\n"
		"dup v8.2d, %0\n add %0, %0, #1\n dup v9.2d, %0\n add %0, %0, #1\n"
		"dup v10.2d, %0\n add %0, %0, #1\n dup v11.2d, %0\n add %0, %0, #1\n"
		"dup v12.2d, %0\n add %0, %0, #1\n dup v13.2d, %0\n add %0, %0, #1\n"
		"dup v14.2d, %0\n add %0, %0, #1\n dup v15.2d, %0\n add %0, %0, #1\n"
		"dup v16.2d, %0\n add %0, %0, #1\n dup v17.2d, %0\n add %0, %0, #1\n"
		"dup v18.2d, %0\n add %0, %0, #1\n dup v19.2d, %0\n add %0, %0, #1\n"
		"dup v20.2d, %0\n add %0, %0, #1\n dup v21.2d, %0\n add %0, %0, #1\n"
		"dup v22.2d, %0\n add %0, %0, #1\n dup v23.2d, %0\n add %0, %0, #1\n"
		"dup v24.2d, %0\n add %0, %0, #1\n dup v25.2d, %0\n add %0, %0, #1\n"
		"dup v26.2d, %0\n add %0, %0, #1\n dup v27.2d, %0\n add %0, %0, #1\n"
		"dup v28.2d, %0\n add %0, %0, #1\n dup v29.2d, %0\n add %0, %0, #1\n"
		"dup v30.2d, %0\n add %0, %0, #1\n dup v31.2d, %0\n"
		: "+r"(seed)
		:
		: "memory");
}

static void dump(uint64_t out[32][2])
{
	__asm__ volatile(
		"st1 {v0.2d-v3.2d}, [%0], #64\n st1 {v4.2d-v7.2d}, [%0], #64\n"
		"st1 {v8.2d-v11.2d}, [%0], #64\n st1 {v12.2d-v15.2d}, [%0], #64\n"
		"st1 {v16.2d-v19.2d}, [%0], #64\n st1 {v20.2d-v23.2d}, [%0], #64\n"
		"st1 {v24.2d-v27.2d}, [%0], #64\n st1 {v28.2d-v31.2d}, [%0], #64\n"
		: "+r"(out)
		:
		: "memory");
}

/* Thread-local: reached through TPIDR_EL0, which the kernel must switch. */
static __thread volatile uint64_t tls_mark;

int main(int argc, char **argv)
{
	uint64_t seed = argc >= 2 ? strtoull(argv[1], NULL, 0) : 1;
	uint64_t *tp;
	static uint64_t regs[32][2];
	int rounds = 200;

	__asm__ volatile("mrs %0, tpidr_el0" : "=r"(tp));
	tls_mark = seed;
	for (int r = 0; r < rounds; r++) {
		uint64_t *now;

		fill(seed + (uint64_t)r * 64);
		if (r % 2) {
			rift_yield();
		} else {
			for (volatile int i = 0; i < 20000; i++) {
			}
		}
		dump(regs);
		__asm__ volatile("mrs %0, tpidr_el0" : "=r"(now));
		if (now != tp || tls_mark != seed) {
			printf("FAILED: round %d: thread pointer %p (was %p), "
			       "tls %llx\n", r, (void *)now, (void *)tp,
			       (unsigned long long)tls_mark);
			return 1;
		}
		for (int v = 0; v < 32; v++) {
			uint64_t want = seed + (uint64_t)r * 64 + (uint64_t)v;

			if (regs[v][0] != want || regs[v][1] != want) {
				printf("FAILED: round %d v%d = %llx, want %llx\n", r, v,
				       (unsigned long long)regs[v][0],
				       (unsigned long long)want);
				return 1;
			}
		}
	}
	printf("fpcheck %s: %d rounds, all 32 vector registers intact, "
	       "thread pointer kept\n", argv[1], rounds);
	return 0;
}
