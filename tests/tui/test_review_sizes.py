"""Review at 80x24 and 120x40: the bundle list grows with the terminal instead of a fixed row count.

The real app on the real demo crate through Pilot; what is asserted is the laid-out widgets' sizes.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable

from rusta_tui.app import RustaApp
from rusta_tui.messages import ProbeFinished
from tests.tui.conftest import Recorder
from tests.tui.test_panes import make_app

pytestmark = [pytest.mark.anyio, pytest.mark.slow]


async def _bundles(app: RustaApp, pilot: Pilot, recorder: Recorder) -> DataTable:
    """Review's bundle table once the first probe and the review's workers are done: the demo
    crate's five or more bundles listed, so sizes are measured on a full table."""
    await recorder.wait_for(ProbeFinished)
    await pilot.press("4")
    await app.workers.wait_for_complete()
    await pilot.pause()
    table = app.screen.query_one("#bundles", DataTable)
    assert table.row_count >= 5
    return table


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_bundles_take_their_rows_up_to_two_fifths_of_the_screen(
    demo_crate: Path, recorder: Recorder, size: tuple[int, int]
) -> None:
    app = make_app(demo_crate)
    async with app.run_test(size=size, message_hook=recorder) as pilot:
        table = await _bundles(app, pilot, recorder)
        assert table.outer_size.height <= size[1] * 2 // 5
        diff = app.screen.query_one("#review-diff")
        assert diff.outer_size.height >= 5  # the patch keeps room to be read
        if size == (120, 40):  # room for every bundle: none hides below the fold
            assert table.max_scroll_y == 0
            assert table.size.height >= table.row_count + table.header_height


async def test_bundle_columns_fit_the_width_and_follow_a_resize(demo_crate: Path, recorder: Recorder) -> None:
    """At 80 columns the table never scrolls sideways (the State column stayed out of view behind a
    long rationale); after a resize the columns are sized again, wider and narrower."""
    app = make_app(demo_crate)
    async with app.run_test(size=(80, 24), message_hook=recorder) as pilot:
        table = await _bundles(app, pilot, recorder)
        longest = max(len(str(table.get_row_at(i)[3])) for i in range(table.row_count))
        assert table.max_scroll_x == 0
        assert table.virtual_size.width <= table.size.width
        narrow = table.columns[table.ordered_columns[3].key].width
        for size in ((160, 30), (60, 24)):
            await pilot.resize_terminal(*size)
            await pilot.pause()
            await pilot.pause()
            assert table.max_scroll_x == 0, f"scrolls sideways at {size}"
            assert table.virtual_size.width <= table.size.width
        await pilot.resize_terminal(160, 30)
        await pilot.pause()
        await pilot.pause()
        wide = table.columns[table.ordered_columns[3].key].width
        assert wide > narrow, "a wider terminal gives the rationale the room"
        assert max(len(str(table.get_row_at(i)[3])) for i in range(table.row_count)) > longest
