"""Study, pair and silent: the same facts rendered three ways. Data and rendering choices, no Textual.

`render(explanation, mode)` gives a rich renderable; `render_text(explanation, mode)` plain text.
Rich is imported only when a renderable is asked for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from modes.types import MODES, SPECS, Mode, ModeSpec

if TYPE_CHECKING:
    from engine.explain.types import Explanation

__all__ = ["MODES", "SPECS", "Mode", "ModeSpec", "render", "render_text"]


def render(explanation: Explanation, mode: Mode) -> Any:
    from modes.render import render as _render

    return _render(explanation, mode)


def render_text(explanation: Explanation, mode: Mode) -> str:
    from modes.render import render_text as _render_text

    return _render_text(explanation, mode)
