"""Code: the source around the selected diagnostic, its patch as a diff, the Explain bubble, the Why drawer.

Under 110 columns the panes stack and each takes the full width (the source's error column and the
patch's `+` line need it more than a side column does); wider, the Explain bubble sits on the right.
Every pane scrolls from the keyboard: Tab moves between them, and the focused one has a heavy border.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Container, Vertical

from rusta_tui.benchgate import toggle_hot
from rusta_tui.keymaps import screen_bindings
from rusta_tui.screens.base import RustaScreen
from rusta_tui.typeask import TypeAnswered, ask, sentence
from rusta_tui.views import patch_key, story_tag
from rusta_tui.whytext import plain
from rusta_tui.widgets.explain import ExplainBubble, WhyDrawer
from rusta_tui.widgets.source import DiffView, SourceView

PATCH_CONTEXT = 1  # unchanged lines kept around each change: the Source pane shows the rest


class CodeScreen(RustaScreen):
    NAME = "code"
    BINDINGS: ClassVar[list[BindingType]] = screen_bindings("code")
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]
    AUTO_FOCUS = "#diff"  # the patch is what a user must read before applying it

    def compose_body(self) -> ComposeResult:
        with Container(id="code-body"):
            with Vertical(id="code-left"):
                yield SourceView(id="source", classes="panel")
                yield DiffView(id="diff", classes="panel")
            yield ExplainBubble(id="bubble", classes="panel")
        yield WhyDrawer(id="why-drawer", classes="panel")

    def on_mount(self) -> None:
        self.query_one("#diff", DiffView).border_title = "Patch"
        self.query_one("#bubble", ExplainBubble).border_title = "Explain"
        self.query_one("#why-drawer", WhyDrawer).border_title = "Why (w closes)"
        super().on_mount()

    def action_toggle_hot(self) -> None:
        """Marks the fn around the selected diagnostic hot, or unmarks it (rusta_tui.benchgate)."""
        said, ok = toggle_hot(self.session)
        self.rusta.say(said, severity="information" if ok else "error")

    def action_type_of(self) -> None:
        """t: rustc's type for the expression at the selected diagnostic's column (rusta_tui.typeask)."""
        row = self.session.selected_row()
        if row is None:
            self.rusta.say("No diagnostic selected: t asks rustc for the type at its column.")
            return
        self.rusta.say(f"Asking rustc for the type at {row.file}:{row.line}:{row.column}.")
        self.ask_type(self.session.root, row.file, row.line, row.column)

    @work(thread=True, exclusive=True, group="type-of", exit_on_error=False)
    def ask_type(self, root: Path, file: str, line: int, col: int) -> None:
        self.post_message(ask(root, file, line, col))

    def on_type_answered(self, answer: TypeAnswered) -> None:
        self.rusta.say(sentence(answer))

    def draw(self) -> None:
        s = self.session
        row = s.selected_row()
        expl = s.selected_explanation()
        source = self.query_one("#source", SourceView)
        source.border_title = f"{row.file}:{row.line}:{row.column}" if row else "Source"
        source.border_subtitle = f"{row.code} {row.level}" if row else ""
        source.show(s.root, row, self.rusta.ascii)
        state = s.patches.get(patch_key(expl)) if expl is not None else None
        diff = self.query_one("#diff", DiffView)
        if state is not None and state.patch is not None:  # what was validated or applied (f: the repair's)
            diff.show(state.patch.diff, context=PATCH_CONTEXT)
        else:
            diff.show(
                expl.patch.diff if expl is not None and expl.patch is not None else None,
                context=PATCH_CONTEXT,
            )
        bubble = self.query_one("#bubble", ExplainBubble)
        tag = story_tag(expl, s.explanations)
        bubble.border_title = f"Explain, story {tag}" if tag else "Explain"
        note = s.explain_note if row is not None else "No diagnostic selected."
        at = next((i for i, x in enumerate(s.explanations) if x is expl), -1)
        bubble.show(expl, s.mode, note, state, s.failed_fixes.get(at))
        said = plain(bubble.renderable)  # the drawer adds to what the bubble says, never repeats it
        self.query_one("#why-drawer", WhyDrawer).show(expl, said)
        self.set_class(s.mode == "silent", "-silent")
        opened = s.why_open and not self.has_class("-why")
        closed = not s.why_open and self.has_class("-why")
        self.set_class(s.why_open, "-why")  # the drawer takes the patch's place while it is open
        if opened:
            drawer = self.query_one("#why-drawer", WhyDrawer)
            drawer.scroll_home(animate=False, immediate=True)
            self.call_after_refresh(drawer.focus)  # PageDown scrolls what was just opened
        elif closed:
            self.call_after_refresh(self.query_one("#diff").focus)
