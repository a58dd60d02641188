"""Repair gym on the held-out crates: the same kinds of mistakes on crates the templates never saw."""

from __future__ import annotations

from bench import bench_repair


def run() -> dict:
    return bench_repair.run(split="heldout")
