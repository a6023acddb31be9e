# SPDX-License-Identifier: MIT
"""Tokenizer for .idl files.

Tokens are identifiers, integer literals (decimal or 0x hex) and single
punctuation characters. `//` and `/* */` comments are skipped; a doc comment
(`/** ... */` or a run of `///` lines) is attached to the token after it, so
the parser can carry it into the generated header.
"""

from dataclasses import dataclass

from .errors import IdlError, Loc

PUNCT = set("{}()<>[];,=:-")


@dataclass
class Token:
    kind: str  # 'ident', 'int', 'punct' or 'eof'
    text: str
    loc: Loc
    value: int = 0  # for 'int'
    doc: str = ""  # doc comment just before this token


class Lexer:
    def __init__(self, text: str, filename: str):
        self.text = text
        self.file = filename
        self.pos = 0
        self.line = 1
        self.col = 1
        self.doc = ""

    def loc(self) -> Loc:
        return Loc(self.file, self.line, self.col)

    def peek(self, k: int = 0) -> str:
        i = self.pos + k
        return self.text[i] if i < len(self.text) else ""

    def advance(self, n: int = 1) -> None:
        for _ in range(n):
            if self.text[self.pos] == "\n":
                self.line += 1
                self.col = 1
            else:
                self.col += 1
            self.pos += 1

    def skip_line_comment(self) -> None:
        is_doc = self.peek(2) == "/" and self.peek(3) != "/"
        start = self.pos + 3
        while self.peek() not in ("", "\n"):
            self.advance()
        if is_doc:
            line = self.text[start:self.pos].strip()
            self.doc = (self.doc + "\n" + line) if self.doc else line
        else:
            self.doc = ""

    def skip_block_comment(self) -> None:
        loc = self.loc()
        is_doc = self.peek(2) == "*" and self.peek(3) not in ("*", "/")
        start = self.pos + 3
        self.advance(2)
        while not (self.peek() == "*" and self.peek(1) == "/"):
            if self.peek() == "":
                raise IdlError(loc, "unterminated comment")
            self.advance()
        body = self.text[start:self.pos]
        self.advance(2)
        self.doc = clean_doc(body) if is_doc else ""

    def number(self) -> Token:
        loc = self.loc()
        start = self.pos
        base = 10
        if self.peek() == "0" and self.peek(1) in ("x", "X"):
            base = 16
            self.advance(2)
        while self.peek().isalnum() or self.peek() == "_":
            self.advance()
        text = self.text[start:self.pos]
        digits = text[2:] if base == 16 else text
        try:
            if not digits or "_" in digits:
                raise ValueError
            value = int(digits, base)
        except ValueError:
            raise IdlError(loc, f"malformed integer literal "
                                f"'{text}'") from None
        if base == 10 and len(digits) > 1 and digits[0] == "0":
            raise IdlError(loc, f"leading zero in integer literal '{text}' "
                                "(write hex as 0x...)")
        return Token("int", text, loc, value)

    def ident(self) -> Token:
        loc = self.loc()
        start = self.pos
        while is_ident_char(self.peek()):
            self.advance()
        return Token("ident", self.text[start:self.pos], loc)

    def next_token(self) -> Token:
        while True:
            c = self.peek()
            if c == "":
                return Token("eof", "end of file", self.loc())
            if c in " \t\r\n\f\v":
                self.advance()
            elif c == "/" and self.peek(1) == "/":
                self.skip_line_comment()
            elif c == "/" and self.peek(1) == "*":
                self.skip_block_comment()
            else:
                break
        loc = self.loc()
        if c.isascii() and c.isdigit():
            return self.number()
        if c.isascii() and (c.isalpha() or c == "_"):
            return self.ident()
        if c in PUNCT:
            self.advance()
            return Token("punct", c, loc)
        raise IdlError(loc, f"unexpected character {c!r}")

    def tokens(self) -> list:
        out = []
        while True:
            tok = self.next_token()
            # A doc comment belongs to the token right after it.
            tok.doc, self.doc = self.doc, ""
            out.append(tok)
            if tok.kind == "eof":
                return out


def is_ident_char(c: str) -> bool:
    return c.isascii() and (c.isalnum() or c == "_")


def clean_doc(body: str) -> str:
    """Strip the leading `*` decoration from the lines of a /** */ body."""
    lines = []
    for raw in body.splitlines():
        line = raw.strip()
        if line.startswith("*"):
            line = line[1:]
            if line.startswith(" "):
                line = line[1:]
        lines.append(line.rstrip())
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


def tokenize(text: str, filename: str) -> list:
    return Lexer(text, filename).tokens()
