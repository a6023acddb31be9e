/* SPDX-License-Identifier: MIT */
/*
 * The PCI server domain: finds the host bridge in the hardware device
 * tree, enumerates it through ECAM, prints what it found, then serves
 * pci.idl forever. See docs/pci.md.
 *
 * Needs, from its system description: `hardware-dtb;`, the pci endpoint
 * at slot PCI_SRV_SLOT_EP, `device-slot = <PCI_SRV_SLOT_DEVICE>` and
 * `irq-control-slot = <PCI_SRV_SLOT_IRQ_CONTROL>` (pci_srv.h).
 */
#include <rift/abi.h>
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
	int err = rift_chan_recv(PCI_SRV_SLOT_EP, &req, &badge, NULL);

	for (;;) {
		int r;

		if (err == RIFT_EIO) {
			printf("pci: endpoint gone, stopping\n");
			return 1;
		}
		if (err != RIFT_OK) {
			err = rift_chan_recv(PCI_SRV_SLOT_EP, &req, &badge,
					     NULL);
			continue;
		}
		r = pci_dispatch(&srv, badge, &req, &reply);
		if (r == RIFT_IDL_REPLY) {
			err = rift_chan_reply_recv(PCI_SRV_SLOT_EP, &reply,
						   &req, &badge, NULL);
		} else {
			err = rift_chan_recv(PCI_SRV_SLOT_EP, &req, &badge,
					     NULL);
		}
	}
}

int main(void)
{
	struct pci_srv *s = &pci_main_srv;

	setvbuf(stdout, NULL, _IOLBF, 0);
	s->device_cap = PCI_SRV_SLOT_DEVICE;
	s->irq_control = PCI_SRV_SLOT_IRQ_CONTROL;
	if (!pci_main_probe(s)) {
		return 1;
	}
	pci_main_enumerate(s);
	printf("pci: serving %u functions\n", s->topo.func_count);
	return pci_main_serve(s);
}
