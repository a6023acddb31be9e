/* SPDX-License-Identifier: MIT */
/*
 * Host tests of the `lspci -x` style configuration space dump: the text is
 * parsed back with the rules of libpci's dump reader (lib/dump.c) and
 * compared byte for byte with the simulated configuration space.
 *
 * dump_files also leaves the QEMU virt dump and the server-side listing in
 * $TMPDIR (default /tmp) as rift-pci-virt.dump and rift-pci-virt.list, so
 * `lspci -F` and tools/pcitopo can be run on them by hand.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "../../drivers-domain/pci/pci_dump.h"
#include "../../drivers-domain/pci/pci_enum.h"
#include "../../drivers-domain/pci/pci_list.h"
#include "../../drivers-domain/pci/pci_topo.h"
#include "pci_sim.h"
#include "test.h"

static struct pci_sim sim;
static struct pci_topology topo;
static struct pci_enum_config cfg;
static struct pci_sim_virt virt;
static char text[PCI_ENUM_MAX_FUNCS * 16000];

/** One function read back from a dump. */
struct parsed {
	uint32_t bdf;
	char title[128];
	int len;
	uint8_t data[4096];
};

static struct parsed parsed[PCI_ENUM_MAX_FUNCS];
static int parsed_count;

static bool run_virt(void)
{
	pci_sim_qemu_virt(&sim, &virt);
	pci_sim_qemu_virt_config(&cfg);
	return pci_enum_run(&sim, &cfg, &topo) == PCI_ENUM_OK &&
	       pci_enum_enable(&sim, &topo, 5) == PCI_ENUM_OK;
}

/** True if `s` matches `fmt`, where '#' stands for a hex digit. */
static bool shape(const char *s, const char *fmt)
{
	for (; *fmt != '\0'; fmt++, s++) {
		if (*fmt == '#' ? !isxdigit((unsigned char)*s) : *fmt != *s) {
			return false;
		}
	}
	return true;
}

/** Parses the bytes of a `OFF: xx xx ...` line into `p`. */
static bool parse_data(struct parsed *p, const char *line)
{
	char *end;
	unsigned long off = strtoul(line, &end, 16);
	const char *z = end;

	if (z[0] != ':' || z[1] != ' ') {
		return false;
	}
	z += 2;
	while (isxdigit((unsigned char)z[0]) && isxdigit((unsigned char)z[1]) &&
	       (z[2] == '\0' || z[2] == ' ')) {
		if (off >= 4096) {
			return false;
		}
		p->data[off++] =
			(uint8_t)strtoul((char[]){z[0], z[1], 0}, NULL, 16);
		if ((int)off > p->len) {
			p->len = (int)off;
		}
		z += z[2] == ' ' ? 3 : 2;
	}
	return *z == '\0';
}

/** Parses one line; false if libpci would reject it. */
static bool parse_line(struct parsed **cur, char *line)
{
	unsigned int b;
	unsigned int d;
	unsigned int f;

	if (shape(line, "##:##.# ") &&
	    sscanf(line, "%x:%x.%u", &b, &d, &f) == 3) {
		*cur = &parsed[parsed_count++];
		(*cur)->bdf = PCI_BDF(b, d, f);
		(*cur)->len = 0;
		snprintf((*cur)->title, sizeof((*cur)->title), "%s", line);
		return true;
	}
	if (line[0] == '\0') {
		*cur = NULL;
		return true;
	}
	return *cur != NULL && (shape(line, "##: ") || shape(line, "###: ")) &&
	       parse_data(*cur, line);
}

/** Splits `s` into lines and parses them; false on any bad line. */
static bool parse_dump(char *s)
{
	struct parsed *cur = NULL;

	parsed_count = 0;
	while (*s != '\0') {
		char *nl = strchr(s, '\n');

		if (nl == NULL || nl - s > 250) {
			return false; /* libpci needs '\n' and short lines */
		}
		*nl = '\0';
		if (!parse_line(&cur, s)) {
			fprintf(stderr, "bad line: %s\n", s);
			return false;
		}
		s = nl + 1;
	}
	return true;
}

/** Every parsed function holds exactly the simulated bytes. */
static bool matches_sim(int len)
{
	for (int i = 0; i < parsed_count; i++) {
		int m = pci_sim_lookup(&sim, parsed[i].bdf);

		if (m < 0 || parsed[i].len != len) {
			return false;
		}
		for (int off = 0; off < len; off++) {
			if (parsed[i].data[off] != sim.funcs[m].cfg[off]) {
				fprintf(stderr, "%x+%x differs\n",
					parsed[i].bdf, off);
				return false;
			}
		}
	}
	return true;
}

/** Writes `s` to $TMPDIR/`name`. */
static bool save(const char *name, const char *s)
{
	const char *dir = getenv("TMPDIR");
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir ? dir : "/tmp", name);
	f = fopen(path, "w");
	if (f == NULL) {
		return false;
	}
	fputs(s, f);
	return fclose(f) == 0;
}

TEST(roundtrip_full)
{
	size_t n;

	CHECK(run_virt());
	n = pci_dump_topology(&sim, &topo, PCI_DUMP_FULL, text, sizeof(text));
	CHECK(n > 0 && n < sizeof(text));
	CHECK_EQ(strlen(text), n);
	CHECK(parse_dump(text));
	CHECK_EQ(parsed_count, topo.func_count);
	CHECK(matches_sim(256));
	/* lspci order: sorted by bus, device, function. */
	for (int i = 1; i < parsed_count; i++) {
		CHECK(parsed[i - 1].bdf < parsed[i].bdf);
	}
	CHECK_EQ(parsed[5].bdf, PCI_BDF(0, 5, 0));
	CHECK_EQ(parsed[6].bdf, PCI_BDF(1, 0, 0));
	CHECK_EQ(sim.bad_accesses, 0);
}

TEST(title_lines)
{
	CHECK(run_virt());
	pci_dump_topology(&sim, &topo, PCI_DUMP_HEADER, text, sizeof(text));
	CHECK(parse_dump(text));
	CHECK(strcmp(parsed[0].title, "00:00.0 0600: 1b36:0008") == 0);
	CHECK(strcmp(parsed[1].title, "00:01.0 0100: 1af4:1001") == 0);
	CHECK(strcmp(parsed[4].title, "00:04.0 0604: 1b36:000c") == 0);
	CHECK(strcmp(parsed[6].title, "01:00.0 0100: 1af4:1042 (rev 01)") == 0);
}

TEST(block_layout)
{
	static const char head[] =
		"00:03.0 0200: 8086:10d3\n"
		"00: 86 80 d3 10 00 00 10 00 00 00 00 02";
	size_t n;

	CHECK(run_virt());
	n = pci_dump_func(&sim, PCI_BDF(0, 3, 0), PCI_DUMP_HEADER, text,
			  sizeof(text));
	CHECK(strncmp(text, head, strlen(head)) == 0);
	/* Title + 4 lines of 3 + 16 * 3 characters, then a blank line. */
	CHECK_EQ(n, strlen("00:03.0 0200: 8086:10d3\n") + 4 * 52 + 1);
	CHECK(strstr(text,
		     "\n30: 00 00 00 00 c8 00 00 00 00 00 00 00 00 01 "
		     "00 00\n\n") != NULL);
	CHECK(text[n - 1] == '\n' && text[n - 2] == '\n');
}

TEST(extended_4096)
{
	CHECK(run_virt());
	pci_dump_topology(&sim, &topo, PCI_DUMP_EXTENDED, text, sizeof(text));
	CHECK(strstr(text, "\nf0: ") != NULL);
	CHECK(strstr(text, "\n100: 00 00 00 00") != NULL);
	CHECK(strstr(text, "\nff0: ") != NULL);
	CHECK(parse_dump(text));
	CHECK(matches_sim(4096));
}

TEST(truncation)
{
	char small[100];
	size_t full;
	size_t n;

	CHECK(run_virt());
	full = pci_dump_topology(&sim, &topo, PCI_DUMP_FULL, text,
				 sizeof(text));
	memset(small, 'X', sizeof(small));
	n = pci_dump_topology(&sim, &topo, PCI_DUMP_FULL, small, 40);
	CHECK_EQ(n, full);
	CHECK_EQ(small[39], '\0');
	CHECK_EQ(small[40], 'X');
	CHECK(strncmp(small, text, 39) == 0);
	CHECK_EQ(pci_dump_topology(&sim, &topo, PCI_DUMP_FULL, NULL, 0), full);
	CHECK_EQ(pci_dump_func(&sim, PCI_BDF(0, 1, 0), 0, small, 1),
		 24 + 16 * 52 + 1);
	CHECK_EQ(small[0], '\0');
}

TEST(dump_files)
{
	size_t n;

	CHECK(run_virt());
	pci_dump_topology(&sim, &topo, PCI_DUMP_FULL, text, sizeof(text));
	CHECK(save("rift-pci-virt.dump", text));
	n = pci_list_topology(&topo, text, sizeof(text));
	CHECK(n > 0 && n < sizeof(text));
	CHECK(save("rift-pci-virt.list", text));
}

TEST_MAIN("pci_dump", TEST_ENTRY(roundtrip_full), TEST_ENTRY(title_lines),
	  TEST_ENTRY(block_layout), TEST_ENTRY(extended_4096),
	  TEST_ENTRY(truncation), TEST_ENTRY(dump_files))
