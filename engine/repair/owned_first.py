"""E0716 in a loop whose borrow is kept past the iteration: make the owned values before the loop.
Pure.

The general mistake: a temporary made in a `for` body (`word.to_lowercase()`) is borrowed
(`.trim_matches(..)`) into something that outlives the iteration, a holder declared before the loop
(`idx.insert(label, pos)`, `keep.push(s)`). A `let` in the body dies with the iteration (E0597), so
the owned values must live outside the loop: they are collected into a `Vec` declared before the
holder, from the loop's own iterator, and the loop walks them beside its items
(`for (pat, owned) in iter.zip(&owned_values)`), borrowing each where the temporary was. The iterator
is evaluated twice, which the sandbox checks (an iterator that consumes its source does not compile).
"""

from __future__ import annotations

import re

import tree_sitter

from engine.repair.template_kit import Reader, _make, _primary, primary_source
from engine.repair.types import Candidate, Edit
from engine.syntax.tree import ancestors, binding_of, block_statement, node_at, node_text, preorder
from toolbelt.types import Diagnostic

_ATOMIC = frozenset({"identifier", "call_expression", "field_expression", "reference_expression", "self"})


def _holder_let(source: bytes, d: Diagnostic, loop: tree_sitter.Node) -> tree_sitter.Node | None:
    """The `let` statement, in the block around the loop, of the binding whose method rustc's
    "borrow later used here" hands the borrow to (`idx` of `idx.insert(label, pos)`)."""
    later = next((s for s in d.spans if s.label and "later used" in s.label), None)
    if later is None or later.byte_end > len(source):
        return None
    use = node_at(source, later.byte_start, later.byte_end)
    for a in ancestors(use):
        f = a.child_by_field_name("function") if a.type == "call_expression" else None
        root = f.child_by_field_name("value") if f is not None and f.type == "field_expression" else None
        while root is not None and root.type in ("field_expression", "reference_expression"):
            root = root.child_by_field_name("value")
        if root is None or root.type != "identifier":
            continue
        b = binding_of(source, node_text(root), root.start_byte)
        if b is None or b.kind != "let" or b.range.start >= loop.start_byte:
            return None
        decl = node_at(source, b.range.start, b.range.end)
        return next((x for x in ancestors(decl) if x.type == "let_declaration"), None)
    return None


def _pattern_keeping(source: bytes, pat: tree_sitter.Node, used: set[str]) -> str:
    """The loop pattern's text with each name that `used` lacks written `_` (no unused binding):
    `mut x` and `ref x` become `_`, a struct shorthand `{ x }` becomes `{ x: _ }`."""
    text = source[pat.start_byte : pat.end_byte]
    cuts = []
    for n in preorder(pat):
        if n.type != "identifier" or node_text(n) in used:
            continue
        p = n.parent
        if p is not None and p.type == "field_pattern" and p.child_by_field_name("pattern") is None:
            cuts.append((n.start_byte, n.end_byte, f"{node_text(n)}: _"))
        elif p is not None and p.type in ("mut_pattern", "ref_pattern") and p.start_byte >= pat.start_byte:
            cuts.append((p.start_byte, p.end_byte, "_"))
        else:
            cuts.append((n.start_byte, n.end_byte, "_"))
    for a, b, new in sorted(set(cuts), key=lambda c: -c[0]):
        text = text[: a - pat.start_byte] + new.encode() + text[b - pat.start_byte :]
    return text.decode("utf-8", "replace")


def _names(node: tree_sitter.Node, skip: tree_sitter.Node | None = None) -> set[str]:
    return {
        node_text(n)
        for n in preorder(node)
        if n.type == "identifier"
        and not (skip is not None and skip.start_byte <= n.start_byte < skip.end_byte)
    }


def owned_before_loop(d: Diagnostic, read: Reader) -> list[Candidate]:
    opened = primary_source(d, read)
    if d.code_str != "E0716" or opened is None:
        return []
    span, source = opened
    temp = node_at(source, span.byte_start, span.byte_end)
    stmt = block_statement(temp)
    body = stmt.parent if stmt is not None else None
    loop = body.parent if body is not None else None
    if loop is None or loop.type != "for_expression" or loop.child_by_field_name("body") != body:
        return []
    pat, it = loop.child_by_field_name("pattern"), loop.child_by_field_name("value")
    outer_stmt = block_statement(loop)
    if pat is None or it is None or outer_stmt is None or body is None:
        return []
    holder = _holder_let(source, d, loop)
    at = (
        holder.start_byte
        if holder is not None and holder.parent == outer_stmt.parent
        else outer_stmt.start_byte
    )
    # every local the iterator reads must be bound before the new `let`, and every one the temporary
    # reads there too or by the loop's pattern (the closure gets the same pattern)
    for n in (*preorder(it), *preorder(temp)):
        if n.type == "identifier":
            b = binding_of(source, node_text(n), n.start_byte)
            in_pattern = b is not None and pat.start_byte <= b.range.start < pat.end_byte
            if b is not None and b.range.start >= at and not in_pattern:
                return []
    name = "owned"
    while (
        binding_of(source, name, loop.start_byte) is not None
        or name.encode() in source[loop.start_byte : loop.end_byte]
    ):
        name = f"{name}_values"
    item = f"{name}_one"
    line_start = source.rfind(b"\n", 0, at) + 1
    indent = re.match(rb"[ \t]*", source[line_start:]).group(0).decode()  # type: ignore[union-attr]
    it_text = node_text(it)
    if it.type not in _ATOMIC:
        it_text = f"({it_text})"
    callee = it.child_by_field_name("function") if it.type == "call_expression" else None
    if callee is None or callee.type != "field_expression":
        # `for x in xs` takes `xs` by IntoIterator; a method call (`xs.iter()`, `s.split(..)`) is
        # taken to be an iterator already
        it_text = f"{it_text}.into_iter()"
    f = span.file_name
    each = _pattern_keeping(source, pat, _names(temp))  # the closure reads only what the temporary does
    kept = _pattern_keeping(source, pat, _names(body, skip=temp))  # the loop, what is left of its body
    edits = [
        Edit(
            file=f,
            start=at,
            end=at,
            replacement=f"let {name}: Vec<_> = {it_text}.map(|{each}| {node_text(temp)}).collect();\n{indent}",
        ),
        Edit(file=f, start=pat.start_byte, end=pat.end_byte, replacement=f"({kept}, {item})"),
        Edit(file=f, start=it.start_byte, end=it.end_byte, replacement=f"{it_text}.zip(&{name})"),
        Edit(file=f, start=temp.start_byte, end=temp.end_byte, replacement=item),
    ]
    why = (
        f"make the owned values before the loop: collect `{node_text(temp)}` for every item into "
        f"`{name}`, then borrow each one in the loop; they outlive it (the iterator runs twice)"
    )
    return [_make(edits, why, "op:owned-first", "E0716", 0.7)]


# a borrowed type and the owned type `to_owned` gives for it
_OWNED = {"str": "String", "Path": "PathBuf", "OsStr": "OsString", "CStr": "CString"}
_REF_ARG = re.compile(r"&\s*(?:'\w+\s+)?(?:mut\s+)?(?P<t>\[[^\[\]]+\]|[A-Za-z_][\w:]*(?:<[^<>]*>)?)")


def _owned_type(borrowed: str) -> str:
    if borrowed.startswith("["):
        return f"Vec<{borrowed[1:-1].strip()}>"
    return _OWNED.get(borrowed, borrowed)


def holder_owns(d: Diagnostic, read: Reader) -> list[Candidate]:
    """E0716 whose borrow, bound by a `let`, goes to a method of a binding made before the block
    (`keep.push(t)`, the holder): let the holder own each value instead, made owned in that `let`
    (`let t = line.replace(..).trim().to_owned();`, before the temporary dies), and its written type
    follows (`Vec<&str>` -> `Vec<String>`). The general mistake: a collection of borrows filled from
    values that die each iteration. Each value is copied into the holder (for `str`, a `String` per
    value); the sandbox says whether the code that reads the holder takes the owned type."""
    span = _primary(d)
    source = read(span.file_name) if span is not None else None
    later = next((s for s in d.spans if s.label and "later used" in s.label), None)
    if (
        d.code_str != "E0716"
        or span is None
        or source is None
        or later is None
        or later.byte_end > len(source)
    ):
        return []
    use = node_at(source, later.byte_start, later.byte_end)
    while use.parent is not None and use.parent.type != "arguments":
        if use.parent.start_byte != use.start_byte or use.parent.end_byte != use.end_byte:
            return []  # the borrow is part of a bigger argument (`(t, n)`): which part to own is unclear
        use = use.parent
    call = use.parent.parent if use.parent is not None else None
    f = call.child_by_field_name("function") if call is not None and call.type == "call_expression" else None
    root = f.child_by_field_name("value") if f is not None and f.type == "field_expression" else None
    if root is None or root.type != "identifier":
        return []
    b = binding_of(source, node_text(root), root.start_byte)
    stmt = block_statement(node_at(source, span.byte_start, span.byte_end))
    if (
        b is None
        or b.kind != "let"
        or stmt is None
        or stmt.parent is None
        or b.range.start >= stmt.parent.start_byte
    ):
        return []
    # the value is owned where the borrow is made: the `let` that binds it, handed to the holder by name
    bind = stmt if stmt.type == "let_declaration" else None
    value = bind.child_by_field_name("value") if bind is not None else None
    if bind is None or value is None or node_text(bind.child_by_field_name("pattern")) != node_text(use):
        return []
    file = span.file_name
    text = node_text(value)
    owned = f"{text}.to_owned()" if value.type in _ATOMIC else f"({text}).to_owned()"
    edits = [Edit(file=file, start=value.start_byte, end=value.end_byte, replacement=owned)]
    decl = node_at(source, b.range.start, b.range.end)
    let = next((a for a in ancestors(decl) if a.type == "let_declaration"), None)
    written = let.child_by_field_name("type") if let is not None else None
    typed, cost = "", "a copy of each value (its type is not written here)"
    if written is not None:
        old = node_text(written)
        new = _REF_ARG.sub(lambda m: _owned_type(m.group("t")), old)
        if new == old:
            return []  # a written type with no borrow in it: the holder is not a collection of borrows
        edits.append(Edit(file=file, start=written.start_byte, end=written.end_byte, replacement=new))
        typed = f", `{new}` in place of `{old}`"
        owned_types = [_owned_type(m.group("t")) for m in _REF_ARG.finditer(old)]
        cost = " and ".join(f"a `{t}` per value" for t in dict.fromkeys(owned_types))
    why = f"let `{node_text(root)}` own its values: store `{owned}`{typed}; costs {cost}"
    return [_make(edits, why, "op:holder-owns", "E0716", 0.66)]
