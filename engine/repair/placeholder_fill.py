"""rustc's suggestions with typed holes (`parse_times(args.get(3), /* usize */)`), filled. Pure.

rustc leaves `/* usize */` where an argument is missing (E0061) and such a suggestion cannot compile
as written. Each hole that names a type gets that type's plain value (`0`, `0.0`, `false`,
`String::new()`, `None`; `fields.plain_value`); a hole that names no type (`/* value */`) leaves the
suggestion out. The value is a guess at the user's intent: the option carries the flag that the
user chooses it (`engine.explain.meaning.chosen_value`), and cargo says whether it compiles.
"""

from __future__ import annotations

import re

from engine.edits import Edit, edit_id, suggestions
from engine.repair.fields import plain_value
from engine.repair.types import Candidate
from toolbelt.types import Diagnostic

FAMILY = "fill-placeholder"
_HOLE = re.compile(r"/\*\s*(?P<ty>[^*]+?)\s*\*/")
# what a hole names when it names a type: a primitive, or a path with a capital (`Option<&str>`)
_TYPE = re.compile(r"(?:[iu](?:8|16|32|64|128|size)|f32|f64|bool|char|&?(?:\w+::)*[A-Z]\w*(?:<.+>)?)")


def _fill(text: str, values: list[str]) -> str | None:
    def one(m: re.Match[str]) -> str:
        ty = m["ty"]
        if not _TYPE.fullmatch(ty):
            raise ValueError(ty)
        v = plain_value(ty.lstrip("&"))
        if ty.startswith("&"):
            v = '""' if ty == "&str" else f"&{v}"
        values.append(v)
        return v

    try:
        return _HOLE.sub(one, text)
    except ValueError:
        return None


def filled_placeholders(diag: Diagnostic) -> list[Candidate]:
    code = diag.code_str or diag.message
    out = []
    for s in suggestions(diag):
        if not s.has_placeholder:
            continue
        values: list[str] = []
        edits = []
        for e in s.edits:
            text = _fill(e.replacement, values)
            if text is None:
                break
            edits.append(Edit(file=e.file, start=e.start, end=e.end, replacement=text))
        else:
            if not values:
                continue
            shown = ", ".join(f"`{v}`" for v in values)
            t = tuple(edits)
            out.append(
                Candidate(
                    id=edit_id(t),
                    edits=t,
                    description=f"{s.message[:1].lower()}{s.message[1:]}, with {shown} for now",
                    source="template",
                    family=FAMILY,
                    addresses=(code,),
                    score=0.6,
                )
            )
    return out
