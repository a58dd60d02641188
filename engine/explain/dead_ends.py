"""A fix whose own code still holds an error the crate had: no step toward a build that compiles.

The general mistake: rustc's `move ||` on a `thread::spawn` closure that borrows, finished with a
clone of the `Vec<&[u64]>` it reads, removes E0373 and E0597, so it "fixes this; 1 other error
remains", and `--apply` took it as progress. But the error left (E0521, borrowed data escapes) is
reported on the very code the fix wrote (the `spawn` call whose closure it rewrote): a later fix has
to rewrite this fix's code again, and no fix of the other stories can complete it. Told from facts:
the error's primary span, in the patched file, lies on lines the edit wrote and covers some of the
bytes it wrote (`engine.edits.Rewrite.wrote`); an error beside the edit on a line it rewrote (two
mistakes in one expression, one fixed) is not on the fix's code and does not count.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from engine.edits import EditError, apply_edits, by_file, rewrite
from engine.explain.chain import short_words
from engine.explain.types import PatchOption
from toolbelt.types import Diagnostic


def left_in_edit(o: PatchOption, left: Iterable[Diagnostic], read: Callable[[str], bytes | None]) -> str:
    """The first error of `left` (errors the crate had, still there with `o` in) that lies on the code
    `o` wrote, in short words; "" when none does."""
    wrote = {}
    for rel, mine in by_file(o.edits).items():
        old = read(rel)
        if old is None:
            continue
        try:
            wrote[rel] = rewrite(old, apply_edits(old, mine))
        except EditError:
            continue
    for d in left:
        p = d.primary
        r = next(
            (w for f, w in wrote.items() if p and (p.file_name == f or p.file_name.endswith("/" + f))), None
        )
        if p is not None and r is not None and r.wrote(p.line_start, p.line_end, p.byte_start, p.byte_end):
            return short_words(d, o.patch)
    return ""
