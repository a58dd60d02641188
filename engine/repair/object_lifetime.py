"""A trait object written without a lifetime is `'static`: give it the holding type's lifetime.

The mistake: `callbacks: Vec<Box<dyn Fn(&Event)>>` and `fn register(&mut self, f: Box<dyn Fn(&Event)>)`
mean `dyn Fn(&Event) + 'static` (rustc's note "due to object lifetime defaults"), so a closure that
borrows a local is refused (E0597, then E0503 on a later use of the local) though the registry never
outlives the local. The type, not the closure, is what to change: `Box<dyn Fn(&Event) + 'a>` in the
parameter and in every field that stores it, with `'a` a lifetime parameter of the struct that holds
them (`struct Registry<'a>`, `impl<'a> Registry<'a>`).

With `fn_mut`, the same edits also write `FnMut` for `Fn`: the closure changes its capture (E0594
"captured variable in a `Fn` closure"), and the code that calls the stored closures then needs
`&mut` access, which the sandbox reports as the next step.

Offered only when every place writing the type bare is a field of one struct without generics or a
parameter of a method in its plain impls (engine/syntax/signature_lifetimes.py finds them). Pure; the
sandbox says whether it compiles.
"""

from __future__ import annotations

import re

import tree_sitter

from engine.repair.template_kit import Reader, _make
from engine.repair.types import Candidate, Edit
from engine.syntax.signature_lifetimes import Written, object_default_site
from engine.syntax.tree import ancestors, node_at, node_text, parse, preorder
from toolbelt.diagnostics import in_user_crate
from toolbelt.types import Diagnostic, Span

FAMILY = "object-lifetime"
_OBJECT_DEFAULT = "due to object lifetime defaults"
_COERCED = re.compile(r"^(?:coercion|cast) requires that `[^`]+` is borrowed for `'static`")
_FN_CLOSURE = "captured variable in a `Fn` closure"
_LIFETIME = "'a"


def object_span(d: Diagnostic, fn_closure: bool) -> Span | None:
    """The span of the crate's value that a bare `dyn` type constrains, or None.

    Two ways rustc reports a trait object written without a lifetime, and both the fix here and the
    root cause (engine/explain/signature_roots.py) start from the same span: with rustc's note "due
    to object lifetime defaults", the value its label says must be borrowed for `'static` ("coercion
    requires that `x` is borrowed for `'static`"); with `fn_closure`, an assignment in a closure taken
    as `Fn` ("captured variable in a `Fn` closure"), the closure rustc labels "in this closure". A span
    outside the user's crate is no place to edit or to blame."""
    if fn_closure:
        if _FN_CLOSURE not in d.message:
            return None
        span = next((s for s in d.spans if (s.label or "") == "in this closure"), None)
    else:
        if not any(_OBJECT_DEFAULT in c.message for c in d.children):
            return None
        span = next((s for s in d.spans if _COERCED.search(s.label or "")), None)
    return span if span is not None and in_user_crate(span.file_name) else None


def _holder(files: dict[str, bytes], w: Written) -> str | None:
    """The struct a bare object belongs to: the struct of its field, or the type of its method's impl."""
    node = node_at(files[w.file], w.start, w.end)
    for a in ancestors(node):
        if a.type == "struct_item":
            return node_text(a.child_by_field_name("name"))
        if a.type == "impl_item":
            ty = a.child_by_field_name("type")
            return node_text(ty) if ty is not None and ty.type == "type_identifier" else None
    return None


def _header_edits(files: dict[str, bytes], owner: str) -> list[Edit] | None:
    """`<'a>` after the struct's name and on each of its impls; None when any of them has generics."""
    edits: list[Edit] = []
    found = False
    for path, source in files.items():
        for n in preorder(parse(source).root_node):
            if n.type == "lifetime" and node_text(n) == _LIFETIME:
                return None  # the name is taken somewhere: a fresh one would need a rename check
            if n.type == "struct_item" and node_text(n.child_by_field_name("name")) == owner:
                if n.child_by_field_name("type_parameters") is not None:
                    return None
                name = n.child_by_field_name("name")
                assert name is not None
                edits.append(
                    Edit(file=path, start=name.end_byte, end=name.end_byte, replacement=f"<{_LIFETIME}>")
                )
                found = True
            elif n.type == "impl_item":
                ty = n.child_by_field_name("type")
                if ty is None or node_text(ty) != owner or ty.type != "type_identifier":
                    continue
                if n.child_by_field_name("type_parameters") is not None:
                    return None
                kw = n.children[0]
                edits.append(
                    Edit(file=path, start=kw.end_byte, end=kw.end_byte, replacement=f"<{_LIFETIME}>")
                )
                edits.append(
                    Edit(file=path, start=ty.end_byte, end=ty.end_byte, replacement=f"<{_LIFETIME}>")
                )
    return edits if found else None


def _fn_trait_edit(files: dict[str, bytes], w: Written) -> Edit | None:
    """`FnMut` in place of the `Fn` of a `dyn Fn(..)`."""
    node = node_at(files[w.file], w.start, w.end)
    fn_type = next((n for n in preorder(node) if n.type == "function_type"), None)
    trait = fn_type.child_by_field_name("trait") if fn_type is not None else None
    if trait is None or node_text(trait) != "Fn":
        return None
    return Edit(file=w.file, start=trait.start_byte, end=trait.end_byte, replacement="FnMut")


_MUT_SIBLING = {
    "get": "get_mut",
    "iter": "iter_mut",
    "first": "first_mut",
    "last": "last_mut",
    "values": "values_mut",
    "as_ref": "as_mut",
}


def _field_of(files: dict[str, bytes], w: Written) -> str | None:
    node = node_at(files[w.file], w.start, w.end)
    decl = next((a for a in ancestors(node) if a.type == "field_declaration"), None)
    return node_text(decl.child_by_field_name("name")) if decl is not None else None


def _calls_a_local(body: tree_sitter.Node, fns: set[str]) -> bool:
    """The body calls a closure it holds: `f(e)` with `f` no crate fn, or `(self.f)()`."""
    for n in preorder(body):
        f = n.child_by_field_name("function") if n.type == "call_expression" else None
        if f is not None and f.type == "parenthesized_expression":
            return True
        if (
            f is not None
            and f.type == "identifier"
            and node_text(f) not in fns
            and node_text(f)[:1].islower()
        ):
            return True
    return False


def _caller_edits(files: dict[str, bytes], owner: str, fields: set[str]) -> list[Edit]:
    """Calling an `FnMut` needs `&mut` to it: each `&self` method of `owner` that reads a field storing
    the closures and calls one takes `&mut self`, and lends the field `&mut` (`&mut self.f`,
    `self.f.get_mut(..)`, `self.f.iter_mut()`)."""
    fns = {
        node_text(n.child_by_field_name("name"))
        for src in files.values()
        for n in preorder(parse(src).root_node)
        if n.type == "function_item"
    }
    edits: list[Edit] = []
    for path, source in files.items():
        for impl in preorder(parse(source).root_node):
            ty = impl.child_by_field_name("type") if impl.type == "impl_item" else None
            if ty is None or node_text(ty) != owner:
                continue
            for fn in preorder(impl):
                params = fn.child_by_field_name("parameters") if fn.type == "function_item" else None
                body = fn.child_by_field_name("body") if fn.type == "function_item" else None
                recv = params.named_children[0] if params is not None and params.named_children else None
                if recv is None or body is None or recv.type != "self_parameter" or not recv.children:
                    continue
                if recv.children[0].type != "&" or any(c.type == "mutable_specifier" for c in recv.children):
                    continue
                uses = [
                    n
                    for n in preorder(body)
                    if n.type == "field_expression"
                    and node_text(n.child_by_field_name("value")) == "self"
                    and node_text(n.child_by_field_name("field")) in fields
                ]
                if not uses or not _calls_a_local(body, fns):
                    continue
                amp = recv.children[0]
                edits.append(Edit(file=path, start=amp.end_byte, end=amp.end_byte, replacement="mut "))
                for u in uses:
                    up = u.parent
                    if (
                        up is not None
                        and up.type == "reference_expression"
                        and not any(c.type == "mutable_specifier" for c in up.children)
                    ):
                        edits.append(
                            Edit(
                                file=path,
                                start=up.children[0].end_byte,
                                end=up.children[0].end_byte,
                                replacement="mut ",
                            )
                        )
                    elif (
                        up is not None
                        and up.type == "field_expression"
                        and (m := up.child_by_field_name("field")) is not None
                    ):
                        if (sib := _MUT_SIBLING.get(node_text(m))) is not None:
                            edits.append(Edit(file=path, start=m.start_byte, end=m.end_byte, replacement=sib))
    return edits


def lifetime_edits(
    files: dict[str, bytes], file: str, start: int, end: int, fn_mut: bool
) -> list[Edit] | None:
    """Every edit that gives the object coerced at [start, end) of `file` the holder's lifetime."""
    found = object_default_site(list(files.items()), file, start, end)
    if found is None:
        return None
    sites = [found[0], *found[1]]
    owners = {_holder(files, w) for w in sites}
    owner = owners.pop() if len(owners) == 1 else None
    headers = _header_edits(files, owner) if owner is not None else None
    if headers is None:
        return None
    edits = list(headers)
    for w in sites:
        edits.append(Edit(file=w.file, start=w.end, end=w.end, replacement=f" + {_LIFETIME}"))
        if fn_mut:
            if (e := _fn_trait_edit(files, w)) is None:
                return None
            edits.append(e)
    if fn_mut and owner is not None:
        edits += _caller_edits(files, owner, {f for w in sites if (f := _field_of(files, w)) is not None})
    return edits


def _candidate(
    d: Diagnostic, read: Reader, crate_files: tuple[str, ...], fn_mut: bool, desc: str, score: float
) -> list[Candidate]:
    """The one candidate both rows offer: the holder's lifetime on every bare object, from the span
    `object_span` picks (with `fn_mut`, the "in this closure" span, and `FnMut` as well)."""
    span = object_span(d, fn_closure=fn_mut)
    if span is None:
        return []
    files = {f: text for f in crate_files if (text := read(f)) is not None}
    edits = lifetime_edits(files, span.file_name, span.byte_start, span.byte_end, fn_mut=fn_mut)
    if not edits:
        return []
    return [_make(edits, desc, FAMILY, d.code_str or ("E0594" if fn_mut else "E0597"), score)]


def object_lifetime(d: Diagnostic, read: Reader, crate_files: tuple[str, ...]) -> list[Candidate]:
    desc = f"give the trait object the holding type's lifetime (`+ {_LIFETIME}`), so the closure may borrow a local"
    return _candidate(d, read, crate_files, False, desc, 0.8)


def fnmut_object_lifetime(d: Diagnostic, read: Reader, crate_files: tuple[str, ...]) -> list[Candidate]:
    """E0594 in a closure passed as a bare `dyn Fn(..)`: `FnMut` and the holder's lifetime together."""
    desc = f"take the closures as `FnMut` with the holding type's lifetime (`+ {_LIFETIME}`)"
    return _candidate(d, read, crate_files, True, desc, 0.75)
