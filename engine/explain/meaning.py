"""What an option's code means beyond removing the error: the flags a ✓ must not hide.

A ✓ says the crate compiles with the option in; it does not say the program still does what its
author meant. Each flag here rests on the edit's own code read through the syntax tree, or on the
two types of a cast, and is said as the option's cost; an option with such a flag ranks after one
of the same verdict without (`engine.explain.ranking.rank`).
- A cast that can lose value (`cast_cost`: narrowing, or a sign change): `amount as u8` wraps a
  negative or large `i32`, where `pixels[i] as i32` widens and keeps every value.
- A `LazyLock`/`OnceLock` whose value comes from a run-time source (a clock, the environment, a
  random number): it is taken on first use, not at start-up, and never again.
- A derived `PartialOrd`/`Ord`: the order is the fields' declaration order (a variant's, for an
  enum), which then decides every comparison, sort and heap; where the crate keeps the type in a
  `BinaryHeap`, that heap pops the greatest first, so an earliest-first queue needs `Reverse`.
- A sentinel: `-1` made `usize::MAX` keeps "no value" as a number the type cannot tell from a real
  one, where `Option<usize>` says it in the type.
- An `.unwrap()` the edit adds: where the value was `None` (or `Err`; for a lock's `LockResult`, a
  poisoned lock) the program now panics. On `get_disjoint_mut([i, j])` that is also where
  `i == j`, which plain indexing allowed.
- A derive of `PartialEq` asked only because a value is compared with `None` (rustc's spans: one
  operand of the `==` is the `None` literal): `.is_none()` or `let Some(..) else` needs no derive.
- A value picked only so that the code compiles: a missing struct field given its type's plain value
  (`timeout_ms: 0`, E0063) or rustc's `/* f64 */` hole filled with `0.0` (E0061); the user chooses
  the real one.
- A `_` added to a tuple pattern with too few fields (E0023): the arm never reads that field.
- A method renamed into a question (rustc's similar name `.is_sorted()` for `.sorted()`): the call
  is a `bool` now, where the old name promised values; it may still type-check.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from engine.edits import diff_side
from engine.explain.doc_moves import kept_in_item_docs
from engine.repair.types import Edit
from toolbelt.types import Diagnostic

# std calls whose value depends on when or where the program runs
_RUN_TIME = re.compile(
    r"\b(?:Instant::now|SystemTime::now|(?:std::)?env::(?:var|var_os|vars|args|args_os|current_dir)"
    r"|process::id|thread_rng|rand::random|random\(\)|read_to_string|fs::read)\b"
)
_LAZY = re.compile(r"\b(?:LazyLock|LazyCell|OnceLock|OnceCell|lazy_static!)\b")
_ORDERING = re.compile(r"#\[derive\([^)]*\b(?:PartialOrd|Ord)\b")


def frozen_value(edits: Iterable[Edit]) -> str:
    """The flag of a lazily initialised static or cell around a run-time source, or ""."""
    for e in edits:
        if _LAZY.search(e.replacement) and (m := _RUN_TIME.search(e.replacement)):
            source = m.group(0)
            return f"`{source}` runs on first use, not at start-up, and that value stays"
    return ""


def _adds_order(diff: str) -> bool:
    """The diff writes a derive of `PartialOrd`/`Ord` where none was: `Eq)]` -> `Eq, PartialOrd, Ord)]`."""
    removed, added = _changed(diff)
    return any(_ORDERING.search(a) for a in added) and not any(_ORDERING.search(r) for r in removed)


def derived_order(
    edits: Iterable[Edit], files: Mapping[str, bytes], diff: str, diag: Diagnostic | None = None
) -> str:
    """The flag of a derive that adds `PartialOrd`/`Ord`: the fields (or variants) that decide the
    order, in declaration order, read from the item the derive is written on."""
    if not _adds_order(diff):
        return ""
    for e in edits:
        if e.file not in files:
            continue
        from engine.syntax.tree import parse, preorder  # the parser only for a derive of an order

        source = files[e.file]
        item = next(
            (
                n
                for n in preorder(parse(source).root_node)
                if n.type in ("struct_item", "enum_item") and n.start_byte >= e.end
            ),
            None,
        )
        body = item.child_by_field_name("body") if item is not None else None
        if item is None or body is None:
            continue
        kind = "field_declaration" if item.type == "struct_item" else "enum_variant"
        names = [
            (label.text or b"").decode()
            for c in body.named_children
            if c.type == kind and (label := c.child_by_field_name("name")) is not None
        ]
        if len(names) < 2:
            continue
        shown = ", then ".join(f"`{n}`" for n in names[:3]) + (", ..." if len(names) > 3 else "")
        what = "fields" if kind == "field_declaration" else "variants"
        name_node = item.child_by_field_name("name")
        name = (name_node.text or b"").decode() if name_node is not None else ""
        heap = _in_max_heap(name, files.values(), diag)
        return f"the derived order compares {what} in declaration order: {shown}{heap}"
    return ""


def _in_max_heap(name: str, texts: Iterable[bytes], diag: Diagnostic | None) -> str:
    """The note for a type kept in a `BinaryHeap`, whose `pop` gives the greatest first: the crate's
    code spells `BinaryHeap<Name>`, or rustc's error about `Name` comes from a `BinaryHeap` method's
    bound ("required by a bound in `BinaryHeap::<T, A>::push`")."""
    held = re.compile(rb"\bBinaryHeap\s*<\s*" + re.escape(name.encode()) + rb"\b")
    said = " ".join([diag.message, *(c.message for c in diag.children)]) if diag is not None else ""
    bound = "BinaryHeap" in said and re.search(rf"`{re.escape(name)}\b", said) is not None
    if not name or not (bound or any(held.search(data) for data in texts)):
        return ""
    return (
        f"; a `BinaryHeap<{name}>` pops the greatest first: for smallest first, push `std::cmp::Reverse(..)`"
    )


_NEGATIVE = re.compile(r"(?<![\w)\]])-\s*\d")
_SENTINEL = re.compile(r"\b([iu](?:8|16|32|64|128|size))::(MAX|MIN)\b")
_DERIVES_EQ = re.compile(r"#\[derive\([^)]*\bPartialEq\b")


def _changed(diff: str) -> tuple[list[str], list[str]]:
    return diff_side(diff, "-"), diff_side(diff, "+")


def sentinel(diff: str) -> str:
    """The flag of a negative literal replaced by an integer type's `MAX`/`MIN`, or ""."""
    removed, added = _changed(diff)
    if not any(_NEGATIVE.search(r) for r in removed):
        return ""
    m = next((m for a in added if (m := _SENTINEL.search(a))), None)
    if m is None:
        return ""
    return f'`{m.group(0)}` stands for "no value" as a real `{m.group(1)}`; `Option<{m.group(1)}>` says it in the type'


def _compares_with_none(diag: Diagnostic | None) -> bool:
    """rustc's `==`/`!=` error whose labelled operand is the `None` literal itself."""
    if diag is None or diag.code_str != "E0369":
        return False
    for sp in diag.spans:
        for ln in sp.text:
            if ln.text[ln.highlight_start - 1 : ln.highlight_end - 1].strip() == "None":
                return True
    return False


def derive_for_none(diag: Diagnostic | None, diff: str) -> str:
    """The flag of a `PartialEq` derive whose only use is comparing with `None`, or ""."""
    removed, added = _changed(diff)
    adds_eq = any(_DERIVES_EQ.search(a) for a in added) and not any(_DERIVES_EQ.search(r) for r in removed)
    if not adds_eq or not _compares_with_none(diag):
        return ""
    return "derives `PartialEq` only to compare with `None`; `.is_none()` needs no derive"


_PANIC_CALL = re.compile(r"\.unwrap\(\)|\.expect\(")
_EXPECT_CALL = re.compile(r'\.expect\("(?:[^"\\]|\\.)*"\)')  # `.expect("...")` with one string literal


def adds_unwrap(
    diff: str,
    found: str | None = None,
    edits: Iterable[Edit] = (),
    files: Mapping[str, bytes] | None = None,
) -> str:
    """The flag of an edit that writes more `.unwrap()`/`.expect(..)` calls than it removes, or "".

    The general mistake it avoids: one panic condition for every inserted unwrap, when it is the
    receiver's type's. rustc's found type (`facts.found`, the value the unwrap is written after)
    names the one variant that panics: `None` for an `Option`, `Err` for a `Result`, and for a
    `LockResult` (`Result<_, PoisonError<_>>`) a poisoned lock. Without it, the patched code's tree
    says whether the unwrap takes a `Mutex`/`RwLock` guard (`engine.syntax.lock_guards`); otherwise
    the flag names no variant."""
    removed, added = _changed(diff)
    if sum(len(_PANIC_CALL.findall(a)) for a in added) <= sum(len(_PANIC_CALL.findall(r)) for r in removed):
        return ""
    written = next((m.group(0) for a in added if (m := _EXPECT_CALL.search(a))), ".expect(..)")
    call = "`.unwrap()`" if any(".unwrap()" in a for a in added) else f"`{written}`"  # as the patch has it
    variant = unwrapped_variant(found)
    flag = f"{call} panics where the value is `{variant}`"
    lock = _locked(edits, files) if variant is None else None
    if variant == "poisoned" or lock is not None:
        on, what = (f" on `{lock[1]}()`", f"the `{lock[0]}`") if lock else ("", "the lock")
        flag = f"{call}{on} panics only where {what} is poisoned: another thread panicked while holding it"
    elif variant is None:
        flag = f"{call} panics at run time where its receiver holds no value or an error"
    hole = next((m.group(0) for a in added if (m := _HOLE.search(a))), None)
    return flag if hole is None else f"{flag}; {hole} is rustc's placeholder: the message is yours to write"


# rustc's stand-in message in a HasPlaceholders suggestion (`.expect("REASON")`): not final text.
# The general mistake: presenting a placeholder as the message the program will print when it panics.
_HOLE = re.compile(r'(?<=\.expect\()"(?:REASON|reason|\.\.\.|TODO)"(?=\))')


_ON_TYPE = re.compile(r"(?:on type |found for (?:enum|struct) )`([^`]+)`")


def _receiver_type(diag: Diagnostic | None) -> str | None:
    """The type rustc names as the receiver of a field or method error (E0609 "no field `x` on type
    `Option<&T>`", E0599 "no method named `x` found for enum `Option`"): where an unwrap goes."""
    m = _ON_TYPE.search(diag.message) if diag is not None else None
    return m.group(1) if m else None


def _locked(edits: Iterable[Edit], files: Mapping[str, bytes] | None) -> tuple[str, str] | None:
    """(lock type, method) where an edit writes `.unwrap()` on a lock method's result, read from the
    patched file: the value the lock method is called on is followed to where it is made."""
    from engine.edits import EditError, apply_edits
    from engine.syntax.lock_guards import guarded_lock  # the parser only for a patch that unwraps

    by_file: dict[str, list[Edit]] = {}
    for e in edits:
        by_file.setdefault(e.file, []).append(e)
    for file, mine in by_file.items():
        if files is None or file not in files:
            continue
        try:
            patched = apply_edits(files[file], mine)
        except EditError:
            continue
        shift = 0
        for e in sorted(mine, key=lambda e: (e.start, e.end)):
            start, size = e.start + shift, len(e.replacement.encode())
            shift += size - (e.end - e.start)
            if _PANIC_CALL.search(e.replacement) and (lock := guarded_lock(patched, start, start + size)):
                return lock
    return None


def unwrapped_variant(found: str | None) -> str | None:
    """`None` for an `Option<..>`, `Err` for a `Result<..>` (any path or alias: `io::Result<T>`),
    `poisoned` for std's `LockResult`/`TryLockResult` or a `Result` whose error is a `PoisonError`,
    else None: the variant whose unwrap panics."""
    ty = (found or "").strip()
    if re.match(r"(?:&\s*)?(?:[\w]+::)*(?:Try)?LockResult<", ty) or re.search(r"\bPoisonError<", ty):
        return "poisoned"
    m = re.match(r"(?:&\s*)?(?:[\w]+::)*(Option|Result)(?:<|$)", (found or "").strip())
    return None if m is None else {"Option": "None", "Result": "Err"}[m.group(1)]


def default_for_missing(diff: str) -> str:
    """The flag of an inserted `.unwrap_or_default()`: the type's default (`0`, `""`) now stands for
    "no value", which compiles and may not be what the program means; or ""."""
    removed, added = _changed(diff)
    n = ".unwrap_or_default()"
    if sum(a.count(n) for a in added) <= sum(r.count(n) for r in removed):
        return ""
    return "a missing value becomes the type's default (`0`, an empty text), which the code may not mean"


# a method name that asks a question: its call is a `bool`, whatever the receiver holds
_PREDICATE = re.compile(r"^(?:is_|has_|contains|starts_with|ends_with|eq$|ne$|any$|all$)")
_CALL = re.compile(r"\.\s*([a-z_]\w*)\s*(?:::<[^>]*>)?\(")


def renamed_to_question(diff: str) -> str:
    """The flag of a rename of one method call into a predicate (`.sorted()` -> `.is_sorted()`): it
    type-checks where the value is only printed or passed on, but the result is a `bool` now, where
    the old name promised the values themselves; or "". A call the old line already compared
    (`.len() == 0`, clippy's `len_zero`) was a `bool` question too: no flag."""
    removed, added = _changed(diff)
    if len(removed) != 1 or len(added) != 1:
        return ""
    old, new = _CALL.findall(removed[0]), _CALL.findall(added[0])
    if len(old) != len(new):
        return ""
    pairs = [(a, b) for a, b in zip(old, new, strict=True) if a != b]
    if len(pairs) != 1 or not _PREDICATE.match(pairs[0][1]) or _PREDICATE.match(pairs[0][0]):
        return ""
    a, b = pairs[0]
    if re.search(rf"\.\s*{re.escape(a)}\s*\([^()]*\)\s*(?:==|!=|<=|>=|<|>)", removed[0]):
        return ""  # `.len() == 0` -> `.is_empty()`: the old expression was already the same question
    return f"`.{b}()` answers a question, a `bool`; `.{a}()` was written for the values themselves, so the meaning changes"


# the repair families that write a value of their own choosing (engine/repair/fields.py,
# engine/repair/placeholder_fill.py)
CHOSEN_VALUE_FAMILIES = frozenset({"add-fields", "fill-placeholder"})


def chosen_value(family: str, diff: str) -> str:
    """The flag of a value written only to compile (a plain `0`, `None`, `String::new()`), or ""."""
    if family not in CHOSEN_VALUE_FAMILIES or not diff:
        return ""
    return "the value written is a placeholder that compiles, not one the program meant: choose the real one"


_WILDCARD = re.compile(r"(?<![\w.])_(?![\w])")


def ignored_field(diag: Diagnostic | None, diff: str) -> str:
    """The flag of a wildcard added to a tuple pattern that had too few fields (E0023): the pattern
    compiles, and the arm never reads that field, which is right only if it never should."""
    if diag is None or diag.code_str != "E0023":
        return ""
    removed, added = _changed(diff)
    if sum(len(_WILDCARD.findall(a)) for a in added) <= sum(len(_WILDCARD.findall(r)) for r in removed):
        return ""
    return "the new `_` ignores a field the arm then never reads; bind it by name if the arm should use it"


def disjoint_unwrap(diff: str) -> str:
    """The flag of an edit that writes `get_disjoint_mut(..).unwrap()` in place of two index borrows:
    it panics on equal indexes too, where `v[i]` and `v[j]` panicked only out of range."""
    _, added = _changed(diff)
    if not any(".get_disjoint_mut(" in a and ".unwrap()" in a for a in added):
        return ""
    return (
        "`.unwrap()` panics when two indexes are equal or out of range; indexing panicked only out of range"
    )


def meaning_cost(
    edits: tuple[Edit, ...],
    files: Mapping[str, bytes],
    diff: str,
    diag: Diagnostic | None = None,
    family: str = "",
    found: str | None = None,
) -> str:
    """The first flag the option earns, or "". `found` is rustc's found type at the fix's site."""
    return (
        chosen_value(family, diff)
        or frozen_value(edits)
        or derived_order(edits, files, diff, diag)
        or sentinel(diff)
        or derive_for_none(diag, diff)
        or disjoint_unwrap(diff)
        or adds_unwrap(diff, found or _receiver_type(diag), edits, files)
        or default_for_missing(diff)
        or renamed_to_question(diff)
        or ignored_field(diag, diff)
        or kept_in_item_docs(edits, files)
    )
