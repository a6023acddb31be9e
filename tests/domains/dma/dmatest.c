/* SPDX-License-Identifier: MIT */
/*
 * DMA server tests (tests/integration/test_50_dma.py), run as drivers run:
 * QEMU's edu device is the DMA engine (registers 0x80 source, 0x88
 * destination, 0x90 count, 0x98 command; its 4 KiB buffer is at 0x40000
 * in its own DMA space).
 *
 *   dmatest victim     holds a page of known bytes, publishes its physical
 *                      address on the shared page "board" (it pins its own
 *                      page to learn it: dma-control), waits for the rogue
 *                      and checks every byte is still there
 *   dmatest rogue      claims edu, attaches it, does one honest round trip
 *                      through memory it mapped, then aims the engine at
 *                      the victim's page (write) and the kernel image
 *                      (read) and reports what the DMA server said
 *   dmatest narrow     edu with its 28-bit DMA mask: attach with 28 bits,
 *                      a round trip through high memory at device
 *                      addresses below 256 MiB (or, under swiotlb, the
 *                      refusal)
 */
#include "../common.h"

#include <libfdt.h>
#include <rift/abi.h>
#include <rift/caps.h>
#include <rift/chan.h>
#include <rift/rt.h>
#include <string.h>
#include <time.h>

#include "dma.h"
#include "pci.h"
#include "pci_drv.h"

#define EDU_VENDOR 0x1234
#define EDU_DEVICE 0x11e8
#define EDU_DMA_SRC 0x80
#define EDU_DMA_DST 0x88
#define EDU_DMA_COUNT 0x90
#define EDU_DMA_CMD 0x98
#define EDU_CMD_RUN 1u
#define EDU_CMD_TO_RAM 2u     /* device buffer -> RAM */
#define EDU_BUF 0x40000ull    /* the device's buffer, in its DMA space */
/* Bytes per round trip: QEMU 7.2's edu aborts the whole emulator (a
 * hw_error) when a transfer reaches the end of its 4 KiB buffer. */
#define EDU_XFER 2048

#define EDU_VA 0x0000005800000000ull
#define PAGE_A_VA 0x0000005900000000ull
#define PAGE_B_VA 0x0000005900001000ull
#define VICTIM_VA 0x0000005900002000ull

#define BOARD_MAGIC 0x626f617264ull /* "board" */
#define VICTIM_BYTE 0x5a
/* Where QEMU's virt loads the kernel image (RAM base + 2 MiB). */
#define KERNEL_PA 0x40200000ull

/** The shared page: victim -> rogue (magic, pa), rogue -> victim (done). */
struct board {
	volatile uint64_t magic;
	volatile uint64_t victim_pa;
	volatile uint64_t done;
};

static struct rift_chan pci_ch;
static struct rift_chan dma_ch;
static struct pci_drv_bar edu;

static void edu_wr64(uint32_t reg, uint64_t v)
{
	*(volatile uint64_t *)(edu.va + reg) = v;
}

static uint64_t edu_rd64(uint32_t reg)
{
	return *(volatile uint64_t *)(edu.va + reg);
}

static void pause_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

/** Runs one edu DMA of @count bytes and waits for it (at most 5 s). */
static void edu_dma(uint64_t src, uint64_t dst, uint64_t count, bool to_ram)
{
	edu_wr64(EDU_DMA_SRC, src);
	edu_wr64(EDU_DMA_DST, dst);
	edu_wr64(EDU_DMA_COUNT, count);
	edu_wr64(EDU_DMA_CMD, EDU_CMD_RUN | (to_ram ? EDU_CMD_TO_RAM : 0));
	for (int i = 0; i < 500 && (edu_rd64(EDU_DMA_CMD) & EDU_CMD_RUN); i++) {
		pause_ms(10);
	}
	TEST_REQUIRE(!(edu_rd64(EDU_DMA_CMD) & EDU_CMD_RUN),
		     "edu DMA did not finish");
}

/** A fresh page of this domain mapped at @va; its slot. */
static uint64_t own_page(uint64_t va)
{
	uint64_t slot = rt_slot_alloc();

	TEST_REQUIRE(rift_frame_alloc(0, slot, 0, -1, 0) == 0 &&
		     rift_map(0, slot, va, RIFT_MAP_READ | RIFT_MAP_WRITE) == 0,
		     "no page");
	return slot;
}

/** Claims the first edu, maps BAR0; its bdf. */
static uint32_t claim_edu(const char *me)
{
	int64_t bdf;
	int err;

	pci_ch = pci_drv_open();
	dma_ch = rift_chan_open("dma");
	dma_ch.recv_caps = 1;
	bdf = pci_drv_find(&pci_ch, EDU_VENDOR, EDU_DEVICE, 0);
	TEST_REQUIRE(bdf >= 0, "%s: no edu: %s", me, rift_strerror(bdf));
	/* Attach before claiming: the DMA server must refuse. */
	err = dma_attach(&dma_ch, (uint32_t)bdf, 64, NULL, NULL, NULL);
	printf("dmatest %s: attach before claiming: %s\n", me,
	       rift_strerror(err));
	TEST_REQUIRE(err == RIFT_EPERM || err == RIFT_EIO,
		     "%s: attach without a claim", me);
	/* Only the DMA server may turn on bus mastering. */
	TEST_REQUIRE(pci_bus_master(&pci_ch, (uint32_t)bdf, true) == RIFT_EPERM,
		     "%s: bus_master from a driver", me);
	TEST_REQUIRE(pci_claim(&pci_ch, (uint32_t)bdf) == 0, "%s: claim", me);
	TEST_REQUIRE(pci_drv_map_bar(&pci_ch, (uint32_t)bdf, 0, 0, 1, EDU_VA,
				     &edu) == 0, "%s: BAR0", me);
	return (uint32_t)bdf;
}

/**
 * The honest round trip: page A (pattern) -> device buffer -> page B, at
 * the device addresses the DMA server gave. True if B equals A.
 */
static bool round_trip(uint32_t bdf, uint64_t a, uint64_t b, uint8_t seed,
		       uint64_t *da_out, uint64_t *db_out)
{
	uint64_t da = 0, db = 0;
	uint32_t ha = 0, hb = 0;
	int err;

	for (int i = 0; i < 4096; i++) {
		((uint8_t *)PAGE_A_VA)[i] = (uint8_t)(seed + i * 7);
	}
	memset((void *)PAGE_B_VA, 0, 4096);
	err = dma_map(&dma_ch, bdf, a, 0, 4096, DMA_DIR_TO_DEVICE, &da, &ha);
	TEST_REQUIRE(err == 0, "map A: %s", rift_strerror(err));
	err = dma_map(&dma_ch, bdf, b, 0, 4096, DMA_DIR_FROM_DEVICE, &db, &hb);
	TEST_REQUIRE(err == 0, "map B: %s", rift_strerror(err));
	dma_sync_for_device(&dma_ch, ha, 0, EDU_XFER);
	edu_dma(da, EDU_BUF, EDU_XFER, false);
	edu_dma(EDU_BUF, db, EDU_XFER, true);
	dma_sync_for_cpu(&dma_ch, hb, 0, EDU_XFER);
	TEST_REQUIRE(dma_unmap(&dma_ch, ha) == 0 && dma_unmap(&dma_ch, hb) == 0,
		     "unmap");
	TEST_REQUIRE(dma_unmap(&dma_ch, ha) == RIFT_ENOENT, "unmap twice");
	*da_out = da;
	*db_out = db;
	return memcmp((void *)PAGE_A_VA, (void *)PAGE_B_VA, EDU_XFER) == 0;
}

static int victim(void)
{
	struct board *bd = (struct board *)rt_cap_find("board")->badge;
	uint64_t page = own_page(VICTIM_VA), pin = rt_slot_alloc();
	uint64_t pa = 0, size = 0;
	int bad = 0;

	memset((void *)VICTIM_VA, VICTIM_BYTE, 4096);
	TEST_REQUIRE(rift_dma_pin(test_cap("dma-control"), page, pin, &pa,
				  &size) == 0, "victim: pin");
	bd->victim_pa = pa;
	bd->magic = BOARD_MAGIC;
	printf("dmatest victim: page of 0x%02x bytes at 0x%llx\n", VICTIM_BYTE,
	       (unsigned long long)pa);
	for (int i = 0; i < 1500 && !bd->done; i++) {
		pause_ms(20);
	}
	TEST_REQUIRE(bd->done, "victim: the rogue never finished");
	for (int i = 0; i < 4096; i++) {
		bad += ((uint8_t *)VICTIM_VA)[i] != VICTIM_BYTE;
	}
	printf("dmatest victim: %s (%d of 4096 bytes changed)\n",
	       bad ? "page CORRUPTED" : "page intact", bad);
	return bad ? 1 : 0;
}

/** Waits (at most 3 s) for a fault burst of @bdf at @addr; prints it. */
static bool await_fault(uint64_t events, uint32_t bdf, uint64_t addr,
			bool write)
{
	uint64_t signalled = 0;

	for (int tries = 0; tries < 150; tries++) {
		struct dma_fault list[8];
		uint16_t count = 0;
		uint32_t dropped = 0;
		uint64_t word = 0;

		rift_poll(events, &word);
		signalled |= word;
		TEST_REQUIRE(dma_faults(&dma_ch, &count, list, &dropped) == 0,
			     "faults");
		for (uint16_t i = 0; i < count; i++) {
			printf("dmatest rogue: fault reported: stream 0x%x bdf "
			       "0x%x %s at 0x%llx, reason %u, %u events\n",
			       list[i].stream, list[i].bdf,
			       list[i].write ? "write" : "read",
			       (unsigned long long)list[i].addr,
			       list[i].reason, list[i].count);
			if (list[i].bdf == bdf && list[i].addr == addr &&
			    list[i].write == write) {
				/* Queued means signalled: seen by a poll
				 * before the call, or pending since. */
				if (!signalled) {
					rift_poll(events, &signalled);
				}
				TEST_REQUIRE(signalled != 0, "fault queued, "
					     "events not signalled");
				return true;
			}
		}
		pause_ms(20);
	}
	return false;
}

static int rogue(const char *dma)
{
	struct board *bd = (struct board *)rt_cap_find("board")->badge;
	uint32_t bdf = claim_edu("rogue");
	uint64_t a = own_page(PAGE_A_VA), b = own_page(PAGE_B_VA);
	uint64_t base = 0, size = 0, events = 0, da, db;
	int err = dma_attach(&dma_ch, bdf, 64, &base, &size, &events);
	bool swiotlb = strcmp(dma, "swiotlb") == 0;

	TEST_REQUIRE(err == 0, "rogue: attach: %s", rift_strerror(err));
	printf("dmatest rogue: attached %02x:%02x.%x, device addresses 0x%llx "
	       "+ 0x%llx\n", bdf >> 8, (bdf >> 3) & 0x1f, bdf & 7,
	       (unsigned long long)base, (unsigned long long)size);
	TEST_REQUIRE(round_trip(bdf, a, b, 3, &da, &db),
		     "honest round trip corrupted");
	printf("dmatest rogue: honest round trip verified (0x%llx -> 0x%llx)\n",
	       (unsigned long long)da, (unsigned long long)db);
	/* A capability it does not hold cannot even be sent. */
	err = dma_map(&dma_ch, bdf, rt_slot_alloc(), 0, 64, DMA_DIR_TO_DEVICE,
		      &da, NULL);
	printf("dmatest rogue: mapping a frame it does not hold: %s\n",
	       rift_strerror(err));
	TEST_REQUIRE(err != 0, "mapped a frame it does not hold");
	/* Device frames are not memory anyone may map for DMA. */
	err = dma_map(&dma_ch, bdf, edu.slots[0], 0, 64, DMA_DIR_TO_DEVICE,
		      &da, NULL);
	printf("dmatest rogue: mapping its BAR frame: %s\n",
	       rift_strerror(err));
	TEST_REQUIRE(err == RIFT_EPERM, "BAR frame mapped for DMA");
	if (swiotlb) {
		/* No IOMMU: the device could reach anything; nothing more
		 * to test without corrupting the machine (docs/dma.md). */
		bd->done = 1;
		return 0;
	}
	while (bd->magic != BOARD_MAGIC) {
		pause_ms(20);
	}
	/* The device buffer holds page A's pattern from the round trip. */
	edu_dma(EDU_BUF, bd->victim_pa, 64, true);
	TEST_REQUIRE(await_fault(events, bdf, bd->victim_pa, true),
		     "no fault reported for the write to the victim");
	printf("dmatest rogue: write to the victim's page blocked and "
	       "reported\n");
	/* Read the kernel image into the device, then back into page B:
	 * page B must not change. */
	edu_dma(KERNEL_PA, EDU_BUF, 64, false);
	TEST_REQUIRE(dma_map(&dma_ch, bdf, b, 0, 4096, DMA_DIR_FROM_DEVICE, &db,
			     NULL) == 0, "map B again");
	edu_dma(EDU_BUF, db, 64, true);
	TEST_REQUIRE(await_fault(events, bdf, KERNEL_PA, false),
		     "no fault reported for the read of the kernel");
	/* The kernel's Image header has "ARM\x64" at byte 0x38. */
	TEST_REQUIRE(memcmp((uint8_t *)PAGE_B_VA + 0x38, "ARM\x64", 4) != 0,
		     "kernel bytes reached the device");
	printf("dmatest rogue: read of the kernel image blocked and reported\n");
	/* Its own page, mapped for the device to read only: writing it is a
	 * permission fault and the page keeps its bytes. */
	{
		uint32_t ha = 0;
		uint8_t first = *(volatile uint8_t *)PAGE_A_VA;

		TEST_REQUIRE(dma_map(&dma_ch, bdf, a, 0, 4096,
				     DMA_DIR_TO_DEVICE, &da, &ha) == 0,
			     "map A read-only");
		edu_dma(EDU_BUF, da, 64, true);
		TEST_REQUIRE(await_fault(events, bdf, da, true),
			     "no fault for a write to a read-only mapping");
		TEST_REQUIRE(*(volatile uint8_t *)PAGE_A_VA == first,
			     "a read-only mapping was written");
		TEST_REQUIRE(dma_unmap(&dma_ch, ha) == 0, "unmap A");
		printf("dmatest rogue: write to a read-only mapping blocked "
		       "and reported\n");
	}
	/* Unmapped means gone, also from the SMMU's TLB (QEMU caches
	 * translations too): the honest round trip's page B, unmapped since,
	 * is out of reach. */
	{
		uint32_t hb = 0;
		uint64_t old = 0;

		TEST_REQUIRE(dma_map(&dma_ch, bdf, b, 0, 4096,
				     DMA_DIR_FROM_DEVICE, &old, &hb) == 0,
			     "map B");
		edu_dma(EDU_BUF, old, 64, true); /* fills the TLB */
		TEST_REQUIRE(dma_unmap(&dma_ch, hb) == 0, "unmap B");
		memset((void *)PAGE_B_VA, 0x33, 64);
		edu_dma(EDU_BUF, old, 64, true);
		TEST_REQUIRE(await_fault(events, bdf, old, true),
			     "no fault after unmap: stale translation used");
		TEST_REQUIRE(*(volatile uint8_t *)PAGE_B_VA == 0x33,
			     "the device wrote through an unmapped address");
		printf("dmatest rogue: write through an unmapped address "
		       "blocked and reported\n");
	}
	bd->done = 1;
	TEST_REQUIRE(dma_detach(&dma_ch, bdf) == 0, "detach");
	TEST_REQUIRE(pci_release(&pci_ch, bdf) == 0, "release");
	printf("dmatest rogue: done\n");
	return 0;
}

static int narrow(const char *dma)
{
	uint32_t bdf = claim_edu("narrow");
	uint64_t a = own_page(PAGE_A_VA), b = own_page(PAGE_B_VA);
	uint64_t base = 0, size = 0, events = 0, da = 0, db = 0;
	int err = dma_attach(&dma_ch, bdf, 28, &base, &size, &events);

	if (err != 0) {
		uint32_t cmd = 0;

		printf("dmatest narrow: attach with 28 bits: %s\n",
		       rift_strerror(err));
		TEST_REQUIRE(strcmp(dma, "swiotlb") == 0 ||
			     (strcmp(dma, "none") == 0 && err == RIFT_EIO),
			     "attach refused under %s", dma);
		TEST_REQUIRE(pci_config_read(&pci_ch, bdf, 4, 2, &cmd) == 0 &&
			     !(cmd & 4), "bus mastering on without a DMA server");
		printf("dmatest narrow: no bus mastering (command 0x%x)\n", cmd);
		TEST_REQUIRE(pci_release(&pci_ch, bdf) == 0, "release");
		return 0;
	}
	TEST_REQUIRE(base + size <= (1ull << 28), "window beyond 28 bits");
	err = round_trip(bdf, a, b, 11, &da, &db) ? 0 : 1;
	TEST_REQUIRE(err == 0, "round trip corrupted");
	TEST_REQUIRE(da < (1ull << 28) && db < (1ull << 28),
		     "device addresses beyond 28 bits");
	printf("dmatest narrow: round trip of %d bytes verified at device "
	       "addresses 0x%llx and 0x%llx (below 256 MiB)\n",
	       EDU_XFER, (unsigned long long)da, (unsigned long long)db);
	TEST_REQUIRE(dma_detach(&dma_ch, bdf) == 0, "detach");
	TEST_REQUIRE(pci_release(&pci_ch, bdf) == 0, "release");
	return 0;
}

/**
 * Which DMA server runs: rift.dma= on the kernel command line (the tests
 * switch servers that way), else @def (the description's choice, passed
 * as an argument). Needs hardware-dtb for the command line.
 */
static const char *dma_server(const char *def)
{
	static char name[16];
	const void *fdt = (const void *)rt_auxv(RIFT_AT_FDT);
	int chosen = fdt ? fdt_path_offset(fdt, "/chosen") : -1;
	const char *args = chosen >= 0 ?
		fdt_getprop(fdt, chosen, "bootargs", NULL) : NULL;
	const char *p = args ? strstr(args, "rift.dma=") : NULL;

	if (!p) {
		return def;
	}
	p += strlen("rift.dma=");
	snprintf(name, sizeof(name), "%.*s", (int)strcspn(p, " "), p);
	return name;
}

int main(int argc, char **argv)
{
	const char *dma = dma_server(argc > 2 ? argv[2] : "smmuv3");

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 1 && strcmp(argv[1], "victim") == 0) {
		return victim();
	}
	if (argc > 1 && strcmp(argv[1], "rogue") == 0) {
		return rogue(dma);
	}
	if (argc > 1 && strcmp(argv[1], "narrow") == 0) {
		return narrow(dma);
	}
	printf("dmatest: usage: dmatest victim|rogue|narrow [server]\n");
	return 2;
}
