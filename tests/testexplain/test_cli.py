"""`rusta test` end to end, as a user runs it, on copies of the tests_failing fixture: streamed
results, failures with left/right and frames, --explain, --json, --failed, and the exit codes."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from tests import cli_runner as cli

pytestmark = pytest.mark.slow


def rusta(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    return cli.rusta("test", *args, cwd=cwd, env=env, columns=200, timeout=300)


def test_failures_shown_then_failed_rerun_with_explain(fixture_crate) -> None:
    root = fixture_crate("tests_failing")
    r = rusta(str(root))
    assert r.returncode == 1, r.stderr
    out = r.stdout
    # streamed per suite, in order, then each failure
    assert out.index("src/lib.rs (unit, 5 tests)") < out.index("tests/api.rs (integration, 2 tests)")
    assert "FAILED tests::average_of_three  src/lib.rs:68:9" in out
    assert '  left:  "Hello Ann!"\n  right: "Hello, Ann!"' in out
    assert "src/lib.rs:30:17  tests_failing::digit_value" in out
    assert "core::" not in out and "/rustc/" not in out
    assert "4 passed, 5 failed" in out
    assert r.stderr == ""

    # make one pass: --failed re-runs the four named failures and the failed doctest (its own --doc run)
    lib = root / "src" / "lib.rs"
    lib.write_text(lib.read_text().replace("n % 2 == 1", "n % 2 == 0"))
    again = rusta("--failed", "--explain", cwd=root)
    assert again.returncode == 1, again.stderr
    assert "Re-running 5 failed tests." in again.stdout
    assert "FAILED src/lib.rs - average (line 15)  src/lib.rs:15  (doctest on `average`)" in again.stdout
    assert "src/lib.rs - double (line 6)" not in again.stdout  # passed last time: not re-run
    assert "1 passed, 4 failed" in again.stdout
    assert "Instead: `average(&[1, 2, 3])` is 1, not 2." in again.stdout
    assert "Where:   It went wrong in `digit_value` at src/lib.rs:30" in again.stdout
    memory = json.loads((root / ".rusta" / "tests" / "last-run.json").read_text())
    assert "tests::four_is_even" not in {f["name"] for f in memory["failed"]}


def test_json_one_object_and_filter(fixture_crate) -> None:
    root = fixture_crate("tests_failing")
    r = rusta(str(root), "greets", "--json", "--explain")
    assert r.returncode == 1, r.stderr
    (line,) = r.stdout.splitlines()
    d = json.loads(line)
    assert (d["status"], d["exit_code"], d["version"]) == ("failed", 1, 1)
    assert [(t["name"], t["status"]) for t in d["tests"]] == [("greets_by_name", "failed")]
    f = d["tests"][0]["failure"]
    assert (f["left"], f["right"], f["file"], f["line"]) == (
        '"Hello Ann!"',
        '"Hello, Ann!"',
        "tests/api.rs",
        10,
    )
    (story,) = d["stories"]
    assert story["where_at"] == "src/lib.rs:38" and story["prompt"]
    assert "per suite" in d["timing"]


def test_no_verdict_cases_exit_2_with_one_sentence(fixture_crate, tmp_path: Path) -> None:
    root = fixture_crate("tests_failing")
    lib = root / "src" / "lib.rs"
    lib.write_text(lib.read_text().replace("x * 2", "x * two"))
    broken = rusta(str(root))
    assert broken.returncode == 2
    assert broken.stderr.strip().endswith(
        "the crate does not build (1 compile error); `rusta explain " + str(root) + "` explains it."
    )
    assert "error[E0425] src/lib.rs:10:9" in broken.stdout
    lib.write_text(lib.read_text().replace("x * two", "x * 2"))
    hung = rusta(str(root), "waits_when_told", "--timeout", "10", env={"TESTS_FAILING_HANG": "1"})
    assert hung.returncode == 2
    assert "killed after the 10 s limit" in hung.stderr and "src/lib.rs was still running" in hung.stderr
    assert "Traceback" not in hung.stderr + broken.stderr
    nothing = rusta("--failed", str(tmp_path))
    assert nothing.returncode == 2 and "not inside a Rust crate" in nothing.stderr


def test_crate_without_tests_passes_and_says_so(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "Cargo.toml").write_text('[package]\nname = "quiet"\nversion = "0.1.0"\nedition = "2021"\n')
    (tmp_path / "src" / "lib.rs").write_text("pub fn f() {}\n")
    r = rusta(str(tmp_path))
    assert r.returncode == 0, r.stderr
    assert "No tests ran: the crate has no tests." in r.stdout
    never = rusta("--failed", str(tmp_path / "src"))
    assert never.returncode == 0 and "nothing to re-run" in never.stdout
    (tmp_path / ".rusta" / "tests" / "last-run.json").unlink()
    first = rusta("--failed", str(tmp_path))
    assert first.returncode == 2 and "run `rusta test` first" in first.stderr


def test_explain_ranks_lines_as_test_repair_does(fixture_crate) -> None:
    """--explain names the localization's top lines: the slip in `Span::contains` is among them, found
    through the receiver's type although `Window` has a `contains` (and a `len`, a `new`) too."""
    root = fixture_crate("testexplain_spans")
    r = rusta(str(root), "--explain", "--json")
    assert r.returncode == 1, r.stderr
    (story,) = json.loads(r.stdout)["stories"]
    assert story["test"] == "tests::span_holds_its_end"
    top = [(s["file"], s["line"], s["function"]) for s in story["suspects"]]
    assert ("src/lib.rs", 24, "contains") in top and len(top) == 5
    assert "coverage measured with probes" in story["suspects_note"]
    shown = rusta(str(root), "--explain")
    assert "  Look at: src/lib.rs:24  `self.start <= x && x < self.end`  (in contains)" in shown.stdout


def test_each_failure_ranks_only_lines_it_reaches(fixture_crate) -> None:
    """Each failure's Look-at lines lie in fns that test reaches (read off the fixture by hand), lead
    with the fn its Where guesses, and differ from test to test: no run-wide ranking."""
    root = fixture_crate("tests_failing")
    r = rusta(str(root), "--explain", "--json")
    assert r.returncode == 1, r.stderr
    stories = {s["test"]: s for s in json.loads(r.stdout)["stories"]}
    reaches = {
        "tests::average_of_three": {"average"},
        "tests::four_is_even": {"is_even"},
        "tests::digits_add_up": {"sum_digits", "digit_value"},
        "greets_by_name": {"greeting"},
        "src/lib.rs - average (line 15)": {"average"},
    }
    assert set(stories) == set(reaches)
    for test, fns in reaches.items():
        story = stories[test]
        shown = [s["function"] for s in story["suspects"]]
        assert shown and set(shown) <= fns, (test, shown)
        guess = re.search(r"`(\w+)`", story["where"]).group(1)
        assert guess in fns and shown[0] == guess, (test, guess, shown)
    greets = rusta(str(root), "--explain").stdout.split("FAILED greets_by_name")[-1]
    assert '  Look at: src/lib.rs:39  `format!("Hello {name}!")`  (in greeting)' in greets
    assert "(in average)" not in greets.split("FAILED")[0]
