"""Structs the byte LM hands across its edge: ledger rows, snapshot manifests, scores, metrics.

Arrays never cross the edge: scores are tuples of floats so the CLI and the engine need no JAX.
"""

from __future__ import annotations

from typing import Literal

import msgspec


class Base(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Common base: frozen, keyword-only, strict on decode."""


Decision = Literal["in", "out"]
Split = Literal["train", "valid", "heldout", "none"]


class LedgerRow(Base, frozen=True):
    """One source file of the corpus and what the snapshot decided about it, and why."""

    crate: str
    version: str
    path: str
    sha256: str
    bytes: int
    license: str
    decision: Decision
    reason: str
    split: Split = "none"


class SnapshotManifest(Base, kw_only=True, frozen=True):
    """What a snapshot holds; `ledger_sha256` ties a checkpoint to the exact data it saw."""

    version: int = 1
    registry: str
    ledger_sha256: str
    files_seen: int
    files_in: int
    train_files: int
    valid_files: int
    heldout_files: int
    train_bytes: int
    valid_bytes: int
    train_crates: tuple[str, ...]
    valid_crates: tuple[str, ...]
    out_reasons: dict[str, int]


class FileScore(Base, frozen=True):
    """Bits per byte of one file under the model; None for an empty file (0.0 would read as perfect)."""

    path: str
    bytes: int
    bpb: float | None


class LineScore(Base, frozen=True):
    """One line with its mean surprise in bits per byte, for hotspots."""

    line: int
    bpb: float
    text: str


class TrainMetrics(Base, kw_only=True, frozen=True):
    """Metrics written beside a checkpoint."""

    version: int = 1
    preset: str
    step: int
    tokens_seen: int
    train_loss_bpb: float
    valid_bpb: float
    valid_bpb_int8: float | None = None
    valid_bpb_mixed: float | None = None  # int8 net + count model, per validation file
    wall_s: float
    params: int
    ledger_sha256: str
