"""`use` items of a Rust file as the syntax tree sees them: the path, the names each one binds, globs.

Why a tree: `use a::{b::{self, C}, D as E};` binds `b`, `C` and `E`, and `use a::*;` binds whatever
`a` exports. Counting names by regex over braces gets nesting, `self` and `as` wrong. The gym removes
one such item to make the mistake "a `use` that several names needed is gone"; repair asks which
module a lost glob came from. Pure: bytes in, Structs out; tree-sitter nodes stay here.
"""

from __future__ import annotations

import msgspec

from engine.syntax.tree import parse, preorder


class UseItem(msgspec.Struct, frozen=True, kw_only=True):
    start: int  # byte offset of `use` (or of `pub`)
    end: int  # byte offset after `;` and its line's newline, when the item ends its line
    line: int
    text: str  # the item as written, without the trailing newline
    names: tuple[
        str, ...
    ]  # the local names it binds (an `as` alias, `self`'s module); empty for a glob alone
    globs: tuple[str, ...]  # the paths imported with `::*`
    public: bool  # `pub use`: a re-export other modules may need, not only this file
    attributed: bool  # an attribute (`#[cfg(..)]`) sits on it
    depth: int  # 0 at the file's top level, 1 inside one inline `mod`, ...


def _text(n) -> str:  # noqa: ANN001 - a tree-sitter node
    return (n.text or b"").decode("utf-8", "replace")


def _bound(arg, prefix: str, names: list[str], globs: list[str]) -> None:  # noqa: ANN001
    """Collect what one use tree binds: leaves' last segments, aliases, and glob paths."""
    t = arg.type
    if t == "use_wildcard":
        path = "::".join(p for p in (prefix, _text(arg).removesuffix("*").rstrip(":").strip()) if p)
        globs.append(path)
    elif t == "use_as_clause":
        alias = arg.child_by_field_name("alias")
        if alias is not None:
            names.append(_text(alias))
    elif t == "scoped_use_list":
        path = arg.child_by_field_name("path")
        inner = prefix if path is None else "::".join(p for p in (prefix, _text(path)) if p)
        lst = arg.child_by_field_name("list")
        if lst is not None:
            _bound(lst, inner, names, globs)
    elif t == "use_list":
        for c in arg.named_children:
            _bound(c, prefix, names, globs)
    elif t == "self":
        names.append(prefix.rsplit("::", 1)[-1])
    elif t in ("identifier", "scoped_identifier", "crate", "super"):
        names.append(_text(arg).rsplit("::", 1)[-1])


def use_items(source: bytes) -> list[UseItem]:
    """Every `use` declaration outside fn bodies, in source order."""
    out: list[UseItem] = []
    for n in preorder(parse(source).root_node):
        if n.type != "use_declaration" or n.has_error:
            continue
        parent, depth, in_fn = n.parent, 0, False
        while parent is not None:
            if parent.type == "mod_item":
                depth += 1
            elif parent.type in ("function_item", "block", "closure_expression"):
                in_fn = True
            parent = parent.parent
        if in_fn:
            continue
        names: list[str] = []
        globs: list[str] = []
        arg = n.child_by_field_name("argument")
        if arg is not None:
            _bound(arg, "", names, globs)
        end = n.end_byte
        if source[end : end + 1] == b"\n":
            end += 1
        prev = n.prev_sibling
        out.append(
            UseItem(
                start=n.start_byte,
                end=end,
                line=n.start_point[0] + 1,
                text=_text(n),
                names=tuple(names),
                globs=tuple(globs),
                public=any(c.type == "visibility_modifier" for c in n.children),
                attributed=prev is not None and prev.type == "attribute_item",
                depth=depth,
            )
        )
    return out


def multi_name(item: UseItem) -> bool:
    """A `use` whose loss breaks several names at once: a glob, or a list binding two names or more."""
    return bool(item.globs) or len(item.names) >= 2


_ITEM_KINDS = (
    "function_item",
    "struct_item",
    "enum_item",
    "union_item",
    "trait_item",
    "type_item",
    "const_item",
    "static_item",
    "mod_item",
    "macro_definition",
)


class Exports(msgspec.Struct, frozen=True, kw_only=True):
    names: frozenset[str]  # every public name of the module
    reexported: frozenset[str]  # those it has by `pub use` (a prelude is mostly these)


def module_exports(source: bytes, inner: tuple[str, ...] = ()) -> Exports | None:
    """The names a module makes public (`pub` items, what its `pub use` items bind): the file's own
    scope, or the inline `mod a { mod b { .. } }` at `inner` in it (every such module, when `#[cfg]`
    gives it twice). None when `inner` names no inline module with a body here."""
    bodies = [parse(source).root_node]
    for seg in inner:
        bodies = [
            body
            for b in bodies
            for c in b.named_children
            if c.type == "mod_item"
            and (name := c.child_by_field_name("name")) is not None
            and _text(name) == seg
            and (body := c.child_by_field_name("body")) is not None
        ]
        if not bodies:
            return None
    names: set[str] = set()
    reexported: set[str] = set()
    for b in bodies:
        for c in b.named_children:
            if not any(v.type == "visibility_modifier" for v in c.children):
                continue
            if c.type == "use_declaration" and (arg := c.child_by_field_name("argument")) is not None:
                globs: list[str] = []
                found: list[str] = []
                _bound(arg, "", found, globs)
                names.update(found)
                reexported.update(found)
            elif c.type in _ITEM_KINDS and (name := c.child_by_field_name("name")) is not None:
                names.add(_text(name))
    return Exports(names=frozenset(names), reexported=frozenset(reexported))
