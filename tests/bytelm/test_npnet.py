"""The numpy forward against the JAX one: same hashes, same log-probs, and no JAX when scoring."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import jax.numpy as jnp
import numpy as np
import pytest
from flax import nnx

from engine.bytelm import checkpoint, jaxnet, npnet, quant
from engine.bytelm import config as bytelm_config
from engine.bytelm import model as M
from engine.bytelm.infer import LM
from engine.bytelm.paths import shipped_dir
from tests.bytelm.conftest import rust_code

pytestmark = pytest.mark.xdist_group("bytelm")
ROOT = Path(__file__).resolve().parents[2]
# Real Rust text, longer than the `small` context, so windows and strides are exercised too.
REAL = (ROOT / "tests/fixtures/kb/kb_types/src/lib.rs").read_bytes() + rust_code(11, fns=8).encode()
TOL = 1e-3  # nats per byte


def _windows(data: bytes, n: int, length: int, seed: int) -> np.ndarray:
    """n windows of `length` + 1 bytes at random offsets of `data`, the first starting at 0."""
    rng = np.random.default_rng(seed)
    starts = [0, *rng.integers(0, len(data) - length - 1, n - 1)]
    return np.stack([np.frombuffer(data[s : s + length + 1], np.uint8) for s in starts])


def _jax_logp(cfg: bytelm_config.ModelConfig, weights: dict[str, np.ndarray], win: np.ndarray) -> np.ndarray:
    jw = {k: jnp.asarray(v) for k, v in weights.items()}
    return np.asarray(jaxnet.target_logp_jit(jaxnet.make_spec(cfg), jw, jnp.asarray(win)))


def test_constants_agree_with_the_jax_model() -> None:
    assert npnet._HASH_MUL == M._HASH_MUL and npnet.HISTORY == M.HISTORY
    assert npnet.RMS_EPS == nnx.RMSNorm(4, rngs=nnx.Rngs(0)).epsilon


def test_ngram_ids_match_bit_for_bit() -> None:
    rng = np.random.default_rng(0)
    tokens = rng.integers(0, 256, (4, 300), dtype=np.uint8)
    prev = rng.integers(0, 256, (4, M.HISTORY), dtype=np.uint8)
    for order in (2, 3, 4):
        for buckets in (512, 8192, 16384):
            want = np.asarray(M.ngram_ids(jnp.asarray(tokens), jnp.asarray(prev), order, buckets))
            np.testing.assert_array_equal(npnet.ngram_ids(tokens, prev, order, buckets), want)


@pytest.mark.parametrize("quantized", [True, False])
def test_matches_jax_on_the_trained_test_model(trained: tuple[Path, Path], quantized: bool) -> None:
    cfg, qflat = checkpoint.read_shipped(trained[1])
    weights = qflat if quantized else quant.dequantize(qflat)
    win = _windows(REAL, 6, cfg.ctx, seed=1)
    want = _jax_logp(cfg, weights, win)
    net = npnet.NumpyNet(cfg, weights)
    np.testing.assert_allclose(net.target_logp(win), want, atol=TOL, rtol=0)
    np.testing.assert_allclose(net.target_logp(win, 16), want[:, 16:], atol=TOL, rtol=0)
    short = win[:, :20]  # shorter than the context: what a short candidate runs
    np.testing.assert_allclose(net.target_logp(short), _jax_logp(cfg, weights, short), atol=TOL, rtol=0)


def test_matches_jax_on_the_shipped_small_model() -> None:
    cfg, qflat = checkpoint.read_shipped(shipped_dir("small"))
    win = _windows(REAL, 4, cfg.ctx, seed=2)
    want = _jax_logp(cfg, qflat, win)
    with npnet.single_thread_blas():
        got = npnet.NumpyNet(cfg, qflat).target_logp(win, cfg.ctx // 4)
    assert np.abs(got - want[:, cfg.ctx // 4 :]).max() < TOL
    assert want.mean() > -3.0  # a trained model on real Rust: the comparison is not between noise


def test_softmax_overflow_falls_back_to_the_max_shift() -> None:
    """Scaled-up query weights push attention scores past exp's float32 range; both agree still."""
    cfg = bytelm_config.test()
    flat = {k: np.asarray(v) for k, v in quant.flat_params(M.build(cfg, seed=3)).items()}
    for i in range(cfg.n_layers):
        flat[f"blocks/{i}/attn/qkv/kernel"] = flat[f"blocks/{i}/attn/qkv/kernel"] * 40.0
    win = _windows(REAL, 3, cfg.ctx, seed=3)
    got, want = npnet.NumpyNet(cfg, flat).target_logp(win), _jax_logp(cfg, flat, win)
    assert np.isfinite(got).all()
    np.testing.assert_allclose(got, want, atol=TOL, rtol=0)


def test_lm_score_equals_jax_over_the_same_windows(trained: tuple[Path, Path]) -> None:
    """LM's grouping, trimming and window plan, end to end, against JAX run on every whole window."""
    lm = LM.load(trained[1], mix=False)
    data = REAL[:700]
    win, plan = lm._windows(data)
    full = _jax_logp(lm.cfg, lm.weights, win)
    want = np.concatenate([full[row, a : a + c] for row, a, c in plan])
    assert len(plan) > 3 and plan[1][1] == lm.cfg.ctx - lm.stride
    np.testing.assert_allclose(lm.score(data), want, atol=TOL, rtol=0)
    got = lm.score_batch([data[:5], data, data[:300]])
    np.testing.assert_allclose(got[1], want, atol=TOL, rtol=0)
    assert [x.size for x in got] == [5, 700, 300]


def test_loading_and_scoring_never_import_jax(trained: tuple[Path, Path]) -> None:
    """The trained test checkpoint with its count model, and the shipped net, in a fresh process."""
    code = (
        "import sys; from pathlib import Path; from engine.bytelm.infer import LM; "
        "src = b'fn main() {\\n    println!(\"hi\");\\n}\\n'; "
        f"mixed = LM.load(Path({str(trained[1])!r})); assert mixed.counts is not None; "
        "lps = [mixed.score(src), LM.load(mix=False).score(src)]; "
        "assert all(lp.shape == (len(src),) and (lp <= 0).all() for lp in lps), lps; "
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('jax', 'jaxlib', 'flax', 'optax')); "
        "print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
