"""Review: every suggested patch with its rationale; validate, apply, roll back, export as a .patch file."""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import DataTable, Static

from rusta_tui.screens.base import RustaScreen
from rusta_tui.views import patch_key
from rusta_tui.widgets.source import DiffView


def _status(state: object | None) -> str:
    if state is None:
        return "ready"
    if getattr(state, "applied", False):
        return "applied"
    return "green" if getattr(state, "ok", False) else "red"


class ReviewScreen(RustaScreen):
    NAME = "review"

    def compose_body(self) -> ComposeResult:
        table: DataTable[str] = DataTable(id="bundles", cursor_type="row")
        table.border_title = "Patch bundles (v validate, a apply, u undo, e export)"
        yield table
        yield Static(id="rationale", classes="panel")
        yield DiffView(id="review-diff", classes="panel")

    def on_mount(self) -> None:
        self.query_one("#bundles", DataTable).add_columns("State", "Where", "Rationale")
        self.query_one("#rationale", Static).border_title = "Rationale"
        self.query_one("#review-diff", DiffView).border_title = "Diff"
        super().on_mount()

    def _bundles(self) -> list[tuple[int, object]]:
        """(row index in Home's list, explanation) for every explanation that carries a patch."""
        s = self.session
        all_rows = s.rows()
        out = []
        for i, r in enumerate(all_rows):
            from rusta_tui.views import explanation_for

            e = explanation_for(r, s.explanations)
            if e is not None and e.patch is not None and all(e is not b for _, b in out):
                out.append((i, e))
        return out

    def refresh_view(self) -> None:
        super().refresh_view()
        s = self.session
        table = self.query_one("#bundles", DataTable)
        table.clear()
        bundles = self._bundles()
        for i, e in bundles:
            state = s.patches.get(patch_key(e))
            table.add_row(_status(state), f"{e.primary.file}:{e.primary.line}", e.summary, key=str(i))
        rationale = self.query_one("#rationale", Static)
        diff = self.query_one("#review-diff", DiffView)
        if s.report is None:
            rationale.update(Text("Waiting for the first check.", style="italic"))
            diff.show(None)
            return
        if not bundles:
            rationale.update(Text(s.explain_note or "No patch to review: no diagnostic has a machine fix.", style="italic"))
            diff.show(None)
            return
        current = next((n for n, (i, _) in enumerate(bundles) if i == s.selected), 0)
        table.move_cursor(row=current)
        e = bundles[current][1]
        state = s.patches.get(patch_key(e))
        text = Text(f"{e.summary}\n", style="bold")
        text.append(f"{e.patch.source} suggestion, {e.patch.applicability}.")
        parts: list[object] = [text]
        if state is not None:
            parts.append(Text(f"Validation: {state.summary}", style="green" if state.ok else "red"))
        rationale.update(Group(*parts))
        diff.show(e.patch.diff)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key.value is not None and int(event.row_key.value) != self.session.selected:
            self.rusta.select_row(int(event.row_key.value))
