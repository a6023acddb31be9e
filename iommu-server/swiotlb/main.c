/* SPDX-License-Identifier: MIT */
/*
 * The swiotlb server: reads its options, allocates the bounce pool (2 MiB
 * frames, pinned for their physical addresses, joined where they happen
 * to be contiguous), then serves dma.idl on the channel named "dma".
 *
 * Options (argv words after argv[0]; the supervisor makes them from the
 * swiotlb-pool and swiotlb-force properties of the `dma` domain node):
 *   pool=<bytes>  pool size, a multiple of 2 MiB (default 8 MiB); K, M, G
 *   force         bounce every mapping, reachable or not
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rift/chan.h>
#include <rift/msg.h>
#include <rift/rt.h>
#include <rift/syscall.h>

#include "dma.h"
#include "pci_drv.h"
#include "swiotlb.h"

#define SW_CHUNK (2ull << 20)
#define SW_DEFAULT_POOL (8ull << 20)

struct sw_state sw;

/** The size in @s, checked; -1 with a message otherwise. */
static int sw_pool_option(const char *s)
{
	if (!sw_parse_size(s, &sw.pool_bytes) || sw.pool_bytes == 0 ||
	    sw.pool_bytes % SW_CHUNK ||
	    sw.pool_bytes > (uint64_t)SWP_MAX_PAGES * SWP_PAGE) {
		printf("swiotlb: pool %s: the pool must be a non-zero multiple "
		       "of 2 MiB up to 1 GiB\n", s);
		return -1;
	}
	return 0;
}

static int sw_options(int argc, char **argv)
{
	sw.pool_bytes = SW_DEFAULT_POOL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "force") == 0 ||
		    strcmp(argv[i], "swiotlb-force") == 0) {
			sw.force = true;
		} else if (strncmp(argv[i], "pool=", 5) == 0) {
			if (sw_pool_option(argv[i] + 5) != 0) {
				return -1;
			}
		} else if (strncmp(argv[i], "swiotlb-pool=", 13) == 0) {
			if (sw_pool_option(argv[i] + 13) != 0) {
				return -1;
			}
		} else {
			printf("swiotlb: unknown option '%s' (pool=<bytes>, "
			       "force)\n", argv[i]);
			return -1;
		}
	}
	return 0;
}

struct sw_chunk {
	uint64_t frame, pin, pa;
};

static int sw_chunk_cmp(const void *a, const void *b)
{
	const struct sw_chunk *x = a, *y = b;

	return x->pa < y->pa ? -1 : x->pa > y->pa;
}

/** Allocates, pins and maps the pool, in physical address order. */
static int sw_pool_init(void)
{
	static struct sw_chunk ch[SWP_MAX_PAGES * SWP_PAGE / SW_CHUNK];
	uint32_t n = (uint32_t)(sw.pool_bytes / SW_CHUNK);

	swp_init(&sw.pool);
	for (uint32_t i = 0; i < n; i++) {
		uint64_t size = 0;
		long kerr;

		ch[i].frame = rt_slot_alloc();
		ch[i].pin = rt_slot_alloc();
		if (!ch[i].frame || !ch[i].pin) {
			printf("swiotlb: out of capability slots for the pool\n");
			return -1;
		}
		kerr = rift_frame_alloc(0, ch[i].frame, RT_ORDER_2M, -1, 0);
		if (kerr == 0) {
			kerr = rift_dma_pin(sw.dmactl, ch[i].frame, ch[i].pin,
					    &ch[i].pa, &size);
		}
		if (kerr != 0) {
			printf("swiotlb: pool chunk %u of %u: %s\n", i + 1, n,
			       rift_strerror(kerr));
			return -1;
		}
	}
	qsort(ch, n, sizeof(ch[0]), sw_chunk_cmp);
	for (uint32_t i = 0; i < n; i++) {
		uint64_t va = SW_POOL_VA + (uint64_t)i * SW_CHUNK;
		long kerr = rift_map(0, ch[i].frame, va,
				     RIFT_MAP_READ | RIFT_MAP_WRITE);

		if (kerr != 0 || swp_add(&sw.pool, ch[i].pa, va, SW_CHUNK) != 0) {
			printf("swiotlb: mapping the pool: %s\n",
			       rift_strerror(kerr));
			return -1;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	static struct rift_msg req, reply;
	struct dma_server srv = { .ctx = NULL, .shm_size = 0 };
	uint64_t ep = rt_cap("dma"), badge = 0;
	int err;

	sw.dmactl = rt_cap("dma-control");
	sw.pci = pci_drv_open();
	sw.recv_slots[0] = rt_slot_alloc();
	if (sw_options(argc, argv) != 0) {
		return 1;
	}
	if (!ep || !sw.dmactl || !sw.recv_slots[0]) {
		printf("swiotlb: needs the 'dma' channel and 'dma-control'\n");
		return 1;
	}
	if (sw_pool_init() != 0) {
		return 1;
	}
	printf("swiotlb: pool %llu KiB at 0x%llx-0x%llx in %u run(s)%s; "
	       "no IOMMU: devices are not contained\n",
	       (unsigned long long)(sw.pool_bytes >> 10),
	       (unsigned long long)swp_lowest(&sw.pool),
	       (unsigned long long)swp_highest(&sw.pool), sw.pool.nseg,
	       sw.force ? ", every mapping bounced (swiotlb-force)" : "");
	err = rift_chan_recv(ep, &req, &badge, sw.recv_slots);
	for (;;) {
		int r;

		if (err == RIFT_EIO) {
			printf("swiotlb: channel gone\n");
			return 1;
		}
		if (err != RIFT_OK) {
			rift_cap_delete(sw.recv_slots[0]);
			err = rift_chan_recv(ep, &req, &badge, sw.recv_slots);
			continue;
		}
		sw.took_cap = false;
		r = dma_dispatch(&srv, badge, &req, &reply);
		if (sw.took_cap) { /* a mapping keeps it: a fresh slot */
			sw.recv_slots[0] = rt_slot_alloc();
			if (!sw.recv_slots[0]) {
				printf("swiotlb: out of capability slots\n");
				return 1;
			}
		} else {
			rift_cap_delete(sw.recv_slots[0]);
		}
		if (r == RIFT_IDL_REPLY) {
			err = rift_chan_reply_recv(ep, &reply, &req, &badge,
						   sw.recv_slots);
		} else {
			err = rift_chan_recv(ep, &req, &badge, sw.recv_slots);
		}
	}
}
