"""E0515 where the returned reference points into an empty value made on the spot: borrow a constant.

    None => &Vec::new(),      ->  None => &[],
    None => &String::new(),   ->  None => "",

rustc marks the temporary ("temporary value created here"). An empty slice or string literal is a
constant, which Rust promotes to a `'static` value, so a function returning `&[T]` or `&str` can hand
it out; a `&Vec<T>` return type cannot take `&[]`, so the sandbox decides. Pure.
"""

from __future__ import annotations

import re

from engine.repair.template_kit import Reader, _make, temporaries
from engine.repair.types import Candidate, Edit
from toolbelt.types import Diagnostic

_EMPTY = (
    (re.compile(r"Vec(?:::<[^>]*>)?::(?:new|default)\(\)|vec!\[\s*\]"), "&[]"),
    (re.compile(r"String::(?:new|default)\(\)|String::from\(\"\"\)|\"\"\.to_(?:string|owned)\(\)"), '""'),
)


def empty_constant(d: Diagnostic, read: Reader) -> list[Candidate]:
    out: list[Candidate] = []
    for s, data in temporaries(d, read):
        text = data[s.byte_start : s.byte_end].decode("utf-8", "replace").strip()
        constant = next((c for rx, c in _EMPTY if rx.fullmatch(text)), None)
        amp = data.rfind(b"&", 0, s.byte_start)
        if constant is None or amp < 0 or data[amp + 1 : s.byte_start].strip() not in (b"",):
            continue  # only `&Vec::new()` itself: the `&` right before the temporary goes too
        edit = Edit(file=s.file_name, start=amp, end=s.byte_end, replacement=constant)
        out.append(
            _make(
                [edit],
                f"borrow the constant `{constant}` instead of `&{text}`",
                "empty-constant",
                "E0515",
                0.8,
            )
        )
    return out
