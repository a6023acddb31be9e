/* SPDX-License-Identifier: MIT */
/*
 * Host tests of the canonical topology listing (pci_list.h): the exact
 * text for the QEMU virt machine, and the formatting rules.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "../../drivers-domain/pci/pci_enum.h"
#include "../../drivers-domain/pci/pci_list.h"
#include "pci_sim.h"
#include "test.h"

static struct pci_sim sim;
static struct pci_topology topo;
static struct pci_enum_config cfg;
static struct pci_sim_virt virt;
static char text[65536];

/**
 * QEMU virt after enumeration, with 01:00.0 claimed (pci_enum_enable): the
 * listing the enumerator printed when run bare metal on QEMU 7.2's own
 * ECAM for this topology (with 01:00.0 and its root port then enabled).
 */
static const char golden[] =
	"00:00.0 1b36:0008 class 060000 rev 00 hdr 00 cmd 0\n"
	"00:01.0 1af4:1001 class 010000 rev 00 hdr 00 cmd 0"
	" bar0 io 2000 bar1 mem32 10244000 bar4 mem64pref 8000200000"
	" caps 09@40,09@50,09@60,09@70,09@84,11@98\n"
	"00:02.0 1af4:1000 class 020000 rev 00 hdr 00 cmd 0"
	" bar0 io 2080 bar1 mem32 10245000 bar4 mem64pref 8000204000"
	" caps 09@40,09@50,09@60,09@70,09@84,11@98\n"
	"00:03.0 8086:10d3 class 020000 rev 00 hdr 00 cmd 0"
	" bar0 mem32 10200000 bar1 mem32 10220000 bar2 io 20a0"
	" bar3 mem32 10240000 caps 11@a0,01@c8,05@d0,10@e0\n"
	"00:04.0 1b36:000c class 060400 rev 00 hdr 01 cmd 6"
	" bar0 mem32 10246000 bridge pri 00 sec 01 sub 01"
	" mem 10000000-100fffff pref 8000000000-80000fffff"
	" caps 0d@40,11@48,10@54\n"
	"00:05.0 1b36:0001 class 060400 rev 00 hdr 01 cmd 0"
	" bar0 mem64 10247000 bridge pri 00 sec 02 sub 02"
	" io 1000-1fff mem 10100000-101fffff"
	" pref 8000100000-80001fffff caps 0c@40,04@48,05@4c\n"
	"01:00.0 1af4:1042 class 010000 rev 01 hdr 00 cmd 2"
	" bar1 mem32 10000000 bar4 mem64pref 8000000000"
	" caps 10@40,01@7c,09@84,09@94,09@a4,09@b4,09@c8,11@dc\n"
	"02:01.0 1af4:1000 class 020000 rev 00 hdr 00 cmd 0"
	" bar0 io 1000 bar1 mem32 10100000 bar4 mem64pref 8000100000"
	" caps 09@40,09@50,09@60,09@70,09@84,11@98\n";

/** Prints where two texts first differ, to stderr. */
static bool same_text(const char *got, const char *want)
{
	size_t i = 0;

	while (got[i] != '\0' && got[i] == want[i]) {
		i++;
	}
	if (got[i] == want[i]) {
		return true;
	}
	fprintf(stderr, "differs at %zu:\n got: %.60s\nwant: %.60s\n", i,
		got + i, want + i);
	return false;
}

TEST(qemu_virt_golden)
{
	size_t n;

	pci_sim_qemu_virt(&sim, &virt);
	pci_sim_qemu_virt_config(&cfg);
	CHECK_EQ(pci_enum_run(&sim, &cfg, &topo), PCI_ENUM_OK);
	CHECK_EQ(pci_enum_enable(&sim, &topo, 5), PCI_ENUM_OK);
	n = pci_list_topology(&topo, text, sizeof(text));
	CHECK_EQ(n, sizeof(golden) - 1);
	CHECK(same_text(text, golden));
}

TEST(all_fields)
{
	struct pci_list_entry e;

	memset(&e, 0, sizeof(e));
	e.bdf = PCI_BDF(0xab, 0x1f, 7);
	e.vendor = 0x8086;
	e.device = 0x0001;
	e.class_code = 0x060400;
	e.revision = 0x0c;
	e.header_type = 0x81;
	e.command = 0xff; /* only bits 2:0 are shown */
	e.bars[0].kind = PCI_LIST_BAR_MEM32_PREF;
	e.bars[0].addr = 0xe0000000;
	e.bars[1].kind = PCI_LIST_BAR_MEM64;
	e.bars[1].addr = 0; /* unassigned: not listed */
	e.bridge = true;
	e.primary = 0xab;
	e.secondary = 0xac;
	e.subordinate = 0xff;
	e.io.open = true;
	e.io.base = 0x1000;
	e.io.limit = 0x1fff;
	e.mem.open = false;
	e.pref.open = true;
	e.pref.base = 0xfff00000000ull;
	e.pref.limit = 0xfffffffffffull;
	e.cap_count = 3;
	e.caps[0] = (struct pci_list_cap){.id = 0x10, .offset = 0x90};
	e.caps[1] = (struct pci_list_cap){.id = 0x01, .offset = 0x40};
	e.caps[2] = (struct pci_list_cap){.id = 0x05, .offset = 0x50};
	pci_list_format(&e, text, sizeof(text));
	CHECK(same_text(text,
			"ab:1f.7 8086:0001 class 060400 rev 0c hdr 81 cmd 7"
			" bar0 mem32pref e0000000 bridge pri ab sec ac sub ff"
			" io 1000-1fff pref fff00000000-fffffffffff"
			" caps 01@40,05@50,10@90\n"));
}

TEST(endpoint_minimal)
{
	struct pci_list_entry e;
	size_t n;

	memset(&e, 0, sizeof(e));
	e.bars[5].kind = PCI_LIST_BAR_IO;
	e.bars[5].addr = 0xfffc;
	n = pci_list_format(&e, text, sizeof(text));
	CHECK(same_text(text,
			"00:00.0 0000:0000 class 000000 rev 00 hdr 00"
			" cmd 0 bar5 io fffc\n"));
	CHECK_EQ(n, strlen(text));
}

TEST(truncation)
{
	struct pci_list_entry e;
	char small[16];
	size_t n;

	memset(&e, 0, sizeof(e));
	memset(small, 'X', sizeof(small));
	n = pci_list_format(&e, small, 8);
	CHECK_EQ(n, strlen("00:00.0 0000:0000 class 000000 rev 00 hdr 00 "
			   "cmd 0\n"));
	CHECK(strcmp(small, "00:00.0") == 0);
	CHECK_EQ(small[8], 'X');
	CHECK_EQ(pci_list_format(&e, NULL, 0), n);
}

TEST_MAIN("pci_list", TEST_ENTRY(qemu_virt_golden), TEST_ENTRY(all_fields),
	  TEST_ENTRY(endpoint_minimal), TEST_ENTRY(truncation))
