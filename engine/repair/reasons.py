"""The search's words: why it stopped on an error, what a fix rests on. Pure.

Each targeted error gets an `Attempt` tally while its candidates run; `reason` turns the tally into
the one true sentence: no candidate at all is not "none compiled", candidates never run because the
budget ran out are not "tried", and green candidates held back by policy are named as such.
Locations are the user's: `user_span` maps spans out of std's macros.
"""

from __future__ import annotations

from collections.abc import Iterable

from engine.repair.types import Baseline, Leftover, Trial
from toolbelt.diagnostics import in_user_crate, user_site
from toolbelt.types import Diagnostic, Span, TestReport


class Attempt:
    """What happened to one target's candidates. Mutable tally, local to one search."""

    def __init__(self, target: Diagnostic) -> None:
        self.target = target
        self.candidates = 0  # generated for it
        self.tried = 0  # validated (cargo check ran)
        self.red_tests = 0  # compiled, but a test that did not fail at the baseline failed
        self.blamed: set[str] = set()
        self.held_back = 0  # green, but below the accepted verdict
        self.out_of_budget = False
        self.cancelled = False
        self.undone = 0  # its edits that removed it as a step, undone when they led to a dead end


def code_of(d: Diagnostic) -> str:
    return d.code_str or "the error"


def reason(a: Attempt, baseline_label: str = "", baseline_note: str = "") -> str:
    """The sentence (no final period) saying why `a.target` has no green fix."""
    code = code_of(a.target)
    if a.cancelled and a.tried == 0:
        return "cancelled before any candidate was tried"
    if a.candidates == 0 and a.undone:
        n = a.undone
        return (
            f"{count(n, 'edit')} removed it but left errors Rusta could not fix, "
            f"so {'they were' if n > 1 else 'it was'} undone"
        )
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
        if in_user_crate(s.file_name):
            return s
    for s in _spans(d):
        s = user_site(s)
        if in_user_crate(s.file_name):
            return s
    return None


def not_run(tests: TestReport) -> tuple[str, ...]:
    """For a test run that did not finish or build: its first compile error, as the thing that failed."""
    first = next((d for d in tests.diagnostics if d.level.startswith("error")), None)
    return (
        (f"the tests do not compile: {first.message}",)
        if first is not None
        else (f"cargo test: {tests.status}",)
    )


def count(n: int, what: str) -> str:
    return f"{n} {what}{'s' if n != 1 else ''}"


def names(items: tuple[str, ...] | list[str], most: int = 8) -> str:
    return ", ".join(items[:most]) + (f" and {len(items) - most} more" if len(items) > most else "")


def explain(steps: list[Trial], base: Baseline | None, complete: bool) -> str:
    """Each step, then what the scratch copy showed: the tests, or old failures named as not mine."""
    lines = []
    for t in steps:
        c = t.candidate
        lines.append(f"{', '.join(c.addresses)}: {c.description} ({c.source}, {c.family}).")
    if not complete:
        return " ".join(lines) + " Validated in a scratch copy; tests cannot run while errors remain."
    last = steps[-1]
    if last.test_status == "passed":
        tail = "cargo check is clean and the tests pass."
    elif last.test_status == "failed" and base is not None and base.usable:
        pre = last.preexisting_failures
        tail = (
            f"cargo check is clean and no test fails that did not fail at {base.label}; "
            f"{count(len(pre), 'test')} already failed there, not mine: {names(pre)}."
        )
    else:
        tail = "cargo check is clean; tests were not run."
    return " ".join(lines) + " Validated in a scratch copy: " + tail


def stopped_message(partial: bool, n_before: int, left: list[Leftover], suspect: list[str]) -> str:
    """What a search without a complete fix says: the steps it kept, each error left and why."""
    parts = [f"{x.code} at {x.where}: {x.reason}" for x in left]
    if partial:
        msg = (
            f"Partial fix: {n_before - len(left)} of {n_before} errors fixed and none added; "
            f"{len(left)} left: " + "; ".join(parts) + "."
        )
        if suspect:
            msg += (
                " Careful: with these steps and a candidate for the last error the crate compiled, "
                f"but {names(suspect)} failed; a step may share the blame."
            )
        return msg
    if len(parts) == 1:
        return f"No green fix for {parts[0]}."
    return f"No green fix; {len(parts)} errors left. " + "; ".join(parts) + "."
