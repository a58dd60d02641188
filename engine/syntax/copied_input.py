"""Whether a value the function makes is only a copy of what a borrowed input already holds.

Why: "build the result from the caller's data directly, no copy" is a way out of returning a
reference to a temporary only when the temporary copies an input (`&name.trim().to_string()`,
`&v[1..].to_vec()`, `&self.tags.clone()`): then the borrow can point into the input itself
(`name.trim()`, `&v[1..]`, `&self.tags`). A value with new content (`format!(..)`, `a + b`, a
`vec![..]`, a constructor, `to_lowercase()`) exists in no input, so only an owned return can carry it.
The general mistake this prevents is offering a zero-copy way out for data that has to be built.

Pure: bytes in, a bool out; tree-sitter nodes never leave this module.
"""

from __future__ import annotations

import tree_sitter

from engine.syntax.tree import ancestors, node_at, node_text

# methods whose result has the same content as their receiver: an owned copy, nothing new
COPIES = frozenset({"to_string", "to_owned", "clone", "to_vec", "into", "collect", "cloned", "copied"})
# steps from a value to the input it is read from (a field, a slice, a borrowing method)
_VIEWS = frozenset({"as_str", "as_slice", "trim", "trim_start", "trim_end", "iter", "as_ref", "borrow"})


def _method(call: tree_sitter.Node) -> tuple[str, tree_sitter.Node] | None:
    f = call.child_by_field_name("function")
    if f is None or f.type != "field_expression":
        return None
    field, value = f.child_by_field_name("field"), f.child_by_field_name("value")
    return (node_text(field), value) if field is not None and value is not None else None


def _root(n: tree_sitter.Node) -> tree_sitter.Node | None:
    """The binding a read starts from, through fields, slicing, `&` and viewing methods; None when a
    step makes something new."""
    while True:
        if n.type in ("identifier", "self"):
            return n
        if n.type == "field_expression":
            n = n.child_by_field_name("value") or n
        elif n.type == "index_expression":
            n = n.named_children[0]
        elif n.type in ("reference_expression", "parenthesized_expression"):
            n = n.named_children[-1]
        elif n.type == "call_expression" and (m := _method(n)) is not None and m[0] in _VIEWS | COPIES:
            n = m[1]
        else:
            return None


def _parameters(fn: tree_sitter.Node) -> set[str]:
    params = fn.child_by_field_name("parameters")
    out: set[str] = set()
    for p in params.named_children if params is not None else ():
        if p.type == "self_parameter":
            out.add("self")
        elif p.type == "parameter" and (pat := p.child_by_field_name("pattern")) is not None:
            if pat.type == "identifier":
                out.add(node_text(pat))
    return out


def copies_input(source: bytes, start: int, end: int) -> bool | None:
    """True when the expression at [start, end) is a copying call (`to_string`, `clone`, `to_vec`, …)
    of a read from a parameter or `self`; False when it makes new content; None when not an
    expression inside a function."""
    node = node_at(source, start, end)
    while node.type in ("reference_expression", "parenthesized_expression") and node.named_children:
        node = node.named_children[-1]
    fn = next((a for a in ancestors(node) if a.type == "function_item"), None)
    if fn is None:
        return None
    if node.type != "call_expression" or (m := _method(node)) is None or m[0] not in COPIES:
        return False
    root = _root(m[1])
    return root is not None and node_text(root) in _parameters(fn)
