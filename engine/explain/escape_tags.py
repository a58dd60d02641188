"""Tags about where a borrow or a closure goes after rustc's span, read from rustc's spans and the
syntax layer, for ways out that are possible only in one case.

- `thread_spawn`: a thread is in the story. `std::thread::scope` is a way out only for a thread; a
  closure handed to an iterator adapter (`find_map(|n| ..)`) or returned runs on no other thread.
- `spawn_per_element`: a span of rustc's covers a `spawn(..)` call that runs once per element of an
  iteration borrowing its collection (engine/syntax/spawn_sites.py): only there does "iterate by
  value, `into_iter` instead of `iter`" move each element into its own thread.
- `borrow_outlives_block` (E0716): the borrow of a temporary is still needed after the block that
  holds the temporary's statement ends, so "give the value a name" (a `let` in that block) fails
  with E0597: the name dies with the block too. The general mistake: naming a temporary whose
  borrow is kept by something made before the block (`idx.insert(label, pos)` in a loop, `idx`
  declared before it) or used after it. A method holds its argument only when its signature says
  so: the parameter's type names a lifetime of the impl (`fn insert(&mut self, label: &'a str)` in
  `impl<'a> LabelIndex<'a>`) or of the `self` parameter; `fn count(&self, label: &str)` only reads
  it, so a name in the block is enough there. A method this file does not define (`Vec::push`) is
  taken to hold it, as a collection's insert does. `self` holds it only when its impl names a
  lifetime or a generic parameter: a call through the `self` of `impl Pantry` (`self.stock.get(key)`
  in a closure) keeps nothing past the block (review O, o13).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from toolbelt.types import Diagnostic

if TYPE_CHECKING:
    import tree_sitter

_SPAWN_CALL = re.compile(rb"\bspawn\s*\(")


def escape_tags(diag: Diagnostic, source: bytes) -> tuple[set[str], dict[str, str]]:
    """(tags, placeholder values) for the diagnostic: see the module docstring."""
    tags: set[str] = set()
    vals: dict[str, str] = {}
    if names_spawn(diag, source):
        tags.add("thread_spawn")
        if _spawn_per_element(diag, source):
            tags.add("spawn_per_element")
    if diag.code_str == "E0716" and (holder := held_past_block(diag, source)) is not None:
        tags.add("borrow_outlives_block")
        vals["binding"] = holder
    return tags, vals


def names_spawn(diag: Diagnostic, source: bytes) -> bool:
    """A thread is in the story: a span of rustc's (its own or a note's) covers a `spawn(..)` call, or
    the closure it blames is spawn's argument."""
    prim = diag.primary
    if prim is None:
        return False
    from engine.syntax import story_shapes as ss

    if ss.closure_to_spawn(source, prim.byte_start, prim.byte_end):
        return True
    return any(
        _SPAWN_CALL.search(source[s.byte_start : s.byte_end]) is not None
        for node in (diag, *diag.children)
        for s in node.spans
        if s.file_name == prim.file_name and s.byte_end <= len(source)
    )


def _spawn_per_element(diag: Diagnostic, source: bytes) -> bool:
    from engine.syntax.spawn_sites import spawn_per_borrowed_element

    prim = diag.primary
    return prim is not None and any(
        spawn_per_borrowed_element(source, s.byte_start, s.byte_end)
        for node in (diag, *diag.children)
        for s in node.spans
        if s.file_name == prim.file_name
        and s.byte_end <= len(source)
        and _SPAWN_CALL.search(source[s.byte_start : s.byte_end]) is not None
    )


def held_past_block(diag: Diagnostic, source: bytes) -> str | None:
    """What keeps the borrow past the block a `let` for the temporary would go in (the innermost
    block holding rustc's primary span): the place rustc labels "borrow later used here" when that
    use is after the block, or the receiver of the method the borrow is handed to at that use when
    the receiver was declared before the block (or is `self`). None when the use is inside the
    block and goes to nothing older than it: there a name in the block lives long enough."""
    from engine.syntax.tree import ancestors, binding_of, block_statement, node_at, node_text

    prim = diag.primary
    later = next((s for s in diag.spans if s.label and "later used" in s.label), None)
    if prim is None or later is None or later.file_name != prim.file_name:
        return None
    if max(prim.byte_end, later.byte_end) > len(source):
        return None
    stmt = block_statement(node_at(source, prim.byte_start, prim.byte_end))
    block = stmt.parent if stmt is not None else None
    if block is None:
        return None
    use = node_at(source, later.byte_start, later.byte_end)
    if not (block.start_byte <= later.byte_start and later.byte_end <= block.end_byte):
        return (use.text or b"").decode("utf-8", "replace").strip() or None
    for a in ancestors(use):
        if a.start_byte < block.start_byte:
            break
        if a.type != "arguments" or a.parent is None or a.parent.type != "call_expression":
            continue
        callee = a.parent.child_by_field_name("function")
        if callee is None or callee.type != "field_expression":
            continue
        root = callee.child_by_field_name("value")
        while root is not None and root.type in ("field_expression", "reference_expression"):
            root = root.child_by_field_name("value")
        name = (root.text or b"").decode("utf-8", "replace") if root is not None else ""
        if root is not None and root.type == "self":
            if not _self_may_hold_borrows(root):
                continue  # `self`'s type has no lifetime: none of its fields can keep this borrow
        elif root is None or root.type != "identifier":
            continue
        else:
            b = binding_of(source, name, root.start_byte)
            if b is None or b.range.start >= block.start_byte:
                continue
        arg = next(
            (i for i, c in enumerate(a.named_children) if c.start_byte <= use.start_byte < c.end_byte), -1
        )
        method = node_text(callee.child_by_field_name("field"))
        if keeps_argument(source, method, arg) is False:
            continue  # the method only reads the borrow: it does not keep it past the call
        return name
    return None


def _self_may_hold_borrows(self_node: tree_sitter.Node) -> bool:
    """Whether the `self` of the method around `self_node` can keep a reference at all: its impl
    names a lifetime or a generic parameter (`impl<'a> Tally<'a>`, `impl<T> Ring<T>`). A type with
    neither (`impl Pantry`) holds only owned or `'static` data, so a call through `self`
    (`self.stock.get(key)`) cannot keep a borrow of a temporary past the block, and a name given
    to the temporary in that block is enough."""
    from engine.syntax.tree import ancestors, node_text

    impl = next((a for a in ancestors(self_node) if a.type == "impl_item"), None)
    if impl is None:
        return True  # a trait's default method: what `Self` holds is not written here
    generics = node_text(impl.child_by_field_name("type_parameters"))
    return bool(generics.strip()) or "'" in node_text(impl.child_by_field_name("type"))


_LIFETIME = re.compile(r"'([A-Za-z_]\w*)")


def keeps_argument(source: bytes, method: str, index: int) -> bool | None:
    """Whether the method `method` defined in this file keeps its `index`-th argument (self not
    counted) in the value it is called on: the parameter's type names a lifetime the impl declares
    or the `self` parameter carries. None when the file defines no such method, or its definitions
    disagree: then nothing is known from the signature."""
    from engine.syntax.tree import ancestors, node_text, parse, preorder

    answers = set()
    for fn in preorder(parse(source).root_node):
        if fn.type != "function_item" or node_text(fn.child_by_field_name("name")) != method:
            continue
        impl = next((a for a in ancestors(fn) if a.type == "impl_item"), None)
        params = fn.child_by_field_name("parameters")
        if impl is None or params is None:
            continue
        plain = [p for p in params.named_children if p.type == "parameter"]
        selfs = [p for p in params.named_children if p.type == "self_parameter"]
        if not selfs or not 0 <= index < len(plain):
            continue
        typ = node_text(plain[index].child_by_field_name("type"))
        if re.search(r"\bimpl\b|\bdyn\b", typ) or not typ.startswith("&"):
            return None  # a generic or owned parameter: whether it keeps a borrow is not written here
        outer = set(_LIFETIME.findall(node_text(impl.child_by_field_name("type_parameters"))))
        outer |= set(_LIFETIME.findall(node_text(selfs[0])))
        named = set(_LIFETIME.findall(typ))
        answers.add(bool(named & (outer - {"_"})) or "static" in named)
    return answers.pop() if len(answers) == 1 else None
