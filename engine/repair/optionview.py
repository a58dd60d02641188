"""An `Option<&String>`'s default given as a `&str` (E0308 on `unwrap_or`'s argument): the receiver
fixed the `T` of `Option<T>` as `&String`, so the `&str` cannot coerce. Viewing the inside first
makes both sides agree: `.get(k).map(String::as_str).unwrap_or(default)`.

rustc's facts: its label "arguments to this method are incorrect" on the method (`unwrap_or`,
`map_or`), and the expected and found types of the argument, an owning std type and the borrowed
view it derefs to (`&String`/`&str`, `&Vec<T>`/`&[T]`, `&PathBuf`/`&Path`, `&OsString`/`&OsStr`).
rustc's own help there (`map_or(default, |v| v)`) does not type-check: the closure returns
`&String`. Pure: a Diagnostic and a file reader in, Candidates out.
"""

from __future__ import annotations

import re

from engine.facts.parse import facts_of
from engine.repair.template_kit import Reader, _make
from engine.repair.types import Candidate, Edit
from toolbelt.diagnostics import in_user_crate
from toolbelt.types import Diagnostic

_METHODS = frozenset({b"unwrap_or", b"map_or"})
_ARGS_LABEL = "arguments to this method are incorrect"
# (expected, found) -> the method that views the owning type as the borrowed one
_VIEWS = (
    (re.compile(r"&(?:std::string::)?String"), re.compile(r"&str"), "String::as_str"),
    (re.compile(r"&(?:std::vec::)?Vec<(.+)>"), re.compile(r"&\[(.+)\]"), "Vec::as_slice"),
    (re.compile(r"&(?:std::path::)?PathBuf"), re.compile(r"&(?:std::path::)?Path"), "PathBuf::as_path"),
    (re.compile(r"&(?:std::ffi::)?OsString"), re.compile(r"&(?:std::ffi::)?OsStr"), "OsString::as_os_str"),
)


def _view(expected: str, found: str) -> str | None:
    for want, got, method in _VIEWS:
        w, g = want.fullmatch(expected), got.fullmatch(found)
        if w and g and w.groups() == g.groups():
            return method
    return None


def view_before_default(d: Diagnostic, read: Reader) -> list[Candidate]:
    f = facts_of(d)
    method = _view(f.expected or "", f.found or "") if f.expected and f.found else None
    if method is None:
        return []
    for s in d.spans:
        if s.label != _ARGS_LABEL or not in_user_crate(s.file_name):
            continue
        source = read(s.file_name)
        if source is None or source[s.byte_start : s.byte_end] not in _METHODS:
            continue
        dot = source.rfind(b".", 0, s.byte_start)
        if dot < 0 or source[dot + 1 : s.byte_start].strip():
            continue  # the method is not called with `.` right before it
        edit = Edit(file=s.file_name, start=dot, end=dot, replacement=f".map({method})")
        name = source[s.byte_start : s.byte_end].decode()
        return [
            _make(
                [edit],
                f"view the inside first: `.map({method})` before `.{name}`, so the default's type fits",
                "option-view",
                d.code_str or "E0308",
                0.7,
            )
        ]
    return []
