#!/usr/bin/env python3
"""make new-driver NAME=foo VENDOR=0x1234 DEVICE=0x11e8 [QEMU_DEVICE=edu]

Writes a PCI driver that builds and boots as it is:

  drivers-domain/<name>/domain.mk      how it is built (a test.cpio program)
  drivers-domain/<name>/main.c         finds and claims the device, maps
                                       BAR0, attaches its interrupt, prints
                                       through the console
  tests/system/<name>.dts              a system with the console, the PCI
                                       server and the driver, wired by name
  tests/integration/test_drv_<name>.py a test that boots it and checks

Then: make run SYSTEM=<name>, make test TEST=drv_<name>. QEMU_DEVICE is
the QEMU device (-device X) the system needs; edu for 1234:11e8.
"""
import argparse
import os
import re
import sys

KNOWN_QEMU = {(0x1234, 0x11e8): "edu"}

DOMAIN_MK = """\
# The {name} driver (made by make new-driver): a PCI driver for
# {vendor:04x}:{device:04x}. It links the PCI driver helpers with the generated
# pci client, and the console client so its output goes through the console.
{name}_SRCS := drivers-domain/{name}/main.c $(PCI_DRV_SRCS)
{name}_LIBS += $(CONSOLE_CLIENT_LIBS)
TEST_DOMAINS += {name}
$(B)/domains/{name}: $(CONSOLE_CLIENT_A)
$(B)/dom/drivers-domain/{name}/main.c.o: DOMAIN_CFLAGS += -Idrivers-domain/pci \\
	$(CONSOLE_CLIENT_INC)
"""

MAIN_C = """\
/* SPDX-License-Identifier: MIT */
/*
 * {name}: a driver for PCI device {vendor:04x}:{device:04x} (made by make
 * new-driver). It finds the device through the PCI server, claims it, maps
 * BAR0, attaches its interrupt and says what it found; its output goes
 * through the console (libconsole_client). Everything it holds is found by
 * name: "pci" (the PCI server's channel) and "console".
 *
 * Add your device's work where it says so below.
 */
#include <stdint.h>
#include <stdio.h>

#include <rift/chan.h>
#include <rift/msg.h>
#include <rift/rt.h>
#include <rift/syscall.h>

#include "pci.h"
#include "pci_drv.h"

#define {upper}_VENDOR 0x{vendor:04x}
#define {upper}_DEVICE 0x{device:04x}
/** Where BAR0 is mapped: a free VA of the runtime's layout (rift/rt.h). */
#define {upper}_BAR0_VA 0x0000007000000000ull

static int fail(const char *what, long err)
{{
	printf("{name}: %s: %s\\n", what, rift_strerror(err));
	return 1;
}}

int main(void)
{{
	struct rift_chan pci = pci_drv_open();
	struct pci_drv_bar bar0;
	uint64_t irq = 0, word = 0;
	uint32_t intid = 0;
	int64_t bdf;
	int err;

	bdf = pci_drv_find(&pci, {upper}_VENDOR, {upper}_DEVICE, 0);
	if (bdf < 0) {{
		return fail("no {vendor:04x}:{device:04x} device", bdf);
	}}
	printf("{name}: found {vendor:04x}:{device:04x} at %02x:%02x.%x\\n",
	       (unsigned)(bdf >> 8) & 0xff, (unsigned)(bdf >> 3) & 0x1f,
	       (unsigned)bdf & 7);
	err = pci_claim(&pci, (uint32_t)bdf);
	if (err != RIFT_OK) {{
		return fail("claim", err);
	}}
	err = pci_drv_map_bar(&pci, (uint32_t)bdf, 0, 0, 1, {upper}_BAR0_VA,
			      &bar0);
	if (err != RIFT_OK) {{
		return fail("map BAR0", err);
	}}
	printf("{name}: BAR0 mapped at 0x%llx (%llu-byte frames, %u of them); "
	       "first register 0x%08x\\n",
	       (unsigned long long)bar0.va,
	       (unsigned long long)bar0.frame_size, bar0.total,
	       *(volatile uint32_t *)(uintptr_t)bar0.va);
	err = pci_irq_attach(&pci, (uint32_t)bdf, &intid, &irq);
	if (err != RIFT_OK) {{
		return fail("attach the interrupt", err);
	}}
	printf("{name}: interrupt attached: INTID %u, %s\\n", intid,
	       rift_poll(irq, &word) == 0 && word ? "one pending" :
						      "none pending");

	/*
	 * Your device's work goes here: registers at bar0.va, interrupts with
	 * rift_wait(irq, &word), then clear the device's status and
	 * pci_irq_ack(&pci, bdf, &count) to unmask the line (docs/pci.md).
	 */

	err = pci_release(&pci, (uint32_t)bdf);
	pci_drv_unmap_bar(&bar0);
	rt_slot_free(irq);
	if (err != RIFT_OK) {{
		return fail("release", err);
	}}
	printf("{name}: done; device released\\n");
	return 0;
}}
"""

SYSTEM_DTS = """\
/*
 * The {name} driver's system (made by make new-driver): the console, the
 * PCI server and the driver, wired by name. Boot it with
 * make run SYSTEM={name}; tested by tests/integration/test_drv_{name}.py.
 */
/dts-v1/;
/ {{
	compatible = "rift,system";
	rift,version = <1>;
	shutdown-when-idle;
{qemu}
	domains {{
		/* Output of every domain below goes through it. */
		console {{
			image = "console";
			memory = <0x0 0x400000>;
			priority = <200>;
			service;
			mmio = <0x0 0x09000000 0x0 0x1000>;
			interrupt = <33>;
			klog;
		}};
		pci {{
			image = "pci";
			memory = <0x0 0x1000000>;
			cap-slots = <2048>;
			hardware-dtb;
			/* Only the PCI host bridge of QEMU virt: its ECAM, its
			 * I/O, 32-bit and 64-bit windows, and INTx (SPIs 3..6). */
			device = <0x40 0x10000000 0x0 0x10000000>,
				 <0x0 0x3eff0000 0x0 0x10000>,
				 <0x0 0x10000000 0x0 0x2eff0000>,
				 <0x80 0x0 0x80 0x0>;
			irq-control = <35 4>;
			service;
		}};
		{name} {{
			image = "{name}";
			memory = <0x0 0x400000>;
			needs = "pci", "console";
			/* What it may claim from the PCI server. */
			pci-devices = "{vendor:04x}:{device:04x}";
		}};
	}};
	channels {{
		console {{
			type = "endpoint";
			server = "console";
			clients = "console:self", "pci", "{name}";
		}};
		pci {{
			type = "endpoint";
			server = "pci";
			clients = "{name}";
		}};
	}};
}};
"""

TEST_PY = '''\
"""The {name} driver (made by make new-driver)."""
from integration import expect


def drv_{name}(ctx):
    """{name} finds {vendor:04x}:{device:04x}, claims it, maps BAR0,
    attaches its interrupt and prints through the console."""
    out = ctx.boot_system("{name}")
    expect(out,
           r"^\\[console\\] console: ready; clients: console pci {name};",
           r"^\\[{name}\\] {name}: found {vendor:04x}:{device:04x} at ",
           r"^\\[{name}\\] {name}: BAR0 mapped at 0x7000000000 ",
           r"^\\[{name}\\] {name}: interrupt attached: INTID \\d+",
           r"^\\[{name}\\] {name}: done; device released$",
           r"^\\[supervisor\\] supervisor: {name} exited with status 0$")


TESTS = [drv_{name}]
'''


def number(text, what):
    try:
        v = int(text, 0)
    except ValueError:
        v = -1
    if not 0 <= v <= 0xffff:
        sys.exit("make new-driver: %s=%s: give a 16-bit number, e.g. "
                 "%s=0x1234" % (what, text, what))
    return v


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--name", default="")
    ap.add_argument("--vendor", default="")
    ap.add_argument("--device", default="")
    ap.add_argument("--qemu-device", default="")
    ap.add_argument("--root", default=".", help="the source tree to write in")
    a = ap.parse_args()
    if not re.fullmatch(r"[a-z][a-z0-9_]{0,30}", a.name or ""):
        sys.exit("make new-driver: NAME=%s: give a lower-case C name of 1 to "
                 "31 characters ([a-z][a-z0-9_]*), e.g. NAME=mydrv" % a.name)
    vendor = number(a.vendor, "VENDOR")
    device = number(a.device, "DEVICE")
    qdev = a.qemu_device or KNOWN_QEMU.get((vendor, device), "")
    root = a.root
    files = {
        os.path.join("drivers-domain", a.name, "domain.mk"): DOMAIN_MK,
        os.path.join("drivers-domain", a.name, "main.c"): MAIN_C,
        os.path.join("tests", "system", a.name + ".dts"): SYSTEM_DTS,
        os.path.join("tests", "integration",
                     "test_drv_%s.py" % a.name): TEST_PY,
    }
    taken = [f for f in files if os.path.exists(os.path.join(root, f))] + \
        [d for d in [os.path.join("drivers-domain", a.name)]
         if os.path.exists(os.path.join(root, d))]
    if taken:
        sys.exit("make new-driver: NAME=%s is taken: %s exists" %
                 (a.name, taken[0]))
    qemu = ("\t/* make run and the tests add -device %s. */\n"
            "\trift,qemu-devices = \"%s\";" % (qdev, qdev) if qdev else
            "\t/* Which QEMU device is %04x:%04x? Say it here for make run\n"
            "\t * and the tests: rift,qemu-devices = \"<qemu name>\"; */"
            % (vendor, device))
    fields = dict(name=a.name, upper=a.name.upper(), vendor=vendor,
                  device=device, qemu=qemu)
    os.makedirs(os.path.join(root, "drivers-domain", a.name))
    for rel, template in files.items():
        with open(os.path.join(root, rel), "w") as f:
            f.write(template.format(**fields))
        print("  NEW     %s" % rel)
    print("Next: make run SYSTEM=%s    (boot it)\n"
          "      make test TEST=drv_%s (its test)" % (a.name, a.name))
    if not qdev:
        print("Say which QEMU device it is in tests/system/%s.dts "
              "(rift,qemu-devices), or pass QEMU_DEVICES= to make run."
              % a.name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
