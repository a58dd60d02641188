"""The Action head orders a real crate's candidates; repair runs with and without it (real cargo)."""

from __future__ import annotations

from engine.heads.action import shipped_head
from engine.heads.naturalness import shipped_lm
from engine.repair import headorder, lmorder
from engine.repair.search import repair
from engine.repair.targets import candidates_for, errors_of, next_target
from engine.repair.workspace import Workspace
from toolbelt.cargo_run import run_check


def test_head_reorders_the_same_candidates_and_carries_its_beliefs(fixture_crate, tmp_path) -> None:
    root = fixture_crate("heads_order")
    ws = Workspace(root, scratch=tmp_path / "scratch")
    ws.sync()
    errors = errors_of(run_check(ws.root))
    target = next_target(errors)
    assert target.code_str == "E0308"
    cands = candidates_for(target, ws, errors)
    assert len(cands) >= 2
    head = shipped_head()
    assert head is not None
    ordered = headorder.order(cands, target, ws.read, shipped_lm, head)
    assert sorted(c.id for c in ordered) == sorted(c.id for c in cands)
    assert [c.head_rank for c in ordered] == list(range(len(cands)))
    grades = [c.head_p_compile + c.head_p_exact for c in ordered]
    assert grades == sorted(grades, reverse=True)
    assert all(c.lm_delta_bits is not None for c in ordered)
    plain = headorder.order(cands, target, ws.read, shipped_lm, None)
    assert plain == lmorder.order(cands, ws.read, shipped_lm)
    assert all(c.head_rank is None for c in plain)


def test_repair_with_and_without_heads(fixture_crate) -> None:
    root = fixture_crate("heads_order")
    with_heads = repair(root, budget=6)
    assert with_heads.status == "fixed", with_heads.message
    step = with_heads.steps[0].candidate
    assert step.head_p_exact is not None and step.head_rank is not None
    assert with_heads.confidence is not None and 0.0 < with_heads.confidence < 1.0
    without = repair(root, budget=6, rank_with_heads=False)
    assert without.status == "fixed", without.message
    assert without.confidence is None and without.steps[0].candidate.head_rank is None
