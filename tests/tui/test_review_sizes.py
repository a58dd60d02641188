"""Review at 80x24 and 120x40: the bundle list grows with the terminal instead of a fixed row count.

The real app on the real demo crate through Pilot; what is asserted is the laid-out widgets' sizes.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable

from rusta_tui.messages import ProbeFinished
from tests.tui.conftest import Recorder
from tests.tui.test_panes import make_app

pytestmark = [pytest.mark.anyio, pytest.mark.slow]


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_bundles_take_their_rows_up_to_two_fifths_of_the_screen(
    demo_crate: Path, recorder: Recorder, size: tuple[int, int]
) -> None:
    app = make_app(demo_crate)
    async with app.run_test(size=size, message_hook=recorder) as pilot:
        await recorder.wait_for(ProbeFinished)
        await pilot.press("4")
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = app.screen.query_one("#bundles", DataTable)
        assert table.row_count >= 5
        assert table.outer_size.height <= size[1] * 2 // 5
        diff = app.screen.query_one("#review-diff")
        assert diff.outer_size.height >= 5  # the patch keeps room to be read
        if size == (120, 40):  # room for every bundle: none hides below the fold
            assert table.max_scroll_y == 0
            assert table.size.height >= table.row_count + table.header_height
