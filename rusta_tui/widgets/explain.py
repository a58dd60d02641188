"""The Explain bubble next to the selected diagnostic and the Why drawer below it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.text import Text

from modes import checked, render
from modes.study import StudyPane
from rusta_tui.patchstatus import placeholder_sentence, placeholders
from rusta_tui.state import PatchState
from rusta_tui.whytext import why_text_for
from rusta_tui.widgets.panes import Pane

if TYPE_CHECKING:
    from engine.explain.types import Explanation, PatchOption
    from rusta_tui.types import Mode


def _story_key(expl: Explanation) -> tuple[object, ...]:
    """Which story a pane shows: a redraw of the same one keeps the pane's scroll."""
    p = expl.primary
    return (expl.code, expl.message, p.file, p.line, p.column)


def _patch_line(state: PatchState | None, expl: Explanation, mode: Mode) -> Text:
    line = _patch_state(state, expl, mode)
    if state is not None and state.chosen:  # v and a work on the user's pick: name it
        line = Text.assemble((f"Your pick, {state.chosen}. ", "bold"), line)
    if state is not None and state.validation is not None and state.status in ("green", "red", "applied"):
        from engine.proofs.collect import proof_lines

        for text in proof_lines(state.validation.proofs):  # what ran, as the CLI lists it
            line.append("\n" + text, style="dim")
    return line


def _patch_state(state: PatchState | None, expl: Explanation, mode: Mode) -> Text:
    if state is not None and state.applied:
        return Text(f"Applied. u undoes it. {state.summary}", style="bold green")
    picked = state is not None and bool(state.chosen)  # then the story's own patch is beside the point
    if not picked and expl.patch is None:
        if mode == "pair" and expl.level.startswith("error"):
            return Text(
                "f looks for a fix as rusta fix does and shows it; it lands when you confirm it.",
                style="bold",
            )
        return Text("No machine fix for this one; the options above are yours to pick.", style="italic")
    if not picked and placeholders(expl):
        return Text(placeholder_sentence(expl), style="bold yellow")
    if state is None:
        if mode == "pair" and expl.level.startswith("error"):
            return Text(
                "Fix ready: f shows rusta fix's fix for it; once you confirm, it is validated in a "
                "sandbox and applied when green.",
                style="bold",
            )
        return Text("Fix ready: v validates it in a sandbox (w: why).", style="bold")
    if state.ok:
        return Text(f"Validated green: a applies it. {state.summary}", style="bold green")
    if state.status == "cancelled":
        return Text(state.summary, style="bold yellow")
    if state.status == "not_run":
        return Text(state.summary, style="bold yellow")
    return Text(f"Validated red, not applied: {state.summary}", style="bold red")


class ExplainBubble(Pane):
    """The selected story in the current mode's words (`modes.render`), with where the fix stands."""

    def show(
        self,
        expl: Explanation | None,
        mode: Mode,
        note: str,
        state: PatchState | None,
        failed: tuple[PatchOption, ...] | None = None,
    ) -> None:
        """`failed`: the story's options that validation rejected, once it answered (None before)."""
        if expl is None:
            self.set_body(Text(note or "No explanation for this diagnostic.", style="italic"))
            return
        # study mode asks its question first; the answer follows below a rule, as `rusta explain` shows it
        body: RenderableType = StudyPane(expl) if mode == "study" else render(expl, mode)
        if failed is not None and mode == "pair":
            body = checked(expl, failed, mode)  # the verdicts, with why rustc's suggestion fails
        elif failed:
            body = Group(body, checked(expl, failed, mode))
        line = _patch_line(state, expl, mode)
        if state is not None and state.chosen and not state.applied:
            # v and a work on the user's pick, not on the fix the story leads with: it goes first, where
            # a short pane (80x24) cannot scroll it out of view below the story's own verdicts
            self.set_body(Group(line, Text(""), body), key=(_story_key(expl), mode))
            return
        self.set_body(Group(body, Text(""), line), key=(_story_key(expl), mode))


class WhyDrawer(Pane):
    """The layer under the bubble: rustc's evidence, then Rusta's reasons the bubble has not given
    (`rusta_tui.whytext`)."""

    def show(self, expl: Explanation | None, bubble: str = "") -> None:
        """`bubble`: what the Explain bubble shows, as `whytext.plain` reads it; none of it is repeated."""
        if expl is None:
            self.set_body(Text("Nothing to explain here.", style="italic"))
            return
        self.set_body(why_text_for(expl, bubble), key=_story_key(expl))
