"""After each check, explain's validation runs in a worker and each story's options show its answer."""

from __future__ import annotations

from pathlib import Path

import pytest

from rusta_tui.app import RustaApp
from rusta_tui.messages import OptionsChecked, OptionsDone, ProbeFinished
from tests.explain.crates import write_lib
from tests.explain.test_fix_sets import UNUSED_MUT_SELF
from tests.tui.conftest import Recorder, screen_text

pytestmark = [pytest.mark.anyio, pytest.mark.slow]


async def test_options_go_from_not_checked_to_compiles(demo_crate: Path, recorder: Recorder) -> None:
    app = RustaApp(demo_crate, watch=False, theme="textual-dark", recover=False, network=lambda: "pinned")
    async with app.run_test(size=(120, 40), message_hook=recorder) as pilot:
        finished = await recorder.wait_for(ProbeFinished)
        before = {e.code: e for e in finished.explanations}
        assert all(o.validated == "not-checked" for o in before["E0382"].fixes)
        done = await recorder.wait_for(OptionsDone, timeout=300)
        assert done.note == "" and done.checked + done.cached > 0
        assert len(recorder.of(OptionsChecked)) == len(finished.explanations)  # one answer per story
        await pilot.pause()
        after = {e.code: e for e in app.session.explanations}
        assert after["E0382"].fixes and all(o.validated == "compiles" for o in after["E0382"].fixes)
        await pilot.press("2", "m")  # pair mode shows the options with what validation earned
        while app.session.selected_row().code != "E0382":
            await pilot.press("n")
        await pilot.pause()
        screen = screen_text(app)
        assert "Fix ✓ (fixes this; 3 other errors" in screen and "not checked yet" not in screen


async def test_a_new_check_stops_the_old_options_check(demo_crate: Path, recorder: Recorder) -> None:
    app = RustaApp(demo_crate, watch=False, theme="textual-dark", recover=False, network=lambda: "pinned")
    async with app.run_test(size=(80, 24), message_hook=recorder) as pilot:
        first = await recorder.wait_for(ProbeFinished)
        await pilot.press("r")  # a re-check while the options of the first report are being checked
        await recorder.wait_for(ProbeFinished, lambda m: m.generation > first.generation)
        await recorder.wait_for(OptionsDone, lambda m: m.generation > first.generation, timeout=300)
        await pilot.pause()
        # the stories shown are the new report's, checked: the old check's answers cannot undo that
        e0382 = next(e for e in app.session.explanations if e.code == "E0382")
        assert e0382.fixes and all(o.validated == "compiles" for o in e0382.fixes)


# rustc's "remove this `mut`" passes alone and breaks `restart(&mut self)`'s fix: the pane says so
# (a `&self` method that assigns `*self`: no cell fix can take the error's place, see test_fix_sets)
UNUSED_MUT = UNUSED_MUT_SELF


async def test_the_pane_says_why_rustcs_fix_failed(
    tmp_path: Path, recorder: Recorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    crate = write_lib(tmp_path, "tally", UNUSED_MUT)
    app = RustaApp(crate, watch=False, theme="textual-dark", recover=False, network=lambda: "pinned")
    async with app.run_test(size=(140, 40), message_hook=recorder) as pilot:
        await recorder.wait_for(ProbeFinished)
        await recorder.wait_for(OptionsDone, timeout=300)
        lint = next(m for m in recorder.of(OptionsChecked) if m.explanation.code == "unused_mut")
        assert lint.failed and "E0596" in lint.failed[0].fails_because  # the message carries why
        await pilot.press("2")
        if app.session.mode != "pair":
            await pilot.press("m")
        while app.session.selected_row().code != "unused_mut":
            await pilot.press("n")
        await pilot.pause()
        screen = screen_text(app)
        assert "rustc's deleting `mut` breaks the build" in screen and "E0596" in screen, screen
        assert "✓" not in screen
        while app.session.selected_row().code != "E0594":
            await pilot.press("n")
        await pilot.pause()
        assert "Fix ✓ (compiles" in screen_text(app)  # the error's own fix keeps its ✓
