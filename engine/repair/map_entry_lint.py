"""`contains_key` then `insert` on a map (clippy::map_entry): the entry API, written from the tree.

The general mistake: asking a map twice (is the key there? then insert; else look it up again and
change the value) where one lookup does both. Clippy names the Entry API but, when the other branch
updates the value, gives no code. The shape, read from the syntax tree at clippy's span:

    if !MAP.contains_key(&K) { MAP.insert(K, V); } else { ..MAP.get_mut(&K).unwrap().. }

(either branch order, the other branch optional) becomes

    MAP.entry(K).and_modify(|e| ..e..).or_insert(V);

Every look-up of the same key in the present branch (`MAP.get_mut(&K).unwrap()`, `MAP.get(&K)
.unwrap()`, `MAP[&K]`) becomes the entry's value `e`; a present branch that still names the map
otherwise is left alone (the closure holds the map's only borrow). Pure; the sandbox says whether
it compiles and the crate's tests pass.
"""

from __future__ import annotations

import tree_sitter

from engine.repair.template_kit import Reader, _make
from engine.repair.types import Candidate, Edit
from engine.syntax.tree import ancestors, node_at, node_text
from toolbelt.types import Diagnostic

LINT = "clippy::map_entry"
_KEY_COPIES = (".clone()", ".to_owned()", ".to_string()", ".into()")


def _method_call(n: tree_sitter.Node | None) -> tuple[str, str, list[str]] | None:
    """(receiver, method, argument texts) of `recv.method(args)`."""
    if n is None or n.type != "call_expression":
        return None
    fn, args = n.child_by_field_name("function"), n.child_by_field_name("arguments")
    if fn is None or fn.type != "field_expression" or args is None:
        return None
    return (
        node_text(fn.child_by_field_name("value")),
        node_text(fn.child_by_field_name("field")),
        [node_text(a) for a in args.named_children],
    )


def _sole_insert(block: tree_sitter.Node | None, map_: str) -> tuple[str, str] | None:
    """(key, value) when the block is exactly `MAP.insert(key, value);`."""
    stmts = [c for c in (block.named_children if block is not None else []) if "comment" not in c.type]
    if len(stmts) != 1:
        return None
    s = stmts[0]
    call = _method_call(s.named_children[0] if s.type == "expression_statement" and s.named_children else s)
    if call is None or call[0] != map_ or call[1] != "insert" or len(call[2]) != 2:
        return None
    return call[2][0], call[2][1]


def _body(block: tree_sitter.Node, map_: str, key_ref: str) -> str | None:
    """The present branch with each look-up of the key as `e`; None when it still uses the map."""
    text = node_text(block).strip()[1:-1].strip()
    for look in (f"{map_}.get_mut({key_ref}).unwrap()", f"{map_}.get({key_ref}).unwrap()"):
        text = text.replace(look, "e")
    text = text.replace(f"{map_}[{key_ref}]", "(*e)")
    if map_ in text or not text:
        return None
    stmts = [s for s in text.split(";") if s.strip()]
    if len(stmts) == 1 and "{" not in text:
        return stmts[0].strip()  # one expression: `|e| e.count += 1`
    return "{ " + " ".join(text.split()) + " }"


def entry_for_contains_insert(d: Diagnostic, read: Reader) -> list[Candidate]:
    p = d.primary
    if p is None or d.code_str != LINT:
        return []
    src = read(p.file_name)
    if src is None:
        return []
    node = node_at(src, p.byte_start, p.byte_end)
    ifx = next(
        (n for n in (node, *ancestors(node)) if n.type == "if_expression" and n.start_byte == p.byte_start),
        None,
    )
    if ifx is None:
        return []
    cond = ifx.child_by_field_name("condition")
    negated = cond is not None and cond.type == "unary_expression" and node_text(cond).startswith("!")
    call = _method_call(cond.named_children[0] if negated and cond is not None else cond)
    if call is None or call[1] != "contains_key" or len(call[2]) != 1:
        return []
    map_, key_ref = call[0], call[2][0]
    then = ifx.child_by_field_name("consequence")
    alt = ifx.child_by_field_name("alternative")
    els = next((c for c in alt.named_children if c.type == "block"), None) if alt is not None else None
    if alt is not None and els is None:
        return []  # `else if`: a third branch the entry API has no place for
    absent, present = (then, els) if negated else (els, then)
    got = _sole_insert(absent, map_)
    if got is None:
        return []
    key, value = got
    bare = key
    for suffix in _KEY_COPIES:
        bare = bare.removesuffix(suffix)
    if key_ref.removeprefix("&").strip() not in (key, bare):
        return []  # a different key is inserted than the one asked for
    insert = f"or_insert_with(|| {value})" if "(" in value else f"or_insert({value})"
    if present is None or not node_text(present).strip()[1:-1].strip():
        code = f"{map_}.entry({key}).{insert};"
        what = f"`{map_}.entry({key}).{insert.split('(')[0]}(..)`: one lookup inserts only when the key is absent"
    else:
        body = _body(present, map_, key_ref)
        if body is None:
            return []
        code = f"{map_}.entry({key}).and_modify(|e| {body}).{insert};"
        what = (
            f"`{map_}.entry({key}).and_modify(..).{insert.split('(')[0]}(..)`: one lookup for both branches"
        )
    edit = Edit(file=p.file_name, start=ifx.start_byte, end=ifx.end_byte, replacement=code)
    return [_make([edit], what, "map-entry", LINT, 0.9)]
