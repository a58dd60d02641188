"""The byte LM's say in repair: among candidates the heuristics score alike, try the least surprising first.

Why only among equals: the heuristic score already encodes what the compiler told us (rustc's
applicability, how many errors point at the same edit), and that evidence beats a small model's
taste. But rustc often offers two or three edits at one applicability level ("borrow here",
"clone here", "change the signature"), and templates emit siblings at one score; their order was
arbitrary (by id). There the LM decides: the candidate whose edit adds the fewest bits to the code
around it goes first. The compiler still judges every candidate; a wrong LM order costs one extra
validation, never a wrong patch.

The region is the edit with up to WINDOW_LEFT bytes before and WINDOW_RIGHT after it, so the cost
is a few kilobytes of scoring per candidate whatever the file's size.
"""

from __future__ import annotations

from collections.abc import Callable

import msgspec

from engine.edits import EditError, apply_edits, by_file
from engine.heads.naturalness import Scorer, delta_bits
from engine.repair.errors import RepairError
from engine.repair.types import Candidate

WINDOW_LEFT = 768
WINDOW_RIGHT = 256


def regions(text: bytes, cand: Candidate, rel: str) -> tuple[bytes, bytes]:
    """(original region, patched region) around `cand`'s edits to one file."""
    edits = by_file(cand.edits)[rel]
    lo = max(0, min(e.start for e in edits) - WINDOW_LEFT)
    hi = min(len(text), max(e.end for e in edits) + WINDOW_RIGHT)
    grow = sum(len(e.replacement.encode()) - (e.end - e.start) for e in edits)
    return text[lo:hi], apply_edits(text, edits)[lo : hi + grow]


def _candidate_regions(
    cand: Candidate, read: Callable[[str], bytes | None]
) -> list[tuple[bytes, bytes]] | None:
    out = []
    for rel in by_file(cand.edits):
        text = read(rel)
        if text is None:
            return None
        try:
            out.append(regions(text, cand, rel))
        except (RepairError, EditError):  # an edit that does not apply is the validator's business
            return None
    return out


def order(
    candidates: list[Candidate],
    read: Callable[[str], bytes | None],
    load_lm: Callable[[], Scorer | None] | None,
) -> list[Candidate]:
    """`candidates` (best first) with each run of equal heuristic score reordered by the LM, each
    candidate it scored carrying `lm_delta_bits`. Without an LM, or without ties, the order stands.
    The LM is loaded (`load_lm`) only when there is a tie to break: most repairs never need it."""
    if load_lm is None or len({c.score for c in candidates}) == len(candidates):
        return candidates
    lm = load_lm()
    if lm is None:
        return candidates
    members: dict[float, list[int]] = {}
    for i, c in enumerate(candidates):
        members.setdefault(c.score, []).append(i)
    tied = [i for group in members.values() if len(group) > 1 for i in group]
    per_cand = {i: _candidate_regions(candidates[i], read) for i in tied}
    flat = [(i, r) for i, rs in per_cand.items() if rs is not None for r in rs]
    bits = delta_bits([r for _, r in flat], lm)
    total: dict[int, float] = {}
    for (i, _), b in zip(flat, bits, strict=True):
        total[i] = total.get(i, 0.0) + b
    out = [
        msgspec.structs.replace(c, lm_delta_bits=round(total[i], 2)) if i in total else c
        for i, c in enumerate(candidates)
    ]

    def key(i: int) -> tuple[float, float, int]:
        d = out[i].lm_delta_bits
        return (-out[i].score, d if d is not None else float("inf"), i)

    return [out[i] for i in sorted(range(len(out)), key=key)]
