"""Tests: the crate's tests run in a thread worker, listed with pass/fail as they stream; a failure's
message, assertion diff, frames and story beside them; `t` runs them all, `F` re-runs the failed.

The run's results live on this screen (not in the Session): nothing else reads them yet.
"""

from __future__ import annotations

import threading
from typing import ClassVar

from rich.console import Group, RenderableType
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import DataTable, Static

from engine.testexplain.rerun import Rerun
from engine.testexplain.types import TestStory
from rusta_tui.screens.base import RustaScreen
from toolbelt import types as tt

_MARK = {"ok": ("ok", "green"), "failed": ("FAIL", "bold red"), "ignored": ("skip", "yellow")}


class TestsStreamed(Message):
    """One test's result as libtest printed it (the failure's details come with TestsFinished)."""

    __test__ = False
    bubble = False  # for this screen only

    def __init__(self, result: tt.TestResult) -> None:
        super().__init__()
        self.result = result


class TestsFinished(Message):
    __test__ = False
    bubble = False

    def __init__(self, report: tt.TestReport | None, error: str = "") -> None:
        super().__init__()
        self.report = report
        self.error = error


class TestsExplained(Message):
    """The run's stories with the ranking of suspect lines (`engine.testexplain.suspects.explain_run`,
    as `rusta test --explain` prints them), once the probed run behind the ranking ends."""

    __test__ = False
    bubble = False

    def __init__(self, report: tt.TestReport, stories: tuple[TestStory, ...], problem: str) -> None:
        super().__init__()
        self.report = report
        self.stories = stories
        self.problem = problem


class TestsScreen(RustaScreen):
    NAME = "tests"
    DEFAULT_CSS = """
    #tests-body { height: 1fr; }
    #tests-table { width: 2fr; height: 1fr; }
    #tests-right { width: 1fr; height: 1fr; }
    """
    FAILURE_COLUMNS = 60  # the Failure pane's room before the list may widen: its left/right lines read whole
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("t", "run_tests", "Run tests"),
        Binding("F", "rerun_failed", "Re-run failed"),
    ]

    results: list[tt.TestResult]
    report: tt.TestReport | None = None
    stories: dict[tuple[str, str], TestStory]
    note: str = "Starting."
    running: bool = False

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="tests-body"):
            table: DataTable[str | Text] = DataTable(id="tests-table", cursor_type="row")
            table.border_title = "Tests"
            yield table
            with VerticalScroll(id="tests-right", classes="panel"):
                yield Static(id="tests-detail")

    def on_mount(self) -> None:
        self.results = []
        self.stories = {}
        self.revealed: set[tuple[str, str]] = set()
        self.query_one("#tests-table", DataTable).add_columns("", "Test", "Suite")
        self.query_one("#tests-right").border_title = "Failure"
        super().on_mount()
        self.query_one("#tests-table", DataTable).focus()
        self.action_run_tests()

    # --- running --------------------------------------------------------------------------------

    def action_run_tests(self) -> None:
        self._start([Rerun()], "Running every test.")

    def action_rerun_failed(self) -> None:
        from engine.testexplain.rerun import plan
        from engine.testexplain.types import FailedTest

        failed = {(t.suite, t.name) for t in self.results if t.status == "failed"}
        if not failed:
            self.rusta.say("No failed test to re-run.")
            return
        runs = plan(failed=[FailedTest(name=n, suite=s) for s, n in sorted(failed)])
        n = len(failed)
        self._start(runs, f"Re-running {n} failed test{'s' if n != 1 else ''}.")

    def _start(self, runs: list[Rerun], note: str) -> None:
        self.results, self.report, self.note, self.running = [], None, note, True
        self.stories = {}
        cancel = self.session.start_job("tests", "tests").cancel
        self.run_tests(runs, cancel)
        self.draw()

    @work(thread=True, exclusive=True, group="tests", exit_on_error=False)
    def run_tests(self, runs: list[Rerun], cancel: threading.Event) -> None:
        """Every run of the plan (`engine.testexplain.rerun`: failed doctests go in a `--doc` run of
        their own), streamed as they go, then one merged report."""
        from engine.testexplain.rerun import EventFilter, merged, narrowed
        from toolbelt.cargo_run import run_test

        reports: list[tt.TestReport] = []
        try:
            for r in runs:
                narrow = EventFilter(r)

                def on_event(raw: tt.TestEvent, narrow: EventFilter = narrow) -> None:
                    event = narrow(raw)
                    if isinstance(event, tt.TestFinished):
                        self.post_message(TestsStreamed(event.result))

                one = run_test(
                    self.session.root,
                    test_filters=list(r.filters),
                    exact=r.exact,
                    doc=r.doc,
                    backtrace=True,
                    cancel=cancel,
                    on_event=on_event,
                    selection=self.session.selection,  # `rusta tui -p NAME` tests that package
                )
                reports.append(narrowed(one, r))
                if one.status not in ("passed", "failed") or cancel.is_set():
                    break
            report = merged(reports)
        except Exception as e:  # not a crate, cargo missing: one sentence, never a dead worker
            self.post_message(TestsFinished(None, str(e) or type(e).__name__))
            return
        self.post_message(TestsFinished(report))
        if report.status == "failed" and not cancel.is_set():
            from engine.testexplain.suspects import explain_run

            try:
                stories, problem = explain_run(report)
            except Exception as e:  # the stories without a ranking stay on screen
                stories, problem = (), str(e) or type(e).__name__
            self.post_message(TestsExplained(report, stories, problem))

    def on_tests_streamed(self, message: TestsStreamed) -> None:
        self.results.append(message.result)
        self._add_row(message.result)
        self._subtitle()

    def on_tests_finished(self, message: TestsFinished) -> None:
        self.session.end_job("tests")
        self.running = False
        self.report = message.report
        if message.report is None:
            self.note = message.error
        else:
            self.results = list(message.report.tests)
            self.note = _verdict(message.report)
            _remember(message.report)
            from engine.testexplain.suspects import explain_run

            self.stories = _by_test(explain_run(message.report, localize=False)[0])
        self.rusta.say(self.note, severity="information" if message.report is not None else "error")
        self.draw()

    def on_tests_explained(self, message: TestsExplained) -> None:
        if message.report is not self.report:
            return  # a newer run started meanwhile
        if message.stories:
            self.stories = _by_test(message.stories)
        if message.problem:
            self.rusta.say(f"No ranking of suspect lines: {message.problem}", severity="warning")
        self._show_detail(self.query_one("#tests-table", DataTable).cursor_row)

    # --- drawing --------------------------------------------------------------------------------

    def draw(self) -> None:
        if not hasattr(self, "results"):
            return  # drawn again by on_mount once the table exists
        table = self.query_one("#tests-table", DataTable)
        table.clear()
        # failures first, then by suite and name: libtest prints in the order its threads finish,
        # and a list that reshuffles on every run cannot be compared with the last one
        order = sorted(self.results, key=lambda t: (t.status != "failed", t.suite, t.name))
        self.results = order
        for t in order:
            self._add_row(t)
        self._subtitle()
        self._show_detail(table.cursor_row)
        self.fit_table()

    def on_resize(self) -> None:
        self.call_after_refresh(self.fit_table)

    def fit_table(self) -> None:
        """The list as wide as its columns need, once the Failure pane keeps FAILURE_COLUMNS, and never
        under 2/5 of the screen: at 80 columns that is the 2/5 it always had; at 120 the Suite column
        is no longer cut behind a sideways scrollbar while 70 columns stand beside it (#18: use the
        full width when it helps)."""
        table = self.query_one("#tests-table", DataTable)
        width = self.size.width
        # measured from the cells, not from the columns' widths: the table updates those only when
        # it is next idle, so rows added just before would not count yet (a flaky width at 120x40)
        need = 3  # border, scrollbar
        for i, column in enumerate(table.columns.values()):
            cells = [_cells(v) for v in table.get_column_at(i)] if table.row_count else []
            need += 2 * table.cell_padding + max([_cells(column.label), *cells])
        table.styles.width = max(width * 2 // 5, min(need, width - self.FAILURE_COLUMNS))

    def _add_row(self, t: tt.TestResult) -> None:
        word, style = _MARK[t.status]
        self.query_one("#tests-table", DataTable).add_row(Text(word, style=style), t.name, t.suite)

    def _subtitle(self) -> None:
        table = self.query_one("#tests-table", DataTable)
        failed = sum(1 for t in self.results if t.status == "failed")
        counts = f"{len(self.results) - failed} passed, {failed} failed"
        table.border_subtitle = f"running: {counts}" if self.running else counts

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail(event.cursor_row)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter reveals where Rusta would look (study mode asks first)."""
        if 0 <= event.cursor_row < len(self.results):
            t = self.results[event.cursor_row]
            self.revealed.add((t.suite, t.name))
            self._show_detail(event.cursor_row)

    def _show_detail(self, row: int) -> None:
        detail = self.query_one("#tests-detail", Static)
        if not 0 <= row < len(self.results) or self.report is None:
            detail.update(Text(self.note, style="italic"))
            return
        t = self.results[row]
        reveal = self.session.mode != "study" or (t.suite, t.name) in self.revealed
        detail.update(failure_view(t, self.stories.get((t.suite, t.name)), reveal))


def _by_test(stories: tuple[TestStory, ...]) -> dict[tuple[str, str], TestStory]:
    return {(s.suite, s.test): s for s in stories}


def failure_view(t: tt.TestResult, story: TestStory | None, reveal: bool) -> RenderableType:
    """The failure as `rusta test --explain` shows it (`story`: its story from `explain_run`);
    unrevealed, it asks before it says where."""
    from rusta_tui.cli.test_render import render_failure, render_story

    if t.status != "failed":
        return Text(f"{t.name}: {t.status}.", style="green" if t.status == "ok" else "yellow")
    if story is None:
        return render_failure(t)
    parts: list[RenderableType] = [render_failure(t), Text("")]
    if not reveal:
        parts += [
            render_story(story, reveal=False),
            Text("  " + story.prompt + " Enter reveals mine.", style="bold"),
        ]
    else:
        parts.append(render_story(story))
    return Group(*parts)


def _verdict(report: tt.TestReport) -> str:
    if report.status == "build_failed":
        from engine.testexplain.summary import build_errors

        n = build_errors(report)
        return f"The tests cannot run: the crate does not build ({n} compile error{'s' if n != 1 else ''})."
    if report.status in ("timeout", "error"):
        return report.message or f"cargo test: {report.status}."
    failed = sum(1 for t in report.tests if t.status == "failed")
    if not report.tests:
        return "No tests ran."
    if failed:
        return f"{failed} of {len(report.tests)} tests failed; F re-runs them."
    return f"All {len(report.tests)} tests passed."


def _remember(report: tt.TestReport) -> None:
    """Keep `rusta test --failed` in step with what the app ran; a read-only crate just forgets."""
    if report.status not in ("passed", "failed"):
        return
    from engine.testexplain.errors import TestExplainError
    from engine.testexplain.lastrun import recall, remember, updated

    try:
        remember(report.crate_root, updated(recall(report.crate_root), report))
    except TestExplainError:
        pass  # the memory is a convenience; the run's results are on screen either way


def _cells(value: object) -> int:
    """The terminal cells a table cell or label takes."""
    from rich.cells import cell_len

    return cell_len(value.plain if isinstance(value, Text) else str(value))
