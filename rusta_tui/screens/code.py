"""Code: the source around the selected diagnostic, its patch as a diff, the Explain bubble, the Why drawer."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll

from rusta_tui.screens.base import RustaScreen
from rusta_tui.views import patch_key, story_tag
from rusta_tui.widgets.explain import ExplainBubble, WhyDrawer
from rusta_tui.widgets.source import DiffView, SourceView


class CodeScreen(RustaScreen):
    NAME = "code"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("T", "app.goto('tests')", "Tests")]

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="code-body"):
            with Vertical(id="code-left"):
                yield SourceView(id="source", classes="panel")
                yield DiffView(id="diff", classes="panel")
            with VerticalScroll(id="code-right"):
                yield ExplainBubble(id="bubble", classes="panel")
        with VerticalScroll(id="why-drawer", classes="panel"):
            yield WhyDrawer(id="why")

    def on_mount(self) -> None:
        self.query_one("#diff", DiffView).border_title = "Patch"
        self.query_one("#bubble", ExplainBubble).border_title = "Explain"
        self.query_one("#why-drawer").border_title = "Why (w closes)"
        super().on_mount()

    def draw(self) -> None:
        s = self.session
        row = s.selected_row()
        expl = s.selected_explanation()
        source = self.query_one("#source", SourceView)
        source.border_title = f"{row.file}:{row.line}" if row else "Source"
        source.border_subtitle = f"{row.code} {row.level}" if row else ""
        source.show(s.root, row, self.rusta.ascii)
        diff = self.query_one("#diff", DiffView)
        diff.display = not s.why_open  # the drawer takes the patch's place while it is open
        diff.show(expl.patch.diff if expl is not None and expl.patch is not None else None)
        bubble = self.query_one("#bubble", ExplainBubble)
        tag = story_tag(expl, s.explanations)
        bubble.border_title = f"Explain, story {tag}" if tag else "Explain"
        self.query_one("#code-right").display = s.mode != "silent"
        state = s.patches.get(patch_key(expl)) if expl is not None else None
        note = s.explain_note if row is not None else "No diagnostic selected."
        bubble.show(expl, s.mode, note, state)
        self.query_one("#why-drawer").display = s.why_open
        self.query_one("#why", WhyDrawer).show(expl)
