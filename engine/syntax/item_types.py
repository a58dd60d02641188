"""The item a lookup reaches (`self.map.get(k)` in a `HashMap<String, String>` field gives a `String`)
and whether the code shows that type to be `Copy`, from the types the code writes.

Why: "copy the item out of the reference" (`Some(&v)`) is a way out only for a `Copy` item; for a
`String` it moves out of a borrow (E0507). rustc's borrow errors do not name the item type, so the
type is read where the code writes it: the field's declared type, or the binding's annotation. A
type the code does not write (a constructor's result, an iterator adapter) is unknown, never
guessed. Pure: bytes in, type text and a three-way answer out.
"""

from __future__ import annotations

import re

import tree_sitter

from engine.syntax.declared_types import declared_type
from engine.syntax.top_level import split_top
from engine.syntax.tree import ancestors, compact, node_text, parse

# lookups that give `Option<&Item>` of their receiver's item
_LOOKUPS = frozenset({"get", "first", "last", "front", "back"})
_MAPS = re.compile(r"^(?:\w+::)*(?:HashMap|BTreeMap)<")
_SEQS = re.compile(r"^(?:\w+::)*(?:Vec|VecDeque|HashSet|BTreeSet)<")
_PRIMITIVE = frozenset("i8 i16 i32 i64 i128 isize u8 u16 u32 u64 u128 usize f32 f64 bool char ()".split())
_OWNING = re.compile(
    r"^(?:\w+::)*(?:String|Vec|Box|HashMap|HashSet|BTreeMap|BTreeSet|VecDeque|PathBuf|OsString|Rc|Arc|RefCell|Mutex)\b"
)


def _args(t: str) -> list[str]:
    """The top-level generic arguments of `Name<..>`."""
    return split_top(t[t.index("<") + 1 : t.rindex(">")])


def item_of(container: str) -> str | None:
    """The item type a lookup in a container of the written type reaches, or None."""
    t = re.sub(r"^&\s*(?:'\w+\s+)?(?:mut\s+)?", "", container.strip())
    if _MAPS.match(t) and len(_args(t)) == 2:
        return _args(t)[1]
    if _SEQS.match(t) and len(_args(t)) == 1:
        return _args(t)[0]
    if t.startswith("[") and t.endswith("]"):
        return t[1:-1].split(";", 1)[0].strip()
    return None


def _field_type(source: bytes, node: tree_sitter.Node, field: str) -> str | None:
    """The written type of `self.<field>` in the impl around `node`."""
    impl = next((a for a in ancestors(node) if a.type == "impl_item"), None)
    owner = node_text(impl.child_by_field_name("type")).split("<", 1)[0] if impl is not None else ""
    for n in parse(source).root_node.named_children:
        if n.type == "struct_item" and node_text(n.child_by_field_name("name")) == owner:
            body = n.child_by_field_name("body")
            for fd in body.named_children if body is not None else ():
                if fd.type == "field_declaration" and node_text(fd.child_by_field_name("name")) == field:
                    return node_text(fd.child_by_field_name("type"))
    return None


def container_of(source: bytes, value: tree_sitter.Node) -> str | None:
    """The written type of the receiver of the lookup `value` (`self.map.get(key)`, `xs.first()`):
    a field of the impl's struct, a parameter or an annotated `let`; None when the code does not
    write it or `value` is no lookup."""
    fn = value.child_by_field_name("function") if value.type == "call_expression" else None
    if (
        fn is None
        or fn.type != "field_expression"
        or node_text(fn.child_by_field_name("field")) not in _LOOKUPS
    ):
        return None
    recv = fn.child_by_field_name("value")
    if (
        recv is not None
        and recv.type == "field_expression"
        and node_text(recv.child_by_field_name("value")) == "self"
    ):
        return _field_type(source, recv, node_text(recv.child_by_field_name("field")))
    if recv is not None and recv.type == "identifier":
        return declared_type(source, node_text(recv), recv.start_byte)
    return None


def is_map(type_text: str) -> bool:
    """A `HashMap`/`BTreeMap` (maybe behind a reference): the containers with `contains_key`."""
    return bool(_MAPS.match(re.sub(r"^&\s*(?:'\w+\s+)?(?:mut\s+)?", "", type_text.strip())))


def looked_up_item(source: bytes, value: tree_sitter.Node) -> str | None:
    """The item type `value` (`self.map.get(key)`, `xs.first()`) looks up, when the code writes the
    receiver's type."""
    written = container_of(source, value)
    return item_of(written) if written else None


def is_copy(type_text: str, source: bytes) -> bool | None:
    """Whether the written type is `Copy`: True for primitives, shared references and tuples or
    arrays of `Copy` types, and a type of this file that derives `Copy`; False for an owning std
    type, a `&mut`, or a type of this file without the derive; None when the code does not tell."""
    t = compact(type_text)
    if t in _PRIMITIVE or (t.startswith("&") and not t.startswith("&mut")):
        return True
    if t.startswith("&mut") or _OWNING.match(t):
        return False
    if t.startswith("(") and t.endswith(")"):
        parts = [is_copy(p, source) for p in _args(f"T<{t[1:-1]}>")]
        return False if False in parts else (True if all(parts) else None)
    if t.startswith("[") and ";" in t:
        return is_copy(t[1:].split(";", 1)[0], source)
    name = t.split("<", 1)[0].rsplit("::", 1)[-1]
    for n in parse(source).root_node.named_children:
        if n.type in ("struct_item", "enum_item") and node_text(n.child_by_field_name("name")) == name:
            from engine.syntax.tree import _derived

            return "Copy" in _derived(n)
    return None
