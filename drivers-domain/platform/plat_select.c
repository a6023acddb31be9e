/* SPDX-License-Identifier: MIT */
/*
 * Choosing the machine vector from the device tree (see plat.h). The table
 * is the only list of boards: a new board adds its backend here, most
 * specific first. Nothing is chosen at build time.
 */
#include "plat.h"

#include <libfdt.h>
#include <stdio.h>
#include <string.h>

/** Backends in the order they are tried; the generic one matches all. */
static const struct plat_backend *const plat_backends[] = {
	&plat_backend_shub1,
	&plat_backend_virt,
	&plat_backend_generic,
};

/** True if the root or any node of @fdt is compatible with @compat. */
static bool plat_tree_has(const void *fdt, const char *compat)
{
	return fdt_node_check_compatible(fdt, 0, compat) == 0 ||
	       fdt_node_offset_by_compatible(fdt, -1, compat) >= 0;
}

const struct plat_backend *plat_select(const void *fdt)
{
	size_t n = sizeof(plat_backends) / sizeof(plat_backends[0]);

	for (size_t i = 0; i < n; i++) {
		const struct plat_backend *b = plat_backends[i];

		if (b->compatible[0] == NULL) {
			return b;
		}
		for (const char *const *c = b->compatible; *c; c++) {
			if (plat_tree_has(fdt, *c)) {
				return b;
			}
		}
	}
	return &plat_backend_generic;
}

void plat_board_name(const void *fdt, char *out, size_t size)
{
	int len;
	const char *c = fdt_getprop(fdt, 0, "compatible", &len);

	snprintf(out, size, "%s", c && len > 0 && memchr(c, 0, (size_t)len) ?
		 c : "unknown");
}

/* The fallback: a board nobody wrote a backend for. Its topology still
 * comes from the tree; it has no RTC, power key or register operations. */
static const char *const plat_generic_compat[] = { NULL };

static int plat_generic_probe(struct plat_ctx *ctx, char *err, size_t size)
{
	(void)ctx;
	(void)err;
	(void)size;
	return 0;
}

static uint32_t plat_generic_features(const struct plat_ctx *ctx)
{
	(void)ctx;
	return 0;
}

const struct plat_backend plat_backend_generic = {
	.name = "generic",
	.compatible = plat_generic_compat,
	.probe = plat_generic_probe,
	.features = plat_generic_features,
};

int plat_dt_reg(const void *fdt, int node, uint32_t index, uint64_t *pa,
		uint64_t *size)
{
	int parent = fdt_parent_offset(fdt, node);
	int ac = parent >= 0 ? fdt_address_cells(fdt, parent) : -1;
	int sc = parent >= 0 ? fdt_size_cells(fdt, parent) : -1;
	const fdt32_t *reg;
	int len;

	if (ac < 1 || ac > 2 || sc < 1 || sc > 2) {
		return -1;
	}
	reg = fdt_getprop(fdt, node, "reg", &len);
	if (!reg || len < (int)((index + 1) * (uint32_t)(ac + sc) * 4)) {
		return -1;
	}
	reg += index * (uint32_t)(ac + sc);
	*pa = fdt32_to_cpu(reg[0]);
	if (ac == 2) {
		*pa = (*pa << 32) | fdt32_to_cpu(reg[1]);
	}
	*size = fdt32_to_cpu(reg[ac]);
	if (sc == 2) {
		*size = (*size << 32) | fdt32_to_cpu(reg[ac + 1]);
	}
	return 0;
}
