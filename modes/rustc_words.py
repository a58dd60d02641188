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


def also_notes(d: Diagnostic, lead: str, most: int = 2) -> list[str]:
    """The notes of a diagnostic folded into the story that point into the crate and that the lead's
    rendering does not already hold: the place rustc names as the origin (`'static` "introduced
    here" at the bound) is often the most useful line it printed for that error."""
    out: list[str] = []
    for c in d.children:
        spans = [s for s in c.spans if not s.file_name.startswith(("/", "<"))]
        if c.level != "note" or not spans or not c.message or c.message in lead:
            continue
        s = spans[0]
        out.append(f"    {c.level}: {c.message} ({s.file_name}:{s.line_start}:{s.column_start})")
    return out[:most]


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


_IMPL_LIST = re.compile(r"^(\s*)= help: the following other types implement trait `([^`]+)`:\s*$")
_IMPL_ROW = re.compile(r"^\s+`([^`]+)` implements `[^`]+`\s*$")
_IMPL_MORE = re.compile(r"^\s+and (\d+) others\s*$")
_LACKS = re.compile(r"the trait `([^`]+)` is not implemented for `([^`]+)`")
_TYPE_WORD = re.compile(r"[A-Za-z_][\w:]*")


def _names(ty: str) -> set[str]:
    """The type names a type mentions, each by its last path segment (`std::vec::Vec<u8>`: Vec, u8)."""
    return {w.split("::")[-1] for w in _TYPE_WORD.findall(ty)}


def no_unrelated_impls(rows: list[str]) -> list[str]:
    """rustc's list of the other types that implement a trait, in one line when it names none of the
    types at stake: the type that lacks the trait, or a type among the trait's arguments (`Money`
    lacks `Sum<i64>`; the list starts at `f128`). Such a list does not help choose a fix; one that
    names them does (`f64` implements `Div<f64>` beside `f64 / usize`) and stays whole."""
    stake: set[str] = set()  # the type that lacks the trait, and the trait's own arguments
    for lacks in (x for r in rows for x in _LACKS.finditer(r)):
        stake |= _names(lacks.group(2)) | _names(lacks.group(1).partition("<")[2])
    out: list[str] = []
    i = 0
    while i < len(rows):
        m = _IMPL_LIST.match(rows[i])
        if m is None:
            out.append(rows[i])
            i += 1
            continue
        j, named, more = i + 1, [], 0
        while j < len(rows) and (row := _IMPL_ROW.match(rows[j])):
            named.append(row.group(1))
            j += 1
        if j < len(rows) and (extra := _IMPL_MORE.match(rows[j])):
            more, j = int(extra.group(1)), j + 1
        trait = m.group(2)
        if not named or not stake or {w for n in named for w in _names(n)} & stake:
            out.extend(rows[i:j])
        else:
            them = " or ".join(f"`{t}`" for t in sorted(stake))
            out.append(
                f"{m.group(1)}= help: rustc lists {len(named) + more} other types that implement `{trait}`;"
                f" none of the {len(named)} it names is {them}"
            )
        i = j
    return out
