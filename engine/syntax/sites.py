"""The places in Rust code where a one-token logic slip lives: operators, literals, `!`, range bounds,
`min`/`max`, call arguments, increments. The test-repair grammar and the semantic gym read them.

Why the tree: `<` in a generic (`Vec<u8>`), `!` in a macro name (`vec!`), `..` in a struct update
(`..Default::default()`) and `1` in a string are not sites; only nodes of the right kind are. Code
inside macro token trees is left alone: its structure is unknown until expansion.

Pure: bytes in, Structs out. Tree-sitter nodes never leave this module.
"""

from __future__ import annotations

import re
from typing import Literal

import tree_sitter

from engine.syntax.program import in_test_code
from engine.syntax.tree import parse
from engine.syntax.types import Base, Range

SiteKind = Literal[
    "relational", "arithmetic", "logical", "bitwise", "compound", "increment", "int", "bool",
    "not", "cond", "range", "minmax", "len", "plus-one", "bound", "args",
]  # fmt: skip

RELATIONAL = ("<", "<=", ">", ">=", "==", "!=")
ARITHMETIC = ("+", "-", "*", "/", "%")
LOGICAL = ("&&", "||")
BITWISE = ("&", "|", "^", "<<", ">>")
_TOO_TIGHT = {"*", "/", "%", "<<", ">>", "&", "|", "^", "as"}


class Site(Base, kw_only=True, frozen=True):
    """One place the grammar may edit: `range` is what an edit replaces; `parts` are operands or
    arguments (the left operand of `x + 1`, the operand of `!x`, the arguments of a call)."""

    kind: SiteKind
    range: Range
    parts: tuple[Range, ...] = ()
    wrap: bool = False  # an expression that needs parentheses before `+ 1` is appended


def _r(n: tree_sitter.Node) -> Range:
    return Range(
        start=n.start_byte,
        end=n.end_byte,
        line=n.start_point[0] + 1,
        text=(n.text or b"").decode("utf-8", "replace"),
    )


def _op(n: tree_sitter.Node) -> tree_sitter.Node | None:
    return n.child_by_field_name("operator")


_ONE = re.compile(rb"1(?:_?[iu](?:8|16|32|64|128|size))?")


def _is_one(n: tree_sitter.Node | None) -> bool:
    return n is not None and n.type == "integer_literal" and _ONE.fullmatch(n.text or b"") is not None


def _additive(n: tree_sitter.Node) -> bool:
    """`a - b`: one more `+ 1` / `- 1` binds as meant without parentheses."""
    op = _op(n) if n.type == "binary_expression" else None
    return op is not None and (op.text or b"") in (b"+", b"-")


def _needs_wrap(n: tree_sitter.Node) -> bool:
    p = n.parent
    if p is None:
        return False
    if p.type == "binary_expression":
        op = _op(p)
        return op is not None and (op.text or b"").decode() in _TOO_TIGHT
    return p.type in ("field_expression", "unary_expression", "type_cast_expression", "reference_expression")


def _sites_of(n: tree_sitter.Node) -> list[Site]:
    t = n.type
    out: list[Site] = []
    if t == "binary_expression":
        op = _op(n)
        left, right = n.child_by_field_name("left"), n.child_by_field_name("right")
        if op is not None:
            s = (op.text or b"").decode()
            kind = (
                "relational" if s in RELATIONAL else "arithmetic" if s in ARITHMETIC
                else "logical" if s in LOGICAL else "bitwise" if s in BITWISE else None
            )  # fmt: skip
            if kind is not None:
                out.append(Site(kind=kind, range=_r(op)))  # type: ignore[arg-type]
            if s in ("+", "-") and left is not None and _is_one(right):
                out.append(Site(kind="plus-one", range=_r(n), parts=(_r(left),)))
            if s in RELATIONAL:
                for side in (left, right):
                    if side is not None and side.type in (
                        "identifier",
                        "field_expression",
                        "call_expression",
                    ):
                        out.append(Site(kind="bound", range=_r(side), wrap=False))
    elif t == "compound_assignment_expr":
        op = _op(n)
        if op is not None and (op.text or b"").decode() in ("+=", "-=", "*=", "/=", "|=", "&="):
            out.append(Site(kind="compound", range=_r(op)))
            p = n.parent
            if (op.text or b"") in (b"+=", b"-=") and p is not None and p.type == "expression_statement":
                out.append(Site(kind="increment", range=_r(p)))
    elif t == "integer_literal":
        text = (n.text or b"").decode()
        if text[:1].isdigit() and not text.startswith(("0x", "0b", "0o")):
            out.append(Site(kind="int", range=_r(n)))
    elif t == "boolean_literal":
        out.append(Site(kind="bool", range=_r(n)))
    elif t == "unary_expression":
        first = n.children[0] if n.children else None
        operand = n.named_children[-1] if n.named_children else None
        if first is not None and first.type == "!" and operand is not None:
            out.append(Site(kind="not", range=_r(n), parts=(_r(operand),)))
    elif t in ("if_expression", "while_expression"):
        cond = n.child_by_field_name("condition")
        if cond is not None and cond.type not in ("let_condition", "let_chain", "unary_expression"):
            out.append(Site(kind="cond", range=_r(cond)))
    elif t == "range_expression":
        ops = [c for c in n.children if c.type in ("..", "..=")]
        if ops and len(n.named_children) == 2:
            out.append(Site(kind="range", range=_r(ops[0])))
            end = n.named_children[1]
            if end.type in ("identifier", "field_expression", "call_expression") or _additive(end):
                out.append(Site(kind="bound", range=_r(end)))
    elif t == "call_expression":
        f = n.child_by_field_name("function")
        args = n.child_by_field_name("arguments")
        name = f.child_by_field_name("field") if f is not None and f.type == "field_expression" else f
        if name is not None and name.type == "scoped_identifier":
            name = name.child_by_field_name("name")
        if name is not None and (name.text or b"") in (b"min", b"max"):
            out.append(Site(kind="minmax", range=_r(name)))
        if (
            name is not None
            and (name.text or b"") == b"len"
            and f is not None
            and f.type == "field_expression"
        ):
            out.append(Site(kind="len", range=_r(n), wrap=_needs_wrap(n)))
        if args is not None:
            real = [a for a in args.named_children if a.type not in ("line_comment", "block_comment")]
            if len(real) >= 2:
                out.append(Site(kind="args", range=_r(args), parts=tuple(_r(a) for a in real)))
            for a in real:  # `min(self.end)` where `min(self.end - 1)` was meant
                if a.type in ("identifier", "field_expression") or _additive(a):
                    out.append(Site(kind="bound", range=_r(a)))
    elif t == "index_expression":
        idx = n.named_children[-1] if len(n.named_children) == 2 else None
        if idx is not None and idx.type in ("identifier", "field_expression"):
            out.append(Site(kind="bound", range=_r(idx)))
    return out


def sites(source: bytes, start: int = 0, end: int | None = None) -> list[Site]:
    """Every site whose node starts in bytes [start, end), outside test code and macro token trees."""
    stop = len(source) if end is None else end
    out: list[Site] = []
    stack = [parse(source).root_node]
    while stack:
        n = stack.pop()
        if n.end_byte <= start or n.start_byte >= stop or n.type in ("token_tree", "attribute_item"):
            continue
        if n.type in ("mod_item", "function_item", "impl_item") and in_test_code(n):
            continue
        if n.start_byte >= start:
            out.extend(_sites_of(n))
        stack.extend(n.named_children)
    return sorted(out, key=lambda s: (s.range.start, s.range.end, s.kind))
