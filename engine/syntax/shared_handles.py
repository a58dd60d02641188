"""Where a shared handle (`Rc`, `Arc`, a `RefCell` inside one) was made, and every place that names its
type, answered by the tree (#14).

The general mistake: a handle reaches a thread through copies (`let h = Rc::clone(&x);`, `x.clone()`,
`let y = x;`, a shadowing `let x = Rc::clone(&x);`), and the nearest copy is taken for the place the
value was made. A copy only repeats the handle; the type is decided where the value is constructed
(`Rc::new(..)`), so that is the root cause, and a fix that changes the type changes that site, every
copy (`Rc::clone` would not take an `Arc`), and the `use` that names it.

- `origin_chain`: a binding, then the bindings it copies, back to the one whose value is not a copy.
- `handle_family`: every binding of the file whose chain ends at a given origin.
- `type_sites`: the identifiers naming a type (`Rc`, `RefCell`) in those bindings' declarations and
  in calls of that type's associated functions on them (`Rc::strong_count(&h)`), each with the span
  to replace (a whole `std::rc::Rc` path where the code writes one).
- `receiver_calls`: the method calls on those bindings (`h.borrow_mut()`), by method name.
- `use_sites`: the `use` items that import a name, and whether other code still names it.

Pure: bytes and byte offsets in, Structs out. Tree-sitter nodes never leave this module.
"""

from __future__ import annotations

from collections.abc import Iterator

import tree_sitter

from engine.syntax.tree import (
    _range,
    ancestors,
    binding_of,
    declaration_of,
    parse,
    preorder,
    scoped_bindings,
)
from engine.syntax.types import Base, Binding, Range


class Site(Base, frozen=True):
    """Bytes [start, end) to replace: a type's name, or the whole path that ends in it."""

    start: int
    end: int
    text: str  # what the code writes there now (`Rc`, `std::rc::Rc`)


class UseSite(Base, frozen=True):
    """A `use` item that imports `name` with a plain path (`use std::rc::Rc;`)."""

    range: Range  # the whole `use …;`, or the item `rc::Rc` in `use std::{cell::RefCell, rc::Rc};`
    path: str  # `std::rc::Rc`
    in_std_group: bool = False  # an item of a `use std::{…}` list, written relative to `std`


def _copied_name(value: tree_sitter.Node) -> tree_sitter.Node | None:
    """The variable a value only copies the handle of: `x`, `&x`, `x.clone()`, `T::clone(&x)`."""
    while value.type in ("reference_expression", "parenthesized_expression"):
        inner = value.child_by_field_name("value") or (
            value.named_children[0] if value.named_children else None
        )
        if inner is None:
            return None
        value = inner
    if value.type == "identifier":
        return value
    if value.type != "call_expression":
        return None
    fn, args = value.child_by_field_name("function"), value.child_by_field_name("arguments")
    if fn is None or args is None:
        return None
    if fn.type == "field_expression":  # `x.clone()`
        field, recv = fn.child_by_field_name("field"), fn.child_by_field_name("value")
        if field is not None and field.text == b"clone" and not args.named_children and recv is not None:
            return recv if recv.type == "identifier" else None
        return None
    name = fn.child_by_field_name("name") if fn.type == "scoped_identifier" else None
    if name is not None and name.text == b"clone" and len(args.named_children) == 1:
        return _copied_name(args.named_children[0])  # `Rc::clone(&x)`, `Clone::clone(&x)`
    return None


def origin_chain(source: bytes, b: Binding) -> tuple[Binding, ...]:
    """`b`, then each binding its `let` copies the handle of, ending at the one that made the value.
    A `let x = Rc::clone(&x);` copies the earlier `x`: a `let` binds its names after its own value."""
    chain = [b]
    for _ in range(16):
        decl = declaration_of(source, chain[-1])
        value = (
            decl.child_by_field_name("value") if decl is not None and decl.type == "let_declaration" else None
        )
        ident = _copied_name(value) if value is not None else None
        if decl is None or ident is None:
            break
        earlier = binding_of(source, (ident.text or b"").decode(), decl.start_byte)
        if earlier is None or earlier in chain:
            break
        chain.append(earlier)
    return tuple(chain)


def names_type(source: bytes, b: Binding, head: str) -> bool:
    """Whether the declaration of `b` names the type `head` (annotation or value)."""
    decl = declaration_of(source, b)
    return decl is not None and any(
        n.type in ("identifier", "type_identifier") and n.text == head.encode() for n in preorder(decl)
    )


def handle_family(source: bytes, origin: Binding) -> tuple[Binding, ...]:
    """Every binding whose chain of copies ends at `origin`, `origin` first."""
    out = [origin]
    for b, _, _ in scoped_bindings(source):
        if b == origin or b.kind != "let" or b.range.start < origin.range.start:
            continue
        decl = declaration_of(source, b)
        value = decl.child_by_field_name("value") if decl is not None else None
        if value is not None and _copied_name(value) is not None and origin_chain(source, b)[-1] == origin:
            out.append(b)
    return tuple(out)


def _bound_to(source: bytes, ident: tree_sitter.Node, family: tuple[Binding, ...]) -> bool:
    """Whether the name refers to one of `family`: inside a `let`'s value (`let t = t.borrow();`) the
    name is the one bound before that `let`, not the one it binds."""
    at = ident.start_byte
    for a in ancestors(ident):
        value = a.child_by_field_name("value") if a.type == "let_declaration" else None
        if value is not None and value.start_byte <= at < value.end_byte:
            at = a.start_byte
            break
    return binding_of(source, (ident.text or b"").decode(), at) in family


def _same(a: tree_sitter.Node | None, b: tree_sitter.Node) -> bool:
    return a is not None and (a.start_byte, a.end_byte) == (b.start_byte, b.end_byte)


def _path_site(ident: tree_sitter.Node) -> Site:
    """`Rc` alone, or the whole `std::rc::Rc` that ends in it (the path names the module it leaves)."""
    node = ident
    parent = ident.parent
    if (
        parent is not None
        and parent.type in ("scoped_identifier", "scoped_type_identifier")
        and _same(parent.child_by_field_name("name"), ident)
        and parent.child_by_field_name("path") is not None
    ):
        node = parent
    return Site(start=node.start_byte, end=node.end_byte, text=(node.text or b"").decode())


def _named(node: tree_sitter.Node, head: str) -> Iterator[tree_sitter.Node]:
    for n in preorder(node):
        if n.type in ("identifier", "type_identifier") and n.text == head.encode():
            yield n


def type_sites(source: bytes, family: tuple[Binding, ...], head: str) -> tuple[Site, ...]:
    """Every place that names `head` for the family: their declarations, and the calls of `head`'s
    associated functions (`Rc::clone(&h)`, `Rc::strong_count(&h)`) with one of them as argument."""
    found: dict[int, Site] = {}
    for b in family:
        decl = declaration_of(source, b)
        for n in _named(decl, head) if decl is not None else ():
            s = _path_site(n)
            found.setdefault(s.start, s)
    for n in preorder(parse(source).root_node):
        if n.type != "call_expression":
            continue
        fn, args = n.child_by_field_name("function"), n.child_by_field_name("arguments")
        path = fn.child_by_field_name("path") if fn is not None and fn.type == "scoped_identifier" else None
        if path is None or args is None or not (path.text or b"").endswith(head.encode()):
            continue
        if any(i.type == "identifier" and _bound_to(source, i, family) for i in preorder(args)):
            for m in _named(path, head):
                s = _path_site(m)
                found.setdefault(s.start, s)
    return tuple(found[k] for k in sorted(found))


def receiver_calls(
    source: bytes, family: tuple[Binding, ...], methods: tuple[str, ...]
) -> tuple[tuple[str, Range], ...]:
    """`(method, the name and argument list after the dot)` for each call `h.method()` on the family."""
    out: list[tuple[str, Range]] = []
    for n in preorder(parse(source).root_node):
        fn = n.child_by_field_name("function") if n.type == "call_expression" else None
        if fn is None or fn.type != "field_expression":
            continue
        field, recv = fn.child_by_field_name("field"), fn.child_by_field_name("value")
        name = (field.text or b"").decode() if field is not None else ""
        if (
            name in methods
            and recv is not None
            and recv.type == "identifier"
            and _bound_to(source, recv, family)
        ):
            assert field is not None
            out.append(
                (name, Range(start=field.start_byte, end=n.end_byte, line=n.start_point[0] + 1, text=""))
            )
    return tuple(out)


def use_sites(source: bytes, name: str) -> tuple[UseSite, ...]:
    """The plain `use a::b::Name;` items of the file that import `name`."""
    out: list[UseSite] = []
    for n in preorder(parse(source).root_node):
        if n.type != "use_declaration":
            continue
        arg = n.child_by_field_name("argument")
        if arg is not None and arg.type == "scoped_identifier":
            last = arg.child_by_field_name("name")
            if last is not None and last.text == name.encode():
                out.append(UseSite(range=_range(n), path=(arg.text or b"").decode()))
        elif arg is not None and arg.type == "scoped_use_list":
            prefix, items = arg.child_by_field_name("path"), arg.child_by_field_name("list")
            if prefix is None or prefix.text != b"std" or items is None:
                continue
            for item in items.named_children:
                last = item.child_by_field_name("name") if item.type == "scoped_identifier" else None
                if last is not None and last.text == name.encode():
                    path = f"std::{(item.text or b'').decode()}"
                    out.append(UseSite(range=_range(item), path=path, in_std_group=True))
    return tuple(out)


def imports(source: bytes, name: str) -> bool:
    """Whether some `use` of the file brings `name` in (`use std::sync::{mpsc, Arc};` too)."""
    for n in preorder(parse(source).root_node):
        if n.type == "use_declaration" and any(
            i.type == "identifier" and i.text == name.encode() for i in preorder(n)
        ):
            return True
    return False


def named_outside(source: bytes, name: str, sites: tuple[Site, ...]) -> bool:
    """Whether the file names `name` anywhere but in `sites` and its `use` items."""
    covered = [(s.start, s.end) for s in sites]
    for n in preorder(parse(source).root_node):
        if n.type not in ("identifier", "type_identifier") or n.text != name.encode():
            continue
        if any(a.type == "use_declaration" for a in ancestors(n)):
            continue
        if not any(a <= n.start_byte and n.end_byte <= b for a, b in covered):
            return True
    return False


def first_use_end(source: bytes) -> int | None:
    """The end of the file's first `use` item, where another `use` may follow; None without one."""
    for n in parse(source).root_node.named_children:
        if n.type == "use_declaration":
            return n.end_byte
    return None
