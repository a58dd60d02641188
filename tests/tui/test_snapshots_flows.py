"""Snapshots at 80x24 of the screens a flow opens: Choose a fix (f with several green fixes, and f
with one fix the Confidence gate holds back) and Tests (T on a crate with failing tests, a failure
selected). Clocks frozen, theme pinned.

Update after an intended change with `pytest tests/tui/test_snapshots_flows.py --snapshot-update`
and look at the SVGs in tests/tui/__snapshots__/ before committing them.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from textual.pilot import Pilot

from rusta_tui.screens.choose import ChooseFixScreen
from rusta_tui.types import Settings
from tests.tui.test_fix_key import label_crate as label_crate  # the fixture: a fixed folder name
from tests.tui.test_fix_preview import squares_crate as squares_crate  # the fixture: one error, one fix
from tests.tui.test_snapshots import app_for, settle

pytestmark = pytest.mark.slow  # real cargo

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


async def _choose_a_fix(pilot: Pilot) -> None:
    await settle(pilot)
    await pilot.press("enter")  # the only error: Code
    await settle(pilot)
    await pilot.press("f")
    await settle(pilot)  # the search's worker posts the fixes before it ends
    assert isinstance(pilot.app.screen, ChooseFixScreen)


def test_choose_a_fix(snap_compare, label_crate: Path) -> None:
    """Every green fix's diff on screen, best first, with the keys that pick, take 1 or keep the code."""
    app = app_for(label_crate, settings=Settings(mode="pair"))
    assert snap_compare(app, run_before=_choose_a_fix)


def test_one_fix_held_back(snap_compare, squares_crate: Path) -> None:
    """f shows even a lone fix before it lands; under a threshold no fix reaches (1.0) it is marked
    held back, with both percentages, and only its number applies it."""
    app = app_for(squares_crate, settings=Settings(mode="pair", fix_min_confidence=1.0))
    assert snap_compare(app, run_before=_choose_a_fix)


async def _tests_with_a_failure(pilot: Pilot) -> None:
    await settle(pilot)
    await pilot.press("T")
    await settle(pilot)
    table = pilot.app.screen.query_one("#tests-table")
    names = [table.get_row_at(i)[1] for i in range(table.row_count)]
    table.move_cursor(row=names.index("greets_by_name"))
    await pilot.press("enter")  # reveal where Rusta would look
    await settle(pilot)


def test_tests_screen(snap_compare, tmp_path: Path) -> None:
    """Failures first, then the rest by name; the selected failure's assertion and story beside them."""
    root = shutil.copytree(FIXTURES / "tests_failing", tmp_path / "tests_failing")
    assert snap_compare(app_for(root), run_before=_tests_with_a_failure)


def test_tests_screen_wide(snap_compare, tmp_path: Path) -> None:
    """120x40: the failure's assertion diff and story beside the list, at the size #18 asks too."""
    root = shutil.copytree(FIXTURES / "tests_failing", tmp_path / "tests_failing")
    assert snap_compare(app_for(root), run_before=_tests_with_a_failure, terminal_size=(120, 40))
