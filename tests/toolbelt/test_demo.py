"""The demo crate: reset is reproducible and careful, and every planted mistake is real and fixable."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.cli_runner import rusta
from toolbelt import demo
from toolbelt.cargo_run import run_check, run_test
from toolbelt.errors import DemoRefused


def test_reset_writes_every_bundled_file(tmp_path: Path) -> None:
    root = demo.reset(tmp_path / "demo")
    for rel in demo.bundled_files():
        assert (root / rel).read_bytes() == (demo.source_dir() / rel).read_bytes()
    assert demo.is_demo_crate(root)
    assert "Cargo.toml" in demo.bundled_files() and "src/lib.rs" in demo.bundled_files()


def test_reset_restores_edits_and_keeps_foreign_files(tmp_path: Path) -> None:
    root = demo.reset(tmp_path / "demo")
    (root / "src" / "lib.rs").write_text("// edited by the user\n")
    (root / "NOTES.md").write_text("mine\n")
    demo.reset(root)
    assert (root / "src" / "lib.rs").read_bytes() == (demo.source_dir() / "src" / "lib.rs").read_bytes()
    assert (root / "NOTES.md").read_text() == "mine\n"


def test_reset_refuses_a_folder_that_is_not_the_demo(tmp_path: Path) -> None:
    other = tmp_path / "mine"
    other.mkdir()
    (other / "Cargo.toml").write_text('[package]\nname = "mine"\nversion = "0.1.0"\n')
    with pytest.raises(DemoRefused, match="not Rusta's demo crate"):
        demo.reset(other)
    assert (other / "Cargo.toml").read_text().startswith("[package]")
    assert sorted(p.name for p in other.iterdir()) == ["Cargo.toml"]
    afile = tmp_path / "file"
    afile.write_text("x")
    with pytest.raises(DemoRefused, match="not a folder"):
        demo.reset(afile)


def test_cli_reset_and_refusal(tmp_path: Path) -> None:
    ok = rusta("demo", "reset", str(tmp_path / "d"))
    assert ok.returncode == 0, ok.stderr
    assert (tmp_path / "d" / "src" / "lib.rs").is_file()
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "keep.txt").write_text("keep")
    bad = rusta("demo", "reset", str(tmp_path / "x"))
    assert bad.returncode == 2
    assert bad.stderr.count("\n") == 1 and "refusing" in bad.stderr and "Traceback" not in bad.stderr
    path = rusta("demo", "path")
    assert Path(path.stdout.strip()) == demo.source_dir()


@pytest.fixture(scope="module")
def demo_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return demo.reset(tmp_path_factory.mktemp("demo") / "demo-crate")


@pytest.mark.slow
def test_every_planted_mistake_is_reported_in_one_clippy_run(demo_copy: Path) -> None:
    report = run_check(demo_copy, tool="clippy")
    assert report.status == "diagnostics", report.message
    found = {
        (d.code_str or "", d.level, d.primary.file_name if d.primary else "") for d in report.diagnostics
    }
    for m in demo.MISTAKES:
        assert (m.code, m.level, m.file) in found, f"{m.code} not reported; got {sorted(found)}"
    assert len({d.code_str for d in report.diagnostics}) == len(demo.MISTAKES)


@pytest.mark.slow
def test_the_fixed_sources_are_clean_and_their_tests_pass(demo_copy: Path, tmp_path: Path) -> None:
    fixed = tmp_path / "fixed"
    shutil.copytree(demo_copy, fixed, ignore=shutil.ignore_patterns("target"))
    for src in demo.fixed_dir().rglob("*.rs"):
        shutil.copyfile(src, fixed / src.relative_to(demo.fixed_dir()))
    assert run_check(fixed, tool="clippy").status == "clean"
    tests = run_test(fixed)
    assert tests.status == "passed", tests.message
    assert {t.name for t in tests.tests} >= {
        "tests::restock_counts_the_delivery",
        "tests::total_adds_everything",
    }
    assert all(t.status == "ok" for t in tests.tests)


def test_each_fix_is_one_edit() -> None:
    """Every fixed file differs from the broken one in exactly one hunk per planted mistake."""
    import difflib

    per_file: dict[str, int] = {}
    for m in demo.MISTAKES:
        per_file[m.file] = per_file.get(m.file, 0) + 1
    per_file["src/inventory.rs"] += 1  # the E0369 fix (derive PartialEq) lands in inventory.rs
    per_file["src/lib.rs"] -= 1
    for rel, count in per_file.items():
        a = (demo.source_dir() / rel).read_text().splitlines()
        b = (demo.fixed_dir() / rel).read_text().splitlines()
        hunks = [g for g in difflib.SequenceMatcher(None, a, b).get_opcodes() if g[0] != "equal"]
        assert len(hunks) == count, f"{rel}: {len(hunks)} hunks for {count} fixes"
