"""E0277 "the type `str` cannot be indexed by `{integer}`": read a character without an index.

The general mistake: text indexed like an array to get one character, almost always to compare it
with a character literal (`line[0] == ';'`, `s[i] != 'x'`). A `str` is UTF-8 and has no numeric
index, so the comparison says what it means in one of three ways, each a candidate the sandbox
checks:

- the index is 0 and the comparison is `==`/`!=`: `line.starts_with(';')` (or its negation), which
  reads the first character, constant time;
- any index: `line.chars().nth(i) == Some(';')`, which walks the characters from the start (linear
  in `i`) and is `false` past the end where the index panicked;
- the literal is ASCII: `line.as_bytes()[i] == b';'`, constant time, a byte position (a byte of a
  multi-byte character is not a character), and it panics past the end as the index did.

Facts: rustc's message names `str`/`String` and an integer index type; the syntax tree gives the
index expression at rustc's span and the comparison around it. Pure.
"""

from __future__ import annotations

import re

import tree_sitter

from engine.repair.template_kit import Reader, _make, primary_source
from engine.repair.types import Candidate, Edit
from engine.syntax.tree import ancestors, node_at, node_text
from toolbelt.types import Diagnostic

_MESSAGE = re.compile(
    r"the type `(?:str|String|&str|&String|&mut str)` cannot be indexed by `(?:\{integer\}|[iu](?:8|16|32|64|128|size))`"
)
_PLAIN = ("identifier", "field_expression", "call_expression", "self", "index_expression")
_ASCII = re.compile(r"'(?:[\x20-\x26\x28-\x5b\x5d-\x7e]|\\[nrt0'\\\"])'")


def _index_at(source: bytes, start: int, end: int) -> tree_sitter.Node | None:
    """The `text[i]` whose index (or whole expression) is rustc's span."""
    n = node_at(source, start, end)
    for a in (n, *ancestors(n)):
        if a.type == "index_expression":
            return a
        if a.type not in ("integer_literal", "identifier", "binary_expression", "parenthesized_expression"):
            return None
    return None


def _compared_char(ix: tree_sitter.Node) -> tuple[tree_sitter.Node, str, tree_sitter.Node] | None:
    """(the comparison, its operator, the char literal) when `text[i]` is compared with one."""
    cmp = ix.parent
    if cmp is None or cmp.type != "binary_expression":
        return None
    op = node_text(cmp.child_by_field_name("operator"))
    left, right = cmp.child_by_field_name("left"), cmp.child_by_field_name("right")
    other = right if left == ix else left if right == ix else None
    if op not in ("==", "!=") or other is None or other.type != "char_literal":
        return None
    return cmp, op, other


def str_char_index(d: Diagnostic, read: Reader) -> list[Candidate]:
    opened = primary_source(d, read)
    if d.code_str != "E0277" or opened is None or not _MESSAGE.search(d.message or ""):
        return []
    span, source = opened
    ix = _index_at(source, span.byte_start, span.byte_end)
    hit = _compared_char(ix) if ix is not None else None
    if ix is None or hit is None:
        return []
    value, index = ix.named_children[0], ix.named_children[-1]
    text = node_text(value) if value.type in _PLAIN else f"({node_text(value)})"
    i, (cmp, op, lit), file = node_text(index), hit, span.file_name
    ch = node_text(lit)

    def whole(replacement: str, why: str, family: str, score: float) -> Candidate:
        edit = Edit(file=file, start=cmp.start_byte, end=cmp.end_byte, replacement=replacement)
        return _make([edit], why, family, "E0277", score)

    out: list[Candidate] = []
    if i == "0":
        neg = "!" if op == "!=" else ""
        out.append(
            whole(
                f"{neg}{text}.starts_with({ch})",
                f"ask whether `{text}` starts with the character, with `starts_with`: it reads the first"
                " character, constant time",
                "op:starts-with",
                0.8,
            )
        )
    out.append(
        whole(
            f"{text}.chars().nth({i}) {op} Some({ch})",
            f"take character {i} with `chars().nth({i})`: it walks the text from the start, linear in"
            " the position, and gives `None` past the end, where the index would panic",
            "op:chars-nth",
            0.7,
        )
    )
    if _ASCII.fullmatch(ch):
        left = cmp.child_by_field_name("left") == ix
        byte = f"{text}.as_bytes()[{i}]"
        pair = f"{byte} {op} b{ch}" if left else f"b{ch} {op} {byte}"
        out.append(
            whole(
                pair,
                f"compare byte {i} of `{text}` with an ASCII byte literal, through `as_bytes()`: constant"
                " time, a byte position rather than a character's, and it panics past the end as the index would",
                "op:as-bytes",
                0.65,
            )
        )
    return out
