"""Home: every diagnostic by file with its severity, the hotspots, and what to do first."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.css.scalar import Scalar
from textual.widgets import DataTable, Static

from rusta_tui.keymaps import screen_bindings
from rusta_tui.screens.base import RustaScreen
from rusta_tui.views import (
    DiagRow,
    by_member,
    explanation_for,
    hotspots,
    level_tag,
    story_tag,
    suggestions,
)

LEVEL_STYLE = {"E": "bold red", "W": "yellow"}
# The members panel shows only where the table keeps MIN_TABLE_ROWS rows of diagnostics beside it;
# the room is measured on the laid-out screen, so it holds at any terminal size and any tcss.
MIN_TABLE_ROWS = 10
# The lower panels are as tall as their longest list, up to this share of the terminal's rows.
LOWER_SHARE = 1 / 3


def _cells(size: Scalar | None, default: int) -> int:
    """A tcss height given in cells, or `default` where it is unset or relative."""
    return int(size.value) if size is not None and size.is_cells else default


class HomeScreen(RustaScreen):
    NAME = "home"
    BINDINGS: ClassVar[list[BindingType]] = screen_bindings("home")

    def compose_body(self) -> ComposeResult:
        yield Static(id="members", classes="panel")
        table: DataTable[str | Text] = DataTable(id="diagnostics", cursor_type="row", zebra_stripes=False)
        table.border_title = "Diagnostics"
        yield table
        yield Static(id="diag-message")
        with Horizontal(id="home-lower"):
            yield Static(id="hotspots", classes="panel")
            yield Static(id="suggestions", classes="panel")
            yield Static(id="recurring", classes="panel")

    def on_mount(self) -> None:
        table = self.query_one("#diagnostics", DataTable)
        table.add_columns("", "#", "Location", "Code", "Message")
        self.query_one("#members", Static).border_title = "Workspace members"
        self.query_one("#hotspots", Static).border_title = "Hotspots"
        self.query_one("#suggestions", Static).border_title = "Suggestions"
        self.query_one("#recurring", Static).border_title = "Your recurring mistakes"
        super().on_mount()

    def draw(self) -> None:
        s = self.session
        table = self.query_one("#diagnostics", DataTable)
        all_rows = s.rows()
        table.clear()
        for i, r in enumerate(all_rows):
            tag = level_tag(r.level)
            table.add_row(
                Text(tag, style=LEVEL_STYLE.get(tag, "")),
                story_tag(explanation_for(r, s.explanations), s.explanations),
                f"{r.file}:{r.line}:{r.column}",
                r.code.removeprefix("clippy::"),
                r.message,
                key=str(i),
            )
        if all_rows:
            table.move_cursor(row=min(s.selected, len(all_rows) - 1))
        self.draw_message()
        self.draw_recurring()
        self.draw_members(all_rows)
        self.draw_lower()
        self.call_after_refresh(self.fit_lower)

    def draw_message(self) -> None:
        """The selected diagnostic's whole message, wrapped under the table. Why: the table's Message
        column is the last and is cut at the screen's edge (after ~25 columns at 80x24), and a user
        should read what rustc said without opening the Code screen."""
        panel = self.query_one("#diag-message", Static)
        all_rows = self.session.rows()
        row = self.query_one("#diagnostics", DataTable).cursor_row
        panel.display = bool(all_rows)
        if all_rows:
            r = all_rows[min(max(row, 0), len(all_rows) - 1)]
            tag = level_tag(r.level)
            code = r.code.removeprefix("clippy::")
            panel.update(Text.assemble((f"{code}: " if code else "", LEVEL_STYLE.get(tag, "")), r.message))

    def draw_lower(self) -> None:
        """Hotspots and suggestions, or why there are none yet."""
        s = self.session
        table = self.query_one("#diagnostics", DataTable)
        all_rows = s.rows()
        hot = self.query_one("#hotspots", Static)
        sug = self.query_one("#suggestions", Static)
        if s.report is None:
            table.border_subtitle = s.probe_state
            hot.update(Text("The first check has not finished.", style="italic"))
            sug.update("")
            return
        if s.report.status in ("failed", "timeout", "error"):
            table.border_subtitle = f"cargo {s.report.status}"
            hot.update(Text(s.report.message or f"cargo {s.report.status}.", style="bold red"))
            sug.update("")
            return
        table.border_subtitle = "clean" if not all_rows else f"{len(all_rows)} from cargo {s.report.tool}"
        spots = hotspots(all_rows)
        hot.update(
            Text("\n".join(f"{e}E {w}W {f}" for f, e, w in spots), no_wrap=True, overflow="ellipsis")
            if spots
            else Text("No diagnostics.", style="green")
        )
        lines = suggestions(all_rows, s.explanations)
        if not lines and s.explain_note:
            lines = [s.explain_note]
        sug.update(
            Text("\n".join(lines) if lines else "Nothing to suggest.", no_wrap=True, overflow="ellipsis")
        )

    def fit_lower(self) -> None:
        """The lower panels as tall as their longest list (a line's worth of rows at least), up to
        LOWER_SHARE of the terminal: no empty rows taken from the table at 80x24, a long hotspot
        list shown whole at 120x40. Then the members panel is fitted into what is left."""
        shown = [w for w in self.query("#home-lower > Static").results(Static) if w.display]
        longest = max((len(str(w.content).splitlines()) for w in shown), default=1)
        chrome = max((w.outer_size.height - w.size.height for w in shown), default=2)
        cap = max(chrome + 1, int(self.app.size.height * LOWER_SHARE))
        self.query_one("#home-lower").styles.height = min(cap, max(1, longest) + chrome)
        self.call_after_refresh(self.fit_members)

    def draw_members(self, all_rows: list[DiagRow]) -> None:
        """One line per workspace member with diagnostics, hidden for a lone crate; `fit_members`
        decides, once the screen is laid out, whether it has the room."""
        panel = self.query_one("#members", Static)
        members = by_member(all_rows)
        panel.update(
            Text("\n".join(f"{e}E {w}W {m}" for m, e, w in members), no_wrap=True, overflow="ellipsis")
        )
        if not members:
            panel.display = False
            self.query_one("#diagnostics", DataTable).border_title = "Diagnostics"

    def fit_members(self) -> None:
        """Where the members panel would leave the table fewer than MIN_TABLE_ROWS rows (80x24), the
        counts go in the table's title instead. The room is what the table, the panel and the
        message line take together on the laid-out screen, less the message line at its tallest:
        showing or hiding the panel, or a selected message that wraps to more or fewer lines (the
        line may be sized after this runs), never changes the answer."""
        panel = self.query_one("#members", Static)
        table = self.query_one("#diagnostics", DataTable)
        message = self.query_one("#diag-message", Static)
        members = by_member(self.session.rows())
        if not members or table.outer_size.height == 0:  # nothing to fit, or not laid out yet
            return
        room = sum(w.outer_size.height for w in (table, panel, message) if w.display)
        room -= _cells(message.styles.max_height, default=message.outer_size.height)
        table_chrome = table.outer_size.height - table.size.height + table.header_height
        wanted = min(
            len(members) + panel.styles.gutter.height, _cells(panel.styles.max_height, default=10**6)
        )
        fits = room - wanted - table_chrome >= MIN_TABLE_ROWS
        panel.display = fits
        compact = ", ".join(f"{m} {e}E {w}W" for m, e, w in members)
        table.border_title = "Diagnostics" if fits else f"Diagnostics: {compact}"

    def on_resize(self) -> None:
        self.call_after_refresh(self.fit_lower)

    def draw_recurring(self) -> None:
        """The codes this user met twice or more in this repo; hidden until there is one."""
        from engine.memory.words import recurring

        panel = self.query_one("#recurring", Static)
        mistakes = recurring(self.rusta.memory) if self.rusta.memory is not None else []
        panel.display = bool(mistakes)
        panel.update(
            Text(
                "\n".join(
                    f"{x.code} x{x.count}" + (f" {x.places[-1]}" if x.places else "") for x in mistakes
                ),
                no_wrap=True,
                overflow="ellipsis",
            )
        )

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        # The table's cursor now, not the event's: a redraw emits stale highlights (row 0 after clear).
        self.rusta.select_row(event.data_table.cursor_row)
        self.draw_message()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.rusta.select_row(event.cursor_row)
        self.rusta.action_goto("code")
