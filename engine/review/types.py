"""Structs of a review: where a finding is, what Rusta says of it, the fix she earned, both sides' runs.

They cross into the CLI, the SARIF and Markdown writers, the batch's JSON lines and the DevLog, so they
are frozen msgspec Structs with tuples.
"""

from __future__ import annotations

from typing import Literal

import msgspec

from engine.patching.types import Proof


class Base(msgspec.Struct, frozen=True, kw_only=True):
    """Common base: frozen, keyword-only."""


Level = Literal["error", "warning", "note"]
FindingKind = Literal["diagnostic", "pattern", "api"]
FixVerdict = Literal["green", "red", "not_run"]


class Place(Base, frozen=True):
    """A region of one file of the crate at head: 1-based lines and columns, end column exclusive."""

    file: str
    line: int
    column: int = 1
    end_line: int = 0  # 0: the same as `line`
    end_column: int = 0  # 0: to the end of the line


class Replacement(Base, frozen=True):
    """One edit of a fix as SARIF writes it: characters [offset, offset+length) become `text`."""

    file: str
    offset: int
    length: int
    text: str


class ReviewFix(Base, frozen=True):
    """A patch Rusta proposes for a finding, with what the sandbox said of it.

    `applicability` is what the patch earned: rustc's own word when rustc suggested it, downgraded to
    MaybeIncorrect when the sandbox was not run or said red; Rusta's own patches start at MaybeIncorrect.
    """

    description: str
    diff: str
    replacements: tuple[Replacement, ...] = ()
    source: Literal["rustc", "clippy", "template", "rusta"] = "rusta"
    applicability: str = "MaybeIncorrect"
    verdict: FixVerdict = "not_run"
    reason: str = ""
    proofs: tuple[Proof, ...] = ()  # what the sandbox ran for it (check, tests, miri or why not)


class Finding(Base, frozen=True):
    """One thing the change did or risks, on head's lines. `rule` names the rule in the SARIF run."""

    rule: str
    kind: FindingKind
    level: Level
    place: Place
    message: str
    explanation: str
    fingerprint: str
    line_text: str = ""  # the head line, trimmed; fingerprints and Markdown quote it
    fix: ReviewFix | None = None


class TestDelta(Base, frozen=True):
    """Tests the change broke (passed at base, fail at head), added, and did not run at head."""

    broken: tuple[str, ...] = ()
    added: tuple[str, ...] = ()
    not_run: tuple[str, ...] = ()
    still_failing: tuple[str, ...] = ()  # failed on both sides: not the change's fault
    fixed: tuple[str, ...] = ()
    note: str = ""  # why tests did not run, when they did not


class Side(Base, frozen=True):
    """What one revision's sandbox said: its label, commit, and the runs' outcomes."""

    label: str  # "working tree" or the revision as the user wrote it
    commit: str | None = None
    check_status: str = ""
    errors: int = 0
    warnings: int = 0
    test_status: str = "not_run"
    tests_run: int = 0
    version: str = ""  # Cargo.toml's package.version


class Review(Base, frozen=True):
    """A whole review of base..head. `findings` are the change's only; `preexisting` were there before."""

    crate: str
    base: Side
    head: Side
    version: int = 1
    crate_path: str = ""  # the crate's folder inside the repository ("" at its top)
    files_changed: tuple[str, ...] = ()
    findings: tuple[Finding, ...] = ()
    preexisting: int = 0
    fixed: tuple[str, ...] = ()  # diagnostics at base the change removed, one line each
    tests: TestDelta = TestDelta()
    model: str = ""  # whether the byte LM took part, in words
    verdict: Literal["pass", "fail"] = "pass"
    reason: str = ""
    duration_s: float = 0.0
    branch: str = ""  # with --export-branch: the branch made, in words


class Rule(Base, frozen=True):
    """One rule of the review: its id, name, default level, a short line, help text and a reference."""

    id: str
    name: str
    level: Level
    short: str
    help: str
    doc: str = ""  # a path under the sysroot's share/doc/rust/html/, opened offline; "" when none
