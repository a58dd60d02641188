"""Where the repair search hands over to test repair: cargo check is clean and tests fail.

The outcome becomes an ordinary RepairResult ("fixed" with one step, or "failing-tests" with the
best guesses and what was tried), so `rusta fix`, the patch path, its DevLog records and `rusta undo`
treat a test repair exactly like a compile repair.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import msgspec

from engine.repair.reasons import count, names
from engine.repair.types import Alternative, RepairResult
from engine.testrepair.search import TestRepairOutcome, repair_tests
from engine.testrepair.types import Localization
from toolbelt.types import TestReport

if TYPE_CHECKING:
    from engine.repair.search import _Search

GUESSES = 3  # lines named when nothing is green


def localization_payload(loc: Localization, n: int = 10) -> dict:
    top = loc.suspects[:n]
    return {
        "summary": "suspects for "
        + ", ".join(loc.failing)
        + ": "
        + ", ".join(f"{s.file}:{s.line}" for s in top[:GUESSES]),
        "op": "localize",
        "failing": list(loc.failing),
        "passing": loc.passing,
        "used_lm": loc.used_lm,
        "note": loc.note,
        "suspects": [{"file": s.file, "line": s.line, "fn": s.function, "p": s.score} for s in top],
    }


def abstain_message(out: TestRepairOutcome, failing: Sequence[str]) -> str:
    guesses = out.localization.suspects[:GUESSES]
    where = "; ".join(f"{s.file}:{s.line} `{s.text}`" for s in guesses)
    first = f"`{failing[0]}`" if len(failing) == 1 else f"{names(list(failing))}"
    if not guesses:
        return "I found no line of library code that the failing tests reach; I tried nothing."
    lead = (
        f"These {len(guesses)} lines are my best guesses: {where}."
        if len(guesses) > 1
        else f"This line is my best guess: {where}."
    )
    if not out.trials:
        return f"{lead} The grammar has no edit for them; I tried nothing."
    made = "made it pass" if len(failing) == 1 else "made them pass"
    return f"{lead} None of {count(len(out.trials), 'edit')} {made} ({first}); {out.stop}."


def weak_tests_message(out: TestRepairOutcome) -> str:
    """Said when another edit at the green edit's site passes every test too: a fact from validation."""
    if out.green is None or not out.also_green:
        return ""
    mine = out.green.candidate.description
    others = " and ".join(f"`{t.candidate.edits[0].replacement}`" for t in out.also_green)
    return (
        f"The tests are too weak to be sure: {others} at the same place "
        f"{'passes' if len(out.also_green) == 1 else 'pass'} every test as well as {mine}. "
        "I chose the edit that reads most likely; a test that tells them apart would settle it."
    )


def repair_failing(
    search: _Search, tests: TestReport, blamed: Sequence[str], pre: Sequence[str], head: str
) -> RepairResult:
    """Run test repair for the tests that fail now and did not fail at the baseline."""
    failing = [t for t in tests.tests if t.status == "failed" and t.name in set(blamed)]
    passing = [t.name for t in tests.tests if t.status == "ok"]
    lm = search.load_lm() if search.load_lm is not None else None
    note = getattr(search, "on_note", None)

    if note is not None:
        bad = [t.name for t in failing]
        note(
            {
                "summary": f"cargo test: {len(passing)} passed, {len(bad)} failed: {names(bad)}",
                "op": "test-run",
                "failed": bad,
                "passed": len(passing),
                "preexisting_failures": list(pre),
            }
        )

    def localized(loc: Localization) -> None:
        if note is not None:
            note(localization_payload(loc))

    out = repair_tests(
        search.ws,
        failing,
        passing,
        baseline=search.baseline,
        budget=max(0, search.budget - search.validations),
        lm=lm,
        on_trial=search.record,
        on_localized=localized,
        cancel=search.cancel,
    )
    search.validations += out.validations
    all_failing = (*blamed, *pre)
    if out.green is not None:
        for rel, new in out.files:
            search.ws.write(rel, new)
        search.steps.append(out.green)
        result = search.result("fixed")
        alt = Alternative(
            description=out.green.candidate.description,
            family=out.green.candidate.family,
            verdict=out.green.verdict,
            diff=result.diff,
            files=out.files,
        )
        weak = weak_tests_message(out)
        if weak:
            note_weak = {
                "summary": weak,
                "op": "weak-tests",
                "also_green": [t.candidate.description for t in out.also_green],
            }
            if note is not None:
                note(note_weak)
            result = msgspec.structs.replace(result, explanation=f"{result.explanation} {weak}", message=weak)
        return msgspec.structs.replace(result, alternatives=(alt,))
    return search.result(
        "failing-tests", f"{head} {abstain_message(out, blamed)}", failing=all_failing, pre=pre
    )
