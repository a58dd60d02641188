"""Snapshots of the main screens at 80x24 (Code also at 120x40) on the demo crate, clocks frozen, theme pinned.

Update after an intended change with `pytest tests/tui/test_snapshots.py --snapshot-update` and
look at the SVGs in tests/tui/__snapshots__/ before committing them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from rusta_tui.app import RustaApp
from tests.tui.conftest import frozen_clock

pytestmark = pytest.mark.slow  # real cargo on the demo crate


@pytest.fixture
def snapshot_crate(tmp_path: Path) -> Path:
    """A fixed name: the crate's folder name is on screen."""
    from toolbelt import demo

    return demo.reset(tmp_path / "demo-crate")


def app_for(root: Path, **kw) -> RustaApp:
    return RustaApp(
        root,
        watch=False,
        clock=frozen_clock,
        theme="textual-dark",
        recover=False,
        network=lambda: "pinned by the test",
        **kw,
    )


async def settle(pilot: Pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def keys_then_settle(*keys: str):
    async def run(pilot: Pilot) -> None:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)

    return run


def select_code(code: str, *then: str):
    async def run(pilot: Pilot) -> None:
        await settle(pilot)
        app = pilot.app
        index = next(i for i, r in enumerate(app.session.rows()) if r.code == code)
        for _ in range(index):
            await pilot.press("down")
        for key in ("enter", *then):
            await pilot.press(key)
            await settle(pilot)

    return run


def test_home(snap_compare, snapshot_crate: Path) -> None:
    assert snap_compare(app_for(snapshot_crate), run_before=keys_then_settle())


def test_home_ascii(snap_compare, snapshot_crate: Path) -> None:
    assert snap_compare(app_for(snapshot_crate, ascii=True), run_before=keys_then_settle())


def test_code_with_why(snap_compare, snapshot_crate: Path) -> None:
    assert snap_compare(app_for(snapshot_crate), run_before=select_code("E0382", "w"))


def test_code_study_question(snap_compare, snapshot_crate: Path) -> None:
    assert snap_compare(app_for(snapshot_crate), run_before=select_code("E0382"))


def test_code_pair_mode(snap_compare, snapshot_crate: Path) -> None:
    assert snap_compare(app_for(snapshot_crate), run_before=select_code("E0382", "m"))


def test_code_patch_wide(snap_compare, snapshot_crate: Path) -> None:
    """120x40: the Explain bubble beside the source; the patch's `+` line in view."""
    assert snap_compare(
        app_for(snapshot_crate), run_before=select_code("E0382", "m"), terminal_size=(120, 40)
    )


def test_code_with_why_wide(snap_compare, snapshot_crate: Path) -> None:
    assert snap_compare(
        app_for(snapshot_crate), run_before=select_code("E0382", "w"), terminal_size=(120, 40)
    )


def test_code_derive_in_another_file(snap_compare, snapshot_crate: Path) -> None:
    """80x24: a patch in another file than the error, with its file named above its lines."""
    assert snap_compare(app_for(snapshot_crate), run_before=select_code("E0369", "m"))


def test_review(snap_compare, snapshot_crate: Path) -> None:
    assert snap_compare(app_for(snapshot_crate), run_before=keys_then_settle("4"))


def test_status(snap_compare, snapshot_crate: Path) -> None:
    assert snap_compare(app_for(snapshot_crate), run_before=keys_then_settle("7"))


def test_help(snap_compare, snapshot_crate: Path) -> None:
    assert snap_compare(app_for(snapshot_crate), run_before=keys_then_settle("question_mark"))


def test_home_wide(snap_compare, snapshot_crate: Path) -> None:
    """120x40 (#18 asks each main screen at both sizes): the table's columns and the lower panels."""
    assert snap_compare(app_for(snapshot_crate), run_before=keys_then_settle(), terminal_size=(120, 40))
