"""The byte transformer's forward pass in plain numpy: scoring without importing JAX.

Why: importing jax alone costs 2-3 s here, so `rusta lm bpb FILE` paid more for the import than for
the model. Scoring needs no gradients, no cache and no compiler: a few float32 GEMMs on
(windows x ctx, D) blocks, which numpy hands to OpenBLAS. The network is `model.ByteLM` exactly
(same weights, same flat names); `infer.LM` scores with this and imports JAX only to decode.

Rewrites that keep the function and save work, the weight ones done once at load:
- int8 weights are dequantized to float32: numpy has no int8 GEMM, a (1024 x 128) @ (128 x 512)
  int8 product took 69 ms against 1.8 ms in float32, so the quantized and the float checkpoint
  run the same float32 kernels (int8 only shrinks the file).
- RMSNorm scales are folded into the matrix that follows them, the 1/sqrt(K) attention scale
  into the query columns, GELU's 0.5 into the down projection (a power of two: exact).
- RoPE rotates (even, odd) pairs, which read as complex64 numbers are one complex product with a
  table built at load (0.2 ms against 0.57 ms for the real-valued form per 2 windows and layer).
- Attention runs in query blocks of QUERY_BLOCK that see only the keys up to their own end,
  scores laid out (key, query) so reductions run down rows, exp() on raw scores with a checked
  fallback, and softmax's denominator taken from a ones column appended to v.
- The LM head's log-softmax is a logsumexp per row and a gather of the target logit; the last
  block runs its attention queries, MLP and head only on the positions whose log-probs are kept.
- One BLAS thread (`single_thread_blas`): see there why.
Measured numbers and the chosen batch and stride are in `infer.py`'s docstring.
Array names carry shape suffixes: B windows, L length, D model, H heads, K head dim, F d_ff, V 256.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import math
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import numpy as np

from engine.bytelm import quant
from engine.bytelm.config import ModelConfig

# Copies of model.py's constants (it imports JAX); tests/bytelm/test_npnet.py checks they agree.
_HASH_MUL = (0x9E3779B1, 0x85EBCA77, 0xC2B2AE3D, 0x27D4EB2F, 0x165667B1, 0xD3A2646C, 0xFD7046C5)
HISTORY = 3
RMS_EPS = 1e-6  # nnx.RMSNorm's default epsilon
_GELU_C = math.sqrt(2.0 / math.pi)  # jax.nn.gelu(approximate=True), its default
QUERY_BLOCK = 64  # attention queries per block (see NumpyNet._attention)
_MIN_DEN = 1e-30  # a softmax denominator below this may have lost its terms to float32 underflow


def ngram_ids(tokens_BxL: np.ndarray, prev_BxH: np.ndarray, order: int, buckets: int) -> np.ndarray:
    """`model.ngram_ids` in uint32 numpy (array products wrap mod 2**32 as in XLA)."""
    full = np.concatenate([prev_BxH, tokens_BxL], axis=1).astype(np.uint32)
    length = tokens_BxL.shape[1]
    h = np.full(tokens_BxL.shape, order * 0x01000193, dtype=np.uint32)
    for lag in range(order):
        start = HISTORY - lag
        h ^= full[:, start : start + length]
        h *= np.uint32(_HASH_MUL[(order + lag) % len(_HASH_MUL)])
        h ^= h >> np.uint32(15)
    return (h % np.uint32(buckets)).astype(np.intp)


@functools.cache
def _blas_thread_setter() -> Callable[[int], int] | None:
    """OpenBLAS's per-calling-thread `openblas_set_num_threads_local` from the library numpy loaded
    (found through /proc/self/maps), or None where there is none (macOS, MKL, an old OpenBLAS)."""
    try:
        maps = Path("/proc/self/maps").read_text()
    except OSError:
        return None
    fields = (ln.split(None, 5) for ln in maps.splitlines() if "openblas" in ln.lower())
    for path in sorted({f[5] for f in fields if len(f) == 6}):
        try:
            fn = ctypes.CDLL(path).openblas_set_num_threads_local
        except (OSError, AttributeError):
            continue
        fn.argtypes, fn.restype = [ctypes.c_int], ctypes.c_int
        return fn
    return None


@contextlib.contextmanager
def single_thread_blas() -> Iterator[None]:
    """One BLAS thread for the calling thread while the block runs.

    OpenBLAS splits each GEMM over all cores and spin-waits at a barrier after it; with the other
    core busy (a training run, cargo) the batched (ctx x K x ctx) score GEMMs of 16 windows took
    1.0 s threaded against 7 ms on one thread, and the large GEMMs gained nothing from a second,
    shared core. The setting is per calling thread, so other threads keep theirs."""
    setter = _blas_thread_setter()
    prev = setter(1) if setter is not None else 0
    try:
        yield
    finally:
        if setter is not None and prev > 0:
            setter(prev)


def _rms(x_NxD: np.ndarray) -> np.ndarray:
    """x / rms(x); the scale lives in the next matrix."""
    ms_N = np.einsum("nd,nd->n", x_NxD, x_NxD) / np.float32(x_NxD.shape[1])
    return x_NxD * (1.0 / np.sqrt(ms_N + np.float32(RMS_EPS)))[:, None]


def _gelu2(u: np.ndarray) -> np.ndarray:
    """2 * gelu(u) (tanh form), in place; the 0.5 is folded into the down projection."""
    t = u * u
    t *= np.float32(0.044715 * _GELU_C)
    t += np.float32(_GELU_C)
    t *= u
    np.tanh(t, out=t)
    t += np.float32(1.0)
    t *= u
    return t


class NumpyNet:
    """Float32 weights rearranged for inference, and the batched forward that returns log-probs."""

    def __init__(self, cfg: ModelConfig, weights: Mapping[str, np.ndarray]) -> None:
        self.cfg = cfg
        flat = {k: np.asarray(v, dtype=np.float32) for k, v in quant.dequantize(weights).items()}
        d, h, k = cfg.d_model, cfg.n_heads, cfg.head_dim
        qscale = np.ones(3 * d, np.float32)
        qscale[:d] = 1.0 / math.sqrt(k)
        self.embed_VxD = flat["embed/embedding"]
        self.ngram_tables = [flat[f"ngrams/{i}/embedding"] for i in range(len(cfg.ngram_orders))]
        self.blocks: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []
        for i in range(cfg.n_layers):
            p = f"blocks/{i}/"
            qkv = flat[p + "norm1/scale"][:, None] * flat[p + "attn/qkv/kernel"] * qscale
            up = flat[p + "norm2/scale"][:, None] * flat[p + "up/kernel"]
            down = np.float32(0.5) * flat[p + "down/kernel"]
            self.blocks.append((qkv, flat[p + "attn/out/kernel"], up, down))
        self.head_DxV = flat["norm/scale"][:, None] * flat["head/kernel"]
        # RoPE as a complex product: the (even, odd) pairs of q and k read as complex64 numbers
        half = np.arange(0, k, 2, dtype=np.float32) / np.float32(k)
        freq = np.tile((np.float32(cfg.rope_base) ** -half).astype(np.float32), 2 * h)
        ang = np.arange(cfg.ctx, dtype=np.float32)[:, None] * freq[None, :]
        self._rot_LxD = (np.cos(ang) + 1j * np.sin(ang)).astype(np.complex64)
        # (key, query) layout: a key after its query is masked
        self._mask_QxQ = np.tril(np.full((QUERY_BLOCK, QUERY_BLOCK), -np.inf, np.float32), -1)

    def embed(self, tokens_BxL: np.ndarray) -> np.ndarray:
        """x_NxD (N = B*L) for windows that start cold (history = DOC_SEP)."""
        cfg = self.cfg
        prev_BxH = np.zeros((tokens_BxL.shape[0], HISTORY), tokens_BxL.dtype)
        x = self.embed_VxD[tokens_BxL.reshape(-1)]
        for order, table in zip(cfg.ngram_orders, self.ngram_tables, strict=True):
            x += table[ngram_ids(tokens_BxL, prev_BxH, order, cfg.ngram_buckets).reshape(-1)]
        return x

    def _qkv(self, x_NxD: np.ndarray, wqkv: np.ndarray, b: int) -> tuple[np.ndarray, np.ndarray]:
        """Rotated q and k as qk_2xBxHxLxK, and v with a column of ones as v_BxHxLx(K+1), all
        C-contiguous (BLAS wants that); the ones column makes p @ v carry softmax's denominator."""
        cfg = self.cfg
        d, h, k = cfg.d_model, cfg.n_heads, cfg.head_dim
        length = x_NxD.shape[0] // b
        y = (_rms(x_NxD) @ wqkv).reshape(b, length, 3 * d)
        z = y[:, :, : 2 * d].view(np.complex64) * self._rot_LxD[:length]
        qk = z.view(np.float32).reshape(b, length, 2, h, k).transpose(2, 0, 3, 1, 4).copy()
        v1 = np.ones((b, h, length, k + 1), np.float32)
        v1[..., :k] = y[:, :, 2 * d :].reshape(b, length, h, k).transpose(0, 2, 1, 3)
        return qk, v1

    def _attention(self, x_NxD: np.ndarray, wqkv: np.ndarray, b: int, first: int) -> np.ndarray:
        """Causal self-attention before the out projection, as y_MxD for the queries at positions
        >= `first` (M = B * (L - first)).

        Queries go in blocks that see only the keys up to their own end, so most of the masked
        half of the score matrix is never computed. Scores are laid out (key, query), since numpy
        reduces over a non-last axis ~4x faster than over the last. exp() runs on the raw scores:
        softmax does not need the max subtracted unless exp or p @ v over- or underflows, which
        shows as a non-finite sum or a denominator below 1e-30; only then is the block redone
        with the max subtracted (under np.errstate, so the first try warns nothing)."""
        cfg = self.cfg
        k = cfg.head_dim
        length = x_NxD.shape[0] // b
        qk, v1_BxHxLxK1 = self._qkv(x_NxD, wqkv, b)
        q_BxHxLxK, k_BxHxLxK = qk[0], qk[1]
        y_BxQxHxK = np.empty((b, length - first, cfg.n_heads, k), np.float32)
        for a in range(first, length, QUERY_BLOCK):
            e = min(a + QUERY_BLOCK, length)
            s_BxHxTxQ = k_BxHxLxK[:, :, :e] @ q_BxHxLxK[:, :, a:e].transpose(0, 1, 3, 2)
            s_BxHxTxQ[:, :, a:e] += self._mask_QxQ[: e - a, : e - a]
            with np.errstate(over="ignore", invalid="ignore"):
                p_BxHxTxQ = np.exp(s_BxHxTxQ)
                y_BxHxQxK1 = p_BxHxTxQ.transpose(0, 1, 3, 2) @ v1_BxHxLxK1[:, :, :e]
                finite = np.isfinite(y_BxHxQxK1.sum())
            den = y_BxHxQxK1[..., k:]
            if not (finite and den.min() > _MIN_DEN):
                s_BxHxTxQ -= s_BxHxTxQ.max(axis=2, keepdims=True)
                np.exp(s_BxHxTxQ, out=s_BxHxTxQ)
                y_BxHxQxK1 = s_BxHxTxQ.transpose(0, 1, 3, 2) @ v1_BxHxLxK1[:, :, :e]
                den = y_BxHxQxK1[..., k:]
            np.divide(y_BxHxQxK1[..., :k], den, out=y_BxHxQxK1[..., :k])
            y_BxQxHxK[:, a - first : e - first] = y_BxHxQxK1[..., :k].transpose(0, 2, 1, 3)
        return y_BxQxHxK.reshape(-1, cfg.d_model)

    def target_logp(self, tokens_BxL1: np.ndarray, first: int = 0) -> np.ndarray:
        """Log p(tokens[:, t+1] | tokens[:, :t+1]) for t >= `first`, as logp_Bx(L-first) float32."""
        b, length = tokens_BxL1.shape[0], tokens_BxL1.shape[1] - 1
        if length > self.cfg.ctx:
            raise ValueError(f"windows of {length} bytes exceed the context ({self.cfg.ctx})")
        x = self.embed(tokens_BxL1[:, :-1])
        last = len(self.blocks) - 1
        for i, (wqkv, wout, up, down) in enumerate(self.blocks):
            start = first if i == last else 0
            y = self._attention(x, wqkv, b, start) @ wout
            if start:
                x = x.reshape(b, length, -1)[:, start:].reshape(-1, x.shape[1])
            x += y
            x += _gelu2(_rms(x) @ up) @ down
        logits_NxV = _rms(x) @ self.head_DxV
        m_N = logits_NxV.max(axis=1)
        lse_N = m_N + np.log(np.exp(logits_NxV - m_N[:, None]).sum(axis=1))
        tgt_N = tokens_BxL1[:, first + 1 :].reshape(-1).astype(np.intp)
        return (logits_NxV[np.arange(tgt_N.size), tgt_N] - lse_N).reshape(b, length - first)
