"""Small pieces every candidate template uses: reading spans, making edits and candidates. Pure."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from engine.edits import edit_id
from engine.repair.types import Candidate, Edit
from toolbelt.diagnostics import in_user_crate, temporary_spans
from toolbelt.types import Diagnostic, Span

Reader = Callable[[str], bytes | None]  # crate-relative path -> bytes, None if unreadable

# rustc's label on a mismatched type, "expected `&str`, found `String`": the templates that rewrite
# the expression at the span read both types from it
EXPECTED_FOUND = re.compile(r"expected `(?P<exp>.+?)`, found `(?P<found>.+?)`")


def _primary(d: Diagnostic) -> Span | None:
    return d.primary


def primary_source(d: Diagnostic, read: Reader) -> tuple[Span, bytes] | None:
    """rustc's primary span and its file's bytes, when the span lies within them. Every template that
    reads the syntax around the span opens this way; a span past the file's end (the file changed
    since the check) is no place to edit."""
    span = d.primary
    data = read(span.file_name) if span is not None else None
    if span is None or data is None or span.byte_end > len(data):
        return None
    return span, data


def _make(edits: list[Edit], description: str, family: str, code: str, score: float) -> Candidate:
    t = tuple(edits)
    return Candidate(
        id=edit_id(t),
        edits=t,
        description=description,
        source="template",
        family=family,
        addresses=(code,),
        score=score,
    )


def _insert(span: Span, at_end: bool, text: str) -> Edit:
    pos = span.byte_end if at_end else span.byte_start
    return Edit(file=span.file_name, start=pos, end=pos, replacement=text)


def _span_text(span: Span, read: Reader) -> str | None:
    data = read(span.file_name)
    if data is None:
        return None
    return data[span.byte_start : span.byte_end].decode("utf-8", "replace")


def _dot_before(source: bytes, at: int) -> int | None:
    """The `.` of the method call whose name starts at byte `at` (only whitespace between), or None."""
    dot = source.rfind(b".", 0, at)
    return None if dot < 0 or source[dot + 1 : at].strip() else dot


def _short(ty: str) -> str:
    """A type as the code writes it: `std::vec::Vec<std::string::String>` -> `Vec<String>` (rustc
    spells paths out when the same output names two types alike)."""
    return re.sub(r"\b(?:[a-z_]\w*::)+", "", ty)


def fallible(ty: str) -> str | None:
    """`Result` or `Option` when a type, rustc's or as the code writes it, is one with its parameters
    (`Result<u16, ParseIntError>`, `io::Result<()>`), else None: the templates that wrap a value in
    `Ok`/`Some` or collect into `Result<C, _>` write those parameters, which a bare alias lacks."""
    m = re.match(r"(?:\w+::)*(Result|Option)<", ty)
    return m.group(1) if m is not None and ty.endswith(">") else None


def temporaries(d: Diagnostic, read: Reader) -> Iterator[tuple[Span, bytes]]:
    """The temporaries rustc labels "temporary value created here" in the user's own files, each with
    its file's bytes: the fixes that rewrite the temporary itself (E0515/E0716) all start there."""
    for s in temporary_spans(d):
        if not in_user_crate(s.file_name):
            continue
        data = read(s.file_name)
        if data is not None and s.byte_end <= len(data):
            yield s, data
