"""What the repair search targets and in what order: error keys, phases, the next target, ranked candidates.

Pure functions over diagnostics and candidates (`candidates_for` reads the scratch copy, nothing else):
the search (`engine.repair.search`), the heads' training data (`engine.gym.headdata`) and explain's
validation share them, so a candidate is ranked and a target chosen the same way everywhere.
"""

from __future__ import annotations

import re
from collections import Counter

import msgspec

from engine.patching.uncovered import BORROW, RESOLVE
from engine.repair.derive import combined_derives, into_derive_lists
from engine.repair.names import combined_imports
from engine.repair.numeric import inner_mix
from engine.repair.placement import place_imports
from engine.repair.registry import template_candidates
from engine.repair.suggestions import suggestion_candidates
from engine.repair.template_kit import Reader
from engine.repair.types import Candidate
from engine.repair.use_groups import group_imports
from engine.repair.workspace import Workspace
from toolbelt.types import CheckReport, Diagnostic

# the codes of rustc's passes live with the patch gate's own use of them (`engine.patching.uncovered`)
_RESOLVE, _BORROW = RESOLVE, BORROW
_ERROR_CODE = re.compile(r"E\d{4}")


def phase(d: Diagnostic) -> int:
    """Compiler phase of a diagnostic: resolution errors hide type errors, which hide borrow errors;
    a denied lint (`#![deny(..)]`, a `clippy::` code, any code that is not E0000-shaped) comes last,
    because the code it lints may still change while the real errors are fixed."""
    code = d.code_str or ""
    if code in _RESOLVE:
        return 0
    if code in _BORROW:
        return 2
    if code and not _ERROR_CODE.fullmatch(code):
        return 3
    return 1


def errors_of(report: CheckReport) -> list[Diagnostic]:
    return [d for d in report.diagnostics if d.level.startswith("error")]


def error_key(d: Diagnostic) -> tuple:
    p = d.primary
    return (d.code_str, d.message, p.file_name if p else "", p.line_start if p else 0)


def gate_key(d: Diagnostic) -> str:
    """An error as the patch gate counts it (`engine.patching.sandbox`): code, message, file, no line."""
    p = d.primary
    return f"{d.code_str or '-'}|{d.message}|{p.file_name if p else ''}"


def stable_keys(errors: list[Diagnostic]) -> dict[int, tuple]:
    """id(d) -> a key that survives steps elsewhere: (code, message, file, rank among the distinct
    places with that code and message in that file). Lines move when a step adds a line above; the
    lib and its test harness report one mistake twice at one place, and those share a key."""
    places: dict[str, set[tuple[int, int]]] = {}
    for d in errors:
        p = d.primary
        places.setdefault(gate_key(d), set()).add((p.line_start, p.column_start) if p else (0, 0))
    out = {}
    for d in errors:
        p = d.primary
        at = (p.line_start, p.column_start) if p else (0, 0)
        out[id(d)] = (gate_key(d), sorted(places[gate_key(d)]).index(at))
    return out


def keep_index(initial: list[Diagnostic], after_each: list[list[Diagnostic]]) -> int | None:
    """The last step after which the errors are a strict sub-multiset of the initial ones (as the
    patch gate counts them): the longest partial fix that adds no error. None when there is none."""
    before = Counter(gate_key(d) for d in initial)
    keep = None
    for i, errors in enumerate(after_each):
        now = Counter(gate_key(d) for d in errors)
        if not (now - before) and sum(now.values()) < sum(before.values()):
            keep = i
    return keep


def next_target(errors: list[Diagnostic], read: Reader | None = None) -> Diagnostic:
    """The error to repair next: earliest compiler phase, then the earliest place in the source;
    with the source at hand (`read`), a numeric mix nested inside that error's expression goes first
    (`numeric.inner_mix`): the outer errors follow from it.

    Not cargo's output order: cargo builds the lib and its test harness in parallel, so the same
    mistake reported by both (`&Item` and `&inventory::Item`) arrives in either order, and a repair
    that followed that order picked different fixes for one crate from run to run.
    """

    def where(d: Diagnostic) -> tuple:
        p = d.primary
        at = (p.file_name, p.line_start, p.column_start) if p else ("", 0, 0)
        return (*at, d.code_str or "", d.message)

    first = min(errors, key=lambda d: (phase(d), where(d)))
    if read is None:
        return first
    same_phase = sorted((d for d in errors if phase(d) == phase(first)), key=where)
    return inner_mix(first, same_phase, read)


def rank(candidates: list[Candidate]) -> list[Candidate]:
    """Best first; the same edit proposed twice (rustc and a template) is tried once, at its best score."""
    best: dict[str, Candidate] = {}
    for c in candidates:
        if c.id not in best or c.score > best[c.id].score:
            best[c.id] = c
    return sorted(best.values(), key=lambda c: (-c.score, c.id))


def candidates_for(d: Diagnostic, ws: Workspace, errors: list[Diagnostic] | None = None) -> list[Candidate]:
    """Candidates for `d`, each edit that other errors' suggestions also propose ranked higher.

    One mistake often shows up as several errors whose help all points at the same edit (a missing
    `?` breaks every later use of the value); that agreement is the best evidence of a root cause.
    """
    errors = errors or [d]
    files = ws.files()

    def placed(cands: list[Candidate]) -> list[Candidate]:
        # one import, one place: where the file keeps its own; one derive list per type
        return into_derive_lists(place_imports(cands, ws.read, files), ws.read, files)

    votes: dict[str, int] = {}
    for other in errors:
        for c in {
            c.id
            for c in placed(
                suggestion_candidates(other, ws.read) + template_candidates(other, ws.read, files)
            )
        }:
            votes[c] = votes.get(c, 0) + 1
    combined = (
        combined_imports(errors)
        + group_imports(errors, ws.read, files)
        + combined_derives(errors, ws.read, files)
    )
    own = placed(suggestion_candidates(d, ws.read) + template_candidates(d, ws.read, files) + combined)
    boosted = [msgspec.structs.replace(c, score=c.score + 0.1 * (votes.get(c.id, 1) - 1)) for c in own]
    return rank(boosted)


def place(d: Diagnostic) -> tuple:
    p = d.primary
    return (p.file_name, p.line_start, p.column_start) if p else ("", 0, 0)
