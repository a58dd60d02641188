"""Study, pair and silent: the same facts rendered three ways. Data and rendering choices, no Textual.

`render(explanation, mode)` gives a rich renderable; `render_text(explanation, mode)` plain text.
Rich is imported only when a renderable is asked for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from modes.types import MODES, SPECS, Mode, ModeSpec

if TYPE_CHECKING:
    from engine.explain.types import Explanation

__all__ = ["MODES", "SPECS", "Mode", "ModeSpec", "render", "render_text", "study_answer", "study_question"]


def render(explanation: Explanation, mode: Mode) -> Any:
    """A rich renderable that lays itself out for the width it is given; empty for silent."""
    from modes.rendering import render as _render

    return _render(explanation, mode)


def render_text(explanation: Explanation, mode: Mode) -> str:
    """Plain text, the same words as `render`."""
    from modes.rendering import render_text as _render_text

    return _render_text(explanation, mode)


def checked(explanation: Explanation, failed: tuple, mode: Mode) -> Any:
    """What validation added to a story (`modes.verdicts.checked_lines`), as a rich renderable: the
    app's pane says why rustc's suggestion fails, as `rusta explain` does."""
    from modes.rendering import to_rich
    from modes.verdicts import checked_lines

    return to_rich(checked_lines(explanation, failed, mode))


def study_question(explanation: Explanation) -> Any:
    """Study mode before the reveal (the heading and a question), as a rich renderable for the TUI,
    whose panes show the source and the diagnostic already; the CLI prints rustc's text with it."""
    from modes.rendering import to_rich
    from modes.study import study_question as _q

    return to_rich(_q(explanation, with_rustc=False))


def study_answer(explanation: Explanation, width: int = 100) -> Any:
    """Study mode's reveal (root cause, invariant, why, passage, options, patch, references)."""
    from modes.rendering import study_answer as _a
    from modes.rendering import to_rich

    return to_rich(_a(explanation, width=width))
