"""A closure that changes its capture, passed where the parameter's bound says `Fn` (E0596/E0594
"… as it is a captured variable in a `Fn` closure").

rustc labels the parameter "change this to accept `FnMut` instead of `Fn`" and stops there. The
bound alone is half the fix: calling an `FnMut` needs `&mut` access to it, so the parameter binding
needs `mut` too (`op: F` -> `mut op: F`), or the next build says E0596 on `op`. Both edits are one
candidate. The bound is found through the syntax tree: the parameter's own `impl Fn(..)`, or the
generic's bound in the parameter list or the where clause. A `&dyn Fn` parameter would also change
every caller's borrow, so it gets no patch. Pure.
"""

from __future__ import annotations

from engine.repair.template_kit import Reader, _make
from engine.repair.types import Candidate, Edit
from engine.syntax.tree import ancestors, node_at, preorder
from toolbelt.types import Diagnostic, Span

FAMILY = "fnmut-bound"
_LABEL = "change this to accept `FnMut` instead of `Fn`"


def _text(node) -> str:  # noqa: ANN001 - a tree_sitter.Node
    return (node.text or b"").decode("utf-8", "replace") if node is not None else ""


def _fn_traits(node) -> list:  # noqa: ANN001 - a tree_sitter.Node
    """The `Fn` names of `Fn(..)` bounds inside `node` (not `FnMut`/`FnOnce`, not nested in a `(..)`)."""
    out = []
    for n in preorder(node):
        if n.type == "function_type":
            trait = n.child_by_field_name("trait")
            if trait is not None and _text(trait) == "Fn":
                out.append(trait)
    return out


def _generic_bounds(fn, name: str) -> list:  # noqa: ANN001 - a tree_sitter.Node
    """The `Fn` names bounding the generic `name` of `fn`, inline (`<F: Fn()>`) or in its where clause."""
    out = []
    for n in preorder(fn):
        if n.type == "block":
            break
        head = n.child_by_field_name("name" if n.type == "type_parameter" else "left")
        if n.type in ("type_parameter", "where_predicate") and _text(head) == name:
            bounds = n.child_by_field_name("bounds")
            out += _fn_traits(bounds) if bounds is not None else []
    return out


def _bound_edits(source: bytes, span: Span) -> list[Edit] | None:
    node = node_at(source, span.byte_start, span.byte_end)
    param = next((a for a in ancestors(node) if a.type == "parameter"), None)
    fn = next((a for a in ancestors(node) if a.type == "function_item"), None)
    if param is None or fn is None:
        return None
    pattern, ty = param.child_by_field_name("pattern"), param.child_by_field_name("type")
    if pattern is None or ty is None or pattern.type != "identifier":
        return None  # a destructuring pattern
    if ty.type == "abstract_type":
        traits = _fn_traits(ty)
    elif ty.type == "type_identifier":
        traits = _generic_bounds(fn, _text(ty))
    else:
        return None  # `&dyn Fn()`: every caller's borrow changes too
    if len(traits) != 1:
        return None
    t, f = traits[0], span.file_name
    edits = [Edit(file=f, start=t.start_byte, end=t.end_byte, replacement="FnMut")]
    if not any(c.type == "mutable_specifier" for c in param.children):
        edits.append(Edit(file=f, start=pattern.start_byte, end=pattern.start_byte, replacement="mut "))
    return edits


def fnmut_bound(d: Diagnostic, read: Reader) -> list[Candidate]:
    if "captured variable in a `Fn` closure" not in d.message:
        return []
    spans = [s for c in (d, *d.children) for s in c.spans if (s.label or "") == _LABEL]
    out: list[Candidate] = []
    for s in spans[:1]:
        source = read(s.file_name)
        edits = _bound_edits(source, s) if source is not None else None
        if edits:
            what = "let the parameter's bound be `FnMut` and its binding `mut`, so it can be called"
            out.append(_make(edits, what, FAMILY, d.code_str or "E0596", 0.75))
    return out
