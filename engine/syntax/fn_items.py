"""Items of a Rust file as a patch sees them: which fns and impls changed, their parameters, `unsafe`.

Proofs ask these questions of the old and the new text of a file: which top-level items differ
(to format only those, to fuzz only those), whether a changed item holds `unsafe` code (for miri),
and what a free function takes (to know whether Rusta can generate its inputs). Pure: bytes in,
Structs out; tree-sitter nodes stay here.
"""

from __future__ import annotations

from engine.syntax.tree import parse
from engine.syntax.types import Item

ITEM_KINDS = ("function_item", "impl_item", "trait_item", "mod_item", "struct_item", "enum_item")


def _contains_unsafe(node) -> bool:
    stack = [node]
    while stack:
        n = stack.pop()
        if n.type in ("unsafe_block", "unsafe"):  # a block, or the keyword of an unsafe fn/impl/trait
            return True
        stack.extend(n.children)
    return False


def _item(n, owner: str = "") -> Item:
    text = (n.text or b"").decode("utf-8", "replace")
    name_node = n.child_by_field_name("name")
    if n.type == "impl_item":
        body = n.child_by_field_name("body")
        name = text[: (body.start_byte - n.start_byte) if body is not None else len(text)].strip()
    else:
        name = (name_node.text or b"").decode() if name_node is not None else ""
    fields: dict = {}
    if n.type == "function_item":
        params = n.child_by_field_name("parameters")
        ps: list[tuple[str, str]] = []
        has_self, self_kind = False, ""
        for c in params.named_children if params is not None else []:
            if c.type == "self_parameter":
                has_self, self_kind = True, " ".join((c.text or b"").decode().split())
            elif c.type == "parameter":
                pat, ty = c.child_by_field_name("pattern"), c.child_by_field_name("type")
                ps.append(((pat.text or b"").decode(), (ty.text or b"").decode() if ty is not None else ""))
        ret = n.child_by_field_name("return_type")
        mods = next((c for c in n.children if c.type == "function_modifiers"), None)
        body = n.child_by_field_name("body")
        fields = dict(
            params=tuple(ps),
            generic=n.child_by_field_name("type_parameters") is not None,
            is_async=mods is not None and b"async" in (mods.text or b""),
            has_self=has_self,
            return_type=(ret.text or b"").decode() if ret is not None else None,
            body_start=body.start_byte if body is not None else n.end_byte,
            self_kind=self_kind.replace("& ", "&"),
            owner=owner,
        )
    return Item(
        kind=n.type,
        name=name,
        start=n.start_byte,
        end=n.end_byte,
        row_start=n.start_point[0],
        row_end=n.end_point[0],
        text=text,
        has_unsafe=_contains_unsafe(n),
        **fields,
    )


def top_items(source: bytes) -> list[Item]:
    """The file's top-level items (attributes excluded from the range), in order."""
    return [_item(n) for n in parse(source).root_node.named_children if n.type in ITEM_KINDS]


def _key(it: Item) -> tuple[str, str]:
    return it.kind, it.name


def changed_items(old: bytes, new: bytes) -> list[tuple[Item | None, Item]]:
    """Items of `new` whose text differs from the same-named item of `old` (None: the item is new).

    Items are matched by kind and name, in order, so two impls of one header pair up one by one.
    """
    olds: dict[tuple[str, str], list[Item]] = {}
    for it in top_items(old):
        olds.setdefault(_key(it), []).append(it)
    out: list[tuple[Item | None, Item]] = []
    for it in top_items(new):
        same = olds.get(_key(it))
        prev = same.pop(0) if same else None
        if prev is None or prev.text != it.text:
            out.append((prev, it))
    return out


def impl_parts(n) -> tuple[str, str, bool]:
    """An impl's trait ("" for an inherent impl), its type's name, and whether it is generic."""
    trait, ty = n.child_by_field_name("trait"), n.child_by_field_name("type")
    generic = n.child_by_field_name("type_parameters") is not None or (
        ty is not None and ty.type != "type_identifier"
    )
    return (
        (trait.text or b"").decode() if trait is not None else "",
        (ty.text or b"").decode() if ty else "",
        generic,
    )


def method_items(impl, owner: str) -> list[Item]:
    body = impl.child_by_field_name("body")
    return [
        _item(c, owner)
        for c in (body.named_children if body is not None else [])
        if c.type == "function_item"
    ]


def _fns_below_top(src: bytes) -> dict[tuple[str, str], tuple[Item, str]]:
    """Every fn item of the file that is not a top-level free fn, each with why the fuzzer leaves it
    out: "" for a method of a top-level inherent, non-generic impl (keyed by its type and name, so
    two `impl T` blocks pair up whatever their headers), else a method of a trait impl or a generic
    impl, a trait's default method, a fn inside a `mod` block (keyed by where it sits and its name).
    A fn inside another fn's body is part of that fn's text, so not listed."""
    out: dict[tuple[str, str], tuple[Item, str]] = {}

    def walk(nodes, where: str, in_mod: bool) -> None:
        for n in nodes:
            if n.type == "function_item" and in_mod:
                out.setdefault((where, _item(n).name), (_item(n), "a fn inside a `mod` block"))
            elif n.type == "impl_item":
                trait, owner, generic = impl_parts(n)
                why = (
                    "a method of a trait impl"
                    if trait
                    else "a method of a generic impl"
                    if generic
                    else "a method inside a `mod` block"
                    if in_mod
                    else ""
                )
                head = _item(n).name
                for m in method_items(n, owner):
                    out.setdefault((f"{where}{head}", m.name) if why else (owner, m.name), (m, why))
            elif n.type == "trait_item":
                body = n.child_by_field_name("body")
                name = _item(n).name
                for c in body.named_children if body is not None else []:
                    if c.type == "function_item" and c.child_by_field_name("body") is not None:
                        out.setdefault(
                            (f"{where}trait {name}", _item(c).name),
                            (_item(c, name), "a trait's default method"),
                        )
            elif n.type == "mod_item":
                body = n.child_by_field_name("body")
                if body is not None:
                    walk(body.named_children, f"{where}mod {_item(n).name}::", True)

    walk(parse(src).root_node.named_children, "", False)
    return out


def _changed_below_top(old: bytes, new: bytes) -> list[tuple[Item | None, Item, str]]:
    """The fns of `_fns_below_top(new)` whose text differs from the same one in `old` (None: new),
    with why the fuzzer leaves each out ("" where it fuzzes it)."""
    olds = _fns_below_top(old)
    return [
        (olds[k][0] if k in olds else None, it, why)
        for k, (it, why) in _fns_below_top(new).items()
        if k not in olds or olds[k][0].text != it.text
    ]


def changed_methods(old: bytes, new: bytes) -> list[tuple[Item | None, Item]]:
    """Methods (and associated fns) of inherent, non-generic impls whose text differs from the
    same-named one in the old file (None: the method is new). Trait impls are left out: their
    methods answer to the trait, and an old copy cannot sit beside them under another name."""
    return [(prev, it) for prev, it, why in _changed_below_top(old, new) if not why]


def changed_nested_fns(old: bytes, new: bytes) -> list[tuple[Item, str]]:
    """The fns `changed_items` and `changed_methods` do not pair up whose text the patch changes (a
    method body in a trait impl or a generic impl, a trait's default method, a fn in a `mod`), each
    with why the fuzzer leaves it out. The mistake this prevents: saying a patch "changes no
    function body" because the changed body sits one level down, inside an impl or a module."""
    return [(it, why) for _, it, why in _changed_below_top(old, new) if why]


def rename_calls(fn_text: str, name: str, new_name: str, method: bool = False) -> str:
    """`fn_text` with its own name and every identifier `name` in it renamed (recursion included);
    with `method`, calls `x.name(...)` too (a method that calls itself through `self`)."""
    src = fn_text.encode()
    spots: list[tuple[int, int]] = []
    stack = [parse(src).root_node]
    while stack:
        n = stack.pop()
        if n.type == "identifier" and n.text == name.encode():
            spots.append((n.start_byte, n.end_byte))
        elif (
            method
            and n.type == "field_identifier"
            and n.text == name.encode()
            and n.parent is not None
            and n.parent.type == "field_expression"
            and n.parent.parent is not None
            and n.parent.parent.type == "call_expression"
        ):
            spots.append((n.start_byte, n.end_byte))
        stack.extend(n.children)
    for s, e in sorted(spots, reverse=True):
        src = src[:s] + new_name.encode() + src[e:]
    return src.decode()
