"""Review: every patch bundle with its rationale; validate, apply, roll back (undo), export as a .patch file.

Bundles are the fixes of the current diagnostics plus the patches applied in this session, whose
diagnostics are gone once they land; the op history from the patch path sits underneath. The table's
columns are sized to its width, as the DevLog's are: a long rationale (or a workspace member's long
path) is cut with an ellipsis instead of pushing the table into a sideways scroll, where the State
column, the one a user reads first, went out of view at 80 columns. The rationale is whole below.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar, NamedTuple

from rich.cells import cell_len
from rich.console import Group, RenderableType
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import DataTable

from rusta_tui.patchflow import export_name
from rusta_tui.patchstatus import placeholders
from rusta_tui.screens.base import RustaScreen
from rusta_tui.state import PatchState
from rusta_tui.views import explanation_for, patch_key, story_tag
from rusta_tui.widgets.panes import Pane
from rusta_tui.widgets.source import DiffView


class Bundle(NamedTuple):
    key: str
    where: str
    rationale: str
    diff: str
    row: int | None  # index in Home's list when the diagnostic is still there
    state: PatchState | None
    placeholder: bool = False  # rustc's suggestion has `<item>`-style holes for the user to fill
    story: str = ""  # `#N`, the number `rusta explain --apply N` takes


class HistoryLoaded(Message):
    def __init__(self, lines: tuple[str, ...]) -> None:
        super().__init__()
        self.lines = lines


def _status(b: Bundle) -> str:
    if b.state is not None and b.state.applied:
        return "applied"
    if b.placeholder:
        return "needs input"
    if b.state is None:
        return "ready"
    return b.state.status.replace("_", " ")


def fit_columns(bundles: list[Bundle], inside: int) -> tuple[int, int, int, int]:
    """Widths of (State, Where, #, Rationale) within `inside` cells, padding (one each side) included.

    State and # are short and whole; Where takes what its longest value needs, up to two fifths of the
    row, so the rationale keeps the most room; the rationale takes the rest (at least 10)."""
    state = max((cell_len(_status(b)) for b in bundles), default=0)
    state = max(state, len("State"))
    story = max(max((cell_len(b.story) for b in bundles), default=0), 1)
    left = inside - 2 * 4 - state - story
    where = min(max((cell_len(b.where) for b in bundles), default=0), max(8, left * 2 // 5))
    where = max(where, len("Where"))
    return state, where, story, max(10, left - where)


def cut_left(text: str, width: int) -> str:
    """The tail of a path: `…ger/src/lib.rs:3` keeps the file and line, the part a user looks for.

    Counted in terminal cells, not characters: a path with wide (CJK) names takes two cells a
    character, and cut by characters it overflowed its column, which then cut off the line number."""
    if cell_len(text) <= width:
        return text
    room, kept = width - 1, len(text)
    while kept > 0 and cell_len(text[kept - 1]) <= room:
        kept -= 1
        room -= cell_len(text[kept])
    return "\u2026" + text[kept:]


class ReviewScreen(RustaScreen):
    NAME = "review"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("e", "export_bundle", "Export")]

    history: tuple[str, ...] = ()
    _keep_row = True
    _inside = 0  # the table's inner width the columns were last sized for

    def on_screen_resume(self) -> None:
        self._keep_row = False
        try:
            super().on_screen_resume()
        finally:
            self._keep_row = True

    def compose_body(self) -> ComposeResult:
        table: DataTable[str] = DataTable(id="bundles", cursor_type="row")
        table.border_title = "Patch bundles (v validate, a apply, u undo, e export)"
        yield table
        yield Pane(id="rationale", classes="panel")
        yield DiffView(id="review-diff", classes="panel")

    def on_mount(self) -> None:
        self.query_one("#rationale", Pane).border_title = "Rationale"
        self.query_one("#review-diff", DiffView).border_title = "Diff"
        super().on_mount()

    def inside_width(self) -> int:
        """Cells for the columns: the table's width inside its border (the screen's less the border
        before the first layout) less the vertical scrollbar that a list longer than its rows shows
        (taken always, so a list that grows does not overflow)."""
        table = self.query_one("#bundles", DataTable)
        inside = table.size.width or self.app.size.width - 2
        return inside - table.styles.scrollbar_size_vertical

    def on_resize(self) -> None:
        if self.inside_width() != self._inside:
            self.call_after_refresh(self.refresh_view)

    def bundles(self) -> list[Bundle]:
        s = self.session
        out: list[Bundle] = []
        seen: set[str] = set()
        for i, r in enumerate(s.rows()):
            e = explanation_for(r, s.explanations)
            if e is None or e.patch is None or patch_key(e) in seen:
                continue
            key = patch_key(e)
            seen.add(key)
            where = f"{e.primary.file}:{e.primary.line}"
            state = s.patches.get(key)
            out.append(
                Bundle(
                    key,
                    where,
                    e.summary,
                    # what was validated (f: the repair's fix for it), else the story's own patch
                    state.patch.diff if state is not None and state.patch is not None else e.patch.diff,
                    i,
                    state,
                    bool(placeholders(e)),
                    story_tag(e, s.explanations),
                )
            )
        for key, st in s.patches.items():
            if key not in seen and st.applied and st.patch is not None:
                where = key.split(":", 1)[-1]
                out.append(Bundle(key, where, st.patch.explanation, st.patch.diff, None, st))
        return out

    def draw(self) -> None:
        self.load_history()
        s = self.session
        table = self.query_one("#bundles", DataTable)
        # a redraw while the user is here (a check or an option's validation answering) keeps the row
        # they are on; coming back to Review follows the story chosen elsewhere
        was = self._cursor_key(table) if self._keep_row else None
        table.clear(columns=True)
        bundles = self.bundles()
        self._inside = self.inside_width()
        state, where, story, why = fit_columns(bundles, self._inside)
        for label, w in (("State", state), ("Where", where), ("#", story), ("Rationale", why)):
            table.add_column(label, width=w)
        for b in bundles:
            rationale = Text(b.rationale.splitlines()[0] if b.rationale else "", no_wrap=True)
            rationale.truncate(why, overflow="ellipsis")
            table.add_row(_status(b), cut_left(b.where, where), b.story, rationale, key=b.key)
        if s.report is None or not bundles:
            note = "Waiting for the first check." if s.report is None else "No patch to review."
            self.query_one("#rationale", Pane).set_body(Text(s.explain_note or note, style="italic"))
            self.query_one("#review-diff", DiffView).show(None)
            return
        current = next((n for n, b in enumerate(bundles) if b.key == was), None)
        if current is None:
            current = next((n for n, b in enumerate(bundles) if b.row == s.selected), 0)
        table.move_cursor(row=current)
        self.show_bundle(bundles[current])

    @staticmethod
    def _cursor_key(table: DataTable[str]) -> str | None:
        if table.row_count == 0:
            return None
        from textual.widgets.data_table import CellDoesNotExist

        try:
            return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        except CellDoesNotExist:  # a cursor past the rows: no row to keep
            return None

    def show_bundle(self, b: Bundle) -> None:
        parts: list[RenderableType] = [Text(b.rationale, style="bold")]
        if b.state is not None and b.state.summary:
            style = {"green": "green", "red": "red"}.get(b.state.status, "yellow")
            parts.append(Text(f"Validation: {b.state.summary}", style=style))
            parts += proof_texts(b.state)
        if self.history:
            parts.append(Text("History: " + " | ".join(self.history[-3:]), style="dim"))
        self.query_one("#rationale", Pane).set_body(Group(*parts), key=b.key)
        self.query_one("#review-diff", DiffView).show(b.diff)

    def _highlighted(self) -> Bundle | None:
        bundles = self.bundles()
        table = self.query_one("#bundles", DataTable)
        if not bundles or table.cursor_row >= len(bundles):
            return None
        return bundles[table.cursor_row]

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        b = self._highlighted()
        if b is None:
            return
        self.show_bundle(b)
        if b.row is not None and b.row != self.session.selected:
            self.session.selected = b.row

    def action_export_bundle(self) -> None:
        b = self._highlighted()
        if b is None:
            self.rusta.say("No patch to export.", severity="warning")
            return
        proof = b.state.summary if b.state is not None else ""
        out = export_bundle(self.session.root, b.key, b.diff, rationale=b.rationale, proof=proof)
        self.rusta.say(f"Exported to {out.relative_to(self.session.root)} (git am takes it).")

    @work(thread=True, exclusive=True, group="history-read", exit_on_error=False)
    def load_history(self) -> None:
        from engine.patching.api import history

        try:
            ops = history(self.session.root)
            lines = tuple(f"{o.op} {o.patch_id}" for o in ops)
        except Exception:  # the history is a convenience here; the CLI `rusta history` says why
            lines = ()
        self.post_message(HistoryLoaded(lines))

    def on_history_loaded(self, message: HistoryLoaded) -> None:
        self.history = message.lines


def proof_texts(state: PatchState) -> list[Text]:
    """What ran for the validated patch, as the CLI lists it (engine.proofs.collect.proof_lines)."""
    from engine.proofs.collect import proof_lines

    if state.validation is None:
        return []
    color = {"passed": "green", "failed": "red", "evidence": "yellow"}
    return [
        Text(line, style=color.get(p.status, "dim"))
        for p, line in zip(state.validation.proofs, proof_lines(state.validation.proofs), strict=True)
    ]


def export_bundle(root: Path, key: str, diff: str, *, rationale: str = "", proof: str = "") -> Path:
    """Write one bundle to `.rusta/patches/<key>.patch` as a format-patch mail: `git am` makes it a
    commit whose message holds Rusta's rationale and the validation that ran; `git apply` and
    `rusta apply` read the diff after the mail header."""
    from diary.rustadir import ensure_rusta_dir
    from engine.review.mbox import patch_message

    subject = f"rusta: {rationale.splitlines()[0]}" if rationale.strip() else f"rusta: patch {key}"
    body = "\n".join(
        x
        for x in (
            f"Explanation: {rationale.strip()}" if rationale.strip() else "",
            f"Proof: {proof}" if proof else "",
        )
        if x
    )
    out = ensure_rusta_dir(root) / "patches" / export_name(key)  # .rusta/ with its .gitignore
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(patch_message(subject, body, diff))
    return out
