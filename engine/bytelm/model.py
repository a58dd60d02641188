"""The byte transformer: byte + hashed n-gram embeddings, RoPE, pre-norm causal blocks, an LM head.

Why this design at this size. A byte model pays for having no tokenizer with short effective
context and with having to rebuild words from bytes in its first layers. At a few million
parameters on two CPU cores, the cheapest fix is BLT's hashed n-gram embeddings (Pagnoni et al.
2024): the last 2, 3 and 4 bytes are hashed into bucket tables whose rows are summed into the byte
embedding, so the first layer already sees "fn ", "let ", "impl" as units. This buys capacity with
lookups, not FLOPs, and keeps the model a plain per-byte transformer, which keeps scoring, KV-cache
infill and int8 quantization simple.
- MegaByte (Yu et al. 2023) and BLT's entropy patching win when sequences are long and the global
  model is large; at ctx 256 and 4 layers the patch machinery costs more than it saves, and infill
  would have to decode patch by patch.
- MambaByte (Wang et al. 2024) needs a selective-scan kernel; on CPU in XLA it is a sequential scan
  that trains far slower per byte than attention at this context, for gains shown at 350M+.
- SpaceByte (Slagle 2024) puts global blocks at space-like boundaries; Rust code is dense in
  punctuation, and its gains over a byte transformer are reported at FLOP-matched larger scales.
Array names carry shape suffixes: B batch, L length, T cache length, D model, H heads, K head dim,
V vocabulary (256).
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
from flax import nnx

from engine.bytelm.config import ModelConfig

# Odd 32-bit multipliers per (order, lag): a cheap multiplicative hash of the last bytes.
_HASH_MUL = (0x9E3779B1, 0x85EBCA77, 0xC2B2AE3D, 0x27D4EB2F, 0x165667B1, 0xD3A2646C, 0xFD7046C5)
HISTORY = 3  # bytes of left context the n-gram hash needs beyond the current one (max order - 1)


def ngram_ids(tokens_BxL: jax.Array, prev_BxH: jax.Array, order: int, buckets: int) -> jax.Array:
    """Bucket ids of the n-gram ending at each position; bytes before the start come from `prev`."""
    full = jnp.concatenate([prev_BxH, tokens_BxL], axis=1).astype(jnp.uint32)
    length = tokens_BxL.shape[1]
    h = jnp.full(tokens_BxL.shape, order * 0x01000193, dtype=jnp.uint32)
    for lag in range(order):
        start = HISTORY - lag
        h = (h ^ full[:, start : start + length]) * jnp.uint32(_HASH_MUL[(order + lag) % len(_HASH_MUL)])
        h = h ^ (h >> 15)
    return (h % jnp.uint32(buckets)).astype(jnp.int32)


def rope(x_BxLxHxK: jax.Array, pos_L: jax.Array, base: float) -> jax.Array:
    k = x_BxLxHxK.shape[-1]
    freq_K2 = base ** (-jnp.arange(0, k, 2, dtype=jnp.float32) / k)
    ang_Lx1xK2 = (pos_L.astype(jnp.float32)[:, None] * freq_K2[None, :])[:, None, :]
    sin, cos = jnp.sin(ang_Lx1xK2), jnp.cos(ang_Lx1xK2)
    x1, x2 = x_BxLxHxK[..., ::2], x_BxLxHxK[..., 1::2]
    out = jnp.stack([x1 * cos - x2 * sin, x1 * sin + x2 * cos], axis=-1)
    return out.reshape(x_BxLxHxK.shape)


def _dense(din: int, dout: int, rngs: nnx.Rngs, std: float = 0.02) -> nnx.Linear:
    init = nnx.initializers.normal(std)
    return nnx.Linear(din, dout, use_bias=False, kernel_init=init, rngs=rngs)


class Attention(nnx.Module):
    def __init__(self, cfg: ModelConfig, rngs: nnx.Rngs) -> None:
        self.cfg = cfg
        self.qkv = _dense(cfg.d_model, 3 * cfg.d_model, rngs)
        self.out = _dense(cfg.d_model, cfg.d_model, rngs, std=0.02 / (2 * cfg.n_layers) ** 0.5)

    def __call__(
        self, x_BxLxD: jax.Array, pos_L: jax.Array, kv: tuple[jax.Array, jax.Array] | None
    ) -> tuple[jax.Array, tuple[jax.Array, jax.Array]]:
        """Without `kv`: causal attention over L. With `kv` (cache B x T x H x K): write L new
        entries at pos_L and attend to every cached position <= the query's position."""
        cfg = self.cfg
        b, length, _ = x_BxLxD.shape
        qkv = self.qkv(x_BxLxD).reshape(b, length, 3, cfg.n_heads, cfg.head_dim)
        q_BxLxHxK = rope(qkv[:, :, 0], pos_L, cfg.rope_base)
        k_BxLxHxK = rope(qkv[:, :, 1], pos_L, cfg.rope_base)
        v_BxLxHxK = qkv[:, :, 2]
        if kv is None:
            keys, values, key_pos_T = k_BxLxHxK, v_BxLxHxK, pos_L
        else:
            keys = jax.lax.dynamic_update_slice(kv[0], k_BxLxHxK, (0, pos_L[0], 0, 0))
            values = jax.lax.dynamic_update_slice(kv[1], v_BxLxHxK, (0, pos_L[0], 0, 0))
            key_pos_T = jnp.arange(keys.shape[1])
        mask_LxT = key_pos_T[None, :] <= pos_L[:, None]
        y_BxLxHxK = jax.nn.dot_product_attention(q_BxLxHxK, keys, values, mask=mask_LxT[None, None])
        return self.out(y_BxLxHxK.reshape(b, length, cfg.d_model)), (keys, values)


class Block(nnx.Module):
    def __init__(self, cfg: ModelConfig, rngs: nnx.Rngs) -> None:
        self.norm1 = nnx.RMSNorm(cfg.d_model, rngs=rngs)
        self.attn = Attention(cfg, rngs)
        self.norm2 = nnx.RMSNorm(cfg.d_model, rngs=rngs)
        self.up = _dense(cfg.d_model, cfg.d_ff, rngs)
        self.down = _dense(cfg.d_ff, cfg.d_model, rngs, std=0.02 / (2 * cfg.n_layers) ** 0.5)

    def __call__(
        self, x_BxLxD: jax.Array, pos_L: jax.Array, kv: tuple[jax.Array, jax.Array] | None
    ) -> tuple[jax.Array, tuple[jax.Array, jax.Array]]:
        a, kv = self.attn(self.norm1(x_BxLxD), pos_L, kv)
        x_BxLxD = x_BxLxD + a
        x_BxLxD = x_BxLxD + self.down(jax.nn.gelu(self.up(self.norm2(x_BxLxD))))
        return x_BxLxD, kv


class ByteLM(nnx.Module):
    def __init__(self, cfg: ModelConfig, rngs: nnx.Rngs) -> None:
        self.cfg = cfg
        init = nnx.initializers.normal(0.02)
        self.embed = nnx.Embed(cfg.vocab, cfg.d_model, embedding_init=init, rngs=rngs)
        self.ngrams = nnx.List(
            [
                nnx.Embed(cfg.ngram_buckets, cfg.d_model, embedding_init=init, rngs=rngs)
                for _ in cfg.ngram_orders
            ]
        )
        self.blocks = nnx.List([Block(cfg, rngs) for _ in range(cfg.n_layers)])
        self.norm = nnx.RMSNorm(cfg.d_model, rngs=rngs)
        self.head = _dense(cfg.d_model, cfg.vocab, rngs)

    def embed_bytes(self, tokens_BxL: jax.Array, prev_BxH: jax.Array) -> jax.Array:
        x_BxLxD = self.embed(tokens_BxL)
        for order, table in zip(self.cfg.ngram_orders, self.ngrams, strict=True):
            x_BxLxD = x_BxLxD + table(ngram_ids(tokens_BxL, prev_BxH, order, self.cfg.ngram_buckets))
        return x_BxLxD

    def __call__(self, tokens_BxL: jax.Array) -> jax.Array:
        """Logits_BxLxV: position t predicts byte t+1. The window starts cold (history = DOC_SEP)."""
        prev_BxH = jnp.zeros((tokens_BxL.shape[0], HISTORY), tokens_BxL.dtype)
        pos_L = jnp.arange(tokens_BxL.shape[1])
        x_BxLxD = self.embed_bytes(tokens_BxL, prev_BxH)
        for block in self.blocks:
            x_BxLxD, _ = block(x_BxLxD, pos_L, None)
        return self.head(self.norm(x_BxLxD))

    def extend(
        self,
        tokens_BxL: jax.Array,
        prev_BxH: jax.Array,
        start: jax.Array,
        cache: list[tuple[jax.Array, jax.Array]],
    ) -> tuple[jax.Array, list[tuple[jax.Array, jax.Array]]]:
        """KV-cache step: feed L bytes at positions start.. (prefill or one decoded byte)."""
        pos_L = start + jnp.arange(tokens_BxL.shape[1])
        x_BxLxD = self.embed_bytes(tokens_BxL, prev_BxH)
        new_cache = []
        for block, kv in zip(self.blocks, cache, strict=True):
            x_BxLxD, kv = block(x_BxLxD, pos_L, kv)
            new_cache.append(kv)
        return self.head(self.norm(x_BxLxD)), new_cache


def empty_cache(cfg: ModelConfig, batch: int) -> list[tuple[jax.Array, jax.Array]]:
    shape = (batch, cfg.ctx, cfg.n_heads, cfg.head_dim)
    return [(jnp.zeros(shape, jnp.float32), jnp.zeros(shape, jnp.float32)) for _ in range(cfg.n_layers)]


def build(cfg: ModelConfig, seed: int = 0) -> ByteLM:
    return ByteLM(cfg, nnx.Rngs(seed))


def abstract(cfg: ModelConfig) -> ByteLM:
    """The model's shapes without allocating weights: the target orbax restores into."""
    return nnx.eval_shape(lambda: ByteLM(cfg, nnx.Rngs(0)))


def count_params(model: ByteLM) -> int:
    return sum(x.size for x in jax.tree.leaves(nnx.state(model, nnx.Param)))
