/* SPDX-License-Identifier: MIT */
/* platform.idl handlers: decode (arguments the generated code could not
 * check), then call the backend. */
#include <rift/chan.h>
#include <rift/msg.h>
#include <rift/rt.h>
#include <stdio.h>
#include <string.h>

#include "plat_srv.h"
#include "platform.h"

static struct plat_srv *plat_of(struct platform_server *srv)
{
	return srv->ctx;
}

int platform_handle_identify(struct platform_server *srv, uint64_t badge,
			     uint8_t *backend, uint16_t *backend_len,
			     uint8_t *board, uint16_t *board_len,
			     uint32_t *features)
{
	struct plat_srv *s = plat_of(srv);
	size_t n = strlen(s->ctx.backend->name), m = strlen(s->ctx.board);

	(void)badge;
	n = n > PLATFORM_IDENTIFY_BACKEND_MAX ? PLATFORM_IDENTIFY_BACKEND_MAX : n;
	m = m > PLATFORM_IDENTIFY_BOARD_MAX ? PLATFORM_IDENTIFY_BOARD_MAX : m;
	memcpy(backend, s->ctx.backend->name, n);
	memcpy(board, s->ctx.board, m);
	*backend_len = (uint16_t)n;
	*board_len = (uint16_t)m;
	*features = s->ctx.backend->features(&s->ctx);
	return RIFT_OK;
}

int platform_handle_wall_clock(struct platform_server *srv, uint64_t badge,
			       uint64_t *sec, uint32_t *nsec,
			       uint64_t *counter, bool *precise)
{
	struct plat_srv *s = plat_of(srv);
	struct plat_time t;
	int e;

	(void)badge;
	if (!s->ctx.backend->rtc_read) {
		return RIFT_ENOSYS;
	}
	s->clock_calls++;
	if (s->crash_after && s->clock_calls == s->crash_after && s->wc &&
	    s->wc->generation == 1) {
		printf("platform: test-crash-after=%u: faulting on purpose\n",
		       s->crash_after);
		*(volatile uint32_t *)(uintptr_t)0xdead0000 = 1;
	}
	e = s->ctx.backend->rtc_read(&s->ctx, &t);
	*counter = plat_counter();
	if (e != 0) {
		return e == PLAT_ENOSYS ? RIFT_ENOSYS : RIFT_EIO;
	}
	*sec = t.sec;
	*nsec = t.nsec;
	*precise = t.precise;
	return RIFT_OK;
}

int platform_handle_topology(struct platform_server *srv, uint64_t badge,
			     uint32_t *node_count, uint32_t *cpu_count,
			     uint32_t *max_node_id)
{
	const struct plat_topo *t = &plat_of(srv)->ctx.topo;

	(void)badge;
	*node_count = t->node_count;
	*cpu_count = t->cpu_count;
	*max_node_id = t->node_count ? t->nodes[t->node_count - 1].id : 0;
	return RIFT_OK;
}

int platform_handle_node(struct platform_server *srv, uint64_t badge,
			 uint32_t index, uint32_t *id, uint32_t *cpu_count,
			 uint64_t *mem_bytes, uint16_t *range_count,
			 struct platform_mem_range ranges[16])
{
	const struct plat_topo *t = &plat_of(srv)->ctx.topo;
	const struct plat_node *n;

	(void)badge;
	if (index >= t->node_count) {
		return RIFT_ENOENT;
	}
	n = &t->nodes[index];
	*id = n->id;
	*cpu_count = n->cpu_count;
	*range_count = (uint16_t)n->range_count;
	for (uint32_t i = 0; i < n->range_count && i < 16; i++) {
		ranges[i].base = n->base[i];
		ranges[i].size = n->size[i];
		*mem_bytes += n->size[i];
	}
	return RIFT_OK;
}

int platform_handle_node_cpus(struct platform_server *srv, uint64_t badge,
			      uint32_t id, uint32_t first, uint32_t *total,
			      uint16_t *count, uint64_t mpidr[32])
{
	const struct plat_topo *t = &plat_of(srv)->ctx.topo;
	uint32_t seen = 0;

	(void)badge;
	if (plat_topo_index(t, id) < 0) {
		return RIFT_ENOENT;
	}
	for (uint32_t i = 0; i < t->cpu_count; i++) {
		if (t->cpu_node[i] != id) {
			continue;
		}
		if (seen >= first && *count < 32) {
			mpidr[(*count)++] = t->cpu_hwid[i];
		}
		seen++;
	}
	*total = seen;
	return RIFT_OK;
}

int platform_handle_distances(struct platform_server *srv, uint64_t badge,
			      uint32_t from, uint32_t first, uint16_t *count,
			      uint8_t distance[64])
{
	const struct plat_topo *t = &plat_of(srv)->ctx.topo;
	int a = plat_topo_index(t, from);

	(void)badge;
	if (a < 0) {
		return RIFT_ENOENT;
	}
	for (uint32_t j = first; j < t->node_count && *count < 64; j++) {
		distance[(*count)++] = t->distance[a][j];
	}
	return RIFT_OK;
}

int platform_handle_request_shutdown(struct platform_server *srv,
				     uint64_t badge)
{
	struct plat_srv *s = plat_of(srv);
	const char *who = rt_cap_client_name(PLAT_SRV_EP, badge);

	if (!plat_srv_named(s->shutdown_clients, s->shutdown_count, badge)) {
		printf("platform: %s may not request a shutdown\n",
		       who ? who : "an unnamed caller");
		return RIFT_EPERM;
	}
	if (!s->power.ep) {
		return RIFT_EIO;
	}
	printf("platform: %s requests an orderly shutdown\n", who);
	return platform_event_power(&s->power, PLATFORM_POWER_KIND_REQUEST) ?
		RIFT_EIO : RIFT_OK;
}

int platform_handle_ipi(struct platform_server *srv, uint64_t badge,
			uint32_t node, uint64_t cpu, uint8_t vector,
			enum platform_ipi_mode mode)
{
	struct plat_srv *s = plat_of(srv);

	if (!s->ctx.backend->ipi) {
		return RIFT_ENOSYS;
	}
	if (!plat_srv_named(s->register_clients, s->register_count, badge)) {
		return RIFT_EPERM;
	}
	return s->ctx.backend->ipi(&s->ctx, node, cpu, vector, (uint32_t)mode);
}

int platform_handle_tlb_purge(struct platform_server *srv, uint64_t badge,
			      uint64_t node_mask, uint64_t start,
			      uint64_t size, uint8_t page_shift, uint32_t rid,
			      uint32_t *purges, uint32_t *deadlocks)
{
	struct plat_srv *s = plat_of(srv);

	if (!s->ctx.backend->tlb_purge) {
		return RIFT_ENOSYS;
	}
	if (!plat_srv_named(s->register_clients, s->register_count, badge)) {
		return RIFT_EPERM;
	}
	return s->ctx.backend->tlb_purge(&s->ctx, node_mask, start, size,
					 page_shift, rid, purges, deadlocks);
}
