"""`contains_key` then `insert` on a map (clippy::map_entry): the entry API, written from the tree.

The general mistake: asking a map twice (is the key there? then insert; else look it up again and
change the value) where one lookup does both. Clippy names the Entry API but, when the other branch
updates the value, gives no code. The shape, read from the syntax tree at clippy's span:

    if !MAP.contains_key(&K) { MAP.insert(K, V); } else { ..MAP.get_mut(&K).unwrap().. }

(either branch order, the other branch optional) becomes

    MAP.entry(K).and_modify(|e| ..e..).or_insert(V);

Every look-up of the same key in the present branch (`MAP.get_mut(&K).unwrap()`, `MAP.get(&K)
.unwrap()`, `MAP[&K]`) becomes the entry's value `e`; a present branch that still names the map
otherwise is left alone (the closure holds the map's only borrow). A present branch that opens
with `let lines = e;` names the closure's parameter `lines` instead.

The inserted value is built only when the key is absent, as in the code it replaces: `or_insert(V)`
builds `V` on every call, the present keys included, so a `V` that allocates or computes
(`vec![x]`, `s.to_string()`, `Vec::with_capacity(n)`) goes in `or_insert_with(|| V)`, an empty
constructor of a `Default` type (`Vec::new()`, `vec![]`, `String::new()`) is `or_default()`, and a
literal or a name already made stays `or_insert(V)`. The written code is laid out by rustfmt at
the place's depth (`toolbelt.rustfmt_items.format_statements`). Pure but for that rustfmt run; the
sandbox says whether it compiles and the crate's tests pass.
"""

from __future__ import annotations

import re

import tree_sitter

from engine.repair.template_kit import Reader, _make
from engine.repair.types import Candidate, Edit
from engine.syntax.tree import ancestors, node_at, node_text, parse, preorder
from toolbelt.rustfmt_items import format_statements
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


_EMPTY = re.compile(
    r"(?:Vec|String|HashMap|HashSet|BTreeMap|BTreeSet|VecDeque)::new\(\)|vec!\[\s*\]|Default::default\(\)"
)
_NAMED = re.compile(r"^let\s+([a-z_]\w*)\s*=\s*e\s*;\s*")


def _insert(value: str) -> str:
    """How the absent branch's value goes in: built only for a vacant entry when building it costs."""
    if _EMPTY.fullmatch(value.strip()):
        return "or_default()"
    tree = parse(f"fn _v() {{ let _ = {value}; }}".encode())
    let = next((n for n in preorder(tree.root_node) if n.type == "let_declaration"), None)
    v = let.child_by_field_name("value") if let is not None else None
    while v is not None and v.type in (
        "unary_expression",
        "reference_expression",
        "parenthesized_expression",
    ):
        v = v.named_children[-1] if v.named_children else None
    cheap = v is not None and (v.type.endswith("literal") or v.type in ("identifier", "field_expression"))
    return f"or_insert({value})" if cheap else f"or_insert_with(|| {value})"


def _body(block: tree_sitter.Node, map_: str, key_ref: str) -> tuple[str, str] | None:
    """(the closure's parameter, the present branch with each look-up of the key as it); None when
    the branch still uses the map."""
    text = node_text(block).strip()[1:-1].strip()
    for look in (f"{map_}.get_mut({key_ref}).unwrap()", f"{map_}.get({key_ref}).unwrap()"):
        text = text.replace(look, "e")
    text = text.replace(f"{map_}[{key_ref}]", "(*e)")
    if map_ in text or not text:
        return None
    param = "e"
    named = _NAMED.match(text)
    if named and not re.search(r"\be\b", text[named.end() :]):
        param, text = named.group(1), text[named.end() :].strip()  # `let lines = e;` names the parameter
    stmts = [s for s in text.split(";") if s.strip()]
    if len(stmts) == 1 and "{" not in text:
        return param, stmts[0].strip()  # one expression: `|e| e.count += 1`
    return param, "{ " + " ".join(text.split()) + " }"


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
    insert = _insert(value)
    if present is None or not node_text(present).strip()[1:-1].strip():
        code = f"{map_}.entry({key}).{insert};"
        what = f"`{map_}.entry({key}).{insert.split('(')[0]}(..)`: one lookup inserts only when the key is absent"
    else:
        got_body = _body(present, map_, key_ref)
        if got_body is None:
            return []
        param, body = got_body
        code = f"{map_}.entry({key}).and_modify(|{param}| {body}).{insert};"
        what = (
            f"`{map_}.entry({key}).and_modify(..).{insert.split('(')[0]}(..)`: one lookup for both branches"
        )
    line_start = src.rfind(b"\n", 0, ifx.start_byte) + 1
    indent = src[line_start : ifx.start_byte].decode("utf-8", "replace")
    code = format_statements(code, indent) if not indent.strip() else code
    edit = Edit(file=p.file_name, start=ifx.start_byte, end=ifx.end_byte, replacement=code)
    return [_make([edit], what, "map-entry", LINT, 0.9)]
