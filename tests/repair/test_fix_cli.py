"""`rusta fix` as a user runs it: real processes on fixture crates. Its exit code says the state the
crate is left in: never 0 while check or tests fail."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.cli_runner import on_a_terminal, rusta
from tests.patching.helpers import lock_held
from tests.repair.test_baseline import ALREADY, BAD, GOOD, git, good_then_bad

REPO = Path(__file__).resolve().parents[2]


def test_help_lists_the_exit_codes() -> None:
    r = rusta("fix", "--help")
    assert r.returncode == 0
    assert "Exit codes:" in r.stdout and "--accept {safe,maybe}" in r.stdout
    listed = {int(m) for m in re.findall(r"^\s+(\d+)  ", r.stdout.split("Exit codes:")[1], re.M)}
    assert {0, 1, 2, 3, 4, 5, 70, 130} <= listed
    assert "check is clean but tests fail" in r.stdout


def test_check_clean_but_tests_failing_is_not_nothing_to_repair(fixture_crate) -> None:
    root = fixture_crate("repair_baseline")
    lib = root / "src" / "lib.rs"
    lib.write_bytes(lib.read_bytes().replace(BAD, GOOD))  # compiles; two of its tests fail
    r = rusta("fix", str(root), "--yes")
    assert r.returncode == 5, r.stdout + r.stderr
    said = " ".join(r.stdout.split())
    assert "nothing to repair" not in said
    assert "cargo check is clean, but 2 tests fail:" in said
    assert all(name in said for name in ALREADY)
    skipped = rusta("fix", str(root), "--no-tests", "--json")
    assert skipped.returncode == 0, skipped.stderr
    assert json.loads(skipped.stdout)["status"] == "clean"


def test_fix_over_old_failures_applies_names_them_and_exits_5(fixture_crate) -> None:
    root = fixture_crate("repair_baseline")
    good_then_bad(root, commit=True)
    r = rusta("fix", str(root), "--yes")
    assert r.returncode == 5, r.stdout + r.stderr
    assert "Applied as" in r.stdout
    head = git(root, "rev-parse", "--short=7", "HEAD").strip()
    said = " ".join(r.stdout.split())
    assert f"2 tests already failed at HEAD ({head}); not mine:" in said
    assert all(name in said for name in ALREADY)
    assert "proof failed: cargo test" not in said  # old failures are not the patch's, in every line
    assert "proof passed: cargo test:" in said and "the 2 that failed there are not the patch's." in said
    assert GOOD in (root / "src" / "lib.rs").read_bytes()
    assert rusta("undo", str(root)).returncode == 0
    assert BAD in (root / "src" / "lib.rs").read_bytes()


def test_partial_fix_is_shown_applied_only_with_yes_and_exits_1(fixture_crate) -> None:
    root = fixture_crate("repair_partial")
    lib = root / "src" / "lib.rs"
    before = lib.read_bytes()
    shown = rusta("fix", str(root), "--dry-run")
    assert shown.returncode == 1 and lib.read_bytes() == before
    said = " ".join(shown.stdout.split())
    assert "Partial fix:" in said and "E0599 at src/lib.rs:14: 0 candidates" in said
    asked = rusta("fix", str(root))  # no --yes and no terminal: not applied
    assert asked.returncode == 1 and "rerun with --yes" in asked.stdout and lib.read_bytes() == before
    # a partial fix rates lower (the product over its steps); the Confidence gate has its own tests
    done = rusta("fix", str(root), "--yes", "--json", "--min-confidence", "0")
    assert done.returncode == 1, done.stderr
    out = json.loads(done.stdout)
    assert out["status"] == "applied" and out["repair"] == "partial"
    assert out["validation"]["verdict"] == "green"
    assert [x["code"] for x in out["left"]] == ["E0599"]
    text = lib.read_text()
    assert "let mut count" in text and "use std::collections::HashMap;" in text


def test_held_back_fix_says_why_and_accept_maybe_applies_it(fixture_crate) -> None:
    root = fixture_crate("repair_untested")
    held = rusta("fix", str(root), "--yes")
    assert held.returncode == 1, held.stdout + held.stderr
    said = " ".join(held.stdout.split())
    assert "held back as maybe-incorrect; `--accept maybe` applies the best" in said
    assert "no candidate compiled" not in said
    assert "The best one held back" in said and "+    s." in held.stdout  # shown, not applied
    assert "    s\n}" in (root / "src" / "lib.rs").read_text()
    taken = rusta("fix", str(root), "--yes", "--accept", "maybe")
    assert taken.returncode == 0 and "Applied as" in taken.stdout, taken.stdout + taken.stderr
    assert (
        "s.to_string()" in (root / "src" / "lib.rs").read_text()
        or "s.to_owned()" in (root / "src" / "lib.rs").read_text()
    )


# A compile error whose fix compiles while a test fails at every version: with --no-tests the search
# vouches by cargo check alone, and the last validation (which runs the tests) says red.
RED_AT_THE_GATE = """pub fn total(v: &[u32]) -> u64 {
    let s: u32 = v.iter().sum();
    s
}

#[cfg(test)]
mod tests {
    #[test]
    fn sums() {
        assert_eq!(super::total(&[1, 2]), 4);
    }
}
"""


def _crate(root: Path, lib: str) -> Path:
    (root / "src").mkdir(parents=True)
    (root / "Cargo.toml").write_text('[package]\nname = "gate"\nversion = "0.1.0"\nedition = "2021"\n')
    (root / "src" / "lib.rs").write_text(lib)
    return root


def test_a_fix_the_last_validation_calls_red_is_refused_with_exit_3(tmp_path: Path) -> None:
    root = _crate(tmp_path / "gate", RED_AT_THE_GATE)
    lib = root / "src" / "lib.rs"
    # threshold 0: the exit 3 here must be the sandbox's red, not the Confidence head holding back
    red = rusta("fix", str(root), "--no-tests", "--yes", "--json", "--min-confidence", "0")
    assert red.returncode == 3, red.stdout + red.stderr
    out = json.loads(red.stdout)
    assert out["status"] == "red" and out["applied"] is None and "tests::sums" in out["message"]
    assert lib.read_text() == RED_AT_THE_GATE
    shown = rusta("fix", str(root), "--no-tests", "--dry-run", "--fuzz")  # proved on request: red too
    assert shown.returncode == 3, shown.stdout + shown.stderr
    assert "Dry run, not applied; the sandbox says red" in " ".join(shown.stdout.split())
    assert lib.read_text() == RED_AT_THE_GATE
    plain = rusta("fix", str(root), "--no-tests", "--dry-run")  # not proved: found, shown, exit 0
    assert plain.returncode == 0, plain.stdout + plain.stderr


def test_another_process_holding_the_patch_lock_refuses_the_fix_with_exit_3(tmp_path: Path) -> None:
    good = RED_AT_THE_GATE.replace("), 4)", "), 3)")
    root = _crate(tmp_path / "held", good)
    (root / ".rusta").mkdir()
    with lock_held(root / ".rusta" / "patching.lock", 300):
        # threshold 0: the lock, not the Confidence head, is what refuses with exit 3
        busy = rusta("fix", str(root), "--yes", "--min-confidence", "0")
    assert busy.returncode == 3, busy.stdout + busy.stderr
    assert busy.stderr.strip() == (
        "rusta: another Rusta process is changing files in this crate; try again in a moment."
    )
    assert (root / "src" / "lib.rs").read_text() == good


def test_ctrl_d_at_the_prompt_is_a_no_not_an_internal_error(tmp_path: Path) -> None:
    """The prompt reads a terminal; ctrl-D there ends the input, which Python raises as EOFError."""
    good = RED_AT_THE_GATE.replace("), 4)", "), 3)")
    root = _crate(tmp_path / "eof", good)
    code, said, sent = on_a_terminal("fix", str(root), "--no-tests", answer=b"\x04")  # ctrl-D
    assert sent, said
    assert code == 1, said  # declined: errors remain
    assert "Left as it was." in said and "internal error" not in said
    assert (root / "src" / "lib.rs").read_text() == good
