/* SPDX-License-Identifier: MIT */
/*
 * Node topology from the device tree (see plat.h): the same bindings the
 * kernel reads at boot (Linux's numa.txt): `numa-node-id` on /memory and
 * cpu nodes, /distance-map with `distance-matrix = <from to distance>...`.
 * Nodes may be sparse and memoryless; memory ranges may be far apart (the
 * Altix layout), nothing here depends on the address span.
 */
#include "plat.h"

#include <libfdt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int topo_fail(char *err, size_t size, const char *fmt, ...)
{
	va_list ap;

	if (size) {
		va_start(ap, fmt);
		vsnprintf(err, size, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/** The node with @id, made (in id order) if new; NULL if there is no room. */
static struct plat_node *topo_node(struct plat_topo *t, uint32_t id)
{
	uint32_t i = 0;

	while (i < t->node_count && t->nodes[i].id < id) {
		i++;
	}
	if (i < t->node_count && t->nodes[i].id == id) {
		return &t->nodes[i];
	}
	if (t->node_count == PLAT_MAX_NODES) {
		return NULL;
	}
	memmove(&t->nodes[i + 1], &t->nodes[i],
		(t->node_count - i) * sizeof(t->nodes[0]));
	memset(&t->nodes[i], 0, sizeof(t->nodes[i]));
	t->nodes[i].id = id;
	t->node_count++;
	return &t->nodes[i];
}

int plat_topo_index(const struct plat_topo *t, uint32_t id)
{
	for (uint32_t i = 0; i < t->node_count; i++) {
		if (t->nodes[i].id == id) {
			return (int)i;
		}
	}
	return -1;
}

/** `numa-node-id` of @node: 0 when absent, -1 when malformed. */
static int64_t topo_node_id(const void *fdt, int node)
{
	int len;
	const fdt32_t *p = fdt_getprop(fdt, node, "numa-node-id", &len);

	if (!p) {
		return 0;
	}
	return len == 4 ? (int64_t)fdt32_to_cpu(p[0]) : -1;
}

/** A cell count property of @node (#address-cells, ...), or @def. */
static uint32_t topo_cells(const void *fdt, int node, const char *name,
			   uint32_t def)
{
	int len;
	const fdt32_t *p = fdt_getprop(fdt, node, name, &len);

	return p && len == 4 ? fdt32_to_cpu(p[0]) : def;
}

static uint64_t topo_read(const fdt32_t *p, uint32_t cells)
{
	uint64_t v = 0;

	for (uint32_t i = 0; i < cells; i++) {
		v = (v << 32) | fdt32_to_cpu(p[i]);
	}
	return v;
}

static bool topo_is(const void *fdt, int node, const char *type)
{
	int len;
	const char *p = fdt_getprop(fdt, node, "device_type", &len);

	return p && len > 0 && strncmp(p, type, (size_t)len) == 0;
}

static int topo_memory(const void *fdt, struct plat_topo *t, char *err,
		       size_t size)
{
	uint32_t ac = topo_cells(fdt, 0, "#address-cells", 2);
	uint32_t sc = topo_cells(fdt, 0, "#size-cells", 1);
	int node;

	if (ac < 1 || ac > 2 || sc < 1 || sc > 2) {
		return topo_fail(err, size, "/: unsupported #address-cells %u "
				 "or #size-cells %u", ac, sc);
	}
	fdt_for_each_subnode(node, fdt, 0) {
		const char *name = fdt_get_name(fdt, node, NULL);
		int64_t id = topo_node_id(fdt, node);
		const fdt32_t *reg;
		struct plat_node *n;
		int len;

		if (!name || strncmp(name, "memory", 6) != 0 ||
		    !topo_is(fdt, node, "memory")) {
			continue;
		}
		reg = fdt_getprop(fdt, node, "reg", &len);
		if (id < 0 || !reg || len <= 0 ||
		    len % (int)((ac + sc) * 4) != 0) {
			return topo_fail(err, size, "/%s: bad reg or "
					 "numa-node-id", name);
		}
		n = topo_node(t, (uint32_t)id);
		if (!n) {
			return topo_fail(err, size, "more than %d nodes",
					 PLAT_MAX_NODES);
		}
		for (int off = 0; off < len / 4; off += (int)(ac + sc)) {
			if (n->range_count == PLAT_MAX_RANGES) {
				return topo_fail(err, size, "node %u: more "
						 "than %d memory ranges",
						 n->id, PLAT_MAX_RANGES);
			}
			n->base[n->range_count] = topo_read(reg + off, ac);
			n->size[n->range_count] = topo_read(reg + off + ac,
							    sc);
			n->range_count++;
		}
	}
	return 0;
}

static int topo_cpus(const void *fdt, struct plat_topo *t, char *err,
		     size_t size)
{
	int cpus = fdt_path_offset(fdt, "/cpus");
	uint32_t ac;
	int node;

	if (cpus < 0) {
		return 0;
	}
	ac = topo_cells(fdt, cpus, "#address-cells", 1);
	if (ac < 1 || ac > 2) {
		return topo_fail(err, size, "/cpus: #address-cells %u", ac);
	}
	fdt_for_each_subnode(node, fdt, cpus) {
		int64_t id = topo_node_id(fdt, node);
		const fdt32_t *reg;
		struct plat_node *n;
		int len;

		if (!topo_is(fdt, node, "cpu")) {
			continue;
		}
		reg = fdt_getprop(fdt, node, "reg", &len);
		if (id < 0 || !reg || len != (int)(ac * 4)) {
			return topo_fail(err, size, "/cpus/%s: bad reg or "
					 "numa-node-id",
					 fdt_get_name(fdt, node, NULL));
		}
		if (t->cpu_count == PLAT_MAX_CPUS) {
			return topo_fail(err, size, "more than %d CPUs",
					 PLAT_MAX_CPUS);
		}
		n = topo_node(t, (uint32_t)id); /* memoryless nodes exist */
		if (!n) {
			return topo_fail(err, size, "more than %d nodes",
					 PLAT_MAX_NODES);
		}
		n->cpu_count++;
		t->cpu_hwid[t->cpu_count] = topo_read(reg, ac);
		t->cpu_node[t->cpu_count] = (uint32_t)id;
		t->cpu_count++;
	}
	return 0;
}

static int topo_distances(const void *fdt, struct plat_topo *t, char *err,
			  size_t size)
{
	int map = fdt_node_offset_by_compatible(fdt, -1,
						"numa-distance-map-v1");
	const fdt32_t *m;
	int len;

	for (uint32_t i = 0; i < t->node_count; i++) {
		for (uint32_t j = 0; j < t->node_count; j++) {
			t->distance[i][j] = i == j ? PLAT_LOCAL_DISTANCE :
						     PLAT_REMOTE_DISTANCE;
		}
	}
	if (map < 0) {
		return 0;
	}
	m = fdt_getprop(fdt, map, "distance-matrix", &len);
	if (!m || len <= 0 || len % 12 != 0) {
		return topo_fail(err, size, "/distance-map: distance-matrix "
				 "must be <from to distance> triplets");
	}
	for (int k = 0; k < len / 4; k += 3) {
		int a = plat_topo_index(t, fdt32_to_cpu(m[k]));
		int b = plat_topo_index(t, fdt32_to_cpu(m[k + 1]));
		uint32_t d = fdt32_to_cpu(m[k + 2]);

		if (a < 0 || b < 0 || d > 255 || d < PLAT_LOCAL_DISTANCE ||
		    (a == b) != (d == PLAT_LOCAL_DISTANCE)) {
			return topo_fail(err, size, "/distance-map: bad "
					 "entry <%u %u %u>",
					 fdt32_to_cpu(m[k]),
					 fdt32_to_cpu(m[k + 1]), d);
		}
		/* The binding lets a map give one direction only. */
		t->distance[a][b] = (uint8_t)d;
		t->distance[b][a] = (uint8_t)d;
	}
	t->have_distances = true;
	return 0;
}

int plat_topo_parse(const void *fdt, struct plat_topo *t, char *err,
		    size_t err_size)
{
	memset(t, 0, sizeof(*t));
	if (topo_memory(fdt, t, err, err_size) || topo_cpus(fdt, t, err,
							      err_size)) {
		return -1;
	}
	if (t->node_count == 0 && !topo_node(t, 0)) {
		return -1;
	}
	return topo_distances(fdt, t, err, err_size);
}
