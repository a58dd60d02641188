"""The syntax shape at rustc's primary span, as tags a KB variant can ask for (`shape = "binary_rhs"`).

Why tags and not regexes: "this `u32` was expected because it is the right operand of `+`" is a fact
about the tree around the span, not about rustc's words. The file is read once per story; a span
outside the user's crate, or a file that is gone, has no tags.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from engine.explain.loop_shapes import index_loop_tags, loop_move_tags
from toolbelt.diagnostics import in_user_crate
from toolbelt.span_source import span_source
from toolbelt.types import Diagnostic, Span

if TYPE_CHECKING:
    from engine.syntax.types import FnSig


def _primary_source(diag: Diagnostic, crate_root: str | Path) -> tuple[Span, bytes] | None:
    """rustc's primary span in the user's crate and its file's bytes, when the span is not empty and
    lies within them: the shapes below read the syntax there, and a span past the end (the file
    changed since the check) has none."""
    prim = diag.primary
    if prim is None or not in_user_crate(prim.file_name) or prim.byte_start >= prim.byte_end:
        return None
    source = span_source(crate_root, prim)
    return (prim, source) if source is not None else None


def at_primary(diag: Diagnostic, crate_root: str | Path) -> tuple[frozenset[str], dict[str, str]]:
    """(tags, extra placeholder values) for the diagnostic's primary span."""
    opened = _primary_source(diag, crate_root)
    if opened is None:
        return frozenset(), {}
    prim, source = opened
    from engine.syntax.tree import enclosing, shape

    s = shape(source, prim.byte_start, prim.byte_end)
    tags: set[str] = set()
    vals: dict[str, str] = {}
    if s.operator and s.operand_side:
        tags.add(f"binary_{'rhs' if s.operand_side == 'right' else 'lhs'}")
        vals["operator"] = s.operator
    for flag, tag in (
        (s.for_iterable, "for_iterable"),
        (s.tail_expression, "tail_expression"),
        (s.await_on, "await_on"),
        (s.in_closure is not None, "in_closure"),
        (s.in_pattern, "in_pattern"),
    ):
        if flag:
            tags.add(tag)
    if enclosing(source, prim.byte_start, prim.byte_end, ("struct_item", "enum_item", "union_item")):
        tags.add("in_type_def")
    if (impl := enclosing(source, prim.byte_start, prim.byte_end, ("impl_item",))) is not None:
        if b"{" not in source[impl[1].start : prim.byte_start]:
            tags.add("impl_header")  # the span is in `impl<..> Trait for Type<..>`, before the body
    if enclosing(source, prim.byte_start, prim.byte_end, ("async_block",)) is not None or (
        s.enclosing_fn is not None and s.enclosing_fn.is_async
    ):
        tags.add("in_async")
    elif s.enclosing_fn is not None and s.in_closure is None:
        tags.add("in_sync_fn")  # `.await` is impossible here: only an executor can run a future
    if feeds_question(source, prim.byte_start, prim.byte_end):
        tags.add("feeds_question")
    tags.update(_way_out_tags(diag, source, prim.byte_start, prim.byte_end))
    if _handle_escapes(s.enclosing_fn, s.tail_expression, source[prim.byte_start : prim.byte_end]):
        tags.add("handle_escapes")
    from engine.explain.escape_tags import escape_tags

    esc_tags, esc_vals = escape_tags(diag, source)  # a thread named; a borrow kept past its block
    tags.update(esc_tags)
    vals.update(esc_vals)
    if diag.code_str == "E0499":
        from engine.syntax.story_shapes import equal_keys_call

        spans = [(sp.byte_start, sp.byte_end) for sp in diag.spans if sp.file_name == prim.file_name]
        if (call := equal_keys_call(source, spans)) is not None:
            # a call passes one key twice: the story names it. In plain words, not a quoted snippet:
            # the call is often far from rustc's spans, where the evidence check looks
            tags.add("keys_equal_at_call")
            vals["equal_call"] = f"the call at {prim.file_name}:{call[0]}, {call[1]},"
    tags.update(_static_tags(diag, source))
    arc_tags, arc_vals = arc_inner_tags(diag)
    tags.update(arc_tags)
    vals.update(arc_vals)
    if diag.code_str == "E0106":
        from engine.syntax.owned_local import tail_root_local

        if (local := tail_root_local(source, prim.byte_start)) is not None:
            tags.add("returns_local_borrow")  # no lifetime can fix it: the result borrows a local
            vals["binding"] = local
    from engine.explain import rootsyntax
    from engine.explain.rootsyntax import cloned_reference, none_comparison, shared_ref_from_method

    if (param := rootsyntax.unbounded_type_parameter(diag, crate_root)) is not None:
        tags.add("bound_on_type_parameter")  # the fix is a bound where it is declared: vals["param"]
        vals["param"] = param[2]
    if cloned_reference(diag, crate_root) is not None:
        tags.add("clones_reference")
        if (cloned := rootsyntax.cloned_parameter(diag, crate_root)) is not None:
            tags.add("bound_on_type_parameter")  # no definition to derive on: the bound is the fix
            vals["param"] = cloned
    if (shared := shared_ref_from_method(diag, crate_root)) is not None:
        tags.add("ref_from_shared_method")
        vals.update(binding=shared[2].binding, method=shared[2].method, sibling=shared[2].sibling)
    if diag.code_str == "E0621":
        from engine.syntax.option_shapes import returned, stored_in_self

        start, end = prim.byte_start, prim.byte_end
        if stored_in_self(source, start, end) and not returned(source, start, end):
            tags.add("stores_reference")
    if diag.code_str == "E0616" and (way := _pub_way_in(diag, crate_root, "assign_target" in tags)):
        tags.add(way[0])  # the type's own `pub` method that writes (or returns) the private field
        vals.update(method=way[1], op=way[2])
    if (similar := similar_binding_at(diag, source)) is not None:
        tags.add("similar_binding")
        vals["similar"] = similar
    if (cmp := none_comparison(diag, crate_root)) is not None:
        tags.add("compares_with_none")
        vals["operand"] = cmp[1]
    from engine.syntax.literal_values import written_value

    if diag.code_str == "E0308" and written_value(source, prim.byte_start, prim.byte_end):
        tags.add("written_value")  # `None`, `0`, `Vec::new()`: nothing in it may be missing or unwrap
    from engine.explain.signature_roots import signature_tags

    sig_tags, sig_vals = signature_tags(diag, crate_root)  # a defaulted lifetime in a written type
    tags.update(sig_tags)
    vals.update(sig_vals)
    tags.update(index_loop_tags(diag, source, vals))
    tags.update(loop_move_tags(diag, source))
    if diag.code_str == "E0382" and (call := _discarded_self_call(diag, crate_root)) is not None:
        tags.add("discarded_self_result")  # `b.m(..);` drops the `Self` that `m(self)` returned
        vals["method"] = call.method
    if diag.code_str == "E0515" and (dies := _local_drop_point(diag, source)) is not None:
        vals["dies"] = dies
    if diag.code_str == "E0515" and (copied := _copied_local(diag, source)) is not None:
        tags.add("local_copies_input")  # `let best = xs[0];`: the result can borrow `xs` itself
        vals.update(place=copied.place, param=copied.input, made=f"{prim.file_name}:{copied.line}")
    guard = _guard_temporary(diag, source) if diag.code_str in ("E0515", "E0716") else None
    if guard is not None:
        tags.add("temporary_is_guard")  # the data is the caller's; the guard is what dies
        vals.update(guard=guard[0], place=guard[1], method=guard[2])
    elif diag.code_str == "E0515":
        from engine.explain.preconditions import holds

        new_content = holds("not_empty_temporary", diag, crate_root, vals)
        if new_content and not holds("temporary_copies_input", diag, crate_root, vals):
            tags.add("temporary_builds_new")  # `&format!(..)`: content no input holds
    return frozenset(tags), vals


def _discarded_self_call(diag: Diagnostic, crate_root: str | Path):  # noqa: ANN202 - a DiscardedCall
    from engine.explain.options import _reader
    from engine.repair.rebind import discarded_self_call

    return discarded_self_call(diag, _reader(Path(crate_root), {}), signed=True)


def _guard_temporary(diag: Diagnostic, source: bytes) -> tuple[str, str, str] | None:
    """The temporary rustc marks, when it is a lock or cell guard (engine/syntax/guards.py): what a
    returned borrow cannot outlive is then the guard, not content the function built (E0515), and a
    name given to it holds the lock to the end of the block (E0716)."""
    from engine.syntax.guards import guard_temporary
    from toolbelt.diagnostics import temporary_spans

    prim = diag.primary
    temps = [t for t in temporary_spans(diag) if prim is not None and t.file_name == prim.file_name]
    if diag.code_str == "E0716" and prim is not None:
        temps = [prim]  # E0716's primary span is the temporary ("creates a temporary value ...")
    return guard_temporary(source, temps[0].byte_start, temps[0].byte_end) if temps and source else None


_LOCAL_REFERENCED = re.compile(r"referencing local (?:variable|data) `(\w+)`")


def _copied_local(diag: Diagnostic, source: bytes):  # noqa: ANN202 - a CopiedLocal or None
    """The local rustc says the result references, when its `let` reads a place out of a borrowed
    parameter (engine/syntax/copied_locals.py)."""
    m = re.search(r"(?:referencing|reference to) local (?:variable|data) `(\w+)`", diag.message)
    prim = diag.primary
    if m is None or prim is None:
        return None
    from engine.syntax.copied_locals import copied_from_input

    return copied_from_input(source, m.group(1), prim.byte_start)


def _local_drop_point(diag: Diagnostic, source: bytes) -> str | None:
    """`{dies}`: when the local rustc names ("referencing local variable `lower`") is dropped, read
    from the innermost block that declares it at the borrow rustc marks (engine/syntax/scopes.py):
    a local of a loop body dies at the end of each iteration, not when the function returns."""
    m = _LOCAL_REFERENCED.search(diag.message)
    if m is None:
        return None
    at = next((sp for sp in diag.spans if (sp.label or "").endswith("is borrowed here")), diag.primary)
    if at is None or at.byte_end > len(source):
        return None
    from engine.syntax.scopes import drop_point

    return drop_point(source, m.group(1), at.byte_start)


_CALL_THEN_Q = re.compile(rb"\s*(?:::\s*<[^;{}]*?>\s*)?\(")


def feeds_question(source: bytes, start: int, end: int) -> bool:
    """The span is a `?`, or names a call whose result goes straight into `?` (`parse` in
    `s.parse()?`, `s.parse::<u16>()?`): an error rustc reports there about the error type (E0271
    `<u16 as FromStr>::Err == ConfigError`, E0277 `From<..>`) is `?`'s conversion failing."""
    if source[start:end] == b"?":
        return True
    m = _CALL_THEN_Q.match(source, end)
    if m is None:
        return False
    depth, i = 1, m.end()
    while i < len(source) and depth:
        depth += (source[i : i + 1] == b"(") - (source[i : i + 1] == b")")
        i += 1
    return depth == 0 and source[i : i + 1] == b"?"


_UNRESOLVED_VALUE = re.compile(r"^cannot find value `(\w+)` in this scope")


def similar_binding_at(diag: Diagnostic, source: bytes) -> str | None:
    """E0425 on a value: a binding in scope at the use, spelled almost like the missing name, where
    rustc's own help names no similar item (then its help, and the entry's "fix the spelling", serve)."""
    m = _UNRESOLVED_VALUE.match(diag.message)
    prim = diag.primary
    if diag.code_str != "E0425" or m is None or prim is None:
        return None
    from engine.facts.parse import facts_of

    if facts_of(diag).similar_name_help:
        return None
    from engine.syntax.option_shapes import similar_binding

    return similar_binding(source, m.group(1), prim.byte_start)


def _handle_escapes(fn: FnSig | None, tail: bool, text: bytes) -> bool:
    """The thread outlives the function: the function returns its `JoinHandle` (in its signature,
    or the spawn call is its tail), so a `std::thread::scope` inside it cannot hold the thread."""
    if fn is None:
        return False
    if fn.return_type is not None and "JoinHandle" in fn.return_type:
        return True
    return tail and b"spawn(" in text


# the types std has a stable atomic for (`std::sync::atomic::AtomicU64` for `u64`)
_ATOMIC_TYPES = frozenset("bool u8 u16 u32 u64 usize i8 i16 i32 i64 isize".split())


def _static_tags(diag: Diagnostic, source: bytes) -> set[str]:
    """`static_atomic_type` / `static_other_type`: rustc says a `static` item cannot be written to
    (or borrowed as mutable), and its declared type has a std atomic, or has not."""
    from engine.syntax.origins import static_type

    prim = diag.primary
    for s in diag.spans:
        if not (s.label or "").startswith("this `static` cannot") or prim is None:
            continue
        if s.file_name != prim.file_name or s.byte_end > len(source):
            continue
        typ = static_type(source, s.byte_start, s.byte_end)
        if typ is not None:
            return {"static_atomic_type" if typ in _ATOMIC_TYPES else "static_other_type"}
    return set()


_ARC_WRITE = re.compile(r"data in an `Arc`")
_ARC_TYPE = re.compile(r"not implemented for `(?:std::sync::)?Arc<(.+)>`")


def arc_inner_tags(diag: Diagnostic) -> tuple[set[str], dict[str, str]]:
    """`arc_atomic_type` / `arc_other_type`: rustc says the code writes to (or borrows as mutable) the
    data in an `Arc`, and its help names the `Arc`'s type (`DerefMut` "is not implemented for
    `Arc<u64>`"): an integer or `bool` inside has a std atomic (vals["atomic"]), anything else needs
    a lock. An `Arc` gives every clone shared access, so no `&mut` or parameter change can help."""
    if _ARC_WRITE.search(diag.message) is None:
        return set(), {}
    for c in diag.children:
        if (m := _ARC_TYPE.search(c.message)) is not None:
            inner = m.group(1).strip()
            if inner in _ATOMIC_TYPES:
                return {"arc_atomic_type"}, {"atomic": "Atomic" + inner.capitalize()}
            return {"arc_other_type"}, {}
    return set(), {}


_PRIVATE_FIELD = re.compile(r"field `(\w+)` of (?:struct|union) `(?:[\w:]+::)?(\w+)(?:<[^`]*)?` is private")


def _pub_way_in(diag: Diagnostic, crate_root: str | Path, write: bool) -> tuple[str, str, str] | None:
    """("pub_writer" or "pub_reader", the method, its operator) for a private field the type already
    reaches through a `pub` method (`engine.syntax.field_methods`): the story names it where a
    patch cannot be written (the method changes the field another way than the line does)."""
    from engine.syntax.field_methods import readers, writers

    m = _PRIVATE_FIELD.search(diag.message)
    if m is None:
        return None
    field, type_name = m.group(1), m.group(2)
    root = Path(crate_root)
    for p in sorted(root.rglob("*.rs"))[:400]:
        if {"target", ".rusta", ".git"} & set(p.relative_to(root).parts):
            continue
        try:
            data = p.read_bytes()
        except OSError:
            continue
        if f"struct {type_name}".encode() not in data:
            continue
        if write and (ws := writers(data, type_name, field)):
            return "pub_writer", ws[0].name, ws[0].op
        if not write and (rs := [r for r in readers(data, type_name, field) if r.name != field]):
            return "pub_reader", rs[0].name, ""
    return None


def _first_assignments(diag: Diagnostic) -> list[int]:
    """Where rustc's "first assignment to `x`" label puts the binding's declaration (E0384)."""
    return [s.byte_start for s in diag.spans if (s.label or "").startswith("first assignment to")]


def _way_out_tags(diag: Diagnostic, source: bytes, start: int, end: int) -> set[str]:
    """Tags that decide whether a way out is possible here (engine/syntax/story_shapes.py)."""
    from engine.syntax import story_shapes as ss
    from engine.syntax.captures import captures_fresh_per_iteration, mutated_copy_captures

    prim = diag.primary
    others = [
        (s.byte_start, s.byte_end)
        for node in (diag, *diag.children)
        for s in node.spans
        if prim is not None and s.file_name == prim.file_name and s.byte_end <= len(source)
    ]
    tags: set[str] = set()
    # The borrow rustc says is returned ends before the conflicting use starts: it is returned on an
    # earlier path (NLL's conditional-return case). A return after the use is a real conflict.
    returned = [
        s
        for s in diag.spans
        if (s.label or "").startswith("returning this value requires")
        and prim is not None
        and s.file_name == prim.file_name
    ]
    if returned and all(s.byte_end <= start for s in returned):
        tags.add("returned_earlier")
    moved_into = [
        s
        for s in diag.spans
        if (s.label or "").startswith("value moved into closure here")
        and prim is not None
        and s.file_name == prim.file_name
        and s.byte_end <= len(source)
    ]
    if any(ss.closure_to_spawn(source, s.byte_start, s.byte_end) for s in moved_into):
        tags.add("moved_into_spawn")
    for tag, holds in (
        ("loop_over_borrow", lambda: ss.loop_over_other_borrow(source, start, end, others)),
        ("in_loop", lambda: ss.in_loop_body(source, start, end)),
        ("get_mut_twice", lambda: ss.get_mut_twice(source, start, end, others)),
        ("literal_conversion", lambda: ss.literal_conversion(source, start, end)),
        ("assign_target", lambda: ss.assigned_to(source, start, end)),
        (
            "assign_in_inner_block",
            lambda: (
                diag.code_str == "E0384"
                and any(ss.assigned_in_inner_block(source, start, end, s) for s in _first_assignments(diag))
            ),
        ),
        ("match_value_unused", lambda: ss.match_value_unused(source, start, end)),
        ("in_thread_spawn", lambda: diag.code_str == "E0521" and ss.in_thread_spawn(source, start, end)),
        ("calls_own_closure", lambda: ss.calls_own_closure(source, start, end)),
        (
            "captures_fresh",
            lambda: diag.code_str == "E0373" and captures_fresh_per_iteration(source, start, end),
        ),
        (
            "mutated_copy_capture",
            lambda: diag.code_str == "E0373" and bool(mutated_copy_captures(source, start, end)),
        ),
    ):
        if holds():
            tags.add(tag)
    if "loop_over_borrow" in tags:
        from engine.syntax.loop_iterable import iterable_indexed

        if iterable_indexed(source, start, end):
            tags.add("indexed_iterable")
    return tags


def in_trait_signature(place, crate_root: str | Path) -> bool:  # noqa: ANN001 - a facts Place or None
    """Whether `place` is in the signature of a method that implements a trait: a signature the trait
    imposes, so "change the declaration" there is no option."""
    if place is None:
        return False
    try:
        source = (Path(crate_root) / place.file).read_bytes()
    except OSError:
        return False
    from engine.syntax.tree import enclosing_fn

    sig = enclosing_fn(source, place.start, place.end)
    if sig is None or sig.in_impl_of is None:
        return False
    body_start = sig.range.text.find("{")
    return body_start < 0 or place.start < sig.range.start + len(sig.range.text[:body_start].encode())


# an unmet bound on a plain name (`T: std::fmt::Display`, `&T: ToString`), as rustc's notes list them
_PLAIN_BOUND = re.compile(r"`(?:&(?:mut )?)?([A-Za-z_]\w*): [^`]+`")


def bound_on_type_parameter(diag: Diagnostic, typ: str | None, crate_root: str | Path) -> bool:
    """Whether the type a trait is missing on (the story's type, or a plain type in an unmet bound
    rustc lists) is a generic parameter declared around rustc's primary span: the fix is a bound on
    its declaration, never a derive or an impl (the caller chooses the type)."""
    prim = diag.primary
    if prim is None or not in_user_crate(prim.file_name):
        return False
    from engine.explain.applicable import base_name

    wanted = {base_name(typ)} if typ and "<" not in typ else set()
    for node in (diag, *diag.children):
        wanted.update(m.group(1) for m in _PLAIN_BOUND.finditer(node.message))
    opened = _primary_source(diag, crate_root) if wanted else None
    if opened is None:
        return False
    prim, source = opened
    from engine.syntax.story_shapes import type_parameters_around

    return bool(wanted & type_parameters_around(source, prim.byte_start, prim.byte_end))


def impl_trait_name(diag: Diagnostic, crate_root: str | Path) -> str | None:
    """The trait of the `impl Trait for T` block rustc's primary span is in (`Iterator` for
    `impl<A> std::iter::Iterator for Merge<A>`), its last path segment without generics; None when
    the span is not in a trait impl of the user's crate."""
    opened = _primary_source(diag, crate_root)
    if opened is None:
        return None
    prim, source = opened
    from engine.syntax.tree import ancestors, node_at

    node = node_at(source, prim.byte_start, prim.byte_end)
    for n in (node, *ancestors(node)):
        if n.type == "impl_item":
            trait = n.child_by_field_name("trait")
            if trait is None or trait.text is None:
                return None
            path = trait.text.decode("utf-8", "replace").split("<", 1)[0]
            return path.rsplit("::", 1)[-1].strip() or None
    return None


def declared_type_at(place, name: str, crate_root: str | Path) -> str:  # noqa: ANN001 - a facts Place or None
    """The type the binding `name` in scope at `place` is declared with (parameter, annotation or
    struct literal, engine/syntax/declared_types.py), or "" when the code does not write it."""
    if place is None:
        return ""
    try:
        source = (Path(crate_root) / place.file).read_bytes()
    except OSError:
        return ""
    from engine.syntax.declared_types import declared_type  # the parser only for a clone option

    return declared_type(source, name, place.start) or ""
