"""Generate repair episodes: one real mistake injected into one real crate, kept only if it fails.

Deterministic from a seed: the same crates, seed and count give the same episodes. Sites are drawn
round-robin over mutation kinds so no single kind dominates the set.
"""

from __future__ import annotations

import random
from collections import defaultdict
from pathlib import Path

import msgspec

from engine.gym.mutate import TEST_CODE_KINDS, Mutation, Operators, apply, sites
from engine.repair.workspace import write_fresh
from toolbelt.cargo_run import run_check


class Episode(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    crate: str
    mutation: Mutation
    codes: tuple[str, ...]  # the error codes the mutation produced
    # an edit made before the mistake and committed as the crate's HEAD (gym.failing_suite: one test
    # that already fails); None: the crate's suite passed before the mistake
    pre: Mutation | None = None


def _lib_files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in (root / "src").rglob("*.rs") if p.is_file())


def _interleave(groups: dict[str, list[Mutation]], rng: random.Random) -> list[Mutation]:
    for g in groups.values():
        rng.shuffle(g)
    kinds = sorted(groups)
    rng.shuffle(kinds)
    out: list[Mutation] = []
    while any(groups.values()):
        for k in kinds:
            if groups[k]:
                out.append(groups[k].pop())
    return out


def generate(
    crate: str, root: Path, *, seed: int, count: int, max_tries: int = 60, operators: Operators | None = None
) -> list[Episode]:
    """Try sites in `root` (a prepared, passing crate) until `count` of them fail `cargo check` (with
    the test build for a mistake in test code).

    The crate is restored after every try, whatever happens.
    """
    rng = random.Random(f"{seed}:{crate}")
    groups: dict[str, list[Mutation]] = defaultdict(list)
    for rel in _lib_files(root):
        text = (root / rel).read_bytes().decode("utf-8", "replace")
        for m in sites(rel, text, operators):
            groups[m.kind].append(m)
    episodes: list[Episode] = []
    tried = 0
    per_kind: dict[str, int] = defaultdict(int)
    cap = max(1, (count + 2) // 3)  # no kind more than about a third of one crate's episodes
    for m in _interleave(groups, rng):
        if len(episodes) >= count or tried >= max_tries:
            break
        if per_kind[m.kind] >= cap:
            continue
        path = root / m.file
        original = path.read_bytes()
        tried += 1
        try:
            write_fresh(path, apply(original, m))
            # a mistake in test code breaks only the test build
            report = run_check(root, all_targets=m.kind in TEST_CODE_KINDS)
        finally:
            write_fresh(path, original)
        codes = tuple(sorted({d.code_str or "" for d in report.diagnostics if d.level == "error"}))
        if report.status == "diagnostics" and codes:
            per_kind[m.kind] += 1
            episodes.append(
                Episode(id=f"{crate}:{m.file}:{m.line}:{m.kind}", crate=crate, mutation=m, codes=codes)
            )
    return episodes
