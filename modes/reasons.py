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


def rusta_only(e: Explanation, lines: list[Line], *, pending: bool = False) -> list[Line]:
    """Pair mode's lines under `--no-rustc`, which promises only Rusta's: rustc's reason and help
    go (they are rustc's words, relabelled), and her own reason takes their slot, as it does when
    rustc's text is printed above. The mistake this answers: dropping rustc's rendering while
    keeping "Why (rustc)" and losing her own Why (review F, f18; f19 kept only rustc's help)."""
    from modes.rendering import Line

    own = [ln for ln in lines[1:] if not ln.text.startswith(("Why (rustc):", "Help (rustc):"))]
    if len(own) < len(lines) - 1 and (reason := own_reason(e, own)) is not None:
        own.insert(0, reason)
    if not own and not pending:
        own = [Line("Nothing to add to rustc's words here.", "dim")]
    return [lines[0], *own]
