"""An index loop (`for i in 0..n { .. v[i] .. }`) as facts: where the loop variable indexes one
collection, and where else the body uses it.

Why: the mistake this answers is advice that drops the index when the body still needs it. "Loop
over the items instead of the indices" is true only when every use of `i` is `v[i]`; when `i` also
feeds arithmetic (`data[i * cols + c]`), a second collection or a call, the loop must keep it
(`.iter().enumerate()`). Whether it does is a question about the tree, not about rustc's or clippy's
wording, so explain's prose and repair's rewrite both read it from here.

Pure: bytes in, Structs out; tree-sitter nodes never leave this module.
"""

from __future__ import annotations

import msgspec
import tree_sitter

from engine.syntax.tree import _range, ancestors, names_in, node_at, node_text, preorder
from engine.syntax.types import Range


class IndexSite(msgspec.Struct, frozen=True, kw_only=True):
    """One `coll[i]` in the loop body, and how an item must stand in for it."""

    range: Range  # the whole `coll[i]`
    place: bool  # written through (`coll[i] = ..`, `coll[i] += ..`, `&mut coll[i]`): needs `iter_mut`
    bare: bool  # a receiver or under `&`/`&mut`: the item (a reference) stands in as is, without `*`


class IndexLoop(msgspec.Struct, frozen=True, kw_only=True):
    var: str  # the loop variable
    collection: str  # the indexed collection, as written (`sums`, `self.rows`)
    pattern: Range  # the loop's pattern (`i`)
    iterable: Range  # the loop's range (`0..n`)
    sites: tuple[IndexSite, ...]  # every `collection[var]` in the body
    other_uses: tuple[
        Range, ...
    ]  # every other use of `var` in the body: the expression it feeds (`r * cols + c`)
    names: frozenset[str]  # every identifier in the enclosing function: what a new binding must not shadow


def _site(node: tree_sitter.Node) -> IndexSite:
    parent = node.parent
    place = False
    bare = False
    if parent is not None:
        if parent.type in ("assignment_expression", "compound_assignment_expr"):
            place = parent.child_by_field_name("left") == node
        elif parent.type == "reference_expression":  # `&v[i]` is the item itself: the whole borrow goes
            place = any(c.type == "mutable_specifier" for c in parent.children)
            return IndexSite(range=_range(parent), place=place, bare=True)
        elif parent.type == "field_expression" and parent.child_by_field_name("value") == node:
            bare = True  # `v[i].len()` / `v[i].x`: auto-deref reads through the item as well
            outer = parent.parent
            if outer is not None and outer.type in ("assignment_expression", "compound_assignment_expr"):
                place = outer.child_by_field_name("left") == parent
    return IndexSite(range=_range(node), place=place, bare=bare)


_OPERAND_PARENTS = (
    "binary_expression",
    "unary_expression",
    "parenthesized_expression",
    "type_cast_expression",
)


def _use_expr(n: tree_sitter.Node) -> tree_sitter.Node:
    """The arithmetic a use feeds, up to the first node that is not arithmetic (`r * cols + c`)."""
    while n.parent is not None and n.parent.type in _OPERAND_PARENTS:
        n = n.parent
    return n


def _macro_index(n: tree_sitter.Node) -> tuple[tree_sitter.Node, tree_sitter.Node] | None:
    """`v[i]` among a macro's tokens (`println!("{}", v[i])`): the tree has no index expression there,
    only the name `v` followed by the token group `[i]`; (that name, that group) when `n` is the `i`."""
    group = n.parent
    if group is None or group.type != "token_tree" or len(group.children) != 3:
        return None
    if node_text(group.children[0]) != "[" or node_text(group.children[2]) != "]":
        return None
    name = group.prev_sibling
    if name is None or name.type != "identifier" or name.end_byte != group.start_byte:
        return None
    return name, group


def _macro_site(source: bytes, name: tree_sitter.Node, group: tree_sitter.Node) -> IndexSite:
    text = source[name.start_byte : group.end_byte].decode("utf-8", "replace")
    r = Range(start=name.start_byte, end=group.end_byte, line=name.start_point[0] + 1, text=text)
    return IndexSite(range=r, place=False, bare=False)  # a macro's argument reads the value: `*item`


def index_loop(source: bytes, start: int, end: int, collection: str | None = None) -> IndexLoop | None:
    """The `for` whose range is at [start, end), with the body's uses of its variable split into
    `collection[var]` sites and everything else; None when the span is not such a loop's range or
    its pattern is not one plain name. `collection` (as clippy names it) picks which indexed
    collection the sites are; without it, the first one the body indexes with the bare variable."""
    node = node_at(source, start, end)
    loop = next((a for a in (node, *ancestors(node)) if a.type == "for_expression"), None)
    if loop is None:
        return None
    pattern, value, body = (loop.child_by_field_name(f) for f in ("pattern", "value", "body"))
    if pattern is None or value is None or body is None or pattern.type != "identifier":
        return None
    if not (value.start_byte <= start and end <= value.end_byte):
        return None
    var = node_text(pattern)
    uses = [n for n in preorder(body) if n.type == "identifier" and node_text(n) == var]
    indexed: list[tree_sitter.Node] = []
    in_macros: list[tuple[tree_sitter.Node, tree_sitter.Node]] = []  # (`coll`, `[i]`) inside a macro's tokens
    for n in uses:
        p = n.parent
        if p is not None and p.type == "index_expression" and p.named_children[-1] == n:
            coll = p.named_children[0]
            if collection is None:
                collection = node_text(coll)
            if node_text(coll) == collection:
                indexed.append(p)
        elif (m := _macro_index(n)) is not None and node_text(m[0]) == collection:
            in_macros.append(m)
    if not indexed or collection is None:
        return None
    in_sites = {p.named_children[-1].id for p in indexed} | {b.named_children[0].id for _, b in in_macros}
    fn = next((a for a in ancestors(loop) if a.type in ("function_item", "closure_expression")), loop)
    names = frozenset(names_in(fn))
    return IndexLoop(
        var=var,
        collection=collection,
        pattern=_range(pattern),
        iterable=_range(value),
        sites=tuple(
            sorted(
                [*(_site(p) for p in indexed), *(_macro_site(source, a, b) for a, b in in_macros)],
                key=lambda x: x.range.start,
            )
        ),
        other_uses=tuple(_range(_use_expr(n)) for n in uses if n.id not in in_sites),
        names=names,
    )


def item_name(loop: IndexLoop) -> str:
    """A name for the item that no identifier of the function already uses: the collection's
    singular (`sums` -> `sum`), else `item`, `elem`, `x`."""
    last = loop.collection.rsplit(".", 1)[-1].strip("&* ")
    wanted: list[str] = []
    if last.endswith("ies") and len(last) > 4:
        wanted.append(last[:-3] + "y")
    elif last.endswith("s") and not last.endswith("ss") and len(last) > 2:
        wanted.append(last[:-1])
    wanted += ["item", "elem", "x", *(f"item{n}" for n in range(2, 100))]
    return next(w for w in wanted if w.isidentifier() and w not in loop.names and w != loop.var)
