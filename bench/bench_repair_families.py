"""Repair gym on held-out mutation families: kinds of mistakes no repair rule was written against."""

from __future__ import annotations

from bench import bench_repair

PER_CRATE = 2  # the split as first measured (25 episodes on 19 crates); RUSTA_GYM_PER_CRATE overrides


def run() -> dict:
    return bench_repair.run(split="families", per_crate_default=PER_CRATE)
