"""Fit the count model's gate on validation files: the softmax weights over the chain's stages.

Why a separate module: fitting uses JAX and optax (training time only), while scoring with the
gate (`ngram.gate_weights`) is numpy and must not pay for importing JAX. The objective is the
bench's: mean bits per byte *per file*, so every position is weighted by 1/len(file) and a
short file counts as much as a long one (a file's first bytes, with nothing cached yet, are the
expensive ones). Positions are subsampled to bound memory; full-batch Adam on a convex-in-logits
problem of a few hundred parameters converges in a few hundred steps.
"""

from __future__ import annotations

import math

import numpy as np

from engine.bytelm.ngram import CountModel


def fit_gate(
    model: CountModel,
    samples: list[tuple[bytes, np.ndarray]],
    *,
    max_positions: int = 200_000,
    steps: int = 600,
    lr: float = 0.05,
    seed: int = 0,
) -> float:
    """Fit `model.gate` on (data, net log-probs) samples; returns the fitted per-file bits per byte."""
    import jax
    import jax.numpy as jnp
    import optax

    parts = [model.experts(d, lp) for d, lp in samples if len(d)]
    P = np.concatenate([p for p, _ in parts])
    F = np.concatenate([f for _, f in parts])
    wt = np.concatenate([np.full(len(p), 1.0 / len(p)) for p, _ in parts])
    if len(P) > max_positions:
        pick = np.random.default_rng(seed).choice(len(P), max_positions, replace=False, p=wt / wt.sum())
        P, F, wt = P[pick], F[pick], np.ones(max_positions)  # sampled by weight: now uniform
    wt = wt / wt.sum()
    Pj, Fj, Wj = (jnp.asarray(x, jnp.float32) for x in (P, F, wt))

    def loss(G: jax.Array) -> jax.Array:
        w = jax.nn.softmax(Fj @ G, axis=-1)
        return -jnp.sum(Wj * jnp.log((w * Pj).sum(-1) + 1e-12)) / math.log(2)

    tx = optax.adam(lr)
    G = jnp.asarray(model.gate, jnp.float32)
    opt = tx.init(G)

    @jax.jit
    def step(G: jax.Array, opt: optax.OptState) -> tuple[jax.Array, optax.OptState, jax.Array]:
        val, grad = jax.value_and_grad(loss)(G)
        upd, opt = tx.update(grad, opt, G)
        return optax.apply_updates(G, upd), opt, val

    for _ in range(steps):
        G, opt, val = step(G, opt)
    model.gate = np.asarray(G, np.float64)
    return float(loss(G))


def per_file_bpb(model: CountModel, samples: list[tuple[bytes, np.ndarray]]) -> float:
    return float(np.mean([-model.logp(d, lp).mean() / math.log(2) for d, lp in samples if len(d)]))
