"""A closure that must own what it captures captures a borrow of a local instead (E0373, E0597).

The general mistake: `let r = owned.as_str();` (or `&owned`, `&owned[..]`, `owned.as_slice()`)
taken before a closure that may outlive the function (`thread::spawn(|| .. r ..)`). rustc suggests
`move`, which moves `r`, a borrow, into the closure: the borrow still points at a local of the
function, so rustc then reports that `owned` does not live long enough (E0597, which rustc gives
alone where the borrow is `Copy` and the closure needs no `move` to take it). The way out is to
move the owned value and take the borrow inside the closure: `move`, the `let` moved into the
closure's body as its first statement. Offered only where the syntax shows `r` bound by a `let`
whose value borrows a plain local or parameter, and `r` used nowhere but in that closure; the
sandbox judges the rest (`owned` used after the closure makes the `move` fail, and it is dropped).
Pure.
"""

from __future__ import annotations

import re

from engine.facts.parse import facts_of
from engine.repair.template_kit import Reader, _make
from engine.repair.types import Candidate, Edit
from engine.syntax.captures import closure_at
from engine.syntax.tree import ancestors, binding_of, declaration_of, node_at, node_text, preorder
from toolbelt.types import Diagnostic

FAMILY = "rebind-capture"


def _borrowed_local(value) -> str | None:  # noqa: ANN001 - a tree_sitter.Node
    """The local a `let` value borrows: `&x`, `&x[..]`, `&mut x`, or a call without arguments on
    it (`x.as_str()`); None for anything else (a call with arguments may borrow from those)."""
    node = value
    if node.type == "reference_expression":
        node = node.child_by_field_name("value")
    elif node.type == "call_expression":
        fn, args = node.child_by_field_name("function"), node.child_by_field_name("arguments")
        if fn is None or fn.type != "field_expression" or args is None or args.named_child_count:
            return None
        node = fn.child_by_field_name("value")
    else:
        return None
    while node is not None and node.type == "index_expression":
        node = node.named_children[0] if node.named_children else None
    return node_text(node) if node is not None and node.type == "identifier" else None


def _mentions(text: bytes, name: str) -> bool:
    """`name` as a whole word in `text`: an identifier, or a format string's inline `{name}`, which
    the syntax tree keeps inside a string literal."""
    return re.search(rb"\b" + re.escape(name.encode()) + rb"\b", text) is not None


def _target(d: Diagnostic, source: bytes):  # noqa: ANN202 - (closure, fn, name) nodes and str, or None
    """The closure and the borrow it captures. E0373 names the borrow and points at the closure.
    E0597 points into the `let` of the borrow (`salutation` in `let head = salutation.as_str();`):
    the closure is the one in the span of rustc's `'static` requirement that uses the `let`'s name."""
    prim = d.primary
    if prim is None:
        return None
    if d.code_str == "E0373":
        found, name = closure_at(source, prim.byte_start, prim.byte_end), facts_of(d).captured_borrow
        return (*found, name) if found is not None and name else None
    node = node_at(source, prim.byte_start, prim.byte_end)
    decl = next((a for a in ancestors(node) if a.type == "let_declaration"), None)
    pattern = decl.child_by_field_name("pattern") if decl is not None else None
    if decl is None or pattern is None or pattern.type != "identifier":
        return None
    name = node_text(pattern)
    for sp in d.spans:
        if sp.is_primary or sp.file_name != prim.file_name or sp.byte_start < decl.end_byte:
            continue
        at = node_at(source, sp.byte_start, sp.byte_end)
        for n in preorder(at):
            if n.type == "closure_expression" and _mentions(n.text or b"", name):
                found = closure_at(source, n.start_byte, n.start_byte)
                return (*found, name) if found is not None else None
    return None


def rebind_capture(d: Diagnostic, read: Reader) -> list[Candidate]:
    prim = d.primary
    source = read(prim.file_name) if prim is not None else None
    found = _target(d, source) if prim is not None and source else None
    if prim is None or source is None or found is None:
        return []
    closure, fn, name = found
    body = closure.child_by_field_name("body")
    b = binding_of(source, name, closure.start_byte)
    decl = declaration_of(source, b) if b is not None and b.kind == "let" else None
    if body is None or decl is None or decl.type != "let_declaration" or decl.start_byte < fn.start_byte:
        return []
    pattern, value = decl.child_by_field_name("pattern"), decl.child_by_field_name("value")
    owned = _borrowed_local(value) if pattern is not None and pattern.type == "identifier" else None
    if owned is None or owned == name or (closure.text or b"").startswith(b"move"):
        return []
    rest = source[decl.end_byte : closure.start_byte] + source[closure.end_byte : fn.end_byte]
    if _mentions(rest, name):
        return []  # `r` is used outside the closure too: moving its `let` would take it from there
    f, stmt = prim.file_name, node_text(decl)
    line = source.rfind(b"\n", 0, decl.start_byte) + 1
    end = source.find(b"\n", decl.end_byte)
    whole_line = not source[line : decl.start_byte].strip() and not source[decl.end_byte : end].strip()
    cut = Edit(file=f, start=line, end=end + 1, replacement="") if whole_line and end >= 0 else None
    if cut is None:
        cut = Edit(file=f, start=decl.start_byte, end=decl.end_byte, replacement="")
    cline = source.rfind(b"\n", 0, closure.start_byte) + 1
    indent = re.match(rb"[ \t]*", source[cline:]).group(0).decode()  # type: ignore[union-attr]
    if body.type == "block":
        into = Edit(
            file=f, start=body.start_byte + 1, end=body.start_byte + 1, replacement=f"\n{indent}    {stmt}"
        )
        edits = [
            cut,
            Edit(file=f, start=closure.start_byte, end=closure.start_byte, replacement="move "),
            into,
        ]
    else:
        edits = [
            cut,
            Edit(file=f, start=closure.start_byte, end=closure.start_byte, replacement="move "),
            Edit(file=f, start=body.start_byte, end=body.start_byte, replacement="{ " + stmt + " "),
            Edit(file=f, start=body.end_byte, end=body.end_byte, replacement=" }"),
        ]
    what = (
        f"move `{owned}` into the closure and take `{name}` from it there: `move` alone would move "
        f"`{name}`, a borrow of `{owned}`, which cannot outlive the function"
    )
    return [_make(edits, what, FAMILY, d.code_str or "E0373", 0.74)]
