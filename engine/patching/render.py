"""Plain-text renderings of validations and op records, in Rusta's voice, for the CLI and the TUI."""

from __future__ import annotations

import time

from engine.patching.types import OpRecord, Validation
from engine.proofs.collect import proof_lines


def validation_lines(v: Validation) -> list[str]:
    """A few lines: verdict and reason first, then the evidence (timings, failing and flaky tests)."""
    lines = [f"{v.verdict.upper()}: {v.reason}"]
    checked = f"cargo check {v.check_status} in {v.check_s:.1f} s"
    if v.errors_before is not None:
        checked += f", errors {v.errors_before} -> {v.errors_after}"
    if v.warnings_after:
        checked += f", {v.warnings_after} warning(s)"
    lines.append(f"  {checked}")
    if v.test_status != "not_run":
        lines.append(f"  cargo test {v.test_status}: {v.tests_run} test(s) in {v.test_s:.1f} s")
    for e in v.new_errors:
        lines.append(f"  new: {e}")
    if v.failing_tests:
        lines.append(f"  failing: {', '.join(v.failing_tests)}")
    if v.flaky_tests:
        lines.append(f"  flaky (failed once, passed on re-run): {', '.join(v.flaky_tests)}")
    if v.preexisting_failures:
        lines.append(f"  already failing before the patch: {', '.join(v.preexisting_failures)}")
    lines += proof_lines(v.proofs, skip=("check", "tests"))  # those two are the lines above
    lines.append(f"  validated against snapshot {v.snapshot_before[:12]} in {v.total_s:.1f} s")
    return lines


def op_line(o: OpRecord) -> str:
    when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(o.at))
    state = "" if o.state == "done" else f" [{o.state.replace('_', ' ')}]"
    return f"{o.op_id}  {when}  {o.op:<5}  {o.patch_id}  {len(o.files)} file(s){state}  {o.summary}"


def files_line(o: OpRecord) -> str:
    return "  files: " + ", ".join(o.files)
