/* SPDX-License-Identifier: MIT */
/*
 * What the PCI server prints (format in docs/pci.md, "Server output").
 * Blocks meant for machines sit between marker lines of their own:
 *
 *   ==== pci listing begin ====     canonical listing (pci_list.h)
 *   ==== pci resources begin ====   host windows, BARs, bridge windows and
 *                                   INTx routes, with sizes
 *   ==== pci dump begin ====        `lspci -xxx` dump (pci_dump.h)
 *
 * each closed by the matching `==== pci <name> end ====` line.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "pci_dump.h"
#include "pci_list.h"
#include "pci_srv.h"
#include "pci_topo.h"

/**
 * Longest listing line: identity, six BARs, bridge windows and 48
 * capabilities fit in well under this.
 */
#define PCI_REPORT_LINE_MAX 1024
/** One function's 256-byte dump block: 17 lines of at most 54 bytes. */
#define PCI_REPORT_BLOCK_MAX 1024

/**
 * Longest physical line the server prints. Output paths cut long lines
 * (the kernel's debug output at 159 characters), so longer lines are
 * continued on the next line after a `+`: a reader joins them back.
 */
#define PCI_REPORT_WRAP 120

/*
 * Everything is printed a function at a time from fixed buffers: the
 * server allocates nothing after start-up, so it cannot fail for memory
 * once it serves.
 */

/** Prints one logical line (ending in a newline), wrapped as above. */
static void pci_report_line(const char *line)
{
	size_t len = strlen(line);
	size_t done = 0;

	while (len - done > PCI_REPORT_WRAP + 1) {
		if (done != 0) {
			fputc('+', stdout);
		}
		fwrite(line + done, 1, PCI_REPORT_WRAP, stdout);
		fputc('\n', stdout);
		done += PCI_REPORT_WRAP;
	}
	if (done != 0) {
		fputc('+', stdout);
	}
	fputs(line + done, stdout);
}

/** Prints the listing block. */
static void pci_report_listing(const struct pci_srv *s)
{
	const struct pci_topology *t = &s->topo;
	char line[PCI_REPORT_LINE_MAX];

	printf("==== pci listing begin ====\n");
	for (uint16_t i = pci_topo_next_by_bdf(t, PCI_ENUM_NONE);
	     i != PCI_ENUM_NONE; i = pci_topo_next_by_bdf(t, i)) {
		struct pci_list_entry e;

		pci_list_from_topology(t, i, &e);
		pci_list_format(&e, line, sizeof(line));
		pci_report_line(line);
	}
	printf("==== pci listing end ====\n");
	fflush(stdout);
}

/** Prints the configuration space dump block. */
static void pci_report_dump(struct pci_srv *s)
{
	const struct pci_topology *t = &s->topo;
	char block[PCI_REPORT_BLOCK_MAX];

	printf("==== pci dump begin ====\n");
	for (uint16_t i = pci_topo_next_by_bdf(t, PCI_ENUM_NONE);
	     i != PCI_ENUM_NONE; i = pci_topo_next_by_bdf(t, i)) {
		pci_dump_func(&s->ecam, t->funcs[i].bdf, PCI_DUMP_FULL, block,
			      sizeof(block));
		fputs(block, stdout);
	}
	printf("==== pci dump end ====\n");
	fflush(stdout);
}

/** Prints `BB:DD.F` of `bdf` (no newline). */
static void pci_report_bdf(uint32_t bdf)
{
	printf("%02x:%02x.%x", PCI_BDF_BUS(bdf), PCI_BDF_DEV(bdf),
	       PCI_BDF_FN(bdf));
}

/** Name of the window a resource of `kind` comes from. */
static const char *pci_report_window_name(enum pci_res_kind kind)
{
	switch (kind) {
	case PCI_RES_IO:
		return "io";
	case PCI_RES_MEM:
		return "mem";
	case PCI_RES_PREF:
		return "pref";
	case PCI_RES_NONE:
		break;
	}
	return "none";
}

/** BAR type as the listing names it. */
static const char *pci_report_bar_type(const struct pci_bar *b)
{
	if (b->flags & PCI_BAR_F_IO) {
		return "io";
	}
	if (b->flags & PCI_BAR_F_64) {
		return (b->flags & PCI_BAR_F_PREFETCH) ? "mem64pref" : "mem64";
	}
	return (b->flags & PCI_BAR_F_PREFETCH) ? "mem32pref" : "mem32";
}

/** `host KIND BUSBASE SIZE cpu CPUBASE` for an existing host window. */
static void pci_report_host_window(const char *name,
				   const struct pci_enum_window *w)
{
	if (w->size != 0) {
		printf("host %s %" PRIx64 " %" PRIx64 " cpu %" PRIx64 "\n",
		       name, w->bus_base, w->size, w->cpu_base);
	}
}

/** `BB:DD.F barN TYPE ADDR size SIZE window KIND` per implemented BAR. */
static void pci_report_bars(const struct pci_func *f)
{
	for (unsigned int i = 0; i < PCI_ENUM_BAR_COUNT; i++) {
		const struct pci_bar *b = &f->bars[i];

		if (b->size == 0 || (b->flags & PCI_BAR_F_UPPER)) {
			continue;
		}
		pci_report_bdf(f->bdf);
		printf(" bar%u %s ", i, pci_report_bar_type(b));
		if (b->flags & PCI_BAR_F_ASSIGNED) {
			printf("%" PRIx64, b->addr);
		} else {
			printf("unassigned");
		}
		printf(" size %" PRIx64 " window %s\n", b->size,
		       pci_report_window_name(b->kind));
	}
}

/** `BB:DD.F window KIND BASE size SIZE` per open bridge window. */
static void pci_report_windows(const struct pci_func *f)
{
	const struct pci_window *w[3] = {&f->bridge.io, &f->bridge.mem,
					 &f->bridge.pref};
	static const enum pci_res_kind kinds[3] = {PCI_RES_IO, PCI_RES_MEM,
						   PCI_RES_PREF};

	for (unsigned int k = 0; k < 3; k++) {
		if (w[k]->size == 0) {
			continue;
		}
		pci_report_bdf(f->bdf);
		printf(" window %s %" PRIx64 " size %" PRIx64 "\n",
		       pci_report_window_name(kinds[k]), w[k]->base,
		       w[k]->size);
	}
}

/** The resources block. */
static void pci_report_resources(const struct pci_srv *s)
{
	const struct pci_topology *t = &s->topo;

	printf("==== pci resources begin ====\n");
	printf("host buses %02x %02x\n", t->config.bus_start,
	       t->config.bus_end);
	pci_report_host_window("io", &t->config.io);
	pci_report_host_window("mem", &t->config.mem32);
	pci_report_host_window("pref", &t->config.pref);
	for (uint16_t i = pci_topo_next_by_bdf(t, PCI_ENUM_NONE);
	     i != PCI_ENUM_NONE; i = pci_topo_next_by_bdf(t, i)) {
		const struct pci_func *f = &t->funcs[i];

		pci_report_bars(f);
		if (f->is_bridge) {
			pci_report_windows(f);
		}
		if (s->devs[i].intid != 0) {
			pci_report_bdf(f->bdf);
			printf(" intx %c intid %" PRIu32 " %s\n",
			       'a' + f->int_pin - 1, s->devs[i].intid,
			       s->devs[i].trigger ? "edge" : "level");
		}
	}
	printf("==== pci resources end ====\n");
	fflush(stdout);
}

/** The host bridge and the outcome of enumeration. */
static void pci_report_summary(const struct pci_srv *s)
{
	const struct pci_topology *t = &s->topo;

	printf("pci: host bridge: ecam %" PRIx64 " (%" PRIu64
	       " MiB), buses %02x-%02x, %" PRIu32 " intx routes\n",
	       s->host.ecam_base, s->host.ecam_size >> 20,
	       t->config.bus_start, t->config.bus_end, s->host.intx_count);
	printf("pci: %u functions on buses %02x-%02x, %u ecam frames, "
	       "%u problems\n",
	       t->func_count, t->config.bus_start, t->last_bus,
	       s->ecam.mapped, t->error_count + t->errors_dropped);
	for (uint16_t i = 0; i < t->error_count; i++) {
		const struct pci_enum_error *e = &t->errors[i];

		printf("pci: problem: ");
		pci_report_bdf(e->bdf);
		printf(" %s (slot %u, size %" PRIx64 ")\n",
		       pci_enum_status_str(e->code), e->slot, e->size);
	}
	if (s->ecam.failures != 0) {
		printf("pci: %u ecam frames could not be mapped (error %ld)\n",
		       s->ecam.failures, s->ecam.last_error);
	}
}

void pci_report_all(struct pci_srv *s)
{
	pci_report_summary(s);
	pci_report_listing(s);
	pci_report_resources(s);
	pci_report_dump(s);
}

void pci_report_func(const struct pci_srv *s, uint16_t idx, const char *what)
{
	struct pci_list_entry e;
	char line[PCI_REPORT_LINE_MAX];
	int n = snprintf(line, sizeof(line), "pci: %s: ", what);

	if (n < 0 || (size_t)n >= sizeof(line)) {
		return;
	}
	pci_list_from_topology(&s->topo, idx, &e);
	pci_list_format(&e, line + n, sizeof(line) - (size_t)n);
	pci_report_line(line);
	fflush(stdout);
}
