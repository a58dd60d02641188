"""Mutation operators: the single mistakes people really make in Rust, as byte edits. Pure.

Each operator finds candidate sites in one file's text with a conservative pattern and returns one
Mutation per site. Most sites still compile or break in boring ways; the generator keeps only those
that really fail `cargo check`, so operators may over-generate but must never corrupt the file
beyond the one intended edit.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import msgspec


class Mutation(msgspec.Struct, frozen=True, kw_only=True):
    kind: str
    file: str
    start: int
    end: int
    replacement: str
    original: str
    line: int


def _line_of(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def _byte(text: str, pos: int) -> int:
    return len(text[:pos].encode())


def _mk(kind: str, file: str, text: str, start: int, end: int, repl: str) -> Mutation:
    return Mutation(
        kind=kind,
        file=file,
        start=_byte(text, start),
        end=_byte(text, end),
        replacement=repl,
        original=text[start:end],
        line=_line_of(text, start),
    )


def _in_code(text: str, pos: int) -> bool:
    """Not inside a line comment, a doc comment or an obvious string literal on the same line."""
    line_start = text.rfind("\n", 0, pos) + 1
    prefix = text[line_start:pos]
    if "//" in prefix:
        return False
    return prefix.count('"') % 2 == 0


# Kinds whose mistakes are made in test code (gym.families): their sites are kept only inside the
# `#[cfg(test)]` region, and the gym checks them with the test build (`cargo check --all-targets`).
TEST_CODE_KINDS = frozenset({"test-module-mistake"})


def _test_region_start(text: str) -> int:
    """Offset of `#[cfg(test)]`; mutations after it would only break tests, not the library."""
    m = re.search(r"#\[cfg\(test\)\]", text)
    return m.start() if m else len(text)


def drop_mut(file: str, text: str) -> Iterator[Mutation]:
    for m in re.finditer(r"\blet\s+(mut\s+)\w", text):
        yield _mk("missing-mut", file, text, m.start(1), m.end(1), "")


def drop_ref(file: str, text: str) -> Iterator[Mutation]:
    for m in re.finditer(r"[(,]\s*(&)(?!mut\b)[a-z_]\w*(?:\.\w+)*\s*[,)]", text):
        yield _mk("missing-ref", file, text, m.start(1), m.end(1), "")


def drop_ref_mut(file: str, text: str) -> Iterator[Mutation]:
    for m in re.finditer(r"[(,=]\s*&(mut )[a-z_]\w*", text):
        yield _mk("ref-instead-of-ref-mut", file, text, m.start(1), m.end(1), "")


def drop_clone(file: str, text: str) -> Iterator[Mutation]:
    for m in re.finditer(r"\.clone\(\)", text):
        yield _mk("missing-clone", file, text, m.start(), m.end(), "")


def drop_question(file: str, text: str) -> Iterator[Mutation]:
    for m in re.finditer(r"\)(\?)[;.)]", text):
        yield _mk("missing-question-mark", file, text, m.start(1), m.end(1), "")


def drop_use(file: str, text: str) -> Iterator[Mutation]:
    for m in re.finditer(r"^use [^;{}]+;\n", text, re.M):
        yield _mk("missing-use", file, text, m.start(), m.end(), "")


def drop_derive(file: str, text: str) -> Iterator[Mutation]:
    for m in re.finditer(r"#\[derive\(([^)]*)\)\]", text):
        items = [s.strip() for s in m.group(1).split(",") if s.strip()]
        for drop in items:
            if drop not in (
                "Clone",
                "Copy",
                "PartialEq",
                "Eq",
                "Debug",
                "Hash",
                "Default",
                "PartialOrd",
                "Ord",
            ):
                continue
            kept = [i for i in items if i != drop]
            repl = f"#[derive({', '.join(kept)})]" if kept else ""
            yield _mk("missing-derive", file, text, m.start(), m.end(), repl)


def typo(file: str, text: str) -> Iterator[Mutation]:
    """Misspell a use of a local binding (not its declaration): drop one interior letter."""
    for m in re.finditer(r"\blet\s+(?:mut\s+)?([a-z_][a-z0-9_]{3,})\b", text):
        name = m.group(1)
        use = None
        for u in re.finditer(rf"\b{name}\b", text[m.end() :]):
            before = text[: m.end() + u.start()]
            if not re.search(r"(?:\b(?:Some|Ok|Err)\(|\blet\s+(?:mut\s+)?|\|)\s*$", before):
                use = u
                break
        if use is None:
            continue
        use_start, use_end = m.end() + use.start(), m.end() + use.end()
        bad = name[:2] + name[3:]
        yield _mk("typo", file, text, use_start, use_end, bad)


def drop_into(file: str, text: str) -> Iterator[Mutation]:
    for m in re.finditer(r"\.(?:into|to_string|to_owned)\(\)", text):
        yield _mk("missing-conversion", file, text, m.start(), m.end(), "")


def drop_deref(file: str, text: str) -> Iterator[Mutation]:
    for m in re.finditer(r"[(=\s](\*)(?!mut\b|const\b)[a-z_]\w*", text):
        yield _mk("missing-deref", file, text, m.start(1), m.end(1), "")


def extra_semicolon(file: str, text: str) -> Iterator[Mutation]:
    """A tail expression turned into a statement: `x + 1` → `x + 1;` right before a closing brace."""
    for m in re.finditer(r"\n([ \t]+)([^\s/][^\n;{}]*[^\s;{},])\n([ \t]*)\}", text):
        if len(m.group(3)) < len(m.group(1)) and not m.group(2).startswith(("#", "//", "Some(", "None")):
            yield _mk("extra-semicolon", file, text, m.end(2), m.end(2), ";")


def wrong_borrow_move(file: str, text: str) -> Iterator[Mutation]:
    """Iterate by value where the code iterated by reference: `for x in &v` → `for x in v`."""
    for m in re.finditer(r"\bfor\s+[\w(), ]+\s+in\s+(&)[a-z_]\w*(?:\.\w+)*\s*\{", text):
        yield _mk("moved-instead-of-borrowed", file, text, m.start(1), m.end(1), "")


OPERATORS: dict[str, Callable[[str, str], Iterator[Mutation]]] = {
    "missing-mut": drop_mut,
    "missing-ref": drop_ref,
    "ref-instead-of-ref-mut": drop_ref_mut,
    "missing-clone": drop_clone,
    "missing-question-mark": drop_question,
    "missing-use": drop_use,
    "missing-derive": drop_derive,
    "typo": typo,
    "missing-conversion": drop_into,
    "missing-deref": drop_deref,
    "extra-semicolon": extra_semicolon,
    "moved-instead-of-borrowed": wrong_borrow_move,
}


Operators = dict[str, Callable[[str, str], Iterator[Mutation]]]


def sites(file: str, text: str, operators: Operators | None = None) -> list[Mutation]:
    """Every site of every operator in the library part of a file (tests excluded), in a stable order;
    a kind of TEST_CODE_KINDS keeps only its sites in the test part.

    `operators` defaults to the dev families (OPERATORS); gym.families holds the held-out ones.
    """
    limit = _byte(text, _test_region_start(text))
    out: list[Mutation] = []
    for op in (OPERATORS if operators is None else operators).values():
        for mut in op(file, text):
            char_pos = len(text.encode()[: mut.start].decode("utf-8", "replace"))
            if (mut.start < limit) != (mut.kind in TEST_CODE_KINDS) and _in_code(text, char_pos):
                out.append(mut)
    return out


def apply(text: bytes, m: Mutation) -> bytes:
    return text[: m.start] + m.replacement.encode() + text[m.end :]
