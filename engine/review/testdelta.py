"""What the change did to the tests: broken, added, not run, still failing, fixed. Pure.

A test is known by its suite and name (`unittests src/lib.rs` / `tests::adds`). Broken means it
passed at base and fails at head; one that failed on both sides is the base's, not the change's.
"""

from __future__ import annotations

from engine.review.types import TestDelta
from toolbelt.types import TestReport, TestResult

_DID_NOT_RUN = {
    "build_failed": "head does not compile, so its tests did not run",
    "timeout": "the tests at head ran past their time limit",
    "error": "cargo test failed at head before the tests ran",
}


def _by_key(report: TestReport | None) -> dict[tuple[str, str], TestResult]:
    if report is None:
        return {}
    return {(t.suite, t.name): t for t in report.tests}


def _name(key: tuple[str, str]) -> str:
    return key[1]


def delta_of_tests(base: TestReport | None, head: TestReport | None) -> TestDelta:
    b, h = _by_key(base), _by_key(head)
    broken = [k for k, t in h.items() if t.status == "failed" and k in b and b[k].status == "ok"]
    added = [k for k in h if k not in b]
    still = [k for k, t in h.items() if t.status == "failed" and k in b and b[k].status == "failed"]
    fixed = [k for k, t in h.items() if t.status == "ok" and k in b and b[k].status == "failed"]
    # an ignored test counts when the change ignored it: one already ignored at base is not the change's
    not_run = [k for k, t in h.items() if t.status == "ignored" and not (k in b and b[k].status == "ignored")]
    not_run += [k for k in b if k not in h]
    note = ""
    if head is None:
        note = "tests were not run at head"
    elif head.status in _DID_NOT_RUN:
        note = _DID_NOT_RUN[head.status]
    elif base is not None and base.status in ("build_failed", "timeout", "error"):
        note = "base's tests did not run, so none can be called broken or added"
        added, broken = [], []
    return TestDelta(
        broken=tuple(map(_name, broken)),
        added=tuple(map(_name, added)),
        not_run=tuple(dict.fromkeys(map(_name, not_run))),
        still_failing=tuple(map(_name, still)),
        fixed=tuple(map(_name, fixed)),
        note=note,
    )
