"""Inference on CPU: per-byte log-probs, batch scoring of candidate patches, KV-cache infill.

Scoring runs the numpy forward (npnet.py) and never imports JAX: `LM.load` + the first score of a
4 KiB file take well under the 2-3 s that importing jax alone cost. JAX is imported on the first
`infill`, which decodes with a KV cache in jitted steps (jaxnet.py).
`LM.load()` reads the shipped int8 npz; the numpy forward dequantizes it once to float32
(`quantized=False` only changes what `weights` holds, not the kernels that run).
Files longer than the context are scored in overlapping windows: the first window scores its
ctx bytes, every later one starts `stride` bytes on and scores only its last `stride` bytes, so
each of them keeps at least ctx - stride bytes of left context. Log-probs are natural logs; bits
per byte = -mean / ln 2.

Measured on the shipped `small` (ctx 256), net alone, one BLAS thread, this 2-core machine with
a training run on the other core (so lower bounds):
- stride, on 40 validation files (511 KB; bpb byte-weighted): keeping ctx/2 of left context
  2.2523 bpb at 10.9k bytes/s, ctx/4 2.2507 at 14.2k, ctx/8 2.2519 at 16.9k, ctx/16 2.2542 at
  18.0k (before the softmax and RoPE rewrites). ctx/4 scores best, so stride = 3/4 ctx.
- windows per forward (TOKENS_PER_CALL): 2 or 4 windows of 256 ~25k bytes/s, 8 windows ~16-19k,
  16 ~17k: past 4 the activations and attention scores spill out of L2.
- bench files (bench_bytelm.bench_files, 56 files, 664 KB): ~25k bytes/s int8 or float (the
  same kernels), against ~6.9k through JAX before; load + first score of 4 KiB in a fresh
  process 0.53-0.62 s, of which importing numpy ~0.2 s and ngram.npz ~0.2 s (was ~4.4 s).
- the numpy forward matches JAX's `jaxnet.target_logp` within ~6e-6 nats per byte.
- threads (2026-11-27): forwards and the count model's mixing run on one thread per usable core
  (RUSTA_LM_THREADS overrides), each thread with one BLAS thread; numpy drops the GIL in its
  kernels, so on the bench files two threads scored 35-44k bytes/s net alone against 20-22k on
  one, and 39-42k against 21-22k with the counts. The log-probs are the same bit for bit.
"""

from __future__ import annotations

import math
import os
import threading
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np

from engine.bytelm import checkpoint, npnet, quant
from engine.bytelm.config import ModelConfig
from engine.bytelm.data.collate import DOC_SEP, FIM_MID, FIM_PRE, FIM_SUF, RESERVED_MAX
from engine.bytelm.paths import shipped_dir

if TYPE_CHECKING:
    from engine.bytelm import ngram

T = TypeVar("T")
R = TypeVar("R")
STRIDE_KEEP_DIV = 4  # later windows keep ctx // 4 bytes of left context (stride 3/4 ctx)
TOKENS_PER_CALL = 1024  # window tokens per numpy forward: 4 windows of 256 keep the working set in L2
MEMO_BYTES = 16 << 20  # scored candidates kept (bytes of input): repair scores the same regions again


def scoring_threads() -> int:
    """Threads that score windows at once: RUSTA_LM_THREADS, else one per core this process may use."""
    try:
        return max(1, int(os.environ["RUSTA_LM_THREADS"]))
    except (KeyError, ValueError):
        return max(1, len(os.sched_getaffinity(0)))


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
        self.cfg = cfg
        self.weights = {k: np.asarray(v) for k, v in weights.items()}
        self.quantized = quant.is_quantized(weights)
        self.counts = counts  # corpus n-gram + in-file cache mixed in when present (see ngram.py)
        self.net = npnet.NumpyNet(cfg, self.weights)
        self.use_jit = use_jit  # for the JAX decoder only; scoring has nothing to compile
        self.workers = scoring_threads()
        self._jax: tuple[Any, dict[str, Any]] | None = None  # (spec, device weights), on first infill
        self._memo: OrderedDict[bytes, np.ndarray] = OrderedDict()  # candidate -> its log-probs, LRU
        self._memo_bytes = 0
        self._memo_lock = threading.Lock()

    @classmethod
    def load(
        cls, ckpt_dir: Path | None = None, *, quantized: bool = True, use_jit: bool = True, mix: bool = True
    ) -> LM:
        """The shipped model; `mix=False` scores with the net alone, ignoring the count model."""
        ckpt_dir = ckpt_dir or shipped_dir("small")
        cfg, qflat = checkpoint.read_shipped(ckpt_dir)
        if not quantized:
            qflat = quant.dequantize(qflat)
        counts = checkpoint.read_counts(ckpt_dir) if mix else None
        return cls(cfg, qflat, use_jit=use_jit, counts=counts)

    @classmethod
    def from_params(
        cls, cfg: ModelConfig, params: Any, *, quantized: bool = False, use_jit: bool = True
    ) -> LM:
        flat = {k: np.asarray(v) for k, v in quant.flat_params(params).items()}
        return cls(cfg, quant.quantize(flat) if quantized else flat, use_jit=use_jit)

    # --- scoring -------------------------------------------------------------------------------

    @property
    def stride(self) -> int:
        return self.cfg.ctx - self.cfg.ctx // STRIDE_KEEP_DIV

    def _windows(self, data: bytes) -> tuple[np.ndarray, list[tuple[int, int, int]]]:
        """Windows_NxL1 over DOC_SEP + data and, per window, (row, first kept target, count)."""
        ctx, stride = self.cfg.ctx, self.stride
        stream = np.frombuffer(bytes([DOC_SEP]) + data, dtype=np.uint8)
        n = len(data)
        rows: list[np.ndarray] = []
        plan: list[tuple[int, int, int]] = []
        covered, s = 0, 0
        while covered < n:
            win = np.full(ctx + 1, DOC_SEP, dtype=np.uint8)
            chunk = stream[s : s + ctx + 1]
            win[: chunk.size] = chunk
            end = min(s + ctx, n)  # targets s+1..end of the stream are data[s..end-1]
            plan.append((len(rows), covered - s, end - covered))
            rows.append(win)
            covered, s = end, s + stride
        return np.stack(rows) if rows else np.zeros((0, ctx + 1), np.uint8), plan

    def _run(self, windows: np.ndarray, firsts: np.ndarray, needs: np.ndarray) -> list[np.ndarray]:
        """Per window i, log-probs of its targets firsts[i]..needs[i]-1.

        Windows sharing a first kept target run together, longest first, TOKENS_PER_CALL tokens
        per forward; each call's windows are cut to the longest need among them (causal: what
        follows a position changes nothing before it), so short candidates cost what they are."""
        out: list[np.ndarray] = [np.zeros(0, np.float32)] * len(windows)
        calls: list[tuple[np.ndarray, int, int]] = []  # (windows, length, first) of one forward each
        for first in np.unique(firsts):
            idx = np.flatnonzero(firsts == first)
            idx = idx[np.argsort(-needs[idx], kind="stable")]
            while idx.size:
                length = int(needs[idx[0]])
                part, idx = np.split(idx, [max(1, TOKENS_PER_CALL // length)])
                calls.append((part, length, int(first)))

        def forward(call: tuple[np.ndarray, int, int]) -> None:
            part, length, first = call
            with npnet.single_thread_blas():  # per thread: each worker is one BLAS thread
                logp = self.net.target_logp(windows[part, : length + 1], first)
            for row, j in enumerate(part):
                out[j] = logp[row, : needs[j] - first]

        self._map(forward, calls)
        return out

    def _map(self, fn: Callable[[T], R], items: list[T]) -> list[R]:
        """`fn` over `items` on up to `workers` threads: numpy releases the GIL in its kernels."""
        workers = min(self.workers, len(items))
        if workers <= 1:
            return [fn(x) for x in items]
        with ThreadPoolExecutor(workers) as pool:
            return list(pool.map(fn, items))

    def score(self, data: bytes) -> np.ndarray:
        """Per-byte natural log-probs of `data` read as a whole file (after a document separator)."""
        return self.score_batch([data])[0]

    def score_batch(self, candidates: list[bytes]) -> list[np.ndarray]:
        """Per-byte log-probs of many candidates (patched files, spans) in one batched forward.

        Each candidate is scored as a document of its own, so its log-probs depend on its bytes
        alone: a candidate scored before (localization scores a file that repair's deltas score
        again; each delta batch repeats the regions before the edit) is answered from an LRU memo,
        read-only, and only the others run."""
        with self._memo_lock:
            known = {c: self._memo[c] for c in candidates if c in self._memo}
            for c in known:
                self._memo.move_to_end(c)
        todo = list(dict.fromkeys(c for c in candidates if c not in known))
        fresh = dict(zip(todo, self._score_fresh(todo), strict=True)) if todo else {}
        with self._memo_lock:
            for c, lp in fresh.items():
                lp.setflags(write=False)
                if c not in self._memo and len(c) <= MEMO_BYTES // 4:
                    self._memo[c] = lp
                    self._memo_bytes += len(c)
            while self._memo_bytes > MEMO_BYTES:
                c, _ = self._memo.popitem(last=False)
                self._memo_bytes -= len(c)
        return [known[c] if c in known else fresh[c] for c in candidates]

    def _score_fresh(self, candidates: list[bytes]) -> list[np.ndarray]:
        all_windows: list[np.ndarray] = []
        plans: list[list[tuple[int, int]]] = []
        firsts: list[int] = []
        needs: list[int] = []
        for data in candidates:
            w, plan = self._windows(data)
            plans.append([(row + sum(len(x) for x in all_windows), c) for row, _, c in plan])
            firsts.extend(a for _, a, _ in plan)
            needs.extend(a + c for _, a, c in plan)
            all_windows.append(w)
        windows = np.concatenate(all_windows) if all_windows else np.zeros((0, self.cfg.ctx + 1), np.uint8)
        logp = self._run(windows, np.asarray(firsts, np.int64), np.asarray(needs, np.int64))
        out = [
            np.concatenate([logp[row] for row, _ in plan]) if plan else np.zeros(0, np.float32)
            for plan in plans
        ]
        if self.counts is not None:
            counts = self.counts

            def mix(pair: tuple[bytes, np.ndarray]) -> np.ndarray:
                return counts.logp(pair[0], pair[1]) if pair[1].size else pair[1]

            out = self._map(mix, list(zip(candidates, out, strict=True)))
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
        if beam < 1 or max_bytes < 1:
            raise ValueError(
                f"infill needs beam >= 1 and max_bytes >= 1 (got beam {beam}, max_bytes {max_bytes})"
            )
        if allowed is not None and not set(allowed) - set(range(1, RESERVED_MAX + 1)):
            raise ValueError("infill's `allowed` leaves no byte to write")
        import jax.numpy as jnp

        from engine.bytelm import jaxnet
        from engine.bytelm import model as bytelm_model

        spec, weights = self._decoder()
        step = jaxnet.extend_jit if self.use_jit else jaxnet.extend
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
        logits_all, cache = jaxnet.prefill_jit(spec, weights, jnp.asarray(padded, jnp.int32), zeros_h, cache)
        beams: list[tuple[float, bytes]] = [(0.0, b"")]
        done: list[tuple[float, bytes]] = []
        logp_BxV = logits_all[:, p - 1]
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
            nxt: list[tuple[float, bytes]] = []
            parents: list[int] = []
            tokens: list[int] = []
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
            logp_BxV, cache = step(
                spec, weights, jnp.asarray(tok[:, None]), jnp.asarray(history), jnp.int32(p + t), cache
            )
            history = np.concatenate([history[:, 1:], tok[:, None]], axis=1)
            beams = nxt
        if not done:
            done = beams
        return max(done, key=lambda d: d[0])[1]

    def _decoder(self) -> tuple[Any, dict[str, Any]]:
        """(spec, weights on the JAX device): JAX is imported and the weights moved once, here."""
        if self._jax is None:
            import jax.numpy as jnp

            from engine.bytelm import jaxnet

            jaxnet.use_compile_cache()
            self._jax = (jaxnet.make_spec(self.cfg), {k: jnp.asarray(v) for k, v in self.weights.items()})
        return self._jax
