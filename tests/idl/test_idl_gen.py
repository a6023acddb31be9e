#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Tests of the IDL generator itself (idl/riftidl.py).

Prints one line per test, `PASS idl_gen.<name>` or
`FAIL idl_gen.<name>: <reason>`, and exits non-zero if any failed.

- every tests/idl/bad/*.idl fails with exit status 1 and exactly the
  `file:line:col: error: message` lines its `// expect:` comments list;
- the version hash ignores layout and changes with every wire fact;
- ids, depfile, output placement, options;
- generated code includes only freestanding headers and compiles with
  aarch64-linux-gnu-gcc -ffreestanding without libc.
"""

import contextlib
import glob
import hashlib
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(
    __file__))))
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(ROOT, "idl"))

import riftidl  # noqa: E402
from idlgen.check import check, derived_id, fnv1a32  # noqa: E402
from idlgen.parser import parse  # noqa: E402

SUITE = "idl_gen"
CROSS_CC = os.environ.get("IDL_CROSS_CC", "aarch64-linux-gnu-gcc")
TESTS = []


class Failure(Exception):
    pass


def test(fn):
    TESTS.append((fn.__name__, fn))
    return fn


def expect(cond, why: str) -> None:
    if not cond:
        raise Failure(why)


def gen(*args):
    """Run the generator in-process; returns (status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                status = riftidl.main(list(args))
            except SystemExit as e:  # argparse
                status = e.code
    finally:
        os.chdir(cwd)
    return subprocess.CompletedProcess(args, status, out.getvalue(),
                                       err.getvalue())


def version_of(text: str, name: str = "t.idl") -> int:
    return check(parse(text, name)).version


# -- error reports ------------------------------------------------------------

def bad_file_test(path: str):
    rel = os.path.relpath(path, ROOT)

    def run(tmp):
        with open(path, encoding="utf-8") as f:
            wanted = [line.split("expect:", 1)[1].strip()
                      for line in f if line.startswith("// expect:")]
        expect(wanted, "no '// expect:' line")
        out = os.path.join(tmp, "out")
        r = gen("--out-dir", out, "--depfile", os.path.join(tmp, "d"), rel)
        expect(r.returncode == 1, f"exit status {r.returncode}, want 1")
        errors = [line for line in r.stderr.splitlines() if line]
        expect(len(errors) == len(wanted),
               f"{len(errors)} error lines, want {len(wanted)}: {r.stderr!r}")
        for want, got in zip(wanted, errors):
            loc, msg = want.split(": ", 1)
            prefix = f"{rel}:{loc}: error: {msg}"
            expect(got.startswith(prefix), f"got {got!r}, want {prefix!r}")
        expect(not os.path.exists(out), "output written despite errors")
    return run


for _path in sorted(glob.glob(os.path.join(ROOT, "tests/idl/bad/*.idl"))):
    _name = "bad_" + os.path.splitext(os.path.basename(_path))[0]
    TESTS.append((_name, bad_file_test(_path)))


@test
def missing_input(tmp):
    r = gen("--out-dir", tmp, "tests/idl/bad/no_such_file.idl")
    expect(r.returncode == 1, f"exit status {r.returncode}")
    expect("no_such_file.idl" in r.stderr, r.stderr)


@test
def cli_exit_status(tmp):
    bad = "tests/idl/bad/unknown_type.idl"
    r = subprocess.run(["/usr/bin/python3", "idl/riftidl.py", "-o", tmp, bad],
                       cwd=ROOT, capture_output=True, text=True)
    expect(r.returncode == 1, f"exit status {r.returncode}")
    expect(r.stderr.startswith(f"{bad}:3:14: error: "), r.stderr)


@test
def refuses_source_tree(tmp):
    for out in ("idl/gen", "tests/idl", "idl"):
        r = gen("--out-dir", out, "tests/idl/testiface.idl")
        expect(r.returncode == 1, f"{out}: exit status {r.returncode}")
        expect("source tree" in r.stderr, r.stderr)
    expect(not os.path.exists(os.path.join(ROOT, "idl/gen")),
           "created idl/gen")


@test
def bad_emit_option(tmp):
    r = gen("--out-dir", tmp, "--emit", "header,bogus", "idl/console.idl")
    expect(r.returncode == 2 and "bogus" in r.stderr, r.stderr)


# -- outputs ------------------------------------------------------------------

@test
def outputs_and_banner(tmp):
    r = gen("--out-dir", tmp, "idl/console.idl")
    expect(r.returncode == 0, r.stderr)
    for name in ("console.h", "console_client.c", "console_server.c"):
        with open(os.path.join(tmp, name), encoding="utf-8") as f:
            text = f.read()
        expect("DO NOT EDIT" in text and "idl/console.idl" in text,
               f"{name}: no generated-file banner")
        expect("/*?" not in text and "/*-" not in text,
               f"{name}: template delimiter left in output")
    expect(sorted(os.listdir(tmp)) == ["console.h", "console_client.c",
                                       "console_server.c"],
           f"unexpected files {os.listdir(tmp)}")


@test
def depfile(tmp):
    d = os.path.join(tmp, "console.d")
    r = gen("--out-dir", tmp, "--depfile", d, "idl/console.idl")
    expect(r.returncode == 0, r.stderr)
    with open(d, encoding="utf-8") as f:
        text = f.read()
    head = text.split(":", 1)[0]
    for name in ("console.h", "console_client.c", "console_server.c"):
        expect(os.path.join(tmp, name) in head, f"target {name} missing")
    deps = set(re.findall(r"^(\S+):$", text, re.M))
    want = {"idl/console.idl", "idl/riftidl.py", "idl/idlgen/parser.py",
            "idl/templates/header.h", "idl/templates/client.c",
            "idl/templates/server.c", "idl/templates/helpers/runtime.c",
            "idl/templates/helpers/codec.c", "idl/templates/helpers/banner.c"}
    expect(want <= deps, f"missing dependencies {sorted(want - deps)}")


@test
def c_prefix_option(tmp):
    r = gen("--out-dir", tmp, "--c-prefix", "tv2", "tests/idl/testiface.idl")
    expect(r.returncode == 0, r.stderr)
    with open(os.path.join(tmp, "tv2.h"), encoding="utf-8") as f:
        text = f.read()
    path = os.path.join(ROOT, "tests/idl/testiface.idl")
    with open(path, encoding="utf-8") as f:
        v = version_of(f.read(), "testiface.idl")
    expect(f"#define TV2_VERSION 0x{v:08x}u" in text,
           "prefix changed the version hash")
    expect("int tv2_ints(struct rift_chan *ch" in text, "prefix not applied")


@test
def emit_fuzz_only(tmp):
    r = gen("--out-dir", tmp, "--emit", "fuzz", "idl/console.idl")
    expect(r.returncode == 0, r.stderr)
    expect(os.listdir(tmp) == ["console_fuzz.c"], str(os.listdir(tmp)))


@test
def print_hash(tmp):
    r = gen("--print-hash", "idl/console.idl")
    expect(r.returncode == 0, r.stderr)
    first, canon = r.stdout.split("\n", 1)
    digest = hashlib.sha256(canon.encode()).digest()[:4]
    expect(first == f"console 0x{int.from_bytes(digest, 'little'):08x}",
           f"hash line {first!r} is not sha256(canonical)[0:4] LE")


@test
def doc_comments_in_header(tmp):
    r = gen("--out-dir", tmp, "idl/console.idl")
    expect(r.returncode == 0, r.stderr)
    with open(os.path.join(tmp, "console.h"), encoding="utf-8") as f:
        text = f.read()
    expect(" * Print bytes, tagged with the caller's domain." in text,
           "method doc comment missing")


# -- version hash and ids -----------------------------------------------------

BASE = """
interface t {
	enum e { A = 0, B = 1 }
	struct s { u32 x; e y; }
	method m(in u32 a, in s b, out bytes<8> c) = 1;
	oneway method n(in cap<frame> f) = 2;
	event v(u16 z) = 3;
}
"""

SAME = {
    "layout": BASE.replace("\n\t", "\n    ").replace(", ", " ,"),
    "comments": BASE.replace("{", "{ // x\n/* y */", 1),
    "method order": BASE.replace(
        "\tmethod m(in u32 a, in s b, out bytes<8> c) = 1;\n", "").replace(
        "\tevent v", "\tmethod m(in u32 a, in s b, out bytes<8> c) = 1;\n"
        "\tevent v"),
    "unused type": BASE.replace("\tmethod m", "\tenum unused { Z = 9 }\n"
                                "\tmethod m"),
    "enum value order": BASE.replace("A = 0, B = 1", "B = 1, A = 0"),
    "trailing commas": BASE.replace("B = 1 }", "B = 1, }"),
}

CHANGED = {
    "argument type": ("in u32 a", "in u64 a"),
    "argument name": ("in u32 a", "in u32 aa"),
    "direction": ("out bytes<8> c", "in bytes<8> c"),
    "argument order": ("in u32 a, in s b", "in s b, in u32 a"),
    "bytes bound": ("bytes<8>", "bytes<9>"),
    "method id": (") = 1;", ") = 4;"),
    "method name": ("method m(", "method mm("),
    "oneway": ("oneway method n", "method n"),
    "cap kind": ("cap<frame>", "cap<endpoint>"),
    "enum value": ("B = 1", "B = 2"),
    "enum value name": ("B = 1", "C = 1"),
    "struct field type": ("u32 x;", "u16 x;"),
    "struct field name": ("u32 x;", "u32 xx;"),
    "struct name": ("struct s {", "struct r {", "in s b", "in r b"),
    "event argument": ("u16 z", "u32 z"),
    "event id": (") = 3;", ") = 5;"),
    "new method": ("\tevent v", "\tmethod w();\n\tevent v"),
    "interface name": ("interface t", "interface u"),
    "array length": ("u32 x;", "u32[1] x;"),
}


@test
def hash_ignores_layout(tmp):
    base = version_of(BASE)
    for what, text in SAME.items():
        expect(version_of(text) == base, f"{what} changed the hash")


@test
def hash_covers_wire_contract(tmp):
    seen = {version_of(BASE): "base"}
    for what, edits in CHANGED.items():
        text = BASE
        for old, new in zip(edits[::2], edits[1::2]):
            expect(old in text, f"{what}: bad test edit {old!r}")
            text = text.replace(old, new)
        v = version_of(text)
        expect(v not in seen, f"{what}: same hash as {seen.get(v)}")
        seen[v] = what


@test
def derived_ids(tmp):
    expect(fnv1a32("") == 0x811C9DC5 and fnv1a32("a") == 0xE40C292C,
           "fnv1a32 test vectors")
    expect(derived_id("derived") == 35982614, "derived id changed")
    iface = check(parse("interface t { method zz(); method a() = 7; }",
                        "t.idl"))
    ids = {m.name: m.id for m in iface.methods}
    expect(ids["a"] == 7, "explicit id")
    expect(ids["zz"] == derived_id("zz") >= 0x10000, "derived id range")


@test
def bytes_prefix_width(tmp):
    from idlgen.model import Bytes
    expect(Bytes(510).prefix == 2 and Bytes(0xFFFF).prefix == 2,
           "u16 prefix")
    expect(Bytes(0x10000).prefix == 4, "u32 prefix above 65535")


# -- generated C: portability -------------------------------------------------

ALLOWED_INCLUDES = {"<stdbool.h>", "<stddef.h>", "<stdint.h>", "<rift/msg.h>"}


def generate_all(tmp):
    for idl in ("idl/console.idl", "tests/idl/testiface.idl"):
        r = gen("--out-dir", tmp, idl)
        expect(r.returncode == 0, r.stderr)
    return sorted(glob.glob(os.path.join(tmp, "*.[ch]")))


@test
def only_freestanding_includes(tmp):
    for path in generate_all(tmp):
        with open(path, encoding="utf-8") as f:
            text = f.read()
        for inc in re.findall(r"^#include (\S+)", text, re.M):
            own = inc.strip('"').endswith(".h") and inc.startswith('"')
            expect(inc in ALLOWED_INCLUDES or own,
                   f"{os.path.basename(path)} includes {inc}")
        expect("packed" not in text, f"{path}: mentions packed")
        expect(not re.search(r"\(\s*(const\s+)?struct\s+\w+\s*\*\s*\)", text),
               f"{os.path.basename(path)}: casts a pointer to a struct")
        for fn in ("memcpy", "memset", "strlen", "malloc"):
            expect(not re.search(rf"\b{fn}\s*\(", text),
                   f"{os.path.basename(path)} calls {fn}")


@test
def cross_freestanding(tmp):
    cc = shutil.which(CROSS_CC)
    expect(cc is not None, f"{CROSS_CC} not found (scripts/install-deps.sh)")
    gcc_inc = subprocess.run([cc, "-print-file-name=include"],
                             capture_output=True, text=True).stdout.strip()
    for src in [p for p in generate_all(tmp) if p.endswith(".c")]:
        for opt in ("-O0", "-O2"):
            obj = src + opt + ".o"
            cmd = [cc, "-std=gnu11", "-ffreestanding", "-nostdinc",
                   "-isystem", gcc_inc, opt, "-Wall", "-Wextra", "-Werror",
                   "-Wpacked", "-I", os.path.join(ROOT, "libs/include"),
                   "-I", tmp, "-c", src, "-o", obj]
            r = subprocess.run(cmd, capture_output=True, text=True)
            expect(r.returncode == 0, f"{os.path.basename(src)} {opt}: "
                                      f"{r.stderr.strip()[:400]}")
            nm = shutil.which("aarch64-linux-gnu-nm") or "nm"
            undef = subprocess.run([nm, "-u", obj], capture_output=True,
                                   text=True).stdout.split()
            prefix = os.path.basename(src).rsplit("_", 1)[0]
            allowed = re.compile(rf"^(rift_chan_(call|send)|{prefix}_"
                                 r"(handle|on)_\w+)$")
            extra = [s for s in undef if s != "U" and not allowed.match(s)]
            expect(not extra, f"{os.path.basename(src)} {opt} needs {extra}")


def main() -> int:
    failed = 0
    for name, fn in TESTS:
        tmp = tempfile.mkdtemp(prefix="idl_gen.")
        try:
            fn(tmp)
            print(f"PASS {SUITE}.{name}")
        except Failure as e:
            failed += 1
            print(f"FAIL {SUITE}.{name}: {e}")
        except Exception as e:  # a bug in the test or the generator
            failed += 1
            print(f"FAIL {SUITE}.{name}: {type(e).__name__}: {e}")
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        sys.stdout.flush()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
