"""A consuming method called on a collection the code only borrows: its borrowing twin, items copied.

The general mistake: `self.handlers.into_keys().collect()` in a `&self` method (or `into_values`,
`into_iter`, on a field or on `*r` behind `&`). The consuming method takes the collection by value,
which a shared borrow cannot give (E0507 "cannot move out of `self.handlers` which is behind a
shared reference"); rustc offers to clone the whole collection first, which fails outright when the
values are not `Clone` (`Box<dyn Fn>`) and otherwise copies everything to keep a part. The borrowing
twin (`keys()`, `values()`, `iter()`) walks the collection in place and yields references; where the
code needs owned items (a `Vec<String>` to return), `.cloned()` copies each item, or `.copied()`
when the item is `Copy`: the items only, never the collection.

The item type comes from rustc's "move occurs because `self.handlers` has type `HashMap<K, V>`"
(`Facts.binding_type`): a map's key for `into_keys`, its value for `into_values`, a sequence's or a
set's element for `into_iter` (a map's `into_iter` yields pairs, which `.cloned()` cannot copy: the
plain twin only). Whether the item is `Clone` is the sandbox's question: the edit does not compile
where it is not. The plain twin goes first (it copies nothing and compiles wherever references do).
Pure: facts and a file reader in, ops out.
"""

from __future__ import annotations

import re

from engine.edits import Edit
from engine.facts.types import Facts
from engine.repair.containers import split_top
from engine.repair.sites import Op
from engine.repair.template_kit import Reader

# std's consuming methods that have a borrowing twin with the same items by reference.
BORROWING_TWIN = {"into_iter": "iter", "into_keys": "keys", "into_values": "values", "into_bytes": "as_bytes"}

FAMILY = "op:borrow-twin-items"
# the option's stated price (its closing parenthesis, `engine.explain.options`) says it copies less
# than rustc's clone of the whole collection (`engine.explain.ranking.copies_less`)
NO_COPY = "no copy of the collection"
_MAPS = ("HashMap", "BTreeMap")
_SEQUENCES = ("Vec", "VecDeque", "HashSet", "BTreeSet", "BinaryHeap", "LinkedList", "Option")
_MAP_ITEM = {"into_keys": (0, "key"), "into_values": (1, "value")}
_COPY = frozenset("i8 i16 i32 i64 i128 isize u8 u16 u32 u64 u128 usize f32 f64 bool char".split())
_HEADED = re.compile(r"(?:\w+::)*(?P<head>\w+)<(?P<args>.*)>")


def item_of(method: str, collection: str) -> tuple[str, str] | None:
    """The type of one item `method` yields from `collection` (as rustc writes the type), and what
    to call it; None for pairs or a collection this does not know."""
    m = _HEADED.fullmatch(collection.strip())
    if m is None:
        return None
    args = [a.replace("\0", "->") for a in split_top(m.group("args").replace("->", "\0"))]
    head = m.group("head")
    if head in _MAPS and method in _MAP_ITEM and len(args) >= 2:
        at, noun = _MAP_ITEM[method]
        return args[at], noun
    if head in _SEQUENCES and method == "into_iter" and args:
        return args[0], "element"
    return None


def _is_copy(item: str) -> bool:
    return item in _COPY or (item.startswith("&") and not item.startswith("&mut"))


def twin_items(f: Facts, read: Reader) -> list[Op]:
    """E0507 moving a borrowed collection into a consuming method: the twin, then the twin with
    each item copied."""
    at = f.moved_at
    if at is None or f.move_kind != "method" or "behind a shared reference" not in (f.message or ""):
        return []
    source = read(at.file)
    call = source[at.start : at.end] if source is not None else b""
    called = re.fullmatch(rb"([a-z_]+)\s*\(\s*\)", call)
    name = called.group(1).decode() if called else ""
    twin = BORROWING_TWIN.get(name)
    if twin is None or name == "into_bytes":
        return []
    place = f.binding or "the collection"
    rename = Edit(file=at.file, start=at.start, end=at.start + len(name), replacement=twin)
    ops: list[Op] = [
        (
            [rename],
            f"call `{twin}()`, which borrows `{place}`, instead of `{name}()`, which consumes it",
            "op:borrow-twin",
            0.64,
        )
    ]
    item = item_of(name, f.binding_type or "")
    if item is None:
        return ops
    ty, noun = item
    adapter = "copied" if _is_copy(ty) else "cloned"
    price = "a plain copy of each" if adapter == "copied" else "a clone of each"
    ops.append(
        (
            [rename, Edit(file=at.file, start=at.end, end=at.end, replacement=f".{adapter}()")],
            f"call `{twin}()` and `.{adapter}()` each `{ty}` {noun} it yields instead of consuming "
            f"`{place}` with `{name}()` (`{place}` stays whole; {price} {noun}, {NO_COPY})",
            FAMILY,
            0.63,
        )
    )
    return ops
