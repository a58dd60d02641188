"""Repair gym on the removed multi-name `use` family: a `use a::{B, C}` or `use a::*;` item deleted.

One lost item breaks every name it bound; the fix a developer writes is the item itself, not one
line per name. No rule or head was fitted on this family's episodes (engine.gym.families,
USE_ITEM_OPERATORS), on the dev and held-out crates alike.
"""

from __future__ import annotations

from bench import bench_repair

PER_CRATE = 2  # as the held-out families split; RUSTA_GYM_PER_CRATE overrides


def run() -> dict:
    return bench_repair.run(split="use-items", per_crate_default=PER_CRATE)
