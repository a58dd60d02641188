"""A `static`/`const` table written as a `Vec` (E0015: `vec!` calls non-const functions). Pure.

`static UNITS: Vec<Unit> = vec![..]` asks for a heap allocation at compile time, which Rust cannot
make; rustc's words are about `Box::new_uninit`. When the table never grows, the same elements are
a constant array, `static UNITS: [Unit; 4] = [..]`, or a slice, `&[Unit] = &[..]`, both built at
compile time and read the same way (`.iter()`, indexing, `.len()`). Only cargo can say whether each
element is const-evaluable, so both are checked fixes; but an element that calls a function or a
method by a lowercase name (`String::from("ann")`, `x.to_string()`) or a macro (`format!`) is
built at run time as far as anything here can tell, and then no "built at compile time" is offered
(a constructor, `Unit(1)`, stays): `LazyLock` is the way out for such a table, as for a table that
must be a `Vec`.
"""

from __future__ import annotations

from engine.repair.template_kit import Reader, _make
from engine.repair.types import Candidate, Edit
from engine.syntax.tree import ancestors, node_at
from toolbelt.diagnostics import primary_user_span
from toolbelt.types import Diagnostic


def _elements(tree) -> tuple[int, bool]:  # noqa: ANN001 - a token_tree node
    """(number of top-level elements, whether it is the `[x; n]` repeat form)."""
    inner = tree.children[1:-1]
    if any(c.type == ";" for c in inner):
        return 0, True
    commas = sum(1 for c in inner if c.type == ",")
    trailing = bool(inner) and inner[-1].type == ","
    return (commas + (0 if trailing else 1)) if inner else 0, False


def _runtime_call(tree) -> bool:  # noqa: ANN001 - a token_tree node
    """A call of a lowercase-named fn or method, or a macro, among the macro's tokens."""
    kids = tree.children
    for a, b in zip(kids, kids[1:], strict=False):
        name = (a.text or b"").decode("utf-8", "replace")
        if (
            a.type == "identifier"
            and name[:1].islower()
            and b.type == "token_tree"
            and (b.text or b"")[:1] == b"("
        ):
            return True
        if a.type == "identifier" and b.type == "!":
            return True
    return any(_runtime_call(c) for c in kids if c.type == "token_tree")


def static_table(d: Diagnostic, read: Reader) -> list[Candidate]:
    prim = primary_user_span(d)  # rustc points into `vec!`'s expansion; the call is the user's
    source = read(prim.file_name) if prim is not None else None
    if prim is None or source is None:
        return []
    node = node_at(source, prim.byte_start, prim.byte_end)
    item = next((a for a in (node, *ancestors(node)) if a.type in ("static_item", "const_item")), None)
    ty = item.child_by_field_name("type") if item is not None else None
    value = item.child_by_field_name("value") if item is not None else None
    if item is None or ty is None or value is None or value.type != "macro_invocation":
        return []
    macro = value.child_by_field_name("macro")
    tree = next((c for c in value.named_children if c.type == "token_tree"), None)
    if macro is None or (macro.text or b"") != b"vec" or tree is None or ty.type != "generic_type":
        return []
    if (ty.child_by_field_name("type").text or b"") != b"Vec":  # type: ignore[union-attr]
        return []
    args = ty.child_by_field_name("type_arguments")
    elem = args.named_children[0].text.decode() if args is not None and args.named_child_count == 1 else None  # type: ignore[union-attr]
    if elem is None:
        return []
    n, repeat = _elements(tree)
    if _runtime_call(tree):
        return []
    f, code = prim.file_name, d.code_str or "E0015"
    body = source[tree.start_byte + 1 : tree.end_byte - 1].decode("utf-8", "replace")
    kind = "static" if item.type == "static_item" else "const"
    out = []
    if not repeat and n > 0:
        edits = [
            Edit(file=f, start=ty.start_byte, end=ty.end_byte, replacement=f"[{elem}; {n}]"),
            Edit(file=f, start=value.start_byte, end=value.end_byte, replacement=f"[{body}]"),
        ]
        out.append(
            _make(
                edits,
                f"make it a {kind} array, `[{elem}; {n}]`, built at compile time",
                "const-array",
                code,
                0.8,
            )
        )
    edits = [
        Edit(file=f, start=ty.start_byte, end=ty.end_byte, replacement=f"&[{elem}]"),
        Edit(file=f, start=value.start_byte, end=value.end_byte, replacement=f"&[{body}]"),
    ]
    out.append(
        _make(edits, f"make it a {kind} slice, `&[{elem}]`, built at compile time", "const-slice", code, 0.78)
    )
    return out
