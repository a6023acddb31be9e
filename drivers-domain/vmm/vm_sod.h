/* SPDX-License-Identifier: MIT */
/*
 * Start-of-day information in the guest's RMA (docs/guests.md): the
 * start-of-day page and the console ring, both described by the guest's
 * /hypervisor node. Little-endian at fixed byte offsets: no structs cross
 * the boundary. Pure and host-tested.
 *
 * Start-of-day page (VM_SOD_SIZE bytes):
 *   0  magic "riftSOD1"        8 bytes
 *   8  u32 version (1)        12 u32 vCPUs
 *  16  u64 RAM base           24 u64 RAM size
 *  32  u64 RMA size           40 u64 device tree address
 *  48  u64 console ring addr  56 u32 console ring size  60 u32 boot count
 *  64  guest name, NUL-terminated, 32 bytes
 *
 * Console ring (a guest's early output, before or instead of the PL011):
 *   0 u32 magic "ring"   4 u32 data size (ring size - 16)
 *   8 u32 producer (the guest's, free-running)
 *  12 u32 consumer (the VMM's, free-running)
 *  16 data: byte i of the stream at data[i % data size]
 * The guest writes bytes, then (after a barrier) the producer; the VMM
 * prints whole lines and advances the consumer.
 */
#ifndef VM_SOD_H
#define VM_SOD_H

#include <stddef.h>
#include <stdint.h>

#define VM_SOD_MAGIC "riftSOD1"
#define VM_RING_MAGIC 0x676e6972u /* "ring" */
#define VM_RING_HDR 16

struct vm_sod_params {
	const char *name;
	uint32_t cpus, boots;
	uint64_t ram_base, ram_size, rma_size, dtb, ring;
	uint32_t ring_size;
};

/** Fills the start-of-day page @page (@size bytes, zeroed first). */
void vm_sod_write(uint8_t *page, size_t size, const struct vm_sod_params *p);

/** Empties the ring @ring of @size bytes and sets its header. */
void vm_ring_init(uint8_t *ring, uint32_t size);

/**
 * Moves what the guest produced into @line (a line buffer of @line_size
 * bytes holding *@line_len), calling @emit for each complete line (or a
 * full buffer). The guest controls the header: a producer more than the
 * data size ahead of the consumer is a broken ring, reported by returning
 * -1 after resynchronising (consumer = producer). Returns bytes taken.
 */
long vm_ring_drain(uint8_t *ring, uint32_t size, char *line,
		   size_t line_size, size_t *line_len,
		   void (*emit)(void *opaque, const char *line, size_t len),
		   void *opaque);

#endif
