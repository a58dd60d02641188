"""`t` on Code: the compiler's type for the expression at the selected diagnostic's column, asked
through the type-of probe (`rusta probe type-of`, toolbelt.probe) in a thread worker.

The answer is rustc's, from a scratch copy of the crate (the user's files are only read); it goes to
the mode bar in one line, the expression, its type and where the answer came from. A probe that
finds no expression there, or no type, says so in its own sentence.
"""

from __future__ import annotations

from pathlib import Path

from textual.message import Message

from toolbelt.probe import TypeProbe


class TypeAnswered(Message):
    """The probe's answer (or why there is none) for the spot `where` names."""

    def __init__(self, where: str, probe: TypeProbe | None, problem: str = "") -> None:
        super().__init__()
        self.where = where
        self.probe = probe
        self.problem = problem


def ask(root: Path, file: str, line: int, col: int) -> TypeAnswered:
    """Blocking: runs rustc on a scratch copy (a second or more, unless cached)."""
    from toolbelt.probe import ProbeError, type_of

    where = f"{file}:{line}:{col}"
    try:
        return TypeAnswered(where, type_of(root, file, line, col))
    except ProbeError as e:
        return TypeAnswered(where, None, str(e))


def sentence(answer: TypeAnswered) -> str:
    """The mode bar's line: `expr` is `type` (rustc, 0.8 s) or the probe's own reason."""
    p = answer.probe
    if p is None:
        return f"No type at {answer.where}: {answer.problem}"
    expr = " ".join(p.expr.split())
    if len(expr) > 40:
        expr = expr[:39] + "…"
    how = "cached" if p.cached else f"{p.duration_s:.1f} s"
    return f"`{expr}` is `{p.type}` (from {p.source}, {how}; at {answer.where})."
