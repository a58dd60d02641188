"""-p, --features and the target set: cargo's flags from the CLI, the settings' default, a member's path."""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import pytest

from rusta_tui.cli.argtypes import add_selection_arguments, selection_from_args
from toolbelt import selection
from toolbelt.selection import Selection

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "ws_inherit"


def _parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    parser.add_argument("path", nargs="?", default=".")
    add_selection_arguments(parser)
    return parser.parse_args(list(argv))


@pytest.fixture
def ws(tmp_path: Path):
    dest = tmp_path / "ws_inherit"
    shutil.copytree(FIXTURE, dest)
    yield dest / "ws"
    selection.use(Selection())  # the process default goes back to cargo's


def test_flags_become_cargo_arguments() -> None:
    sel = Selection(packages=("a", "b"), features=("x", "y"), all_features=True, targets="lib")
    assert sel.package_args() == ["-p", "a", "-p", "b", "--features", "x,y", "--all-features"]
    assert sel.check_target_args("all") == ["--lib"]
    assert Selection().check_target_args("all") == ["--all-targets"]
    assert Selection(check_default="default").check_target_args("all") == []
    assert Selection(check_default="lib").target_args("default") == []  # the setting is for checks only


def test_a_member_path_selects_the_member_and_flags_win(ws: Path) -> None:
    sel = selection_from_args(_parse(str(ws / "app"), "-F", "a,b", "-F", "c"))
    assert sel.packages == ("app",) and sel.features == ("a", "b", "c")
    assert selection.current() == sel
    assert selection_from_args(_parse(str(ws / "app"), "-p", "wscore")).packages == ("wscore",)
    assert selection_from_args(_parse(str(ws))).packages == ()


def test_the_settings_choose_the_default_target_set(ws: Path) -> None:
    (ws / ".rusta").mkdir()
    (ws / ".rusta" / "settings.toml").write_text('check_targets = "lib"\n')
    sel = selection_from_args(_parse(str(ws / "app")))
    assert sel.check_target_args("all") == ["--lib"]
    assert selection_from_args(_parse(str(ws), "--tests")).check_target_args("all") == ["--tests"]


def test_two_target_sets_are_a_usage_error() -> None:
    with pytest.raises(SystemExit):
        _parse(".", "--lib", "--tests")
