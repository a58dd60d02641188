"""Crates checked once per session (real cargo, real rustc output) and shared by the explain tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from toolbelt.cargo_run import run_check
from toolbelt.types import CheckReport

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures"
DEMO = REPO / "toolbelt" / "demo_crate"


def _checked(tmp: Path, src: Path, name: str, tool: str) -> CheckReport:
    dest = tmp / name
    shutil.copytree(src, dest, ignore=shutil.ignore_patterns("target", ".rusta"))
    return run_check(dest, tool=tool, target_dir=tmp / f"target-{name}")


@pytest.fixture(scope="session")
def checked_crates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, CheckReport]:
    """explain_mixed (nine error families), explain_cascade (grouping), the demo crate (with clippy)."""
    tmp = tmp_path_factory.mktemp("explain-crates")
    return {
        "mixed": _checked(tmp, FIXTURES / "explain_mixed", "explain_mixed", "check"),
        "cascade": _checked(tmp, FIXTURES / "explain_cascade", "explain_cascade", "check"),
        "demo": _checked(tmp, DEMO, "demo", "clippy"),
    }


@pytest.fixture(scope="session")
def mixed(checked_crates: dict[str, CheckReport]) -> CheckReport:
    return checked_crates["mixed"]


@pytest.fixture(scope="session")
def cascade(checked_crates: dict[str, CheckReport]) -> CheckReport:
    return checked_crates["cascade"]


@pytest.fixture(scope="session")
def demo(checked_crates: dict[str, CheckReport]) -> CheckReport:
    return checked_crates["demo"]
