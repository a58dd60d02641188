"""The memory in the app, through Pilot on the demo crate: synced at start, the recurring mistakes
on Home, every item explained in Settings, and forgetting from there."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, Static

from diary.devlog import DevLog
from engine.memory import store
from rusta_tui.memoryflow import MemorySynced
from rusta_tui.messages import ProbeFinished
from tests.memory.test_fold import explained, rejected
from tests.tui.conftest import Recorder
from tests.tui.test_app import make_app, static_text

pytestmark = [pytest.mark.anyio, pytest.mark.slow]


async def test_home_and_settings_show_the_memory_and_forget_from_settings(
    demo_crate: Path, recorder: Recorder
) -> None:
    with DevLog.open(demo_crate) as log:
        explained(log, "E0502", "src/lib.rs:40", "cannot borrow `v` as mutable")
        explained(log, "E0502", "src/inventory.rs:12", "cannot borrow `stock` as mutable")
        rejected(log, "E0382", "clone", "hides the bug")
    assert store.load(demo_crate) is None  # nothing synced yet: the app does it
    app = make_app(demo_crate)
    async with app.run_test(size=(100, 40), message_hook=recorder) as pilot:
        await recorder.wait_for(MemorySynced)
        await recorder.wait_for(ProbeFinished)
        await pilot.pause()
        panel = app.screen.query_one("#recurring", Static)
        assert panel.display and "E0502 x2 src/inventory.rs:12" in static_text(panel)
        await pilot.press("6")
        await pilot.pause()
        said = " ".join(static_text(app.screen.query_one("#settings-memory", Static)).split())
        assert "pref:E0382:clone" in said and 'Your reason: "hides the bug"' in said
        assert "Voice: No argument yet in this repo; stubbornness 0.50" in said
        field = app.screen.query_one("#memory-forget", Input)
        field.focus()
        field.value = "pref:E0382:clone"
        await pilot.press("enter")
        await recorder.wait_for(MemorySynced, lambda m: m.reason == "forget")
        await pilot.pause()
        assert "pref:E0382:clone" not in static_text(app.screen.query_one("#settings-memory", Static))
    assert "pref:E0382:clone" not in store.keys(store.load(demo_crate))


async def test_what_a_session_taught_is_synced_when_it_ends(demo_crate: Path, recorder: Recorder) -> None:
    app = make_app(demo_crate)
    async with app.run_test(size=(100, 40), message_hook=recorder) as pilot:
        await recorder.wait_for(MemorySynced)
        await recorder.wait_for(ProbeFinished)
        with DevLog.open(demo_crate) as log:  # the session's own record, after the start's sync
            rejected(log, "E0382", "clone", "hides the bug")
        await pilot.pause()
        assert "pref:E0382:clone" not in store.keys(store.load(demo_crate))
    assert "pref:E0382:clone" in store.keys(store.load(demo_crate))  # synced at exit
