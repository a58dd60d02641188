"""The Tests screen through Pilot on a real fixture crate with failing tests: T opens it from Home,
the run streams into the table, a failure shows its message, diff and story; F re-runs the failed."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable, Static

from engine.testexplain.suspects import explain_run
from rusta_tui.app import RustaApp
from rusta_tui.messages import ProbeFinished
from rusta_tui.screens import tests as tests_screen
from tests.tui.conftest import Recorder

pytestmark = [pytest.mark.anyio, pytest.mark.slow]


def _text(widget: Static) -> str:
    from rich.console import Console

    console = Console(width=200, color_system=None, record=True)
    console.print(widget.content if hasattr(widget, "content") else widget.renderable)
    return console.export_text()


async def test_tests_screen_runs_shows_a_failure_and_reruns_failed(fixture_crate, recorder: Recorder) -> None:
    root: Path = fixture_crate("tests_failing")
    app = RustaApp(root, watch=False, theme="textual-dark")
    async with app.run_test(size=(120, 30), message_hook=recorder) as pilot:
        await recorder.wait_for(ProbeFinished)
        await pilot.press("T")
        first = await recorder.wait_for(tests_screen.TestsFinished)
        await pilot.pause()
        assert app.current_mode == "tests"
        assert first.report is not None and first.report.status == "failed"
        # the hook sees a message once per handler class; count the messages themselves
        streamed = {id(m): m.result.name for m in recorder.of(tests_screen.TestsStreamed)}
        assert len(streamed) == 9, "every result arrives before the run ends"
        table = app.screen.query_one("#tests-table", DataTable)
        assert table.row_count == 9
        rows = [table.get_row_at(i) for i in range(table.row_count)]
        assert [str(r[0]) for r in rows[:5]] == ["FAIL"] * 5  # failures first
        assert "5 of 9 tests failed" in app.session.last_message

        index = next(i for i, r in enumerate(rows) if r[1] == "greets_by_name")
        table.move_cursor(row=index)
        await pilot.pause()
        shown = _text(app.screen.query_one("#tests-detail", Static))
        assert 'left:  "Hello Ann!"' in shown and 'right: "Hello, Ann!"' in shown
        assert "tests/api.rs:10:5" in shown
        assert app.session.mode == "study"  # asks before it says where
        assert "which line do you think is wrong?" in shown and "Where:" not in shown
        await pilot.press("enter")
        await pilot.pause()
        shown = _text(app.screen.query_one("#tests-detail", Static))
        assert "Where:   My guess is `greeting` (src/lib.rs:38)" in shown
        assert app.current_mode == "tests"

        # the ranking of suspect lines arrives once its probed run ends: the lines `rusta test
        # --explain` prints (the same function, explain_run, on the same report)
        explained = await recorder.wait_for(tests_screen.TestsExplained, timeout=240)
        await pilot.pause()
        assert explained.report is first.report and not explained.problem
        cli, _ = explain_run(first.report)
        assert [s.suspects for s in explained.stories] == [s.suspects for s in cli]
        story = next(s for s in cli if s.test == "greets_by_name")
        assert story.suspects, "the CLI ranks lines for this failure"
        shown = _text(app.screen.query_one("#tests-detail", Static))
        top = story.suspects[0]
        assert f"Look at: {top.file}:{top.line}" in shown

        lib = root / "src" / "lib.rs"
        lib.write_text(lib.read_text().replace("n % 2 == 1", "n % 2 == 0"))
        await pilot.press("F")
        second = await recorder.wait_for(tests_screen.TestsFinished, lambda m: m is not first)
        await pilot.pause()
        assert second.report is not None
        got = {t.name: t.status for t in second.report.tests}
        assert got == {
            "tests::average_of_three": "failed",
            "tests::digits_add_up": "failed",
            "tests::four_is_even": "ok",
            "greets_by_name": "failed",
            "src/lib.rs - average (line 15)": "failed",  # the failed doctest, in a --doc run of its own
        }
        assert table.row_count == 5
        assert "tests" not in app.session.jobs
