"""A closure that captures, passed where a parameter is a fn pointer (E0308): the parameter accepts
any closure of that signature instead (`f: fn(f32) -> f32` -> `f: impl Fn(f32) -> f32`).

rustc's facts: its note "closures can only be coerced to `fn` types if they do not capture any
variables", and the callee's parameter among the spans of "function defined here". Only a parameter
of a function (`name: fn(..)`) is rewritten; a struct field or a `type` alias is not an `impl`
position. A plain fn still fits `impl Fn`, so the crate's other calls keep compiling; the sandbox
checks that. Pure: a Diagnostic and a file reader in, Candidates out.
"""

from __future__ import annotations

import re

from engine.repair.template_kit import Reader, _make
from engine.repair.types import Candidate, Edit
from toolbelt.types import Diagnostic

_CAPTURES = "closures can only be coerced to `fn` types if they do not capture any variables"
_PARAM = re.compile(rb"^(?P<pat>(?:mut\s+)?\w+\s*:\s*)(?P<ty>(?:unsafe\s+)?(?:extern\s+\"\w+\"\s+)?fn\s*\()")


def closure_for_fn_pointer(d: Diagnostic, read: Reader) -> list[Candidate]:
    if not any(c.message == _CAPTURES for c in d.children):
        return []
    for c in d.children:
        if c.message != "function defined here":
            continue
        for s in c.spans:
            if s.is_primary:
                continue  # the function's name; the parameter is the unlabelled secondary span
            source = read(s.file_name)
            if source is None:
                continue
            m = _PARAM.match(source[s.byte_start : s.byte_end])
            if m is None or m.group("ty").startswith((b"unsafe", b"extern")):
                continue
            at = s.byte_start + m.start("ty")
            edit = Edit(file=s.file_name, start=at, end=at + 2, replacement="impl Fn")
            text = source[at : s.byte_end].decode("utf-8", "replace")
            return [
                _make(
                    [edit],
                    f"let the parameter take any closure: `impl Fn{text[2:]}` in place of `{text}`",
                    "fn-pointer-param",
                    d.code_str or "E0308",
                    0.7,
                )
            ]
    return []
