#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""riftidl: generate C client stubs and server dispatchers from an .idl file.

    riftidl.py [--out-dir DIR] [--depfile FILE] [--c-prefix NAME]
               [--emit header,client,server,fuzz] [--print-hash] FILE.idl

Writes <prefix>.h, <prefix>_client.c and <prefix>_server.c (and, with
--emit fuzz, <prefix>_fuzz.c) into DIR. Errors are reported as
`file:line:col: error: message` and make the exit status 1.
See docs/idl.md.
"""

import argparse
import os
import sys

sys.dont_write_bytecode = True  # keep the source tree free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from idlgen.check import check  # noqa: E402
from idlgen.errors import IdlError, IdlErrors  # noqa: E402
from idlgen.parser import parse  # noqa: E402
from idlgen.render import OUTPUTS, Renderer  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_EMIT = "header,client,server"


def parse_args(argv):
    ap = argparse.ArgumentParser(prog="riftidl.py", description=__doc__.split(
        "\n")[0])
    ap.add_argument("idl", help="the interface file")
    ap.add_argument("-o", "--out-dir", help="output directory (created; "
                    "must not be in the source tree)")
    ap.add_argument("--depfile", help="write make dependencies here")
    ap.add_argument("--c-prefix", default="", help="C identifier prefix "
                    "(default: the interface name); lets two versions of "
                    "one interface link into one program")
    ap.add_argument("--emit", default=DEFAULT_EMIT, help="comma-separated "
                    f"outputs from {','.join(OUTPUTS)} (default: %(default)s)")
    ap.add_argument("--print-hash", action="store_true", help="print the "
                    "version hash and the canonical form it covers")
    args = ap.parse_args(argv)
    args.emit = [e for e in args.emit.split(",") if e]
    bad = [e for e in args.emit if e not in OUTPUTS]
    if bad:
        ap.error(f"unknown --emit output(s): {', '.join(bad)}")
    if not args.out_dir and not args.print_hash:
        ap.error("--out-dir is required")
    return args


def dep_path(path: str) -> str:
    """A path for the depfile: relative to the cwd when below it."""
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel


def in_source_tree(out_dir: str, idl: str) -> bool:
    out = os.path.realpath(out_dir)
    for src in (os.path.dirname(os.path.realpath(idl)), HERE):
        if out == src or out.startswith(src + os.sep):
            return True
    return False


def write_file(path: str, text: str) -> None:
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def write_depfile(path: str, targets: list, deps: list) -> None:
    esc = [d.replace(" ", "\\ ") for d in deps]
    lines = [" ".join(targets) + ": \\"]
    lines += [f"  {d} \\" for d in esc[:-1]] + [f"  {esc[-1]}", ""]
    lines += [f"{d}:" for d in esc] + [""]
    write_file(path, "\n".join(lines))


def generate(args) -> int:
    try:
        with open(args.idl, encoding="utf-8") as f:
            text = f.read()
    except OSError as e:
        print(f"riftidl: error: {args.idl}: {e.strerror}", file=sys.stderr)
        return 1
    try:
        iface = check(parse(text, args.idl), args.c_prefix)
    except IdlError as e:
        print(e, file=sys.stderr)
        return 1
    except IdlErrors as e:
        for err in e.errors:
            print(err, file=sys.stderr)
        return 1
    stem = os.path.splitext(os.path.basename(args.idl))[0]
    if not args.c_prefix and iface.name != stem:
        print(IdlError(iface.loc, f"interface '{iface.name}' must be in a "
                                  f"file named {iface.name}.idl (or give "
                                  "--c-prefix)"), file=sys.stderr)
        return 1
    if args.print_hash:
        print(f"{iface.name} {iface.version:#010x}")
        print(iface.canonical, end="")
        if not args.out_dir:
            return 0
    if in_source_tree(args.out_dir, args.idl):
        print(f"riftidl: error: output directory '{args.out_dir}' is in the "
              "source tree; generated code belongs in the build tree",
              file=sys.stderr)
        return 1
    os.makedirs(args.out_dir, exist_ok=True)
    renderer = Renderer()
    targets = []
    for kind in args.emit:
        name, out = renderer.render(kind, iface, dep_path(args.idl))
        path = os.path.join(args.out_dir, name)
        write_file(path, out)
        targets.append(path)
    if args.depfile:
        pkg = os.path.join(HERE, "idlgen")
        gen = [os.path.join(HERE, "riftidl.py")] + sorted(
            os.path.join(pkg, f) for f in os.listdir(pkg) if f.endswith(".py"))
        deps = [args.idl] + gen + renderer.templates_read
        write_depfile(args.depfile, targets, [dep_path(d) for d in deps])
    return 0


def main(argv=None) -> int:
    return generate(parse_args(sys.argv[1:] if argv is None else argv))


if __name__ == "__main__":
    sys.exit(main())
