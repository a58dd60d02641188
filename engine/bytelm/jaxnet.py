"""The JAX side of inference: jitted full-window log-probs and KV-cache steps over flat weights.

`infer.LM` imports this module only when it first decodes (infill), so scoring never pays for
JAX; `target_logp` stays as the reference the numpy forward (npnet.py) is tested against.
Weights arrive as the flat (possibly int8) dict and are dequantized inside the traced function.
"""

from __future__ import annotations

import dataclasses
import functools
from typing import Any

import jax
import jax.numpy as jnp
from flax import nnx

from engine.bytelm import model as bytelm_model
from engine.bytelm import quant
from engine.bytelm.config import ModelConfig
from engine.bytelm.paths import jax_cache_dir


@dataclasses.dataclass(frozen=True)
class Spec:
    """What the jitted functions need statically to rebuild the model from a flat weight dict."""

    cfg: ModelConfig
    graphdef: Any
    template: Any  # (treedef, names) of the param state

    def __hash__(self) -> int:
        return hash((self.cfg, self.graphdef, self.template))


@functools.cache
def make_spec(cfg: ModelConfig) -> Spec:
    """Built once per config: tracing the abstract model costs about a second."""
    graphdef, state = nnx.split(bytelm_model.abstract(cfg), nnx.Param)
    paths, treedef = jax.tree_util.tree_flatten_with_path(state)
    names = tuple(
        jax.tree_util.keystr(p, simple=True, separator="/").removesuffix("/value") for p, _ in paths
    )
    return Spec(cfg=cfg, graphdef=graphdef, template=(treedef, names))


def use_compile_cache() -> None:
    """Persist compiled programs across processes (the first infill otherwise compiles for seconds)."""
    jax.config.update("jax_compilation_cache_dir", str(jax_cache_dir()))
    jax.config.update("jax_persistent_cache_min_compile_time_secs", 0.0)


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


def prefill(
    spec: Spec, weights: dict[str, jax.Array], tokens_BxL: jax.Array, prev_BxH: jax.Array, cache: Any
) -> tuple[jax.Array, Any]:
    """The whole padded context at once (one shape, one compile): logp_BxLxV and the filled cache."""
    logits_BxLxV, cache = _merge(spec, weights).extend(tokens_BxL, prev_BxH, jnp.int32(0), cache)
    return jax.nn.log_softmax(logits_BxLxV, axis=-1), cache


target_logp_jit = jax.jit(target_logp, static_argnums=0)
extend_jit = jax.jit(extend, static_argnums=0)
prefill_jit = jax.jit(prefill, static_argnums=0)
