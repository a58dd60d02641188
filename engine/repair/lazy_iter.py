"""A collection's method called on a lazy iterator adapter (E0599: no `len` on `Filter<I, P>`).

An adapter (`Filter`, `Map`, `Chars`, ...) holds no items until it runs, so it has none of the
methods that need them at hand: `len`, `contains`, `get`, `first`. rustc's only help is a method
with a similar name (`le`), which is never meant. Three edits answer the question: when the
receiver is a local `let`, collecting where it is made keeps the items for the code after the call
as well; `len` becomes `count()`; and `collect::<Vec<_>>()` can go right before the call. Pure; the
sandbox says which compiles (`count` consumes the receiver, so a borrowed adapter will not).
"""

from __future__ import annotations

import re

from engine.repair.template_kit import Reader, _dot_before, _insert, _make, _span_text
from engine.repair.types import Candidate, Edit
from engine.syntax.tree import let_initializer
from toolbelt.types import Diagnostic

FAMILY = "collect-lazy-iterator"
# the adapters std's iterators return; a user's own type named `Map` is reported with its own path
_ADAPTER = re.compile(
    r"no method named `(?P<method>\w+)` found for [a-z ]*`(?:&mut |&)?(?:(?:std|core|alloc)::[\w:]+::)?"
    r"(?:Map|Filter|FilterMap|FlatMap|Flatten|Iter|IterMut|IntoIter|Values|ValuesMut|Keys|Chars|"
    r"CharIndices|Bytes|Split\w*|Lines|Rev|Zip|Chain|Enumerate|Skip|SkipWhile|Take|TakeWhile|Cloned|"
    r"Copied|Peekable|StepBy|Inspect|Scan|Drain)[<`]"
)
COLLECTION_METHODS = frozenset(
    {"len", "is_empty", "contains", "get", "first", "as_slice", "to_vec", "iter", "binary_search"}
)


def collect_or_count(d: Diagnostic, read: Reader) -> list[Candidate]:
    m = _ADAPTER.search(d.message)
    prim = d.primary
    if m is None or prim is None or m["method"] not in COLLECTION_METHODS:
        return []
    method = m["method"]
    if _span_text(prim, read) != method:
        return []
    code = d.code_str or "E0599"
    out = []
    at_let = _collect_at_let(prim.file_name, prim.byte_start, read)
    if at_let is not None:
        out.append(
            _make([at_let], "collect the items into a `Vec` where the binding is made", FAMILY, code, 0.9)
        )
    if method == "len":
        count = Edit(file=prim.file_name, start=prim.byte_start, end=prim.byte_end, replacement="count")
        out.append(
            _make([count], "count the items with `.count()`, which runs the iterator", FAMILY, code, 0.8)
        )
    collect = _insert(prim, False, "collect::<Vec<_>>().")
    out.append(
        _make([collect], f"collect the items into a `Vec` first, then call {method} on it", FAMILY, code, 0.6)
    )
    return out


def _collect_at_let(file: str, method_at: int, read: Reader) -> Edit | None:
    """`.collect::<Vec<_>>()` at the end of the `let` that binds the receiver, when it is a plain local."""
    source = read(file)
    dot = _dot_before(source, method_at) if source else None
    if source is None or dot is None:
        return None
    m = re.search(rb"(?<![.:\w])(\w+)\s*$", source[:dot])
    if m is None:
        return None
    value = let_initializer(source, m[1].decode(), dot)
    if value is None:
        return None
    return Edit(file=file, start=value.end, end=value.end, replacement=".collect::<Vec<_>>()")
