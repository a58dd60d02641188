"""Why the search stopped on an error, in words that rest on what happened. Pure.

Each targeted error gets an `Attempt` tally while its candidates run; `reason` turns the tally into
the one true sentence: no candidate at all is not "none compiled", candidates never run because the
budget ran out are not "tried", and green candidates held back by policy are named as such.
"""

from __future__ import annotations

from collections.abc import Iterable

from toolbelt.diagnostics import user_site
from toolbelt.types import Diagnostic, Span


class Attempt:
    """What happened to one target's candidates. Mutable tally, local to one search."""

    def __init__(self, target: Diagnostic, where: str) -> None:
        self.target = target
        self.where = where
        self.candidates = 0  # generated for it
        self.tried = 0  # validated (cargo check ran)
        self.red_tests = 0  # compiled, but a test that did not fail at the baseline failed
        self.blamed: set[str] = set()
        self.held_back = 0  # green, but below the accepted verdict
        self.out_of_budget = False
        self.cancelled = False


def code_of(d: Diagnostic) -> str:
    return d.code_str or "the error"


def reason(a: Attempt, baseline_label: str = "", baseline_note: str = "") -> str:
    """The sentence (no final period) saying why `a.target` has no green fix."""
    code = code_of(a.target)
    if a.cancelled and a.tried == 0:
        return "cancelled before any candidate was tried"
    if a.candidates == 0:
        return f"0 candidates: Rusta has no edit for {code} here"
    if a.held_back:
        n = a.held_back
        return (
            f"{n} green candidate{'s' if n > 1 else ''} held back as maybe-incorrect; "
            "`--accept maybe` applies the best"
        )
    if a.red_tests:
        names = ", ".join(sorted(a.blamed)[:5]) + (", ..." if len(a.blamed) > 5 else "")
        n = a.red_tests
        said = f"{n} candidate{'s' if n > 1 else ''} compiled but "
        if baseline_label:
            return said + f"broke tests that did not fail at {baseline_label}: {names}"
        why = f" ({baseline_note})" if baseline_note else ""
        return said + f"tests fail: {names}; with no baseline{why}, every test must pass"
    if a.tried == 0 and a.out_of_budget:
        return f"the budget ran out before any of its {a.candidates} candidates was tried"
    if a.out_of_budget and a.tried < a.candidates:
        return f"no candidate compiled ({a.tried} of {a.candidates} tried before the budget ran out)"
    if a.cancelled:
        return f"cancelled after {a.tried} candidates, none compiled"
    return f"no candidate compiled ({a.tried} tried)"


def _external(file_name: str) -> bool:
    return file_name.startswith(("/", "<", ".."))


def _spans(d: Diagnostic) -> Iterable[Span]:
    yield from d.spans
    for c in d.children:
        yield from _spans(c)


def user_span(d: Diagnostic) -> Span | None:
    """The span in the user's own files that stands for `d`: the primary one mapped out of std's
    macros, else the first span of the diagnostic or its notes that is in the user's crate."""
    p = d.primary
    if p is not None:
        s = user_site(p)
        if not _external(s.file_name):
            return s
    for s in _spans(d):
        s = user_site(s)
        if not _external(s.file_name):
            return s
    return None
