"""The whole loop by keyboard through Pilot: see a diagnostic, open Why, validate, apply, undo, redo."""

from __future__ import annotations

from pathlib import Path

import pytest

from rusta_tui.app import RustaApp
from rusta_tui.messages import PatchApplied, PatchFailed, PatchUndone, PatchValidated, ProbeFinished
from rusta_tui.screens.code import CodeScreen
from rusta_tui.widgets.explain import ExplainBubble, WhyDrawer
from tests.tui.conftest import Recorder
from tests.tui.test_app import static_text
from tests.tui.test_fix_key import fix_and_take_first

pytestmark = [pytest.mark.anyio, pytest.mark.slow]


async def _select(pilot, app: RustaApp, code: str) -> None:
    index = next(i for i, r in enumerate(app.session.rows()) if r.code == code)
    for _ in range(index):
        await pilot.press("down")
    await pilot.press("enter")
    await pilot.pause()


async def test_open_why_validate_apply_undo_redo(demo_crate: Path, recorder: Recorder) -> None:
    lib = demo_crate / "src" / "lib.rs"
    original = lib.read_bytes()
    app = RustaApp(demo_crate, watch=False, theme="textual-dark")
    async with app.run_test(size=(80, 24), message_hook=recorder) as pilot:
        await recorder.wait_for(ProbeFinished)
        await pilot.pause()
        await _select(pilot, app, "E0382")
        assert isinstance(app.screen, CodeScreen)
        assert "delivery" in static_text(app.screen.query_one(ExplainBubble))
        await pilot.press("w")
        await pilot.pause()
        assert app.screen.query_one("#why-drawer").display
        assert "value borrowed here after move" in static_text(app.screen.query_one(WhyDrawer))

        await pilot.press("a")  # apply before validate is refused
        await pilot.pause()
        assert "Validate first" in app.session.last_message
        assert not recorder.of(PatchApplied)

        await pilot.press("v")
        validated = await recorder.wait_for(PatchValidated)
        await pilot.pause()
        assert validated.ok, validated.summary
        assert "fixes 1 compile error" in validated.summary
        assert "Validated green" in static_text(app.screen.query_one(ExplainBubble))
        assert lib.read_bytes() == original  # validation never touches the user's files

        gen = app.session.generation
        await pilot.press("a")
        await recorder.wait_for(PatchApplied)
        await recorder.wait_for(ProbeFinished, lambda m: m.generation > gen)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert b"delivery.clone()" in lib.read_bytes()
        assert "E0382" not in {r.code for r in app.session.rows()}

        gen = app.session.generation
        await pilot.press("u")
        undone = await recorder.wait_for(PatchUndone)
        await recorder.wait_for(ProbeFinished, lambda m: m.generation > gen)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not undone.redo
        assert lib.read_bytes() == original
        assert app.session.selected_row().code == "E0382"  # the selection came back to the fix

        await pilot.press("U")
        await recorder.wait_for(PatchUndone, lambda m: m.redo)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert b"delivery.clone()" in lib.read_bytes()
        assert not recorder.of(PatchFailed)

        await pilot.press("3")  # the patch path wrote the DevLog; Tasks shows the ops
        await app.workers.wait_for_complete()
        await pilot.pause()
        timeline = static_text(app.screen.query_one("#timeline"))
        for stage in ("[Say]", "[Explain]", "[Do]", "[Undo]", "[Reflect]"):
            assert stage in timeline, timeline
        assert "fix E0382 at src/lib.rs:33" in timeline


async def test_pair_mode_fix_key_validates_and_applies(demo_crate: Path, recorder: Recorder) -> None:
    app = RustaApp(demo_crate, watch=False, theme="textual-dark")
    async with app.run_test(size=(80, 24), message_hook=recorder) as pilot:
        await recorder.wait_for(ProbeFinished)
        await pilot.press("m")
        assert app.session.mode == "pair"
        await _select(pilot, app, "E0382")
        await fix_and_take_first(pilot, recorder)
        await recorder.wait_for(PatchApplied)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert b"delivery.clone()" in (demo_crate / "src" / "lib.rs").read_bytes()
        assert app.session.jobs == {}
        await pilot.press("4")  # Review lists the bundle as applied, and exports it
        await pilot.pause()
        table = app.screen.query_one("#bundles")
        states = [table.get_row_at(i)[0] for i in range(table.row_count)]
        assert "applied" in states
        table.move_cursor(row=states.index("applied"))
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        exported = list((demo_crate / ".rusta" / "patches").glob("*.patch"))
        assert exported and "delivery.clone()" in exported[0].read_text()
        await pilot.press("q")  # leaving reflects the open task: nothing looks interrupted next time
        await pilot.pause()
    from diary.devlog import DevLog

    log = DevLog.open(demo_crate, readonly=True)
    assert log.open_intents() == []
    # f is rusta fix's repair: its task ends with the reflection that the patch landed
    done = [e for e in log.entries() if e.kind == "reflection" and e.payload.get("outcome") == "done"]
    assert any("rusta undo` reverts it" in e.summary for e in done)


async def test_undo_never_overwrites_an_edit_made_after_apply(demo_crate: Path, recorder: Recorder) -> None:
    lib = demo_crate / "src" / "lib.rs"
    app = RustaApp(demo_crate, watch=False, theme="textual-dark")
    async with app.run_test(size=(80, 24), message_hook=recorder) as pilot:
        await recorder.wait_for(ProbeFinished)
        await pilot.press("m")  # pair mode: f shows rusta fix's fix; 1 validates and applies it
        await _select(pilot, app, "E0382")
        await fix_and_take_first(pilot, recorder)
        await recorder.wait_for(PatchApplied)
        await app.workers.wait_for_complete()
        edited = lib.read_text().replace("delivery.len()", "delivery.len() // my own edit")
        lib.write_text(edited)
        await pilot.press("u")
        failed = await recorder.wait_for(PatchFailed)
        await pilot.pause()
        assert "overwrite your edit" in failed.sentence
        assert lib.read_text() == edited  # the user's edit is still there
        assert "probe" not in app.session.jobs and "patch" not in app.session.jobs
