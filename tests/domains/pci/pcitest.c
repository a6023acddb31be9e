/* SPDX-License-Identifier: MIT */
/*
 * PCI server tests, run as drivers would run (tests/system/pci_*.dts):
 *
 *   pcitest list           every function through list and info; refusals
 *                          for unknown functions and bridges
 *   pcitest irq N          claims QEMU's edu device, maps BAR0, attaches
 *                          its INTx and raises N interrupts one at a time:
 *                          each must arrive as exactly one notification;
 *                          then release must revoke the frame and the
 *                          notification
 *   pcitest owner          claims edu, writes its config space, lets the
 *                          intruder try, checks nothing changed, releases
 *   pcitest intruder       without a claim: every device access refused;
 *                          after the owner's release its own claim works
 *   pcitest share-a        claims the first edu and attaches its INTx line
 *   pcitest share-b        claims a second edu on the same line: its
 *                          irq_attach is refused until share-a releases,
 *                          then it gets the line and an interrupt
 *
 * The pci channel is the capability "pci" (pci_drv_open()); the pairs
 * (owner/intruder, share-a/b) synchronise through two notification
 * channels, "go" (first -> second) and "done" (second -> first).
 */
#include "../common.h"

#include <rift/rt.h>
#include <string.h>

#include "pci.h"
#include "pci_drv.h"

#define SLOT_GO test_cap("go")
#define SLOT_DONE test_cap("done")

/** QEMU's educational device (docs/specs/edu.rst). */
#define EDU_VENDOR 0x1234
#define EDU_DEVICE 0x11e8
#define EDU_REG_ID 0x00	       /**< RO: 0x010000ed (version 1.0). */
#define EDU_REG_LIVENESS 0x04  /**< RW: reads back inverted. */
#define EDU_REG_IRQ_STATUS 0x24 /**< RO: bits raised, not yet acked. */
#define EDU_REG_IRQ_RAISE 0x60 /**< WO: ORs into status, asserts INTx. */
#define EDU_REG_IRQ_ACK 0x64   /**< WO: clears status bits; 0 drops INTx. */
#define EDU_ID 0x010000edu

/** Configuration registers the tests use. */
#define CFG_COMMAND 0x04
#define CFG_BAR0 0x10
#define CFG_INT_LINE 0x3c

/** Where BAR0 of edu is mapped. */
#define EDU_VA 0x0000005800000000ull

static struct rift_chan pci_ch;

/** Reads an edu register (edu accepts only 32-bit accesses below 0x80). */
static uint32_t edu_read(const struct pci_drv_bar *b, uint32_t reg)
{
	return *(volatile uint32_t *)(b->va + reg);
}

static void edu_write(const struct pci_drv_bar *b, uint32_t reg, uint32_t v)
{
	*(volatile uint32_t *)(b->va + reg) = v;
}

/** The bdf of edu device number `nth`; fails the test when there is none. */
static uint32_t find_edu(unsigned int nth)
{
	int64_t bdf = pci_drv_find(&pci_ch, EDU_VENDOR, EDU_DEVICE, nth);

	TEST_REQUIRE(bdf >= 0, "no edu device (1234:11e8) number %u: %s", nth,
		     rift_strerror((int)bdf));
	return (uint32_t)bdf;
}

/** Prints one function as the list mode sees it. */
static void list_one(const struct pci_dev_id *d)
{
	struct pci_dev_info info;
	unsigned int bars = 0;
	int err = pci_info(&pci_ch, d->bdf, &info);

	TEST_REQUIRE(err == 0, "info %x: %d", d->bdf, err);
	TEST_REQUIRE(info.vendor == d->vendor && info.device == d->device &&
			     info.class_code == d->class_code,
		     "info and list disagree on %x", d->bdf);
	TEST_REQUIRE(!info.claimed && !info.mine && info.command == 0,
		     "%x is claimed or decoding before any claim", d->bdf);
	for (unsigned int i = 0; i < 6; i++) {
		bars += (info.bars[i].flags & PCI_BAR_ATTR_ASSIGNED) != 0;
	}
	printf("pcitest: fn %02x:%02x.%x %04x:%04x class %06x intid %u "
	       "bars %u caps %u\n",
	       d->bdf >> 8, (d->bdf >> 3) & 0x1f, d->bdf & 7, d->vendor,
	       d->device, d->class_code, info.intid, bars, info.cap_count);
}

/** Every function through list and info, then refusals. */
static int mode_list(void)
{
	struct pci_dev_id devs[32];
	uint16_t total = 1;
	uint16_t count = 0;
	uint16_t seen = 0;
	int64_t bridge = -1, edu;

	for (uint16_t first = 0; first < total; first += count) {
		int err = pci_list(&pci_ch, first, &total, &count, devs);

		TEST_REQUIRE(err == 0 && count > 0, "list from %u: %d", first,
			     err);
		for (uint16_t i = 0; i < count; i++) {
			list_one(&devs[i]);
			if ((devs[i].class_code >> 8) == 0x0604) {
				bridge = devs[i].bdf;
			}
			seen++;
		}
	}
	TEST_REQUIRE(seen == total, "listed %u of %u", seen, total);
	TEST_REQUIRE(pci_claim(&pci_ch, 0xfff8) == RIFT_ENOENT,
		     "claim of a missing function not refused");
	TEST_REQUIRE(pci_claim(&pci_ch, 0x10000) == RIFT_ENOENT,
		     "claim of an impossible bdf not refused");
	if (bridge >= 0) {
		TEST_REQUIRE(pci_claim(&pci_ch, (uint32_t)bridge) == RIFT_EPERM,
			     "claim of a bridge not refused");
	}
	/* The lister's description assigns it no device (no pci-devices):
	 * claiming an endpoint is refused too. */
	edu = pci_drv_find(&pci_ch, EDU_VENDOR, EDU_DEVICE, 0);
	TEST_REQUIRE(edu >= 0 && pci_claim(&pci_ch, (uint32_t)edu) ==
		     RIFT_EPERM, "claim of an unassigned device not refused");
	printf("pcitest: list: %u functions\n", total);
	return 0;
}

/** Raises one interrupt and follows it to the handler; returns the count. */
static uint64_t irq_round(uint32_t bdf, const struct pci_drv_bar *bar,
			  uint64_t ntfn, int i)
{
	uint32_t bit = 1u << (i % 32);
	uint64_t word = 0;
	uint64_t count = 0;
	long kerr = rift_poll(ntfn, &word);

	TEST_REQUIRE(kerr == 0 && word == 0,
		     "round %d: notification pending before the raise (%lx)", i,
		     (unsigned long)word);
	TEST_REQUIRE(edu_read(bar, EDU_REG_IRQ_STATUS) == 0,
		     "round %d: edu status not clear", i);
	edu_write(bar, EDU_REG_IRQ_RAISE, bit);
	kerr = rift_wait(ntfn, &word);
	TEST_REQUIRE(kerr == 0 && word != 0, "round %d: wait %ld word %lx", i,
		     kerr, (unsigned long)word);
	TEST_REQUIRE(edu_read(bar, EDU_REG_IRQ_STATUS) == bit,
		     "round %d: edu status %x, raised %x", i,
		     edu_read(bar, EDU_REG_IRQ_STATUS), bit);
	edu_write(bar, EDU_REG_IRQ_ACK, bit);
	TEST_REQUIRE(pci_irq_ack(&pci_ch, bdf, &count) == 0,
		     "round %d: irq_ack refused", i);
	return count;
}

/** After release: the frame and the notification must be gone. */
static void check_revoked(uint32_t bdf, struct pci_drv_bar *bar,
			  uint64_t ntfn)
{
	struct rift_cap_info ci;
	struct pci_dev_info info;
	uint64_t word = 0;

	TEST_REQUIRE(rift_cap_info(bar->slots[0], &ci) != 0,
		     "BAR frame still held after release");
	TEST_REQUIRE(rift_poll(ntfn, &word) != 0,
		     "notification still usable after release");
	TEST_REQUIRE(pci_info(&pci_ch, bdf, &info) == 0 && !info.claimed &&
			     info.command == 0,
		     "device still claimed or decoding after release");
	TEST_REQUIRE(pci_irq_ack(&pci_ch, bdf, &word) == RIFT_EPERM,
		     "irq_ack after release not refused");
	pci_drv_unmap_bar(bar);
	rt_slot_free(ntfn);
}

/** Claims edu, maps BAR0, checks the device answers. */
static void edu_open(uint32_t bdf, struct pci_drv_bar *bar)
{
	int err = pci_claim(&pci_ch, bdf);
	uint32_t live;

	TEST_REQUIRE(err == 0, "claim of edu: %d", err);
	err = pci_drv_map_bar(&pci_ch, bdf, 0, 0, 1, EDU_VA, bar);
	TEST_REQUIRE(err == 0, "map BAR0: %d", err);
	TEST_REQUIRE(edu_read(bar, EDU_REG_ID) == EDU_ID, "edu id %x",
		     edu_read(bar, EDU_REG_ID));
	edu_write(bar, EDU_REG_LIVENESS, 0x12345678u);
	live = edu_read(bar, EDU_REG_LIVENESS);
	TEST_REQUIRE(live == ~0x12345678u, "edu liveness %x", live);
}

/** Interrupt delivery from the edu device. */
static int mode_irq(int rounds)
{
	uint32_t bdf = find_edu(0);
	struct pci_drv_bar bar;
	uint64_t ntfn = 0;
	uint64_t count = 0;
	uint32_t intid = 0;
	int delivered = 0;
	int err;

	edu_open(bdf, &bar);
	err = pci_irq_attach(&pci_ch, bdf, &intid, &ntfn);
	TEST_REQUIRE(err == 0 && intid >= 32, "irq_attach: %d (intid %u)", err,
		     intid);
	for (int i = 0; i < rounds; i++) {
		count = irq_round(bdf, &bar, ntfn, i);
		delivered++;
		TEST_REQUIRE(count == (uint64_t)delivered,
			     "kernel counted %lu deliveries after %d",
			     (unsigned long)count, delivered);
	}
	printf("pcitest: irq: intid %u, %d raised, %d delivered, kernel "
	       "count %lu, frames %u of %lu bytes\n",
	       intid, rounds, delivered, (unsigned long)count, bar.total,
	       (unsigned long)bar.frame_size);
	TEST_REQUIRE(pci_release(&pci_ch, bdf) == 0, "release refused");
	check_revoked(bdf, &bar, ntfn);
	printf("pcitest: irq: release revoked the frame and the "
	       "notification\n");
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static inline uint64_t pmu_cycles(void)
{
	uint64_t v;

	__asm__ volatile("isb\n mrs %0, pmccntr_el0" : "=r"(v) : : "memory");
	return v;
}

/**
 * make bench: instructions from the MMIO write that raises edu's interrupt
 * to this thread running again after rift_wait() returned it (interrupt
 * entry, masking, notification signal, return, wait). Needs rift.pmu=user.
 */
static int mode_irqbench(int rounds)
{
	static uint64_t samples[1000];
	uint32_t bdf = find_edu(0);
	struct pci_drv_bar bar;
	uint64_t ntfn = 0, count = 0, word = 0, overhead;
	uint32_t intid = 0;

	TEST_REQUIRE(rounds > 0 && rounds <= 1000, "rounds %d", rounds);
	edu_open(bdf, &bar);
	TEST_REQUIRE(pci_irq_attach(&pci_ch, bdf, &intid, &ntfn) == 0,
		     "irq_attach");
	overhead = pmu_cycles();
	overhead = pmu_cycles() - overhead;
	for (int i = 0; i < rounds; i++) {
		uint64_t t0 = pmu_cycles();

		edu_write(&bar, EDU_REG_IRQ_RAISE, 1);
		rift_wait(ntfn, &word);
		samples[i] = pmu_cycles() - t0 - overhead;
		edu_write(&bar, EDU_REG_IRQ_ACK, 1);
		TEST_REQUIRE(pci_irq_ack(&pci_ch, bdf, &count) == 0, "ack");
	}
	qsort(samples, (size_t)rounds, sizeof(samples[0]), cmp_u64);
	printf("BENCH irq_to_handler min=%llu median=%llu n=%d\n",
	       (unsigned long long)samples[0],
	       (unsigned long long)samples[rounds / 2], rounds);
	return 0;
}

/** Waits for the other side of the owner/intruder pair. */
static void sync_wait(uint64_t slot)
{
	uint64_t word = 0;
	long err = rift_wait(slot, &word);

	TEST_REQUIRE(err == 0 && word != 0, "sync wait %ld", err);
}

/** Reads a config register of a claimed device; fails the test on error. */
static uint32_t cfg_get(uint32_t bdf, uint16_t off, uint8_t width)
{
	uint32_t v = 0;
	int err = pci_config_read(&pci_ch, bdf, off, width, &v);

	TEST_REQUIRE(err == 0, "config_read %x: %d", off, err);
	return v;
}

/** The owner's checks of what the server lets it write. */
static void owner_writes(uint32_t bdf)
{
	uint32_t bar0 = cfg_get(bdf, CFG_BAR0, 4);
	uint32_t cmd = cfg_get(bdf, CFG_COMMAND, 2);

	/* Memory decoding, but no bus mastering: that waits for the DMA
	 * server (docs/dma.md), and the driver cannot turn it on itself. */
	TEST_REQUIRE((cmd & 0x6) == 0x2, "claimed edu has command %x", cmd);
	TEST_REQUIRE(pci_config_write(&pci_ch, bdf, CFG_COMMAND, 2, cmd | 0x4)
		     == 0, "command write refused");
	TEST_REQUIRE((cfg_get(bdf, CFG_COMMAND, 2) & 0x7) == (cmd & 0x7),
		     "driver turned bus mastering on behind the server");
	TEST_REQUIRE(pci_config_write(&pci_ch, bdf, CFG_INT_LINE, 1, 0x5a) == 0,
		     "owner's write refused");
	TEST_REQUIRE(cfg_get(bdf, CFG_INT_LINE, 1) == 0x5a,
		     "owner's write did not land");
	TEST_REQUIRE(pci_config_write(&pci_ch, bdf, CFG_BAR0, 4, 0) ==
			     RIFT_EPERM,
		     "BAR write not refused");
	TEST_REQUIRE(cfg_get(bdf, CFG_BAR0, 4) == bar0, "BAR0 moved");
	TEST_REQUIRE(pci_config_write(&pci_ch, bdf, CFG_COMMAND, 2, 0) == 0,
		     "command write refused");
	TEST_REQUIRE((cfg_get(bdf, CFG_COMMAND, 2) & 0x7) == (cmd & 0x7),
		     "driver turned decoding off behind the server");
	TEST_REQUIRE(pci_config_read(&pci_ch, bdf, 3, 2, &bar0) == RIFT_EINVAL,
		     "unaligned read not refused");
}

/** Claims edu, writes, lets the intruder try, checks, releases. */
static int mode_owner(void)
{
	uint32_t bdf = find_edu(0);
	uint32_t line;

	TEST_REQUIRE(pci_claim(&pci_ch, bdf) == 0, "owner's claim refused");
	owner_writes(bdf);
	rift_signal(SLOT_GO);
	sync_wait(SLOT_DONE);
	line = cfg_get(bdf, CFG_INT_LINE, 1);
	TEST_REQUIRE(line == 0x5a, "interrupt line is %x after the intruder",
		     line);
	printf("pcitest: owner: interrupt line still 5a after the intruder\n");
	TEST_REQUIRE(pci_release(&pci_ch, bdf) == 0, "owner's release refused");
	rift_signal(SLOT_GO);
	return 0;
}

/** Everything an intruder may not do to a device claimed by another. */
static void intruder_refusals(uint32_t bdf)
{
	struct pci_dev_info info;
	uint32_t v = 0;
	uint8_t order;
	uint64_t slot;
	int err;

	err = pci_config_write(&pci_ch, bdf, CFG_INT_LINE, 1, 0xa5);
	TEST_REQUIRE(err == RIFT_EPERM, "intruder's write: %d", err);
	TEST_REQUIRE(pci_config_read(&pci_ch, bdf, CFG_INT_LINE, 1, &v) ==
			     RIFT_EPERM,
		     "intruder's read not refused");
	TEST_REQUIRE(pci_claim(&pci_ch, bdf) == RIFT_EBUSY,
		     "second claim not refused");
	TEST_REQUIRE(pci_bar_frame(&pci_ch, bdf, 0, 0, &v, &order, &slot) ==
			     RIFT_EPERM,
		     "intruder got a BAR frame");
	TEST_REQUIRE(pci_irq_attach(&pci_ch, bdf, &v, &slot) == RIFT_EPERM,
		     "intruder got the interrupt");
	TEST_REQUIRE(pci_release(&pci_ch, bdf) == RIFT_EPERM,
		     "intruder released the device");
	TEST_REQUIRE(pci_info(&pci_ch, bdf, &info) == 0 && info.claimed &&
			     !info.mine,
		     "info does not show the claim by another");
	printf("pcitest: intruder: write refused (%d), read, claim, frame, "
	       "irq and release refused\n",
	       err);
}

/** Tries everything on the owner's device, then claims it after release. */
static int mode_intruder(void)
{
	uint32_t bdf;

	sync_wait(SLOT_GO);
	bdf = find_edu(0);
	intruder_refusals(bdf);
	rift_signal(SLOT_DONE);
	sync_wait(SLOT_GO);
	TEST_REQUIRE(pci_claim(&pci_ch, bdf) == 0,
		     "claim after the owner's release refused");
	TEST_REQUIRE(cfg_get(bdf, CFG_INT_LINE, 1) == 0x5a,
		     "interrupt line changed across release");
	TEST_REQUIRE(pci_release(&pci_ch, bdf) == 0, "release refused");
	printf("pcitest: intruder: claimed and released after the owner\n");
	return 0;
}

/** Holds an INTx line until the other edu's driver has been refused it. */
static int mode_share_a(void)
{
	uint32_t bdf = find_edu(0);
	struct pci_drv_bar bar;
	uint64_t ntfn = 0;
	uint32_t intid = 0;

	edu_open(bdf, &bar);
	TEST_REQUIRE(pci_irq_attach(&pci_ch, bdf, &intid, &ntfn) == 0,
		     "first irq_attach refused");
	printf("pcitest: share-a: %02x:%02x.%x holds intid %u\n", bdf >> 8,
	       (bdf >> 3) & 0x1f, bdf & 7, intid);
	rift_signal(SLOT_GO);
	sync_wait(SLOT_DONE);
	TEST_REQUIRE(pci_release(&pci_ch, bdf) == 0, "release refused");
	check_revoked(bdf, &bar, ntfn);
	rift_signal(SLOT_GO);
	return 0;
}

/** Claims the second edu; its line is taken until share-a releases. */
static int mode_share_b(void)
{
	uint32_t bdf;
	struct pci_drv_bar bar;
	uint64_t ntfn = 0;
	uint32_t intid = 0;
	int err;

	sync_wait(SLOT_GO);
	bdf = find_edu(1);
	edu_open(bdf, &bar);
	err = pci_irq_attach(&pci_ch, bdf, &intid, &ntfn);
	TEST_REQUIRE(err == RIFT_EBUSY, "shared line attached twice: %d", err);
	printf("pcitest: share-b: %02x:%02x.%x shares the line: irq_attach "
	       "refused (%d)\n",
	       bdf >> 8, (bdf >> 3) & 0x1f, bdf & 7, err);
	rift_signal(SLOT_DONE);
	sync_wait(SLOT_GO);
	err = pci_irq_attach(&pci_ch, bdf, &intid, &ntfn);
	TEST_REQUIRE(err == 0, "irq_attach after the release: %d", err);
	TEST_REQUIRE(irq_round(bdf, &bar, ntfn, 0) == 1, "count after one");
	printf("pcitest: share-b: intid %u attached after the release, "
	       "interrupt delivered\n",
	       intid);
	TEST_REQUIRE(pci_release(&pci_ch, bdf) == 0, "release refused");
	check_revoked(bdf, &bar, ntfn);
	return 0;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";

	pci_ch = pci_drv_open();
	TEST_REQUIRE(pci_ch.ep != 0, "the description gives no capability "
		     "named '%s'", PCI_DRV_CAP);

	if (strcmp(mode, "list") == 0) {
		return mode_list();
	}
	if (strcmp(mode, "irq") == 0 && argc > 2) {
		return mode_irq(atoi(argv[2]));
	}
	if (strcmp(mode, "irqbench") == 0 && argc > 2) {
		return mode_irqbench(atoi(argv[2]));
	}
	if (strcmp(mode, "owner") == 0) {
		return mode_owner();
	}
	if (strcmp(mode, "intruder") == 0) {
		return mode_intruder();
	}
	if (strcmp(mode, "share-a") == 0) {
		return mode_share_a();
	}
	if (strcmp(mode, "share-b") == 0) {
		return mode_share_b();
	}
	printf("pcitest: usage: pcitest list | irq N | owner | intruder | "
	       "share-a | share-b\n");
	return 2;
}
