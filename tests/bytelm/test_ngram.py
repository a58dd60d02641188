"""The count model: in-file cache counts against brute force, next-byte distribution against scoring."""

from __future__ import annotations

import math

import numpy as np

from engine.bytelm import ngram


def _brute(data: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    padded = np.concatenate([np.zeros(k, np.uint8), data])
    ctxs = [padded[t : t + k].tobytes() for t in range(data.size)]
    c_pair, c_ctx, n1 = (np.zeros(data.size) for _ in range(3))
    for t in range(data.size):
        earlier = [s for s in range(t) if ctxs[s] == ctxs[t]]
        c_ctx[t] = len(earlier)
        c_pair[t] = sum(data[s] == data[t] for s in earlier)
        n1[t] = len({int(data[s]) for s in earlier})
    return c_pair, c_ctx, n1


def test_cache_counts_match_brute_force() -> None:
    rng = np.random.default_rng(0)
    for k in (1, 2, 3):
        data = rng.integers(0, 4, size=300).astype(np.uint8)  # small alphabet: many repeats
        for got, want in zip(ngram.cache_counts(data, k), _brute(data, k), strict=True):
            np.testing.assert_array_equal(got, want)


def test_next_logp_agrees_with_logp_and_normalises() -> None:
    text = b"".join(b"fn f%d(x: u32) -> u32 { x + %d }\n" % (i % 7, i) for i in range(200))
    model = ngram.build(np.frombuffer(text, np.uint8))
    model.w = 0.2
    data = text[:700]
    uniform = np.full(len(data), -math.log(256.0), np.float32)
    lp = model.logp(data, uniform)
    assert -lp.mean() / math.log(2) < 2.0  # repetitive code is cheap once counted
    for t in (0, 5, 350, 699):
        nl = model.next_logp(data[:t], np.full(256, -math.log(256.0)))
        assert math.isclose(float(np.exp(nl).sum()), 1.0, rel_tol=1e-9)
        assert nl[data[t]] >= lp[t] - 1e-3  # normalising only removes pruned mass
        assert abs(nl[data[t]] - lp[t]) < 0.05
