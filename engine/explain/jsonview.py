"""The `--json` shape of an Explanation: one flat object per story, stable keys, grouped diagnostics
summarised (code, message, file, line) rather than dumped whole.

`options` lists the options that show code first (`patch` is their diff, `validated` is "compiles"
(the whole crate builds with it), "fixes-this" (its error is gone, other errors stay or appear:
`errors_left`, `errors_new`), "type-checks", "uncovers" (its error is gone; `state` quotes the one
rustc reports next) or "not-checked"; one that failed is never listed), then the knowledge base's prose options (`patch` and
`validated` null: they show no code to check)."""

from __future__ import annotations

from typing import Any

from engine.explain.types import Explanation, Location, PatchOption
from toolbelt.diagnostics import primary_user_span

JSON_VERSION = 1


def _loc(loc: Location) -> dict[str, Any]:
    return {"file": loc.file, "line": loc.line, "column": loc.column, "label": loc.label}


def _builds(f: PatchOption) -> bool:
    """The whole crate compiles with the option in: no error left, none brought."""
    return f.validated == "compiles" and not f.errors_left and not f.errors_new


def _validated(f: PatchOption) -> str:
    """ "compiles" only where the crate does; an option that clears its own error while others stay
    (or appear) is "fixes-this": its `state` says how many, and no test could run on it alone."""
    if f.validated == "compiles" and not _builds(f):
        return "fixes-this"
    return f.validated


def _tests(f: PatchOption) -> str:
    """Whether a test reaches the changed fn, unless the crate cannot build with it: then no test
    can run (a set run beside the other stories' fixes is `tests_run`)."""
    if f.test_reach in ("reached", "unreached") and not _builds(f) and not f.tests_run:
        return "cannot-run"
    if f.tests_run == "timeout":  # they ran and did not finish: a hang, not "not-run"
        return "timeout"
    if f.untested:  # it builds and a test could run it, but none ran: no ✓
        return "not-run"
    return f.test_reach


def _fix(f: PatchOption) -> dict[str, Any]:
    """An option that shows code: its diff, the lines it adds, and what validation said of it."""
    return {
        "name": f.name,
        "how": "",
        "tradeoff": f.cost,
        "patch": f.patch,
        "validated": _validated(f),
        "errors_left": f.errors_left,
        "errors_new": f.errors_new,  # errors that appear only with the fix in
        "hidden_errors": list(f.hidden_new),  # of those, the ones rustc hid behind the story's error
        "together_with": list(f.together_with),  # the other fixes it compiles beside
        "steps": list(f.steps),  # a fix finished in steps: each step after the first, in words
        "first_error": f.first_error,  # the first error left or brought, when it compiles
        "state": f.state_words,
        # "no-tests", "unreached", "reached" (engine.syntax.test_reach), "cannot-run" (the crate does
        # not build with it and no set of fixes ran the tests), "not-run" (it builds, its tests were
        # not run: engine.explain.testing), "timeout" (they ran and did not finish in `hung_s`
        # seconds: a hang), "" unknown; a ✓ only if ticked
        "tests": _tests(f),
        "test_reach": f.test_reach,
        "ticked": f.ticked,
        # the crate's tests with it in (engine.explain.testing): "passed", "failed", "timeout", "" not run
        "tests_run": f.tests_run,
        "hung_s": f.hung_s,
        # a fix that names a lock or cell guard: what holding it means, and whether a later line takes
        # it again (it deadlocks or panics; no ✓) (engine.explain.guard_marks)
        "guard_held": f.guard_held,
        "relocks": f.relocks,
        "tests_failed": list(f.tests_failed),
        # rustc's suggestion inside this fix, run alone through the same tests: what they did with it
        # (engine.explain.rustc_alone), "" when not run or they passed
        "rustc_alone": f.alone[0].fails_because if f.alone else "",
        # the lints cargo clippy reports with it in that the crate did not have (engine.explain.linting)
        "new_lints": list(f.new_lints),
        "id": f.id,
        "shows": list(f.shows),
        "file": f.file,
        "line": f.line,
        "kind": f.kind,
        "source": f.source,
        **applicability(f.source, f.applicability),
    }


def applicability(source: str, kind: str) -> dict[str, str | None]:
    """rustc's applicability is rustc's promise about its own suggestion's edits. A patch Rusta wrote
    or extended (rustc's clone plus a `drop(tx)`) is not the edit rustc vouched for, so it carries
    none; the suggestion it started from keeps its word apart, as `rustc_applicability` (None when
    that word is only "Unspecified", which a patch of Rusta's own also reads as)."""
    if source in ("rustc", "clippy"):
        return {"applicability": kind, "rustc_applicability": kind}
    return {"applicability": None, "rustc_applicability": None if kind == "Unspecified" else kind}


def to_dict(e: Explanation) -> dict[str, Any]:
    grouped = []
    for d in e.diagnostics:
        p = primary_user_span(d)  # a span inside std's `vec![...]` is reported at the user's call
        grouped.append(
            {
                "code": d.code_str,
                "level": d.level,
                "message": d.message,
                "file": p.file_name if p else "",
                "line": p.line_start if p else 0,
            }
        )
    return {
        "version": JSON_VERSION,
        "code": e.code,
        "level": e.level,
        "message": e.message,
        "title": e.title,
        "primary": _loc(e.primary),
        "root_cause": _loc(e.root_cause),
        "root_cause_reason": e.root_cause_reason,
        "invariant": e.invariant,
        "summary": e.summary,
        "why": e.why,
        "options": [
            *(_fix(f) for f in e.fixes),
            *(
                {"name": o.name, "how": o.how, "tradeoff": o.tradeoff, "patch": None, "validated": None}
                for o in e.options
            ),
        ],
        "references": [{"title": r.title, "kind": r.kind, "target": r.target} for r in e.references],
        "patch": None
        if e.patch is None
        else {
            "diff": e.patch.diff,
            **applicability(e.patch.source, e.patch.applicability),
            "source": e.patch.source,
        },
        "facts": list(e.facts),
        "diagnostics": grouped,
        "prompt": e.prompt,
        "explain_text": e.explain_text,
    }
