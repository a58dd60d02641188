"""Lifetimes a signature leaves to Rust's defaults, where the default, not the body, is the mistake.

Two shapes, both found through the syntax tree and the crate's own items, never through one name:

- An elided output tied to the receiver: `fn next(&mut self) -> Option<&str>` in `impl<'a> Lexer<'a>`
  whose body slices a field written `&'a str`. Elision gives the result the lifetime of `&mut self`,
  so every result keeps the whole value mutably borrowed and two calls conflict (E0499/E0502), and a
  local value's results cannot be returned (E0515), though the data lives for `'a`.
- A trait object written without a lifetime: `Box<dyn Fn(&Event)>` means `Box<dyn Fn(&Event) +
  'static>` (rustc's note "due to object lifetime defaults"), so a closure that borrows a local is
  refused (E0597/E0503) though nothing is kept past the local's scope. The type is written in the
  crate's own parameter (or `let`) the closure is passed to; its struct fields repeat it.

Pure: bytes in, positions out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import tree_sitter

from engine.syntax.tree import ancestors, names_in, node_at, node_text, parse, preorder

Sources = Iterable[tuple[str, bytes]]  # (crate-relative path, bytes) of each .rs file of the crate


@dataclass(frozen=True)
class Written:
    """A piece of a type the user wrote: where it is and its text."""

    file: str
    start: int
    end: int
    line: int
    column: int
    text: str


def _written(file: str, n: tree_sitter.Node) -> Written:
    return Written(
        file=file,
        start=n.start_byte,
        end=n.end_byte,
        line=n.start_point[0] + 1,
        column=n.start_point[1] + 1,
        text=node_text(n),
    )


@dataclass(frozen=True)
class ElidedOutput:
    """A method whose returned borrow elision ties to its receiver while its type holds `&'a` data."""

    method: str
    owner: str  # the type the impl is for: `Lexer`
    lifetime: str  # the impl's name for the field's lifetime: `'a`
    field: str  # the `&'a` field the body reads: `input`
    returns: Written  # the written return type: `Option<&str>`
    holes: tuple[int, ...]  # byte offsets right after each elided `&` of the return type


def method_called_on(source: bytes, start: int, end: int) -> str | None:
    """`next_token` for a span on the receiver `lx` of `lx.next_token(..)` (rustc marks the receiver
    as the borrow), or for a span on the whole call."""
    node = node_at(source, start, end)
    for n in (node, *ancestors(node)):
        if n.type == "field_expression" and n.parent is not None and n.parent.type == "call_expression":
            value = n.child_by_field_name("value")
            on_receiver = value is not None and value.start_byte <= start and end <= value.end_byte
            if on_receiver or n.parent.start_byte == start:
                return node_text(n.child_by_field_name("field")) or None
        if n.type in ("block", "let_declaration", "expression_statement", "arguments"):
            return None
    return None


def _lifetimes(params: tree_sitter.Node | None) -> list[str]:
    """The lifetime names in a `<..>` list, in order: `['a]` for `<'a, T>` and for `<'a>` arguments."""
    if params is None:
        return []
    out = []
    for c in params.named_children:
        lt = c if c.type == "lifetime" else next((x for x in c.named_children if x.type == "lifetime"), None)
        if lt is not None:
            out.append(node_text(lt))
    return out


def _type_name(n: tree_sitter.Node | None) -> str:
    if n is None:
        return ""
    if n.type == "generic_type":
        return node_text(n.child_by_field_name("type"))
    return node_text(n)


def _borrowed_fields(sources: list[tuple[str, bytes]], owner: str) -> list[tuple[str, int]]:
    """(field, index of its lifetime among the struct's lifetime parameters) for each `&'x` field."""
    for _path, source in sources:
        for n in preorder(parse(source).root_node):
            if n.type != "struct_item" or node_text(n.child_by_field_name("name")) != owner:
                continue
            names = _lifetimes(n.child_by_field_name("type_parameters"))
            body = n.child_by_field_name("body")
            out = []
            for f in body.named_children if body is not None else ():
                ty = f.child_by_field_name("type")
                lt = (
                    next((c for c in ty.named_children if c.type == "lifetime"), None)
                    if ty is not None
                    else None
                )
                if (
                    f.type == "field_declaration"
                    and ty is not None
                    and ty.type == "reference_type"
                    and lt is not None
                ):
                    if node_text(lt) in names:
                        out.append((node_text(f.child_by_field_name("name")), names.index(node_text(lt))))
            return out
    return []


def _elided_refs(ret: tree_sitter.Node) -> list[tree_sitter.Node]:
    """The `&` of each reference in a return type that names no lifetime, outside `Fn(..)` arguments."""
    out = []
    for n in preorder(ret):
        if n.type != "reference_type" or any(
            a.type == "function_type"
            for a in ancestors(n)
            if a.end_byte <= ret.end_byte and a.start_byte >= ret.start_byte
        ):
            continue
        if (
            not any(c.type == "lifetime" for c in n.named_children)
            and n.children
            and n.children[0].type == "&"
        ):
            out.append(n.children[0])
    return out


def elided_self_output(sources: Sources, method: str) -> tuple[str, ElidedOutput] | None:
    """The crate's method `method` (file, shape) when its receiver is `&self`/`&mut self` with no
    lifetime, its return type elides a reference, its impl names a lifetime that a `&'a` field of the
    type carries, and the body reads that field: the result can live for that lifetime, yet elision
    ties it to the receiver."""
    files = list(sources)
    for path, source in files:
        for impl in preorder(parse(source).root_node):
            if impl.type != "impl_item" or impl.child_by_field_name("trait") is not None:
                continue
            ty = impl.child_by_field_name("type")
            owner = _type_name(ty)
            args = (
                _lifetimes(ty.child_by_field_name("type_arguments"))
                if ty is not None and ty.type == "generic_type"
                else []
            )
            body = impl.child_by_field_name("body")
            for fn in body.named_children if body is not None and args else ():
                if fn.type != "function_item" or node_text(fn.child_by_field_name("name")) != method:
                    continue
                found = _elided_method(path, fn, owner, args, files)
                if found is not None:
                    return path, found
    return None


def _elided_method(
    path: str, fn: tree_sitter.Node, owner: str, args: list[str], files: list[tuple[str, bytes]]
) -> ElidedOutput | None:
    params = fn.child_by_field_name("parameters")
    ret = fn.child_by_field_name("return_type")
    receiver = params.named_children[0] if params is not None and params.named_children else None
    if receiver is None or receiver.type != "self_parameter" or ret is None:
        return None
    if (
        not receiver.children
        or receiver.children[0].type != "&"
        or any(c.type == "lifetime" for c in receiver.named_children)
    ):
        return None  # `self` by value, or `&'x self`: elision is not what ties the result
    holes = _elided_refs(ret)
    block = fn.child_by_field_name("body")
    for field, index in _borrowed_fields(files, owner):
        if (
            index < len(args)
            and args[index] != "'_"
            and holes
            and block is not None
            and _returns_from(block, field)
        ):
            return ElidedOutput(
                method=node_text(fn.child_by_field_name("name")),
                owner=owner,
                lifetime=args[index],
                field=field,
                returns=_written(path, ret),
                holes=tuple(h.end_byte for h in holes),
            )
    return None


def _returned(block: tree_sitter.Node) -> list[tree_sitter.Node]:
    """The expressions a fn body returns: its tail expression and each `return` value."""
    out = [n.named_children[0] for n in preorder(block) if n.type == "return_expression" and n.named_children]
    tail = block.named_children[-1] if block.named_children else None
    if tail is not None and tail.type not in ("let_declaration", "expression_statement"):
        out.append(tail)
    elif tail is not None and tail.type == "expression_statement" and tail.named_children:
        last = tail.named_children[0]  # `if .. { .. } else { .. }` as the last statement
        if last.type in ("if_expression", "match_expression", "block") and node_text(tail)[-1:] != ";":
            out.append(last)
    return out


def _returns_from(block: tree_sitter.Node, field: str) -> bool:
    """A returned value is made from `self.field`: directly, or through the `let` bindings it names
    (`let rest = &self.input[..]; ..; Some(&rest[..end])`), followed back to a fixed point."""
    lets = [
        (names_in(p), init)
        for n in preorder(block)
        if n.type == "let_declaration"
        and (p := n.child_by_field_name("pattern")) is not None
        and (init := n.child_by_field_name("value")) is not None
    ]
    seen: list[tree_sitter.Node] = _returned(block)
    wanted: set[str] = set()
    for e in seen:
        wanted |= names_in(e)
    taken = {(e.start_byte, e.end_byte) for e in seen}
    grew = True
    while grew:
        grew = False
        for names, init in lets:
            if names & wanted and (init.start_byte, init.end_byte) not in taken:
                taken.add((init.start_byte, init.end_byte))
                seen.append(init)
                wanted |= names_in(init)
                grew = True
    target = f"self.{field}"
    return any(n.type == "field_expression" and node_text(n) == target for e in seen for n in preorder(e))


def _bare_objects(ty: tree_sitter.Node) -> list[tree_sitter.Node]:
    """The `dyn Trait` types inside `ty` that name no lifetime and sit behind no `&`: each one means
    `dyn Trait + 'static` (behind `&'x` the default is `'x`)."""
    out = []
    for n in preorder(ty):
        if n.type != "dynamic_type":
            continue
        up = [a for a in ancestors(n) if a.start_byte >= ty.start_byte and a.end_byte <= ty.end_byte]
        if n.parent is not None and n.parent.type == "bounded_type":
            continue  # `dyn Fn() + 'a` names its lifetime
        if any(a.type == "reference_type" for a in up):
            continue
        out.append(n)
    return out


def _callee(call: tree_sitter.Node) -> tuple[str, bool]:
    """The called name and whether it is a method call (`x.on(..)`), from a call_expression."""
    f = call.child_by_field_name("function")
    if f is not None and f.type == "field_expression":
        return node_text(f.child_by_field_name("field")), True
    if f is not None and f.type == "scoped_identifier":
        return node_text(f.child_by_field_name("name")), False
    return node_text(f), False


def _param_types(
    files: list[tuple[str, bytes]], name: str, method: bool, index: int
) -> list[tuple[str, tree_sitter.Node]]:
    """The written type of the `index`-th argument's parameter of each crate fn named `name`."""
    out = []
    for path, source in files:
        for fn in preorder(parse(source).root_node):
            if fn.type != "function_item" or node_text(fn.child_by_field_name("name")) != name:
                continue
            params = [
                p
                for p in (fn.child_by_field_name("parameters") or fn).named_children
                if p.type in ("parameter", "self_parameter")
            ]
            if method and (not params or params[0].type != "self_parameter"):
                continue
            params = [p for p in params if p.type == "parameter"]
            ty = params[index].child_by_field_name("type") if index < len(params) else None
            if ty is not None:
                out.append((path, ty))
    return out


def object_default_site(
    sources: Sources, file: str, start: int, end: int
) -> tuple[Written, tuple[Written, ...]] | None:
    """Where the `dyn` type that a value at [start, end) of `file` is coerced to is written without a
    lifetime: the crate's parameter the value (or the expression holding it) is passed to, or the
    `let` type it is bound to; with every other place of the crate that writes the same type bare
    (the struct fields that store it). None when the type is not written in the crate."""
    files = list(sources)
    source = dict(files).get(file)
    if source is None or end > len(source):
        return None
    node = node_at(source, start, end)
    site: Written | None = None
    for n in (node, *ancestors(node)):
        parent = n.parent
        if n.type == "arguments" and parent is not None and parent.type == "call_expression":
            name, method = _callee(parent)
            arg = next((a for a in n.named_children if a.start_byte <= start and end <= a.end_byte), None)
            if arg is None:
                continue
            index = [a.id for a in n.named_children].index(arg.id)
            for path, ty in _param_types(files, name, method, index):
                bare = _bare_objects(ty)
                if bare:
                    site = _written(path, bare[0])
                    break
        elif n.type == "let_declaration" and (annotated := n.child_by_field_name("type")) is not None:
            bare = _bare_objects(annotated)
            site = _written(file, bare[0]) if bare else None
        if site is not None or n.type == "function_item":
            break
        if n.type == "closure_expression" and n.start_byte != start:
            break  # the value is inside a closure body: that closure is not what is coerced
    if site is None:
        return None
    same = []
    for path, src in files:
        for n in preorder(parse(src).root_node):
            if (
                n.type == "dynamic_type"
                and node_text(n) == site.text
                and (path, n.start_byte) != (site.file, site.start)
            ):
                holder = n.parent
                if (
                    holder is not None
                    and holder.type != "bounded_type"
                    and not any(
                        a.type == "reference_type"
                        for a in ancestors(n)
                        if a.type != "source_file" and a.start_byte >= _item_start(n)
                    )
                ):
                    same.append(_written(path, n))
    return site, tuple(same)


def _item_start(n: tree_sitter.Node) -> int:
    """Where the item (field, parameter, let) holding `n` starts: a `&` above that is another type's."""
    for a in ancestors(n):
        if a.type in ("field_declaration", "parameter", "let_declaration", "type_item"):
            return a.start_byte
    return 0
