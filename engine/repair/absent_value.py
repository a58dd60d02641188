"""E0308 where an `Option<T>` stands where a `T` is expected: ways that decide what "no value" means
instead of panicking on it.

The general mistake this answers: rustc's only suggestion is `.expect("REASON")`, which panics at
run time where the value is absent (a missing key in a config, an empty input). In library code the
absence is usually an input error to pass on or a value to fall back to. Two candidates, each only
where it type-checks by construction: `.ok_or("<name> is missing")?` in a fn returning
`Result<_, String>` or a boxed error (`?` converts the `&str` with `From`), and `.unwrap_or_default()`
for a `T` with a std `Default` (a number, `bool`, `String`, a collection), whose cost says the
default stands for "missing". Cargo and the crate's tests decide between them and rustc's.
Neither where the found expression is written out whole (`None` as an arm's value): nothing there
may be missing, and `None.unwrap_or_default()` only spells a fixed value the long way; the
candidates there are the constants the match's other arms give, for cargo and the tests to judge.
"""

from __future__ import annotations

import re

from engine.repair.template_kit import Reader, _make, primary_source
from engine.repair.types import Candidate, Edit
from engine.syntax.literal_values import sibling_values, written_value
from engine.syntax.tree import bound_by_let, enclosing_fn
from toolbelt.types import Diagnostic

_TEXT_ERROR = re.compile(
    r"(?:std::result::)?Result<.+,\s*(?:String|Box<dyn\s+(?:std::error::)?Error(?:\s*\+\s*\w+)*(?:\s*\+\s*'static)?>)>$|"
    r"(?:anyhow|eyre|color_eyre)::Result<.+>$",
    re.S,
)
_DEFAULTS = re.compile(
    r"(?:[iu](?:8|16|32|64|128|size)|f32|f64|bool|String|Vec<.+>|(?:std::collections::)?(?:HashMap|BTreeMap|HashSet|BTreeSet|VecDeque)<.+>)"
)


def absent_value(d: Diagnostic, read: Reader) -> list[Candidate]:
    from engine.facts.parse import facts_of

    f = facts_of(d)
    if d.code_str != "E0308" or not f.expected or not f.found:
        return []
    inner = re.fullmatch(r"(?:(?:std|core)::option::)?Option<(.+)>", f.found.strip())
    if inner is None or inner.group(1).strip() not in (f.expected.strip(), "_"):  # `_`: inferred from the use
        return []
    opened = primary_source(d, read)
    if opened is None:
        return []
    span, data = opened
    if written_value(data, span.byte_start, span.byte_end):  # `None` written: nothing to unwrap
        return [
            _make(
                [Edit(file=span.file_name, start=span.byte_start, end=span.byte_end, replacement=v)],
                f"give `{v}` here, the value another arm of the match gives",
                "arm-value",
                "E0308",
                0.6,
            )
            for v in sibling_values(data, span.byte_start, span.byte_end)
        ]
    at = span.byte_end
    out: list[Candidate] = []
    fn = enclosing_fn(data, span.byte_start, span.byte_end)  # `?` returns from it
    if fn is not None and fn.return_type is not None and _TEXT_ERROR.match(fn.return_type.strip()):
        name = bound_by_let(data, span.byte_start, span.byte_end) or "value"
        text = f'.ok_or("{name} is missing")?'
        desc = f"pass a missing `{name}` on to the caller as an error with `{text}`"
        out.append(
            _make(
                [Edit(file=span.file_name, start=at, end=at, replacement=text)],
                desc,
                "absent-error",
                "E0308",
                0.7,
            )
        )
    if _DEFAULTS.fullmatch(f.expected.strip()):
        text = ".unwrap_or_default()"
        desc = f"use `{f.expected.strip()}`'s default where there is no value, with `{text}`"
        out.append(
            _make(
                [Edit(file=span.file_name, start=at, end=at, replacement=text)],
                desc,
                "absent-default",
                "E0308",
                0.55,
            )
        )
    return out
