# SPDX-License-Identifier: MIT
"""The checked model of an interface: types, methods, events.

Every type knows its worst-case wire size and its canonical text (used for
the version hash). Templates read the attributes directly; `kind` selects
the encoding.
"""

from dataclasses import dataclass, field
from typing import Optional

from .errors import Loc

CAP_KINDS = {
    "frame": "RIFT_CAP_FRAME",
    "endpoint": "RIFT_CAP_ENDPOINT",
    "notification": "RIFT_CAP_NOTIFICATION",
}


class Type:
    kind = ""
    #: may appear inside a struct or array (fixed size, no out-of-band part)
    fixed = True

    def wire_size(self) -> int:
        raise NotImplementedError

    def canon(self) -> str:
        raise NotImplementedError


@dataclass(eq=False)
class Prim(Type):
    name: str  # u8 ... i64
    size: int  # bytes
    signed: bool
    kind = "prim"

    @property
    def wire(self) -> str:
        """The unsigned wire type the value travels as (u8 ... u64)."""
        return f"u{self.size * 8}"

    @property
    def ctype(self) -> str:
        return f"{'int' if self.signed else 'uint'}{self.size * 8}_t"

    def wire_size(self) -> int:
        return self.size

    def canon(self) -> str:
        return self.name


@dataclass(eq=False)
class Bool(Type):
    kind = "bool"
    ctype = "bool"

    def wire_size(self) -> int:
        return 1

    def canon(self) -> str:
        return "bool"


@dataclass(eq=False)
class EnumValue:
    name: str
    value: int
    loc: Loc
    doc: str = ""
    cname: str = ""  # e.g. CONSOLE_MODE_RAW


@dataclass(eq=False)
class Enum(Type):
    name: str
    values: list
    loc: Loc
    doc: str = ""
    cname: str = ""  # e.g. console_mode
    iname: str = ""  # internal helper prefix, e.g. console__mode
    kind = "enum"

    @property
    def ctype(self) -> str:
        return f"enum {self.cname}"

    def wire_size(self) -> int:
        return 4

    def canon(self) -> str:
        return self.name

    def definition(self) -> str:
        vals = ",".join(f"{v.name}={v.value}"
                        for v in sorted(self.values, key=lambda v: v.value))
        return f"enum {self.name}{{{vals}}}"


@dataclass(eq=False)
class Field:
    name: str
    type: Type
    loc: Loc


@dataclass(eq=False)
class Struct(Type):
    name: str
    fields: list
    loc: Loc
    doc: str = ""
    cname: str = ""
    iname: str = ""
    kind = "struct"

    @property
    def ctype(self) -> str:
        return f"struct {self.cname}"

    def wire_size(self) -> int:
        return sum(f.type.wire_size() for f in self.fields)

    def canon(self) -> str:
        return self.name

    def definition(self) -> str:
        body = "".join(f"{f.type.canon()} {f.name};" for f in self.fields)
        return f"struct {self.name}{{{body}}}"


@dataclass(eq=False)
class Array(Type):
    elem: Type
    count: int
    kind = "array"

    @property
    def ctype(self) -> str:
        return self.elem.ctype

    def wire_size(self) -> int:
        return self.elem.wire_size() * self.count

    def canon(self) -> str:
        return f"{self.elem.canon()}[{self.count}]"


@dataclass(eq=False)
class Bytes(Type):
    bound: int
    kind = "bytes"
    fixed = False

    @property
    def prefix(self) -> int:
        """Width of the length prefix in bytes."""
        return 2 if self.bound <= 0xFFFF else 4

    @property
    def len_ctype(self) -> str:
        return "uint16_t" if self.prefix == 2 else "uint32_t"

    def wire_size(self) -> int:
        return self.prefix + self.bound

    def canon(self) -> str:
        return f"bytes<{self.bound}>"


@dataclass(eq=False)
class ShmBytes(Type):
    kind = "shmbytes"
    fixed = False

    def wire_size(self) -> int:
        return 8

    def canon(self) -> str:
        return "shmbytes"


@dataclass(eq=False)
class Cap(Type):
    cap_kind: str  # frame, endpoint, notification
    kind = "cap"
    fixed = False

    @property
    def kind_const(self) -> str:
        return CAP_KINDS[self.cap_kind]

    def wire_size(self) -> int:
        return 0  # travels in msg caps[], not in the payload

    def canon(self) -> str:
        return f"cap<{self.cap_kind}>"


PRIMS = {
    name: Prim(name, size, signed)
    for name, size, signed in [
        ("u8", 1, False), ("u16", 2, False), ("u32", 4, False),
        ("u64", 8, False), ("i8", 1, True), ("i16", 2, True),
        ("i32", 4, True), ("i64", 8, True),
    ]
}


@dataclass(eq=False)
class Param:
    name: str
    direction: str  # 'in' or 'out'
    type: Type
    loc: Loc


@dataclass(eq=False)
class Method:
    name: str
    params: list
    loc: Loc
    is_event: bool = False
    oneway: bool = False
    explicit_id: Optional[int] = None
    id_loc: Optional[Loc] = None
    doc: str = ""
    id: int = 0  # assigned by the checks
    cname: str = ""  # e.g. console_write
    iname: str = ""  # internal helper prefix, e.g. console__write

    @property
    def ins(self) -> list:
        return [p for p in self.params if p.direction == "in"]

    @property
    def outs(self) -> list:
        return [p for p in self.params if p.direction == "out"]

    @property
    def has_reply(self) -> bool:
        return not (self.oneway or self.is_event)

    def side(self, direction: str) -> list:
        return self.ins if direction == "in" else self.outs

    def wire_size(self, direction: str) -> int:
        return sum(p.type.wire_size() for p in self.side(direction))

    def caps(self, direction: str) -> list:
        return [p for p in self.side(direction) if p.type.kind == "cap"]

    def canon(self) -> str:
        kind = "event" if self.is_event else (
            "oneway method" if self.oneway else "method")
        args = ",".join(f"{p.direction} {p.type.canon()} {p.name}"
                        for p in self.params)
        return f"{kind} {self.id} {self.name}({args})"


@dataclass(eq=False)
class Interface:
    name: str
    loc: Loc
    types: list = field(default_factory=list)  # Enum and Struct, in order
    methods: list = field(default_factory=list)
    events: list = field(default_factory=list)
    doc: str = ""
    prefix: str = ""  # C identifier prefix, default the interface name
    version: int = 0  # the 32-bit version hash
    canonical: str = ""

    @property
    def messages(self) -> list:
        return self.methods + self.events
