"""int8 weight-only quantization, per output channel, and the flat-dict form weights are shipped in.

Matrices (Linear kernels, D_in x D_out) get one float32 scale per output column; embedding tables
(rows x D) one scale per row, so a rare byte or bucket keeps its own range. Norm scales stay float.
Activations stay float32: on CPU the win is a 4x smaller checkpoint. Scoring (npnet.py) dequantizes
once at load; the JAX decoder dequantizes inside its jitted forward. JAX and Flax are imported only
by the functions that take JAX state, so reading and dequantizing a checkpoint never loads them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import jax
    from flax import nnx

Q8 = ".q8"
SCALE = ".scale"


def flat_params(model_or_state: nnx.Module | nnx.State) -> dict[str, np.ndarray | jax.Array]:
    """name -> array, names like `blocks/0/attn/qkv/kernel`; the order is the pytree's."""
    import jax
    from flax import nnx

    state = model_or_state if isinstance(model_or_state, nnx.State) else nnx.state(model_or_state, nnx.Param)
    out = {}
    for path, leaf in jax.tree_util.tree_flatten_with_path(state)[0]:
        out[jax.tree_util.keystr(path, simple=True, separator="/").removesuffix("/value")] = leaf
    return out


def state_from_flat(template: nnx.State, flat: Mapping[str, jax.Array | np.ndarray]) -> nnx.State:
    """Rebuild an nnx.State shaped like `template` from a flat dict (works under jit)."""
    import jax

    paths, treedef = jax.tree_util.tree_flatten_with_path(template)
    names = [jax.tree_util.keystr(p, simple=True, separator="/").removesuffix("/value") for p, _ in paths]
    return jax.tree_util.tree_unflatten(treedef, [flat[n] for n in names])


def _axis(name: str) -> int:
    """The axis reduced to get one scale per channel."""
    return 1 if name.endswith("embedding") else 0


def quantize(flat: Mapping[str, np.ndarray | jax.Array]) -> dict[str, np.ndarray]:
    """Float flat dict -> int8 `name.q8` + float32 `name.scale` for matrices, float32 for the rest."""
    out: dict[str, np.ndarray] = {}
    for name, value in flat.items():
        w = np.asarray(value, dtype=np.float32)
        if w.ndim != 2:
            out[name] = w
            continue
        amax = np.max(np.abs(w), axis=_axis(name), keepdims=True)
        scale = np.where(amax > 0, amax / 127.0, 1.0).astype(np.float32)
        out[name + Q8] = np.clip(np.rint(w / scale), -127, 127).astype(np.int8)
        out[name + SCALE] = scale
    return out


def dequantize(qflat: Mapping[str, Any]) -> dict[str, Any]:
    """Inverse of `quantize` (up to rounding); float entries pass through. Array-agnostic: numpy in,
    numpy out; JAX arrays or tracers in (under jit), JAX out."""
    out: dict[str, Any] = {}
    for name, value in qflat.items():
        if name.endswith(Q8):
            base = name.removesuffix(Q8)
            out[base] = value.astype(np.float32) * qflat[base + SCALE]
        elif not name.endswith(SCALE):
            out[name] = value
    return out


def is_quantized(qflat: Mapping[str, object]) -> bool:
    return any(k.endswith(Q8) for k in qflat)


def nbytes(flat: Mapping[str, np.ndarray | jax.Array]) -> int:
    return int(sum(np.asarray(v).nbytes for v in flat.values()))
