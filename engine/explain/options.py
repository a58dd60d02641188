"""The options of a story that show code: every rustc suggestion and every repair candidate, as patches.

An option that shows code is an edit set with its diff, never a filled-in template: what the user
reads (`shows`) is the diff's added lines, so it names only what the program has or what the patch
adds. Validation (`engine.explain.validation`) later marks each one compiles or fails; until then it
is "not-checked" and says so.

Which options are kept is rustc's trust level and the repair engine's score; the order they are
shown in is `engine.explain.ranking`'s.
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
from engine.explain import every_site, joint_bounds
from engine.explain.casts import cast_cost as cast_cost
from engine.explain.casts import casts_cost, division_cost
from engine.explain.copycost import COPYING_CALL, patch_clone_cost, with_frequency
from engine.explain.copycost import OWNING as _OWNING
from engine.explain.copycost import clone_cost as clone_cost
from engine.explain.copycost import value_type as value_type
from engine.explain.meaning import meaning_cost
from engine.explain.open_constructors import called_through, opened_by
from engine.explain.patchwords import typed_clone_costs
from engine.explain.ranking import rank
from engine.explain.types import FixKind, PatchOption
from engine.explain.uninferred import CODES as UNINFERRED_CODES
from engine.explain.uninferred import annotated_binding
from engine.facts.parse import facts_of
from engine.memory.priors import spellings
from engine.patching.diffs import first_place
from engine.repair.derive import combined_derives, into_derive_lists, names_derived
from engine.repair.method_bounds import required_bound_rewrites
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
_BORROW_FAMILIES = {"borrow", "ref-mut", "ref-self", "borrow-loop-source", "borrow-self-param"}


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
    said += _widened(lines)
    return "; ".join(said)


_GAINS_PUB = re.compile(r"^\+(\s*)pub(?:\([^()]*\))?\s+(?P<rest>.*)$")
_ITEM_NAME = re.compile(r"(?:(?:const|async|unsafe|fn|struct|enum|trait|type|static|mod)\s+)+(\w+)|(\w+)\s*:")


def _widened(lines: list[str]) -> list[str]:
    """ "makes `apply` `pub`" for a line whose only change is a `pub` in front: the item or field
    leaves its module's privacy, so every caller outside may use it directly, past the methods that
    guarded it. A fix that compiles by opening an item up changes the API, and says so."""
    out: list[str] = []
    for i, ln in enumerate(lines):
        m = _GAINS_PUB.match(ln)
        if m is None:
            continue
        rest = m.group("rest").strip()
        was = next((p for p in lines[max(0, i - 3) : i] if p.startswith("-") and p[1:].strip() == rest), None)
        name = _ITEM_NAME.match(rest) if was is not None else None
        if name is not None:
            out.append(f"makes `{name.group(1) or name.group(2)}` `pub`, widening the API beyond its module")
    return out


def _kind(c: Candidate) -> FixKind:
    """Borrow or clone, from what the edit writes (and the template's family where it has one)."""
    text = " ".join(e.replacement for e in c.edits)
    if c.family == "clone" or COPYING_CALL.search(text):
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
                        with_frequency(
                            patch_clone_cost(added_lines(diff), diag, cost_type)
                            or "; ".join(
                                typed_clone_costs(c.edits, files.get)
                            ),  # the receiver's written type
                            c.edits,
                            files,
                        )
                        if kind == "clone"
                        else (
                            casts_cost(c.edits, diff, found, diag, files.get)
                            or meaning_cost(c.edits, files, diff, diag, c.family, found)
                        )
                    ),
                    division_cost(diff, diag, files.get),  # a cast's hazard does not hide a lost fraction
                    public_derives(diff),  # said beside the cost, never instead of it
                    opened_by(c.edits, files.get),  # a public constructor that sets private fields
                    called_through(c.edits, files.get),  # a constructor that transforms or asserts
                ),
            )
        ),
    )


def build(
    diags: Iterable[Diagnostic], crate_root: str | Path, *, sites: bool = True, group: str = ""
) -> tuple[PatchOption, ...]:
    """Every rustc suggestion and repair candidate for a story's diagnostics, as patches, best first.

    rustc's suggestions with a `/* placeholder */` are left out: they cannot compile as written.
    `sites`: the diagnostics are places of one mistake, so one edit kind at each is one fix
    (`engine.explain.every_site`); not for one mistake reported twice at one place. `group`: the
    story's kind; a "lint" story's places are one fix per function holding 2+ (`every_site.by_fn`).
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
            rewrites = required_bound_rewrites(d, found, read)  # `T: Display`, not rustc's `T: ToString`
            restated = {r.id for r, _ in rewrites}
            listed = [w for c in listed for w in ([n for r, n in rewrites if r.id == c.id] or [c])]
            # rustc's own words, rewritten above into something they do not say, are still checked as
            # written: when they fail, the user who just read them learns why (`modes.verdicts`)
            kept = [
                c
                for c in found
                if c.source in ("rustc", "clippy")
                and c not in listed
                and (names_derived(c, read) or c.id in restated)
            ]
            verbatim.update(c.id for c in kept)
            found = listed + kept
            if (d.code_str or "") in UNINFERRED_CODES and not any(
                c.source == "rustc" and (c.applicability != "HasPlaceholders" or _names_a_type(c, d))
                for c in found
            ):
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
    # one edit kind at every site: one fix, not N; a lint's sites, within each fn
    for whole, parts in (
        every_site.combine(per_site)
        if sites
        else every_site.by_fn(per_site, diags, read)
        if group == "lint"
        else ()
    ):
        if any(p not in best for p in parts) or whole.id in best:
            continue  # a site's edit was left out above (a long shot): the set is not every site
        at = min(order.index(p) for p in parts if p in order)
        order = [i for i in order if i not in parts]
        order.insert(min(at, len(order)), whole.id)
        best[whole.id] = (whole, best[parts[0]][1])
        found_of[whole.id], diag_of[whole.id] = found_of[parts[0]], diag_of[parts[0]]
    # several unmet bounds on one parameter: their union as one fix, tried before the single ones
    for whole, parts in joint_bounds.joint_insertions(per_site, read) + joint_bounds.joint_method_bounds(
        per_site
    ):
        if whole.id in best or not any(p in order for p in parts):
            continue
        order.insert(min(order.index(p) for p in parts if p in order), whole.id)
        best[whole.id] = (whole, best[parts[0]][1] if parts[0] in best else None)
        found_of[whole.id] = found_of.get(parts[0])
        if parts[0] in diag_of:
            diag_of[whole.id] = diag_of[parts[0]]
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


def _names_a_type(c: Candidate, d: Diagnostic) -> bool:
    """rustc's placeholder suggestion writes a type (`: Vec<_>`), not the parameter it could not
    infer (`::<S>` for "the type parameter `S` declared on the method `sum`"), which no program has."""
    written = "".join(e.replacement for e in c.edits)
    param = re.search(r"type parameter `(\w+)`", " ".join(s.label or "" for s in d.spans))
    return "/*" not in written and not (param and written.strip() == f"::<{param.group(1)}>")


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


# what a transfer leaves behind (a default, a stand-in, a shorter vector) is its behaviour: pair mode
# shows it as the option's cost, as it shows a clone's copy
_TRANSFER_FAMILIES = frozenset({"op:mem-take", "op:mem-replace", "op:vec-take", "op:take", "mem-replace"})
# a fix whose description states its own price in its closing parenthesis: the consumed receiver
# (`engine.repair.consuming_receiver`), a public signature changed (`engine.repair.collect_target`),
# a borrowing twin that copies the items only (`engine.repair.twin_items`)
_PRICED = frozenset(
    {
        "op:consume-self",
        "op:collect-target-api",
        "op:option-view",
        "dyn-sized-method",
        "op:ok-question",
        "op:borrow-twin-items",
        "op:send-error",
        "op:debug-format",
    }
)


def behaviour(description: str) -> str:
    """What a transfer leaves behind, out of its description: the `which ...` clause, else the
    closing parenthesis, else the clause after "and"; the whole description when none is there."""
    if ", which " in description:
        return description.split(", which ", 1)[1]
    m = re.search(r"\(([^()]*(?:\([^()]*\)[^()]*)*)\)$", description)
    if m:
        return m.group(1)
    return description.split(" and ", 1)[1] if " and " in description else description


def with_state(
    option: PatchOption, validated: str, check_s: float, errors_left: int = 0, fails_because: str = ""
) -> PatchOption:
    return msgspec.structs.replace(
        option, validated=validated, check_s=check_s, errors_left=errors_left, fails_because=fails_because
    )
