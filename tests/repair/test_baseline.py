"""The test baseline: tests that already failed at the last state that compiled are never the patch's fault.

Real git repos, real cargo, the real patch path. The fixture's suite fails before the mistake (a
doctest that was always wrong, a test that needs another platform); the mistake is one line.
"""

from __future__ import annotations

from pathlib import Path

import msgspec

from diary.devlog import DevLog
from engine.patching import api as patching
from engine.patching.types import Patch
from engine.repair import baseline as bl
from engine.repair import flow
from engine.repair.search import repair
from engine.repair.types import Baseline, BaselineTest
from tests.patching.helpers import git
from toolbelt import types as tb
from toolbelt.cargo_run import run_test

GOOD = b"pub fn label(s: &str) -> String {\n    s.to_string()\n}\n"
BAD = b"pub fn label(s: &str) -> String {\n    s\n}\n"
ALREADY = {"tests::needs_another_platform", "src/lib.rs - double (line 7)"}


def good_then_bad(root: Path, *, commit: bool) -> None:
    """The crate as it was (compiling, committed when `commit`), then the one-line mistake on top."""
    lib = root / "src" / "lib.rs"
    lib.write_bytes(lib.read_bytes().replace(BAD, GOOD))
    if commit:
        git(root, "init", "-q")
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", "compiles")
    lib.write_bytes(lib.read_bytes().replace(GOOD, BAD))


def test_judge_excuses_only_what_failed_at_the_baseline() -> None:
    base = Baseline(
        source="head",
        tree="t",
        label="HEAD (abc1234)",
        status="failed",
        tests=(
            BaselineTest(name="old", status="failed"),
            BaselineTest(name="kept", status="ok"),
            BaselineTest(name="src/lib.rs - f (line 3)", status="failed"),
        ),
    )
    now = [
        tb.TestResult(name="old", status="failed"),
        tb.TestResult(name="kept", status="failed"),
        tb.TestResult(name="brand_new", status="failed"),
        tb.TestResult(name="src/lib.rs - f (line 9)", status="failed"),  # the doctest moved down 6 lines
        tb.TestResult(name="fine", status="ok"),
    ]
    blamed, pre = bl.judge(now, base)
    assert blamed == ("brand_new", "kept")  # a test the baseline never ran is not excused either
    assert pre == ("old", "src/lib.rs - f (line 9)")
    assert bl.judge(now, Baseline(source="none", note="no repo")) == (
        ("brand_new", "kept", "old", "src/lib.rs - f (line 9)"),
        (),
    )
    unusable = msgspec.structs.replace(base, status="build_failed")
    assert bl.judge(now, unusable)[1] == ()


def test_head_baseline_lets_the_fix_through_and_names_old_failures(fixture_crate, _rusta_cache) -> None:
    root = fixture_crate("repair_baseline")
    good_then_bad(root, commit=True)
    head = git(root, "rev-parse", "HEAD").strip()
    result = repair(root, budget=8, rank_with_lm=False)
    assert result.status == "fixed", result.message
    assert result.baseline == f"HEAD ({head[:7]})"
    assert set(result.preexisting_failures) == ALREADY
    assert set(result.baseline_failing) == ALREADY
    assert "already failed there, not mine" in result.explanation
    # The user's file is untouched; the proposed content, written by us, fails only the old tests.
    assert (root / "src" / "lib.rs").read_bytes().count(BAD) == 1
    for rel, data in result.files:
        (root / rel).write_bytes(data)
    after = run_test(root)
    assert {t.name for t in after.tests if t.status == "failed"} == ALREADY
    assert {"tests::doubles", "tests::labels"} <= {t.name for t in after.tests if t.status == "ok"}
    # Cached by HEAD's tree id: the same tree is never tested twice.
    tree = git(root, "rev-parse", "HEAD:").strip()
    cached = bl.cached(tree)
    assert cached is not None and cached.source == "head" and cached.usable
    assert (_rusta_cache / "repair" / "baselines" / f"{tree}.json").is_file()
    assert not (_rusta_cache / "repair" / "baselines" / tree).exists()  # the checkout is gone
    git(root, "commit", "-q", "--allow-empty", "-m", "same tree, new commit")
    again = bl.load(root)  # from the cache, named after today's HEAD
    assert again.label == f"HEAD ({git(root, 'rev-parse', 'HEAD').strip()[:7]})" != result.baseline
    assert again.tests == cached.tests


def test_without_a_baseline_every_test_must_pass_and_it_says_so(fixture_crate) -> None:
    root = fixture_crate("repair_baseline")
    good_then_bad(root, commit=False)
    result = repair(root, budget=4, rank_with_lm=False)
    assert result.status == "abstained"
    assert result.diff == "" and result.files == ()
    assert result.baseline == "" and "not in a git repo" in result.baseline_note
    (left,) = result.left
    assert left.code == "E0308" and left.where == "src/lib.rs:15"
    assert "compiled but tests fail" in left.reason and "every test must pass" in left.reason
    assert "tests::needs_another_platform" in left.reason


def test_head_that_does_not_compile_is_no_baseline(fixture_crate) -> None:
    root = fixture_crate("repair_baseline")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "the mistake is committed")
    base = bl.load(root)
    assert base.source == "none" and not base.usable
    assert "HEAD (" in base.note and "does not compile" in base.note


def test_last_green_snapshot_is_the_baseline_outside_git(fixture_crate) -> None:
    """No git: the state after the last tested green patch Rusta applied is the last that compiled."""
    root = fixture_crate("repair_baseline")
    good_then_bad(root, commit=False)
    lib = root / "src" / "lib.rs"
    lib.write_bytes(lib.read_bytes().replace(BAD, GOOD))  # the user had it right
    diff = "--- a/src/lib.rs\n+++ b/src/lib.rs\n@@ -11,3 +11,4 @@\n     x * 2\n }\n \n+/// Labels a thing.\n"
    patch = Patch.new(diff, "Document label.")
    v = patching.validate(root, patch)
    assert v.green and v.test_status == "failed" and set(v.preexisting_failures) == ALREADY, v.reason
    op = patching.apply(root, patch, v)
    assert bl.last_green_snapshot(root) == op.snapshot_after
    lib.write_bytes(lib.read_bytes().replace(GOOD, BAD))  # then made the mistake
    result = repair(root, budget=8, rank_with_lm=False)
    assert result.status == "fixed", result.message
    assert result.baseline == f"snapshot {op.snapshot_after[:7]}"
    assert set(result.preexisting_failures) == ALREADY


def test_flow_applies_the_fix_the_gate_alone_would_refuse(fixture_crate) -> None:
    """The gate compares with the crate as it is (not compiling) and blames every failing test; the
    repair's HEAD baseline shows they failed before the mistake, and only those are excused."""
    root = fixture_crate("repair_baseline")
    good_then_bad(root, commit=True)
    with DevLog.open(root) as log:
        proposal = flow.propose(root, budget=8, log=log)
        assert proposal.patch is not None, proposal.result.message
        raw = patching.validate(root, proposal.patch)
        assert not raw.green and set(raw.failing_tests) == ALREADY
        v = flow.validate(root, proposal, log=log)
        assert v.green and set(v.preexisting_failures) == ALREADY and not v.failing_tests
        assert "did not fail at HEAD (" in v.reason
        tests = next(p for p in v.proofs if p.kind == "tests")  # the proof agrees with the verdict
        assert tests.status == "passed" and tests.detail.endswith(
            f"the {len(ALREADY)} that failed there are not the patch's."
        )
        # A test the baseline passed is never excused: the same verdict with `tests::doubles` blamed stays red.
        worse = msgspec.structs.replace(raw, failing_tests=(*raw.failing_tests, "tests::doubles"))
        assert not flow.rejudge(worse, proposal.result).green
        flow.commit(root, proposal, v, log=log)
    assert GOOD in (root / "src" / "lib.rs").read_bytes()
