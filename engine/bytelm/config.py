"""The byte LM's configuration: one frozen dataclass with named presets, saved as JSON beside checkpoints.

`test` trains in seconds in CI, `small` is what ships (int8 4 MB; 5000 steps, 20 MB of bytes,
took 1 h 53 min on two shared CPU cores, resumable). `small` is sized by compute, not by the checkpoint
limit: an hour of two shared CPU cores is a few 1e13 FLOPs, and at that budget a compute-optimal
model has about a million non-embedding parameters, so d=128 x 4 layers sees ~4x more bytes than
d=256 would and ends lower; the hashed n-gram tables add capacity that costs lookups, not FLOPs.
`tiny` is the seed's ~120M-parameter size, built and run with int8 but not trained here. Loading a checkpoint rebuilds the model from its JSON, never from code defaults.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from pathlib import Path

from engine.bytelm.errors import BadCheckpoint


@dataclass(frozen=True, kw_only=True)
class ModelConfig:
    name: str
    vocab: int = 256
    d_model: int
    n_layers: int
    n_heads: int
    d_ff: int
    ctx: int
    ngram_orders: tuple[int, ...] = (2, 3, 4)
    ngram_buckets: int
    rope_base: float = 10000.0
    # training
    batch: int
    steps: int
    lr: float
    warmup: int
    weight_decay: float = 0.1
    clip: float = 1.0
    fim_rate: float = 0.5
    seed: int = 0

    @property
    def head_dim(self) -> int:
        return self.d_model // self.n_heads

    def to_json(self) -> str:
        return json.dumps(dataclasses.asdict(self), indent=2, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> ModelConfig:
        try:
            raw = json.loads(text)
            raw["ngram_orders"] = tuple(raw["ngram_orders"])
            return cls(**raw)
        except (ValueError, TypeError, KeyError) as e:
            raise BadCheckpoint(f"model config is unreadable: {e}") from e

    def save(self, path: Path) -> None:
        path.write_text(self.to_json() + "\n")

    @classmethod
    def load(cls, path: Path) -> ModelConfig:
        if not path.exists():
            raise BadCheckpoint(f"no config.json in {path.parent}")
        return cls.from_json(path.read_text())


def test() -> ModelConfig:
    return ModelConfig(
        name="test", d_model=32, n_layers=2, n_heads=2, d_ff=64, ctx=64, ngram_buckets=512,
        batch=8, steps=30, lr=3e-3, warmup=5,
    )  # fmt: skip


def small() -> ModelConfig:
    return ModelConfig(
        name="small", d_model=128, n_layers=4, n_heads=4, d_ff=512, ctx=256, ngram_buckets=8192,
        batch=16, steps=5000, lr=3e-3, warmup=50,
    )  # fmt: skip


def tiny() -> ModelConfig:
    return ModelConfig(
        name="tiny", d_model=768, n_layers=12, n_heads=12, d_ff=3072, ctx=1024, ngram_buckets=16384,
        batch=32, steps=100000, lr=6e-4, warmup=2000,
    )  # fmt: skip


PRESETS = {"test": test, "small": small, "tiny": tiny}


def preset(name: str) -> ModelConfig:
    if name not in PRESETS:
        raise BadCheckpoint(f"unknown preset {name!r}; choose one of {', '.join(PRESETS)}")
    return PRESETS[name]()
