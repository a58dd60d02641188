"""The order a story's fixes are shown in: which of two options that both compile an expert reaches
for first.

Split from `engine.explain.options` (which builds the options) because ranking runs again after each
validation pass (`validation`, `testing`, `set_tests`) on options that already carry their verdicts.
The rules need no guess: compiled before unchecked, fewer errors left first, a transfer or a borrow
before a clone, and one that changes what the code means, panics, adds lints or keeps rustc's
placeholder text after one of its own state that does not.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import msgspec

from engine.explain.narrower import COST as NARROWER_COST
from engine.explain.narrower import over_tied
from engine.explain.types import PatchOption

_STATE_RANK = {"compiles": 0, "type-checks": 1, "uncovers": 2, "not-checked": 3, "fails": 4}

# rustc's placeholder words in a suggestion (`.expect("REASON")`) and a whole container cloned only to
# index or slice it (`&words.clone()[0]`): both compile, neither is what an expert writes
_PLACEHOLDER = re.compile(r'"(?:REASON|reason|\.\.\.|TODO)"')
_CLONE_TO_INDEX = re.compile(r"\.clone\(\)\s*\[")


def inexpert(o: PatchOption) -> int:
    """1 when the patch keeps rustc's placeholder text or clones a whole container to read one
    element: it ranks below a fix of its own state that does neither."""
    return int(any(_PLACEHOLDER.search(ln) or _CLONE_TO_INDEX.search(ln) for ln in o.shows))


# the price `copycost` states for a clone of a whole std collection
_COLLECTION_CLONE = re.compile(
    r"allocates and copies the `(?:\w+::)*(?:Vec|VecDeque|HashMap|BTreeMap|HashSet|BTreeSet)<"
)


def clones_collection(o: PatchOption) -> int:
    """1 when the option's clone copies a whole collection (its cost says so): one that borrows the
    collection and clones only what it moves out of each element (`for t in &self.tracks` with
    `t.title.clone()`) copies at most the same, so it goes first (review A a19)."""
    return int(bool(_COLLECTION_CLONE.search(o.cost)))


def changes_meaning(o: PatchOption) -> int:
    """1 when the option's cost flags a change of meaning (a cast that loses value, a frozen run-time
    value, a derived order; `engine.explain.meaning`): it ranks after an option of its own state
    that has none, so `pixels[i] as i32` (widening) leads `amount as u8`. A clone's cost is a price,
    not a change of meaning."""
    return int(bool(o.cost) and o.kind != "clone" and not transfers(o) and not copies_less(o))


# the price a fix states when it moves or lends what rustc's clone copies: "no copies" of a consumed
# receiver (`engine.repair.consuming_receiver`), "no copy of it" of a borrowed view
# (`engine.repair.borrowed_view`)
_NO_COPY = re.compile(r"\bno cop(?:y|ies)\b")


def copies_less(o: PatchOption) -> bool:
    """The option takes the receiver by value where every caller is done with it, or lends an
    `Option`'s inside where the code only reads it: it moves or lends what a clone would copy, so
    it goes before a clone of its own state (even one that converts the result it returns)."""
    return bool(_NO_COPY.search(o.cost))


def panics(o: PatchOption) -> int:
    """1 when the option's cost says its inserted unwrap panics (`engine.explain.meaning.adds_unwrap`):
    among options of one state it goes after one that decides what "no value" means (a default, an
    error passed on with `?`), rustc's `.expect("REASON")` included."""
    return int("panics where" in o.cost or "panics at run time" in o.cost)


_REBIND = re.compile(r"^\s*(\w+) = \1\s*\.\s*\w+\(")


def _rebinds(o: PatchOption) -> bool:
    """`b = b.append(x);`: keeps what a `self`-taking method returns, where a clone loses it."""
    return any(_REBIND.match(ln) for ln in o.shows)


_TRANSFER = re.compile(r"\bstd::mem::(?:take|replace)\(|\.(?:take|pop|remove|swap_remove)\(")


def transfers(o: PatchOption) -> bool:
    """The option moves the value out and leaves the owner whole (`std::mem::take`/`replace`,
    `Option::take`, `Vec::remove`/`pop`): Rusta offers one only where the place is behind `&mut` or
    is reset right after the move (`engine.repair.take_out`), so it goes before a clone of its own
    state, which deep-copies a value the code is done with."""
    return not clones(o) and any(_TRANSFER.search(ln) for ln in o.shows)


def clones(o: PatchOption) -> bool:
    """A clone, or a fix finished in steps that clones (its kind is "other" once finished)."""
    return o.kind == "clone" or any(".clone()" in ln or _UFCS_CLONE.search(ln) for ln in o.shows)


_UFCS_CLONE = re.compile(r"\bClone>?::clone\(")  # rustc's `<Option<String> as Clone>::clone(&x)`


def rank(options: Iterable[PatchOption]) -> tuple[PatchOption, ...]:
    """Compiled before unchecked, failed ones removed; among compiled options the one that leaves the
    fewest errors in the crate goes first (it fixes more of them), a transfer (`transfers`) and a
    borrow go before any clone; unchecked ones keep their order, rustc's own suggestions first: an unchecked borrow of
    Rusta's (`send(&names)` where `send` takes a `Vec`) must not push rustc's working clone aside."""
    options = list(options)
    moves = {o.validated for o in options if transfers(o) or copies_less(o)}
    wide = over_tied(options)  # rustc's lifetime on every input, beside one on the borrowed ones only
    options = [
        msgspec.structs.replace(o, cost="; ".join(filter(None, (o.cost, NARROWER_COST))))
        if o.id in wide and NARROWER_COST not in o.cost
        else o
        for o in options
    ]
    kept = sorted(
        (o for o in options if o.validated != "fails"),
        # a `todo!()` hole goes last; among compiling fixes, the one that leaves fewer errors first
        key=lambda o: (
            _STATE_RANK[o.validated],
            o.panics_until_filled,
            # a fix that breaks the crate's tests goes below those that pass; untested, a transfer out
            # of a cursor's slot goes below the fixes that keep the container whole
            # a transfer whose later removal may take a second element goes below the clone
            bool(o.tests_failed)
            or o.tests_run == "timeout"  # its tests hang: as bad as failing
            or o.relocks  # it holds a guard that a later line takes again (engine.explain.guard_marks)
            or (bool(o.cursor) and not o.tests_run)
            or bool(o.removal_unsure)
            or o.rewrites_tests,  # green only through its edits to the tests (engine.explain.test_edits)
            o.errors_left + o.errors_new if o.validated == "compiles" else 0,
            int(clones(o) and not copies_less(o) and o.validated in moves),
            o.id in wide,
            bool(o.new_lints),  # a fix that adds clippy lints goes below one that adds none
            inexpert(o),
            clones_collection(o),
            changes_meaning(o),
            panics(o),
        ),
    )
    out: list[PatchOption] = []
    for state in ("compiles", "type-checks", "uncovers", "not-checked"):
        group = [o for o in kept if o.validated == state]
        borrows = (
            [
                o
                for o in group
                if (o.kind == "borrow" or _rebinds(o)) and not o.tests_failed and not o.new_lints
            ]
            if state != "not-checked"
            else []
        )
        shown: set[str] = set()
        for o in group:
            if o.kind == "clone":
                out.extend(b for b in borrows if b.id not in shown)
                shown.update(b.id for b in borrows)
            if o.id not in shown:
                out.append(o)
                shown.add(o.id)
    return tuple(out)
