"""The `mut` a fix leaves unneeded, dropped in the same patch. Pure.

The general mistake: a fix that stops mutating a binding (clippy's while_let_on_iterator turns
`while let Some(x) = it.next()` into `for x in it`, which takes `it` by value) leaves `let mut it`,
and rustc then warns `unused_mut` on it; shown as the fix, its warning becomes the next story, and
applying it takes a second step. Which binding is meant is not guessed: the lint run of the patched
tree names it (an `unused_mut` whose span, `mut it`, the crate without the fix did not have), and
only a binding that the fix's own code names is touched. The linter checks the result again.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from engine.edits import Edit
from engine.syntax.tree import binding_of

LINT = "unused_mut"
_MUT = re.compile(rb"mut\s+$")
_NAME = re.compile(r"mut\s+([a-z_]\w*)")


def flagged_names(snippets: Iterable[str]) -> set[str]:
    """The names in `unused_mut` spans (`mut it` -> "it")."""
    return {m.group(1) for s in snippets if (m := _NAME.fullmatch(s.strip()))}


def without_mut(old: Mapping[str, bytes], edits: Iterable[Edit], names: set[str]) -> tuple[Edit, ...] | None:
    """`edits` plus the removal of `mut` from each binding in `names` that the edits' own code uses
    (resolved where the edit sits, in the file before it); None when there is no such binding."""
    edits = tuple(edits)
    more: dict[tuple[str, int], Edit] = {}
    for e in edits:
        source = old.get(e.file)
        if source is None:
            continue
        for name in names:
            if not re.search(rf"\b{re.escape(name)}\b", e.replacement):
                continue
            b = binding_of(source, name, e.start)
            if b is None or not b.mutable or b.kind != "let":
                continue
            m = _MUT.search(source[: b.range.start])
            if m is None or any(
                x.start < b.range.start and m.start() < x.end for x in edits if x.file == e.file
            ):
                continue
            more[(e.file, m.start())] = Edit(file=e.file, start=m.start(), end=b.range.start, replacement="")
    return (*edits, *more.values()) if more else None
