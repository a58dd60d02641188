"""Where each base line went at head, and which head lines the change wrote: the map blame reads.

A line counts as kept when difflib aligns it, and as moved when its text (trimmed, not blank, not a
lone brace) was deleted in one place and inserted in another exactly once each. Everything else
inserted at head is a changed line. Pure: text in, a LineMap out.
"""

from __future__ import annotations

import difflib
from collections import defaultdict

from engine.review.types import Base

_TRIVIAL = {"", "{", "}", "};", ")", "(", "]", "[", "});", "),", "},"}


class LineMap(Base, frozen=True):
    """`kept` pairs (base line, head line) for lines kept or moved; `changed` lists head lines written."""

    kept: tuple[tuple[int, int], ...] = ()
    changed: tuple[int, ...] = ()

    def head_line(self, base_line: int) -> int | None:
        for b, h in self.kept:
            if b == base_line:
                return h
        return None


def _lines(text: str) -> list[str]:
    return text.splitlines()


def line_map(old: str | None, new: str | None) -> LineMap:
    """The map from `old` to `new` (None: the file is absent on that side)."""
    a, b = _lines(old or ""), _lines(new or "")
    if old is None:
        return LineMap(changed=tuple(range(1, len(b) + 1)))
    kept: list[tuple[int, int]] = []
    deleted: list[int] = []
    inserted: list[int] = []
    sm = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            kept.extend((i + 1, j + 1) for i, j in zip(range(i1, i2), range(j1, j2), strict=True))
        else:
            deleted.extend(range(i1 + 1, i2 + 1))
            inserted.extend(range(j1 + 1, j2 + 1))
    by_text_del: dict[str, list[int]] = defaultdict(list)
    by_text_ins: dict[str, list[int]] = defaultdict(list)
    for i in deleted:
        by_text_del[a[i - 1].strip()].append(i)
    for j in inserted:
        by_text_ins[b[j - 1].strip()].append(j)
    moved: set[int] = set()
    for text, js in by_text_ins.items():
        is_ = by_text_del.get(text, [])
        if text not in _TRIVIAL and len(js) == 1 and len(is_) == 1:
            kept.append((is_[0], js[0]))
            moved.add(js[0])
    changed = tuple(j for j in inserted if j not in moved)
    return LineMap(kept=tuple(sorted(kept)), changed=changed)


def added_lines(old: str | None, new: str | None) -> tuple[int, ...]:
    """Head lines the change wrote (moved lines excluded)."""
    return line_map(old, new).changed
