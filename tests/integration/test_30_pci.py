"""The PCI server (drivers-domain/pci, docs/pci.md): enumeration of a real
QEMU topology, cross-checks of its configuration dump with the host's
libpci, INTx delivery to a user-level driver, claim isolation and INTx line
sharing. Test programs: tests/domains/pci/pcitest.c; descriptions:
tests/system/pci_*.dts."""
import os
import re
import subprocess

from integration import Failure, expect, last_lines

# QEMU virt routes INTA..INTD of root bus slot d to SPI 3 + (d + pin) % 4
# (interrupt-map in the generated device tree), i.e. GIC INTIDs 35..38.
VIRT_INTX_BASE = 35

EDU = "1234:11e8"


def topology(ctx):
    """QEMU arguments for the enumeration topology, with a fresh disk."""
    disk = os.path.join(ctx.work, "pci-disk0.raw")
    with open(disk, "wb") as f:
        f.truncate(1 << 20)
    return [
        "-drive", "if=none,id=d0,file=%s,format=raw" % disk,
        "-device", "virtio-blk-pci,drive=d0",
        "-device", "virtio-net-pci,romfile=",
        "-device", "e1000e,romfile=",
        "-device", "pcie-root-port,id=rp1,chassis=1",
        "-device", "virtio-net-pci,bus=rp1,romfile=",
        "-device", "pci-bridge,id=br1,chassis_nr=2",
        "-device", "e1000,bus=br1,addr=1,romfile=",
        "-device", "edu",
    ]


# What the topology must contain: vendor:device -> what sits above it
# ("root" for the root bus, else the vendor:device of the bridge).
EXPECTED = {
    "1b36:0008": "root",        # host bridge
    "1af4:1001": "root",        # virtio-blk-pci (transitional)
    "1af4:1000": "root",        # virtio-net-pci (transitional)
    "8086:10d3": "root",        # e1000e
    "1b36:000c": "root",        # pcie-root-port
    "1af4:1041": "1b36:000c",   # virtio-net-pci behind the root port
    "1b36:0001": "root",        # pci-bridge
    "8086:100e": "1b36:0001",   # e1000 behind the pci-bridge
    EDU: "root",
}


def server_lines(out):
    """The PCI server's output lines, tag removed, continuations joined."""
    lines = []
    for line in out.splitlines():
        m = re.match(r"^\[pci\] ?(.*)$", line)
        if not m:
            continue
        text = m.group(1)
        if text.startswith("+") and lines:
            lines[-1] += text[1:]
        else:
            lines.append(text)
    return lines


def block(out, name):
    """Lines between `==== pci <name> begin ====` and its end marker."""
    lines = server_lines(out)
    try:
        start = lines.index("==== pci %s begin ====" % name)
        end = lines.index("==== pci %s end ====" % name, start)
    except ValueError:
        raise Failure("no complete '%s' block in the PCI server's output; "
                      "last lines: %s" % (name, last_lines(out)))
    return lines[start + 1:end]


def parse_listing(lines):
    """Canonical listing lines -> {bdf: entry dict} (format: docs/pci.md)."""
    funcs = {}
    head = re.compile(r"^([0-9a-f]{2}):([0-9a-f]{2})\.([0-7]) "
                      r"([0-9a-f]{4}:[0-9a-f]{4}) class ([0-9a-f]{6}) "
                      r"rev ([0-9a-f]{2}) hdr ([0-9a-f]{2}) cmd ([0-7])(.*)$")
    for line in lines:
        m = head.match(line)
        if not m:
            raise Failure("malformed listing line %r" % line)
        bdf = "%s:%s.%s" % m.group(1, 2, 3)
        e = {"bdf": bdf, "bus": int(m.group(1), 16),
             "dev": int(m.group(2), 16), "id": m.group(4),
             "class": int(m.group(5), 16), "rev": int(m.group(6), 16),
             "hdr": int(m.group(7), 16), "cmd": int(m.group(8)),
             "bars": {}, "caps": [], "bridge": None}
        rest = m.group(9)
        for n, kind, addr in re.findall(r" bar(\d) (\w+) ([0-9a-f]+)", rest):
            e["bars"][int(n)] = (kind, int(addr, 16))
        b = re.search(r" bridge pri (\w\w) sec (\w\w) sub (\w\w)", rest)
        if b:
            e["bridge"] = {"pri": int(b.group(1), 16),
                           "sec": int(b.group(2), 16),
                           "sub": int(b.group(3), 16)}
            for kind in ("io", "mem", "pref"):
                w = re.search(r" %s ([0-9a-f]+)-([0-9a-f]+)" % kind,
                              rest[b.end():])
                e["bridge"][kind] = ((int(w.group(1), 16),
                                      int(w.group(2), 16)) if w else None)
        c = re.search(r" caps ([0-9a-f@,]+)$", rest)
        if c:
            e["caps"] = [tuple(int(x, 16) for x in cap.split("@"))
                         for cap in c.group(1).split(",")]
        funcs[bdf] = e
    return funcs


def parse_resources(lines):
    """Resources block -> (host windows, BARs, bridge windows, intx)."""
    host, bars, windows, intx = {}, [], [], {}
    for line in lines:
        f = line.split()
        if f[0] == "host" and f[1] in ("io", "mem", "pref"):
            host[f[1]] = (int(f[2], 16), int(f[3], 16))
        elif f[0] == "host":
            continue
        elif f[1].startswith("bar"):
            if f[3] == "unassigned":
                raise Failure("unassigned BAR: %s" % line)
            bars.append({"bdf": f[0], "bar": int(f[1][3:]), "type": f[2],
                         "addr": int(f[3], 16), "size": int(f[5], 16),
                         "window": f[7]})
        elif f[1] == "window":
            windows.append({"bdf": f[0], "kind": f[2],
                            "base": int(f[3], 16), "size": int(f[5], 16)})
        elif f[1] == "intx":
            intx[f[0]] = (f[2], int(f[4]))
        else:
            raise Failure("malformed resource line %r" % line)
    return host, bars, windows, intx


def boot_topology(ctx, name="pci_enumerate"):
    out = ctx.boot_system(name, extra=topology(ctx))
    expect(out, r"^\[pci\] pci: serving \d+ functions; bus mastering .*$")
    if re.search(r"^\[pci\] pci: problem:", out, re.M):
        raise Failure("the server reported problems: %s" %
                      [l for l in server_lines(out) if "problem" in l])
    return out


def check_found(funcs):
    """Every expected device, each under the bridge it was plugged into."""
    by_id = {}
    for e in funcs.values():
        by_id.setdefault(e["id"], []).append(e)
    for dev_id, above in EXPECTED.items():
        if dev_id not in by_id:
            raise Failure("%s not found; listing has %s" %
                          (dev_id, sorted(by_id)))
        for e in by_id[dev_id]:
            if above == "root":
                if e["bus"] != 0:
                    raise Failure("%s at %s, expected on bus 00" %
                                  (dev_id, e["bdf"]))
                continue
            bridges = [b for b in by_id.get(above, [])
                       if b["bridge"] and b["bridge"]["sec"] == e["bus"]]
            if not bridges:
                raise Failure("%s at %s is not on the secondary bus of a "
                              "%s" % (dev_id, e["bdf"], above))
    if len(funcs) != len(EXPECTED):
        raise Failure("%d functions listed, expected %d" %
                      (len(funcs), len(EXPECTED)))


def check_bars(host, bars):
    """BARs inside their host windows, page-aligned, disjoint."""
    for b in bars:
        base, size = host[b["window"]]
        room = max(b["size"], 0x1000) if b["type"] != "io" else b["size"]
        if not (base <= b["addr"] and b["addr"] + room <= base + size):
            raise Failure("%s bar%d %x+%x outside host window %s" %
                          (b["bdf"], b["bar"], b["addr"], room, b["window"]))
        if b["addr"] % room:
            raise Failure("%s bar%d at %x not aligned to %x" %
                          (b["bdf"], b["bar"], b["addr"], room))
        b["room"] = room
    for space in ("io", "mem"):
        rs = sorted((b for b in bars if (b["type"] == "io") ==
                     (space == "io")), key=lambda b: b["addr"])
        for a, c in zip(rs, rs[1:]):
            if a["addr"] + a["room"] > c["addr"]:
                raise Failure("%s bar%d and %s bar%d overlap" %
                              (a["bdf"], a["bar"], c["bdf"], c["bar"]))


def check_bridges(funcs, host, bars, windows):
    """Each bridge window holds everything of its kind below the bridge,
    nothing else, and sits inside its parent's window."""
    def below(bridge, bdf):
        bus = int(bdf[:2], 16)
        return bridge["sec"] <= bus <= bridge["sub"]

    for w in windows:
        br = funcs[w["bdf"]]["bridge"]
        lo, hi = w["base"], w["base"] + w["size"]
        if w["kind"] not in host:
            raise Failure("%s window %s with no host window" %
                          (w["bdf"], w["kind"]))
        hbase, hsize = host[w["kind"]]
        if not (hbase <= lo and hi <= hbase + hsize):
            raise Failure("%s window %s %x-%x outside the host window" %
                          (w["bdf"], w["kind"], lo, hi - 1))
        if br[w["kind"]] != (lo, hi - 1):
            raise Failure("%s window %s: resources say %x-%x, listing %s" %
                          (w["bdf"], w["kind"], lo, hi - 1,
                           br[w["kind"]]))
        for b in bars:
            inside = lo <= b["addr"] < hi
            if b["window"] == w["kind"] and below(br, b["bdf"]) != inside:
                raise Failure("%s bar%d at %x is %s window %s of %s" %
                              (b["bdf"], b["bar"], b["addr"],
                               "outside" if not inside else "inside",
                               w["kind"], w["bdf"]))
        for other in windows:
            if other is w or other["kind"] != w["kind"]:
                continue
            obr = funcs[other["bdf"]]["bridge"]
            olo, ohi = other["base"], other["base"] + other["size"]
            nested = below(br, other["bdf"])
            if nested and not (lo <= olo and ohi <= hi):
                raise Failure("window of %s not inside that of %s" %
                              (other["bdf"], w["bdf"]))
            if not nested and not below(obr, w["bdf"]) and \
                    olo < hi and lo < ohi:
                raise Failure("windows of %s and %s overlap" %
                              (w["bdf"], other["bdf"]))


def check_intx(funcs, intx):
    """INTx routes follow the bridge swizzle to QEMU's interrupt map."""
    parent = {}
    for e in funcs.values():
        if e["bridge"]:
            for bus in range(e["bridge"]["sec"], e["bridge"]["sub"] + 1):
                if bus == e["bridge"]["sec"] or bus not in parent:
                    parent[bus] = e
    for bdf, (pin, intid) in intx.items():
        e = funcs[bdf]
        p = "abcd".index(pin)
        while e["bus"] != 0:
            p = (p + e["dev"]) % 4
            e = parent[e["bus"]]
        want = VIRT_INTX_BASE + (e["dev"] + p) % 4
        if intid != want:
            raise Failure("%s INT%s routed to %d, expected %d" %
                          (bdf, pin.upper(), intid, want))
    if len(intx) != len(funcs) - 1:
        raise Failure("%d INTx routes for %d functions (all but the host "
                      "bridge have a pin)" % (len(intx), len(funcs)))


def pci_enumerate(ctx):
    """Every device of a mixed topology found, BARs and bridge windows
    assigned correctly, INTx routed, and the list method agrees."""
    out = boot_topology(ctx)
    funcs = parse_listing(block(out, "listing"))
    host, bars, windows, intx = parse_resources(block(out, "resources"))
    check_found(funcs)
    check_bars(host, bars)
    check_bridges(funcs, host, bars, windows)
    check_intx(funcs, intx)
    listed = re.findall(r"^\[lister\] pcitest: fn (\S+) (\S+) class (\w+) "
                        r"intid (\d+)", out, re.M)
    if sorted((b, i) for b, i, _, _ in listed) != \
            sorted((e["bdf"], e["id"]) for e in funcs.values()):
        raise Failure("the list method disagrees with the listing: %s" %
                      listed)
    for bdf, _, _, intid in listed:
        if int(intid) != intx.get(bdf, ("", 0))[1]:
            raise Failure("info reports intid %s for %s" % (intid, bdf))
    expect(out, r"^\[lister\] pcitest: list: %d functions$" % len(funcs),
           r"^\[pci\] pci: refused to lister \(client \d\): not in its "
           r"pci-devices: \S+ %s " % EDU)


def run_host(args):
    proc = subprocess.run(args, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, timeout=60)
    if proc.returncode != 0:
        raise Failure("%s exited with %d: %s" %
                      (" ".join(args), proc.returncode,
                       proc.stderr.decode(errors="replace").strip()))
    return proc.stdout.decode(errors="replace")


def parse_lspci(text):
    """`lspci -F dump -nvvb` -> {bdf: entry dict} like parse_listing."""
    funcs = {}
    e = None
    title = re.compile(r"^([0-9a-f]{2}:[0-9a-f]{2}\.[0-7]) ([0-9a-f]{4}): "
                       r"([0-9a-f]{4}:[0-9a-f]{4})")
    for line in text.splitlines():
        m = title.match(line)
        if m:
            rev = re.search(r"\(rev ([0-9a-f]{2})\)", line)
            prog = re.search(r"\(prog-if ([0-9a-f]{2})", line)
            e = {"bdf": m.group(1), "id": m.group(3),
                 "class": (int(m.group(2), 16) << 8) |
                          (int(prog.group(1), 16) if prog else 0),
                 "rev": int(rev.group(1), 16) if rev else 0,
                 "cmd": None, "bars": {}, "caps": [], "bridge": None}
            funcs[e["bdf"]] = e
            continue
        if e is None:
            continue
        parse_lspci_line(e, line)
    return funcs


def parse_lspci_line(e, line):
    m = re.match(r"^\tControl: I/O([+-]) Mem([+-]) BusMaster([+-])", line)
    if m:
        e["cmd"] = sum(v for v, s in zip((1, 2, 4), m.groups()) if s == "+")
    m = re.match(r"^\tRegion (\d): (I/O ports|Memory) at ([0-9a-f]+)"
                 r"(?: \((32|64)-bit, (prefetchable|non-prefetchable)\))?",
                 line)
    if m:
        kind = "io" if m.group(2) == "I/O ports" else \
            "mem%s%s" % (m.group(4),
                         "pref" if m.group(5) == "prefetchable" else "")
        e["bars"][int(m.group(1))] = (kind, int(m.group(3), 16))
    m = re.match(r"^\tBus: primary=(\w\w), secondary=(\w\w), "
                 r"subordinate=(\w\w)", line)
    if m:
        e["bridge"] = {"pri": int(m.group(1), 16),
                       "sec": int(m.group(2), 16),
                       "sub": int(m.group(3), 16),
                       "io": None, "mem": None, "pref": None}
    m = re.match(r"^\t(I/O|Memory|Prefetchable memory) behind bridge: "
                 r"([0-9a-f]+)-([0-9a-f]+)", line)
    if m:
        kind = {"I/O": "io", "Memory": "mem",
                "Prefetchable memory": "pref"}[m.group(1)]
        e["bridge"][kind] = (int(m.group(2), 16), int(m.group(3), 16))
    m = re.match(r"^\tCapabilities: \[([0-9a-f]{2})\]", line)
    if m:
        e["caps"].append(int(m.group(1), 16))


def compare_lspci(server, lspci):
    if sorted(server) != sorted(lspci):
        raise Failure("functions differ: server %s, lspci %s" %
                      (sorted(server), sorted(lspci)))
    for bdf, s in sorted(server.items()):
        l = lspci[bdf]
        checks = [("ids", s["id"], l["id"]), ("class", s["class"],
                                              l["class"]),
                  ("revision", s["rev"], l["rev"]),
                  ("command", s["cmd"], l["cmd"]),
                  ("BARs", s["bars"], l["bars"]),
                  ("bridge", s["bridge"], l["bridge"]),
                  ("capabilities", sorted(off for _, off in s["caps"]),
                   sorted(l["caps"]))]
        for what, mine, theirs in checks:
            if mine != theirs:
                raise Failure("%s %s: server %s, lspci %s" %
                              (bdf, what, mine, theirs))


def pci_libpci_crosscheck(ctx):
    """The server's dump, read back by the host's libpci (pcitopo and
    lspci -F), says what the server's own listing says."""
    out = boot_topology(ctx)
    listing = block(out, "listing")
    dump = block(out, "dump")
    path = os.path.join(ctx.work, "pci-virt.dump")
    with open(path, "w") as f:
        f.write("\n".join(dump) + "\n")
    pcitopo = os.path.join(ctx.build, "host", "tools", "pcitopo")
    theirs = run_host([pcitopo, path]).splitlines()
    for n, (mine, other) in enumerate(zip(listing, theirs)):
        if mine != other:
            raise Failure("listing line %d differs:\n  server:  %s\n  "
                          "pcitopo: %s" % (n + 1, mine, other))
    if len(listing) != len(theirs) or not listing:
        raise Failure("server listed %d functions, pcitopo %d" %
                      (len(listing), len(theirs)))
    again = run_host(["lspci", "-F", path, "-nxxx"])
    if again != "\n".join(dump) + "\n":
        raise Failure("lspci -F -nxxx does not reproduce the dump")
    compare_lspci(parse_listing(listing),
                  parse_lspci(run_host(["lspci", "-F", path, "-nvvb"])))


def irq_delivery(ctx):
    """A driver claims edu and counts the interrupts it raises: each one
    reaches the driver's notification exactly once, as the kernel counts."""
    out = ctx.boot_system("pci_irq", extra=["-device", "edu"])
    host, bars, windows, intx = parse_resources(block(out, "resources"))
    edu = [e for e in parse_listing(block(out, "listing")).values()
           if e["id"] == EDU]
    if len(edu) != 1:
        raise Failure("expected one edu device, found %d" % len(edu))
    bdf = edu[0]["bdf"]
    expect(out,
           r"^\[pci\] pci: claimed by edudrv \(client 1\): %s %s .* cmd 2 " %
           (re.escape(bdf), EDU),
           r"^\[edudrv\] pcitest: irq: intid %d, 100 raised, 100 delivered,"
           r" kernel count 100, frames 256 of 4096 bytes$" % intx[bdf][1],
           r"^\[pci\] pci: released by edudrv \(client 1\): %s %s .* cmd 0 " %
           (re.escape(bdf), EDU),
           r"^\[edudrv\] pcitest: irq: release revoked the frame and the "
           r"notification$",
           r"^\[supervisor\] supervisor: edudrv exited with status 0$")


def in_order(out, patterns):
    pos = 0
    for p in patterns:
        m = re.compile(p, re.M).search(out, pos)
        if not m:
            raise Failure("missing /%s/ after offset %d; last lines: %s" %
                          (p, pos, last_lines(out)))
        pos = m.end()


def pci_config_isolation(ctx):
    """A domain that did not claim a device cannot read or write its
    configuration space (nor map it, take its interrupt or release it),
    and its write did not happen; after release it can claim it."""
    out = ctx.boot_system("pci_isolation", extra=["-device", "edu"])
    in_order(out, [
        r"^\[pci\] pci: claimed by owner \(client 1\): \S+ %s .* cmd 2 " % EDU,
        r"^\[intruder\] pcitest: intruder: write refused \(-7\), read, "
        r"claim, frame, irq and release refused$",
        r"^\[owner\] pcitest: owner: interrupt line still 5a after the "
        r"intruder$",
        r"^\[pci\] pci: released by owner \(client 1\): \S+ %s .* cmd 0 " % EDU,
        r"^\[pci\] pci: claimed by intruder \(client 2\): \S+ %s .* cmd 2 " % EDU,
        r"^\[intruder\] pcitest: intruder: claimed and released after the "
        r"owner$",
    ])
    expect(out, r"^\[supervisor\] supervisor: owner exited with status 0$",
           r"^\[supervisor\] supervisor: intruder exited with status 0$")


def pci_intx_shared(ctx):
    """Two devices on one INTx line: the second driver's irq_attach is
    refused while the first holds the line, and works once it released."""
    out = ctx.boot_system("pci_intx_shared",
                          extra=["-device", "edu,addr=1",
                                 "-device", "edu,addr=5"])
    host, bars, windows, intx = parse_resources(block(out, "resources"))
    if intx.get("00:01.0") != intx.get("00:05.0") or "00:01.0" not in intx:
        raise Failure("the two edu devices do not share a line: %s" % intx)
    intid = intx["00:01.0"][1]
    in_order(out, [
        r"^\[edu_a\] pcitest: share-a: 00:01.0 holds intid %d$" % intid,
        r"^\[pci\] pci: claimed by edu_b \(client 2\): 00:05.0 %s " % EDU,
        r"^\[edu_b\] pcitest: share-b: 00:05.0 shares the line: "
        r"irq_attach refused \(-9\)$",
        r"^\[pci\] pci: released by edu_a \(client 1\): 00:01.0 %s " % EDU,
        r"^\[edu_b\] pcitest: share-b: intid %d attached after the "
        r"release, interrupt delivered$" % intid,
        r"^\[pci\] pci: released by edu_b \(client 2\): 00:05.0 %s " % EDU,
    ])
    expect(out, r"^\[supervisor\] supervisor: edu_a exited with status 0$",
           r"^\[supervisor\] supervisor: edu_b exited with status 0$")


TESTS = [pci_enumerate, pci_libpci_crosscheck, irq_delivery,
         pci_config_isolation, pci_intx_shared]
