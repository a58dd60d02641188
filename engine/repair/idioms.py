"""How a Rust programmer writes a conversion the edit grammar builds mechanically. Pure.

The grammar appends `.clone()` or `.to_string()` to whatever expression a fact names; some of the
results compile and still read as machine output. One place turns them into what a reviewer writes,
for the grammar's sites and the templates' closure bodies alike.
"""

from __future__ import annotations

import re

# the owning conversions, which auto-deref and auto-ref make work on a place or a borrow of it alike
_OWNING = frozenset({".clone()", ".to_owned()", ".to_string()"})
_DEREF_PLACE = re.compile(r"\*\s*(?P<place>[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)")


def owning_idiom(text: str, suffix: str) -> str | None:
    """What a Rust programmer writes for `text` + `suffix`, where the plain form reads badly, or None.

    `(*item).clone()` is `item.clone()`: method calls dereference their receiver themselves. And
    `name.as_str().to_string()` borrows a `String` only to copy it: `name.clone()` says so (`as_str`
    is a `String` method, so the receiver owns a `String`). Pure.
    """
    if suffix not in _OWNING:
        return None
    m = _DEREF_PLACE.fullmatch(text.strip())
    if m is not None:
        return f"{m['place']}{suffix}"
    if suffix != ".clone()" and text.endswith(".as_str()") and "(" not in text[: -len(".as_str()")]:
        return f"{text[: -len('.as_str()')]}.clone()"
    return None
