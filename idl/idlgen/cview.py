# SPDX-License-Identifier: MIT
"""C views of the model: parameter lists and single statements.

Templates own the shape of every generated function; these helpers supply
the pieces that depend on an argument's type, one C statement (or one
parameter) per list entry, without indentation.

C API conventions: "in" arguments by value (structs by const pointer,
arrays as const arrays); "out" arguments by pointer. bytes<N> adds
<name>_len; shmbytes is passed as <name>_off and <name>_len.
"""


def c_params(params: list) -> list:
    """Parameter declarations of a stub, handler or event function."""
    out = []
    for p in params:
        t, n = p.type, p.name
        const = "const " if p.direction == "in" else ""
        ptr = "" if p.direction == "in" else "*"
        if t.kind == "bytes":
            out += [f"{const}uint8_t *{n}", f"{t.len_ctype} {ptr}{n}_len"]
        elif t.kind == "shmbytes":
            out += [f"uint32_t {n}_off", f"uint32_t {n}_len"]
        elif t.kind == "cap":
            out.append(f"uint64_t {ptr}{n}")
        elif t.kind == "array":
            out.append(f"{const}{t.ctype} {n}[{t.count}]")
        elif t.kind == "struct":
            out.append(f"{const}{t.ctype} *{n}")
        else:
            out.append(f"{t.ctype} {ptr}{n}")
    return out


def arg_fields(params: list) -> list:
    """Members of the internal argument struct of one message."""
    out = []
    for p in params:
        t, n = p.type, p.name
        if t.kind == "bytes":
            out += [f"const uint8_t *{n};", f"{t.len_ctype} {n}_len;"]
        elif t.kind == "shmbytes":
            out += [f"uint32_t {n}_off;", f"uint32_t {n}_len;"]
        elif t.kind == "cap":
            out.append(f"uint64_t {n};")
        elif t.kind == "array":
            out.append(f"{t.ctype} {n}[{t.count}];")
        else:
            out.append(f"{t.ctype} {n};")
    return out or ["uint8_t rift_unused;"]


def call_args(params: list) -> list:
    """Handler arguments taken from the rift_in / rift_out structs."""
    out = []
    for p in params:
        t, n = p.type, p.name
        a = "rift_in" if p.direction == "in" else "rift_out"
        if t.kind == "bytes" and p.direction == "in":
            out += [f"{a}.{n}", f"{a}.{n}_len"]
        elif t.kind == "bytes":
            out += [f"rift_buf_{n}", f"&{a}.{n}_len"]
        elif t.kind == "shmbytes":
            out += [f"{a}.{n}_off", f"{a}.{n}_len"]
        elif t.kind == "array" or (p.direction == "in" and t.kind != "struct"):
            out.append(f"{a}.{n}")
        else:
            out.append(f"&{a}.{n}")
    return out


def plain_args(params: list) -> list:
    """The C parameter names, to forward arguments to another function."""
    out = []
    for p in params:
        if p.type.kind == "bytes":
            out += [p.name, f"{p.name}_len"]
        elif p.type.kind == "shmbytes":
            out += [f"{p.name}_off", f"{p.name}_len"]
        else:
            out.append(p.name)
    return out


def loop_head(count: str) -> str:
    """Opening line of a loop over rift_i < count (a C expression)."""
    return f"for (uint32_t rift_i = 0; rift_i < {count}; rift_i++) {{"


def copy_loop(dst: str, src: str, count: str) -> list:
    return [loop_head(count),
            f"\t{dst}[rift_i] = {src}[rift_i];",
            "}"]


def fill_stmts(params: list) -> list:
    """Client side: check "in" parameters and copy them into rift_in."""
    out = []
    for p in params:
        t, n = p.type, p.name
        if t.kind in ("struct", "array"):
            out += [f"if ({n} == NULL) {{", "\treturn RIFT_EINVAL;", "}"]
        if t.kind == "bytes":
            out += [f"if ({n} == NULL && {n}_len != 0) {{",
                    "\treturn RIFT_EINVAL;", "}",
                    f"rift_in.{n} = {n};", f"rift_in.{n}_len = {n}_len;"]
        elif t.kind == "shmbytes":
            out += [f"rift_in.{n}_off = {n}_off;",
                    f"rift_in.{n}_len = {n}_len;"]
        elif t.kind == "array":
            out += copy_loop(f"rift_in.{n}", n, f"{t.count}u")
        elif t.kind == "struct":
            out.append(f"rift_in.{n} = *{n};")
        else:
            out.append(f"rift_in.{n} = {n};")
    return out


def copy_out_stmts(params: list) -> list:
    """Client side: store decoded rift_out into non-NULL "out" pointers."""
    out = []
    for p in params:
        t, n = p.type, p.name
        if t.kind == "bytes":
            body = copy_loop(n, f"rift_out.{n}", f"rift_out.{n}_len")
            out += [f"if ({n} != NULL) {{"] + ["\t" + s for s in body] + ["}"]
            out += [f"if ({n}_len != NULL) {{",
                    f"\t*{n}_len = rift_out.{n}_len;", "}"]
        elif t.kind == "array":
            body = copy_loop(n, f"rift_out.{n}", f"{t.count}u")
            out += [f"if ({n} != NULL) {{"] + ["\t" + s for s in body] + ["}"]
        else:
            out += [f"if ({n} != NULL) {{", f"\t*{n} = rift_out.{n};", "}"]
    return out


def get_stmts(t, lv: str) -> list:
    """Decode one value of type t from reader `rd` into lvalue lv."""
    if t.kind == "array":
        inner = get_stmts(t.elem, f"{lv}[rift_i]")
        return [loop_head(f"{t.count}u")] + ["\t" + s for s in inner] + ["}"]
    if t.kind == "prim":
        cast = f"({t.ctype})" if t.signed else ""
        return [f"{lv} = {cast}rift_idl_get_{t.wire}(rd);"]
    if t.kind == "bool":
        return [f"{lv} = rift_idl_get_bool(rd);"]
    if t.kind == "enum":
        return [f"{lv} = {t.iname}_get(rd);"]
    if t.kind == "struct":
        return [f"{t.iname}_get(rd, &{lv});"]
    if t.kind == "bytes":
        return [f"{lv} = rift_idl_get_bytes{t.prefix * 8}(rd, {t.bound}u, "
                f"&{lv}_len);"]
    if t.kind == "shmbytes":
        return [f"rift_idl_get_shm(rd, shm_size, &{lv}_off, &{lv}_len);"]
    raise ValueError(t.kind)


def put_stmts(t, rv: str) -> list:
    """Encode one value of type t from rvalue rv with writer `wr`."""
    if t.kind == "array":
        inner = put_stmts(t.elem, f"{rv}[rift_i]")
        return [loop_head(f"{t.count}u")] + ["\t" + s for s in inner] + ["}"]
    if t.kind == "prim":
        cast = f"(uint{t.size * 8}_t)" if t.signed else ""
        return [f"rift_idl_put_{t.wire}(wr, {cast}{rv});"]
    if t.kind == "bool":
        return [f"rift_idl_put_bool(wr, {rv});"]
    if t.kind == "enum":
        return [f"{t.iname}_put(wr, {rv});"]
    if t.kind == "struct":
        return [f"{t.iname}_put(wr, &{rv});"]
    if t.kind == "bytes":
        return [f"rift_idl_put_bytes{t.prefix * 8}(wr, {t.bound}u, {rv}, "
                f"{rv}_len);"]
    if t.kind == "shmbytes":
        return [f"rift_idl_put_u32(wr, {rv}_off);",
                f"rift_idl_put_u32(wr, {rv}_len);"]
    raise ValueError(t.kind)


def payload(params: list) -> list:
    """Arguments that travel in the byte payload (all but capabilities)."""
    return [p for p in params if p.type.kind != "cap"]


def caps(params: list) -> list:
    """Capability arguments, in slot order."""
    return [p for p in params if p.type.kind == "cap"]


def doc_lines(doc: str) -> list:
    """Lines of a doc comment, safe to put inside a C comment."""
    return [line.replace("*/", "* /") for line in doc.splitlines()]


def doc_block(doc: str, indent: str = "") -> list:
    """A doc comment as /** ... */ lines, or nothing if there is no doc."""
    if not doc:
        return []
    body = [f"{indent} *" + (f" {line}" if line else "")
            for line in doc_lines(doc)]
    return [f"{indent}/**"] + body + [f"{indent} */"]


def wrap(head: str, args: list, tail: str, indent: str = "") -> str:
    """`head(args)tail`, broken after commas to stay within 80 columns.

    Continuation lines are indented two tabs deeper than `indent`, the
    indentation the caller puts before head.
    """
    width = 80 - 8 * indent.count("\t")
    line = f"{head}("
    lines = []
    for i, arg in enumerate(args):
        piece = arg + (", " if i + 1 < len(args) else f"){tail}")
        if line.strip() and not line.endswith("(") and \
                columns(line + piece.rstrip()) > width:
            lines.append(line.rstrip())
            line = "\t\t"
        line += piece
    if not args:
        line += f"){tail}"
    return f"\n{indent}".join(lines + [line])


def columns(text: str) -> int:
    return len(text.expandtabs(8))


def proto(ret: str, name: str, fixed: list, params: list,
          tail: str = ";") -> str:
    """A function prototype: fixed leading parameters, then the arguments."""
    return wrap(f"{ret} {name}", fixed + c_params(params), tail)


GLOBALS = {f.__name__: f for f in (
    c_params, arg_fields, call_args, plain_args, fill_stmts, copy_out_stmts,
    get_stmts, put_stmts, payload, caps, doc_lines, doc_block, proto, wrap)}
