/* SPDX-License-Identifier: MIT */
/*
 * The supervisor. Reads the system description from the boot archive
 * (system.dtb, or system-<name>.dtb when the kernel command line says
 * rift.system=<name>), creates every domain, then serves as the fault
 * handler of all of them: it logs each fault or exit and destroys or
 * restarts the domain according to its restart policy.
 */
#include "supervisor.h"

#include <libfdt.h>
#include <rift/abi.h>
#include <rift/cpio.h>
#include <rift/rt.h>
#include <rift/syscall.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct supervisor sup;

static const char *fault_kind_name(uint64_t kind)
{
	static const char *const names[] = {
		"?", "data abort", "instruction abort", "undefined instruction",
		"alignment fault", "unknown system call", "exit", "exception",
	};

	return kind < sizeof(names) / sizeof(names[0]) ? names[kind] : "?";
}

static uint64_t free_pages(void)
{
	struct rift_meminfo mi;

	rift_meminfo(-1, &mi);
	return mi.free_pages;
}

/** The value of "key=" in the kernel command line, copied into @out. */
static bool bootarg(const char *key, char *out, size_t size)
{
	const void *fdt = (const void *)(uintptr_t)rt_auxv(RIFT_AT_FDT);
	int chosen = fdt ? fdt_path_offset(fdt, "/chosen") : -1;
	const char *args = chosen >= 0 ?
		fdt_getprop(fdt, chosen, "bootargs", NULL) : NULL;
	size_t klen = strlen(key);

	for (const char *p = args; p && *p;) {
		size_t len = strcspn(p, " ");

		if (len > klen && strncmp(p, key, klen) == 0 &&
		    p[klen] == '=') {
			snprintf(out, size, "%.*s", (int)(len - klen - 1),
				 p + klen + 1);
			return true;
		}
		p += len;
		p += *p == ' ';
	}
	return false;
}

static int load_description(void)
{
	char name[64] = "system.dtb", sel[32], err[256];
	static char dma[16];
	const void *blob;
	void *aligned;
	size_t size;

	if (bootarg("rift.system", sel, sizeof(sel))) {
		snprintf(name, sizeof(name), "system-%s.dtb", sel);
	}
	if (cpio_find(sup.archive, sup.archive_size, name, &blob, &size) != 0) {
		printf("supervisor: no %s in the boot archive\n", name);
		return -1;
	}
	/* cpio data is 4-byte aligned; libfdt wants 8. */
	aligned = malloc(size);
	if (!aligned) {
		printf("supervisor: no memory for %s\n", name);
		return -1;
	}
	memcpy(aligned, blob, size);
	/* rift.dma=<server> overrides dma-server (make run DMA=swiotlb). */
	if (sysdesc_parse_dma(aligned, size,
			      bootarg("rift.dma", dma, sizeof(dma)) ? dma :
								       NULL,
			      &sup.sd, err, sizeof(err)) != 0) {
		printf("supervisor: %s: %s\n", name, err);
		return -1;
	}
	printf("supervisor: %s: %u domains, %u channels, dma server %s\n",
	       name, sup.sd.domain_count, sup.sd.channel_count,
	       sup.sd.dma_server);
	return 0;
}

static void start_child(struct child *c)
{
	char err[160];

	if (c->desc->disabled) {
		/* The DMA server under dma-server = "none": drivers that ask
		 * for DMA get RIFT_EIO, and no device ever gets bus mastering
		 * (docs/dma.md). */
		printf("supervisor: not starting %s: dma-server = \"none\"\n",
		       c->desc->name);
		loader_close_channels(&sup, c);
		return;
	}
	c->free_before = free_pages();
	if (loader_start(&sup, c, err, sizeof(err)) != 0) {
		printf("supervisor: cannot start %s: %s\n", c->desc->name,
		       err);
		/* Its clients must not wait for it forever. */
		loader_close_channels(&sup, c);
		return;
	}
	printf("supervisor: started %s (domain %llu)\n", c->desc->name,
	       (unsigned long long)c->id);
}

/**
 * Destroy @c and say what came back: the pages its destruction returned,
 * and the machine's free pages before it was made and after it is gone
 * (equal when nothing else ran meanwhile: no leak).
 */
static void stop_child(struct child *c)
{
	uint64_t before_destroy = free_pages(), after;

	loader_destroy(c);
	after = free_pages();
	printf("supervisor: destroyed %s: %llu pages returned; free pages "
	       "%llu before create, %llu after destroy\n",
	       c->desc->name, (unsigned long long)(after - before_destroy),
	       (unsigned long long)c->free_before,
	       (unsigned long long)after);
}

void supervisor_stop(struct child *c)
{
	stop_child(c);
}

static bool wants_restart(const struct child *c, uint64_t kind)
{
	enum sd_restart r = c->desc->restart;

	if (r == SD_RESTART_NEVER || c->restarts >= c->desc->max_restarts) {
		return false;
	}
	return r == SD_RESTART_ALWAYS || kind != RIFT_FAULT_EXIT;
}

static void report(const struct child *c, const struct rift_regs_msg *m)
{
	if (m->mr[0] == RIFT_FAULT_EXIT) {
		printf("supervisor: %s exited with status %lld\n",
		       c->desc->name, (long long)m->mr[3]);
		return;
	}
	printf("supervisor: %s faulted: %s at 0x%llx, pc 0x%llx "
	       "(syndrome 0x%llx)\n",
	       c->desc->name, fault_kind_name(m->mr[0]),
	       (unsigned long long)m->mr[1], (unsigned long long)m->mr[2],
	       (unsigned long long)m->mr[3]);
}

static void handle_fault(const struct rift_regs_msg *m)
{
	struct child *c;

	if (platform_power_message(&sup, m)) {
		return;
	}
	if (m->label != RIFT_FAULT_LABEL || m->badge == 0 ||
	    m->badge > sup.sd.domain_count) {
		printf("supervisor: ignoring unexpected message (label 0x%llx, "
		       "badge %llu)\n",
		       (unsigned long long)m->label,
		       (unsigned long long)m->badge);
		return;
	}
	c = &sup.children[m->badge - 1];
	report(c, m);
	stop_child(c);
	if (wants_restart(c, m->mr[0])) {
		c->restarts++;
		printf("supervisor: restarting %s (%u of %u)\n", c->desc->name,
		       c->restarts, c->desc->max_restarts);
		start_child(c);
	} else {
		loader_close_channels(&sup, c);
	}
}

static bool only_services_left(void)
{
	for (uint32_t i = 0; i < sup.sd.domain_count; i++) {
		if (sup.children[i].running && !sup.children[i].desc->service) {
			return false;
		}
	}
	return true;
}

/**
 * Says which domains keep the machine on under shutdown-when-idle: the
 * running non-service ones. A server that is not marked `service` is the
 * usual surprise, so serving a channel is pointed out.
 */
static void say_waiting(const char *when)
{
	char list[SD_MAX_DOMAINS * (SD_NAME_MAX + 40)];
	size_t n = 0;

	if (!sup.sd.shutdown_when_idle || only_services_left()) {
		return;
	}
	for (uint32_t i = 0; i < sup.sd.domain_count; i++) {
		const struct child *c = &sup.children[i];
		const char *serves = NULL;

		if (!c->running || c->desc->service) {
			continue;
		}
		for (uint32_t j = 0; j < sup.sd.channel_count; j++) {
			if (sup.sd.channels[j].server.domain == i) {
				serves = sup.sd.channels[j].name;
			}
		}
		n += (size_t)snprintf(list + n, sizeof(list) - n, "%s%s%s%s%s",
				      n ? ", " : "", c->desc->name,
				      serves ? " (serves channel " : "",
				      serves ? serves : "",
				      serves ? " but is not a 'service')" : "");
	}
	printf("supervisor: %s; shutdown-when-idle waits for %s to finish\n",
	       when, list);
}

int main(void)
{
	char stay[8] = "0";
	struct rift_regs_msg m;
	char err[160] = "no endpoint for faults";

	sup.archive = (const uint8_t *)(uintptr_t)rt_auxv(RIFT_AT_INITRD);
	sup.archive_size = rt_auxv(RIFT_AT_INITRD_SIZE);
	printf("supervisor: boot archive of %zu bytes\n", sup.archive_size);
	if (load_description() != 0) {
		return 1;
	}
	bootarg("rift.stay", stay, sizeof(stay));
	sup.fault_ep = rt_slot_alloc();
	if (rift_endpoint_create(sup.fault_ep) != 0 ||
	    loader_make_objects(&sup, err, sizeof(err)) != 0) {
		printf("supervisor: cannot make system objects: %s\n", err);
		return 1;
	}
	for (uint32_t i = 0; i < sup.sd.domain_count; i++) {
		sup.children[i].index = i;
		sup.children[i].desc = &sup.sd.domains[i];
		start_child(&sup.children[i]);
	}
	say_waiting("all started");
	while (!sup.power_request &&
	       !(sup.sd.shutdown_when_idle && stay[0] != '1' &&
		 only_services_left())) {
		if (rift_recv(sup.fault_ep, &m) == 0) {
			handle_fault(&m);
			if (!sup.power_request) {
				say_waiting("a domain stopped");
			}
		}
	}
	if (sup.power_request) {
		platform_shutdown(&sup);
		return 0;
	}
	printf("supervisor: all domains finished; shutting down\n");
	return 0;
}
