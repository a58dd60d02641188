"""Two `&mut` into elements of one place (`&mut v[i]`, `&mut v[j]`), as the syntax tree shows them.

Why: the borrow checker cannot prove two indexes differ, so it rejects the second `&mut v[j]` while
the first lives (E0499). The repair asks for both elements in one call (`get_disjoint_mut`) or, when
the two borrows only feed a swap, swaps by index. Both rewrites move where the indexes are
evaluated or drop the borrows' bindings, so the syntax answers what they need: the place and the two
index expressions (side-effect free: names, literals, fields, arithmetic), and the shape around the
borrows: two `let`s in one block, or two arguments of one call. An index with a call or a `?`
(`&mut self.accounts[self.index_of(from)?]`) is kept only for two adjacent `let`s: the rewrite then
binds both indexes to locals first, in their order, so each is evaluated once and as before (`hoist`).
Pure: bytes in, Structs out.
"""

from __future__ import annotations

from typing import Literal

import msgspec
import tree_sitter

from engine.syntax.tree import names_in, node_at, node_text, preorder
from engine.syntax.types import Base

# what an index may contain to be evaluated earlier without changing what the program does
_PURE = frozenset(
    {
        "identifier",
        "integer_literal",
        "field_expression",
        "field_identifier",
        "binary_expression",
        "parenthesized_expression",
        "unary_expression",
        "self",
        "scoped_identifier",
        "type_cast_expression",
        "primitive_type",
    }
)
SWAP_CALLS = frozenset({"swap", "mem::swap", "std::mem::swap", "core::mem::swap"})


class Borrow(Base, frozen=True):
    """One `&mut place[index]`: the whole reference's bytes and the index's text."""

    start: int
    end: int
    index: str
    index_names: tuple[str, ...] = ()  # the names the index reads
    pure: bool = True  # no call, no `?`: it may be evaluated earlier or twice


class ElementPair(Base, frozen=True):
    """The two borrows of elements of `place`, first (the one still alive) then second, and their shape.

    `lets`: each borrow is a `let`'s whole value; `stmt_*` are the two statements (byte ranges, the
    second's line end included) and `names` their patterns' texts (`a`, `mut b`); `swap_stmt` is the
    one statement after them that uses the two names, when it is `mem::swap(a, b);` and the names
    appear nowhere else. `call`: both are arguments of one call (`call_*` its range, `swaps` when it
    is `mem::swap`), and `stmt_start` the start of the statement holding it."""

    place: str
    first: Borrow
    second: Borrow
    shape: Literal["lets", "call"]
    indent: str
    stmt_start: int = 0
    first_stmt_end: int = 0
    second_stmt_start: int = 0
    second_stmt_end: int = 0
    names: tuple[str, str] = ("", "")
    swap_stmt: tuple[int, int] | None = None
    call_start: int = 0
    call_end: int = 0
    swaps: bool = False
    hoist: bool = False  # an index has effects: bind both to locals before the first `let`


def _borrow(source: bytes, start: int, end: int) -> tuple[tree_sitter.Node, str, Borrow] | None:
    """The `&mut place[index]` whose place rustc's span covers (rustc points at `v` in `v[i]`)."""
    n: tree_sitter.Node | None = node_at(source, start, end)
    if n is not None and n.type == "reference_expression":  # a slice's span is the whole `&mut xs[i]`
        n = next((c for c in n.named_children if c.type == "index_expression"), n)
    while n is not None and n.type != "index_expression":
        if n.type in ("block", "function_item", "let_declaration", "expression_statement"):
            return None
        n = n.parent
    if n is None or len(n.named_children) != 2:
        return None
    place, index = n.named_children
    ref = n.parent
    if (
        ref is None
        or ref.type != "reference_expression"
        or not any(c.type == "mutable_specifier" for c in ref.children)
    ):
        return None
    pure = all(c.type in _PURE for c in preorder(index) if c.is_named)
    names = tuple(sorted(names_in(index)))
    return (
        ref,
        node_text(place),
        Borrow(start=ref.start_byte, end=ref.end_byte, index=node_text(index), index_names=names, pure=pure),
    )


def _line_end(source: bytes, at: int) -> int:
    nl = source.find(b"\n", at)
    return len(source) if nl < 0 else nl + 1


def _indent(source: bytes, at: int) -> str:
    line = source.rfind(b"\n", 0, at) + 1
    return source[line:at].decode("utf-8", "replace")


def element_pair(source: bytes, first_at: tuple[int, int], second_at: tuple[int, int]) -> ElementPair | None:
    """The pair of element borrows rustc's two spans point at, when both index one place."""
    a, b = _borrow(source, *first_at), _borrow(source, *second_at)
    if a is None or b is None or a[1] != b[1] or a[0].start_byte >= b[0].start_byte:
        return None
    (ref_a, place, first), (ref_b, _, second) = a, b
    base = ElementPair(place=place, first=first, second=second, shape="call", indent="")
    args = ref_a.parent
    if args is not None and args == ref_b.parent and args.type == "arguments":
        return _in_one_call(source, base, args) if first.pure and second.pure else None
    return _in_two_lets(source, base, ref_a.parent, ref_b.parent)


def _in_one_call(source: bytes, base: ElementPair, args: tree_sitter.Node) -> ElementPair | None:
    """Both borrows are arguments of one call: the call's range, and the statement it stands in."""
    call = args.parent
    stmt = call
    while stmt is not None and (stmt.parent is None or stmt.parent.type != "block"):
        stmt = stmt.parent
    if call is None or stmt is None:
        return None
    return msgspec.structs.replace(
        base,
        shape="call",
        indent=_indent(source, stmt.start_byte),
        stmt_start=stmt.start_byte,
        call_start=call.start_byte,
        call_end=call.end_byte,
        swaps=node_text(call.child_by_field_name("function")) in SWAP_CALLS and len(args.named_children) == 2,
    )


def _in_two_lets(
    source: bytes, base: ElementPair, let_a: tree_sitter.Node | None, let_b: tree_sitter.Node | None
) -> ElementPair | None:
    """Each borrow is the whole value of a plain `let` of one block, and nothing between the two
    touches the second index or the name it binds (the rewrite reads both at the first `let`)."""
    if (
        let_a is None
        or let_b is None
        or let_a.type != "let_declaration"
        or let_b.type != "let_declaration"
        or let_a.parent is None
        or let_a.parent != let_b.parent
        or let_a.parent.type != "block"
    ):
        return None
    pa, pb = let_a.child_by_field_name("pattern"), let_b.child_by_field_name("pattern")
    if pa is None or pb is None or pa.type != "identifier" and not _plain_mut(pa):
        return None
    if pb.type != "identifier" and not _plain_mut(pb):
        return None
    name_b = node_text(pb).split()[-1]
    between = [c for c in let_a.parent.named_children if let_a.end_byte <= c.start_byte < let_b.start_byte]
    moved = {*base.second.index_names, name_b}
    if any(names_in(c) & moved for c in between):
        return None  # the second index (or the name it binds) is touched before it would now be read
    hoist = not (base.first.pure and base.second.pure)
    if hoist and (between or node_text(pa).split()[-1] in base.second.index_names):
        return None  # an index with effects moves only past the first borrow, which has none
    return msgspec.structs.replace(
        base,
        shape="lets",
        indent=_indent(source, let_a.start_byte),
        stmt_start=let_a.start_byte,
        first_stmt_end=let_a.end_byte,
        second_stmt_start=source.rfind(b"\n", 0, let_b.start_byte) + 1,
        second_stmt_end=_line_end(source, let_b.end_byte),
        names=(node_text(pa), node_text(pb)),
        swap_stmt=None if hoist else _swap_after(let_a.parent, let_b, node_text(pa).split()[-1], name_b),
        hoist=hoist,
    )


def _plain_mut(pattern: tree_sitter.Node) -> bool:
    """`mut a`: a binding pattern with nothing but `mut` and a name."""
    return pattern.type == "mut_pattern" and all(
        c.type in ("mutable_specifier", "identifier") for c in pattern.children
    )


def _swap_after(block: tree_sitter.Node, let_b: tree_sitter.Node, a: str, b: str) -> tuple[int, int] | None:
    """The `mem::swap(a, b);` after the lets, when it is the only use of either name."""
    after = [c for c in block.named_children if c.start_byte >= let_b.end_byte]
    users = [c for c in after if names_in(c) & {a, b}]
    if len(users) != 1 or users[0].type != "expression_statement":
        return None
    call = users[0].named_children[0] if users[0].named_children else None
    if call is None or call.type != "call_expression":
        return None
    args = call.child_by_field_name("arguments")
    if node_text(call.child_by_field_name("function")) not in SWAP_CALLS or args is None:
        return None
    if [node_text(x) for x in args.named_children] != [a, b]:
        return None
    return users[0].start_byte, users[0].end_byte
