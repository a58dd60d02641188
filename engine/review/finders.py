"""Where a review's findings come from, and the gate that validates the fixes they offer.

Four sources, each a function of both sides' files: cargo's new diagnostics explained, pattern hits
on the changed lines, public API changes without a version bump, and changed fns that fuzzing shows
behave differently. Split from `engine.review.runner`, which exports the sides, runs cargo on them
and judges: what counts as a finding is decided here, how a review runs there.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import msgspec

from engine.edits import diff_of_edits
from engine.patching.types import BenchPolicy
from engine.review.findings import finding, from_api_change, from_hit, replacements
from engine.review.linemap import line_map
from engine.review.patterns import new_hits
from engine.review.publicapi import api_changes, package_edition, package_version, public_items
from engine.review.rules import RULES, diagnostic_rule
from engine.review.types import Finding, Place, ReviewFix

MAX_VALIDATED_FIXES = 3


class FixGate:
    """How the review validates the fixes it offers: how many are left to validate, and the proofs
    each one earns besides check and tests (fuzzing: a compiler's or clippy's fix for a warning
    should not change what a fn returns, so a difference is red; a pattern's fix, such as a checked
    cast, means to, so a difference is evidence; a timing with a slowdown allowance when asked)."""

    def __init__(
        self,
        left: int,
        *,
        fuzz: bool = True,
        bench: BenchPolicy | None = None,
        timeout_s: float | None = None,
        lints: bool = True,
    ) -> None:
        self.left, self.fuzz, self.bench, self.timeout_s = left, fuzz, bench, timeout_s
        self.lints = lints  # the sandbox lints with clippy when the review does


def validated(
    head_dir: Path, fix: ReviewFix, gate: FixGate, intent: Literal["refactor", "fix"] = "refactor"
) -> ReviewFix:
    """The fix with the sandbox's verdict (check, tests, then the gate's proofs) and the applicability it earned."""
    if gate.left <= 0:
        return msgspec.structs.replace(
            fix,
            applicability="MaybeIncorrect",
            reason=f"not validated: a review validates its first {MAX_VALIDATED_FIXES} fixes only",
        )
    gate.left -= 1
    from engine.patching import api
    from engine.patching.types import Patch

    fuzz = intent if gate.fuzz else None
    v = api.validate(
        head_dir,
        Patch.new(fix.diff, fix.description),
        fuzz=fuzz,
        bench=gate.bench,
        proof_timeout_s=gate.timeout_s,
        lints=gate.lints,
    )
    if not v.green and not v.new_errors and v.errors_before and v.errors_after <= v.errors_before:
        # The crate has errors at head that this patch does not touch: it adds none, and that is all
        # the sandbox can say; its tests could not run, so it earns no more than MaybeIncorrect.
        why = (
            f"adds no compile error, but head already has {v.errors_after} error(s) the patch does not "
            "touch, so its tests could not run"
        )
        return msgspec.structs.replace(
            fix, verdict="not_run", reason=why, applicability="MaybeIncorrect", proofs=v.proofs
        )
    earned = fix.applicability if v.green else "MaybeIncorrect"
    return msgspec.structs.replace(
        fix, verdict=v.verdict, reason=v.reason, applicability=earned, proofs=v.proofs
    )


def diagnostic_findings(
    new: tuple, head_dir: Path, files: dict[str, bytes], validate: bool, gate: FixGate
) -> list[Finding]:
    from engine.explain.api import explain_diagnostics

    out = []
    for e in explain_diagnostics(new, head_dir):
        tool = e.diagnostics[0].tool if e.diagnostics else "rustc"
        rule = diagnostic_rule(e.code, e.level, tool)
        fix = None
        if e.patch is not None:
            fix = ReviewFix(
                description=e.summary or e.message,
                diff=e.patch.diff,
                replacements=replacements(e.patch.diff, files),
                source="clippy" if tool == "clippy" and e.patch.source == "rustc" else e.patch.source,
                applicability=e.patch.applicability,
            )
            if validate:
                fix = validated(head_dir, fix, gate)
        explanation = " ".join(x for x in (e.summary, e.why) if x).strip() or e.message
        out.append(
            finding(
                rule=rule.id,
                kind="diagnostic",
                level="error" if e.level.startswith("error") else "warning",
                place=Place(file=e.primary.file, line=e.primary.line, column=e.primary.column),
                message=e.message,
                explanation=explanation,
                files=files,
                fix=fix,
            )
        )
    return out


def pattern_findings(
    base: dict[str, bytes],
    head: dict[str, bytes],
    changed: list[str],
    head_dir: Path,
    validate: bool,
    gate: FixGate,
) -> list[Finding]:
    edition = package_edition(head.get("Cargo.toml"))
    out = []
    for path in changed:
        if not path.endswith(".rs") or path not in head:
            continue
        lines = frozenset(line_map(as_text(base.get(path)), as_text(head[path])).changed)
        for h in new_hits(path, base.get(path), head[path], lines, edition):
            fix = None
            if h.fix:
                diff = diff_of_edits(head, h.fix)
                fix = ReviewFix(
                    description=h.fix_description, diff=diff, replacements=replacements(diff, head)
                )
                if (
                    validate
                ):  # a pattern's fix means to change behaviour (a checked cast): fuzzing shows where
                    fix = validated(head_dir, fix, gate, "fix")
            out.append(from_hit(path, h, head, fix))
    return out


def as_text(b: bytes | None) -> str | None:
    return None if b is None else b.decode("utf-8", "replace")


def api_findings(base: dict[str, bytes], head: dict[str, bytes]) -> list[Finding]:
    bv, _ = package_version(base.get("Cargo.toml"))
    hv, line = package_version(head.get("Cargo.toml"))
    if bv != hv:
        return []
    return [
        from_api_change(c, bv, hv, line, head) for c in api_changes(public_items(base), public_items(head))
    ]


def behaviour_findings(
    base_dir: Path,
    base_files: dict[str, bytes],
    head_files: dict[str, bytes],
    changed: list[str],
    timeout_s: float,
) -> list[Finding]:
    """An error finding for each changed fn that fuzzing shows behaves differently at head than at
    base (the change claims to keep behaviour), at the fn's first line at head, with the first
    minimised input in the message (the input count varies with the time budget; fingerprints do not)."""
    from engine.edits import unified_diff
    from engine.patching.types import Patch
    from engine.proofs.fuzz import fuzz_patch
    from engine.proofs.hot import fns_of

    paths = [p for p in changed if p.endswith(".rs") and p in base_files and p in head_files]
    if not paths:
        return []
    diff = unified_diff({p: base_files[p] for p in paths}, {p: head_files[p] for p in paths})
    out: list[Finding] = []
    for proof in fuzz_patch(
        base_dir, Patch.new(diff, "the reviewed change"), intent="refactor", build_timeout_s=timeout_s
    ):
        if proof.status != "failed":
            continue
        name = proof.detail.removeprefix("fuzz ").split(":", 1)[0]
        file, line = next(
            ((p, start + 1) for p in paths for label, start, _ in fns_of(head_files[p]) if label == name),
            (paths[0], 1),
        )
        what = (
            f"`{name}` behaves differently at head: {proof.cases[0].call}: before {proof.cases[0].before}, "
            f"after {proof.cases[0].after}."
            if proof.cases
            else f"`{name}`: {proof.detail.split(': ', 1)[1]}"
        )
        out.append(
            finding(
                rule="rusta/behaviour-changed",
                kind="pattern",
                level="error",
                place=Place(file=file, line=line),
                message=what,
                explanation=RULES["rusta/behaviour-changed"].help + " " + proof.detail,
                files=head_files,
            )
        )
    return out
