"""Home shows the selected diagnostic's whole message (#18): the table's Message column is the last
and is cut at the screen's edge (after ~25 columns at 80x24), so the line under the table wraps the
message of the row under the cursor, and follows the cursor. The real app on the demo crate."""

from __future__ import annotations

from pathlib import Path

import pytest

from rusta_tui.app import RustaApp
from tests.tui.conftest import screen_text

pytestmark = [pytest.mark.anyio, pytest.mark.slow]


def _flat(text: str) -> str:
    return " ".join(text.split())


async def test_the_selected_rows_whole_message_is_on_home_at_80x24(demo_crate: Path) -> None:
    app = RustaApp(demo_crate, watch=False, theme="textual-dark", recover=False, network=lambda: "pinned")
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        rows = app.session.rows()
        long = [r for r in rows if len(r.message) > 40]
        assert len(rows) >= 5 and long, [r.message for r in rows]  # some messages outrun the column
        for i, r in enumerate(rows):
            if i:
                await pilot.press("down")
                await pilot.pause()
            shown = _flat(screen_text(app))
            assert _flat(r.message) in shown, (r.message, screen_text(app))
            others = [o.message for o in long if o.message != r.message and o.message not in r.message]
            assert not any(_flat(o) in shown for o in others), screen_text(app)  # only the selected one
        assert app.session.selected == len(rows) - 1
