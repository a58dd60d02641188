"""The count model: in-file cache counts against brute force, the corpus tables against direct
counting, the gate's mixture against its own next-byte distribution, and a save/load round trip."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from engine.bytelm import gatefit, ngram

CODE = b"".join(b"fn f%d(x: u32) -> u32 { x + %d }\n" % (i % 7, i) for i in range(200))


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


def test_corpus_table_counts_what_follows_each_context() -> None:
    stream = np.frombuffer(CODE, np.uint8)
    table = ngram.build_table(stream, 3)
    ctx = b"u32"  # followed by ")" 200 times and " " 200 times in CODE
    key = ngram.ctx32(np.frombuffer(ctx + b"?", np.uint8), 3)[-1:]
    c, total, n1, top = table.query(np.repeat(key, 3), np.frombuffer(b") z", np.uint8))
    np.testing.assert_allclose(c, [200.0, 200.0, 0.0], rtol=0.04)  # counts past 32 are stored to ~4%
    np.testing.assert_allclose([total[0], n1[0], top[0]], [400.0, 2.0, 200.0], rtol=0.04)


def test_large_counts_are_scaled_not_clipped() -> None:
    stream = np.frombuffer(b"ab" * 100_000 + b"ac" * 50_000, np.uint8)
    table = ngram.build_table(stream, 1)
    key = ngram.ctx32(np.frombuffer(b"a?", np.uint8), 1)[-1:]
    c, total, _, _ = table.query(np.repeat(key, 2), np.frombuffer(b"bc", np.uint8))
    assert total[0] <= ngram.MAX_COUNT * 1.05
    assert abs(c[0] / total[0] - 2 / 3) < 0.05 and abs(c[1] / total[0] - 1 / 3) < 0.05


def test_count_codes_round_trip_within_a_few_percent() -> None:
    x = np.array([0, 1, 5, 31, 32, 33, 100, 1000, 65535], np.float64)
    back = ngram.decode_count(ngram.encode_count(x))
    np.testing.assert_array_equal(back[:4], x[:4])
    assert np.all(np.abs(back[4:] / x[4:] - 1) < 0.05)


def _fitted_model() -> tuple[ngram.CountModel, list[tuple[bytes, np.ndarray]]]:
    model = ngram.build(np.frombuffer(CODE, np.uint8), orders=(1, 3, 6), cache_orders=(3, 6))
    samples = [(CODE[i : i + 700], np.full(700, -math.log(256.0), np.float32)) for i in (0, 1500, 3000)]
    gatefit.fit_gate(model, samples, steps=100)
    return model, samples


def test_gate_fit_lowers_bits_and_next_logp_agrees_with_logp(tmp_path: Path) -> None:
    model = ngram.build(np.frombuffer(CODE, np.uint8), orders=(1, 3, 6), cache_orders=(3, 6))
    _, samples = _fitted_model()
    before = gatefit.per_file_bpb(model, samples)
    after = gatefit.fit_gate(model, samples, steps=100)
    assert after < before and after < 2.0  # repetitive code is cheap once counted
    data = samples[0][0]
    lp = model.logp(data, samples[0][1])
    for t in (0, 5, 350, 699):
        nl = model.next_logp(data[:t], np.full(256, -math.log(256.0)))
        assert math.isclose(float(np.exp(nl).sum()), 1.0, rel_tol=1e-9)
        assert nl[data[t]] >= lp[t] - 1e-3  # normalising only removes pruned mass
        assert abs(nl[data[t]] - lp[t]) < 0.05
    model.save(tmp_path / "ngram.npz")
    again = ngram.CountModel.load(tmp_path / "ngram.npz")
    np.testing.assert_allclose(again.logp(data, samples[0][1]), lp, atol=1e-5)


def test_an_older_format_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    np.savez_compressed(tmp_path / "ngram.npz", w=np.array(0.1))
    (tmp_path / ngram.GATE).write_text('{"format": 2, "cache_orders": [], "gate": []}')
    try:
        ngram.CountModel.load(tmp_path / "ngram.npz")
    except ValueError as e:
        assert "make model" in str(e)
    else:
        raise AssertionError("an old count model loaded")
