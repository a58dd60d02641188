"""Pair mode's Why line for a closure that borrows a local and outlives the function (E0373).

Why: rustc says the closure "may outlive the current function" and proposes `move`; it does not say
where the closure goes that makes it outlive the frame, nor what `move` costs for the variable (a
copy, or a move that takes it from the function), nor which other capture `move` cannot make
`'static`. The line reads rustc's spans and notes, and the syntax tree: the variable's written type
(its annotation, or that of the value it is bound from), the call the closure is passed to, the uses
after the closure, the closure's other captures. No fact, no clause; no destination, no line.
"""

from __future__ import annotations

import re
from pathlib import Path

from engine.explain.signature_roots import OUTLIVE_STATIC
from engine.facts.parse import facts_of
from engine.syntax.tree import ancestors, binding_of, let_initializer, node_at, node_text, preorder
from toolbelt.diagnostics import in_user_crate
from toolbelt.span_source import span_source as _source
from toolbelt.types import Diagnostic

_RETURNED_NOTE = "closure is returned here"
_COPY = re.compile(
    r"^(?:[iu](?:8|16|32|64|128|size)|f32|f64|bool|char|&(?:'\w+\s+(?!mut\b)|(?!mut\b|'))[^&\s].*|\(\))$"
)
_OWNING = re.compile(
    r"^(?:String|Vec<.*>|Box<.*>|HashMap<.*>|HashSet<.*>|BTreeMap<.*>|VecDeque<.*>|&(?:'\w+\s+)?mut\b.*)$"
)
# std constructors whose result type is fixed by std itself
_MADE = (
    (re.compile(r"^String::(?:from|new|with_capacity)\("), "String"),
    (re.compile(r"^format!"), "String"),
    (re.compile(r"^\"(?:[^\"\\]|\\.)*\"\.(?:to_string|to_owned)\(\)$"), "String"),
    (re.compile(r"^\"(?:[^\"\\]|\\.)*\"$"), "&'static str"),
)


def closure_outlives(diag: Diagnostic, crate_root: str | Path) -> str | None:
    """E0373: the general mistake is a closure that uses a local by reference (the default capture)
    and is handed somewhere that keeps it past the function's return: a call whose parameter must
    be `'static` (`thread::spawn`), or the function's own return value. The line names the
    variable, where the closure goes (rustc's note, the callee read at its span), what `move` does
    with the variable from its written type (a copy for a `Copy` type; a move for an owning one,
    with the function's later use of it when there is one), and, for a `'static` destination, a
    captured borrowed parameter that `move` would only copy as a reference, which is no more
    `'static` than before."""
    name = facts_of(diag).captured_borrow
    prim = diag.primary
    at = next((s for s in diag.spans if s.label == f"`{name}` is borrowed here"), None) if name else None
    if name is None or prim is None or at is None or not in_user_crate(prim.file_name):
        return None
    source = _source(crate_root, prim)
    if source is None:
        return None
    marked = node_at(source, prim.byte_start, prim.byte_end)  # rustc marks the outliving closure's `||`
    closure = next((a for a in (marked, *ancestors(marked)) if a.type == "closure_expression"), None)
    fn = next((a for a in ancestors(closure) if a.type == "function_item"), None) if closure else None
    if closure is None or fn is None:
        return None
    fn_name = node_text(fn.child_by_field_name("name"))
    notes = {c.message: c for c in diag.children}
    line = closure.start_point[0] + 1
    bound = binding_of(source, name, at.byte_start)
    whose = "a parameter of" if bound is not None and bound.kind == "param" else "a local of"
    if OUTLIVE_STATIC in notes and notes[OUTLIVE_STATIC].spans:
        call = notes[OUTLIVE_STATIC].spans[0]
        callee = source[call.byte_start : call.byte_end].split(b"(", 1)[0].decode("utf-8", "replace").strip()
        if not re.fullmatch(r"[\w:]+", callee):
            return None
        goes = (
            f"The closure at line {line} is passed to `{callee}`, whose argument must be `'static` (rustc's "
            f"note): it may run after `{fn_name}` returns, so it cannot hold a borrow of `{name}`, {whose} "
            f"`{fn_name}`"
        )
        static = True
    elif _RETURNED_NOTE in notes:
        goes = (
            f"The closure at line {line} is returned from `{fn_name}`, so it lives on after the call, and "
            f"with it its borrow of `{name}`, {whose} `{fn_name}`"
        )
        static = False
    else:
        return None
    parts = [goes + "."]
    ty = _written_type(source, name, at.byte_start)
    own = _borrowed_params(source, closure, fn, "")
    if static and any(p == name for p, _ in own):
        # a reference parameter is `Copy`, but its copy borrows what the caller lent: still not `'static`
        parts.append(
            f"`{name}` is a `{ty}` parameter: `move` copies the reference, and the copy still borrows from "
            f"`{fn_name}`'s caller, so it is no more `'static` than before and `move` does not end this error."
        )
    elif ty is not None and _COPY.match(ty):
        parts.append(
            f"`{name}` is a `{ty}`, which is `Copy`: `move` gives the closure its own copy, and `{fn_name}` "
            f"keeps `{name}`."
        )
    elif ty is not None and _OWNING.match(ty):
        later = _used_after(fn, closure, name)
        tail = f"; it does at line {later}: clone it into the closure first" if later else " (it does not)"
        parts.append(
            f"`{name}` is a `{ty}`, not `Copy`: `move` moves it into the closure, so `{fn_name}` cannot use "
            f"it afterwards{tail}."
        )
    if static:
        borrowed = _borrowed_params(source, closure, fn, name)
        if borrowed:
            p, pty = borrowed[0]
            parts.append(
                f"The closure also uses `{p}`, a `{pty}` parameter: `move` copies that reference, which "
                f"borrows from `{fn_name}`'s caller and is not `'static` either."
            )
    return " ".join(parts)


def move_keeps_caller_borrow(diag: Diagnostic, crate_root: str | Path) -> bool:
    """Whether `move` on the closure rustc marks still leaves it borrowing from the caller: the
    closure goes where `'static` is required (rustc's note) and uses a parameter of a non-`'static`
    reference type (syntax layer). The general mistake this prevents is offering `move` as the way
    out for any `Copy` capture: a copied `&str` parameter is still a borrow of the caller's data,
    and rustc answers `move` with E0521 (borrowed data escapes). Unknown (no closure, no note): no."""
    prim = diag.primary
    if (
        prim is None
        or not in_user_crate(prim.file_name)
        or OUTLIVE_STATIC not in {c.message for c in diag.children}
    ):
        return False
    source = _source(crate_root, prim)
    if source is None:
        return False
    marked = node_at(source, prim.byte_start, prim.byte_end)
    closure = next((a for a in (marked, *ancestors(marked)) if a.type == "closure_expression"), None)
    fn = next((a for a in ancestors(closure) if a.type == "function_item"), None) if closure else None
    return closure is not None and fn is not None and bool(_borrowed_params(source, closure, fn, ""))


def _written_type(source: bytes, name: str, at: int, depth: int = 0) -> str | None:
    """The type written for `name` in scope at `at`: its annotation, else, for a `let` bound from
    another local or parameter, that one's, or a std constructor's fixed result (`String::from`)."""
    b = binding_of(source, name, at)
    if b is None or depth > 4:
        return None
    if b.type_text:
        return " ".join(b.type_text.split())
    if b.kind != "let":
        return None
    init = let_initializer(source, name, at)
    if init is None:
        return None
    value = source[init.start : init.end].decode("utf-8", "replace").strip()
    if re.fullmatch(r"[A-Za-z_]\w*", value):
        return _written_type(source, value, b.range.start, depth + 1)
    if re.fullmatch(r"\d[\d_]*(?:u8|u16|u32|u64|u128|usize|i8|i16|i32|i64|i128|isize)", value):
        return re.search(r"[ui]\d+|[ui]size", value).group(0)  # type: ignore[union-attr]
    return next((t for rx, t in _MADE if rx.match(value)), None)


def _used_after(fn, closure, name: str) -> int | None:  # noqa: ANN001 - tree_sitter.Node
    """The line of the function's first use of `name` after the closure ends, if any."""
    for n in preorder(fn):
        if n.start_byte >= closure.end_byte and n.type == "identifier" and node_text(n) == name:
            return n.start_point[0] + 1
    return None


def _borrowed_params(source: bytes, closure, fn, skip: str) -> list[tuple[str, str]]:  # noqa: ANN001
    """The function's parameters of a written `&` type (not `&'static`) the closure's body uses."""
    out: list[tuple[str, str]] = []
    for n in preorder(closure):
        if n.type != "identifier" or (text := node_text(n)) == skip or any(text == p for p, _ in out):
            continue
        b = binding_of(source, text, n.start_byte)
        if b is None or b.kind != "param" or not (fn.start_byte <= b.range.start < fn.end_byte):
            continue
        ty = " ".join((b.type_text or "").split())
        if ty.startswith("&") and not ty.startswith("&'static"):
            out.append((text, ty))
    return out
