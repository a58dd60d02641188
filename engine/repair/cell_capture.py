"""A closure that changes a captured local where an `Fn` is required (E0594/E0596 "… as it is a
captured variable in a `Fn` closure"): keep the local in a `Cell` (a `Copy` value) or a `RefCell`
(any other), so the closure changes it through a shared reference and stays `Fn`.

rustc's only help is to make the bound `FnMut` (`engine.repair.fnmut_bound`), which changes an API
and fails wherever the closure is stored as `dyn Fn` or called through `&self`. The general mistake
this answers: a counter or a flag kept in a plain local, mutated from a callback that may be called
through a shared reference. The local's `let` is found through the syntax tree (the binding in
scope at the closure); `Copy` is read from its annotation or its literal value (numbers, `bool`,
`char`), never guessed: anything else gets a `RefCell`. Every use of the binding in the function is
rewritten (`x += 1` -> `x.set(x.get() + 1)`, a read -> `x.get()`, `{x}` in a format string -> a
named argument `x = x.get()`); a use this cannot rewrite (a `&mut x`, a move out of a `RefCell`)
gives no candidate. The sandbox check decides whether it compiles. Pure.
"""

from __future__ import annotations

import re

from engine.facts.parse import facts_of
from engine.repair.template_kit import Reader, _make, primary_source
from engine.repair.types import Candidate, Edit
from engine.syntax.tree import ancestors, binding_of, node_at, preorder
from toolbelt.types import Diagnostic

FAMILY = "cell-capture"
_CAPTURED = re.compile(r"^cannot (?:assign to|borrow) `(\w+)`.*captured variable in a `Fn` closure")
_COPY_TYPES = frozenset("u8 u16 u32 u64 u128 usize i8 i16 i32 i64 i128 isize f32 f64 bool char".split())
_COPY_LITERALS = ("integer_literal", "float_literal", "boolean_literal", "char_literal", "negative_literal")
_ASSIGNS = ("assignment_expression", "compound_assignment_expr")


def _text(node) -> str:  # noqa: ANN001 - a tree_sitter.Node
    return (node.text or b"").decode("utf-8", "replace") if node is not None else ""


def _is_copy(decl) -> bool:  # noqa: ANN001 - the `let_declaration` node
    ty, value = decl.child_by_field_name("type"), decl.child_by_field_name("value")
    if ty is not None:
        return _text(ty) in _COPY_TYPES
    return value is not None and value.type in _COPY_LITERALS


def _let_edits(decl, name: str, wrapper: str, file: str) -> list[Edit] | None:  # noqa: ANN001
    value, ty = decl.child_by_field_name("value"), decl.child_by_field_name("type")
    if value is None:
        return None
    edits = [
        Edit(file=file, start=value.start_byte, end=value.start_byte, replacement=f"{wrapper}::new("),
        Edit(file=file, start=value.end_byte, end=value.end_byte, replacement=")"),
    ]
    mut = next((c for c in decl.children if c.type == "mutable_specifier"), None)
    pattern = decl.child_by_field_name("pattern")
    if mut is not None and pattern is not None:  # the binding itself no longer changes
        edits.append(Edit(file=file, start=mut.start_byte, end=pattern.start_byte, replacement=""))
    if ty is not None:
        edits.append(
            Edit(file=file, start=ty.start_byte, end=ty.end_byte, replacement=f"{wrapper}<{_text(ty)}>")
        )
    return edits


def _use_edit(ident, name: str, copy: bool, file: str) -> Edit | None | bool:  # noqa: ANN001
    """The edit for one use of the binding; None when it needs none, False when it cannot be done."""
    parent = ident.parent
    get = f"{name}.get()" if copy else f"{name}.borrow()"
    if parent is not None and parent.type in _ASSIGNS and parent.child_by_field_name("left") == ident:
        right = parent.child_by_field_name("right")
        if right is None:
            return False
        if parent.type == "assignment_expression":
            new = f"{name}.set({_text(right)})" if copy else f"*{name}.borrow_mut() = {_text(right)}"
        else:
            op = _text(parent.child_by_field_name("operator")).removesuffix("=")
            new = (
                f"{name}.set({name}.get() {op} {_text(right)})"
                if copy
                else f"*{name}.borrow_mut() {op}= {_text(right)}"
            )
        return Edit(file=file, start=parent.start_byte, end=parent.end_byte, replacement=new)
    if (
        parent is not None
        and parent.type == "reference_expression"
        and any(c.type == "mutable_specifier" for c in parent.children)
    ):
        if copy:
            return False
        return Edit(
            file=file, start=parent.start_byte, end=parent.end_byte, replacement=f"&mut *{name}.borrow_mut()"
        )
    if (
        parent is not None
        and parent.type == "field_expression"
        and parent.child_by_field_name("value") == ident
    ):
        call = parent.parent
        if call is not None and call.type == "call_expression" and not copy:  # `v.push(x)`: a method
            return Edit(
                file=file, start=ident.start_byte, end=ident.end_byte, replacement=f"{name}.borrow_mut()"
            )
        return Edit(file=file, start=ident.start_byte, end=ident.end_byte, replacement=get)
    if not copy and not (parent is not None and parent.type == "token_tree"):
        return False  # a `RefCell` value cannot be moved out or read by value in place
    return Edit(file=file, start=ident.start_byte, end=ident.end_byte, replacement=get)


def _inline_args(fn, decl, name: str, copy: bool, file: str) -> list[Edit]:  # noqa: ANN001
    """`{name}` inside a format macro's string: a named argument `name = name.get()` at the end."""
    out: list[Edit] = []
    inline = re.compile(rb"\{" + re.escape(name.encode()) + rb"(?:[:}])")
    for mac in (n for n in preorder(fn) if n.type == "macro_invocation" and n.start_byte > decl.end_byte):
        tt = next((c for c in mac.children if c.type == "token_tree"), None)
        if tt is None or not any(
            c.type == "string_literal" and inline.search(c.text or b"") for c in tt.children
        ):
            continue
        get = f"{name}.get()" if copy else f"{name}.borrow()"
        close = tt.end_byte - 1
        out.append(Edit(file=file, start=close, end=close, replacement=f", {name} = {get}"))
    return out


def _use_edits(source: bytes, fn, decl, b, name: str, copy: bool, file: str) -> list[Edit] | None:  # noqa: ANN001
    """Every later use of the binding `b` in `fn` rewritten through the cell (shadowing bindings of
    the name left alone), and the argument inlining; None when one use cannot be rewritten."""
    edits: list[Edit] = []
    for ident in preorder(fn):
        if ident.type != "identifier" or _text(ident) != name or ident.start_byte < decl.end_byte:
            continue
        if binding_of(source, name, ident.start_byte) != b:
            continue  # a shadowing binding of the same name
        e = _use_edit(ident, name, copy, file)
        if e is False:
            return None
        if isinstance(e, Edit):
            edits.append(e)
    return edits + _inline_args(fn, decl, name, copy, file)


def cell_capture(d: Diagnostic, read: Reader) -> list[Candidate]:
    m = _CAPTURED.match(d.message)
    opened = primary_source(d, read) if m is not None else None
    if m is None or opened is None:
        return []
    prim, source = opened
    name, file = m.group(1), prim.file_name
    node = node_at(source, prim.byte_start, prim.byte_end)
    closure = next((a for a in ancestors(node) if a.type == "closure_expression"), None)
    fn = next((a for a in ancestors(node) if a.type == "function_item"), None)
    b = binding_of(source, name, closure.start_byte) if closure is not None else None
    if fn is None or b is None or b.kind != "let":
        return []
    decl = next(
        (a for a in ancestors(node_at(source, b.range.start, b.range.end)) if a.type == "let_declaration"),
        None,
    )
    pattern = decl.child_by_field_name("pattern") if decl is not None else None
    if decl is None or pattern is None or pattern.type not in ("identifier", "mut_pattern"):
        return []  # `let (a, b) = ..`: no one value to wrap
    copy = _is_copy(decl)
    wrapper = "std::cell::Cell" if copy else "std::cell::RefCell"
    edits = _let_edits(decl, name, wrapper, file)
    if edits is None:
        return []
    uses = _use_edits(source, fn, decl, b, name, copy, file)
    if uses is None:
        return []
    edits += uses
    spans = sorted((e.start, e.end) for e in edits)
    if any(a[1] > b_[0] for a, b_ in zip(spans, spans[1:], strict=False)):
        return []  # a use inside an assignment's right side: rewritten twice
    what = (
        f"keep `{name}` in a `Cell` and change it with `set`, so the closure stays `Fn`"
        if copy
        else f"keep `{name}` in a `RefCell` and change it through `borrow_mut`, so the closure stays `Fn`"
    )
    return [_make(edits, what, FAMILY, d.code_str or "E0594", 0.7)]


def rc_cell_capture(d: Diagnostic, read: Reader) -> list[Candidate]:
    """E0373 on a `Copy` local the closure changes and the function reads afterwards
    (`engine.syntax.captures.mutated_copy_captures`): rustc's `move` would copy it, so the closure's
    changes would never reach the function. The local becomes an `Rc<Cell<T>>`, the closure gets its
    own handle (`{ let n = Rc::clone(&n); move || .. }`, an argument block, so no new name is made),
    and every use becomes `get`/`set`, as `cell_capture` writes them."""
    name = facts_of(d).captured_borrow  # rustc's "closure may outlive .., but it borrows `n`"
    opened = primary_source(d, read)
    if name is None or opened is None:
        return []
    prim, source = opened
    from engine.syntax.captures import closure_at, mutated_copy_captures

    file = prim.file_name
    found = closure_at(source, prim.byte_start, prim.byte_end)
    if found is None or name not in mutated_copy_captures(source, prim.byte_start, prim.byte_end):
        return []
    closure, fn = found
    b = binding_of(source, name, closure.start_byte)
    decl = (
        next(
            (
                a
                for a in ancestors(node_at(source, b.range.start, b.range.end))
                if a.type == "let_declaration"
            ),
            None,
        )
        if b is not None and b.kind == "let"
        else None
    )
    value = decl.child_by_field_name("value") if decl is not None else None
    pattern = decl.child_by_field_name("pattern") if decl is not None else None
    if decl is None or value is None or pattern is None or pattern.type not in ("identifier", "mut_pattern"):
        return []
    cell = "std::rc::Rc::new(std::cell::Cell::new("
    edits = [
        Edit(file=file, start=value.start_byte, end=value.start_byte, replacement=cell),
        Edit(file=file, start=value.end_byte, end=value.end_byte, replacement="))"),
    ]
    mut = next((c for c in decl.children if c.type == "mutable_specifier"), None)
    if mut is not None:
        edits.append(Edit(file=file, start=mut.start_byte, end=pattern.start_byte, replacement=""))
    if (ty := decl.child_by_field_name("type")) is not None:
        wrapped = f"std::rc::Rc<std::cell::Cell<{_text(ty)}>>"
        edits.append(Edit(file=file, start=ty.start_byte, end=ty.end_byte, replacement=wrapped))
    uses = _use_edits(source, fn, decl, b, name, True, file)
    if uses is None:
        return []
    edits += uses
    handle = f"{{ let {name} = std::rc::Rc::clone(&{name}); move "
    edits += [
        Edit(file=file, start=closure.start_byte, end=closure.start_byte, replacement=handle),
        Edit(file=file, start=closure.end_byte, end=closure.end_byte, replacement=" }"),
    ]
    spans = sorted((e.start, e.end) for e in edits if e.start != e.end)
    if any(a[1] > b_[0] for a, b_ in zip(spans, spans[1:], strict=False)):
        return []  # a use inside an assignment's right side: rewritten twice
    what = f"share `{name}` through `std::rc::Rc` around a `std::cell::Cell`, so the closure's changes reach the function"
    return [_make(edits, what, "rc-cell-capture", d.code_str or "E0373", 0.7)]
