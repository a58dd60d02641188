"""The failing assertion's data flow: the library lines that compute the values a failing test compared.

Read from the source, line by line, with names as the unit (no types, no aliasing): in the test, the
statements before the failing line whose bindings the failing line uses, and the calls they make; in
each library fn those calls reach (through `CallGraph`, nearer is stronger), the lines that feed the
fn's outputs (its `return`s and tail expression, writes through `self.` or `*`), followed back
through the names they read and the conditions that guard them. A line outside that slice can still
hold the bug (a slip that changes which branch runs is guarded-in, one in a log line is not), so this
is one signal among the others, weighted on the gym.

Pure: source bytes in, a score per (file, line) out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import tree_sitter

from engine.syntax.program import FnInfo, calls_at_line
from engine.syntax.tree import parse
from engine.testrepair.callgraph import CallGraph, fn_key

_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_ASSIGN = re.compile(r"(?<![=!<>+\-*/%&|^])(?:[+\-*/%&|^]|<<|>>)?=(?![=>])")
_KEYWORDS = frozenset(
    "let mut ref if else match while for in loop return break continue fn as true false Some None Ok "
    "Err self Self usize u8 u16 u32 u64 u128 isize i8 i16 i32 i64 i128 f32 f64 bool char str String "
    "Vec Option Result unsafe move impl where".split()
)


def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text) if w not in _KEYWORDS}


def _defs_uses(text: str) -> tuple[set[str], set[str]]:
    """Names a line writes and names it reads. `a.b.push(x);` writes `a` (a method may mutate)."""
    code = text.split("//", 1)[0].strip()
    m = _ASSIGN.search(code)
    if m is not None and not code.startswith(("if ", "while ", "match ", "assert")):
        left = code[: m.start()]
        defs = _words(left.removeprefix("let "))
        if "self." in left:
            defs.add("self")
        return defs, _words(code[m.end() :]) | (_words(left) if m.group() != "=" else set())
    recv = re.match(r"(?:self\.)?([A-Za-z_]\w*)(?:\.\w+)*\.\w+\(", code)
    defs = {recv.group(1)} if recv and code.endswith(";") else set()
    return defs, _words(code)


class Unit:
    """A statement, an arm's value, or the head of an `if`/`match`/loop (its condition), with the
    lines it spans and the units nested in its blocks."""

    __slots__ = ("lines", "text", "tail", "inner")

    def __init__(self, lines: range, text: str, tail: bool) -> None:
        self.lines, self.text, self.tail = lines, text, tail
        self.inner: list[Unit] = []


_COMPOUND = ("if_expression", "match_expression", "while_expression", "for_expression", "loop_expression")


def units(fn_node: tree_sitter.Node) -> list[Unit]:
    """The fn's units in source order; `tail` marks those whose value is the fn's value."""
    out: list[Unit] = []
    body = fn_node.child_by_field_name("body")
    if body is not None:
        _walk_block(body, True, out, None)
    return out


def _rows(n: tree_sitter.Node, end: tree_sitter.Node | None = None) -> range:
    last = end.start_point[0] if end is not None else n.end_point[0]
    return range(n.start_point[0] + 1, max(n.start_point[0], last) + 2)


def _walk_block(block: tree_sitter.Node, tail: bool, out: list[Unit], parent: Unit | None) -> None:
    kids = [c for c in block.named_children if c.type not in ("line_comment", "block_comment")]
    for i, c in enumerate(kids):
        last = tail and i == len(kids) - 1 and not (c.text or b"").rstrip().endswith(b";")
        _walk_expr(
            c.named_children[0] if c.type == "expression_statement" and c.named_children else c,
            last,
            out,
            parent,
        )


def _walk_expr(e: tree_sitter.Node, tail: bool, out: list[Unit], parent: Unit | None) -> None:
    blocks = [c for c in e.named_children if c.type in ("block", "match_block", "else_clause")]
    if e.type not in _COMPOUND or not blocks:
        u = Unit(_rows(e), (e.text or b"").decode("utf-8", "replace"), tail)
    else:
        head = (e.text or b"")[: blocks[0].start_byte - e.start_byte]
        u = Unit(_rows(e, blocks[0]), head.decode("utf-8", "replace"), False)
    out.append(u)
    if parent is not None:
        parent.inner.append(u)
    if e.type not in _COMPOUND:
        return
    keep = tail and e.type in ("if_expression", "match_expression")
    for b in blocks:
        if b.type == "block":
            _walk_block(b, keep, out, u)
        elif b.type == "else_clause":
            for c in b.named_children:
                (_walk_block if c.type == "block" else _walk_expr)(c, keep, out, u)
        else:
            for arm in b.named_children:
                value = arm.child_by_field_name("value")
                if value is None:
                    continue
                if value.type == "block":
                    _walk_block(value, keep, out, u)
                else:
                    _walk_expr(value, keep, out, u)


_WRITE = re.compile(
    r"(?:^|[;{]\s*)(?:self\.[\w.\[\]]+|\*\w+)\s*(?:[+\-*/%&|^]|<<|>>)?=(?!=)|self\.\w+(?:\.\w+)*\.\w+\("
)


def slice_units(us: Sequence[Unit], seeds: Sequence[Unit]) -> list[Unit]:
    """The units the `seeds` depend on through the names they read, and the heads that guard one."""
    info = {id(u): _defs_uses(u.text) for u in us}
    out = {id(u) for u in seeds}
    wanted: set[str] = set().union(*(info[id(u)][1] for u in seeds)) if seeds else set()
    changed = True
    while changed:
        changed = False
        for u in us:
            if id(u) in out:
                continue
            defs, uses = info[id(u)]
            if defs & wanted or any(id(v) in out for v in u.inner):
                out.add(id(u))
                wanted |= uses
                changed = True
    return [u for u in us if id(u) in out]


def output_units(us: Sequence[Unit]) -> list[Unit]:
    """A fn's outputs: its tail values, `return`s, and writes through `self.` or `*`."""
    return [u for u in us if u.tail or "return" in _WORD.findall(u.text) or _WRITE.search(u.text)]


def assertion_flow(
    files: Mapping[str, bytes],
    fns: Mapping[str, Sequence[FnInfo]],
    graph: CallGraph,
    spots: Sequence[tuple[str, int]],
) -> dict[tuple[str, int], float]:
    """(file, line) of library code -> 1/d, d the fewest calls from the failing assertions' data
    flow to the line's fn, for the lines in that fn's output slice. `spots`: (crate-relative file,
    line) where a failing test checked (its own frame, or the panic's place)."""
    dist: dict[str, int] = {}
    for rel, line in spots:
        names: set[str] = set(calls_at_line(files[rel], line))
        test = next((f for f in fns.get(rel, ()) if f.range.line <= line <= _last(f)), None)
        node = _fn_node(files[rel], test) if test is not None else None
        if node is not None:
            us = [u for u in units(node) if u.lines.start <= line]
            for u in slice_units(us, [u for u in us if line in u.lines]):
                names |= set(_WORD.findall(u.text))
        for key, d in graph.from_calls(sorted(names)).items():
            dist[key] = min(dist.get(key, d), d)
    out: dict[tuple[str, int], float] = {}
    for rel, found in fns.items():
        for f in found:
            calls = dist.get(fn_key(f))
            node = _fn_node(files[rel], f) if calls and not (f.is_test or f.in_test_code) else None
            if node is None or not calls:
                continue
            us = units(node)
            for u in slice_units(us, output_units(us)):
                for n in u.lines:
                    out[(rel, n)] = 1.0 / calls
    return out


def _last(f: FnInfo) -> int:
    return f.range.line + f.range.text.count("\n")


def _fn_node(data: bytes, f: FnInfo) -> tree_sitter.Node | None:
    node = parse(data).root_node.descendant_for_byte_range(f.range.start, f.range.start)
    while node is not None and node.type != "function_item":
        node = node.parent
    return node
