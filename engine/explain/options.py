"""The options of a story that show code: every rustc suggestion and every repair candidate, as patches.

An option that shows code is an edit set with its diff, never a filled-in template: what the user
reads (`shows`) is the diff's added lines, so it names only what the program has or what the patch
adds. Validation (`engine.explain.validation`) later marks each one compiles or fails; until then it
is "not-checked" and says so.

Ranking is rustc's trust level and the repair engine's score, then rules that need no guess:
options that compiled go before unchecked ones, one that changes what the code means (a cast that
loses value, `engine.explain.meaning`) after one that does not, and a borrow before a clone.
A cost word ("allocates") is said only when rustc named the value's type and that type owns heap data;
an `as` cast's hazard (a negative `i32` wrapping to a huge `usize`) only from the two types rustc named.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

import msgspec

from engine.edits import EditError, added_lines, diff_of_edits, edit_id
from engine.explain import every_site
from engine.explain.casts import cast_cost as cast_cost
from engine.explain.casts import casts_cost
from engine.explain.copycost import OWNING as _OWNING
from engine.explain.copycost import clone_cost as clone_cost
from engine.explain.copycost import patch_clone_cost
from engine.explain.copycost import value_type as value_type
from engine.explain.meaning import meaning_cost
from engine.explain.narrower import COST as NARROWER_COST
from engine.explain.narrower import over_tied
from engine.explain.types import FixKind, PatchOption
from engine.explain.uninferred import CODES as UNINFERRED_CODES
from engine.explain.uninferred import annotated_binding
from engine.facts.parse import facts_of
from engine.memory.priors import spellings
from engine.patching.diffs import first_place
from engine.repair.derive import combined_derives, into_derive_lists, names_derived
from engine.repair.registry import template_candidates
from engine.repair.sender_drop import keeps_receiver_open
from engine.repair.suggestions import suggestion_candidates
from engine.repair.types import Candidate
from toolbelt.types import Diagnostic

MAX_OPTIONS = 8  # per story: every rustc suggestion fits; the templates' long tail does not
# Rusta's own candidates below this prior are guesses without a type fact behind them (`.into()` into
# any type, `.unwrap()`): shown as a fix they were wrong more often than right in blind reviews.
MIN_PRIOR = 0.4
_SKIP_DIRS = {"target", ".git", ".rusta", ".hg", ".jj", "node_modules"}
_CLONE_CALLS = (".clone()", ".to_owned()", ".to_vec()", ".to_string()", ".cloned()")
_BORROW_FAMILIES = {"borrow", "ref-mut", "ref-self", "borrow-loop-source", "borrow-self-param"}
_STATE_RANK = {"compiles": 0, "type-checks": 1, "uncovers": 2, "not-checked": 3, "fails": 4}


# Inside `one_run` (one explain run, on this thread) the crate is walked once and each file read once,
# however many stories ask: a walk of a 1,000-file crate costs ~8 ms, and every story's options asked.
_run: ContextVar[dict[tuple[str, Path], object] | None] = ContextVar("rusta_explain_run", default=None)


@contextmanager
def one_run() -> Iterator[None]:
    """The stories built inside see one walk and one read of each file: the same program, read once."""
    token = _run.set({})
    try:
        yield
    finally:
        _run.reset(token)


def crate_rs_files(root: Path) -> tuple[str, ...]:
    memo = _run.get()
    if memo is not None and ("walk", root) in memo:
        return memo["walk", root]  # type: ignore[return-value]
    out: list[str] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d not in _SKIP_DIRS]
        out.extend(Path(dirpath, f).relative_to(root).as_posix() for f in filenames if f.endswith(".rs"))
    found = tuple(sorted(out))
    if memo is not None:
        memo["walk", root] = found
    return found


def _reader(root: Path, cache: dict[str, bytes | None]):  # -> Reader
    def read(rel: str) -> bytes | None:
        if rel not in cache:
            p = (root / rel).resolve()
            ok = p.is_relative_to(root.resolve()) and p.is_file()
            cache[rel] = p.read_bytes() if ok else None
        return cache[rel]

    return read


_DERIVE_LINE = re.compile(r"^[+\- ]\s*#\[derive\(([^()]*)\)\]\s*$")
_PUB_ITEM = re.compile(r"^[+ ]\s*pub\s+(?:struct|enum)\s+(\w+)")


def public_derives(diff: str) -> str:
    """ "adds `Clone` to the public type `Job`" when the patch derives a trait on a `pub` type: a
    derive there is a promise to every user of the crate, never a silent side step of a fix."""
    said: list[str] = []
    lines = diff.splitlines()
    for i, ln in enumerate(lines):
        m = _DERIVE_LINE.match(ln)
        if not m or not ln.startswith("+"):
            continue
        before = next((_DERIVE_LINE.match(p) for p in lines[max(0, i - 3) : i] if p.startswith("-")), None)
        old = {t.strip() for t in before.group(1).split(",")} if before else set()
        new = [t.strip() for t in m.group(1).split(",") if t.strip() and t.strip() not in old]
        item = next((_PUB_ITEM.match(n) for n in lines[i + 1 : i + 4] if _PUB_ITEM.match(n)), None)
        if new and item:
            said.append(f"adds `{', '.join(new)}` to the public type `{item.group(1)}`")
    return "; ".join(said)


def _kind(c: Candidate) -> FixKind:
    """Borrow or clone, from what the edit writes (and the template's family where it has one)."""
    text = " ".join(e.replacement for e in c.edits)
    if c.family == "clone" or any(call in text for call in _CLONE_CALLS):
        return "clone"
    if (
        c.family in _BORROW_FAMILIES
        or c.family.startswith("op:borrow")
        or any(re.match(r"\s*(?:&|ref\b)", e.replacement) and e.start == e.end for e in c.edits)
    ):
        return "borrow"
    return "other"


_DEREFS = ("deref", "op:deref")


def moves_out(expected: str | None) -> bool:
    """`*r` where the value wanted is an owning type (`String`, `Vec<_>`): that moves out of the
    borrow, which borrowck refuses (E0507) for any type that is not `Copy`. Checked alone beside a
    type error it would only type-check, so it is never offered."""
    return bool(expected) and bool(_OWNING.fullmatch((expected or "").strip().split("<")[0]))


def _option(
    c: Candidate,
    files: Mapping[str, bytes],
    cost_type: str | None,
    found: str | None = None,
    diag: Diagnostic | None = None,
) -> PatchOption | None:
    if not all(e.file in files for e in c.edits):
        return None
    try:
        diff = diff_of_edits({k: files[k] for k in {e.file for e in c.edits}}, c.edits)
    except EditError:
        return None
    if not diff:
        return None
    file, line = first_place(diff)
    kind = _kind(c)
    return PatchOption(
        id=c.id,
        name=c.description,
        edits=c.edits,
        patch=diff,
        shows=added_lines(diff),
        file=file,
        line=line,
        source="rustc" if c.source in ("rustc", "clippy") else "template",
        applicability=c.applicability,
        kind=kind,
        cost="; ".join(
            filter(
                None,
                (
                    (keeps_receiver_open(c.edits, diag, files.get) if diag is not None else "")
                    or (behaviour(c.description) if c.family in _TRANSFER_FAMILIES | _PRICED else "")
                    or (
                        patch_clone_cost(added_lines(diff), diag, cost_type)
                        if kind == "clone"
                        else (
                            casts_cost(c.edits, diff, found, diag, files.get)
                            or meaning_cost(c.edits, files, diff, diag, c.family, found)
                        )
                    ),
                    public_derives(diff),  # said beside the cost, never instead of it
                ),
            )
        ),
    )


def build(
    diags: Iterable[Diagnostic], crate_root: str | Path, *, sites: bool = True
) -> tuple[PatchOption, ...]:
    """Every rustc suggestion and repair candidate for a story's diagnostics, as patches, best first.

    rustc's suggestions with a `/* placeholder */` are left out: they cannot compile as written.
    `sites`: the diagnostics are places of one mistake, so one edit kind at each is one fix
    (`engine.explain.every_site`); not for one mistake reported twice at one place.
    """
    root = Path(crate_root)
    memo = _run.get()
    cache: dict[str, bytes | None] = {} if memo is None else memo.setdefault(("read", root), {})  # type: ignore[assignment]
    read = _reader(root, cache)
    rs_files = crate_rs_files(root)
    best: dict[str, tuple[Candidate, str | None]] = {}
    found_of: dict[str, str | None] = {}
    diag_of: dict[str, Diagnostic] = {}
    order: list[str] = []
    plain_of: dict[str, Candidate] = {}  # a rendering's id -> the original it falls back on
    verbatim: set[str] = set()  # rustc suggestions Rusta rewrote, checked only to say if they fail
    diags = list(diags)
    combined = combined_derives(diags, read, rs_files)  # one derive for every trait the errors ask
    per_site: list[list[Candidate]] = []
    for i, d in enumerate(diags):
        cost_type = value_type(d)
        found_type = facts_of(d).found
        try:
            found = (
                suggestion_candidates(d, read) + template_candidates(d, read, rs_files) + combined * (i == 0)
            )
            listed = into_derive_lists(found, read, rs_files)
            # rustc's own words, rewritten above into something they do not say, are still checked as
            # written: when they fail, the user who just read them learns why (`modes.verdicts`)
            kept = [
                c
                for c in found
                if c.source in ("rustc", "clippy") and c not in listed and names_derived(c, read)
            ]
            verbatim.update(c.id for c in kept)
            found = listed + kept
            if (d.code_str or "") in UNINFERRED_CODES and not any(c.source == "rustc" for c in found):
                found += annotated_binding(d, root)[0]  # rustc wrote no type in: one from a typed fact
        except (OSError, ValueError, IndexError):  # a template reading a file changed under it
            found = suggestion_candidates(d)
        found = _in_repo_words(found, d, root, read, plain_of)
        per_site.append(found)
        for c in found:
            if c.source == "template" and c.score < MIN_PRIOR:
                continue  # a long shot (`.into()` to any type) is the repair search's to try, not a shown fix
            if c.family in _DEREFS and moves_out(facts_of(d).expected):
                continue
            found_of.setdefault(c.id, found_type)
            diag_of.setdefault(c.id, d)
            if c.id not in best:
                order.append(c.id)
                best[c.id] = (c, cost_type)
                continue
            # one edit from rustc and a template: cite rustc, rank by the better score
            held = best[c.id][0]
            keep = held if held.source != "template" or c.source == "template" else c
            best[c.id] = (msgspec.structs.replace(keep, score=max(held.score, c.score)), cost_type)
    for whole, parts in (
        every_site.combine(per_site) if sites else ()
    ):  # one edit kind at every site: one fix, not N
        if any(p not in best for p in parts) or whole.id in best:
            continue  # a site's edit was left out above (a long shot): the set is not every site
        at = min(order.index(p) for p in parts if p in order)
        order = [i for i in order if i not in parts]
        order.insert(min(at, len(order)), whole.id)
        best[whole.id] = (whole, best[parts[0]][1])
        found_of[whole.id], diag_of[whole.id] = found_of[parts[0]], diag_of[parts[0]]
    ranked = sorted(order, key=lambda i: (i in verbatim, best[i][0].source == "template", -best[i][0].score))
    edited = {e.file for i in ranked for c in (best[i][0], plain_of.get(i)) if c for e in c.edits}
    files = {rel: data for rel in edited if (data := read(rel))}
    out: list[PatchOption] = []
    for cid in ranked:
        opt = _option(best[cid][0], files, best[cid][1], found_of.get(cid), diag_of.get(cid))
        plain = plain_of.get(cid)
        if opt is not None and plain is not None:
            orig = _option(plain, files, best[cid][1], found_of.get(cid), diag_of.get(cid))
            opt = msgspec.structs.replace(opt, plain=(orig,) if orig is not None else ())
        if opt is not None:
            out.append(opt)
        if len(out) >= MAX_OPTIONS:
            break
    return rank(out)


def _in_repo_words(
    found: list[Candidate],
    d: Diagnostic,
    root: Path,
    read: Callable[[str], bytes | None],
    plain_of: dict[str, Candidate],
) -> list[Candidate]:
    """`found` written in the repo's style before validation (`engine.memory.priors.spellings`,
    as `rusta fix` writes them): a story shows one spelling, the rendering, under its own edit id;
    its original is kept in `plain_of` and validated only if the rendering fails."""
    out: list[Candidate] = []
    for r, c in spellings(found, d, root, read):
        if c is not None:
            r = msgspec.structs.replace(r, id=edit_id(r.edits))
            plain_of.setdefault(r.id, c)
        out.append(r)
    return out


# rustc's placeholder words in a suggestion (`.expect("REASON")`) and a whole container cloned only to
# index or slice it (`&words.clone()[0]`): both compile, neither is what an expert writes
_PLACEHOLDER = re.compile(r'"(?:REASON|reason|\.\.\.|TODO)"')
_CLONE_TO_INDEX = re.compile(r"\.clone\(\)\s*\[")


def inexpert(o: PatchOption) -> int:
    """1 when the patch keeps rustc's placeholder text or clones a whole container to read one
    element: it ranks below a fix of its own state that does neither."""
    return int(any(_PLACEHOLDER.search(ln) or _CLONE_TO_INDEX.search(ln) for ln in o.shows))


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


# what a transfer leaves behind (a default, a stand-in, a shorter vector) is its behaviour: pair mode
# shows it as the option's cost, as it shows a clone's copy
_TRANSFER_FAMILIES = frozenset({"op:mem-take", "op:mem-replace", "op:vec-take", "op:take", "mem-replace"})
# a fix whose description states its own price in its closing parenthesis: the consumed receiver
# (`engine.repair.consuming_receiver`), a public signature changed (`engine.repair.collect_target`)
_PRICED = frozenset({"op:consume-self", "op:collect-target-api", "op:option-view"})
_TRANSFER = re.compile(r"\bstd::mem::(?:take|replace)\(|\.(?:take|pop|remove|swap_remove)\(")


def behaviour(description: str) -> str:
    """What a transfer leaves behind, out of its description: the `which ...` clause, else the
    closing parenthesis, else the clause after "and"; the whole description when none is there."""
    if ", which " in description:
        return description.split(", which ", 1)[1]
    m = re.search(r"\(([^()]*(?:\([^()]*\)[^()]*)*)\)$", description)
    if m:
        return m.group(1)
    return description.split(" and ", 1)[1] if " and " in description else description


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
            bool(o.tests_failed) or (bool(o.cursor) and not o.tests_run) or bool(o.removal_unsure),
            o.errors_left + o.errors_new if o.validated == "compiles" else 0,
            int(clones(o) and not copies_less(o) and o.validated in moves),
            o.id in wide,
            bool(o.new_lints),  # a fix that adds clippy lints goes below one that adds none
            inexpert(o),
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


def with_state(
    option: PatchOption, validated: str, check_s: float, errors_left: int = 0, fails_because: str = ""
) -> PatchOption:
    return msgspec.structs.replace(
        option, validated=validated, check_s=check_s, errors_left=errors_left, fails_because=fails_because
    )
