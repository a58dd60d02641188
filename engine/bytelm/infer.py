"""Inference on CPU: per-byte log-probs, batch scoring of candidate patches, KV-cache infill.

`LM.load()` reads the shipped int8 npz and keeps the weights int8 in memory; the jitted forward
dequantizes them per call (float fallback: `quantized=False` dequantizes once at load). Files longer
than the context are scored in overlapping windows so every byte after the first window keeps at
least ctx/2 bytes of left context. Log-probs are natural logs; bits per byte = -mean / ln 2.
"""

from __future__ import annotations

import dataclasses
import functools
import math
from pathlib import Path
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
from flax import nnx

from engine.bytelm import checkpoint, ngram, quant
from engine.bytelm import model as bytelm_model
from engine.bytelm.config import ModelConfig
from engine.bytelm.data.collate import DOC_SEP, FIM_MID, FIM_PRE, FIM_SUF, RESERVED_MAX
from engine.bytelm.paths import jax_cache_dir, shipped_dir


@dataclasses.dataclass(frozen=True)
class Spec:
    """What the jitted functions need statically to rebuild the model from a flat weight dict."""

    cfg: ModelConfig
    graphdef: Any
    template: Any  # (treedef, names) of the param state

    def __hash__(self) -> int:
        return hash((self.cfg, self.graphdef, self.template))


def _merge(spec: Spec, weights: dict[str, jax.Array]) -> bytelm_model.ByteLM:
    flat = quant.dequantize(weights)
    state = jax.tree_util.tree_unflatten(spec.template[0], [flat[n] for n in spec.template[1]])
    return nnx.merge(spec.graphdef, state)


def target_logp(spec: Spec, weights: dict[str, jax.Array], tokens_BxL1: jax.Array) -> jax.Array:
    """Log p(tokens[:, t+1] | tokens[:, :t+1]) as logp_BxL."""
    tokens = tokens_BxL1.astype(jnp.int32)
    logits_BxLxV = _merge(spec, weights)(tokens[:, :-1])
    logp = jax.nn.log_softmax(logits_BxLxV, axis=-1)
    return jnp.take_along_axis(logp, tokens[:, 1:, None], axis=-1)[..., 0]


def extend(
    spec: Spec,
    weights: dict[str, jax.Array],
    tokens_BxL: jax.Array,
    prev_BxH: jax.Array,
    start: jax.Array,
    cache: Any,
) -> tuple[jax.Array, Any]:
    """KV-cache step; returns log-softmax of the last position (logp_BxV) and the new cache."""
    logits_BxLxV, cache = _merge(spec, weights).extend(tokens_BxL, prev_BxH, start, cache)
    return jax.nn.log_softmax(logits_BxLxV[:, -1], axis=-1), cache


_target_logp_jit = jax.jit(target_logp, static_argnums=0)
# Dequantizing in its own program keeps XLA from fusing the int8->f32 convert into the matmuls,
# which on CPU pushes them off the fast GEMM path (measured ~25% slower than float).
_dequantize_jit = jax.jit(quant.dequantize)
_extend_jit = jax.jit(extend, static_argnums=0)


class LM:
    """A loaded byte LM. Not thread-safe across calls that decode; scoring is pure."""

    def __init__(
        self,
        cfg: ModelConfig,
        weights: dict[str, np.ndarray],
        *,
        use_jit: bool = True,
        counts: ngram.CountModel | None = None,
    ) -> None:
        abstract = bytelm_model.abstract(cfg)
        graphdef, state = nnx.split(abstract, nnx.Param)
        paths, treedef = jax.tree_util.tree_flatten_with_path(state)
        names = tuple(
            jax.tree_util.keystr(p, simple=True, separator="/").removesuffix("/value") for p, _ in paths
        )
        self.cfg = cfg
        self.spec = Spec(cfg=cfg, graphdef=graphdef, template=(treedef, names))
        self.weights = {k: jnp.asarray(v) for k, v in weights.items()}
        self.quantized = quant.is_quantized(weights)
        self.counts = counts  # corpus n-gram + in-file cache mixed in when present (see ngram.py)
        self._logp = functools.partial(_target_logp_jit if use_jit else target_logp, self.spec)
        self._dequantize = _dequantize_jit if use_jit else quant.dequantize
        self._extend = functools.partial(_extend_jit if use_jit else extend, self.spec)

    @classmethod
    def load(
        cls, ckpt_dir: Path | None = None, *, quantized: bool = True, use_jit: bool = True, mix: bool = True
    ) -> LM:
        """The shipped model; `mix=False` scores with the net alone, ignoring the count model."""
        jax.config.update("jax_compilation_cache_dir", str(jax_cache_dir()))
        jax.config.update("jax_persistent_cache_min_compile_time_secs", 0.0)
        ckpt_dir = ckpt_dir or shipped_dir("small")
        cfg, qflat = checkpoint.read_shipped(ckpt_dir)
        if not quantized:
            qflat = {k: np.asarray(v) for k, v in quant.dequantize(qflat).items()}
        counts = checkpoint.read_counts(ckpt_dir) if mix else None
        return cls(cfg, qflat, use_jit=use_jit, counts=counts)

    @classmethod
    def from_params(
        cls, cfg: ModelConfig, params: Any, *, quantized: bool = False, use_jit: bool = True
    ) -> LM:
        flat = {k: np.asarray(v) for k, v in quant.flat_params(params).items()}
        return cls(cfg, quant.quantize(flat) if quantized else flat, use_jit=use_jit)

    # --- scoring -------------------------------------------------------------------------------

    def _windows(self, data: bytes) -> tuple[np.ndarray, list[tuple[int, int, int]]]:
        """Windows_NxL1 over DOC_SEP + data and, per window, (row, first kept target, count)."""
        ctx, stride = self.cfg.ctx, self.cfg.ctx // 2
        stream = np.frombuffer(bytes([DOC_SEP]) + data, dtype=np.uint8)
        n = len(data)
        rows, plan, covered, s = [], [], 0, 0
        while covered < n:
            win = np.full(ctx + 1, DOC_SEP, dtype=np.uint8)
            chunk = stream[s : s + ctx + 1]
            win[: chunk.size] = chunk
            end = min(s + ctx, n)  # targets s+1..end of the stream are data[s..end-1]
            plan.append((len(rows), covered - s, end - covered))
            rows.append(win)
            covered, s = end, s + stride
        return np.stack(rows) if rows else np.zeros((0, ctx + 1), np.uint8), plan

    def _run(self, windows: np.ndarray, chunk: int = 64) -> np.ndarray:
        """Log-probs for all windows, `chunk` rows per call (bounded memory), the last chunk padded
        to a multiple of 8 rows so only a few shapes are ever compiled."""
        out = []
        weights = (
            self._dequantize(self.weights) if self.quantized else self.weights
        )  # float only for this call
        for i in range(0, len(windows), chunk):
            part = windows[i : i + chunk]
            n = len(part)
            pad = (-n) % 8 if n > 4 else (-n) % 4
            if pad:
                part = np.concatenate([part, np.zeros((pad, part.shape[1]), np.uint8)])
            out.append(np.asarray(self._logp(weights, jnp.asarray(part)))[:n])
        return np.concatenate(out) if out else np.zeros((0, self.cfg.ctx), np.float32)

    def score(self, data: bytes) -> np.ndarray:
        """Per-byte natural log-probs of `data` read as a whole file (after a document separator)."""
        return self.score_batch([data])[0]

    def score_batch(self, candidates: list[bytes]) -> list[np.ndarray]:
        """Per-byte log-probs of many candidates (patched files, spans) in one batched forward."""
        all_windows, plans = [], []
        for data in candidates:
            w, plan = self._windows(data)
            plans.append([(row + sum(len(x) for x in all_windows), a, c) for row, a, c in plan])
            all_windows.append(w)
        logp = self._run(
            np.concatenate(all_windows) if all_windows else np.zeros((0, self.cfg.ctx + 1), np.uint8)
        )
        out = [
            np.concatenate([logp[row, a : a + c] for row, a, c in plan]) if plan else np.zeros(0, np.float32)
            for plan in plans
        ]
        if self.counts is not None:
            out = [self.counts.logp(d, lp) if lp.size else lp for d, lp in zip(candidates, out, strict=True)]
        return out

    def bpb(self, data: bytes) -> float:
        lp = self.score(data)
        return float(-lp.mean() / math.log(2)) if lp.size else 0.0

    # --- infill --------------------------------------------------------------------------------

    def _prompt(self, prefix: bytes, suffix: bytes, max_bytes: int) -> bytes:
        room = self.cfg.ctx - max_bytes - 3
        if room < 2:
            raise ValueError(f"max_bytes {max_bytes} leaves no room for context (ctx {self.cfg.ctx})")
        keep_suffix = min(len(suffix), room // 3)
        keep_prefix = min(len(prefix), room - keep_suffix)
        keep_suffix = min(len(suffix), room - keep_prefix)
        pre = prefix[len(prefix) - keep_prefix :]
        return bytes([FIM_PRE]) + pre + bytes([FIM_SUF]) + suffix[:keep_suffix] + bytes([FIM_MID])

    def infill(
        self,
        prefix: bytes,
        suffix: bytes,
        max_bytes: int = 64,
        *,
        beam: int = 1,
        stop: bytes = b"",
        allowed: bytes | None = None,
    ) -> bytes:
        """The middle between `prefix` and `suffix`, decoded with a KV cache.

        Greedy when beam == 1, else beam search on total log-prob. Decoding ends at the model's
        end-of-middle (DOC_SEP), at any byte in `stop` (e.g. b"\\n" for a single line, not included),
        or after max_bytes. `allowed` constrains the bytes that may be produced.
        """
        ctx = self.cfg.ctx
        prompt = np.frombuffer(self._prompt(prefix, suffix, max_bytes), dtype=np.uint8)
        p = prompt.size
        ban = np.zeros(256, bool)
        ban[1 : RESERVED_MAX + 1] = True
        if allowed is not None:
            ban |= ~np.isin(np.arange(256), np.frombuffer(allowed, np.uint8))
            ban[DOC_SEP] = False
        ends = set(stop) | {DOC_SEP}
        padded = np.zeros((beam, ctx), np.uint8)
        padded[:, :p] = prompt
        cache = bytelm_model.empty_cache(self.cfg, beam)
        zeros_h = jnp.zeros((beam, bytelm_model.HISTORY), jnp.int32)
        # prefill the whole context at once (one shape, one compile); later steps overwrite p..
        logits_all, cache = self._prefill(padded, zeros_h, cache, p)
        beams: list[tuple[float, bytes]] = [(0.0, b"")]
        done: list[tuple[float, bytes]] = []
        logp_BxV = logits_all
        history = np.tile(prompt[-bytelm_model.HISTORY :], (beam, 1)).astype(np.int32)
        left = prefix
        for t in range(max_bytes):
            lp = np.asarray(logp_BxV, dtype=np.float64)[: len(beams)]
            if self.counts is not None:  # the cache sees the prefix and what was decoded so far
                lp = np.stack([self.counts.next_logp(left + beams[i][1], lp[i]) for i in range(len(beams))])
            lp[:, ban] = -np.inf
            cand = []
            for i, (score, _text) in enumerate(beams):
                for b in np.argsort(-lp[i])[:beam]:
                    if np.isfinite(lp[i, b]):
                        cand.append((score + lp[i, b], i, int(b)))
            cand.sort(key=lambda c: -c[0])
            nxt, parents, tokens = [], [], []
            for score, i, b in cand:
                if b in ends:
                    done.append((score, beams[i][1]))
                elif len(nxt) < beam:
                    nxt.append((score, beams[i][1] + bytes([b])))
                    parents.append(i)
                    tokens.append(b)
            if not nxt or (done and len(done) >= beam and max(d[0] for d in done) >= nxt[0][0]):
                break
            if t == max_bytes - 1:
                done.extend(nxt)
                break
            idx = np.array(parents + [parents[0]] * (beam - len(parents)))
            cache = [(jnp.take(k, idx, axis=0), jnp.take(v, idx, axis=0)) for k, v in cache]
            history = history[idx]
            tok = np.array(tokens + [tokens[0]] * (beam - len(tokens)), np.int32)
            logp_BxV, cache = self._extend(
                self.weights, jnp.asarray(tok[:, None]), jnp.asarray(history), jnp.int32(p + t), cache
            )
            history = np.concatenate([history[:, 1:], tok[:, None]], axis=1)
            beams = nxt
        if not done:
            done = beams
        return max(done, key=lambda d: d[0])[1]

    def _prefill(self, padded: np.ndarray, zeros_h: jax.Array, cache: Any, p: int) -> tuple[jax.Array, Any]:
        logits, cache = self._extend_all(padded, zeros_h, cache)
        return logits[:, p - 1], cache

    def _extend_all(self, padded: np.ndarray, zeros_h: jax.Array, cache: Any) -> tuple[jax.Array, Any]:
        return _prefill_fn(self.spec, self.weights, jnp.asarray(padded, jnp.int32), zeros_h, cache)


@functools.partial(jax.jit, static_argnums=0)
def _prefill_fn(
    spec: Spec, weights: dict[str, jax.Array], tokens_BxL: jax.Array, prev_BxH: jax.Array, cache: Any
) -> tuple[jax.Array, Any]:
    logits_BxLxV, cache = _merge(spec, weights).extend(tokens_BxL, prev_BxH, jnp.int32(0), cache)
    return jax.nn.log_softmax(logits_BxLxV, axis=-1), cache
