"""Byte collation: pack documents into fixed windows, sample training windows, fill-in-the-middle.

Reserved bytes (never in a kept source file; the snapshot drops files that contain them):
  0x00 DOC_SEP  document separator, also the start-of-file context when scoring
  0x01 FIM_PRE  starts the prefix of a fill-in-the-middle example
  0x02 FIM_SUF  starts the suffix
  0x03 FIM_MID  starts the middle, which the model then writes, ended by DOC_SEP
Rust source is UTF-8 text where 0x00-0x03 never occur, so the vocabulary stays the 256 bytes.
FIM uses PSM order (prefix, suffix, middle) as in Bavarian et al. 2022: a patch is a middle
between the code before and the code after it.
"""

from __future__ import annotations

import numpy as np

DOC_SEP = 0x00
FIM_PRE = 0x01
FIM_SUF = 0x02
FIM_MID = 0x03
RESERVED_MAX = 0x03


def pack_documents(docs: list[bytes], ctx: int) -> np.ndarray:
    """Windows_NxL (L = ctx + 1, inputs and shifted targets) of DOC_SEP-joined docs, padded with DOC_SEP."""
    stream = bytes([DOC_SEP]) + b"".join(d + bytes([DOC_SEP]) for d in docs)
    arr = np.frombuffer(stream, dtype=np.uint8)
    step = ctx
    n = max(1, -(-(arr.size - 1) // step))
    out = np.full((n, ctx + 1), DOC_SEP, dtype=np.uint8)
    for i in range(n):
        chunk = arr[i * step : i * step + ctx + 1]
        out[i, : chunk.size] = chunk
    return out


def psm(prefix: bytes, middle: bytes, suffix: bytes) -> bytes:
    """The training/inference layout: PRE prefix SUF suffix MID middle (then DOC_SEP ends it)."""
    return bytes([FIM_PRE]) + prefix + bytes([FIM_SUF]) + suffix + bytes([FIM_MID]) + middle


def fim_window(window: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Rearrange one window of length L into a PSM example of the same length L.

    Half the time the middle is 1-3 whole lines (what a patch usually replaces), else a random span.
    The window's last 4 bytes are dropped to make room for the sentinels and the closing DOC_SEP,
    which teaches the model where a middle ends.
    """
    body = window[: window.size - 4].tobytes()
    n = len(body)
    if n < 4:
        return window
    lines = [i + 1 for i, b in enumerate(body) if b == 0x0A]
    if rng.random() < 0.5 and len(lines) >= 4:
        k = int(rng.integers(0, len(lines) - 3))
        span = int(rng.integers(1, 4))
        lo, hi = lines[k], lines[min(k + span, len(lines) - 1)]
    else:
        lo, hi = sorted(int(x) for x in rng.integers(0, n + 1, size=2))
    out = psm(body[:lo], body[lo:hi], body[hi:]) + bytes([DOC_SEP])
    return np.frombuffer(out, dtype=np.uint8).copy()


def sample_batch(
    stream: np.ndarray, batch: int, ctx: int, rng: np.random.Generator, fim_rate: float = 0.5
) -> np.ndarray:
    """Batch_BxL of random windows from a uint8 stream, a `fim_rate` share of them FIM-rearranged."""
    starts = rng.integers(0, stream.size - ctx - 1, size=batch)
    out = np.stack([stream[s : s + ctx + 1] for s in starts]).astype(np.uint8)
    for i in range(batch):
        if rng.random() < fim_rate:
            out[i] = fim_window(out[i], rng)
    return out
