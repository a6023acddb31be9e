/* SPDX-License-Identifier: MIT */
/*
 * guest_dt: writes the device tree the VMM gives a guest, built by the
 * VMM's own code (drivers-domain/vmm/vm_boot.c, vm_fdt.c), for `make
 * guest-dt` (tools/guest/guest_dt.py, docs/guests.md).
 *
 *   guest_dt --name N --kernel FILE [--initrd FILE] [--bootargs S]
 *            [--memory BYTES] [--rma BYTES] [--cpus N] -o OUT.dtb
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../drivers-domain/vmm/vm_boot.h"
#include "../../drivers-domain/vmm/vm_layout.h"

static uint8_t *slurp(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	long n;

	if (!f || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0 || !(buf = malloc((size_t)n + 1)) ||
	    fread(buf, 1, (size_t)n, f) != (size_t)n) {
		fprintf(stderr, "guest_dt: cannot read %s\n", path);
		exit(1);
	}
	fclose(f);
	*size = (size_t)n;
	return buf;
}

int main(int argc, char **argv)
{
	static uint8_t dtb[VM_DTB_MAX] __attribute__((aligned(8)));
	struct vm_config c = { .name = "guest", .memory = VM_MEM_DEFAULT,
			       .rma = VM_RMA_DEFAULT, .cpus = 1 };
	const char *kernel = NULL, *initrd = NULL, *out = NULL;
	struct vm_image_info img;
	struct vm_boot_layout l;
	struct vm_fdt_params p;
	size_t ksize, isize = 0;
	uint8_t *k;
	FILE *f;
	int e;

	for (int i = 1; i + 1 < argc; i += 2) {
		const char *a = argv[i], *v = argv[i + 1];

		if (!strcmp(a, "--name")) {
			c.name = v;
		} else if (!strcmp(a, "--kernel")) {
			kernel = v;
		} else if (!strcmp(a, "--initrd")) {
			initrd = v;
		} else if (!strcmp(a, "--bootargs")) {
			c.bootargs = v;
		} else if (!strcmp(a, "--memory")) {
			c.memory = strtoull(v, NULL, 0);
		} else if (!strcmp(a, "--rma")) {
			c.rma = strtoull(v, NULL, 0);
		} else if (!strcmp(a, "--cpus")) {
			c.cpus = (uint32_t)strtoul(v, NULL, 0);
		} else if (!strcmp(a, "-o")) {
			out = v;
		} else {
			fprintf(stderr, "guest_dt: unknown option %s\n", a);
			return 2;
		}
	}
	if (!kernel || !out) {
		fprintf(stderr, "usage: guest_dt --name N --kernel FILE "
			"[--initrd FILE] [--bootargs S] [--memory B] [--rma B] "
			"[--cpus N] -o OUT.dtb\n");
		return 2;
	}
	k = slurp(kernel, &ksize);
	e = vm_image_check(k, ksize, &img);
	if (e) {
		fprintf(stderr, "guest_dt: %s: %s\n", kernel,
			vm_image_strerror(e));
		return 1;
	}
	if (initrd) {
		free(slurp(initrd, &isize));
		c.initrd = (const uint8_t *)1; /* present; bytes not needed */
		c.initrd_size = isize;
	}
	if (vm_boot_layout(&img, VM_RAM_BASE, c.memory, isize, &l)) {
		fprintf(stderr, "guest_dt: %s\n",
			vm_image_strerror(VM_IMAGE_TOO_BIG));
		return 1;
	}
	vm_boot_fdt_params(&c, &l, VM_RAM_BASE, &p);
	e = vm_fdt_build(dtb, sizeof(dtb), &p);
	if (e < 0) {
		fprintf(stderr, "guest_dt: libfdt error %d\n", e);
		return 1;
	}
	f = fopen(out, "wb");
	if (!f || fwrite(dtb, 1, (size_t)e, f) != (size_t)e || fclose(f)) {
		fprintf(stderr, "guest_dt: cannot write %s\n", out);
		return 1;
	}
	free(k);
	return 0;
}
