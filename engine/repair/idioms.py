"""How a Rust programmer writes a conversion the edit grammar builds mechanically. Pure.

The grammar appends `.clone()` or `.to_string()` to whatever expression a fact names; some of the
results compile and still read as machine output. One place turns them into what a reviewer writes,
for the grammar's sites and the templates' closure bodies alike.
"""

from __future__ import annotations

# the owning conversions
_OWNING = frozenset({".clone()", ".to_owned()", ".to_string()"})


def owning_idiom(text: str, suffix: str) -> str | None:
    """What a Rust programmer writes for `text` + `suffix`, where the plain form reads badly, or None.

    `name.as_str().to_string()` borrows a `String` only to copy it: `name.clone()` says so (`as_str`
    is a `String` method, so the receiver owns a `String`). Pure.

    `(*item).clone()` stays: where `Item` is not `Clone` yet, `item.clone()` compiles as a copy of
    the reference and hides the derive the fix needs, while `(*item).clone()` makes rustc ask for it.
    """
    if suffix not in _OWNING:
        return None
    if suffix != ".clone()" and text.endswith(".as_str()") and "(" not in text[: -len(".as_str()")]:
        return f"{text[: -len('.as_str()')]}.clone()"
    return None
