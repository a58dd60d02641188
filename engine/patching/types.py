"""Structs of the reversible-patch path: the patch, its validation, and the op log's records.

They cross into the TUI and the repair engine, and into the DevLog as JSON, so they are frozen
msgspec Structs with tuples; `Patch` refuses an empty explanation at construction and at decode.
"""

from __future__ import annotations

import hashlib
import time
from typing import Literal

import msgspec


class Base(msgspec.Struct, frozen=True, kw_only=True):
    """Common base: frozen, keyword-only."""


class DiagnosticRef(Base, frozen=True):
    """The diagnostic a patch addresses: code, message and where rustc put it."""

    message: str
    code: str | None = None
    file: str = ""
    line: int | None = None


class FileState(Base, frozen=True):
    """A file's content identity: git blob id, or None when the file does not exist."""

    path: str
    blob: str | None


Verdict = Literal["green", "red"]
TestStatus = Literal["passed", "failed", "not_run", "build_failed", "timeout", "error"]


# bench_coverage: which changed fns a benchmark covers (engine.proofs.bench_cover), beside the timings
ProofKind = Literal["check", "tests", "fuzz", "miri", "rustfmt", "bench", "bench_coverage"]
ProofStatus = Literal["passed", "failed", "skipped", "evidence"]


class BenchStats(Base, frozen=True):
    """A before/after timing of one fn: medians in ns per call, each side's spread (half the IQR over
    the median), the median of the paired ratios new/old with its 95% interval, the A/A control, and
    the verdict."""

    old_ns: float
    new_ns: float
    old_spread: float
    new_spread: float
    ratio: float
    low: float
    high: float
    control: float  # the A/A ratio: a second copy of the old code against the first
    samples: int
    inputs: int
    reps: int
    noise: float  # the threshold used: 5%, or how far the A/A control strayed when that was more
    verdict: Literal["slower", "faster", "no_change", "unclear"]


class BenchPolicy(Base, frozen=True):
    """How a validation judges a before/after timing: a slowdown whose whole 95% interval lies beyond
    `max_slowdown` (0.20: 20%) is red, unless the user has accepted it."""

    max_slowdown: float = 0.20
    accept_slower: bool = False


class FuzzCase(Base, frozen=True):
    """One minimised input on which the old and the new version differ: the call as Rust text and
    what each side gave (the Debug text of its result, or "panic: <message>")."""

    call: str
    before: str
    after: str


class Proof(Base, frozen=True):
    """One piece of evidence a validation earned, or one it could not earn and why.

    `status` "evidence" is a behaviour change the patch meant to make (shown, not blamed);
    "skipped" always carries the reason in `detail` (e.g. "miri: not installed").
    """

    kind: ProofKind
    status: ProofStatus
    detail: str
    count: int = 0
    passed: int = 0
    seconds: float = 0.0
    bench: BenchStats | None = None  # kind "bench" only
    cases: tuple[FuzzCase, ...] = ()  # kind "fuzz" only: up to 3 distinct differing inputs, minimised


class Validation(Base, frozen=True):
    """What running the patched crate in a sandbox earned.

    Policy: green when the patched crate adds no compile error that was not there before (and,
    if errors remain, removes at least one), and, once it compiles, no test that passed before
    fails after. A failing test is re-run once by name: passing then marks it flaky, not red.
    Tests that already failed before the patch (the baseline) are listed, not blamed.
    """

    patch_id: str
    verdict: Verdict
    reason: str
    snapshot_before: str
    base: tuple[FileState, ...]
    result: tuple[FileState, ...]
    check_status: str
    errors_before: int | None = None
    errors_after: int = 0
    warnings_after: int = 0
    new_errors: tuple[str, ...] = ()
    # errors of a later rustc pass, off the patch's lines, that it let rustc reach (`patching.uncovered`)
    uncovered_errors: tuple[str, ...] = ()
    check_tool: str = "check"  # "clippy" when the check ran clippy's lints too
    warnings_before: int | None = None  # clippy: the warnings of the crate without the patch
    new_warnings: tuple[str, ...] = ()  # clippy: the warnings the patch adds, by lint ("clippy::op_ref")
    # clippy: warnings unseen before (the crate did not build) on code the patch did not write, with places
    hidden_warnings: tuple[str, ...] = ()
    # clippy: warnings unseen before on lines the patch rewrote, on none of the bytes it wrote
    rewritten_warnings: tuple[str, ...] = ()
    # clippy: lints at deny level (`cargo clippy` fails on them), counted apart from the warnings
    lint_errors_after: int = 0
    lint_errors_before: int | None = None
    test_status: TestStatus = "not_run"
    tests_run: int = 0
    failing_tests: tuple[str, ...] = ()
    flaky_tests: tuple[str, ...] = ()
    preexisting_failures: tuple[str, ...] = ()
    check_s: float = 0.0
    test_s: float = 0.0
    total_s: float = 0.0
    proofs: tuple[Proof, ...] = ()

    @property
    def green(self) -> bool:
        return self.verdict == "green"


class Patch(Base, frozen=True):
    """A unified diff with the reason for it. No change without an explanation."""

    id: str
    diff: str
    explanation: str
    addresses: tuple[DiagnosticRef, ...] = ()
    source: Literal["rusta", "file"] = "rusta"
    created_at: float = 0.0
    validation: Validation | None = None
    snapshot_before: str | None = None
    snapshot_after: str | None = None

    def __post_init__(self) -> None:
        if not self.explanation.strip():
            raise ValueError("a patch needs a non-empty explanation")
        if not self.diff.strip():
            raise ValueError("a patch needs a non-empty diff")

    @classmethod
    def new(
        cls,
        diff: str,
        explanation: str,
        addresses: tuple[DiagnosticRef, ...] = (),
        source: Literal["rusta", "file"] = "rusta",
    ) -> Patch:
        """A patch whose id is derived from its diff, so the same diff keeps the same id."""
        from engine.patching.errors import DiffParseError, NoExplanation

        if not explanation.strip():
            raise NoExplanation(
                "refusing a change without an explanation; say why it is right (e.g. --explain TEXT)."
            )
        if not diff.strip():
            raise DiffParseError("the diff is empty; there is nothing to apply.")
        pid = "p-" + hashlib.sha256(diff.encode("utf-8", "surrogateescape")).hexdigest()[:12]
        return cls(
            id=pid,
            diff=diff,
            explanation=explanation.strip(),
            addresses=addresses,
            source=source,
            created_at=time.time(),
        )


OpKind = Literal["apply", "undo", "redo"]
OpState = Literal["done", "rolled_back"]


class OpRecord(Base, frozen=True):
    """One finished operation of the op log (derived from the DevLog, which is the source of truth).

    `op_id` is the id of the DevLog intent that opened it. `reverts` names the op an undo reversed
    or a redo re-applied. `files` are exactly the paths it wrote or deleted.
    """

    op_id: str
    op: OpKind
    patch_id: str
    files: tuple[str, ...]
    snapshot_before: str
    snapshot_after: str
    summary: str
    at: float
    reverts: str | None = None
    state: OpState = "done"
    explanation: str = ""
