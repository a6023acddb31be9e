"""DMA servers (iommu-server/, docs/dma.md): a rogue driver's DMA engine
aimed at memory it does not hold, and a device whose 28-bit DMA mask
reaches no RAM. Test programs: tests/domains/dma/dmatest.c; descriptions:
tests/system/dma_*.dts (dma-server = "smmuv3"; the swiotlb halves switch
with rift.dma=swiotlb, as make run DMA=swiotlb does)."""
import re

from integration import Failure, expect, refuse

EDU = "1234:11e8"


def dma_isolation(ctx):
    """SMMU: the rogue's write to the victim's page, its read of the
    kernel image, its write to its own page mapped for the device to
    read only, and its write through an address it unmapped (after the
    SMMU had cached it) are blocked (translation, permission faults), reported once per burst with edu's stream id
    (its requester id) and forwarded to the rogue; the victim's bytes are
    unchanged; a BAR (device) frame and a frame it does not hold cannot be
    mapped; attach before a claim and bus mastering asked by a driver are
    refused. swiotlb: the same refusals to map (the SMMU is off, so the
    device itself is not stopped: the rogue does not fire)."""
    smmu_isolation(ctx)
    swiotlb_isolation(ctx)


def swiotlb_isolation(ctx):
    out = ctx.boot_system("dma_isolation", timeout=90, dma="swiotlb")
    expect(out,
           r"^\[supervisor\] supervisor: system-dma_isolation.dtb: \d+ "
           r"domains, \d+ channels, dma server swiotlb$",
           r"^\[rogue\] dmatest rogue: attach before claiming: RIFT_EPERM",
           r"^\[rogue\] dmatest rogue: honest round trip verified",
           r"^\[rogue\] dmatest rogue: mapping a frame it does not hold: "
           r"RIFT_E",
           r"^\[rogue\] dmatest rogue: mapping its BAR frame: RIFT_EPERM",
           r"^\[victim\] dmatest victim: page intact",
           r"^\[supervisor\] supervisor: rogue exited with status 0$")
    refuse(out, r"^\[dma\] smmuv3: ")


def smmu_isolation(ctx):
    out = ctx.boot_system("dma_isolation", timeout=90)
    m = re.search(r"^\[dma\] smmuv3: attached (\S+) \(stream 0x([0-9a-f]+)\) "
                  r"to rogue", out, re.M)
    if not m:
        raise Failure("the rogue's device was never attached")
    bdf, sid = m.group(1), int(m.group(2), 16)
    bus, dev, fn = int(bdf[0:2], 16), int(bdf[3:5], 16), int(bdf[6], 16)
    if sid != (bus << 8) | (dev << 3) | fn:
        raise Failure("stream id 0x%x is not %s's requester id" % (sid, bdf))
    vpa = re.search(r"^\[victim\] dmatest victim: page of 0x5a bytes at "
                    r"0x([0-9a-f]+)$", out, re.M)
    if not vpa:
        raise Failure("the victim never said where its page is")
    victim = vpa.group(1)
    expect(out,
           r"^\[rogue\] dmatest rogue: attach before claiming: RIFT_EPERM",
           r"^\[rogue\] dmatest rogue: honest round trip verified",
           r"^\[rogue\] dmatest rogue: mapping a frame it does not hold: "
           r"RIFT_E",
           r"^\[rogue\] dmatest rogue: mapping its BAR frame: RIFT_EPERM",
           r"^\[dma\] smmuv3: fault: stream 0x%x \(%s of rogue\): "
           r"F_TRANSLATION, device write at 0x%s, \d+ events?$"
           % (sid, re.escape(bdf), victim),
           r"^\[rogue\] dmatest rogue: fault reported: stream 0x%x bdf 0x%x "
           r"write at 0x%s, reason 1," % (sid, sid, victim),
           r"^\[dma\] smmuv3: fault: stream 0x%x \(%s of rogue\): "
           r"F_TRANSLATION, device read at 0x40200000, \d+ events?$"
           % (sid, re.escape(bdf)),
           r"^\[rogue\] dmatest rogue: read of the kernel image blocked and "
           r"reported$",
           r"^\[dma\] smmuv3: fault: stream 0x%x \(%s of rogue\): "
           r"F_PERMISSION, device write at 0x[0-9a-f]+, \d+ events?$"
           % (sid, re.escape(bdf)),
           r"^\[rogue\] dmatest rogue: fault reported: stream 0x%x bdf 0x%x "
           r"write at 0x[0-9a-f]+, reason 2," % (sid, sid),
           r"^\[rogue\] dmatest rogue: write to a read-only mapping blocked "
           r"and reported$",
           r"^\[rogue\] dmatest rogue: write through an unmapped address "
           r"blocked and reported$",
           r"^\[victim\] dmatest victim: page intact \(0 of 4096 bytes "
           r"changed\)$",
           r"^\[supervisor\] supervisor: rogue exited with status 0$",
           r"^\[supervisor\] supervisor: victim exited with status 0$")
    # Each burst (16 four-byte accesses) is logged once, not per event.
    faults = re.findall(r"^\[dma\] smmuv3: fault: ", out, re.M)
    if len(faults) != 4:
        raise Failure("expected 4 fault lines (one per burst), got %d"
                      % len(faults))
    # Bus mastering only between attach and detach.
    order = [r"pci: claimed by rogue \(client \d\): \S+ %s .* cmd 2 " % EDU,
             r"pci: bus mastering on for rogue",
             r"smmuv3: attached ", r"pci: bus mastering off for rogue",
             r"smmuv3: detached ", r"pci: released by rogue"]
    at = 0
    for p in order:
        m = re.compile(p, re.M).search(out, at)
        if not m:
            raise Failure("missing or out of order: /%s/" % p)
        at = m.end()


def dma_narrow_device(ctx):
    """SMMU: edu with its default 28-bit mask gets device addresses below
    256 MiB that map the driver's memory above 1 GiB; a DMA round trip
    through them verifies the data. swiotlb: attach fails with RIFT_ENOMEM
    and the server says why (no memory the device can reach), and the
    device never gets bus mastering."""
    out = ctx.boot_system("dma_narrow_device", timeout=90, dma="swiotlb")
    expect(out,
           r"^\[dma\] swiotlb: attach \S+ by narrow: no reachable memory: "
           r"the device drives 28 address bits",
           r"^\[narrow\] dmatest narrow: attach with 28 bits: RIFT_ENOMEM",
           r"^\[narrow\] dmatest narrow: no bus mastering \(command 0x2\)$",
           r"^\[supervisor\] supervisor: narrow exited with status 0$")
    refuse(out, r"bus mastering on for", r"EDU: clamping")
    out = ctx.boot_system("dma_narrow_device", timeout=90)
    expect(out,
           r"^\[dma\] smmuv3: attached \S+ \(stream 0x[0-9a-f]+\) to narrow: "
           r"ASID \d+, device addresses 0x100000-0xfffffff$",
           r"^\[narrow\] dmatest narrow: round trip of 2048 bytes verified "
           r"at device addresses 0x[0-9a-f]+ and 0x[0-9a-f]+ \(below 256 "
           r"MiB\)$",
           r"^\[supervisor\] supervisor: narrow exited with status 0$")
    refuse(out, r"EDU: clamping")


def dma_server_none(ctx):
    """dma-server = "none" (here by rift.dma=none): the dma domain is not
    started, a driver's attach fails at once (the channel is closed), and
    the PCI server never turns bus mastering on."""
    out = ctx.boot_system("dma_narrow_device", timeout=90, dma="none")
    expect(out,
           r"^\[supervisor\] supervisor: system-dma_narrow_device.dtb: \d+ "
           r"domains, \d+ channels, dma server none$",
           r"^\[supervisor\] supervisor: not starting dma: dma-server = "
           r"\"none\"$",
           r"^\[narrow\] dmatest narrow: attach with 28 bits: RIFT_EIO",
           r"^\[narrow\] dmatest narrow: no bus mastering \(command 0x2\)$",
           r"^\[supervisor\] supervisor: narrow exited with status 0$")
    refuse(out, r"bus mastering on for")


def smmu_command_error(ctx):
    """The SMMUv3 server's self-test queues an illegal command: the SMMU
    reports a command error (CMDQ_CONS.ERR, GERROR.CMDQ_ERR), the server
    skips it, acknowledges the global error, and its queue and the driver's
    DMA work on."""
    out = ctx.boot_system("dma_selftest", timeout=90)
    expect(out,
           r"^\[dma\] smmuv3: command error 1 at index \d+ \(opcode 0x7f\); "
           r"skipped$",
           r"^\[dma\] smmuv3: self-test: command error caught, skipped, "
           r"queue working$",
           r"^\[narrow\] dmatest narrow: round trip of 2048 bytes verified",
           r"^\[supervisor\] supervisor: narrow exited with status 0$")
    refuse(out, r"CMD_SYNC did not complete", r"service failure")


TESTS = [dma_isolation, dma_narrow_device, dma_server_none,
         smmu_command_error]
