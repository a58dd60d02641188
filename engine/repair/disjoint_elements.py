"""Two `&mut` into elements of one Vec or slice (E0499): both elements from one call, or a swap by index.

The general mistake: `let a = &mut v[i]; let b = &mut v[j];` (or `f(&mut v[i], &mut v[j])`) while
the first borrow is alive. Indexing borrows the whole of `v`, and the borrow checker cannot prove
`i != j`. rustc's help names `split_at_mut` but writes no code. Two edits, each shown only once the
sandbox compiles it:
- `let [a, b] = v.get_disjoint_mut([i, j]).unwrap();` (stable since Rust 1.86, so only offered on a
  toolchain that has it). Its description says the change in behaviour: the `unwrap` panics when the
  indexes are equal as well as out of range, where the two borrows panicked only out of range.
  Indexes with effects (a call, a `?`) are first bound to locals, in their order (`hoist`).
- `v.swap(i, j)`, when the two borrows only feed `mem::swap`: same panics as before, no borrows.
The syntax layer (`engine.syntax.element_borrows`) says the shape and that the indexes have no side
effects, so evaluating the second one earlier changes nothing. Pure but for the cached `rustc -V`.
"""

from __future__ import annotations

import re

from engine.facts.parse import facts_of
from engine.repair.template_kit import Reader, _make, primary_source
from engine.repair.types import Candidate, Edit
from engine.syntax.element_borrows import ElementPair, element_pair
from engine.syntax.tree import identifiers
from toolbelt.sysroot import rustc_version
from toolbelt.types import Diagnostic

FAMILY = "disjoint-elements"
_NAME_PAIRS = (("a", "b"), ("x", "y"), ("first", "second"), ("left", "right"))


def _has_get_disjoint_mut() -> bool:
    """`[T]::get_disjoint_mut` is stable since 1.86."""
    m = re.match(r"rustc (\d+)\.(\d+)", rustc_version())
    return m is not None and (int(m.group(1)), int(m.group(2))) >= (1, 86)


def _line_span(source: bytes, start: int, end: int) -> tuple[int, int]:
    """[start, end) widened to whole lines, the line break included."""
    nl = source.find(b"\n", end)
    return source.rfind(b"\n", 0, start) + 1, len(source) if nl < 0 else nl + 1


def disjoint_elements(d: Diagnostic, read: Reader) -> list[Candidate]:
    f, prim = facts_of(d), d.primary
    first = f.borrowed_at
    if d.code_str != "E0499" or prim is None or first is None or first.file != prim.file_name:
        return []
    opened = primary_source(d, read)
    if opened is None:
        return []
    prim, source = opened
    pair = element_pair(source, (first.start, first.end), (prim.byte_start, prim.byte_end))
    if pair is None:
        return []
    return _swaps(pair, source, prim.file_name) + (
        _disjoint(pair, source, prim.file_name) if _has_get_disjoint_mut() else []
    )


def _swap_text(p: ElementPair) -> str:
    return f"{p.place}.swap({p.first.index}, {p.second.index})"


def _swaps(p: ElementPair, source: bytes, file: str) -> list[Candidate]:
    why = (
        f"swap the two elements by index with `{_swap_text(p)}`: no borrows to overlap, and it panics "
        "only when an index is out of range, as the two borrows did"
    )
    if p.shape == "call" and p.swaps:
        return [
            _make(
                [Edit(file=file, start=p.call_start, end=p.call_end, replacement=_swap_text(p))],
                why,
                FAMILY,
                "E0499",
                0.8,
            )
        ]
    if p.shape != "lets" or p.swap_stmt is None:
        return []
    a, b = _line_span(source, p.stmt_start, p.first_stmt_end), (p.second_stmt_start, p.second_stmt_end)
    edits = [
        Edit(file=file, start=a[0], end=a[1], replacement=""),
        Edit(file=file, start=b[0], end=b[1], replacement=""),
        Edit(file=file, start=p.swap_stmt[0], end=p.swap_stmt[1], replacement=_swap_text(p) + ";"),
    ]
    return [_make(edits, why, FAMILY, "E0499", 0.8)]


_INDEX_NAMES = (("i", "j"), ("first_at", "second_at"), ("at_a", "at_b"))


def _disjoint(p: ElementPair, source: bytes, file: str) -> list[Candidate]:
    i, j = p.first.index, p.second.index
    bind = ""
    if p.hoist:  # indexes with effects (`self.index_of(id)?`): once each, in their order, first
        names = next((n for n in _INDEX_NAMES if not identifiers(source) & set(n)), None)
        if names is None:
            return []
        bind = f"let {names[0]} = {i};\n{p.indent}let {names[1]} = {j};\n{p.indent}"
        i, j = names
    call = f"{p.place}.get_disjoint_mut([{i}, {j}]).unwrap()"
    why = (
        f"take both elements in one call with `get_disjoint_mut`: it panics when `{i}` and `{j}` are "
        f"equal or out of range, where the two borrows panicked only out of range"
    )
    if p.shape == "lets":
        a, b = p.names
        edits = [
            Edit(
                file=file,
                start=p.stmt_start,
                end=p.first_stmt_end,
                replacement=f"{bind}let [{a}, {b}] = {call};",
            ),
            Edit(file=file, start=p.second_stmt_start, end=p.second_stmt_end, replacement=""),
        ]
        return [_make(edits, why, FAMILY, "E0499", 0.7)]
    taken = identifiers(source)
    names = next((n for n in _NAME_PAIRS if not taken & set(n)), None)
    if names is None:
        return []
    edits = [
        Edit(
            file=file,
            start=p.stmt_start,
            end=p.stmt_start,
            replacement=f"let [{names[0]}, {names[1]}] = {call};\n{p.indent}",
        ),
        Edit(file=file, start=p.first.start, end=p.first.end, replacement=names[0]),
        Edit(file=file, start=p.second.start, end=p.second.end, replacement=names[1]),
    ]
    return [_make(edits, why, FAMILY, "E0499", 0.7)]
