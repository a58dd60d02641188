"""`impl Trait` against generics: a parameter a fix makes generic is written the repo's way, on
real crates through `rusta explain --apply` and cargo, and left alone where the forms differ."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from engine.memory.style import fact, mine
from tests.cli_runner import rusta
from tests.memory.generic_crates import FN_POINTER, TURBOFISH, UNBOUND, UNBOUND_TWICE, generic_crate

pytestmark = pytest.mark.slow


def applied(root: Path) -> str:
    r = rusta("explain", str(root), "--apply", "1")
    assert r.returncode == 0 and "Applied" in r.stdout, r.stdout + r.stderr
    check = subprocess.run(
        ["cargo", "check", "--quiet"], cwd=root, capture_output=True, text=True, timeout=300
    )
    assert check.returncode == 0, check.stderr
    return (root / "src" / "work.rs").read_text()


@pytest.mark.parametrize("habit", ["impl Trait", "generics", "where clauses"])
def test_the_habit_is_mined(tmp_path: Path, habit: str) -> None:
    root = generic_crate(tmp_path, "mined", habit, "")
    f = fact(mine(root), "impl-trait")
    assert f is not None and f.value == habit, f


def test_a_generics_repo_gets_a_named_parameter_for_impl_fn(tmp_path: Path) -> None:
    root = generic_crate(tmp_path, "named", "generics", FN_POINTER)
    assert "pub fn apply<F: Fn(f32) -> f32>(f: F, x: f32) -> f32 {" in applied(root)
    said = " ".join(rusta("memory", "show", str(root)).stdout.split())
    assert "trait arguments are written as generics" in said and "written this way before validation" in said


def test_a_where_repo_gets_a_where_clause(tmp_path: Path) -> None:
    root = generic_crate(tmp_path, "wheres", "where clauses", FN_POINTER)
    assert "pub fn apply<F>(f: F, x: f32) -> f32\nwhere\n    F: Fn(f32) -> f32,\n{" in applied(root)


def test_an_impl_trait_repo_gets_an_impl_argument_for_a_bound(tmp_path: Path) -> None:
    root = generic_crate(tmp_path, "impls", "impl Trait", UNBOUND)
    assert "pub fn show(x: impl std::fmt::Display) -> String {" in applied(root)
    # without the habit, rustc's own bound
    plain = generic_crate(tmp_path, "plain", "generics", UNBOUND)
    assert "pub fn show<T: std::fmt::Display>(x: T) -> String {" in applied(plain)


@pytest.mark.parametrize("code", [UNBOUND_TWICE, TURBOFISH], ids=["named twice", "turbofish"])
def test_no_impl_argument_where_it_would_change_the_meaning(tmp_path: Path, code: str) -> None:
    root = generic_crate(tmp_path, "kept", "impl Trait", code)
    text = applied(root)
    assert "impl std::fmt::Display" not in text and "<T: std::fmt::Display>" in text, text
