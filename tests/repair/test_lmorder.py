"""The byte LM orders repair candidates the heuristics score alike, and only those (shipped model, real bytes)."""

from __future__ import annotations

from engine.heads.naturalness import delta_bits, shipped_lm
from engine.repair import lmorder
from engine.repair.types import Candidate, Edit

SRC = b"""pub fn total(prices: &[u64]) -> u64 {
    let sum = 0;
    for p in prices {
        sum += p;
    }
    sum
}
"""
AT = SRC.index(b"sum = 0")


def _cand(cid: str, replacement: str, score: float) -> Candidate:
    edit = Edit(file="src/lib.rs", start=AT, end=AT, replacement=replacement)
    return Candidate(id=cid, edits=(edit,), description=cid, source="template", family="add-mut", score=score)


def _read(rel: str) -> bytes | None:
    return SRC if rel == "src/lib.rs" else None


def test_the_natural_edit_adds_fewer_bits() -> None:
    lm = shipped_lm()
    assert lm is not None, "the shipped checkpoint must load"
    good, bad = (
        lmorder.regions(SRC, _cand(c, r, 0.5), "src/lib.rs") for c, r in (("a", "mut "), ("b", "}}~ "))
    )
    natural, garbage = delta_bits([good, bad], lm)
    assert natural < garbage and garbage > 5.0


def test_ties_are_broken_by_the_lm_and_scores_still_rule() -> None:
    tied = [_cand("a-garbage", "}}~ ", 0.5), _cand("b-mut", "mut ", 0.5)]
    ordered = lmorder.order(tied, _read, shipped_lm)
    assert [c.id for c in ordered] == ["b-mut", "a-garbage"]
    assert all(c.lm_delta_bits is not None for c in ordered)
    ranked = [_cand("a-garbage", "}}~ ", 0.9), _cand("b-mut", "mut ", 0.5)]
    loads: list[int] = []

    def counting_loader() -> None:
        loads.append(1)

    assert [c.id for c in lmorder.order(ranked, _read, counting_loader)] == ["a-garbage", "b-mut"]
    assert loads == []  # no tie: the order stands and the LM is never loaded
    assert lmorder.order(tied, _read, None) == tied  # LM ranking off
    assert lmorder.order(tied, _read, counting_loader) == tied and loads == [1]  # no usable model


def test_a_candidate_on_an_unreadable_file_keeps_its_place_last_among_equals() -> None:
    lost = Candidate(
        id="a-lost", edits=(Edit(file="src/gone.rs", start=0, end=0, replacement="x"),), description="",
        source="template", family="x", score=0.5,
    )  # fmt: skip
    ordered = lmorder.order([lost, _cand("b-mut", "mut ", 0.5)], _read, shipped_lm)
    assert [c.id for c in ordered] == ["b-mut", "a-lost"] and ordered[1].lm_delta_bits is None
