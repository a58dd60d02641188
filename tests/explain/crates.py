"""One-file fixture crates written at test time and explained with real cargo."""

from __future__ import annotations

from pathlib import Path

from engine.explain.api import explain_report
from engine.explain.types import Explanation
from toolbelt.cargo_run import run_check


def write_lib(tmp: Path, name: str, src: str) -> Path:
    root = tmp / name
    (root / "src").mkdir(parents=True)
    (root / "Cargo.toml").write_text(f'[package]\nname = "{name}"\nversion = "0.1.0"\nedition = "2021"\n')
    (root / "src" / "lib.rs").write_text(src)
    return root


def explain_lib(tmp: Path, name: str, src: str) -> tuple[Explanation, ...]:
    """The stories of a one-file library crate, checked with a target dir beside it."""
    return explain_report(run_check(write_lib(tmp, name, src), target_dir=tmp / "target"))


def line_of(src: str, text: str) -> int:
    return next(i for i, ln in enumerate(src.splitlines(), 1) if text in ln)
