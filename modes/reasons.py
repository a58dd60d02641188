"""Rusta's own reason for a story in pair mode when rustc's text is printed above her lines.

Why a module: pair mode on the CLI drops "Why (rustc): ..." because rustc's rendering, printed
under the heading, already says it; a story whose shape Rusta explains from facts (a KB variant's
summary, or engine/explain/fact_why.py) then showed only rustc and a fix. Her reason takes the
slot rustc's left, so pair mode adds something rustc does not say.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from engine.explain.types import Explanation
    from modes.rendering import Line


def own_reason(e: Explanation, own: list[Line]) -> Line | None:
    """The Why line from the story's shape summary, unless the story is grouped (its summary says
    how the diagnostics hang together), the summary only restates two types, or a Why is in `own`."""
    from modes.rendering import Line

    if not e.shape_summary or not e.summary or len(e.diagnostics) > 1:
        return None
    if e.summary.lower().startswith("expected ") or any(ln.text.startswith("Why:") for ln in own):
        return None
    return Line(f"Why: {e.summary.splitlines()[0]}")
