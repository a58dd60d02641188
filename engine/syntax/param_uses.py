"""Whether a fn's body only reads a by-value parameter, or moves it (stores, pushes, passes or
returns it), read from the syntax tree.

Why: "let `push` borrow it (`&str`): it only reads it" is a claim about the body. Said of
`fn push(&mut self, msg: String) { self.current.push(msg) }` it is false (review F f14): the body
stores `msg`, so a borrowed parameter needs a copy made inside (`msg.to_string()`), which is an API
change and an allocation per call, not a free borrow. A use reads the value when it autorefs (a
method call other than `into_*`, an index, a comparison, `&msg`, a formatting macro); every other
use (an argument, a `let`, a field, a tail, `msg + ..`) may move it and counts as one.

Pure: bytes in, a verdict out; tree-sitter nodes stay here.
"""

from __future__ import annotations

import tree_sitter

from engine.syntax.tree import ancestors, node_at, node_text, preorder

_READ_MACROS = frozenset(
    "format print println eprint eprintln write writeln panic assert assert_eq assert_ne "
    "debug_assert debug_assert_eq debug_assert_ne dbg".split()
)
_COMPARE = frozenset({"==", "!=", "<", ">", "<=", ">="})


def _reads(n: tree_sitter.Node) -> bool:
    """Whether this use of the name only borrows its value."""
    p = n.parent
    if p is None:
        return False
    if p.type == "token_tree":
        mac = next((a for a in ancestors(n) if a.type == "macro_invocation"), None)
        name = node_text(mac.child_by_field_name("macro")) if mac is not None else ""
        return name.rsplit("::", 1)[-1] in _READ_MACROS
    if p.type == "field_expression" and p.child_by_field_name("value") == n:
        call = p.parent
        if call is not None and call.type == "call_expression" and call.child_by_field_name("function") == p:
            method = node_text(p.child_by_field_name("field"))
            return not (method.startswith("into") or method == "leak")
        return True  # a field read
    if p.type == "reference_expression":
        return True
    if p.type == "index_expression":
        return p.named_children[0] == n
    if p.type == "binary_expression":
        return node_text(p.child_by_field_name("operator")) in _COMPARE
    return False


def moves_param(source: bytes, start: int, end: int) -> bool | None:
    """For the by-value parameter whose pattern or type covers [start, end): True when its fn's body
    may move it, False when every use only reads it, None when the tree cannot tell (no plain name,
    a `let` or closure parameter that shadows it)."""
    node = node_at(source, start, end)
    param = next((a for a in (node, *ancestors(node)) if a.type == "parameter"), None)
    pat = param.child_by_field_name("pattern") if param is not None else None
    fn = param.parent.parent if param is not None and param.parent is not None else None
    if pat is None or fn is None or fn.type != "function_item":
        return None
    if pat.type == "mut_pattern":
        pat = pat.named_children[0] if pat.named_children else None
    body = fn.child_by_field_name("body")
    if pat is None or pat.type != "identifier" or body is None:
        return None
    name = node_text(pat)
    uses = []
    for x in preorder(body):
        if x.type in ("let_declaration", "closure_parameters", "match_pattern", "function_item"):
            if any(i.type == "identifier" and node_text(i) == name for i in preorder(x) if i != x):
                if x.type != "let_declaration" or _binds(x, name):
                    return None  # shadowed: the later uses may be another value
        if x.type == "identifier" and node_text(x) == name:
            uses.append(x)
    return any(not _reads(u) for u in uses)


def _binds(let: tree_sitter.Node, name: str) -> bool:
    pat = let.child_by_field_name("pattern")
    return pat is not None and any(i.type == "identifier" and node_text(i) == name for i in preorder(pat))
