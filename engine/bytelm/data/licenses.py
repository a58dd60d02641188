"""License policy: parse a Cargo.toml SPDX expression and decide whether a file may be trained on.

Only permissive licenses go in. An OR expression is in when some branch is permissive (we choose
that branch); an AND expression only when every part is. Anything unknown, copyleft or missing is
out: a false "out" costs a few files, a false "in" contaminates the model.
"""

from __future__ import annotations

import re

PERMISSIVE = frozenset(
    {
        "MIT",
        "MIT-0",
        "Apache-2.0",
        "BSD-2-Clause",
        "BSD-3-Clause",
        "ISC",
        "Zlib",
        "Unlicense",
        "0BSD",
        "BSL-1.0",
        "CC0-1.0",
        "Unicode-DFS-2016",
        "Unicode-3.0",
    }
)
# Exceptions that only widen what a license allows.
PERMISSIVE_EXCEPTIONS = frozenset({"LLVM-exception"})

_TOKEN = re.compile(r"\(|\)|[A-Za-z0-9.+\-]+")


class _Parser:
    """Recursive descent over `or_expr := and_expr (OR and_expr)*; and_expr := atom (AND atom)*`."""

    def __init__(self, tokens: list[str]) -> None:
        self.tokens = tokens
        self.i = 0

    def peek(self) -> str | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> str:
        tok = self.peek()
        if tok is None:
            raise ValueError("unexpected end of license expression")
        self.i += 1
        return tok

    def or_expr(self) -> bool:
        ok = self.and_expr()
        while (tok := self.peek()) is not None and tok.upper() == "OR":
            self.take()
            ok = self.and_expr() or ok
        return ok

    def and_expr(self) -> bool:
        ok = self.atom()
        while (tok := self.peek()) is not None and tok.upper() == "AND":
            self.take()
            ok = self.atom() and ok
        return ok

    def atom(self) -> bool:
        tok = self.take()
        if tok == "(":
            ok = self.or_expr()
            if self.take() != ")":
                raise ValueError("unbalanced parentheses")
        elif tok in {")", "OR", "AND", "WITH"}:
            raise ValueError(f"unexpected {tok!r}")
        else:
            ok = tok.removesuffix("+") in PERMISSIVE
        if (after := self.peek()) is not None and after.upper() == "WITH":
            self.take()
            exception = self.take()  # always consumed: GPL WITH x is "not permissive", not unparsable
            ok = ok and exception in PERMISSIVE_EXCEPTIONS
        return ok


def is_permissive(expression: str) -> tuple[bool, str]:
    """(allowed, reason). Old Cargo `MIT/Apache-2.0` slashes mean OR, as Cargo documents."""
    expr = expression.strip()
    if not expr:
        return False, "no license field, no license file recognised"
    tokens = _TOKEN.findall(expr.replace("/", " OR "))
    try:
        parser = _Parser(tokens)
        ok = parser.or_expr()
        if parser.peek() is not None:
            raise ValueError(f"trailing {parser.peek()!r}")
    except ValueError as e:
        return False, f"unparsable license expression: {e}"
    return (True, "permissive license") if ok else (False, f"not permissive: {expr}")


# What a license file's text says, for a Cargo.toml with `license-file` or no license field at all.
# Copyleft texts are recognised too, so the ledger says "not permissive: GPL-3.0" rather than
# "no license field". Checked in order; the first match names the file's license.
_TEXT_MARKERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("AGPL-3.0", ("gnu affero general public license",)),
    ("LGPL-3.0", ("gnu lesser general public license",)),
    ("GPL-3.0", ("gnu general public license",)),
    ("MPL-2.0", ("mozilla public license",)),
    ("Apache-2.0", ("apache license", "version 2.0")),
    ("MIT", ("permission is hereby granted, free of charge",)),
    ("BSD-3-Clause", ("redistribution and use in source and binary forms", "neither the name")),
    ("BSD-2-Clause", ("redistribution and use in source and binary forms",)),
    ("ISC", ("permission to use, copy, modify, and/or distribute this software for any purpose",)),
    ("Zlib", ("this software is provided 'as-is'", "altered source versions must be plainly marked")),
    ("Unlicense", ("this is free and unencumbered software released into the public domain",)),
)


def license_from_text(text: str) -> str | None:
    """The SPDX id a license file's text matches, or None when it matches none we know."""
    flat = " ".join(text.lower().split())
    for spdx, markers in _TEXT_MARKERS:
        if all(m in flat for m in markers):
            return spdx
    return None


def license_from_files(texts: list[str]) -> str:
    """An SPDX expression from a crate's license files (several files: the crate is offered under
    each, as dual MIT/Apache crates ship them), or "" when none is recognised."""
    found = sorted({spdx for t in texts if (spdx := license_from_text(t))})
    return " OR ".join(found)
