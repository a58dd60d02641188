"""A method call that borrows all of `self` while one field is borrowed (E0499/E0502): the call inlined.

The general mistake: inside a loop over (or a borrow of) `self.a`, calling `self.note(..)`, a
`&mut self` method whose body only touches `self.b`. The borrow checker sees the signature, not the
body: the call borrows all of `self`, `self.a` included. Written at the call site, the body borrows
the field alone, and fields borrow apart. So the call becomes a block with the arguments bound to
the parameter names and the method's body after them:

    self.note(format!(..));   ->   { let line = format!(..); self.b.push(line); };

Offered only when the syntax tree shows one method of that name in the file, with a `self`
receiver, plain parameter names and no `return`, and when every `self` in its body is a field
(`self.b`, never `self` alone or a method call on it) other than the field rustc's first borrow
holds. Pure; the sandbox says whether it compiles and the crate's tests still pass.
"""

from __future__ import annotations

import re

import tree_sitter

from engine.repair.template_kit import Reader, _make
from engine.repair.types import Candidate, Edit
from engine.syntax.tree import ancestors, node_at, node_text, parse, preorder
from toolbelt.types import Diagnostic

CODES = ("E0499", "E0502")
_FIRST = re.compile(r"^(?:first|immutable|mutable) (?:mutable )?borrow")
_FIELD = re.compile(r"^\s*&?\s*(?:mut\s+)?self\.(\w+)")


def _self_call(node: tree_sitter.Node) -> tuple[tree_sitter.Node, str] | None:
    """The `self.name(..)` call at or around rustc's span, and the method's name."""
    for n in (node, *ancestors(node)):
        if n.type != "call_expression":
            continue
        fn = n.child_by_field_name("function")
        if (
            fn is not None
            and fn.type == "field_expression"
            and node_text(fn.child_by_field_name("value")) == "self"
        ):
            return n, node_text(fn.child_by_field_name("field"))
        return None
    return None


def _method(root: tree_sitter.Node, name: str) -> tree_sitter.Node | None:
    """The one method of that name with a `self` receiver in the file; None when there are several."""
    found = []
    for n in preorder(root):
        if n.type != "function_item" or node_text(n.child_by_field_name("name")) != name:
            continue
        params = n.child_by_field_name("parameters")
        if params is not None and any(c.type == "self_parameter" for c in params.named_children):
            found.append(n)
    return found[0] if len(found) == 1 else None


def _fields_only(body: tree_sitter.Node) -> set[str] | None:
    """The fields of `self` the body touches; None when it uses `self` any other way, or returns."""
    fields: set[str] = set()
    for n in preorder(body):
        if n.type in ("return_expression", "macro_invocation") and "self" in node_text(n):
            return None
        if n.type == "return_expression":
            return None
        if n.type != "self":
            continue
        p = n.parent
        if p is None or p.type != "field_expression" or p.child_by_field_name("value") != n:
            return None
        gp = p.parent
        if gp is not None and gp.type == "call_expression" and gp.child_by_field_name("function") == p:
            return None  # `self.other_method(..)`: that call borrows all of `self` again
        fields.add(node_text(p.child_by_field_name("field")))
    return fields


def _held_field(d: Diagnostic, source: bytes) -> str | None:
    """The field of `self` rustc's first borrow holds (`self.subs.iter_mut()` -> `subs`)."""
    for s in d.spans:
        if s.is_primary or s.file_name != (d.primary.file_name if d.primary else None):
            continue
        if _FIRST.match(s.label or ""):
            m = _FIELD.match(source[s.byte_start : s.byte_end].decode("utf-8", "replace"))
            return m[1] if m else None
    return None


def inline_field_method(d: Diagnostic, read: Reader) -> list[Candidate]:
    p = d.primary
    if p is None or d.code_str not in CODES:
        return []
    source = read(p.file_name)
    if source is None:
        return []
    held = _held_field(d, source)
    found = _self_call(node_at(source, p.byte_start, p.byte_end))
    if held is None or found is None:
        return []
    call, name = found
    method = _method(parse(source).root_node, name)
    if method is None or method.child_by_field_name("type_parameters") is not None:
        return []
    body = method.child_by_field_name("body")
    fields = _fields_only(body) if body is not None else None
    if not fields or held in fields:
        return []  # the body needs the held field too, or touches no field: inlining frees nothing
    params = [c for c in method.child_by_field_name("parameters").named_children if c.type == "parameter"]  # type: ignore[union-attr]
    names = [node_text(c.child_by_field_name("pattern")) for c in params]
    args_node = call.child_by_field_name("arguments")
    args = [node_text(a) for a in args_node.named_children] if args_node is not None else []
    if len(args) != len(names) or not all(re.fullmatch(r"\w+", n) and n != "self" for n in names):
        return []
    lets = "".join(f"let {n} = {a}; " for n, a in zip(names, args, strict=True))
    inner = " ".join(node_text(body).strip()[1:-1].split())
    code = f"{{ {lets}{inner} }}"
    edit = Edit(file=p.file_name, start=call.start_byte, end=call.end_byte, replacement=code)
    touched = ", ".join(f"`self.{f}`" for f in sorted(fields))
    what = (
        f"inline `self.{name}(..)`: its body touches only {touched}, which borrows apart from "
        f"`self.{held}`; the call borrows all of `self`"
    )
    inline = _make([edit], what, "inline-field-method", d.code_str or "", 0.85)
    removal = _unused_after(source, p.file_name, method, name)
    if removal is None:
        return [inline]
    gone = _make(
        [edit, removal],
        what + f"; `{name}` had no other caller, so it goes",
        "inline-field-method",
        d.code_str or "",
        0.9,
    )
    return [gone, inline]


def _unused_after(source: bytes, file: str, method: tree_sitter.Node, name: str) -> Edit | None:
    """Removing the method when this was its only call in the file and it is not `pub` (inlining it
    would leave dead code behind); the sandbox says whether another module still calls it."""
    if any(c.type == "visibility_modifier" for c in method.children):
        return None
    calls = 0
    for n in preorder(parse(source).root_node):
        fn = n.child_by_field_name("function") if n.type == "call_expression" else None
        if fn is not None and fn.type in ("field_expression", "scoped_identifier"):
            calls += node_text(fn.child_by_field_name("field") or fn.child_by_field_name("name")) == name
    if calls != 1:
        return None
    start = source.rfind(b"\n", 0, method.start_byte) + 1
    while True:  # its doc comments and attributes go with it
        prev = source.rfind(b"\n", 0, max(start - 1, 0)) + 1
        line = source[prev:start].strip()
        if start == 0 or not (line.startswith(b"///") or line.startswith(b"#[")):
            break
        start = prev
    end = source.find(b"\n", method.end_byte)
    end = len(source) if end < 0 else end + 1
    if source[end:].startswith(b"\n") or source[end:].lstrip(b" \t").startswith(b"\n"):
        end = source.find(b"\n", end) + 1  # the blank line that separated it
    return Edit(file=file, start=start, end=end, replacement="")
