"""The owned counterpart of a returned reference type, read from the `&` rustc points at (E0106
"missing lifetime specifier" on a return type). Pure.

Why: "return an owned value" is advice about one type, the one the signature returns by reference.
A fixed `String` instead of `&str` is wrong for a fn returning `&Doc` or `&[u8]`; the counterpart
follows from the referenced type: `&str` -> `String`, `&[T]` -> `Vec<T>`, `&Path` -> `PathBuf`, and
any other `&T` -> `T` itself, which takes a clone, so `T` must implement `Clone`.
"""

from __future__ import annotations

import re

from toolbelt.types import Diagnostic

_OWNED = {"str": "String", "Path": "PathBuf", "OsStr": "OsString", "CStr": "CString"}
_OPEN, _CLOSE = "<([", ">)]"


def _referenced(after: str) -> str | None:
    """The type written after a `&` (lifetime and `mut` skipped), up to where it closes at depth 0."""
    rest = re.sub(r"^\s*(?:'\w+\s+)?(?:mut\s+)?", "", after)
    depth, out = 0, []
    for ch in rest:
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            if depth == 0:
                break
            depth -= 1
        elif depth == 0 and (ch.isspace() or ch in "{,;="):
            break
        out.append(ch)
    typ = "".join(out).strip()
    return typ if typ and depth == 0 and not typ.startswith(("dyn", "impl")) else None


def owned_return(diag: Diagnostic) -> str:
    """ "`String` instead of `&str`" for the return type's `&` rustc's primary span covers, or ""."""
    if diag.code_str != "E0106":
        return ""
    span = next((s for s in diag.spans if s.is_primary), None)
    line = span.text[0] if span is not None and len(span.text) == 1 else None
    if line is None or line.text[line.highlight_start - 1 : line.highlight_end - 1] != "&":
        return ""
    typ = _referenced(line.text[line.highlight_end - 1 :])
    if typ is None:
        return ""
    if typ.startswith("[") and typ.endswith("]") and ";" not in typ:
        return f"`Vec<{typ[1:-1]}>` instead of `&{typ}`"
    if typ in _OWNED:
        return f"`{_OWNED[typ]}` instead of `&{typ}`"
    return f"`{typ}` instead of `&{typ}`, a clone of the value (`{typ}` must implement `Clone`)"
