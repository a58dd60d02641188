"""The `test` model: shapes, finiteness, causality with and without jit, KV cache = full forward."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from flax import nnx

from engine.bytelm import config
from engine.bytelm import model as M


@pytest.fixture(scope="module")
def net() -> M.ByteLM:
    return M.build(config.test(), seed=1)


def _tokens(b: int, length: int, seed: int = 0) -> jax.Array:
    return jax.random.randint(jax.random.key(seed), (b, length), 0, 256)


@pytest.mark.parametrize("use_jit", [False, True])
def test_shapes_finite_and_causal(net: M.ByteLM, use_jit: bool) -> None:
    cfg = net.cfg
    graphdef, state = nnx.split(net)

    def fwd(state: nnx.State, x: jax.Array) -> jax.Array:
        return nnx.merge(graphdef, state)(x)

    f = jax.jit(fwd) if use_jit else fwd
    x = _tokens(2, cfg.ctx)
    logits_BxLxV = f(state, x)
    assert logits_BxLxV.shape == (2, cfg.ctx, 256)
    assert bool(jnp.all(jnp.isfinite(logits_BxLxV)))
    for t in (0, cfg.ctx // 2, cfg.ctx - 1):
        changed = x.at[:, t].set((x[:, t] + 7) % 256)
        other = f(state, changed)
        np.testing.assert_array_equal(np.asarray(other[:, :t]), np.asarray(logits_BxLxV[:, :t]))
        assert not np.allclose(np.asarray(other[:, t]), np.asarray(logits_BxLxV[:, t]))


def test_kv_cache_matches_full_forward(net: M.ByteLM) -> None:
    cfg = net.cfg
    x = _tokens(3, 16, seed=2)
    full = net(x)
    cache = M.empty_cache(cfg, 3)
    zeros = jnp.zeros((3, M.HISTORY), x.dtype)
    got, cache = net.extend(x[:, :10], zeros, jnp.int32(0), cache)
    np.testing.assert_allclose(got, full[:, :10], atol=1e-5)
    for t in range(10, 16):
        step, cache = net.extend(x[:, t : t + 1], x[:, t - M.HISTORY : t], jnp.int32(t), cache)
        np.testing.assert_allclose(step[:, 0], full[:, t], atol=1e-5)


def test_ngram_ids_depend_only_on_the_last_bytes() -> None:
    a = jnp.array([[10, 20, 30, 40, 50]])
    b = jnp.array([[99, 20, 30, 40, 50]])
    prev = jnp.zeros((1, M.HISTORY), a.dtype)
    for order in (2, 3, 4):
        ia, ib = M.ngram_ids(a, prev, order, 512), M.ngram_ids(b, prev, order, 512)
        assert int(ia[0, -1]) == int(ib[0, -1]) and int(ia[0, 0]) != int(ib[0, 0])
        assert int(jnp.max(ia)) < 512 and int(jnp.min(ia)) >= 0


def test_presets_build_and_count() -> None:
    assert M.count_params(M.abstract(config.small())) * 1 < 30e6  # int8 bytes ~ params
    assert 100e6 < M.count_params(M.abstract(config.tiny())) < 140e6
    cfg = config.small()
    assert config.ModelConfig.from_json(cfg.to_json()) == cfg
