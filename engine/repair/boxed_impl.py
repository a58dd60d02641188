"""Branches of a fn returning `impl Trait` (or `Option<impl Trait>`, `Result<impl Trait, E>`) that
build different concrete types (E0308 "expected `Circle`, found `Rect`" at one arm): the return
type becomes `Box<dyn Trait>` and each returned value `Box::new(..)`.

The general mistake: `impl Trait` in return position reads like "anything that implements the
trait", but it stands for one concrete type the fn picks; branches that return two types need a type
that holds either, a trait object behind a pointer (or an enum of the types, which Rusta does not
write). rustc only says the second arm is not the first's type. The fn's return type and its
returned values (every tail through blocks, `if` and `match`, and every `return`) come from the
syntax tree; inside `Option`/`Result` the value wrapped is the argument of `Some(..)`/`Ok(..)`. A
trait the crate declares must be dyn-compatible as written (no generic method, no method returning
`Self`); a std trait is left to the sandbox check, which decides whether the whole edit compiles.
Pure.
"""

from __future__ import annotations

import re

import tree_sitter

from engine.repair.template_kit import Reader, _make, primary_source
from engine.repair.types import Candidate, Edit
from engine.syntax.returned_tails import tails
from engine.syntax.tree import ancestors, node_at, parse, preorder
from toolbelt.types import Diagnostic

FAMILY = "boxed-impl"
_WRAPPERS = {"Option": "Some", "Result": "Ok"}  # the wrapper type and the variant holding the value


def _text(node: tree_sitter.Node | None) -> str:
    return (node.text or b"").decode("utf-8", "replace") if node is not None else ""


def _impl_in(ret: tree_sitter.Node) -> tuple[tree_sitter.Node, str | None] | None:
    """The `impl Trait` of a return type, and the wrapper (`Option`, `Result`) it sits in first."""
    if ret.type == "abstract_type":
        return ret, None
    if ret.type != "generic_type":
        return None
    name = _text(ret.child_by_field_name("type")).split("::")[-1]
    args = ret.child_by_field_name("type_arguments")
    first = args.named_children[0] if args is not None and args.named_children else None
    if name in _WRAPPERS and first is not None and first.type == "abstract_type":
        return first, name
    return None


def _dyn_compatible(trees: list[tree_sitter.Node], trait: str) -> bool:
    """False when the crate declares `trait` with a generic method or a method returning `Self`."""
    for root in trees:
        for n in preorder(root):
            if n.type != "trait_item" or _text(n.child_by_field_name("name")) != trait:
                continue
            body = n.child_by_field_name("body")
            for m in body.named_children if body is not None else []:
                if m.type not in ("function_signature_item", "function_item"):
                    continue
                if m.child_by_field_name("type_parameters") is not None:
                    return False
                if re.search(r"\bSelf\b", _text(m.child_by_field_name("return_type"))):
                    return False
    return True


def _returned(fn: tree_sitter.Node) -> list[tree_sitter.Node]:
    """Every value the fn returns: its body's tails and each `return`'s."""
    body = fn.child_by_field_name("body")
    if body is None:
        return []
    out = list(tails(body))
    for r in preorder(body):
        if r.type == "return_expression" and r.named_children:
            inner = next((a for a in ancestors(r) if a.type in ("function_item", "closure_expression")), None)
            if inner is not None and inner.id == fn.id:
                out += tails(r.named_children[0])
    return out


def _value_edits(value: tree_sitter.Node, variant: str | None, file: str) -> list[Edit] | None:
    """`Box::new(..)` around the value a return hands out; None when its shape is not one this knows."""
    target = value
    if variant is not None:
        f = value.child_by_field_name("function") if value.type == "call_expression" else None
        if f is None or _text(f) != variant:
            return [] if value.type in ("identifier", "scoped_identifier", "call_expression") else None
        args = value.child_by_field_name("arguments")
        if args is None or len(args.named_children) != 1:
            return None
        target = args.named_children[0]
    return [
        Edit(file=file, start=target.start_byte, end=target.start_byte, replacement="Box::new("),
        Edit(file=file, start=target.end_byte, end=target.end_byte, replacement=")"),
    ]


def boxed_impl_return(d: Diagnostic, read: Reader, crate_files: tuple[str, ...]) -> list[Candidate]:
    opened = primary_source(d, read)
    if opened is None:
        return []
    prim, source = opened
    node = node_at(source, prim.byte_start, prim.byte_end)
    fn = next((a for a in ancestors(node) if a.type in ("function_item", "closure_expression")), None)
    ret = fn.child_by_field_name("return_type") if fn is not None and fn.type == "function_item" else None
    found = _impl_in(ret) if ret is not None else None
    if fn is None or found is None:
        return []
    opaque, wrapper = found
    values = _returned(fn)
    if not any(v.start_byte <= prim.byte_start and prim.byte_end <= v.end_byte for v in values):
        return []  # the mismatch is not in a value the fn returns
    bounds = _text(opaque).removeprefix("impl").strip()
    trait = re.match(r"[\w:]+", bounds)
    trees = [parse(data).root_node for f in crate_files if f.endswith(".rs") and (data := read(f))]
    if trait is None or not _dyn_compatible(trees, trait.group(0).split("::")[-1]):
        return []
    file = prim.file_name
    edits = [Edit(file=file, start=opaque.start_byte, end=opaque.end_byte, replacement=f"Box<dyn {bounds}>")]
    variant = _WRAPPERS.get(wrapper) if wrapper is not None else None
    for v in values:
        more = _value_edits(v, variant, file)
        if more is None:
            return []
        edits += more
    if len(edits) < 5:  # the type and at least two boxed values: one concrete type needs no box
        return []
    what = (
        f"return `Box<dyn {bounds}>` and box each value, so the branches may build different types; "
        "each value costs a heap allocation and each call on it a dynamic dispatch"
    )
    return [_make(edits, what, FAMILY, d.code_str or "E0308", 0.7)]
