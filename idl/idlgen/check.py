# SPDX-License-Identifier: MIT
"""Semantic checks, method ids, C names and the version hash.

Every problem is collected as an IdlError; check() raises IdlErrors if there
were any, so the user sees all of them in one run.
"""

import hashlib
import re

from .errors import IdlError, IdlErrors
from .model import Interface, Method

MAX_PAYLOAD = 512  # RIFT_MSG_MAX_BYTES in libs/include/rift/msg.h
MAX_CAPS = 4  # RIFT_MSG_CAPS
MAX_EXPLICIT_ID = 0xFFFF
DERIVED_ID_BASE = 0x10000
DERIVED_ID_LAST = 0x7FFFFFFF
MAX_ENUM_VALUE = 0x7FFFFFFF

LOWER = re.compile(r"^[a-z][a-z0-9_]*$")
UPPER = re.compile(r"^[A-Z][A-Z0-9_]*$")

C_KEYWORDS = set("""
auto break case char const continue default do double else enum extern float
for goto if inline int long register restrict return short signed sizeof
static struct switch typedef union unsigned void volatile while bool true
false asm typeof alignas alignof noreturn static_assert thread_local
""".split())

# Parameter names the generated prototypes use themselves.
RESERVED_PARAMS = {"ch", "srv", "cli", "badge", "req", "reply", "msg"}


def fnv1a32(text: str) -> int:
    h = 0x811C9DC5
    for b in text.encode():
        h = ((h ^ b) * 0x01000193) & 0xFFFFFFFF
    return h


def derived_id(name: str) -> int:
    """Stable id for a method without `= N`: a hash of its name."""
    span = DERIVED_ID_LAST - DERIVED_ID_BASE + 1
    return DERIVED_ID_BASE + fnv1a32(name) % span


def canonical(iface: Interface) -> str:
    """The text the version hash covers: every wire-relevant fact.

    The definitions of the enums and structs that messages use (sorted by
    name), then methods and events sorted by id. Declaration order, comments
    and unused types do not matter; any change to a name, id, direction,
    type or enum value does.
    """
    lines = [f"interface {iface.name}"]
    used = {}
    for m in iface.messages:
        for p in m.params:
            collect_types(p.type, used)
    for name in sorted(used):
        lines.append(used[name].definition())
    for m in sorted(iface.messages, key=lambda m: m.id):
        lines.append(m.canon())
    return "\n".join(lines) + "\n"


def collect_types(t, used: dict) -> None:
    """The enums and structs a type refers to, transitively, by name."""
    if t.kind == "array":
        collect_types(t.elem, used)
    elif t.kind in ("enum", "struct") and t.name not in used:
        used[t.name] = t
        for f in getattr(t, "fields", []):
            collect_types(f.type, used)


def version_hash(text: str) -> int:
    """First four bytes of SHA-256, little-endian; never 0."""
    h = int.from_bytes(hashlib.sha256(text.encode()).digest()[:4], "little")
    return h or 1


class Checker:
    def __init__(self, iface: Interface):
        self.iface = iface
        self.errors = []
        self.dups = set()  # ids of items already reported as duplicates

    def error(self, loc, message: str) -> None:
        self.errors.append(IdlError(loc, message))

    def run(self) -> None:
        iface = self.iface
        self.check_lower(iface.loc, iface.name, "interface")
        if iface.prefix != iface.name:
            self.check_lower(iface.loc, iface.prefix, "C prefix")
        self.check_names()
        for t in iface.types:
            if t.kind == "enum":
                self.check_enum(t)
            else:
                self.check_struct(t)
        for m in iface.messages:
            self.check_method(m)
        self.assign_ids()
        self.assign_cnames()
        self.check_c_symbols()
        if self.errors:
            raise IdlErrors(self.errors)
        iface.canonical = canonical(iface)
        iface.version = version_hash(iface.canonical)

    # -- names -------------------------------------------------------------

    def check_lower(self, loc, name: str, what: str) -> bool:
        if not LOWER.match(name):
            self.error(loc, f"{what} name '{name}' must be lower_snake_case "
                            "([a-z][a-z0-9_]*)")
            return False
        return self.check_c_name(loc, name, what)

    def check_c_name(self, loc, name: str, what: str) -> bool:
        problem = None
        if "__" in name or name.endswith("_"):
            problem = "must not contain '__' or end with '_'"
        elif name.lower().startswith("rift_"):
            problem = ("must not start with 'rift_' (reserved for generated "
                       "code)")
        elif name.lower() in C_KEYWORDS:
            problem = "is a C keyword"
        elif name.endswith("_t"):
            problem = "must not end in '_t' (reserved for C types)"
        if problem:
            self.error(loc, f"{what} name '{name}' {problem}")
            return False
        return True

    def check_names(self) -> None:
        """Types, methods and events share one namespace."""
        seen = {}
        for item in self.iface.types + self.iface.messages:
            what = getattr(item, "kind", "") or (
                "event" if item.is_event else "method")
            self.check_lower(item.loc, item.name, what)
            if item.name in seen:
                self.error(item.loc, f"duplicate name '{item.name}' "
                                     f"(first declared at {seen[item.name]})")
                self.dups.add(id(item))
            else:
                seen[item.name] = item.loc

    def check_unique(self, items, what: str) -> None:
        seen = {}
        for item in items:
            if item.name in seen:
                self.error(item.loc, f"duplicate {what} '{item.name}' "
                                     f"(first declared at {seen[item.name]})")
                self.dups.add(id(item))
            else:
                seen[item.name] = item.loc

    # -- types -------------------------------------------------------------

    def check_enum(self, t) -> None:
        if not t.values:
            self.error(t.loc, f"enum '{t.name}' has no values")
        self.check_unique(t.values, f"value in enum '{t.name}'")
        by_value = {}
        for v in t.values:
            if not UPPER.match(v.name):
                self.error(v.loc, f"enum value name '{v.name}' must be "
                                  "UPPER_SNAKE_CASE ([A-Z][A-Z0-9_]*)")
            elif "__" in v.name or v.name.endswith("_"):
                self.error(v.loc, f"enum value name '{v.name}' must not "
                                  "contain '__' or end with '_'")
            if v.value > MAX_ENUM_VALUE:
                self.error(v.loc, f"enum value {v.name} = {v.value} is out "
                                  f"of range (0..{MAX_ENUM_VALUE:#x})")
            elif v.value in by_value:
                self.error(v.loc, f"enum value {v.name} = {v.value} repeats "
                                  f"the value of {by_value[v.value]}")
            else:
                by_value[v.value] = v.name

    def check_struct(self, t) -> None:
        if not t.fields:
            self.error(t.loc, f"struct '{t.name}' has no fields")
        self.check_unique(t.fields, f"field in struct '{t.name}'")
        for f in t.fields:
            self.check_lower(f.loc, f.name, "field")
            base = f.type.elem if f.type.kind == "array" else f.type
            if not base.fixed:
                self.error(f.loc, f"field '{f.name}': '{base.canon()}' "
                                  "is only allowed as a method or event "
                                  "argument, not inside a struct")
        size = t.wire_size()
        if size > MAX_PAYLOAD:
            self.error(t.loc, f"struct '{t.name}' needs {size} bytes on the "
                              f"wire; a message payload holds {MAX_PAYLOAD}")

    # -- methods -----------------------------------------------------------

    def check_method(self, m: Method) -> None:
        what = "event" if m.is_event else "method"
        self.check_unique(m.params, f"argument in {what} '{m.name}'")
        for p in m.params:
            if self.check_lower(p.loc, p.name, "argument"):
                if p.name in RESERVED_PARAMS:
                    self.error(p.loc, f"argument name '{p.name}' is "
                                      "reserved by the generated code")
            if p.type.kind == "shmbytes" and p.direction == "out":
                self.error(p.loc, f"'out shmbytes {p.name}': shmbytes can "
                                  "only travel client->server or in events; "
                                  "pass an 'in shmbytes' region for the "
                                  "server to fill and return a length")
        if m.oneway and m.outs:
            self.error(m.outs[0].loc, f"oneway method '{m.name}' cannot "
                                      "have 'out' arguments")
        self.check_c_params(m)
        for direction, label in (("in", "request"), ("out", "reply")):
            size = m.wire_size(direction)
            if size > MAX_PAYLOAD:
                self.error(m.loc, f"{what} '{m.name}': worst-case {label} "
                                  f"encoding is {size} bytes; a message "
                                  f"payload holds {MAX_PAYLOAD}")
            caps = m.caps(direction)
            if len(caps) > MAX_CAPS:
                self.error(caps[MAX_CAPS].loc,
                           f"{what} '{m.name}': more than {MAX_CAPS} "
                           f"capabilities in the {label}")

    def check_c_params(self, m: Method) -> None:
        """Generated names like <arg>_len must not clash with arguments."""
        seen = {}
        for p in m.params:
            if id(p) in self.dups:
                continue
            for cname in c_param_names(p):
                if cname in seen and seen[cname] is not p:
                    self.error(p.loc, f"argument '{p.name}' generates the C "
                                      f"parameter '{cname}', which clashes "
                                      f"with argument '{seen[cname].name}'")
                seen.setdefault(cname, p)

    def assign_ids(self) -> None:
        seen = {}
        for m in self.iface.messages:
            if id(m) in self.dups:
                continue
            if m.explicit_id is not None:
                if not 1 <= m.explicit_id <= MAX_EXPLICIT_ID:
                    self.error(m.id_loc, f"explicit id {m.explicit_id} of "
                                         f"'{m.name}' is out of range "
                                         f"(1..{MAX_EXPLICIT_ID})")
                m.id = m.explicit_id
            else:
                m.id = derived_id(m.name)
            if m.id in seen:
                other = seen[m.id]
                hint = "" if m.explicit_id else "; give one an explicit id"
                self.error(m.id_loc or m.loc, f"duplicate id {m.id:#x}: "
                                              f"'{m.name}' and '{other.name}' "
                                              f"({other.loc}){hint}")
            else:
                seen[m.id] = m

    # -- C symbols ---------------------------------------------------------

    def assign_cnames(self) -> None:
        p = self.iface.prefix
        for t in self.iface.types:
            t.cname = f"{p}_{t.name}"
            t.iname = f"{p}__{t.name}"
            for v in getattr(t, "values", []):
                v.cname = f"{p}_{t.name}_{v.name}".upper()
        for m in self.iface.messages:
            m.cname = f"{p}_{m.name}"
            m.iname = f"{p}__{m.name}"

    def check_c_symbols(self) -> None:
        """Every public identifier the header declares must be unique."""
        p = self.iface.prefix
        fixed = {f"{p}_dispatch": "the dispatcher",
                 f"{p}_event_dispatch": "the event dispatcher",
                 f"{p}_server": "the server struct",
                 f"{p}_client": "the client struct",
                 f"{p}_version".upper(): "the version constant"}
        owners = {name: (None, what) for name, what in fixed.items()}
        for t in self.iface.types:
            self.claim(owners, t.cname, t.loc, f"type '{t.name}'")
            for v in getattr(t, "values", []):
                if id(v) not in self.dups:
                    self.claim(owners, v.cname, v.loc,
                               f"enum value '{v.name}'")
        for m in self.iface.messages:
            if id(m) in self.dups:
                continue
            for sym in message_symbols(p, m):
                self.claim(owners, sym, m.loc, f"'{m.name}'")

    def claim(self, owners: dict, sym: str, loc, what: str) -> None:
        if sym in owners:
            prev_loc, prev = owners[sym]
            where = f" ({prev_loc})" if prev_loc else ""
            self.error(loc, f"{what} generates the C name '{sym}', which "
                            f"is already used by {prev}{where}")
        else:
            owners[sym] = (loc, what)


def message_symbols(prefix: str, m: Method) -> list:
    if m.is_event:
        syms = [f"{prefix}_event_{m.name}", f"{prefix}_on_{m.name}",
                f"{prefix}_event_{m.name}".upper()]
    else:
        syms = [f"{prefix}_{m.name}", f"{prefix}_handle_{m.name}",
                f"{prefix}_method_{m.name}".upper()]
    for p in m.params:
        if p.type.kind == "bytes":
            syms.append(f"{prefix}_{m.name}_{p.name}_max".upper())
    return syms


def c_param_names(p) -> list:
    if p.type.kind == "bytes":
        return [p.name, f"{p.name}_len"]
    if p.type.kind == "shmbytes":
        return [f"{p.name}_off", f"{p.name}_len"]
    return [p.name]


def check(iface: Interface, prefix: str = "") -> Interface:
    iface.prefix = prefix or iface.name
    Checker(iface).run()
    return iface
