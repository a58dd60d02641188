"""A field changed through a shared `&self` receiver (E0596 "cannot borrow `self.memo` as mutable, as
it is behind a `&` reference", E0594 "cannot assign to `self.hits`, ..."): keep the field in a
`Cell` (a `Copy` value) or a `RefCell` (any other), so the method changes it through `&self`.

rustc's only help is `&mut self`, which changes the method's signature (and a trait's, when the
method implements one) and fails wherever the receiver is also borrowed while the field changes
(a closure over `self` in the same expression: E0500), or wherever callers hold only a `&`. The
general mistake this answers: a cache, a counter or a memo table that a read-only method fills as a
side effect. The struct's declaration, its constructors (struct expressions of the type) and every
use of the field are found through the syntax tree: the declared type is wrapped, each constructor
wraps its value in `new`, a use at rustc's span (or an assignment, a `&mut`) goes through
`borrow_mut`/`set`, any other read through `borrow`/`get`. Two structs of the crate with a field of
that name, a generic impl, or a use this cannot rewrite (the field moved out by value) give no
candidate. The sandbox check decides whether it compiles, and the crate's tests whether no borrow
overlaps at run time. Pure.
"""

from __future__ import annotations

import re

import tree_sitter

from engine.repair.template_kit import Reader, _make, primary_source
from engine.repair.types import Candidate, Edit
from engine.syntax.tree import ancestors, node_at, parse, preorder
from toolbelt.types import Diagnostic

FAMILY = "field-cell"
_THROUGH_REF = re.compile(
    r"^cannot (?:borrow|assign to) `self\.(\w+)`(?: as mutable)?,? (?:as it is|which is) behind a `&` reference"
)
_COPY_TYPES = frozenset("u8 u16 u32 u64 u128 usize i8 i16 i32 i64 i128 isize f32 f64 bool char".split())
_ASSIGNS = ("assignment_expression", "compound_assignment_expr")


def _text(node) -> str:  # noqa: ANN001 - a tree_sitter.Node
    return (node.text or b"").decode("utf-8", "replace") if node is not None else ""


def _shared_self_impl(node) -> str | None:  # noqa: ANN001
    """The name of the (non-generic) type whose method holds `node`, when that method takes `&self`."""
    fn = next((a for a in ancestors(node) if a.type == "function_item"), None)
    impl = next((a for a in ancestors(node) if a.type == "impl_item"), None)
    params = fn.child_by_field_name("parameters") if fn is not None else None
    recv = next((c for c in params.named_children if c.type == "self_parameter"), None) if params else None
    if impl is None or recv is None or impl.child_by_field_name("type_parameters") is not None:
        return None
    if not _text(recv).startswith("&") or any(c.type == "mutable_specifier" for c in recv.children):
        return None
    ty = impl.child_by_field_name("type")
    return _text(ty) if ty is not None and ty.type == "type_identifier" else None


def _declarations(trees: dict[str, tree_sitter.Node], field: str) -> list[tuple[str, str, tree_sitter.Node]]:
    """Every `(file, struct name, field_declaration)` of the crate that declares `field`."""
    out = []
    for file, root in trees.items():
        for n in preorder(root):
            if n.type != "struct_item":
                continue
            body = n.child_by_field_name("body")
            for d in body.named_children if body is not None else []:
                if d.type == "field_declaration" and _text(d.child_by_field_name("name")) == field:
                    out.append((file, _text(n.child_by_field_name("name")), d))
    return out


def _constructor_edits(file: str, root, owner: str, field: str, wrapper: str) -> list[Edit]:  # noqa: ANN001
    """`Owner { field: v }` -> `Owner { field: W::new(v) }`; the shorthand `Owner { field }` too."""
    edits = []
    for n in preorder(root):
        if n.type != "struct_expression" or _text(n.child_by_field_name("name")) not in (owner, "Self"):
            continue
        body = n.child_by_field_name("body")
        for init in body.named_children if body is not None else []:
            if init.type == "field_initializer" and _text(init.child_by_field_name("field")) == field:
                v = init.child_by_field_name("value")
                if v is not None:
                    edits += [
                        Edit(file=file, start=v.start_byte, end=v.start_byte, replacement=f"{wrapper}::new("),
                        Edit(file=file, start=v.end_byte, end=v.end_byte, replacement=")"),
                    ]
            elif init.type == "shorthand_field_initializer" and _text(init) == field:
                edits.append(
                    Edit(
                        file=file,
                        start=init.start_byte,
                        end=init.end_byte,
                        replacement=f"{field}: {wrapper}::new({field})",
                    )
                )
    return edits


def _called(use) -> str:  # noqa: ANN001
    """The method called on `x.field` (`insert` in `self.memo.insert(..)`), or ""."""
    parent = use.parent
    if parent is None or parent.type != "field_expression" or parent.parent is None:
        return ""
    return _text(parent.child_by_field_name("field")) if parent.parent.type == "call_expression" else ""


def _exclusive(use) -> bool:  # noqa: ANN001
    """`self.field` in a method whose receiver is `&mut self`: the cell is reached exclusively, so
    `get_mut` gives the value with no run-time check (what compiled before keeps compiling)."""
    if _text(use.child_by_field_name("value")) != "self":
        return False
    fn = next((a for a in ancestors(use) if a.type in ("function_item", "closure_expression")), None)
    params = fn.child_by_field_name("parameters") if fn is not None and fn.type == "function_item" else None
    recv = next((c for c in params.named_children if c.type == "self_parameter"), None) if params else None
    return (
        recv is not None and any(c.type == "mutable_specifier" for c in recv.children) and "&" in _text(recv)
    )


def _use_edit(use, file: str, copy: bool, at_error: bool) -> Edit | None:  # noqa: ANN001
    """The edit for one `x.field`; None when this use cannot go through the cell. `at_error`: the
    use changes the value (rustc's span, or the same method called there)."""
    parent, text = use.parent, _text(use)
    if parent is not None and parent.type in _ASSIGNS and parent.child_by_field_name("left") == use:
        right = _text(parent.child_by_field_name("right"))
        if parent.type == "assignment_expression":
            new = f"{text}.set({right})" if copy else f"*{text}.borrow_mut() = {right}"
        else:
            op = _text(parent.child_by_field_name("operator")).removesuffix("=")
            new = f"{text}.set({text}.get() {op} {right})" if copy else f"*{text}.borrow_mut() {op}= {right}"
        return Edit(file=file, start=parent.start_byte, end=parent.end_byte, replacement=new)
    if parent is not None and parent.type == "reference_expression":
        if copy:
            return None
        mutable = any(c.type == "mutable_specifier" for c in parent.children)
        new = f"&mut *{text}.borrow_mut()" if mutable else f"&*{text}.borrow()"
        return Edit(file=file, start=parent.start_byte, end=parent.end_byte, replacement=new)
    if copy:
        return Edit(file=file, start=use.end_byte, end=use.end_byte, replacement=".get()")
    if parent is None or parent.type not in ("field_expression", "index_expression"):
        return None  # moved or read by value: a `RefCell`'s contents cannot leave it in place
    if parent.type == "index_expression" and parent.parent is not None and parent.parent.type in _ASSIGNS:
        at_error = at_error or parent.parent.child_by_field_name("left") == parent
    call = ".borrow_mut()" if at_error else ".get_mut()" if _exclusive(use) else ".borrow()"
    return Edit(file=file, start=use.end_byte, end=use.end_byte, replacement=call)


def _overlap(edits: list[Edit]) -> bool:
    """Whether an edit falls inside a range another edit replaces (an insertion at either end is not)."""
    for a in (e for e in edits if e.start != e.end):
        for b in edits:
            if b is not a and b.file == a.file:
                if a.start < b.start < a.end or (b.start == a.start and b.end != b.start):
                    return True
    return False


def field_cell(d: Diagnostic, read: Reader, crate_files: tuple[str, ...]) -> list[Candidate]:
    m = _THROUGH_REF.match(d.message)
    opened = primary_source(d, read)
    if m is None or opened is None:
        return []
    prim, source = opened
    field = m.group(1)
    owner = _shared_self_impl(node_at(source, prim.byte_start, prim.byte_end))
    if owner is None:
        return []
    trees = {f: parse(data).root_node for f in crate_files if f.endswith(".rs") and (data := read(f))}
    trees[prim.file_name] = parse(source).root_node
    decls = _declarations(trees, field)
    if len(decls) != 1 or decls[0][1] != owner:
        return []  # another struct's field of that name: its uses could not be told apart
    decl_file, _, decl = decls[0]
    ty = decl.child_by_field_name("type")
    if ty is None:
        return []
    copy = _text(ty) in _COPY_TYPES
    wrapper = "std::cell::Cell" if copy else "std::cell::RefCell"
    edits = [
        Edit(file=decl_file, start=ty.start_byte, end=ty.end_byte, replacement=f"{wrapper}<{_text(ty)}>")
    ]
    at = node_at(source, prim.byte_start, prim.byte_end)
    changers = {_called(at)} - {""} if at.type == "field_expression" else set()  # the method that changes it
    built = 0
    for file, root in trees.items():
        made = _constructor_edits(file, root, owner, field, wrapper)
        built += len(made)
        edits += made
        for n in preorder(root):
            if n.type == "identifier" and n.parent is not None and n.parent.type == "token_tree":
                prev = n.prev_sibling  # `x.field` among a macro's tokens (`format!("{}", self.n)`)
                if _text(n) == field and prev is not None and _text(prev) == ".":
                    read_call = ".get()" if copy else ".borrow()"
                    edits.append(Edit(file=file, start=n.end_byte, end=n.end_byte, replacement=read_call))
                continue
            if n.type != "field_expression" or _text(n.child_by_field_name("field")) != field:
                continue
            at_error = file == prim.file_name and n.start_byte <= prim.byte_start < n.end_byte
            e = _use_edit(n, file, copy, at_error or (_called(n) in changers and not _exclusive(n)))
            if e is None:
                return []
            edits.append(e)
    if not built:
        return []  # no constructor found: the wrapped field would not be built anywhere
    if _overlap(edits):
        return []  # a use inside an assignment's right side: rewritten twice
    cost = (
        f"; `{owner}` is then no longer `Sync` (it cannot be shared between threads)"
        if copy
        else f"; each access is checked at run time (a `borrow_mut` while a borrow is live panics), and `{owner}` is then no longer `Sync`"
    )
    if any(c.type == "visibility_modifier" for c in decl.children):
        cost += f"; `{field}` is a public field, so its new type is an API change"
    what = (
        f"keep `{field}` in a `std::cell::Cell` and change it with `set`, so `&self` may change it"
        if copy
        else f"keep `{field}` in a `std::cell::RefCell` and change it through `borrow_mut`, so `&self` may change it"
    ) + cost
    return [_make(edits, what, FAMILY, d.code_str or "E0596", 0.6)]
