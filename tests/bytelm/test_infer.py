"""Inference on the trained `test` model: scoring, batching, windows, int8 vs float, infill, round trip."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from engine.bytelm import checkpoint
from engine.bytelm.data.collate import RESERVED_MAX
from engine.bytelm.infer import LM
from tests.bytelm.conftest import rust_code

# One xdist worker builds the shared snapshot and trains the `test` model once for all of these.
pytestmark = pytest.mark.xdist_group("bytelm")
CODE = rust_code(7, fns=6).encode()


@pytest.fixture(scope="module")
def lm(trained: tuple[Path, Path]) -> LM:
    return LM.load(trained[1])


def test_score_shapes_finite_and_long_inputs(lm: LM) -> None:
    assert len(CODE) > 2 * lm.cfg.ctx  # several overlapping windows
    lp = lm.score(CODE)
    assert lp.shape == (len(CODE),) and np.all(np.isfinite(lp)) and np.all(lp <= 0)
    assert lm.score(b"").shape == (0,)
    assert lm.score(b"x").shape == (1,)


def test_causality_across_windows(lm: LM) -> None:
    lp = lm.score(CODE)
    for t in (3, lm.cfg.ctx + 5, len(CODE) - 2):
        changed = CODE[:t] + b"#" + CODE[t + 1 :]
        other = lm.score(changed)
        np.testing.assert_array_equal(other[:t], lp[:t])


def test_score_batch_equals_single_scores(lm: LM) -> None:
    cands = [CODE[:50], CODE, b"fn main() {}\n"]
    for got, data in zip(lm.score_batch(cands), cands, strict=True):
        np.testing.assert_allclose(got, lm.score(data), rtol=1e-5, atol=1e-5)


def test_threads_change_speed_not_scores(trained: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows and files are shared between threads; every log-prob must be what one thread gives."""
    cands = [CODE * 3, CODE[:50], b"fn main() {}\n", CODE[7:] * 2]  # several windows, several calls
    scores = {}
    for n in ("1", "2", "3"):
        monkeypatch.setenv("RUSTA_LM_THREADS", n)
        threaded = LM.load(trained[1])
        assert threaded.workers == int(n) and threaded.counts is not None
        scores[n] = threaded.score_batch(cands)
    for got in (scores["2"], scores["3"]):
        for a, b in zip(got, scores["1"], strict=True):
            np.testing.assert_array_equal(a, b)


def test_trained_model_beats_uniform(lm: LM) -> None:
    assert lm.bpb(CODE) < 7.0


@pytest.mark.parametrize("use_jit", [True, False])
def test_int8_within_one_percent_of_float(trained: tuple[Path, Path], use_jit: bool) -> None:
    from flax import nnx

    from engine.bytelm import checkpoint as ck
    from engine.bytelm.config import test as test_cfg
    from engine.bytelm.model import abstract

    run_dir, _ = trained
    mngr = ck.manager(run_dir)
    import jax

    from engine.bytelm.train import make_tx

    cfg = test_cfg()
    params = nnx.state(abstract(cfg), nnx.Param)
    target = jax.eval_shape(lambda: {"params": params, "opt": make_tx(cfg, 40).init(params)})
    step, state = ck.restore_latest(mngr, target)
    mngr.close()
    assert step == 40
    data = CODE[:200]
    f = LM.from_params(cfg, state["params"], quantized=False, use_jit=use_jit).bpb(data)
    q = LM.from_params(cfg, state["params"], quantized=True, use_jit=use_jit).bpb(data)
    assert abs(q - f) / f < 0.01, (q, f)
    shipped = LM.load(trained[1], use_jit=use_jit, mix=False).bpb(data)
    assert math.isclose(shipped, q, rel_tol=1e-5)


def test_shipped_files_and_round_trip(trained: tuple[Path, Path], tmp_path: Path) -> None:
    _, ship = trained
    assert {p.name for p in ship.iterdir()} == {
        "weights.npz",
        "config.json",
        "metrics.json",
        "ledger.sha256",
        "ngram.npz",
        "gate.json",
    }
    cfg, qflat = checkpoint.read_shipped(ship)
    assert cfg.name == "test" and any(v.dtype == np.int8 for v in qflat.values())
    lm2 = LM(cfg, qflat)
    np.testing.assert_array_equal(lm2.score(CODE[:100]), LM.load(ship, mix=False).score(CODE[:100]))
    metrics = checkpoint.read_metrics(ship)
    assert metrics["step"] == 40 and len(metrics["ledger_sha256"]) == 64
    assert metrics["valid_bpb_mixed"] < metrics["valid_bpb_int8"]


def test_count_mix_helps_and_stays_causal(lm: LM) -> None:
    assert lm.counts is not None
    net_only = LM(lm.cfg, {k: np.asarray(v) for k, v in lm.weights.items()})
    assert lm.bpb(CODE) < net_only.bpb(CODE)
    lp = lm.score(CODE)
    for t in (1, 200, len(CODE) - 1):
        np.testing.assert_array_equal(lm.score(CODE[:t] + b"Q" + CODE[t + 1 :])[:t], lp[:t])


def test_infill_greedy_beam_and_constraints(lm: LM) -> None:
    prefix, suffix = b"pub fn f(x: u32) -> u32 {\n    let y = ", b";\n    x + y\n}\n"
    out = lm.infill(prefix, suffix, max_bytes=12)
    assert isinstance(out, bytes) and len(out) <= 12
    assert not any(b <= RESERVED_MAX for b in out)
    beam = lm.infill(prefix, suffix, max_bytes=12, beam=3, stop=b"\n")
    assert len(beam) <= 12 and b"\n" not in beam
    digits = lm.infill(prefix, suffix, max_bytes=6, allowed=b"0123456789")
    assert set(digits) <= set(b"0123456789")


def test_infill_rejects_arguments_that_leave_nothing_to_decode(lm: LM) -> None:
    for kw in ({"beam": 0}, {"max_bytes": 0}, {"allowed": b""}, {"allowed": bytes([1, 2, 3])}):
        with pytest.raises(ValueError, match="infill"):
            lm.infill(b"let x = ", b";\n", **{"max_bytes": 4, **kw})


def test_a_candidate_scored_again_is_answered_from_the_memo_with_the_same_log_probs(
    lm: LM, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Scoring is pure: a region repair scores before each edit, or a file localization scored,
    costs one forward, and the memo gives back exactly what the forward gave."""
    a, b = b"fn main() { let x = 1; }\n", b"pub fn two() -> u32 { 2 }\n"
    first = lm.score_batch([a, b])
    ran: list[list[bytes]] = []
    fresh = lm._score_fresh
    monkeypatch.setattr(lm, "_score_fresh", lambda cs: ran.append(cs) or fresh(cs))
    c = b"// a new one\n"
    again = lm.score_batch([b, c, a, c])
    assert ran == [[c]]  # only the new candidate, once
    np.testing.assert_array_equal(again[0], first[1])
    np.testing.assert_array_equal(again[2], first[0])
    assert again[1] is again[3]
    with pytest.raises(ValueError):
        again[0][0] = 0.0  # shared with the memo: read-only
