"""Conversions inside a container: `Option<&str>` where `Option<String>` was wanted. Pure.

The value is right, its element is not, so the edit belongs inside the closure that built the
element (`.map(|s| s)` for `.map(|s| s.to_string())`, `(p, a)` for `(p, *a)`); without such a
closure, an adapter on the container (`.cloned()`, `.map(String::from)`) does the same.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from engine.repair.idioms import owning_idiom
from engine.repair.template_kit import EXPECTED_FOUND, Reader, _make, _primary, _span_text
from engine.repair.types import Candidate, Edit
from engine.syntax.top_level import split_top
from toolbelt.types import Diagnostic

_WRAPPERS = ("Option", "Result", "Vec")
_STRS = ("&str", "&String", "&&str", "&mut str")


def _element(ty: str) -> tuple[str, str] | None:
    m = re.fullmatch(r"(?P<w>\w+)<(?P<args>.*)>", ty)
    if not m or m.group("w") not in _WRAPPERS:
        return None
    args = split_top(m.group("args"))
    return (m.group("w"), args[0]) if args else None


def _is_ref_of(found: str, exp: str) -> bool:
    return found in (f"&{exp}", f"&mut {exp}")


def _closure_body(text: str) -> tuple[int, int] | None:
    """Char offsets of the body of the last `.map(|..| body)` closure the span text ends with."""
    at = text.rfind(".map(")
    if at < 0 or not text.rstrip().endswith(")"):
        return None
    m = re.compile(r"\.map\(\s*(?:move\s+)?\|[^|]*\|\s*").match(text, at)
    if not m:
        return None
    end = len(text.rstrip()) - 1
    body = text[m.end() : end]
    if not body.strip() or body.count("(") != body.count(")"):
        return None
    return m.end(), m.end() + len(body.rstrip())


def element_conversion(d: Diagnostic, read: Reader) -> list[Candidate]:
    span = _primary(d)
    if span is None or not span.label or not (m := EXPECTED_FOUND.search(span.label)):
        return []
    exp, found = _element(m.group("exp")), _element(m.group("found"))
    if exp is None or found is None or exp[0] != found[0] or exp[1] == found[1]:
        return []
    (wrapper, want), (_, have) = exp, found
    text = _span_text(span, read) or ""
    code = d.code_str or "E0308"
    out: list[Candidate] = []
    if (body := _closure_body(text)) is not None:
        return _inside(text, span.byte_start, span.file_name, body, want, have, code)
    data = read(span.file_name)
    if (call := re.fullmatch(r"(?P<f>[a-z_]\w*)\(.*\)", text, re.S)) and data is not None:
        # A local closure made the value (`let split = |s| ...map(|s| s.trim());`): convert there.
        head = data[: span.byte_start].decode("utf-8", "replace")
        name = re.escape(call.group("f"))
        binds = list(re.finditer(rf"\blet\s+{name}\s*=\s*(?:move\s+)?\|[^|]*\|\s*(?P<body>[^;]*);", head))
        if binds and (inner := _closure_body(binds[-1].group("body"))) is not None:
            base = len(head[: binds[-1].start("body")].encode())
            out += _inside(binds[-1].group("body"), base, span.file_name, inner, want, have, code)
    if wrapper in ("Option", "Result"):
        end = span.byte_start + len(text.rstrip().encode())

        def adapter(s: str, why: str, score: float) -> Candidate:
            edit = Edit(file=span.file_name, start=end, end=end, replacement=s)
            return _make([edit], why, "convert-element", code, score)

        if want == "String" and have in _STRS:
            out.append(adapter(".map(|s| s.to_string())", "own each element", 0.55))
        elif _is_ref_of(have, want):
            out.append(adapter(".cloned()", "clone the element out", 0.55))
            out.append(adapter(".copied()", "copy the element out", 0.5))
    return out


def _inside(
    text: str, base: int, file: str, body: tuple[int, int], want: str, have: str, code: str
) -> list[Candidate]:
    """Convert the closure body `text[b0:b1]`; `base` is the byte offset of `text` in `file`."""

    def at(i: int, s: str) -> Edit:
        pos = base + len(text[:i].encode())
        return Edit(file=file, start=pos, end=pos, replacement=s)

    b0, b1 = body
    simple = re.fullmatch(r"[\w.]+(?:\(\))?", text[b0:b1]) is not None
    suffix: str | None = None
    out: list[Candidate] = []
    if want == "String" and have in _STRS:
        suffix = ".to_string()"
    elif _is_ref_of(have, want):
        out.append(_make([at(b0, "*")], "dereference inside the closure", "deref", code, 0.65))
        suffix = ".clone()"
    elif want.startswith("(") and have.startswith("("):
        out += _tuple_derefs(text, b0, b1, want, have, at, code)
    tidy = owning_idiom(text[b0:b1], suffix) if suffix is not None else None
    if (
        suffix is not None and tidy is not None
    ):  # `(*x).clone()` -> `x.clone()`, `s.as_str().to_string()` -> `s.clone()`
        start, end = base + len(text[:b0].encode()), base + len(text[:b1].encode())
        out.append(
            _make(
                [Edit(file=file, start=start, end=end, replacement=tidy)],
                f"convert inside the closure: `{tidy}`",
                "convert-element",
                code,
                0.65,
            )
        )
    elif suffix is not None:
        edits = [at(b1, suffix)] if simple else [at(b0, "("), at(b1, ")" + suffix)]
        out.append(_make(edits, f"convert inside the closure with `{suffix}`", "convert-element", code, 0.65))
    return out


def _tuple_derefs(
    text: str, b0: int, b1: int, want: str, have: str, at: Callable[[int, str], Edit], code: str
) -> list[Candidate]:
    """`(u32, &Assoc)` for `(u32, Assoc)` from a tuple body `(p, a)`: deref the components that differ."""
    ws, hs = split_top(want[1:-1]), split_top(have[1:-1])
    body = text[b0:b1]
    if len(ws) != len(hs) or not (body.startswith("(") and body.endswith(")")):
        return []
    parts = split_top(body[1:-1])
    if len(parts) != len(ws):
        return []
    edits: list[Edit] = []
    pos = b0 + 1
    for part, w, h in zip(parts, ws, hs, strict=True):
        start = text.index(part, pos)
        if w != h:
            if not _is_ref_of(h, w):
                return []
            edits.append(at(start, "*"))
        pos = start + len(part)
    if not edits:
        return []
    return [_make(edits, "dereference the borrowed tuple fields", "deref", code, 0.65)]
