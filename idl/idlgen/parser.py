# SPDX-License-Identifier: MIT
"""Recursive-descent parser: tokens -> model.Interface.

Syntax errors stop the parse (the first one is reported); the semantic
checks in check.py run afterwards and report everything they find.
Types must be declared before use, which also rules out recursive structs.
"""

from .errors import IdlError
from .lexer import Token, tokenize
from .model import (CAP_KINDS, PRIMS, Array, Bool, Bytes, Cap, Enum,
                    EnumValue, Field, Interface, Method, Param, ShmBytes,
                    Struct)

KEYWORDS = {"interface", "enum", "struct", "method", "oneway", "event",
            "in", "out", "bool", "bytes", "shmbytes", "cap"} | set(PRIMS)


class Parser:
    def __init__(self, tokens: list):
        self.toks = tokens
        self.i = 0
        self.types = {}  # name -> Enum | Struct

    # -- token helpers -----------------------------------------------------

    @property
    def tok(self) -> Token:
        return self.toks[self.i]

    def take(self) -> Token:
        tok = self.tok
        if tok.kind != "eof":
            self.i += 1
        return tok

    def at(self, text: str) -> bool:
        return self.tok.kind in ("punct", "ident") and self.tok.text == text

    def accept(self, text: str) -> bool:
        if self.at(text):
            self.take()
            return True
        return False

    def fail(self, what: str, tok: Token = None):
        tok = tok or self.tok
        found = "end of file" if tok.kind == "eof" else f"'{tok.text}'"
        raise IdlError(tok.loc, f"expected {what}, found {found}")

    def expect(self, text: str, context: str = "") -> Token:
        if not self.at(text):
            self.fail(f"'{text}'" + (f" {context}" if context else ""))
        return self.take()

    def name(self, what: str) -> Token:
        tok = self.tok
        if tok.kind != "ident":
            self.fail(f"{what} name")
        if tok.text in KEYWORDS:
            raise IdlError(tok.loc, f"'{tok.text}' is a reserved word and "
                                    f"cannot be used as a {what} name")
        return self.take()

    def integer(self, what: str) -> Token:
        if self.tok.kind != "int":
            self.fail(what)
        return self.take()

    # -- grammar -----------------------------------------------------------

    def parse_file(self) -> Interface:
        if not self.at("interface"):
            self.fail("'interface'")
        iface = self.interface()
        if self.tok.kind != "eof":
            if self.at("interface"):
                raise IdlError(self.tok.loc, "only one interface per file")
            self.fail("end of file")
        return iface

    def interface(self) -> Interface:
        doc = self.tok.doc
        self.take()
        name = self.name("interface")
        iface = Interface(name.text, name.loc, doc=doc)
        self.expect("{", "after the interface name")
        while not self.at("}"):
            self.declaration(iface)
        self.take()
        self.accept(";")
        return iface

    def declaration(self, iface: Interface) -> None:
        doc = self.tok.doc
        if self.at("enum"):
            self.add_type(self.enum(doc))
        elif self.at("struct"):
            self.add_type(self.struct(doc))
        elif self.at("method") or self.at("oneway"):
            iface.methods.append(self.method(doc))
        elif self.at("event"):
            iface.events.append(self.event(doc))
        else:
            self.fail("'enum', 'struct', 'method', 'oneway', 'event' or '}'")

    def add_type(self, t) -> None:
        if t.name in self.types:
            prev = self.types[t.name].loc
            raise IdlError(t.loc, f"duplicate type '{t.name}' "
                                  f"(first declared at {prev})")
        self.types[t.name] = t

    def enum(self, doc: str) -> Enum:
        self.take()
        name = self.name("enum")
        self.expect("{", "after the enum name")
        values = []
        while not self.at("}"):
            vdoc = self.tok.doc
            vname = self.name("enum value")
            self.expect("=", "(enum values need an explicit value)")
            if self.at("-"):
                raise IdlError(self.tok.loc, "enum values must be "
                                             "non-negative integers")
            num = self.integer("an integer enum value")
            values.append(EnumValue(vname.text, num.value, vname.loc, vdoc))
            if not self.accept(","):
                break
        self.expect("}", "to close the enum")
        self.accept(";")
        return Enum(name.text, values, name.loc, doc)

    def struct(self, doc: str) -> Struct:
        self.take()
        name = self.name("struct")
        self.expect("{", "after the struct name")
        fields = []
        while not self.at("}"):
            ftype = self.type_ref()
            fname = self.name("field")
            self.no_c_array(fname)
            self.expect(";", "after the field")
            fields.append(Field(fname.text, ftype, fname.loc))
        self.take()
        self.accept(";")
        return Struct(name.text, fields, name.loc, doc)

    def method(self, doc: str) -> Method:
        oneway = self.accept("oneway")
        self.expect("method")
        name = self.name("method")
        params = self.params(is_event=False)
        m = Method(name.text, params, name.loc, oneway=oneway, doc=doc)
        self.method_id(m)
        return m

    def event(self, doc: str) -> Method:
        self.take()
        name = self.name("event")
        params = self.params(is_event=True)
        m = Method(name.text, params, name.loc, is_event=True, doc=doc)
        self.method_id(m)
        return m

    def method_id(self, m: Method) -> None:
        if self.accept("="):
            num = self.integer("a method id")
            m.explicit_id, m.id_loc = num.value, num.loc
        self.expect(";", f"after {'event' if m.is_event else 'method'} "
                         f"'{m.name}'")

    def params(self, is_event: bool) -> list:
        self.expect("(", "after the name")
        params = []
        while not self.at(")"):
            params.append(self.param(is_event))
            if not self.accept(","):
                break
        self.expect(")", "to close the argument list")
        return params

    def param(self, is_event: bool) -> Param:
        tok = self.tok
        if self.accept("in"):
            direction = "in"
        elif self.accept("out"):
            if is_event:
                raise IdlError(tok.loc, "events have no 'out' arguments")
            direction = "out"
        elif is_event:
            direction = "in"
        else:
            self.fail("'in' or 'out'")
        ptype = self.type_ref()
        pname = self.name("argument")
        self.no_c_array(pname)
        return Param(pname.text, direction, ptype, pname.loc)

    def no_c_array(self, name: Token) -> None:
        if self.at("["):
            raise IdlError(self.tok.loc, f"arrays are written 'T[N] "
                                         f"{name.text}', not '{name.text}[N]'")

    def type_ref(self):
        tok = self.tok
        base = self.base_type()
        if self.at("["):
            self.take()
            count = self.integer("an array length")
            self.expect("]", "after the array length")
            if self.at("["):
                raise IdlError(self.tok.loc, "arrays of arrays are not "
                                             "supported; wrap the inner "
                                             "array in a struct")
            if not base.fixed:
                raise IdlError(tok.loc, f"'{base.canon()}' cannot be an "
                                        "array element")
            if count.value < 1:
                raise IdlError(count.loc, "array length must be at least 1")
            return Array(base, count.value)
        return base

    def base_type(self):
        tok = self.tok
        if tok.kind != "ident":
            self.fail("a type")
        self.take()
        if tok.text in PRIMS:
            return PRIMS[tok.text]
        if tok.text == "bool":
            return Bool()
        if tok.text == "shmbytes":
            return ShmBytes()
        if tok.text == "bytes":
            self.expect("<", "after 'bytes' (write bytes<N>)")
            bound = self.integer("a byte bound")
            self.expect(">", "after the byte bound")
            if bound.value < 1:
                raise IdlError(bound.loc, "bytes bound must be at least 1")
            return Bytes(bound.value)
        if tok.text == "cap":
            self.expect("<", "after 'cap' (write cap<frame>, cap<endpoint> "
                             "or cap<notification>)")
            kind = self.tok
            if kind.kind != "ident" or kind.text not in CAP_KINDS:
                self.fail("a capability kind (frame, endpoint, notification)")
            self.take()
            self.expect(">", "after the capability kind")
            return Cap(kind.text)
        if tok.text in self.types:
            return self.types[tok.text]
        if tok.text in KEYWORDS:
            self.fail("a type", tok)
        raise IdlError(tok.loc, f"unknown type '{tok.text}' "
                                "(types must be declared before use)")


def parse(text: str, filename: str) -> Interface:
    parser = Parser(tokenize(text, filename))
    iface = parser.parse_file()
    iface.types = list(parser.types.values())
    return iface
