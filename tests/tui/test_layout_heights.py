"""Heights come from the layout: the Patch pane grows with the terminal up to 70% of its column (it
was held to 12 rows at any size), and the DevLog's list and record share the screen (the record was
7 rows, cut, at any size). The DevLog lists the newest record first, opens on it, and never scrolls
sideways. The real app on the demo crate through Pilot."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable, Select

from diary.devlog import DevLog
from rusta_tui.app import RustaApp
from rusta_tui.widgets.panes import Pane
from rusta_tui.widgets.source import DiffView, SourceView
from tests.tui.conftest import Recorder, screen_text

pytestmark = [pytest.mark.anyio, pytest.mark.slow]

LONG_DIFF = "--- a/src/lib.rs\n+++ b/src/lib.rs\n@@ -1,30 +1,30 @@\n" + "".join(
    f"-    let v{i} = old({i});\n+    let v{i} = new({i});\n" for i in range(30)
)


def make_app(root: Path) -> RustaApp:
    return RustaApp(root, watch=False, theme="textual-dark", recover=False, network=lambda: "pinned")


async def patch_rows(root: Path, size: tuple[int, int]) -> tuple[int, int]:
    """(Patch pane rows, Source pane rows), borders included, with a 60-line patch shown on Code."""
    app = make_app(root)
    async with app.run_test(size=size) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("2")
        await app.workers.wait_for_complete()
        await pilot.pause()
        diff = app.screen.query_one("#diff", DiffView)
        diff.show(LONG_DIFF)
        await pilot.pause()
        await pilot.pause()
        return diff.outer_size.height, app.screen.query_one("#source", SourceView).outer_size.height


async def test_the_patch_pane_grows_with_the_terminal(demo_crate: Path) -> None:
    small, small_source = await patch_rows(demo_crate, (80, 24))
    assert small_source >= 5, "the source keeps its rows at 80x24"
    assert small >= 8
    big, big_source = await patch_rows(demo_crate, (120, 40))
    assert big > 20, f"at 120x40 a long patch takes {big} rows, not a fixed 12"
    assert big_source >= 9


async def test_devlog_opens_on_the_newest_record_and_never_scrolls_sideways(
    demo_crate: Path, recorder: Recorder
) -> None:
    with DevLog.open(demo_crate) as log:
        for i in range(30):
            log.append("note", {"summary": f"record {i:02d} " + "a long summary of what happened " * 4})
        log.append("note", {"summary": "the newest", **{f"field{i}": f"value {i}" for i in range(20)}})
    app = make_app(demo_crate)
    async with app.run_test(size=(80, 24), message_hook=recorder) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("5")
        await app.workers.wait_for_complete()
        # The app's own start-up records (the first check) may land after ours; show notes only.
        app.screen.query_one("#devlog-kind", Select).value = "note"
        await pilot.pause()
        await pilot.pause()
        table = app.screen.query_one("#devlog-table", DataTable)
        shown = table.row_count
        assert table.cursor_row == 0, "opens on the newest record, at the top"
        summaries = [str(table.get_row_at(i)[3]) for i in range(shown)]
        assert summaries[0] == "the newest" and summaries[1].startswith("record 29")  # newest first
        assert summaries[-1].startswith("record 00")
        text = screen_text(app)
        assert "the newest" in text and "record 29" in text and "newest first" in text
        assert table.max_scroll_x == 0, "the summary column is cut to fit"
        await pilot.press("home")  # the log's other end in time: the oldest, at the bottom
        await pilot.pause()
        assert table.cursor_row == shown - 1 and "record 00" in screen_text(app)
        assert "record 29" not in screen_text(app)
        await pilot.press("end")  # back to the newest
        await pilot.pause()
        assert table.cursor_row == 0 and table.scroll_x == 0
        assert "Time" in screen_text(app) and "the newest" in screen_text(app)
        assert "record 00" not in screen_text(app)

        detail = app.screen.query_one("#devlog-detail", Pane)
        small = detail.size.height
        await pilot.press("tab")  # the record scrolls from the keyboard
        assert app.focused is detail
        await pilot.press("pagedown")
        await pilot.pause()
        assert detail.scroll_y > 0 and "field19: value 19" not in screen_text(app)
        await pilot.press("end")
        await pilot.pause()
        assert "field19: value 19" in screen_text(app), "the last field of the record can be read"

        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        await pilot.pause()
        assert detail.size.height > small, "the record pane takes its share of a taller screen"
        assert table.max_scroll_x == 0, "the summary column follows the width"
        await app.workers.wait_for_complete()
