"""`t` on Code asks rustc for the type at the selected diagnostic's column and says it in the mode
bar; a spot without an expression says why. The real app, the real probe (rustc on a scratch copy)
and the demo crate, through Pilot."""

from __future__ import annotations

from pathlib import Path

import pytest

from rusta_tui.app import RustaApp
from rusta_tui.messages import ProbeFinished
from rusta_tui.typeask import TypeAnswered
from tests.tui.conftest import Recorder, screen_text

pytestmark = [pytest.mark.anyio, pytest.mark.slow]


async def test_t_says_the_type_at_the_error(demo_crate: Path, recorder: Recorder) -> None:
    app = RustaApp(demo_crate, watch=False, theme="textual-dark", recover=False, network=lambda: "pinned")
    async with app.run_test(size=(80, 24), message_hook=recorder) as pilot:
        await recorder.wait_for(ProbeFinished)
        await pilot.press("2")
        for _ in range(len(app.session.rows())):
            if app.session.selected_row().code == "E0308":
                break
            await pilot.press("n")
        row = app.session.selected_row()
        assert (row.file, row.line, row.column) == ("src/inventory.rs", 17, 20)
        await pilot.press("t")
        await pilot.pause()
        assert "Asking rustc for the type at src/inventory.rs:17:20" in app.session.last_message
        answer = await recorder.wait_for(TypeAnswered)
        await pilot.pause()
        assert answer.probe is not None and answer.probe.type == "&str"
        said = app.session.last_message
        assert said.startswith('`"sold out"` is `&str` (from rustc')
        assert '"sold out"` is `&str`' in screen_text(app).replace("\n", "")

        (demo_crate / "src" / "inventory.rs").write_text("\n" * 40)  # the spot no longer holds code
        await pilot.press("t")
        second = await recorder.wait_for(TypeAnswered, lambda m: m is not answer)
        await pilot.pause()
        assert second.probe is None and second.problem
        assert app.session.last_message.startswith("No type at src/inventory.rs:17:20: ")
        await app.workers.wait_for_complete()


async def test_a_warning_stays_in_the_mode_bar_after_its_pop_up(demo_crate: Path, recorder: Recorder) -> None:
    """v on a story without a patch answered only in a toast, and the mode bar kept 'checked in'."""
    app = RustaApp(demo_crate, watch=False, theme="textual-dark", recover=False, network=lambda: "pinned")
    async with app.run_test(size=(80, 24), message_hook=recorder) as pilot:
        await recorder.wait_for(ProbeFinished)
        await app.workers.wait_for_complete()
        app.say("No fix to work with here: this diagnostic has no suggested patch.", severity="warning")
        await pilot.pause()
        bar = str(app.screen.query_one("#modebar").render())
        assert "No fix to work with here" in bar
