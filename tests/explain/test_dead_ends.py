"""A fix whose own code keeps an error the crate had is no step toward a build: it says so, earns
no ✓, and `--apply` refuses it (`engine.explain.dead_ends`; real cargo on crates written here)."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.explain.validation import validate
from tests.cli_runner import rusta
from tests.explain.crates import explain_lib, write_lib
from tests.explain.programs import LENGTHS

# two independent mistakes: the fix of one leaves the other in code it did not write
APART = """pub fn first(v: &Vec<String>) -> String {
    v[0]
}

pub fn twice(s: String) -> usize {
    let t = s;
    s.len() + t.len()
}
"""


@pytest.mark.slow
def test_a_fix_that_keeps_an_error_on_its_own_code_is_a_dead_end(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    stories = explain_lib(tmp_path, "lengths", LENGTHS)
    run = validate(stories, tmp_path / "lengths")
    dead = [
        (i, j, f) for i, e in enumerate(run.explanations) for j, f in enumerate(e.fixes) if f.left_in_edit
    ]
    assert dead, [(f.name, f.state_words) for e in run.explanations for f in e.fixes]
    i, j, f = dead[0]
    assert f.left_in_edit.startswith("E0521"), f.left_in_edit
    assert not f.ticked and "stays on the code this fix writes" in f.state_words, f.state_words
    crate = write_lib(tmp_path / "cli", "lengths", LENGTHS)
    before = (crate / "src" / "lib.rs").read_bytes()
    env = {"RUSTA_CACHE_DIR": str(tmp_path / "cache")}
    out = rusta(
        "explain", str(crate), "--no-log", "--apply", str(i + 1), "--fix", str(j + 1), env=env, timeout=300
    )
    assert out.returncode == 3, (out.stdout, out.stderr)
    assert f"Refused fix {j + 1} of story #{i + 1}: explain's check left E0521" in out.stdout, out.stdout
    assert (crate / "src" / "lib.rs").read_bytes() == before


@pytest.mark.slow
def test_an_error_left_elsewhere_is_no_dead_end(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    stories = explain_lib(tmp_path, "apart", APART)
    run = validate(stories, tmp_path / "apart")
    left = [f for e in run.explanations for f in e.fixes if f.validated == "compiles" and f.errors_left]
    assert left, [(f.name, f.state_words) for e in run.explanations for f in e.fixes]
    assert all(not f.left_in_edit for f in left), [f.left_in_edit for f in left]
