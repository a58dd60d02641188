"""A type that lost its `&`: `str` or `[T]` where `&str` or `&[T]` was meant. Pure.

E0277 "the size for values of type `str` cannot be known at compilation time" points at the type
itself (`Option<(char, str)>` in a signature) or at a call of the function whose signature has it
(`wildcard(text)`), or at a pattern on the line of that call; either way the `&` goes before the bare unsized type in that signature.
"""

from __future__ import annotations

import re

from engine.repair.template_kit import Reader, _make, _primary, _span_text
from engine.repair.types import Candidate, Edit
from toolbelt.types import Diagnostic

_UNSIZED = re.compile(r"the size for values of type `(?P<t>str|\[[^`]+\])` cannot be known")


def _bare(text: str, ty: str) -> list[int]:
    """Char offsets of `ty` in `text` written without a `&` (or `&'a `, `&mut `) before it."""
    word = r"\b" if ty[0].isalpha() else ""
    out = []
    for m in re.finditer(rf"{word}{re.escape(ty)}{word}", text):
        before = text[: m.start()].rstrip()
        if re.search(r"&(?:'\w+)?(?:\s*mut)?$", before) or re.search(r"\w$", before):
            continue
        out.append(m.start())
    return out


def _signature(text: str, name: str) -> tuple[int, int] | None:
    """Char range of `fn name(...) -> ...` up to its body or `;` in `text`."""
    m = re.search(rf"\bfn\s+{re.escape(name)}\b[^{{;]*", text)
    return (m.start(), m.end()) if m else None


def borrow_unsized_type(d: Diagnostic, read: Reader, crate_files: tuple[str, ...]) -> list[Candidate]:
    span = _primary(d)
    m = _UNSIZED.search(d.message)
    if span is None or m is None:
        return []
    ty, code = m.group("t"), d.code_str or "E0277"
    text = _span_text(span, read) or ""
    sites: list[tuple[str, str, int]] = []  # file, text, byte offset of the text in the file
    if _bare(text, ty):
        sites.append((span.file_name, text, span.byte_start))
    else:
        # A call whose callee's signature has the bare type: in the span, else on its lines
        # (`if let Some((c, rest)) = wildcard(text)` points at the pattern).
        lines = " ".join(line.text for line in span.text)
        names = re.findall(r"\b([a-z_]\w*)\s*\(", text) + re.findall(r"\b([a-z_]\w*)\s*\(", lines)
        files = [span.file_name, *(f for f in crate_files if f != span.file_name)]
        for name in dict.fromkeys(names):
            found = None
            for f in files:
                body = (read(f) or b"").decode("utf-8", "replace")
                sig = _signature(body, name)
                if sig and _bare(body[sig[0] : sig[1]], ty):
                    found = (f, body[sig[0] : sig[1]], len(body[: sig[0]].encode()))
                    break
            if found:
                sites.append(found)
                break
    out: list[Candidate] = []
    for file, t, base in sites:
        for at in _bare(t, ty)[:3]:
            pos = base + len(t[:at].encode())
            out.append(
                _make(
                    [Edit(file=file, start=pos, end=pos, replacement="&")],
                    f"borrow the unsized type: `&{ty}`",
                    "borrow-type",
                    code,
                    0.65,
                )
            )
    return out
