"""The Action head's say in repair: the order candidates are validated in.

`engine.repair.lmorder` lets the byte LM break ties among equal priors; with the Action head the
whole order is learned (`engine.heads.action`), and the LM's naturalness delta is one of its
features, measured for every candidate. Without a head (no weights shipped, or `--no-heads`) the
prior order with the LM tiebreak stands. The compiler still judges every candidate: a wrong order
costs validations, never a wrong patch.

`views` is the one place a `Candidate` and its `Diagnostic` become what a head sees; the gym's data
collector (`engine.gym.headdata`) calls it too, so training and repair see the same features.
"""

from __future__ import annotations

from collections.abc import Callable

import msgspec

from engine.edits import by_file
from engine.facts.parse import facts_of
from engine.heads.action import Ranker
from engine.heads.confidence import ConfidenceHead, shipped_confidence
from engine.heads.naturalness import Scorer, delta_bits
from engine.heads.types import CandidateView, Site
from engine.repair import lmorder
from engine.repair.types import ApplyDecision, Candidate, RepairResult, Trial
from engine.repair.use_groups import resolves
from toolbelt.types import Diagnostic

Reader = Callable[[str], bytes | None]


def _site(c: Candidate, d: Diagnostic) -> Site:
    p = d.primary
    if p is None:
        return "other-file"
    spans = [s for s in d.spans] + [s for ch in d.children for s in ch.spans]

    def hits(s) -> bool:  # noqa: ANN001 - a toolbelt Span
        return any(e.file == s.file_name and e.start <= s.byte_end and e.end >= s.byte_start for e in c.edits)

    if hits(p):
        return "primary"
    if any(hits(s) for s in spans):
        return "span"
    if any(e.file == p.file_name for e in c.edits):
        return "same-file"
    return "other-file"


def lm_deltas(cands: list[Candidate], read: Reader, lm: Scorer | None) -> list[float | None]:
    """The LM's naturalness delta of every candidate (None where its edits do not apply, or no LM)."""
    if lm is None:
        return [None] * len(cands)
    per = [lmorder._candidate_regions(c, read) for c in cands]
    flat = [(i, r) for i, rs in enumerate(per) if rs is not None for r in rs]
    bits = delta_bits([r for _, r in flat], lm)
    total: dict[int, float] = {}
    for (i, _), b in zip(flat, bits, strict=True):
        total[i] = total.get(i, 0.0) + b
    return [round(total[i], 2) if i in total else None for i in range(len(cands))]


def views(
    cands: list[Candidate],
    d: Diagnostic,
    read: Reader,
    deltas: list[float | None],
    errors: list[Diagnostic] | None = None,
) -> list[CandidateView]:
    """What the heads see of each candidate (in prior order: `prior_rank` is the position); `errors`:
    every error `cargo check` reported with `d` (its count is a feature)."""
    f = facts_of(d)
    errs = [e for e in errors or () if e.level.startswith("error")]
    n_errors = len(errs) if errors is not None else 0
    n_same = sum(e.code_str == d.code_str for e in errs) if errors is not None else 0
    out = []
    for rank, (c, delta) in enumerate(zip(cands, deltas, strict=True)):
        removed = []
        for rel, edits in by_file(c.edits).items():
            text = read(rel) or b""
            removed += [text[e.start : e.end].decode("utf-8", "replace") for e in edits]
        inserted = "\x00".join(e.replacement for e in c.edits)
        out.append(
            CandidateView(
                code=d.code_str or "",
                message=d.message,
                expected=f.expected or "",
                found=f.found or "",
                source=c.source,
                family=c.family,
                applicability=c.applicability,
                prior=round(c.score, 4),
                prior_rank=rank,
                n_candidates=len(cands),
                n_edits=len(c.edits),
                n_files=len({e.file for e in c.edits}),
                inserted=inserted,
                removed="\x00".join(x for x in removed if x),
                site=_site(c, d),
                lm_delta_bits=delta,
                n_errors=n_errors,
                n_same_code=n_same,
                n_resolves=resolves(inserted, errs) if "use " in inserted else 0,
            )
        )
    return out


def order(
    cands: list[Candidate],
    d: Diagnostic,
    read: Reader,
    load_lm: Callable[[], Scorer | None] | None,
    head: Ranker | None,
    errors: list[Diagnostic] | None = None,
) -> list[Candidate]:
    """`cands` (prior order) in the order to validate them; with a head each carries its P(compiles),
    P(exact) and rank, which the Confidence head reads when one of them turns out green. `errors`:
    every error reported with `d`. A head whose features leave the LM out never loads it; a candidate
    family the head never saw in training leaves the prior order standing."""
    if head is None:
        return lmorder.order(cands, read, load_lm)
    if not cands:
        return cands
    if head.unseen([c.family for c in cands]):
        # An operator the head was never fitted on: its score would not compare with the others'
        # (`ActionHead.unseen`), so the prior order with the LM tiebreak stands for this target, and
        # no head probability is attached for the Confidence head to read.
        return lmorder.order(cands, read, load_lm)
    lm = load_lm() if load_lm is not None and head.uses_lm else None
    deltas = lm_deltas(cands, read, lm)
    vs = views(cands, d, read, deltas, errors)
    idx, pc, pe = head.rank(vs)
    if pc is None or pe is None:  # an order without probabilities (the bench's random order)
        return [msgspec.structs.replace(cands[i], lm_delta_bits=deltas[i]) for i in idx]
    return [
        msgspec.structs.replace(
            cands[i],
            lm_delta_bits=deltas[i],
            head_p_compile=round(float(pc[i]), 4),
            head_p_exact=round(float(pe[i]), 4),
            head_rank=pos,
        )
        for pos, i in enumerate(idx)
    ]


def confidence_of(steps: list[Trial] | tuple[Trial, ...], head: ConfidenceHead | None = None) -> float | None:
    """P(every step is the edit a developer would write): the product over steps of the Confidence
    head's probability for each. None when a step was not ordered by the Action head or there is no
    Confidence head."""
    head = head or shipped_confidence()
    if head is None or not steps:
        return None
    p = 1.0
    for t in steps:
        c = t.candidate
        if c.head_p_exact is None or c.head_p_compile is None or c.head_rank is None:
            return None
        p *= head.predict(c.head_p_exact, c.head_p_compile, c.head_rank)
    return round(p, 4)


def default_threshold() -> float | None:
    """The Confidence head's own threshold, for a setting left unset; None without a head."""
    head = shipped_confidence()
    return head.threshold if head is not None else None


def percents(c: float, t: float) -> tuple[str, str]:
    """`c` and `t` as percentages with the fewest decimals that keep them apart: 0.9976 below 1.0 is
    "99.8%" below "100%", never "100%" below "100%"."""
    for digits in range(4):
        pc, pt = f"{c:.{digits}%}", f"{t:.{digits}%}"
        if (pc == pt) == (c == t):
            return pc, pt
    return pc, pt


def apply_decision(result: RepairResult, threshold: float | None = None) -> ApplyDecision:
    """What `rusta fix --yes` should do with `result`: apply a fix whose confidence reaches
    `threshold` (the user's setting, or the head's own when None), show and hold back one below it.
    Without a confidence (no head shipped, heads turned off) a green fix is applied as before."""
    if result.status not in ("fixed", "partial"):
        return ApplyDecision(apply=False, confidence=None, threshold=threshold, reason="Nothing to apply.")
    t = threshold if threshold is not None else default_threshold()
    c = result.confidence
    if c is None or t is None:
        return ApplyDecision(
            apply=True,
            confidence=c,
            threshold=t,
            reason="No confidence head ran; the fix is applied on the compiler's word.",
        )
    pc, pt = percents(c, t)
    if c >= t:
        return ApplyDecision(
            apply=True,
            confidence=c,
            threshold=t,
            reason=f"{pc} likely to be the fix a developer would write; `--yes` applies at {pt}.",
        )
    return ApplyDecision(
        apply=False,
        confidence=c,
        threshold=t,
        reason=(
            f"Held back: it compiles, but it is only {pc} likely to be the fix a developer would "
            f"write, below the {pt} `--yes` needs. Review it and apply it yourself."
        ),
    )
