/* SPDX-License-Identifier: MIT */
/* The guest configuration (vm_config.h). */
#include "vm_config.h"

#include <libfdt.h>
#include <stdio.h>
#include <string.h>

#include "vm_psci.h"

static const char *str(const void *fdt, const char *name, int required,
		       char *err, size_t err_size, int *bad)
{
	int len;
	const char *s = fdt_getprop(fdt, 0, name, &len);

	if (!s) {
		if (required) {
			snprintf(err, err_size, "configuration has no '%s'",
				 name);
			*bad = 1;
		}
		return NULL;
	}
	if (len < 1 || s[len - 1] || (int)strlen(s) + 1 != len) {
		snprintf(err, err_size, "configuration '%s' is not a string",
			 name);
		*bad = 1;
		return NULL;
	}
	return s;
}

static uint64_t num(const void *fdt, const char *name, uint64_t def,
		    char *err, size_t err_size, int *bad)
{
	int len;
	const fdt32_t *p = fdt_getprop(fdt, 0, name, &len);

	if (!p) {
		return def;
	}
	if (len == 4) {
		return fdt32_to_cpu(p[0]);
	}
	if (len == 8) {
		return (uint64_t)fdt32_to_cpu(p[0]) << 32 | fdt32_to_cpu(p[1]);
	}
	snprintf(err, err_size, "configuration '%s' must be 1 or 2 cells",
		 name);
	*bad = 1;
	return 0;
}

int vm_config_parse(const void *blob, size_t size, struct vm_config *c,
		    char *err, size_t err_size)
{
	int bad = 0;

	memset(c, 0, sizeof(*c));
	if (size < 40 || fdt_check_header(blob) != 0 ||
	    fdt_totalsize(blob) > size) {
		snprintf(err, err_size, "the guest configuration is not a "
			 "device tree");
		return -1;
	}
	c->name = str(blob, "name", 1, err, err_size, &bad);
	c->kernel_file = str(blob, "kernel-file", 1, err, err_size, &bad);
	c->initrd_file = str(blob, "initrd-file", 0, err, err_size, &bad);
	c->bootargs = str(blob, "bootargs", 0, err, err_size, &bad);
	c->kernel = (const uint8_t *)(uintptr_t)num(blob, "kernel", 0, err,
						    err_size, &bad);
	c->kernel_size = num(blob, "kernel-size", 0, err, err_size, &bad);
	c->initrd = (const uint8_t *)(uintptr_t)num(blob, "initrd", 0, err,
						    err_size, &bad);
	c->initrd_size = num(blob, "initrd-size", 0, err, err_size, &bad);
	c->memory = num(blob, "memory", 0, err, err_size, &bad);
	c->rma = num(blob, "rma", 0, err, err_size, &bad);
	c->cpus = (uint32_t)num(blob, "cpus", 1, err, err_size, &bad);
	if (bad) {
		return -1;
	}
	if (!c->kernel) {
		snprintf(err, err_size, "configuration has no 'kernel'");
		return -1;
	}
	if (c->rma < (2u << 20) || (c->rma & (c->rma - 1))) {
		snprintf(err, err_size, "RMA size %llu is not a power of two "
			 "of at least 2 MiB", (unsigned long long)c->rma);
		return -1;
	}
	if (c->memory < c->rma || (c->memory & ((2u << 20) - 1))) {
		snprintf(err, err_size, "guest memory %llu is not a multiple "
			 "of 2 MiB at least the RMA's size",
			 (unsigned long long)c->memory);
		return -1;
	}
	if (c->cpus < 1 || c->cpus > VM_PSCI_MAX_CPUS) {
		snprintf(err, err_size, "cpus = %u: 1 to %u", c->cpus,
			 VM_PSCI_MAX_CPUS);
		return -1;
	}
	return 0;
}
