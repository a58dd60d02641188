"""Held-out mutation families: kinds of single mistakes no repair rule was written against.

The families in `mutate.OPERATORS` are the ones repair was developed on; the fix rate on them says
little about a mistake of a new kind. These operators make the bench's "held-out families" split:
dropped casts and view conversions, a trait impl's `&mut self` turned `&self`, a dropped `*` in a
match scrutinee, a misspelt field, a removed trait bound, and swapped arguments. They are kept apart
from `mutate.OPERATORS` so adding them shifts none of the dev or held-out-crate episodes.

Pure, like mutate.py: text in, Mutations out.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from engine.gym.mutate import Mutation, _mk
from engine.syntax.use_items import multi_name, use_items

_NUM = r"(?:u8|u16|u32|u64|u128|usize|i8|i16|i32|i64|i128|isize|f32|f64)"


def dropped_cast(file: str, text: str) -> Iterator[Mutation]:
    """`x as u64` -> `x`: the conversion between numeric types forgotten."""
    for m in re.finditer(rf"\s+as\s+{_NUM}\b", text):
        yield _mk("dropped-cast", file, text, m.start(), m.end(), "")


def dropped_view(file: str, text: str) -> Iterator[Mutation]:
    """`.as_ref()`, `.as_str()`, `.to_path_buf()`, `.to_vec()`, `.as_slice()`, `.as_bytes()` forgotten."""
    for m in re.finditer(
        r"\.(?:as_ref|as_str|to_path_buf|to_vec|as_slice|as_bytes|as_deref|as_mut)\(\)", text
    ):
        yield _mk("dropped-view", file, text, m.start(), m.end(), "")


def impl_self_not_mut(file: str, text: str) -> Iterator[Mutation]:
    """In `impl Trait for T`, a method's `&mut self` written `&self`."""
    for block in re.finditer(r"\bimpl(?:<[^>{]*>)?\s+[\w:<>, ]+\s+for\s+[^{]+\{", text):
        depth, i = 1, block.end()
        while i < len(text) and depth:
            depth += {"{": 1, "}": -1}.get(text[i], 0)
            i += 1
        for m in re.finditer(r"\bfn\s+\w+\s*(?:<[^>]*>)?\s*\(\s*&(mut )self", text[block.end() : i]):
            start = block.end() + m.start(1)
            yield _mk("impl-self-not-mut", file, text, start, start + len("mut "), "")


def match_without_deref(file: str, text: str) -> Iterator[Mutation]:
    """`match *self {` -> `match self {`: the scrutinee left a reference."""
    for m in re.finditer(r"\bmatch\s+(\*)[a-z_]\w*(?:\.\w+)*\s*\{", text):
        yield _mk("match-without-deref", file, text, m.start(1), m.end(1), "")


def field_typo(file: str, text: str) -> Iterator[Mutation]:
    """`self.length` -> `self.lenth`: a field name misspelt (one interior letter dropped)."""
    for m in re.finditer(r"\bself\.([a-z_][a-z0-9_]{3,})\b(?!\s*\()", text):
        name = m.group(1)
        yield _mk("field-typo", file, text, m.start(1), m.end(1), name[:2] + name[3:])


def removed_bound(file: str, text: str) -> Iterator[Mutation]:
    """`fn f<T: Display>(` -> `fn f<T>(`: a generic's only bound forgotten."""
    for m in re.finditer(r"\bfn\s+\w+\s*<\s*([A-Z]\w*)(\s*:\s*[A-Z][\w:]*)\s*>", text):
        yield _mk("removed-bound", file, text, m.start(2), m.end(2), "")


def swapped_args(file: str, text: str) -> Iterator[Mutation]:
    """`f(a, b)` -> `f(b, a)` for a call of two plain arguments (caught when their types differ)."""
    for m in re.finditer(r"\b[a-z_]\w*\(([a-z_]\w*), ([a-z_]\w*)\)", text):
        a, b = m.group(1), m.group(2)
        if a != b and a != "self" and b != "self":
            yield _mk("swapped-args", file, text, m.start(1), m.end(2), f"{b}, {a}")


def removed_use_item(file: str, text: str) -> Iterator[Mutation]:
    """`use a::{B, C, D};` or `use a::*;` deleted: one lost line that several names of the file needed.

    The syntax layer picks the items (any list binding two names or more, any glob); a `pub use` is
    left alone (its loss breaks other modules, not this file) and so is one under an attribute
    (removing the item would hand the `#[cfg]` to the next one).
    """
    data = text.encode()
    for item in use_items(data):
        if multi_name(item) and not item.public and not item.attributed:
            start = len(data[: item.start].decode("utf-8", "replace"))
            end = len(data[: item.end].decode("utf-8", "replace"))
            yield _mk("removed-use-item", file, text, start, end, "")


FAMILY_OPERATORS: dict[str, Callable[[str, str], Iterator[Mutation]]] = {
    "dropped-cast": dropped_cast,
    "dropped-view": dropped_view,
    "impl-self-not-mut": impl_self_not_mut,
    "match-without-deref": match_without_deref,
    "field-typo": field_typo,
    "removed-bound": removed_bound,
    "swapped-args": swapped_args,
}

# Its own split (`RUSTA_GYM_SPLIT=use-items`): added to FAMILY_OPERATORS it would redraw every
# recorded held-out-family episode.
USE_ITEM_OPERATORS: dict[str, Callable[[str, str], Iterator[Mutation]]] = {
    "removed-use-item": removed_use_item,
}
