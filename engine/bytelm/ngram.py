"""Count-based byte statistics mixed with the net: a pruned corpus n-gram and an in-file cache.

Why: on two shared CPU cores the net sees a few hundred thousand bytes of training in twenty
minutes, while counting the whole 36 MB corpus takes seconds. Counts carry what the net has not
learned yet, and the in-file cache carries what no static model can: this file's own identifiers,
which is most of what xz exploits. Both are chained by Witten-Bell interpolation on top of the net,
p_k(b) = (c_k(ctx, b) + n1_k(ctx) * p_{k-1}(b)) / (c_k(ctx) + n1_k(ctx)), where n1 is the number of
distinct bytes seen after ctx, and the chain is finally mixed with the net itself,
p = w * p_net + (1 - w) * p_chain, w tuned on validation, so a better-trained net is not drowned.
Everything is vectorised numpy over whole files; only the probability of the byte that occurs is
needed for scoring, and `distribution` gives all 256 for infill.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

# Chosen on 40 validation files (never on held-out crates), uniform base: fewer, spaced orders beat
# 1..5, since every Witten-Bell step over-trusts its counts (1,3,6: 1.597 bpb; 2,4,6: 1.644;
# 1..5: 1.732; cache orders 3,6,12 and 4,8,16 tie).
STATIC_ORDERS = (1, 3, 6)
CACHE_ORDERS = (3, 6, 12)
PRUNE_BELOW = 2  # pairs seen once are dropped at orders >= 3 (mostly noise, and most of the size);
# a context none of whose pairs survive is dropped whole and reads as unseen
_M1 = np.uint64(0x9E3779B97F4A7C15)
_M2 = np.uint64(0xBF58476D1CE4E5B9)


def _mix(x: np.ndarray) -> np.ndarray:
    x = x ^ (x >> np.uint64(31))
    x = x * _M2
    return x ^ (x >> np.uint64(29))


def context_hashes(stream: np.ndarray, k: int) -> np.ndarray:
    """hash_N (uint64) of the k bytes before each position t of `stream` (bytes before 0 are DOC_SEP)."""
    s = np.concatenate([np.zeros(k, np.uint8), stream]).astype(np.uint64)
    n = stream.size
    h = np.full(n, np.uint64((k * 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF), dtype=np.uint64)
    for j in range(k):
        h = _mix(h ^ s[j : j + n])
    return h


@dataclass
class Table:
    """One order of the corpus model: sorted context keys and their (next byte, count) lists."""

    ctx: np.ndarray  # uint32, sorted
    total: np.ndarray  # uint32 per ctx, before pruning
    n1: np.ndarray  # uint8 per ctx, distinct next bytes before pruning (saturating at 255)
    kept: np.ndarray  # uint8 per ctx: how many pairs survive pruning, minus one (1..256 fits)
    nxt: np.ndarray  # uint8 per pair
    count: np.ndarray  # uint16 per pair (saturating)

    def __post_init__(self) -> None:
        self.pair = (
            np.repeat(self.ctx, self.kept.astype(np.int64) + 1).astype(np.uint64) << np.uint64(8)
        ) | self.nxt.astype(np.uint64)

    def lookup(self, ctx32: np.ndarray, nxt: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(pair count, ctx total, ctx n1) for each query; zeros where unseen."""
        i = np.minimum(np.searchsorted(self.ctx, ctx32), self.ctx.size - 1)
        hit = self.ctx[i] == ctx32
        total = np.where(hit, self.total[i], 0).astype(np.float64)
        n1 = np.where(hit, self.n1[i], 0).astype(np.float64)
        key = (ctx32.astype(np.uint64) << np.uint64(8)) | nxt.astype(np.uint64)
        j = np.minimum(np.searchsorted(self.pair, key), self.pair.size - 1)
        c = np.where(self.pair[j] == key, self.count[j], 0).astype(np.float64)
        return c, total, n1


def build_table(stream: np.ndarray, k: int) -> Table:
    ctx32 = (context_hashes(stream, k) >> np.uint64(32)).astype(np.uint64)
    pairs, counts = np.unique((ctx32 << np.uint64(8)) | stream.astype(np.uint64), return_counts=True)
    pctx = (pairs >> np.uint64(8)).astype(np.uint32)
    starts = np.flatnonzero(np.r_[True, pctx[1:] != pctx[:-1]])
    ctx = pctx[starts]
    total = np.add.reduceat(counts, starts).astype(np.uint32)
    n1 = np.minimum(np.diff(np.r_[starts, pctx.size]), 255).astype(np.uint8)
    keep = counts >= (PRUNE_BELOW if k >= 3 else 1)
    kept = np.add.reduceat(keep.astype(np.int64), starts)
    live = kept > 0
    return Table(ctx[live], total[live], n1[live], (kept[live] - 1).astype(np.uint8),
                 (pairs[keep] & np.uint64(0xFF)).astype(np.uint8),
                 np.minimum(counts[keep], 65535).astype(np.uint16))  # fmt: skip


def cache_counts(data: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each position t: (earlier count of (ctx, byte), earlier count of ctx, earlier distinct bytes after ctx)."""
    n = data.size
    h = context_hashes(data, k)
    t = np.arange(n)
    order = np.lexsort((t, h))
    hs = h[order]
    gstart = np.r_[True, hs[1:] != hs[:-1]]
    gidx = np.maximum.accumulate(np.where(gstart, np.arange(n), 0))
    c_ctx = np.empty(n, np.float64)
    c_ctx[order] = np.arange(n) - gidx
    pair = _mix(h ^ data.astype(np.uint64))
    porder = np.lexsort((t, pair))
    ps = pair[porder]
    pstart = np.r_[True, ps[1:] != ps[:-1]]
    pidx = np.maximum.accumulate(np.where(pstart, np.arange(n), 0))
    c_pair = np.empty(n, np.float64)
    c_pair[porder] = np.arange(n) - pidx
    first = (c_pair == 0).astype(np.float64)[order]  # in ctx-group order: a new follower appears
    csum = np.cumsum(first) - first
    n1 = np.empty(n, np.float64)
    n1[order] = csum - csum[gidx]
    return c_pair, c_ctx, n1


def _wb(p: np.ndarray, c: np.ndarray, total: np.ndarray, n1: np.ndarray) -> np.ndarray:
    return np.where(total > 0, (c + n1 * p) / np.maximum(total + n1, 1e-9), p)


class CountModel:
    """The static tables plus the net weight `w`; `logp(data, net_logp)` mixes per byte."""

    def __init__(self, tables: dict[int, Table], w: float) -> None:
        self.tables = tables
        self.w = w

    def chain(self, data: bytes, p_net: np.ndarray) -> np.ndarray:
        arr = np.frombuffer(data, dtype=np.uint8)
        p = p_net.astype(np.float64)
        for k, table in sorted(self.tables.items()):
            ctx32 = context_hashes(arr, k) >> np.uint64(32)
            p = _wb(p, *table.lookup(ctx32, arr))
        for k in CACHE_ORDERS:
            p = _wb(p, *cache_counts(arr, k))
        return p

    def next_logp(self, left: bytes, net_logp_V: np.ndarray) -> np.ndarray:
        """Mixed log-probs of all 256 next bytes after `left` (for infill decoding)."""
        arr = np.frombuffer(left, dtype=np.uint8)
        ext = np.append(arr, np.uint8(0))
        byte_V = np.arange(256, dtype=np.uint8)
        p_net = np.exp(net_logp_V.astype(np.float64))
        p = p_net.copy()
        for k, table in sorted(self.tables.items()):
            ctx32 = context_hashes(ext[-(k + 1) :] if ext.size > k else ext, k)[-1] >> np.uint64(32)
            p = _wb(p, *table.lookup(np.full(256, ctx32, np.uint64), byte_V))
        for k in CACHE_ORDERS:
            h = context_hashes(ext, k)
            followers = arr[h[:-1] == h[-1]]
            if followers.size:
                c = np.bincount(followers, minlength=256).astype(np.float64)
                p = _wb(p, c, np.full(256, float(followers.size)), np.full(256, float(np.count_nonzero(c))))
        p = self.w * p_net + (1 - self.w) * p
        return np.log(np.maximum(p / p.sum(), 1e-12))

    def logp(self, data: bytes, net_logp: np.ndarray) -> np.ndarray:
        p_net = np.exp(net_logp.astype(np.float64))
        p = self.w * p_net + (1 - self.w) * self.chain(data, p_net)
        return np.log(np.maximum(p, 1e-12)).astype(np.float32)

    def save(self, path: Path) -> None:
        arrays: dict[str, np.ndarray] = {"w": np.array(self.w)}
        for k, t in self.tables.items():
            for f in ("ctx", "total", "n1", "kept", "nxt", "count"):
                arrays[f"{k}.{f}"] = getattr(t, f)
        np.savez_compressed(path, **arrays)

    @classmethod
    def load(cls, path: Path) -> CountModel:
        with np.load(path) as z:
            orders = sorted({int(k.split(".")[0]) for k in z.files if "." in k})
            tables = {
                k: Table(*(z[f"{k}.{f}"] for f in ("ctx", "total", "n1", "kept", "nxt", "count")))
                for k in orders
            }
            return cls(tables, float(z["w"]))


def build(stream: np.ndarray, orders: tuple[int, ...] = STATIC_ORDERS) -> CountModel:
    return CountModel({k: build_table(stream, k) for k in orders}, w=0.0)


def tune_weight(model: CountModel, samples: list[tuple[bytes, np.ndarray]]) -> float:
    """Pick the net weight that minimises bits on validation samples (data, net log-probs)."""
    best_w, best = 0.0, np.inf
    chains = [
        (np.exp(lp.astype(np.float64)), model.chain(d, np.exp(lp.astype(np.float64)))) for d, lp in samples
    ]
    for w in np.linspace(0.0, 0.9, 10):
        bits = sum(-np.log2(np.maximum(w * pn + (1 - w) * pc, 1e-12)).sum() for pn, pc in chains)
        if bits < best:
            best_w, best = float(w), bits
    model.w = best_w
    return best_w
