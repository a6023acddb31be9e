"""Block I/O through an isolated driver doing DMA (issue 11): the
virtio-blk driver domain (drivers-domain/virtio-blk) serving blk.idl to a
client, its DMA through the smmuv3 or the swiotlb server behind the same
dma.idl. The same driver binary runs under both servers. Programs:
tests/domains/blk/blkclient.c; descriptions: tests/system/blk_*.dts and
dma_bad_requests.dts."""
import os
import re
import struct
import tempfile

from integration import Failure, expect, last_lines, refuse

DISK_BYTES = 64 << 20
SECTOR = 512
MASK = (1 << 64) - 1


def disk_args(path):
    """The modern virtio-blk-pci whose DMA goes through the IOMMU path."""
    return ["-drive", "file=%s,if=none,id=d0,format=raw" % path,
            "-device", "virtio-blk-pci,drive=d0,disable-legacy=on,"
            "iommu_platform=on"]


def pattern(sector):
    """What blkclient writes to a sector (see tests/domains/blk/blkclient.c)."""
    return b"".join(struct.pack("<Q", ((sector * 0x100000001b3) ^ (w << 56)
                                        ^ 0x5a5a5a5a) & MASK)
                    for w in range(64))


def check_image(path, out):
    """Every extent the client wrote holds its pattern, every other byte of
    the image is still zero."""
    extents = [(int(s), int(n)) for s, n in
               re.findall(r"^\[client\] blkclient: extent (\d+) (\d+)$",
                          out, re.M)]
    if len(extents) < 40:
        raise Failure("the client listed %d extents; last lines: %s" %
                      (len(extents), last_lines(out)))
    with open(path, "rb") as f:
        img = f.read()
    if len(img) != DISK_BYTES:
        raise Failure("the image changed size: %d bytes" % len(img))
    written = bytearray(DISK_BYTES // SECTOR)
    for first, count in extents:
        for s in range(first, first + count):
            if written[s]:
                raise Failure("extents overlap at sector %d" % s)
            written[s] = 1
            if img[s * SECTOR:(s + 1) * SECTOR] != pattern(s):
                raise Failure("sector %d of the image is not what the "
                              "client wrote" % s)
    zero = bytes(SECTOR)
    for s in range(DISK_BYTES // SECTOR):
        if not written[s] and img[s * SECTOR:(s + 1) * SECTOR] != zero:
            raise Failure("sector %d was never written but is not zero" % s)
    return sum(n for _, n in extents) * SECTOR


def run_blk(ctx, system, dma=None):
    """Boot @system (under DMA server @dma) with a fresh zeroed disk;
    return (output, bytes written)."""
    with tempfile.TemporaryDirectory(dir=ctx.work) as tmp:
        disk = os.path.join(tmp, "disk.raw")
        with open(disk, "wb") as f:
            f.truncate(DISK_BYTES)
        out = ctx.boot_system(system, extra=disk_args(disk), timeout=120,
                              dma=dma)
        expect(out,
               r"^\[blk\] virtio-blk: 00:01\.0: 131072 sectors, block 512,",
               r"^\[client\] blkclient: wrote \d+ extents \(\d+ KiB\), "
               r"flushed, read back and verified$",
               r"^\[supervisor\] supervisor: client exited with status 0$")
        written = check_image(disk, out)
    if written < 4 << 20:
        raise Failure("only %d bytes written: the test wants several MiB"
                      % written)
    return out, written


def blk_swiotlb(ctx):
    """Several MiB written at scattered sectors, flushed, read back and
    checked by the client, then checked byte for byte in the image file;
    every mapping bounced through a 2 MiB swiotlb pool; then again with
    the memory used in place (no swiotlb-force: all of it is in reach)."""
    out, _ = run_blk(ctx, "blk_inplace", dma="swiotlb")
    expect(out, r"^\[dma\] swiotlb: 00:01\.0 attached by blk \(64-bit "
           r"DMA\)$")
    refuse(out, r"batches run in parts")
    out, _ = run_blk(ctx, "blk", dma="swiotlb")
    expect(out, r"^\[dma\] swiotlb: pool 2048 KiB at 0x[0-9a-f]+-0x[0-9a-f]+ "
           r"in \d+ run\(s\), every mapping bounced",
           r"^\[dma\] swiotlb: 00:01\.0 attached by blk \(64-bit DMA, "
           r"bounced\)$",
           # 2 MiB batches do not fit the 2 MiB pool beside the rings:
           # the driver gets RIFT_ENOMEM and runs them in parts
           r"^\[blk\] virtio-blk: the DMA server is out of room "
           r"\(RIFT_ENOMEM: .*\): batches run in parts$")


def blk_iommu(ctx):
    """The same client and the same driver binary under the SMMUv3 server:
    the device reaches the client's frames through the SMMU, no copy."""
    out, _ = run_blk(ctx, "blk")
    expect(out, r"^\[supervisor\] supervisor: system-blk\.dtb: .*dma server "
           r"smmuv3$")
    if re.search(r"^\[dma\] swiotlb", out, re.M):
        raise Failure("the swiotlb server ran instead of smmuv3")





def dma_bad_requests(ctx):
    """Malformed and hostile dma.idl and blk.idl requests from a rogue
    client (unclaimed and foreign devices, bad ranges and directions,
    read-only frames, unmapping twice, guessed handles, mapping after
    detach, a map larger than the free bounce pool, out-of-range sectors,
    malformed messages): each refused with its error, and both servers
    still serve a write and a read afterwards. Under each DMA server."""
    for dma in ("smmuv3", "swiotlb"):
        with tempfile.TemporaryDirectory(dir=ctx.work) as tmp:
            disk = os.path.join(tmp, "disk.raw")
            with open(disk, "wb") as f:
                f.truncate(DISK_BYTES)
            out = ctx.boot_system("dma_bad_requests", extra=disk_args(disk),
                                  timeout=120, dma=dma)
        expect(out,
               r"^\[supervisor\] supervisor: .*dma server %s$" % dma,
               r"^\[rogue\] blkclient: hostile: (\d+) requests refused as "
               r"they should be; both servers still serve$",
               r"^\[blk\] virtio-blk: rogue: request 0 refused: sectors "
               r"beyond the end of the disk$",
               r"^\[supervisor\] supervisor: rogue exited with status 0$")
        if dma == "swiotlb":
            expect(out, r"^\[dma\] swiotlb: map \(bounce pool full\) "
                   r"refused for rogue: ")
        n = int(re.search(r"hostile: (\d+) requests refused", out).group(1))
        if n < 40:
            raise Failure("%s: only %d hostile requests checked" % (dma, n))


TESTS = [blk_swiotlb, blk_iommu, dma_bad_requests]
