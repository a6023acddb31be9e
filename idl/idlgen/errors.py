# SPDX-License-Identifier: MIT
"""Source locations and the error type every stage reports with."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Loc:
    """A position in an .idl file; line and col count from 1."""

    file: str
    line: int
    col: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


class IdlError(Exception):
    """An error in the input, reported as `file:line:col: error: message`."""

    def __init__(self, loc: Loc, message: str):
        super().__init__(message)
        self.loc = loc
        self.message = message

    def __str__(self) -> str:
        return f"{self.loc}: error: {self.message}"


class IdlErrors(Exception):
    """Several independent errors found by the semantic checks."""

    def __init__(self, errors: list):
        super().__init__(f"{len(errors)} error(s)")
        self.errors = sorted(errors, key=lambda e: (e.loc.line, e.loc.col))
