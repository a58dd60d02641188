"""File scores and hotspots: per-file bits per byte, and the lines the model finds most surprising.

A line's surprise is the mean bits per byte of its bytes (newline included), so long lines are not
favoured over short ones; blank lines and lines under 4 visible bytes are skipped, since a lone
brace says nothing about the code around it.
"""

from __future__ import annotations

import math

import numpy as np

from engine.bytelm.infer import LM
from engine.bytelm.types import FileScore, LineScore

MIN_LINE_BYTES = 4


def file_score(lm: LM, path: str, data: bytes) -> FileScore:
    return FileScore(path=path, bytes=len(data), bpb=lm.bpb(data) if data else None)


def line_bits(data: bytes, logp: np.ndarray) -> list[tuple[int, float, str]]:
    """(1-based line, mean bits per byte, text) for every line with enough visible bytes."""
    bits = -logp / math.log(2)
    out, start = [], 0
    for number, line in enumerate(data.split(b"\n"), start=1):
        end = min(start + len(line) + 1, len(data))
        if len(line.strip()) >= MIN_LINE_BYTES and end > start:
            out.append(
                (number, float(bits[start:end].mean()), line.decode("utf-8", "backslashreplace").rstrip())
            )
        start = end
    return out


def hotspots(lm: LM, data: bytes, n: int = 10) -> list[LineScore]:
    ranked = sorted(line_bits(data, lm.score(data)), key=lambda t: -t[1])[:n]
    return [LineScore(line=ln, bpb=b, text=text) for ln, b, text in ranked]
