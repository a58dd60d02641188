"""Count-based byte statistics mixed with the net: corpus n-grams, an in-file cache, a learned gate.

Why: on two shared CPU cores the net sees a few tens of millions of bytes of training, while
counting the whole 36 MB corpus at nine orders takes a minute. Counts carry what the net has not
learned yet, and the in-file cache carries what no static model can: this file's own identifiers,
which is most of what xz exploits.

Every order is one stage of a Witten-Bell chain on top of the net,
p_k(b) = (c_k(ctx, b) + n1_k(ctx) * p_prev(b)) / (c_k(ctx) + n1_k(ctx)), n1 being the number of
distinct bytes seen after ctx: corpus orders first, then the in-file cache. Witten-Bell alone
over-trusts its counts, so the stages are not simply chained to the end: a gate mixes all of them,
p = sum_s w_s(ctx) p_s, with w = softmax(F(ctx) @ G). F holds, per order, whether the context was
seen, how often, how many distinct bytes followed it and how dominant the top one was, and G is fit
on validation files (`engine.bytelm.gatefit`). Nothing in F depends on the byte being scored, so
the mixture is a proper distribution up to pruned counts. Measured on validation files, per-file
bits per byte, with the same weak (180-step) net: a fixed 0.1/0.9 net/chain mix over orders 1,3,6
(cache 3,6,12) 1.22; the gate over the same orders 1.16; over orders 1..24 and cache 2..32 1.01
with 45 MB of tables; the orders below, pruned harder and stored as uint8 log codes, 1.03 in 23 MB
(the checkpoint must stay under 30 MB). A hidden layer in the gate, or the net's entropy as a
feature, gained under 0.004. With the shipped 5000-step net the gated mix reads 0.90.

Everything is vectorised numpy over whole files (no JAX on this path: cold start matters); only
the probability of the byte that occurs is needed for scoring, and `next_logp` gives all 256 for
infill decoding.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

STATIC_ORDERS = (1, 2, 3, 4, 6, 8, 12, 24)
CACHE_ORDERS = (2, 3, 4, 6, 8, 12, 16, 24, 32)
MAX_COUNT = 65535  # totals above this are scaled down per context, keeping the ratios
FORMAT = 2
GATE = "gate.json"
_M2 = np.uint64(0xBF58476D1CE4E5B9)


def min_count(k: int) -> int:
    """Pairs seen fewer times are dropped (mostly noise, and most of the size)."""
    return 1 if k <= 2 else 2 if k <= 4 else 3 if k <= 6 else 4 if k <= 12 else 6


_EXACT, _STEP = 32, 1.08  # counts below 32 are exact, above they are stored to within 4%


def encode_count(x: np.ndarray) -> np.ndarray:
    """uint8 code of a count up to MAX_COUNT: a ratio of two codes keeps its value within ~8%."""
    x = np.maximum(np.asarray(x, np.float64), 1e-9)
    code = np.where(x < _EXACT, np.round(x), _EXACT + np.round(np.log(x / _EXACT) / np.log(_STEP)))
    return code.astype(np.uint8)


def decode_count(code: np.ndarray) -> np.ndarray:
    c = code.astype(np.float32)
    return np.where(c < _EXACT, c, _EXACT * np.float32(_STEP) ** (c - _EXACT)).astype(np.float32)


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


def ctx32(stream: np.ndarray, k: int) -> np.ndarray:
    return (context_hashes(stream, k) >> np.uint64(32)).astype(np.uint32)


@dataclass
class Table:
    """One corpus order: sorted 32-bit context keys with their totals, and (next byte, count) pairs
    grouped by context in key order, bytes ascending within a context."""

    ctx: np.ndarray  # uint32 sorted
    total: np.ndarray  # float32 per ctx (scaled down past MAX_COUNT), before pruning
    n1: np.ndarray  # uint8 per ctx: distinct next bytes before pruning (saturating at 255)
    kept: np.ndarray  # uint8 per ctx: pairs surviving pruning, minus one (1..256 fits)
    nxt: np.ndarray  # uint8 per pair
    count: np.ndarray  # float32 per pair (stored as `encode_count` codes)
    maxc: np.ndarray = field(init=False)  # the top count per ctx (a gate feature)
    pair: np.ndarray = field(init=False)  # (ctx index << 8 | byte), ascending: the pair search key

    def __post_init__(self) -> None:
        sizes = self.kept.astype(np.int64) + 1
        starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
        self.maxc = np.maximum.reduceat(self.count, starts) if self.count.size else self.count
        idx = np.repeat(np.arange(self.ctx.size, dtype=np.uint64), sizes)
        self.pair = (idx << np.uint64(8)) | self.nxt.astype(np.uint64)

    def find(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(index, hit) of each context key."""
        i = np.minimum(np.searchsorted(self.ctx, keys), max(self.ctx.size - 1, 0))
        return i, self.ctx[i] == keys

    def stats(self, i: np.ndarray, hit: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(total, n1, top count) per query context; zeros where unseen."""
        total, n1, top = (np.where(hit, a[i], 0).astype(np.float64) for a in (self.total, self.n1, self.maxc))
        return total, n1, top

    def pair_count(self, i: np.ndarray, hit: np.ndarray, nxt: np.ndarray) -> np.ndarray:
        key = (i.astype(np.uint64) << np.uint64(8)) | nxt.astype(np.uint64)
        j = np.minimum(np.searchsorted(self.pair, key), self.pair.size - 1)
        return np.where(hit & (self.pair[j] == key), self.count[j], 0).astype(np.float64)

    def query(self, keys: np.ndarray, nxt: np.ndarray) -> tuple[np.ndarray, ...]:
        """(pair count, total, n1, top count) per position. The queries are searched in key order:
        numpy's binary search starts from the previous hit when keys ascend, which on a file's
        worth of queries against millions of keys is about twice as fast as searching in file order."""
        order = np.argsort(keys, kind="stable")
        i, hit = self.find(keys[order])
        out = (self.pair_count(i, hit, nxt[order]), *self.stats(i, hit))
        inv = np.empty_like(order)
        inv[order] = np.arange(order.size)
        return tuple(a[inv] for a in out)

    def arrays(self) -> dict[str, np.ndarray]:
        # keys as gaps: sorted hashes compress to about half as gaps
        return {"ctx_gap": np.diff(self.ctx, prepend=np.uint32(0)), "total": encode_count(self.total),
                "n1": self.n1, "kept": self.kept, "nxt": self.nxt, "count": encode_count(self.count)}  # fmt: skip

    @classmethod
    def from_arrays(cls, a: dict[str, np.ndarray]) -> Table:
        ctx = np.cumsum(a["ctx_gap"], dtype=np.uint32)
        return cls(ctx, decode_count(a["total"]), a["n1"], a["kept"], a["nxt"], decode_count(a["count"]))


def build_table(stream: np.ndarray, k: int) -> Table:
    keys = ctx32(stream, k).astype(np.uint64)
    pairs, counts = np.unique((keys << np.uint64(8)) | stream.astype(np.uint64), return_counts=True)
    pctx = (pairs >> np.uint64(8)).astype(np.uint32)
    starts = np.flatnonzero(np.r_[True, pctx[1:] != pctx[:-1]])
    total = np.add.reduceat(counts, starts)
    scale = np.maximum(total / MAX_COUNT, 1.0)  # per ctx, >= 1
    pair_scale = np.repeat(scale, np.diff(np.r_[starts, pctx.size]))
    counts_s = np.maximum(np.round(counts / pair_scale), 1).astype(np.int64)
    total_s = np.minimum(np.round(total / scale), MAX_COUNT).astype(np.uint16)
    n1 = np.minimum(np.diff(np.r_[starts, pctx.size]), 255).astype(np.uint8)
    keep = counts >= min_count(k)
    kept = np.add.reduceat(keep.astype(np.int64), starts)
    live = kept > 0
    return Table(pctx[starts][live], decode_count(encode_count(total_s[live])), n1[live],
                 (kept[live] - 1).astype(np.uint8), (pairs[keep] & np.uint64(0xFF)).astype(np.uint8),
                 decode_count(encode_count(np.minimum(counts_s[keep], MAX_COUNT))))  # fmt: skip


def cache_counts(data: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each position t: (earlier count of (ctx, byte), earlier count of ctx, earlier distinct bytes after ctx)."""
    n = data.size
    h = context_hashes(data, k)
    order = np.argsort(h, kind="stable")  # ties keep file order
    hs = h[order]
    gstart = np.r_[True, hs[1:] != hs[:-1]]
    gidx = np.maximum.accumulate(np.where(gstart, np.arange(n), 0))
    c_ctx = np.empty(n, np.float64)
    c_ctx[order] = np.arange(n) - gidx
    pair = _mix(h ^ data.astype(np.uint64))
    porder = np.argsort(pair, kind="stable")
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
    c = np.minimum(c, total)  # stored counts are rounded apart: never let one exceed its total
    return np.where(total > 0, (c + n1 * p) / np.maximum(total + n1, 1e-9), p)


def features(
    pos: np.ndarray,
    static: list[tuple[np.ndarray, np.ndarray, np.ndarray]],
    cache: list[tuple[np.ndarray, np.ndarray]],
) -> np.ndarray:
    """The gate's inputs, F_nxf: bias, position, then per corpus order (seen, log total, escape
    share, top share) and per cache order (seen, log total, escape share). Context only."""
    cols = [np.ones_like(pos), np.log1p(pos) / 10]
    for tot, n1, top in static:
        cols += [(tot > 0) * 1.0, np.log1p(tot) / 10, n1 / (tot + n1 + 1e-9), top / (tot + 1e-9)]
    for tot, n1 in cache:
        cols += [(tot > 0) * 1.0, np.log1p(tot) / 5, n1 / (tot + n1 + 1e-9)]
    return np.stack(cols, -1)


def n_features(n_static: int, n_cache: int) -> int:
    return 2 + 4 * n_static + 3 * n_cache


def gate_weights(F: np.ndarray, G: np.ndarray) -> np.ndarray:
    z = F @ G
    z -= z.max(-1, keepdims=True)
    w = np.exp(z)
    return w / w.sum(-1, keepdims=True)


class CountModel:
    """The corpus tables, the cache orders and the gate G (features x stages: net, then each order)."""

    def __init__(
        self, tables: dict[int, Table], cache_orders: tuple[int, ...], gate: np.ndarray | None
    ) -> None:
        self.tables = dict(sorted(tables.items()))
        self.cache_orders = tuple(cache_orders)
        n_stages = 1 + len(self.tables) + len(self.cache_orders)
        if gate is None:  # before fitting: trust the end of the chain
            gate = np.zeros((n_features(len(self.tables), len(self.cache_orders)), n_stages))
            gate[0, -1] = 4.0
        self.gate = gate

    def experts(self, data: bytes, net_logp: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(P_nxS: every stage's probability of the byte that occurs, F_nxf: the gate's features)."""
        arr = np.frombuffer(data, dtype=np.uint8)
        p = np.exp(net_logp.astype(np.float64))
        stages, static, cache = [p], [], []
        for k, table in self.tables.items():
            c, tot, n1, top = table.query(ctx32(arr, k), arr)
            p = _wb(p, c, tot, n1)
            stages.append(p)
            static.append((tot, n1, top))
        for k in self.cache_orders:
            c, tot, n1 = cache_counts(arr, k)
            p = _wb(p, c, tot, n1)
            stages.append(p)
            cache.append((tot, n1))
        return np.stack(stages, -1), features(np.arange(arr.size, dtype=np.float64), static, cache)

    def logp(self, data: bytes, net_logp: np.ndarray) -> np.ndarray:
        P, F = self.experts(data, net_logp)
        p = (gate_weights(F, self.gate) * P).sum(-1)
        return np.log(np.clip(p, 1e-12, 1.0)).astype(np.float32)  # a sum of weights can round past 1

    def next_logp(self, left: bytes, net_logp_V: np.ndarray) -> np.ndarray:
        """Mixed log-probs of all 256 next bytes after `left` (for infill decoding)."""
        arr = np.frombuffer(left, dtype=np.uint8)
        ext = np.append(arr, np.uint8(0))
        byte_V = np.arange(256, dtype=np.uint8)
        p = np.exp(net_logp_V.astype(np.float64))
        stages, static, cache = [p], [], []
        for k, table in self.tables.items():
            key = ctx32(ext[-(k + 1) :], k)[-1:]
            i, hit = table.find(key)
            tot, n1, top = table.stats(i, hit)
            c = table.pair_count(np.repeat(i, 256), np.repeat(hit, 256), byte_V)
            p = _wb(p, c, tot, n1)
            stages.append(p)
            static.append((tot, n1, top))
        for k in self.cache_orders:
            h = context_hashes(ext, k)
            followers = arr[h[:-1] == h[-1]]
            c = np.bincount(followers, minlength=256).astype(np.float64)
            tot, n1 = np.array([float(followers.size)]), np.array([float(np.count_nonzero(c))])
            p = _wb(p, c, tot, n1)
            stages.append(p)
            cache.append((tot, n1))
        w = gate_weights(features(np.array([float(arr.size)]), static, cache), self.gate)[0]
        mixed = np.stack(stages, -1) @ w
        return np.log(np.maximum(mixed / mixed.sum(), 1e-12))

    def save(self, path: Path) -> None:
        """The corpus tables to `path` (npz); the gate to gate.json beside it. The tables depend only
        on the corpus and the gate on the net too, so a retrained net changes only the small file."""
        arrays: dict[str, Any] = {"format": np.array(FORMAT)}  # Any: numpy's savez stubs, as in checkpoint
        for k, t in self.tables.items():
            arrays.update({f"{k}.{name}": a for name, a in t.arrays().items()})
        np.savez_compressed(path, **arrays)
        gate = {
            "format": FORMAT,
            "cache_orders": list(self.cache_orders),
            "gate": self.gate.round(6).tolist(),
        }
        path.with_name(GATE).write_text(json.dumps(gate) + "\n")

    @classmethod
    def load(cls, path: Path) -> CountModel:
        try:
            gate = json.loads(path.with_name(GATE).read_text())
        except (OSError, ValueError) as e:
            raise ValueError(
                f"the count model's {GATE} is missing or unreadable; rebuild it with `make model`"
            ) from e
        with np.load(path) as z:
            if "format" not in z.files or int(z["format"]) != FORMAT or gate.get("format") != FORMAT:
                raise ValueError(f"{path.name} is an older count-model format; rebuild it with `make model`")
            orders = sorted({int(k.split(".")[0]) for k in z.files if "." in k})
            tables = {
                k: Table.from_arrays({f.split(".", 1)[1]: z[f] for f in z.files if f.startswith(f"{k}.")})
                for k in orders
            }
        return cls(tables, tuple(gate["cache_orders"]), np.array(gate["gate"], np.float64))


def build(
    stream: np.ndarray,
    orders: tuple[int, ...] = STATIC_ORDERS,
    cache_orders: tuple[int, ...] = CACHE_ORDERS,
) -> CountModel:
    return CountModel({k: build_table(stream, k) for k in orders}, cache_orders, None)
