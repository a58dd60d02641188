"""Repair gym on held-out mutation families: kinds of mistakes no repair rule was written against."""

from __future__ import annotations

from bench import bench_repair


def run() -> dict:
    return bench_repair.run(split="families")
