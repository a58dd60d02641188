"""Review keeps the row the user is on when it redraws (a check or an option's validation answering
in the background), so a key pressed next acts on that row, not on the story Home had selected."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable

from rusta_tui.app import RustaApp
from rusta_tui.messages import ProbeFinished
from tests.tui.conftest import Recorder

pytestmark = [pytest.mark.anyio, pytest.mark.slow]


async def test_a_redraw_keeps_the_review_row_the_user_chose(demo_crate: Path, recorder: Recorder) -> None:
    app = RustaApp(demo_crate, watch=False, theme="textual-dark")
    async with app.run_test(size=(120, 40), message_hook=recorder) as pilot:
        await recorder.wait_for(ProbeFinished)
        await pilot.press("4")
        await pilot.pause()
        table = app.screen.query_one("#bundles", DataTable)
        assert table.row_count >= 2
        chosen = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        # a re-check that fixed a story shifts Home's rows: the selected index now names another story
        others = [r for r in range(len(app.session.rows())) if r != app.session.selected]
        app.session.selected = others[0]
        app.screen.draw()  # what an arriving answer does
        await pilot.pause()
        assert table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value == chosen
