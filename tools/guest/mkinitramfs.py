#!/usr/bin/env python3
"""Build the guest initramfs: a gzip'd cpio "newc" archive, written by this
script (no root needed: device nodes are archive entries, not mknod).

    mkinitramfs.py --busybox PATH --init PATH -o OUT.gz [--add SRC:DST ...]

Contents: /bin/busybox (Debian's busybox-static, arm64), /init, the
directories init mounts on, and /dev/console (char 5:1) so the kernel can
open the console before /init runs. Every entry is owned by root with
mtime 0: the output depends only on the inputs.
"""
import argparse
import gzip
import os
import stat
import sys


class Cpio:
    def __init__(self):
        self.out = bytearray()
        self.ino = 1

    def _pad4(self):
        while len(self.out) % 4:
            self.out.append(0)

    def entry(self, name, mode, data=b"", rdev=(0, 0)):
        name_b = name.encode() + b"\0"
        fields = [self.ino, mode, 0, 0, 1, 0, len(data), 0, 0,
                  rdev[0], rdev[1], len(name_b), 0]
        self.ino += 1
        self.out += b"070701" + b"".join(b"%08x" % f for f in fields)
        self.out += name_b
        self._pad4()
        self.out += data
        self._pad4()

    def dir(self, name):
        self.entry(name, stat.S_IFDIR | 0o755)

    def file(self, name, data, mode=0o755):
        self.entry(name, stat.S_IFREG | mode, data)

    def symlink(self, name, target):
        self.entry(name, stat.S_IFLNK | 0o777, target.encode())

    def chardev(self, name, major, minor, mode=0o600):
        self.entry(name, stat.S_IFCHR | mode, rdev=(major, minor))

    def finish(self):
        self.entry("TRAILER!!!", 0)
        return bytes(self.out)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--busybox", required=True)
    ap.add_argument("--init", required=True)
    ap.add_argument("--add", action="append", default=[],
                    help="SRC:DST, another file (modules, say)")
    ap.add_argument("-o", "--output", required=True)
    args = ap.parse_args()

    with open(args.busybox, "rb") as f:
        busybox = f.read()
    if busybox[:4] != b"\x7fELF" or busybox[18:20] != b"\xb7\x00":
        sys.exit("mkinitramfs: %s is not an aarch64 ELF" % args.busybox)
    with open(args.init, "rb") as f:
        init = f.read()
    c = Cpio()
    for d in ("bin", "sbin", "dev", "proc", "sys", "tmp", "etc", "root",
              "usr", "usr/bin", "usr/sbin"):
        c.dir(d)
    c.chardev("dev/console", 5, 1)
    c.chardev("dev/null", 1, 3, 0o666)
    c.file("bin/busybox", busybox)
    c.symlink("bin/sh", "busybox")
    c.file("init", init)
    for spec in args.add:
        src, dst = spec.split(":", 1)
        parts = dst.strip("/").split("/")
        for i in range(1, len(parts)):
            c.dir("/".join(parts[:i]))
        with open(src, "rb") as f:
            c.file(dst.strip("/"), f.read(), 0o644)
    data = c.finish()
    tmp = args.output + ".tmp"
    with open(tmp, "wb") as f:
        # mtime=0: byte-identical output for identical inputs.
        with gzip.GzipFile(fileobj=f, mode="wb", mtime=0) as g:
            g.write(data)
    os.replace(tmp, args.output)
    print("mkinitramfs: %s: %d bytes (%d uncompressed)"
          % (args.output, os.path.getsize(args.output), len(data)))


if __name__ == "__main__":
    main()
