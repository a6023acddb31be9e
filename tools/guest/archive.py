"""Boot archives with guest files (docs/guests.md).

The guest's kernel and initramfs are big (the Debian kernel is 33 MB) and
downloaded, so they are not in boot.cpio or test.cpio: make run and the
guest tests add them to a copy of the archive at run time, under the names
the descriptions use:

    guest-linux       the kernel Image (cache/guest/Image by default)
    guest-initrd      the initramfs (cache/guest/initrd.gz by default)
    guest-linux-cut   the kernel cut to 8 MiB (guest_bad_image)
"""
import os
import shutil
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CACHE = os.path.join(ROOT, "cache", "guest")


class GuestImageMissing(Exception):
    pass


def fetch(cache=CACHE, quiet=False):
    """Runs scripts/guest-image.sh (idempotent); raises GuestImageMissing
    with its error when it fails."""
    res = subprocess.run(["sh", os.path.join(ROOT, "scripts",
                                              "guest-image.sh"), cache],
                         stdout=subprocess.PIPE if quiet else None,
                         stderr=subprocess.PIPE)
    if res.returncode != 0:
        raise GuestImageMissing(res.stderr.decode().strip() or
                                "scripts/guest-image.sh failed")


def default_files(cache=CACHE):
    """{archive name: path} of the cached Debian guest."""
    kernel = os.path.join(cache, "Image")
    initrd = os.path.join(cache, "initrd.gz")
    for f in (kernel, initrd):
        if not os.path.exists(f):
            raise GuestImageMissing("%s is missing: run make guest-image "
                                    "(scripts/guest-image.sh)" % f)
    return {"guest-linux": kernel, "guest-initrd": initrd}


def build(src_dir, out, files, cut=None):
    """Writes the cpio archive @out: every file of @src_dir (an unpacked
    archive, e.g. build/qemu-virt/test.cpio.d) plus @files ({name: path}).
    @cut: {name: (path, bytes)} adds the first bytes of a file."""
    tree = out + ".d"
    shutil.rmtree(tree, ignore_errors=True)
    shutil.copytree(src_dir, tree)
    for name, path in files.items():
        if not os.path.isfile(path):
            raise GuestImageMissing("guest file %s does not exist" % path)
        shutil.copyfile(path, os.path.join(tree, name))
    for name, (path, size) in (cut or {}).items():
        with open(path, "rb") as f, \
                open(os.path.join(tree, name), "wb") as o:
            o.write(f.read(size))
    names = sorted(os.listdir(tree))
    with open(out + ".tmp", "wb") as o:
        subprocess.run(["cpio", "--quiet", "-o", "-H", "newc"], cwd=tree,
                       input="\n".join(names).encode() + b"\n", stdout=o,
                       check=True)
    os.replace(out + ".tmp", out)
    shutil.rmtree(tree, ignore_errors=True)
    return out
