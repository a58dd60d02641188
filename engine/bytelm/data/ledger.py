"""The provenance ledger: one row per file seen, written as JSONL and CSV, hashed for checkpoints.

The ledger is the risk register for license contamination: every file the model could have seen
is listed with its crate, version, sha256, license and the decision with its reason. The hash of
the JSONL goes beside every checkpoint, so a model can be traced to the exact data it saw.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterable
from pathlib import Path

import msgspec

from engine.bytelm.types import LedgerRow

FIELDS = ("crate", "version", "path", "sha256", "bytes", "license", "decision", "reason", "split")
_encoder = msgspec.json.Encoder()
_decoder = msgspec.json.Decoder(LedgerRow)


def write_ledger(rows: Iterable[LedgerRow], out_dir: Path) -> str:
    """Write ledger.jsonl and ledger.csv into `out_dir`; return the sha256 of the JSONL."""
    rows = list(rows)
    jsonl = b"".join(_encoder.encode(r) + b"\n" for r in rows)
    (out_dir / "ledger.jsonl").write_bytes(jsonl)
    with open(out_dir / "ledger.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(FIELDS)
        for r in rows:
            writer.writerow([getattr(r, k) for k in FIELDS])
    return hashlib.sha256(jsonl).hexdigest()


def read_ledger(path: Path) -> list[LedgerRow]:
    return [_decoder.decode(line) for line in path.read_bytes().splitlines() if line.strip()]


def ledger_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
