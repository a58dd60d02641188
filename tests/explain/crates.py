"""One-file fixture crates written at test time and explained with real cargo."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from engine.edits import apply_to_files
from engine.explain.api import explain_report
from engine.explain.types import Explanation, PatchOption
from toolbelt.cargo_run import run_check
from toolbelt.types import Diagnostic


def write_lib(tmp: Path, name: str, src: str) -> Path:
    root = tmp / name
    (root / "src").mkdir(parents=True)
    (root / "Cargo.toml").write_text(f'[package]\nname = "{name}"\nversion = "0.1.0"\nedition = "2021"\n')
    (root / "src" / "lib.rs").write_text(src)
    return root


def errors_of(root: Path, tmp: Path) -> list[Diagnostic]:
    """The errors `cargo check` finds in the crate, with a target dir beside it: what a fix applied
    by the test must leave empty."""
    report = run_check(root, target_dir=tmp / "target")
    return [d for d in report.diagnostics if d.level.startswith("error")]


def cargo_test(root: Path) -> subprocess.CompletedProcess[str]:
    """`cargo test -q` in the crate: a fix that compiles must also keep the crate's own tests green."""
    return subprocess.run(["cargo", "test", "-q"], cwd=root, capture_output=True, text=True, timeout=600)


def apply_fixes(root: Path, *fixes: PatchOption) -> None:
    """Write the fixes' edits into the crate's files, as `--apply` would land them."""
    edits = [e for f in fixes for e in f.edits]
    files = {e.file: (root / e.file).read_bytes() for e in edits}
    for rel, data in apply_to_files(files, edits).items():
        (root / rel).write_bytes(data)


def run_crate_tests(root: Path, tmp: Path) -> str:
    """The crate's own tests (`cargo test -q --offline`, the target dir beside it): "ok", or what
    cargo said, so a failing assert shows it."""
    run = subprocess.run(
        ["cargo", "test", "-q", "--offline"],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, "CARGO_TARGET_DIR": str(tmp / "target")},
    )
    return "ok" if run.returncode == 0 else run.stdout + run.stderr


def crate_tests_with(tmp: Path, name: str, *fixes: PatchOption) -> str:
    """Apply the fixes to the crate `tmp/name` and run its tests: "ok", or what cargo said."""
    apply_fixes(tmp / name, *fixes)
    return run_crate_tests(tmp / name, tmp)


def explain_lib(tmp: Path, name: str, src: str) -> tuple[Explanation, ...]:
    """The stories of a one-file library crate, checked with a target dir beside it."""
    return explain_report(run_check(write_lib(tmp, name, src), target_dir=tmp / "target"))


def line_of(src: str, text: str) -> int:
    return next(i for i, ln in enumerate(src.splitlines(), 1) if text in ln)


def story(stories, src: str, text: str, code: str | None = None) -> Explanation:
    """The story whose rustc span is on the line of `src` holding `text` (of `code`, when given)."""
    line = line_of(src, text)
    return next(e for e in stories if e.primary.line == line and (code is None or e.code == code))


def story_text(e: Explanation) -> str:
    """Everything a story says in words: summary, why, and each option's name, how and trade-off."""
    return " ".join([e.summary, e.why, *(f"{o.name} {o.how} {o.tradeoff}" for o in e.options)])


def option_names(e: Explanation) -> list[str]:
    return [o.name for o in e.options]
