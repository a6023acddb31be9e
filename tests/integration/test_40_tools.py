"""Tools a developer runs: make run with any system description."""
import os
import re
import shutil
import signal
import subprocess
import tempfile

from integration import Failure, expect, refuse

MAKE_TIMEOUT = 120


def make(ctx, *args, cwd=None, timeout=MAKE_TIMEOUT, cmd=None):
    """Run make (or @cmd) in the source tree or @cwd (own process group,
    killed alone on timeout); returns its status and output."""
    if cmd is None:
        # The runner's PLATFORM and TOOLCHAIN (make test passes them).
        cmd = ["make", "--no-print-directory"] + list(
            getattr(ctx, "make_vars", None) or
            ["PLATFORM=%s" % ctx.platform.name])
    cmd = cmd + list(args)
    # Not the jobserver of the `make test` that started this runner.
    env = {k: v for k, v in os.environ.items()
           if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    proc = subprocess.Popen(cmd, cwd=cwd or ctx.root, env=env,
                            stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, start_new_session=True)
    try:
        out, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, _ = proc.communicate()
        raise Failure("%s did not finish within %d s" % (" ".join(cmd),
                                                          timeout))
    text = out.decode("utf-8", "replace").replace("\r\n", "\n")
    return proc.returncode, text


def run_system(ctx):
    """make run SYSTEM=<name> boots tests/system/<name>.dts from test.cpio;
    SYSTEM=<path> boots a description of one's own; QEMU devices come from
    the description (rift,qemu-devices) and QEMU_DEVICES, each once."""
    rc, out = make(ctx, "run-built", "SYSTEM=pingpong", "RUN_TIMEOUT=60")
    if rc != 0:
        raise Failure("make run SYSTEM=pingpong failed (%d): %s"
                      % (rc, out[-400:]))
    expect(out, r"QEMU +tests/system/pingpong.dts from test.cpio",
           r"^\[ping\] pingpong: 10000 round trips",
           r"^rift: supervisor exited with status 0$")
    # A description of one's own: the lister of pci_enumerate, with two edu
    # devices, one from the description and one from QEMU_DEVICES.
    with open(os.path.join(ctx.root, "tests", "system",
                           "pci_enumerate.dts")) as f:
        dts = f.read()
    dts = dts.replace('rift,version = <1>;',
                      'rift,version = <1>;\n\trift,qemu-devices = "edu";', 1)
    with tempfile.TemporaryDirectory(dir=ctx.work) as tmp:
        path = os.path.join(tmp, "mine.dts")
        with open(path, "w") as f:
            f.write(dts)
        rc, out = make(ctx, "run-built", "SYSTEM=%s" % path,
                       "QEMU_DEVICES=edu", "RUN_TIMEOUT=60")
        if rc != 0:
            raise Failure("make run SYSTEM=%s failed (%d): %s"
                          % (path, rc, out[-400:]))
        expect(out, r"QEMU +%s from run.cpio" % re.escape(path),
               r"^rift: supervisor exited with status 0$")
        edus = re.findall(r"^\[lister\] .*1234:11e8", out, re.M)
        if len(edus) != 2:
            raise Failure("expected 2 edu devices (description + "
                          "QEMU_DEVICES), the lister saw %d" % len(edus))
    # The product: its edu device and its disk come from system.dts, once
    # each (host bridge, edu, virtio-blk), and the disk is a scratch file;
    # its Linux guest runs its demo and powers off, so make run ends.
    rc, out = make(ctx, "run-built", "RUN_TIMEOUT=180")
    expect(out, r"^\[pci\] pci: 3 functions on buses 00-00",
           r"^\[blkdemo\] blkdemo: wrote, flushed and read back 64 KiB",
           r"^\[linux\] rift-guest: demo done; powering off$",
           r"^rift: supervisor exited with status 0$")
    rc, out = make(ctx, "run-built", "SYSTEM=no_such_system")
    if rc == 0:
        raise Failure("make run SYSTEM=no_such_system succeeded")
    expect(out, r"SYSTEM=no_such_system: no tests/system/no_such_system.dts")
    refuse(out, r"QEMU +")


def copy_tree(ctx, dest):
    """The source tree and its build (timestamps kept, so only what is new
    gets built) at @dest; the build's work areas stay behind."""
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(ctx.root, dest, symlinks=True,
                    ignore=shutil.ignore_patterns(".git", "build"))
    rel = os.path.relpath(ctx.build, ctx.root)
    if rel.startswith(".."):
        raise Failure("the build directory %s is outside the tree" %
                      ctx.build)
    shutil.copytree(ctx.build, os.path.join(dest, rel), symlinks=True,
                    ignore=shutil.ignore_patterns("test-work", "fuzz", "run"))


def scaffold_driver(ctx):
    """make new-driver writes a driver folder, its system and its test; in
    a copy of the tree they build, boot and pass as written. A taken or
    malformed NAME is refused."""
    tree = os.path.join(ctx.work, "scaffold")
    copy_tree(ctx, tree)
    try:
        rc, out = make(ctx, "new-driver", "NAME=scaffolded", "VENDOR=0x1234",
                       "DEVICE=0x11e8", cwd=tree)
        if rc != 0:
            raise Failure("make new-driver failed (%d): %s" % (rc, out))
        for f in ("drivers-domain/scaffolded/domain.mk",
                  "drivers-domain/scaffolded/main.c",
                  "tests/system/scaffolded.dts",
                  "tests/integration/test_drv_scaffolded.py"):
            if not os.path.isfile(os.path.join(tree, f)):
                raise Failure("make new-driver did not write %s" % f)
        rc, out = make(ctx, "new-driver", "NAME=scaffolded", "VENDOR=0x1234",
                       "DEVICE=0x11e8", cwd=tree)
        if rc == 0 or "NAME=scaffolded is taken" not in out:
            raise Failure("a second new-driver of the same NAME was not "
                          "refused: %s" % out[-300:])
        rc, out = make(ctx, "new-driver", "NAME=Bad-Name", "VENDOR=1",
                       "DEVICE=2", cwd=tree)
        if rc == 0 or "NAME=Bad-Name: give a lower-case C name" not in out:
            raise Failure("a malformed NAME was not refused: %s"
                          % out[-300:])
        rc, out = make(ctx, "-j2", "images", cwd=tree, timeout=300)
        if rc != 0:
            raise Failure("the scaffolded driver does not build: %s"
                          % out[-1200:])
        rc, out = make(ctx, "--build", os.path.relpath(ctx.build, ctx.root),
                       "-k", "drv_scaffolded", cwd=tree, timeout=300,
                       cmd=["python3", "tests/run.py"])
        if rc != 0 or "PASS drv_scaffolded" not in out:
            raise Failure("the scaffolded test does not pass: %s"
                          % out[-1200:])
    finally:
        shutil.rmtree(tree, ignore_errors=True)


DOC_EXAMPLES = ("docs/drivers.md", "docs/idl.md")


def doc_examples(root):
    """Complete examples of the docs: ({path: text}, [(system, [regex])]).

    A fenced block right after `<!-- example: PATH -->` is the file PATH of
    a source tree; `<!-- run: SYSTEM` and `expect: REGEX` lines up to
    `-->` boot tests/system/SYSTEM.dts and check each REGEX."""
    files, runs = {}, []
    for doc in DOC_EXAMPLES:
        with open(os.path.join(root, doc)) as f:
            text = f.read()
        for m in re.finditer(r"<!-- example: (\S+) -->\n```[^\n]*\n"
                             r"(.*?)^```$", text, re.M | re.S):
            if m.group(1) in files:
                raise Failure("%s: example %s given twice" % (doc,
                                                              m.group(1)))
            files[m.group(1)] = m.group(2)
        for m in re.finditer(r"<!-- run: (\S+)\n(.*?)-->", text, re.S):
            expects = re.findall(r"^expect: (.*)$", m.group(2), re.M)
            if not expects:
                raise Failure("%s: run %s expects nothing" % (doc,
                                                              m.group(1)))
            runs.append((m.group(1), expects))
    return files, runs


def readme_true(root):
    """README's layout table names folders that exist, and its list of
    docs names every docs/*.md."""
    with open(os.path.join(root, "README.md")) as f:
        text = f.read()
    for path in re.findall(r"^\| `([^`]+)` \|", text, re.M):
        if not os.path.isdir(os.path.join(root, path.replace("<board>",
                                                             "qemu-virt"))):
            raise Failure("README's layout lists %s, which does not exist"
                          % path)
    for doc in sorted(os.listdir(os.path.join(root, "docs"))):
        if doc.endswith(".md") and "docs/%s" % doc not in text:
            raise Failure("README's list of docs misses docs/%s" % doc)


def docs_examples(ctx):
    """Every code block of docs/drivers.md and docs/idl.md marked as a
    complete example builds as written, in a copy of the tree, and the
    systems they describe boot and print what the docs say. README's
    layout table and docs list are true."""
    readme_true(ctx.root)
    files, runs = doc_examples(ctx.root)
    if len(files) < 8 or len(runs) < 2:
        raise Failure("only %d examples and %d runs found in %s"
                      % (len(files), len(runs), ", ".join(DOC_EXAMPLES)))
    tree = os.path.join(ctx.work, "docs-examples")
    copy_tree(ctx, tree)
    try:
        for rel, text in files.items():
            path = os.path.join(tree, rel)
            if os.path.exists(path):
                raise Failure("example %s would overwrite a file of the "
                              "tree" % rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w") as f:
                f.write(text)
        rc, out = make(ctx, "-j2", "images", cwd=tree, timeout=300)
        if rc != 0:
            raise Failure("the examples do not build: %s" % out[-1500:])
        for system, expects in runs:
            rc, out = make(ctx, "run-built", "SYSTEM=%s" % system,
                           "RUN_TIMEOUT=60", cwd=tree)
            if rc != 0:
                raise Failure("make run SYSTEM=%s failed (%d): %s"
                              % (system, rc, out[-600:]))
            expect(out, *(expects + [r"^rift: supervisor exited with "
                                     r"status 0$"]))
            refuse(out, r"PANIC", r"^\[\w+\] rift-rt: ")
    finally:
        shutil.rmtree(tree, ignore_errors=True)


TESTS = [run_system, scaffold_driver, docs_examples]
