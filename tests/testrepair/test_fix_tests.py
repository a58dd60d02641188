"""Bugs that compile, end to end: localization on two fixture crates, `rusta fix --yes` restoring the
exact line through the patch path, `rusta undo`, an honest abstention, and test code never edited."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from diary.devlog import DevLog
from engine.heads.naturalness import shipped_lm
from engine.testrepair.localize import localize
from tests.cli_runner import rusta
from toolbelt.cargo_run import run_test

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures"
# (fixture, the buggy line, the line as it was before the slip)
CASES = {
    "testrepair_range": (27, b"        self.start <= x && x < self.end\n"),  # `<` turned into `<=`
    "testrepair_window": (9, b"    for i in 0..=xs.len() - width {\n"),  # an off-by-one range bound
    "testrepair_pager": (4, b"pub const PAGE_SIZE: usize = 4;\n"),  # a constant off by one, no statement
}

pytestmark = pytest.mark.slow


def copy(name: str, dest: Path) -> Path:
    shutil.copytree(FIXTURES / name, dest / name, ignore=shutil.ignore_patterns("target"))
    return dest / name


def cfg_test_part(src: bytes) -> bytes:
    return src[src.index(b"#[cfg(test)]") :]


@pytest.mark.parametrize("name", sorted(CASES))
def test_localization_ranks_the_buggy_line_top5(name: str, tmp_path: Path) -> None:
    root = copy(name, tmp_path)
    rep = run_test(root, backtrace=True)
    assert rep.status == "failed"
    failing = [t for t in rep.tests if t.status == "failed"]
    passing = [t.name for t in rep.tests if t.status == "ok"]
    files = {"src/lib.rs": (root / "src" / "lib.rs").read_bytes()}
    line = CASES[name][0]
    for lm in (shipped_lm(), None):
        loc = localize(files, failing, passing, lm=lm)
        top = [s.line for s in loc.suspects[:5]]
        assert line in top, (lm is not None, top)
        assert all(s.line < files["src/lib.rs"].count(b"\n") for s in loc.suspects)
        assert not {s.line for s in loc.suspects} & set(range(57, 200)), "no test line is a suspect"


@pytest.mark.parametrize("name", sorted(CASES))
def test_fix_restores_the_exact_line_and_undo_reverts_it(name: str, tmp_path: Path) -> None:
    root = copy(name, tmp_path)
    lib = root / "src" / "lib.rs"
    before = lib.read_bytes()
    line, restored = CASES[name]
    r = rusta("fix", str(root), "--yes")
    assert r.returncode == 0, r.stdout + r.stderr
    after = lib.read_bytes()
    assert after.splitlines(keepends=True)[line - 1] == restored
    assert len(after.splitlines()) == len(before.splitlines())
    assert cfg_test_part(after) == cfg_test_part(before), "a test was edited"
    assert "Applied as" in r.stdout and "`rusta undo` reverts it" in r.stdout
    log = DevLog.open(root, readonly=True)
    try:
        ops = [(e.kind, e.payload.get("op")) for e in log.entries()]
    finally:
        log.close()
    assert ("note", "test-run") in ops and ("note", "localize") in ops and ("action", "try") in ops
    assert rusta("undo", str(root)).returncode == 0
    assert lib.read_bytes() == before


def test_abstains_with_its_best_guesses_and_exits_5(tmp_path: Path) -> None:
    root = copy("testrepair_range", tmp_path)
    lib = root / "src" / "lib.rs"
    src = lib.read_bytes().replace(b"x <= self.end", b"x < self.end")
    impossible = b"    #[test]\n    fn len_is_ninety_nine() {\n        assert_eq!(Span::new(1, 4).unwrap().len(), 99);\n    }\n}\n"
    src = src[: src.rstrip().rindex(b"}")] + impossible
    lib.write_bytes(src)
    r = rusta("fix", str(root), "--yes", "--budget", "4")
    said = " ".join(r.stdout.split())
    assert r.returncode == 5, r.stdout + r.stderr
    assert lib.read_bytes() == src
    assert "cargo check is clean, but 1 test fail" in said
    assert "lines are my best guesses: src/lib.rs:" in said
    assert "None of 4 edits made it pass (`tests::len_is_ninety_nine`)" in said
    assert "nothing to repair" not in said
