"""One check the single-mistake repair tests share: the broken crate is fixed back to the good code."""

from __future__ import annotations

from pathlib import Path

from engine.repair.search import repair
from tests.explain.crates import write_lib


def assert_restored(tmp_path: Path, name: str, bad: str, good: str, validations: int | None = None) -> None:
    """`repair` on a one-file crate holding `bad` gives back exactly `good` (in `validations` tries)."""
    assert bad != good
    result = repair(write_lib(tmp_path, name, bad), budget=6, run_tests=False)
    assert result.status == "fixed", result.message
    assert dict(result.files)["src/lib.rs"].decode() == good
    if validations is not None:
        assert result.validations == validations
