"""Exact and near-duplicate detection: sha256, then MinHash over byte 5-grams with LSH banding.

Registries hold many versions of one crate (syn 1 and syn 2, vendored copies, generated tables);
training on near-copies wastes steps and leaks validation into training. MinHash on whitespace-
normalized byte 5-grams catches edits and reformatting; LSH keeps it linear in the corpus size.
"""

from __future__ import annotations

import hashlib
import re

import numpy as np

NUM_PERM = 64
BANDS = 16  # 16 bands x 4 rows: candidate pairs from Jaccard ~0.5 up; confirmed at THRESHOLD
ROWS = NUM_PERM // BANDS
THRESHOLD = 0.85
SHINGLE = 5
_rng = np.random.default_rng(20260101)
_A = _rng.integers(1, 1 << 63, size=NUM_PERM, dtype=np.uint64) | np.uint64(1)  # odd multipliers
_B = _rng.integers(0, 1 << 63, size=NUM_PERM, dtype=np.uint64)
_WS = re.compile(rb"\s+")


def normalize(data: bytes) -> bytes:
    """Collapse whitespace runs so reindented copies hash alike."""
    return _WS.sub(b" ", data).strip()


def minhash(data: bytes) -> np.ndarray:
    """A NUM_PERM signature of the set of 5-grams of `normalize(data)`."""
    norm = np.frombuffer(normalize(data), dtype=np.uint8).astype(np.uint64)
    if norm.size < SHINGLE:
        norm = np.pad(norm, (0, SHINGLE - norm.size))
    grams = np.zeros(norm.size - SHINGLE + 1, dtype=np.uint64)
    for k in range(SHINGLE):
        grams = grams * np.uint64(257) + norm[k : norm.size - SHINGLE + 1 + k]
    grams = np.unique(grams)
    # Multiply-shift hashing (Dietzfelbinger): (a*x + b) mod 2^64, high 32 bits; uint64 wraps.
    hashed = (grams[None, :] * _A[:, None] + _B[:, None]) >> np.uint64(32)
    return hashed.min(axis=1)


class Deduper:
    """Remembers what was kept; `check` says whether a new file duplicates something kept."""

    def __init__(self) -> None:
        self.exact: dict[str, str] = {}
        self.signatures: list[np.ndarray] = []
        self.labels: list[str] = []
        self.buckets: dict[tuple[int, bytes], list[int]] = {}

    def check(self, data: bytes, sha256: str) -> str | None:
        """None when new, else the reason it is a duplicate (naming what it duplicates)."""
        if sha256 in self.exact:
            return f"exact duplicate of {self.exact[sha256]}"
        norm_sha = hashlib.sha256(normalize(data)).hexdigest()
        if norm_sha in self.exact:
            return f"whitespace duplicate of {self.exact[norm_sha]}"
        sig = minhash(data)
        seen: set[int] = set()
        for band in range(BANDS):
            key = (band, sig[band * ROWS : (band + 1) * ROWS].tobytes())
            for idx in self.buckets.get(key, ()):
                if idx in seen:
                    continue
                seen.add(idx)
                if float(np.mean(self.signatures[idx] == sig)) >= THRESHOLD:
                    return f"near duplicate of {self.labels[idx]}"
        return None

    def add(self, data: bytes, sha256: str, label: str) -> None:
        self.exact[sha256] = label
        self.exact[hashlib.sha256(normalize(data)).hexdigest()] = label
        sig = minhash(data)
        idx = len(self.signatures)
        self.signatures.append(sig)
        self.labels.append(label)
        for band in range(BANDS):
            key = (band, sig[band * ROWS : (band + 1) * ROWS].tobytes())
            self.buckets.setdefault(key, []).append(idx)
