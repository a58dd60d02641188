"""`impl Trait` against generics: a fn parameter a candidate makes generic, written the repo's way.

A candidate that gives a parameter an `impl Trait` type (`f: fn(f32) -> f32` -> `f: impl Fn(f32)
-> f32`, engine.repair.fnpointer) is written `fn apply<F: Fn(f32) -> f32>(f: F, ..)` in a repo
that writes bounds on named parameters, or with `where F: ..` in one that writes `where` clauses.
A candidate that bounds a type parameter (rustc's "consider restricting type parameter `T`":
`fn show<T: std::fmt::Display>(x: T)`) is written `fn show(x: impl std::fmt::Display)` in a repo
that takes `impl Trait` arguments.

Only where the two forms mean the same: the type is named once, as one argument's whole type (`a:
T, b: T` says both are one type; `-> T` or `T::new()` in the body need the name), its bounds are
not `?Sized`, and no call in the crate names the fn's type arguments (`show::<u8>(..)`: an
argument-position `impl Trait` cannot be named there, and a new parameter would change the
count). Pure but for reading the crate's `.rs` files to look for those calls.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from tree_sitter import Node

from engine.edits import Edit, EditError, apply_edits, by_file, edits_between

Reader = Callable[[str], bytes | None]
Span = tuple[int, int, bytes]


def _changed(edits: list[Edit]) -> list[tuple[int, int]]:
    """The ranges the edits wrote, in the coordinates of the edited text."""
    out, delta = [], 0
    for e in sorted(edits, key=lambda e: (e.start, e.end)):
        s = e.start + delta
        n = len(e.replacement.encode())
        out.append((s, s + n))
        delta += n - (e.end - e.start)
    return out


def _touches(n: Node, ranges: list[tuple[int, int]]) -> bool:
    return any(s <= n.end_byte and n.start_byte <= e for s, e in ranges)


def _turbofish(root: Path | None, name: str) -> bool:
    """Whether any call in the crate names `name`'s type arguments (or the crate cannot be read)."""
    if root is None:
        return True
    from engine.memory.style import rust_files

    rx = re.compile(rb"\b" + re.escape(name.encode()) + rb"\s*::\s*<")
    for p in rust_files(root):
        try:
            if rx.search(p.read_bytes()):
                return True
        except OSError:
            return True
    return False


def _fns(node: Node) -> list[Node]:
    out = []
    stack = [node]
    while stack:
        n = stack.pop()
        if n.type == "function_item":
            out.append(n)
        stack.extend(n.children)
    return out


def _uses(n: Node, name: bytes, text: bytes) -> list[Node]:
    out = []
    stack = [n]
    while stack:
        x = stack.pop()
        if x.type in ("type_identifier", "identifier") and text[x.start_byte : x.end_byte] == name:
            out.append(x)
        stack.extend(x.children)
    return out


def _fresh(fn: Node, text: bytes, bound: bytes) -> bytes:
    first = b"F" if re.match(rb"(?:FnOnce|FnMut|Fn)\s*\(", bound) else b"T"
    body = text[fn.start_byte : fn.end_byte]
    for c in (first, b"T", b"U", b"V", b"T1", b"T2"):
        if not re.search(rb"\b" + c + rb"\b", body):
            return c
    return b""


def _to_generic(
    fn: Node, text: bytes, ranges: list[tuple[int, int]], where: bool, root: Path | None
) -> list[Span]:
    """An `impl Trait` parameter the candidate wrote, as a named type parameter."""
    params, name = fn.child_by_field_name("parameters"), fn.child_by_field_name("name")
    body, tps = fn.child_by_field_name("body"), fn.child_by_field_name("type_parameters")
    if params is None or name is None or body is None:
        return []
    for p in params.children:
        ty = p.child_by_field_name("type") if p.type == "parameter" else None
        if ty is None or ty.type != "abstract_type" or not _touches(ty, ranges):
            continue
        bound = text[ty.start_byte + len(b"impl") : ty.end_byte].strip()
        if b"impl " in bound or not bound:
            continue
        fresh = _fresh(fn, text, bound)
        if not fresh or (
            tps is not None and _turbofish(root, text[name.start_byte : name.end_byte].decode())
        ):
            return []
        decl = fresh if where else fresh + b": " + bound
        spans: list[Span] = [(ty.start_byte, ty.end_byte, fresh)]
        if tps is None:
            spans.append((name.end_byte, name.end_byte, b"<" + decl + b">"))
        else:
            spans.append((tps.end_byte - 1, tps.end_byte - 1, b", " + decl))
        if where:
            clause = next((c for c in fn.children if c.type == "where_clause"), None)
            if clause is not None:
                spans.append((clause.end_byte, clause.end_byte, b", " + fresh + b": " + bound))
            else:
                line = text.rfind(b"\n", 0, fn.start_byte) + 1
                rest = text[line:]
                ind = rest[: len(rest) - len(rest.lstrip(b" \t"))]  # the fn line's indentation
                gap_start = body.start_byte
                while gap_start > 0 and text[gap_start - 1 : gap_start] in (b" ", b"\t"):
                    gap_start -= 1
                spans.append(
                    (
                        gap_start,
                        body.start_byte,
                        b"\n" + ind + b"where\n" + ind + b"    " + fresh + b": " + bound + b",\n" + ind,
                    )
                )
        return spans
    return []


def _to_impl(fn: Node, text: bytes, ranges: list[tuple[int, int]], root: Path | None) -> list[Span]:
    """A type parameter the candidate bounded, as an `impl Trait` argument, where that is the same."""
    tps, name = fn.child_by_field_name("type_parameters"), fn.child_by_field_name("name")
    clause = next((c for c in fn.children if c.type == "where_clause"), None)
    if tps is None or name is None:
        return []
    preds = [c for c in clause.children if c.type == "where_predicate"] if clause is not None else []
    kinds = [c for c in tps.children if c.is_named]
    for tp in kinds:
        pname = tp.child_by_field_name("name")
        if tp.type != "type_parameter" or pname is None:
            continue
        t = text[pname.start_byte : pname.end_byte]
        mine = [
            w
            for w in preds
            if (lf := w.child_by_field_name("left")) is not None and text[lf.start_byte : lf.end_byte] == t
        ]
        if not _touches(tp, ranges) and not any(_touches(w, ranges) for w in mine):
            continue
        bounds = [tp.child_by_field_name("bounds")] + [w.child_by_field_name("bounds") for w in mine]
        words = [text[b.start_byte : b.end_byte].lstrip(b":").strip() for b in bounds if b is not None]
        lefts = (w.child_by_field_name("left") for w in mine)
        declared = {pname.id} | {left.id for left in lefts if left is not None}
        rest = [u for u in _uses(fn, t, text) if u.id not in declared]
        if not words or any(b"?Sized" in w for w in words) or len(rest) != 1:
            return []
        use = rest[0]
        par = use.parent
        if par is None or par.type != "parameter" or par.child_by_field_name("type") != use:
            return []
        if (
            len(mine) != len(preds) and mine
        ):  # other predicates stay: keep it simple, only a whole clause goes
            return []
        if _turbofish(root, text[name.start_byte : name.end_byte].decode()):
            return []
        spans: list[Span] = [(use.start_byte, use.end_byte, b"impl " + b" + ".join(words))]
        if len(kinds) == 1:
            spans.append((tps.start_byte, tps.end_byte, b""))
        else:
            i = kinds.index(tp)
            start, end = (
                (tp.start_byte, kinds[1].start_byte) if i == 0 else (kinds[i - 1].end_byte, tp.end_byte)
            )
            spans.append((start, end, b""))
        if mine and clause is not None:
            gap = clause.start_byte
            while gap > 0 and text[gap - 1 : gap] in (b" ", b"\t", b"\n"):
                gap -= 1
            spans.append((gap, clause.end_byte, b""))
        return spans
    return []


def rewrite(text: bytes, ranges: list[tuple[int, int]], want: str, root: Path | None) -> bytes | None:
    from engine.syntax.tree import parse

    spans: list[Span] = []
    for fn in _fns(parse(text).root_node):
        sig_end = (b := fn.child_by_field_name("body")) and b.start_byte or fn.end_byte
        if not any(s <= sig_end and fn.start_byte <= e for s, e in ranges):
            continue
        if want == "impl Trait":
            spans += _to_impl(fn, text, ranges, root)
        else:
            spans += _to_generic(fn, text, ranges, want == "where clauses", root)
    if not spans:
        return None
    for s, e, r in sorted(spans, key=lambda x: (x[0], x[1]), reverse=True):
        text = text[:s] + r + text[e:]
    return text


def generic_edits(edits: list[Edit], want: str, read: Reader, root: Path | None) -> list[Edit]:
    """`edits` with each parameter they make generic written `want` ("impl Trait", "generics" or
    "where clauses"); `edits` itself when none is, or the two forms would not mean the same."""
    if want not in ("impl Trait", "generics", "where clauses"):
        return edits
    if want != "impl Trait" and not any(b"impl " in e.replacement.encode() for e in edits):
        return edits
    out: list[Edit] = []
    changed = False
    for file, es in by_file(edits).items():
        old = read(file)
        try:
            done = rewrite(apply_edits(old, es), _changed(es), want, root) if old is not None else None
        except EditError:
            done = None
        if done is None or old is None:
            out += es
            continue
        out += edits_between(file, old, done)
        changed = True
    return out if changed else edits
