#!/usr/bin/env python3
"""make bench: boot the benchmark system under QEMU with exact instruction
counting and print a table (markdown) and JSON.

QEMU runs with -icount shift=0,sleep=off: the PMU cycle counter then
advances exactly once per executed instruction (the kernel sets
PMCCFILTR_EL0.NSH so EL2 counts too). dtb-randomness=off and a fixed
virtual RTC make runs byte-identical; the benchmark is run twice and the
two runs must agree exactly, or this tool says so and fails.

`make bench TOOLCHAIN=clang` measures the clang build (build/<platform>-clang);
--toolchain only labels the output, the build directory decides what runs.
"""
import argparse
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "lib"))
sys.path.insert(0, os.path.join(HERE, "guest"))
import qemu  # noqa: E402
import bootbench  # noqa: E402  (tools/guest/bootbench.py)

ROWS = [
    ("null_syscall", "null system call (svc to return)", "seL4 A53: 132 cycles"),
    ("ipc_call_reply_0", "IPC call + reply round trip, 0 words (fast path)",
     "aim < 200; seL4 A53 ~586 cycles (call+reply_recv)"),
    ("ipc_call_reply_8", "IPC call + reply round trip, 8 words (3 in the IPC buffer)", ""),
    ("ipc_call_reply_cap", "IPC call + reply with a frame capability (server deletes it)", ""),
    ("notify_to_waiter", "notification signal to a waiting thread (other domain, higher priority)", ""),
    ("domain_create_destroy", "domain create + thread + frame + map + destroy", ""),
    ("irq_to_handler", "device interrupt to the user-level handler (MMIO raise to wait returning)", "seL4 A53 ~650"),
    ("server_restart", "server restart to first request served (crash, fault to supervisor, destroy, reload, first reply)", ""),
    ("guest_null_hypercall", "null hypercall from a guest (HVC PSCI_VERSION, answered by the user-level VMM)", "Xen 4.17: 518 (in the hypervisor); aim lower"),
    ("guest_mmio_exit", "guest MMIO exit round trip to the VMM (PL011 UARTFR read)", ""),
    ("guest_kernel_exit", "guest exit handled in the kernel (WFI with an interrupt pending)", "the in-kernel emulation path"),
    ("blk_read_64k_smmuv3", "64 KiB sequential read through virtio-blk, smmuv3 (no copy)", ""),
    ("blk_read_64k_swiotlb", "64 KiB sequential read through virtio-blk, swiotlb, memory in reach (no copy)", ""),
    ("blk_read_64k_swiotlb_bounce", "64 KiB sequential read through virtio-blk, swiotlb, bounced (swiotlb-force)", ""),
    ("dma_map_unmap_4k_smmuv3", "4 KiB dma map + unmap, smmuv3", ""),
    ("dma_map_unmap_4k_swiotlb", "4 KiB dma map + unmap, swiotlb, memory in reach (pin)", ""),
    ("dma_map_unmap_4k_swiotlb_bounce", "4 KiB dma map + unmap, swiotlb, bounced (copy in)", ""),
    ("guest_boot_ratio", "guest boot time versus native", "aim <= 1.10x"),
]

NOT_YET = {
}


def boot_ratio(args):
    """The guest_boot_ratio row (tools/guest/bootbench.py): one run of the
    Debian guest under rift and one directly on QEMU."""
    try:
        r = bootbench.measure(args.root, args.build, args.platform,
                              args.timeout)
    except Exception as e:  # noqa: BLE001  (reported in the table)
        return {"status": "not measured: %s" % e}
    return {"ratio": round(r["ratio"], 3), "rift_s": r["rift"],
            "native_s": r["native"]}


def run_once(args):
    p = qemu.Platform(args.root, args.platform)
    cmd = p.base_args(p.vars["QEMU_BENCH_MACHINE"]) + \
        p.vars["QEMU_BENCH_FLAGS"].split() + [
            "-m", "1G", "-kernel", os.path.join(args.build, "kernel", "rift.bin"),
            "-initrd", os.path.join(args.build, "test.cpio"),
            "-device", "edu",
            "-append", "rift.system=bench rift.pmu=user" +
            (" rift.fastpath=off" if args.no_fastpath else "")]
    res = qemu.run(cmd, args.timeout)
    if res.timed_out:
        sys.exit("bench: QEMU did not finish within %d s" % args.timeout)
    return res.output


# The DMA rows: the block benchmark (tests/domains/blk/blkclient.c, mode
# bench) booted once per DMA server, on a fresh disk; its keys get the
# configuration's suffix.
DMA_RUNS = [
    ("smmuv3", "bench_blk", None),
    ("swiotlb", "bench_blk", "swiotlb"),
    ("swiotlb_bounce", "bench_blk_bounce", "swiotlb"),
]


def run_dma(args, system, dma):
    import tempfile
    p = qemu.Platform(args.root, args.platform)
    with tempfile.TemporaryDirectory() as tmp:
        disk = os.path.join(tmp, "disk.raw")
        with open(disk, "wb") as f:
            f.truncate(64 << 20)
        cmd = p.base_args(p.vars["QEMU_BENCH_MACHINE"]) + \
            p.vars["QEMU_BENCH_FLAGS"].split() + [
                "-m", "1G",
                "-kernel", os.path.join(args.build, "kernel", "rift.bin"),
                "-initrd", os.path.join(args.build, "test.cpio"),
                "-device", "edu",
                "-drive", "file=%s,if=none,id=d0,format=raw" % disk,
                "-device", "virtio-blk-pci,drive=d0,disable-legacy=on,"
                "iommu_platform=on",
                "-append", "rift.system=%s rift.pmu=user%s" %
                (system, " rift.dma=" + dma if dma else "")]
        res = qemu.run(cmd, args.timeout)
    if res.timed_out or "BENCH blk done" not in res.output:
        sys.exit("bench: %s (dma %s) did not complete:\n%s" %
                 (system, dma, res.output[-2000:]))
    return res.output


def parse_dma(args):
    results = {}
    for suffix, system, dma in DMA_RUNS:
        out = run_dma(args, system, dma)
        for m in re.finditer(r"^\[\w+\] BENCH (blk_read_64k|dma_map_unmap_4k) "
                             r"min=(\d+) median=(\d+) n=(\d+)$", out, re.M):
            results["%s_%s" % (m.group(1), suffix)] = {
                "min": int(m.group(2)), "median": int(m.group(3)),
                "n": int(m.group(4))}
    return results


def parse(out):
    results = {}
    for m in re.finditer(r"^\[\w+\] BENCH (\w+) min=(\d+) median=(\d+) "
                         r"n=(\d+)$", out, re.M):
        results[m.group(1)] = {"min": int(m.group(2)),
                               "median": int(m.group(3)),
                               "n": int(m.group(4))}
    cal = re.search(r"^\[bench\] BENCH calibration expected=(\d+) "
                    r"measured=(\d+)", out, re.M)
    if not cal or "BENCH done" not in out:
        sys.exit("bench: the benchmark did not complete:\n" + out[-2000:])
    return results, int(cal.group(1)), int(cal.group(2))


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--build", required=True)
    ap.add_argument("--platform", default="qemu-virt")
    ap.add_argument("--root", default=os.path.join(HERE, ".."))
    ap.add_argument("--timeout", type=int, default=300)
    ap.add_argument("--no-fastpath", action="store_true")
    ap.add_argument("--toolchain", default="gcc",
                    help="compiler of the build measured (a label)")
    args = ap.parse_args()

    out1 = run_once(args)
    out2 = run_once(args)
    r1, expected, measured = parse(out1)
    r2, _, _ = parse(out2)
    dma = parse_dma(args)
    commit = subprocess.run(["git", "describe", "--always", "--dirty"],
                            capture_output=True, text=True,
                            cwd=args.root).stdout.strip()
    print("rift benchmarks, commit %s, built by %s, QEMU -icount shift=0 "
          "(instructions)" % (commit, args.toolchain))
    print("calibration: a loop of %d instructions measured %d%s" %
          (expected, measured, "" if expected == measured else
           "  <-- MISMATCH: numbers below are not exact"))
    print("repeatability: two runs %s" %
          ("identical" if r1 == r2 else "DIFFER"))
    print("DMA rows: one boot per server, counted with INST_RETIRED (the "
          "cycle counter would add the virtual time an idle wait for "
          "QEMU's disk thread skips); whether the completion interrupt "
          "comes before or after the driver's wait moves a read by a few "
          "hundred instructions, so those rows are not required to repeat")
    r1.update(dma)
    print()
    print("| path | min | median | iterations | reference |")
    print("|---|---:|---:|---:|---|")
    rows = []
    for key, desc, ref in ROWS:
        if key == "guest_boot_ratio" and key not in r1:
            v = boot_ratio(args)
            if "ratio" in v:
                print("| %s | %.3fx | rift %.6f s, native %.6f s | 1 | %s |"
                      % (desc, v["ratio"], v["rift_s"], v["native_s"], ref))
            else:
                print("| %s | - | - | - | %s |" % (desc, v["status"]))
            rows.append(dict(key=key, description=desc, **v))
        elif key in r1:
            v = r1[key]
            print("| %s | %d | %d | %d | %s |" % (desc, v["min"], v["median"],
                                                  v["n"], ref))
            rows.append(dict(key=key, description=desc, **v))
        else:
            why = NOT_YET.get(key, "missing from the output")
            print("| %s | - | - | - | %s |" % (desc, why))
            rows.append(dict(key=key, description=desc, status=why))
    path = os.path.join(args.build, "bench.json")
    with open(path, "w") as f:
        json.dump({"commit": commit, "toolchain": args.toolchain,
                   "calibration":
                   {"expected": expected, "measured": measured},
                   "repeatable": r1 == dict(r2, **dma),
                   "fastpath": not args.no_fastpath,
                   "rows": rows}, f, indent=2)
    print("\nJSON: %s" % path)
    return 0 if expected == measured and r1 == dict(r2, **dma) else 1


if __name__ == "__main__":
    sys.exit(main())
