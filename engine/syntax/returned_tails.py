"""The values an expression returns (its tails through blocks, `if` and `match`), and the one branch
of a returned expression that uses a given input: the arm of a `match` (or the branch of an `if`)
that hands out a borrow of `self` where the others return data from another parameter.

rustc's "lifetime may not live long enough" points at the whole returned expression and names the
lifetime it found (`'1`) on the parameter it comes from; when the expression branches, the branch
that uses that parameter is where the wrong lifetime enters. Pure over the source.
"""

from __future__ import annotations

import re

import tree_sitter

from engine.syntax.tree import ancestors, node_at, node_text, preorder

_DIVERGES = re.compile(r"(?:panic|unreachable|todo|unimplemented)!")
_NOT_VALUES = ("return_expression", "break_expression", "continue_expression")


def tails(n: tree_sitter.Node) -> list[tree_sitter.Node]:
    """The expressions a value-producing node ends in: itself, or the tails of its branches.

    A block's last `match`/`if` (any block-like expression) with no `;` after it is the block's
    value, though the grammar files it as an `expression_statement`: its tails are the block's."""
    if n.type == "block":
        last = n.named_children[-1] if n.named_children else None
        if last is not None and last.type == "expression_statement" and last.named_children:
            return [] if node_text(last).endswith(";") else tails(last.named_children[0])
        if (
            last is None
            or last.type.endswith("_statement")
            or last.type in ("let_declaration", "line_comment")
        ):
            return []
        return tails(last)
    if n.type == "if_expression":
        out: list[tree_sitter.Node] = []
        for c in n.named_children:
            if c.type == "block":
                out += tails(c)
            elif c.type == "else_clause":
                out += [t for b in c.named_children for t in tails(b)]
        return out
    if n.type == "match_expression":
        body = n.child_by_field_name("body")
        arms = [a.child_by_field_name("value") for a in (body.named_children if body else [])]
        return [t for v in arms if v is not None for t in tails(v)]
    if n.type in _NOT_VALUES:
        return []
    if n.type == "macro_invocation" and _DIVERGES.match((n.text or b"").decode("utf-8", "replace")):
        return []
    return [n]


def _uses(node: tree_sitter.Node, name: str) -> bool:
    kinds = ("self",) if name == "self" else ("identifier",)
    return any(n.type in kinds and (n.text or b"").decode() == name for n in preorder(node))


def param_name_at(source: bytes, start: int, end: int) -> str | None:
    """The name of the parameter whose reference rustc's span marks (`&` of `&self` -> `self`)."""
    node = node_at(source, start, end)
    for a in (node, *ancestors(node)):
        if a.type == "self_parameter":
            return "self"
        if a.type == "parameter":
            pattern = a.child_by_field_name("pattern")
            return (
                (pattern.text or b"").decode()
                if pattern is not None and pattern.type == "identifier"
                else None
            )
        if a.type in ("function_item", "block"):
            return None
    return None


def only_branch_using(source: bytes, start: int, end: int, name: str) -> tree_sitter.Node | None:
    """The one branch of the expression at [start, end) that uses `name`, when it branches and the
    others do not use it; None otherwise."""
    node = node_at(source, start, end)
    branches = tails(node)
    using = [t for t in branches if _uses(t, name)]
    if len(branches) < 2 or len(using) != 1 or using[0] is node:
        return None
    return using[0]
