"""Held-out mutation families: kinds of single mistakes no repair rule was written against.

The families in `mutate.OPERATORS` are the ones repair was developed on; the fix rate on them says
little about a mistake of a new kind. These operators make the bench's "held-out families" split:
dropped casts and view conversions, a trait impl's `&mut self` turned `&self`, a dropped `*` in a
match scrutinee, a misspelt field, a removed trait bound, swapped arguments, a wrong enum variant, a
removed lifetime and a mistake inside a `#[cfg(test)]` module. They are kept apart from
`mutate.OPERATORS` so adding them shifts none of the dev or held-out-crate episodes. A crate whose
suite already fails is an episode option, not an operator (`fail_one_test`, gym.failing_suite).

Pure, like mutate.py: text in, Mutations out.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import msgspec

from engine.gym.mutate import (
    Mutation,
    _mk,
    _test_region_start,
    drop_clone,
    drop_mut,
    drop_ref,
    drop_ref_mut,
    typo,
)
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


def _block_end(text: str, open_at: int) -> int:
    """Offset just past the bracket that closes the one at `open_at` (`{` or `(`)."""
    close = {"{": "}", "(": ")"}[text[open_at]]
    depth, i = 0, open_at
    while i < len(text):
        if text[i] == text[open_at]:
            depth += 1
        elif text[i] == close:
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return len(text)


def _split_top(body: str) -> list[str]:
    """`body` split at the commas outside any bracket (an enum's variants, a list of parameters)."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(body):
        if ch in "([{<":
            depth += 1
        elif ch in ")]}>":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(body[start:i])
            start = i + 1
    parts.append(body[start:])
    return parts


def _enum_variants(text: str) -> dict[str, dict[str, str]]:
    """Each enum declared in `text`: its variants and their shape (unit, tuple or struct)."""
    out: dict[str, dict[str, str]] = {}
    for m in re.finditer(r"\benum\s+([A-Z]\w*)\s*(?:<[^>{]*>)?\s*(?:where[^{]*)?\{", text):
        body = text[m.end() : _block_end(text, m.end() - 1) - 1]
        body = re.sub(r"//[^\n]*", "", body)
        variants: dict[str, str] = {}
        for part in _split_top(body):
            v = re.match(r"\s*(?:#\[[^\]]*\]\s*)*([A-Z]\w*)\s*([({]?)", part)
            if v:
                variants[v.group(1)] = {"(": "tuple", "{": "struct"}.get(v.group(2), "unit")
        out[m.group(1)] = variants
    return out


def wrong_variant(file: str, text: str) -> Iterator[Mutation]:
    """`Shape::Circle` -> `Shape::Cirle` (misspelt), or -> `Shape::Square` where Square's shape
    (unit, tuple or struct) differs, so the other variant cannot stand in: a wrong variant name of an
    enum the file declares. A same-shape swap would compile (a logic slip, not this family)."""
    enums = _enum_variants(text)
    if not enums:
        return
    pattern = rf"\b({'|'.join(map(re.escape, enums))})::([A-Z]\w*)\b"
    for m in re.finditer(pattern, text):
        variants, name = enums[m.group(1)], m.group(2)
        if name not in variants:
            continue
        bad = name[:2] + name[3:]
        if len(name) >= 4 and bad not in variants:
            yield _mk("wrong-variant", file, text, m.start(2), m.end(2), bad)
        other = next((v for v, shape in variants.items() if shape != variants[name]), None)
        if other is not None:
            yield _mk("wrong-variant", file, text, m.start(2), m.end(2), other)


def removed_lifetime(file: str, text: str) -> Iterator[Mutation]:
    """`&'a T` -> `&T` (or `Chars<'a>` -> `Chars`) where elision cannot supply the lifetime: in a
    struct's or enum's field (elision never applies there), or `&'a T` in a function's return type when
    the function takes no `self` and not exactly one reference (rustc has no single input lifetime to
    give the output)."""
    for m in re.finditer(r"\b(?:struct|enum)\s+\w+\s*<([^>]*'\w[^>]*)>\s*(?:where[^{(;]*)?[({]", text):
        params = set(re.findall(r"'(\w+)", m.group(1)))
        end = _block_end(text, m.end() - 1)
        for r in re.finditer(r"&('(\w+)\s+)|\w(<'(\w+)>)", text[m.end() : end]):
            group = 1 if r.group(1) else 3
            if r.group(group + 1) in params:
                at = m.end() + r.start(group)
                yield _mk("removed-lifetime", file, text, at, at + len(r.group(group)), "")
    for m in re.finditer(r"\bfn\s+\w+\s*<([^>]*'\w[^>]*)>\s*\(", text):
        close = _block_end(text, m.end() - 1)
        args = text[m.end() : close - 1]
        if re.search(r"\bself\b", args) or sum(a.count("&") for a in _split_top(args)) == 1:
            continue
        ret = re.match(r"\s*->\s*([^{;]*?)\s*(?:\bwhere\b|\{|;)", text[close:])
        if ret is None:
            continue
        params = set(re.findall(r"'(\w+)", m.group(1)))
        for r in re.finditer(r"&('(\w+)\s+)", ret.group(1)):
            if r.group(2) in params:
                at = close + ret.start(1) + r.start(1)
                yield _mk("removed-lifetime", file, text, at, at + len(r.group(1)), "")


_IN_TEST_SLIPS = (drop_mut, drop_ref, drop_ref_mut, drop_clone, typo)


def in_test_module(file: str, text: str) -> Iterator[Mutation]:
    """A dev slip (a dropped `mut`, `&`, `&mut`'s `mut`, `.clone()`, a misspelt binding) made inside
    the `#[cfg(test)]` module: the library builds, the test build does not. `mutate.sites` keeps only
    this kind's sites after the test region starts (TEST_CODE_KINDS)."""
    start = len(text[: _test_region_start(text)].encode())
    for op in _IN_TEST_SLIPS:
        for mut in op(file, text):
            if mut.start >= start:
                yield msgspec.structs.replace(mut, kind="test-module-mistake")


_PLAIN_TEST = re.compile(r"(?m)^([ \t]*)#\[test\]\s*\n[ \t]*fn\s+(\w+)\s*\(\s*\)\s*\{")


def fail_one_test(file: str, text: str) -> Mutation | None:
    """The edit that makes the file's first plain `#[test]` fail: `assert!(false, ...)` as its first
    statement. Not a mistake to repair: it stands for a crate whose suite already fails (a doctest
    that depends on the platform, a test that needs a dev-dependency) before the mistake is made.
    A test under any other attribute (`#[should_panic]`, `#[ignore]`) is passed over: there the
    assertion would not make a passing test fail."""
    for m in _PLAIN_TEST.finditer(text):
        before = text[: m.start()].rstrip().rsplit("\n", 1)[-1].strip()
        if before.startswith("#["):
            continue
        note = f' assert!(false, "gym: `{m.group(2)}` fails before the mistake");'
        return _mk("failing-suite", file, text, m.end(), m.end(), note)
    return None


FAMILY_OPERATORS: dict[str, Callable[[str, str], Iterator[Mutation]]] = {
    "dropped-cast": dropped_cast,
    "dropped-view": dropped_view,
    "impl-self-not-mut": impl_self_not_mut,
    "match-without-deref": match_without_deref,
    "field-typo": field_typo,
    "removed-bound": removed_bound,
    "swapped-args": swapped_args,
    "wrong-variant": wrong_variant,
    "removed-lifetime": removed_lifetime,
    "test-module-mistake": in_test_module,
}

# Its own split (`RUSTA_GYM_SPLIT=use-items`): added to FAMILY_OPERATORS it would redraw every
# recorded held-out-family episode.
USE_ITEM_OPERATORS: dict[str, Callable[[str, str], Iterator[Mutation]]] = {
    "removed-use-item": removed_use_item,
}
