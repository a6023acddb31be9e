/* SPDX-License-Identifier: MIT */
/*
 * The PCI server domain: finds the host bridge in the hardware device
 * tree, enumerates it through ECAM, prints what it found, then serves
 * pci.idl forever. See docs/pci.md.
 *
 * Needs, from its system description: `hardware-dtb;`, `device;`,
 * `irq-control;` and the server end of the channel named "pci"; it finds
 * them by name (pci_srv.h).
 */
#include <rift/abi.h>
#include <rift/caps.h>
#include <rift/chan.h>
#include <rift/rt.h>
#include <stdio.h>

#include "pci.h"
#include "pci_srv.h"

/** All server state (about 100 KiB: keep it off the stack). */
static struct pci_srv pci_main_srv;

/** Reads the device tree and sets up ECAM; false (and says why) if not. */
static bool pci_main_probe(struct pci_srv *s)
{
	const void *fdt = (const void *)rt_auxv(RIFT_AT_FDT);
	char err[160];

	if (fdt == NULL) {
		printf("pci: no hardware device tree (add hardware-dtb; to "
		       "the description)\n");
		return false;
	}
	if (pci_dt_parse(fdt, &s->host, err, sizeof(err)) != 0) {
		printf("pci: device tree: %s\n", err);
		return false;
	}
	if (pci_ecam_init(&s->ecam, s->host.ecam_base,
			  s->host.config.bus_start, s->host.config.bus_end,
			  s->device_cap) != 0) {
		printf("pci: ECAM at %llx is not 2 MiB aligned\n",
		       (unsigned long long)s->host.ecam_base);
		return false;
	}
	s->ecam.device_caps = s->device_caps;
	return true;
}

/** Enumerates, routes INTx and reports. */
static void pci_main_enumerate(struct pci_srv *s)
{
	pci_enum_run(&s->ecam, &s->host.config, &s->topo);
	pci_owner_route_intx(s);
	pci_report_all(s);
}

/** Serves requests until the endpoint goes away. */
static int pci_main_serve(struct pci_srv *s)
{
	static struct rift_msg req;
	static struct rift_msg reply;
	struct pci_server srv = {.ctx = s, .shm_size = 0};
	uint64_t badge = 0;
	uint64_t ep = rt_cap(PCI_SRV_CAP_EP);
	int err = rift_chan_recv(ep, &req, &badge, NULL);

	for (;;) {
		int r;

		if (err == RIFT_EIO) {
			printf("pci: endpoint gone, stopping\n");
			return 1;
		}
		if (err != RIFT_OK) {
			err = rift_chan_recv(ep, &req, &badge,
					     NULL);
			continue;
		}
		r = pci_dispatch(&srv, badge, &req, &reply);
		if (r == RIFT_IDL_REPLY) {
			err = rift_chan_reply_recv(ep, &reply,
						   &req, &badge, NULL);
		} else {
			err = rift_chan_recv(ep, &req, &badge,
					     NULL);
		}
	}
}

int main(void)
{
	struct pci_srv *s = &pci_main_srv;
	const struct rift_cap_entry *dev = rt_cap_find(PCI_SRV_CAP_DEVICE);

	setvbuf(stdout, NULL, _IOLBF, 0);
	s->device_cap = dev ? dev->slot : 0;
	s->device_caps = dev ? dev->count : 0;
	s->irq_control = rt_cap(PCI_SRV_CAP_IRQ_CONTROL);
	s->dma_badge = rt_cap_client_badge(PCI_SRV_CAP_EP, PCI_SRV_DMA_CLIENT);
	if (!rt_cap(PCI_SRV_CAP_EP) || !s->device_cap || !s->irq_control) {
		printf("pci: the description must give it '%s' (a channel it "
		       "serves), '%s;' and '%s;'%s%s%s\n", PCI_SRV_CAP_EP,
		       PCI_SRV_CAP_DEVICE, PCI_SRV_CAP_IRQ_CONTROL,
		       rt_cap(PCI_SRV_CAP_EP) ? "" : "; no pci channel",
		       s->device_cap ? "" : "; no device capability",
		       s->irq_control ? "" : "; no irq-control");
		return 1;
	}
	if (!pci_main_probe(s)) {
		return 1;
	}
	pci_main_enumerate(s);
	printf("pci: serving %u functions; bus mastering %s\n",
	       s->topo.func_count, s->dma_badge ?
	       "only when the DMA server asks" :
	       "never (no DMA server among my clients)");
	return pci_main_serve(s);
}
