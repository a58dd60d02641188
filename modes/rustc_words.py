"""rustc's own words in a story: its reason, its advice and its rendered rows, as pair mode quotes them.

Split from `modes.rendering`, which lays these out as lines: picking which of rustc's labels, notes
and rows to quote is a question about rustc's diagnostic (a "because" label, a help that is advice and
not a restatement, an arrow into the toolchain's own source), not about layout.
"""

from __future__ import annotations

import re

from engine.explain.placeholders import clean_note
from engine.explain.types import Explanation
from toolbelt.types import Diagnostic

_POINTER_LABEL = re.compile(r"^expected (?:because of|due to) this\b")


def rustc_why(e: Explanation) -> str | None:
    """rustc's own reason, in its words: a label that says "because", else its first note."""
    if not e.diagnostics:
        return None
    d = e.diagnostics[0]
    for s in (*d.spans, *(s for c in d.children for s in c.spans)):
        if not s.is_primary or s not in d.spans:
            if s.label and "because" in s.label and not _POINTER_LABEL.match(s.label):
                return " ".join(s.label.split()).lstrip(".")
    for c in d.children:
        # "`Status` defined here", "function defined here": a place, not a reason
        if c.level == "note" and "defined here" not in c.message and (note := clean_note(c.message)):
            return note  # rustc's multi-line notes ("expected type `u32`\n found enum ..."): one line
    return None


# help text that restates the error (which trait is missing, which types do have it) is not advice,
# also when rustc says first where the type sits ("within `{closure@..}`, the trait `Send` is not ...")
_RESTATES = re.compile(
    r"(?:within `.+?`, )?(?:the (?:trait|following|method)\b|`[^`]+` (?:is|are) not implemented)"
)


def rustc_help(e: Explanation) -> str | None:
    """rustc's first help that is advice in words (not a patch: those are the story's fixes)."""
    if not e.diagnostics:
        return None
    for c in e.diagnostics[0].children:
        if c.level == "help" and not any(s.suggested_replacement is not None for s in c.spans):
            note = clean_note(c.message)
            if note and not _RESTATES.match(note):
                return note
    return None


def also_line(d: Diagnostic) -> str:
    """A diagnostic folded into a story as one location line, in the heading's own form."""
    code = f"[{d.code_str}]" if d.code_str else ""
    at = f" {d.primary.file_name}:{d.primary.line_start}:{d.primary.column_start}" if d.primary else ""
    return f"  also {d.level}{code}{at}: {d.message}"


# rustc's arrow to the toolchain's own source, as its build machine named it: `-->` for the span
# itself, `:::` for one more span of the same note (an impl in `core::ops::arith`)
_TOOLCHAIN_ARROW = re.compile(r"^\s*(?:-->|:::) /rustc/[0-9a-f]{7,}/library/")
_SOURCE_ROW = re.compile(r"^\s*\d+\s+\|")
_BARE_GUTTER = re.compile(r"^\s*\|\s*$")
# the label of a span in a macro of the toolchain: it points at nothing once the arrow is gone
_MACRO_NOTE = re.compile(r"^\s*\|?\s*= note: in this macro invocation\s*$")


def no_toolchain_paths(rows: list[str]) -> list[str]:
    """rustc's rows without an arrow to `/rustc/<hash>/library/std/src/...:125:0` that shows no
    source after it: that path exists only on rustc's build machine, the column is made up, and the
    note above it already names the item (`required by a bound in `std::thread::spawn``). The rows
    that only framed that arrow go with it: the bare gutter under it and "in this macro invocation",
    a label of the toolchain's span (rustc's list of the `Div` impls of `f64` has three)."""
    out: list[str] = []
    skipping = False
    for i, r in enumerate(rows):
        if _TOOLCHAIN_ARROW.match(r) and not any(_SOURCE_ROW.match(n) for n in rows[i + 1 : i + 3]):
            skipping = True
            continue
        if skipping and (_BARE_GUTTER.match(r) or _MACRO_NOTE.match(r)):
            continue
        skipping = False
        out.append(r)
    return out
