"""The crate's public items on each side, compared: what a dependent would see change. Pure.

An item is public when it is declared `pub` (not `pub(crate)` or narrower) in a library file, and so
is every inline `mod` around it; methods of inherent impls are named `Type::method`. Its signature is
its text up to the body, whitespace collapsed, so a changed body is no API change.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator, Mapping
from typing import Literal

import tree_sitter

from engine.review.patterns import is_library_file
from engine.review.types import Base
from engine.syntax.tree import node_text, parse

_ITEMS = {
    "function_item": "fn",
    "struct_item": "struct",
    "enum_item": "enum",
    "trait_item": "trait",
    "const_item": "const",
    "static_item": "static",
    "type_item": "type",
    "union_item": "union",
    "mod_item": "mod",
    "macro_definition": "macro",
}
_BODY_KINDS = ("block",)  # a fn's body is not its API; a struct's fields and an enum's variants are


class PubItem(Base, frozen=True):
    path: str  # `crate::shapes::Circle::area`
    kind: str
    signature: str
    file: str
    line: int


class ApiChange(Base, frozen=True):
    item: PubItem
    change: Literal["removed", "changed", "added"]
    before: str = ""


def module_of(path: str) -> str:
    """`src/a/b.rs` -> `a::b`; `src/lib.rs` and `src/a/mod.rs` name the module they start."""
    p = path.removeprefix("src/").removesuffix(".rs")
    parts = [x for x in p.split("/") if x not in ("lib", "mod")]
    return "::".join(["crate", *parts])


def _is_pub(n: tree_sitter.Node) -> bool:
    vis = next((c for c in n.children if c.type == "visibility_modifier"), None)
    return vis is not None and node_text(vis).strip() == "pub"


def _signature(n: tree_sitter.Node) -> str:
    body = next((c for c in n.children if c.type in _BODY_KINDS), None)
    if n.type == "mod_item":
        return f"mod {node_text(n.child_by_field_name('name'))}"
    text = (
        node_text(n)
        if body is None
        else (n.text or b"")[: body.start_byte - n.start_byte].decode("utf-8", "replace")
    )
    return re.sub(r"\s+", " ", text).strip()


def _items(node: tree_sitter.Node, prefix: str, file: str) -> Iterator[PubItem]:
    for c in node.named_children:
        if c.type in _ITEMS and _is_pub(c):
            name = node_text(c.child_by_field_name("name"))
            yield PubItem(
                path=f"{prefix}::{name}",
                kind=_ITEMS[c.type],
                signature=_signature(c),
                file=file,
                line=c.start_point[0] + 1,
            )
            body = c.child_by_field_name("body")
            if c.type == "mod_item" and body is not None:
                yield from _items(body, f"{prefix}::{name}", file)
        elif c.type == "impl_item" and c.child_by_field_name("trait") is None:
            ty = node_text(c.child_by_field_name("type")).split("<", 1)[0]
            body = c.child_by_field_name("body")
            if body is not None:
                for m in body.named_children:
                    if m.type in ("function_item", "const_item") and _is_pub(m):
                        name = node_text(m.child_by_field_name("name"))
                        yield PubItem(
                            path=f"{prefix}::{ty}::{name}",
                            kind=_ITEMS[m.type],
                            signature=_signature(m),
                            file=file,
                            line=m.start_point[0] + 1,
                        )


def public_items(files: Mapping[str, bytes]) -> dict[str, PubItem]:
    """Every public item of the library files, by path."""
    out: dict[str, PubItem] = {}
    for file, source in sorted(files.items()):
        if file.startswith("src/") and is_library_file(file):
            for item in _items(parse(source).root_node, module_of(file), file):
                out.setdefault(item.path, item)
    return out


def api_changes(base: Mapping[str, PubItem], head: Mapping[str, PubItem]) -> list[ApiChange]:
    out = [ApiChange(item=i, change="removed") for p, i in base.items() if p not in head]
    for p, i in head.items():
        if p not in base:
            out.append(ApiChange(item=i, change="added"))
        elif base[p].signature != i.signature:
            out.append(ApiChange(item=i, change="changed", before=base[p].signature))
    return out


def package_version(manifest: bytes | None) -> tuple[str, int]:
    """(`package.version`, the line it is on) of a Cargo.toml; ("", 0) when absent or unreadable."""
    if manifest is None:
        return "", 0
    try:
        data = tomllib.loads(manifest.decode("utf-8", "replace"))
    except tomllib.TOMLDecodeError:
        return "", 0
    v = data.get("package", {}).get("version", "")
    version = v if isinstance(v, str) else ""
    for i, line in enumerate(manifest.decode("utf-8", "replace").splitlines(), 1):
        if re.match(r"\s*version\s*=", line):
            return version, i
    return version, 0


def package_edition(manifest: bytes | None) -> str:
    """`package.edition` of a Cargo.toml; cargo's default, "2015", when it says none."""
    try:
        data = tomllib.loads((manifest or b"").decode("utf-8", "replace"))
    except tomllib.TOMLDecodeError:
        return "2015"
    e = data.get("package", {}).get("edition", "2015")
    return e if isinstance(e, str) else "2015"
