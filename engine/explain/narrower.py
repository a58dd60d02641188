"""A fix whose edits are another compiling fix's plus lifetime names on more inputs: it over-constrains.

The general mistake this answers: ranking rustc's "introduce a named lifetime parameter", which ties
every reference input to the result, above the same signature with the lifetime only on the inputs
the result borrows from (`engine.repair.narrow_lifetimes`), when both compile. The extra names make
every caller keep those inputs alive as long as the result, a constraint the body never needed. Read
from the edits alone: the narrower fix's edits are a strict subset of the wider one's, and each extra
edit inserts just a lifetime (`'a `).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from engine.explain.types import PatchOption

_LIFETIME = re.compile(r"'[a-z_]\w* ?")
COST = "names the lifetime on inputs the result never borrows from too, which over-constrains callers: each must outlive the result"


def _lifetime_only(o: PatchOption, extra: set) -> bool:  # noqa: ANN001 - engine.edits.Edit
    return all(e.start == e.end and _LIFETIME.fullmatch(e.replacement) for e in extra)


def over_tied(options: Sequence[PatchOption]) -> set[str]:
    """The ids of compiling options another compiling option narrows: its tests not failing, no more
    errors left with it in."""
    good = [o for o in options if o.validated == "compiles" and not o.tests_failed]
    out: set[str] = set()
    for wide in (o for o in options if o.validated == "compiles"):
        mine = set(wide.edits)
        for narrow in good:
            theirs = set(narrow.edits)
            left = narrow.errors_left + narrow.errors_new <= wide.errors_left + wide.errors_new
            if narrow.id != wide.id and left and theirs < mine and _lifetime_only(wide, mine - theirs):
                out.add(wide.id)
                break
    return out
