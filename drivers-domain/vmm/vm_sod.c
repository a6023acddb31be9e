/* SPDX-License-Identifier: MIT */
/* Start-of-day page and console ring (vm_sod.h). */
#include "vm_sod.h"

#include <string.h>

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++) {
		p[i] = (uint8_t)(v >> (8 * i));
	}
}

static void put64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++) {
		p[i] = (uint8_t)(v >> (8 * i));
	}
}

static uint32_t get32(const volatile uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

void vm_sod_write(uint8_t *page, size_t size, const struct vm_sod_params *p)
{
	if (size < 96) {
		return;
	}
	memset(page, 0, size);
	memcpy(page, VM_SOD_MAGIC, 8);
	put32(page + 8, 1);
	put32(page + 12, p->cpus);
	put64(page + 16, p->ram_base);
	put64(page + 24, p->ram_size);
	put64(page + 32, p->rma_size);
	put64(page + 40, p->dtb);
	put64(page + 48, p->ring);
	put32(page + 56, p->ring_size);
	put32(page + 60, p->boots);
	strncpy((char *)page + 64, p->name, 31);
}

void vm_ring_init(uint8_t *ring, uint32_t size)
{
	memset(ring, 0, VM_RING_HDR);
	put32(ring, VM_RING_MAGIC);
	put32(ring + 4, size - VM_RING_HDR);
}

long vm_ring_drain(uint8_t *ring, uint32_t size, char *line,
		   size_t line_size, size_t *line_len,
		   void (*emit)(void *opaque, const char *line, size_t len),
		   void *opaque)
{
	uint32_t n = size - VM_RING_HDR;
	uint32_t prod = get32(ring + 8), cons = get32(ring + 12);
	long taken = 0;

	if (prod - cons > n) {
		put32(ring + 12, prod); /* the guest broke it: skip ahead */
		return -1;
	}
	/* The bytes are read after the producer (an acquire on the guest's
	 * release); the compiler must not hoist them above that load. */
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	while (cons != prod) {
		char c = (char)ring[VM_RING_HDR + cons % n];

		cons++;
		taken++;
		if (c == '\n' || *line_len + 1 >= line_size) {
			if (c != '\n') {
				line[(*line_len)++] = c;
			}
			emit(opaque, line, *line_len);
			*line_len = 0;
		} else {
			line[(*line_len)++] = c;
		}
	}
	put32(ring + 12, cons);
	return taken;
}
