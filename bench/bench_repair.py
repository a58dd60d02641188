"""Repair gym bench: Rusta vs do-nothing, cargo fix, clippy --fix and naive suggestion-following.

Episodes: one realistic mistake injected into a real Debian crate (never one of the held-out crates),
kept only if it fails `cargo check`. Needs `make crates`. Environment knobs: RUSTA_GYM_CRATES
(comma list), RUSTA_GYM_SPLIT (dev, the crates the templates were tuned on; heldout, other crates; families, the
mutation kinds of engine/gym/families.py that no rule was written against, on both crate lists, plus
one "failing-suite" episode per crate whose suite already fails before the mistake),
RUSTA_GYM_PER_CRATE (episodes per crate), RUSTA_GYM_SEED. Results go to bench/results/repair.json
(dev) and repair_heldout.json (heldout), with an `episodes` list (id, crate, kind, error codes) that
engine/diagindex indexes. RUSTA_GYM_METHODS (comma list) runs fewer methods.
"""

from __future__ import annotations

import os
import statistics
from collections import defaultdict
from pathlib import Path

import msgspec

from bench.quick import quick
from engine.gym.crates import prepare, verify
from engine.gym.episodes import Episode, generate
from engine.gym.failing_suite import break_one_test, mend
from engine.gym.families import FAMILY_OPERATORS, USE_ITEM_OPERATORS
from engine.gym.runner import METHODS, Outcome, _snapshot, run_episode, workdir_for
from engine.gym.splits import DEV_CRATES, HELDOUT_CRATES
from engine.repair.headorder import default_threshold
from toolbelt.paths import cache_dir


def episode_record(ep: Episode) -> dict:
    """What engine/diagindex reads: which error codes each episode's mistake produced."""
    return {"id": ep.id, "crate": ep.crate, "kind": ep.mutation.kind, "codes": list(ep.codes)}


def _rows(outcomes: list[Outcome]) -> list[dict]:
    by: dict[str, list[Outcome]] = defaultdict(list)
    for o in outcomes:
        by[o.method].append(o)
    rows = []
    for method in METHODS:
        os_ = by.get(method, [])
        if not os_:
            continue
        n = len(os_)
        fixed = [o for o in os_ if o.solved]
        rows.append(
            {
                "method": method,
                "episodes": n,
                "fix rate": round(len(fixed) / n, 3),
                # among fixes, as issue #15 defines it: of the cases fixed, how many are what the author wrote
                "exact among fixes": round(sum(o.exact for o in fixed) / len(fixed), 3) if fixed else 0.0,
                "broken apply": round(sum(o.broken_apply for o in os_) / n, 3),
                "validations/fixed": round(sum(o.validations for o in fixed) / len(fixed), 2) if fixed else 0,
                "median s/case": round(statistics.median(o.seconds for o in os_), 2),
            }
        )
    return rows


def confidence_figures(outcomes: list[Outcome], method: str = "rusta") -> dict | None:
    """The Confidence head on this split's fixes: is P(exact) calibrated (ECE) and does it rank exact
    restores above the rest (AUROC)? None when the head rated no fix."""
    rated = [o for o in outcomes if o.method == method and o.solved and o.confidence is not None]
    if not rated:
        return None
    import numpy as np  # the bench may; engine.heads.confidence's figures need it

    from engine.heads.confidence import auroc, ece

    conf_N = np.array([o.confidence for o in rated], dtype=float)
    exact_N = np.array([o.exact for o in rated], dtype=bool)
    both = 0 < exact_N.sum() < len(exact_N)
    return {
        "method": method,
        "fixes rated": len(rated),
        "exact rate": round(float(exact_N.mean()), 3),
        "mean confidence": round(float(conf_N.mean()), 3),
        "ECE": round(float(ece(conf_N, exact_N)), 3),
        "AUROC": round(float(auroc(conf_N, exact_N)), 3) if both else None,  # undefined with one class
    }


def gated_row(outcomes: list[Outcome], threshold: float | None, method: str = "rusta") -> dict | None:
    """`rusta fix --yes` as shipped: `method`'s fix applied only when the Confidence head rates it at
    or above `threshold` (headorder.apply_decision: a fix the head did not rate is applied). The gym
    applies every green fix to measure the search; this row says what the gate changes. "abstained":
    green fixes held back; "abstained, not exact": of those, the ones that are not the author's code,
    the fixes abstaining is for; "applied, not exact": the ones the gate let through anyway.
    None without a threshold (no head shipped)."""
    mine = [o for o in outcomes if o.method == method]
    if threshold is None or not mine:
        return None
    fixed = [o for o in mine if o.solved]
    held = [o for o in fixed if o.confidence is not None and o.confidence < threshold]
    out = {id(o) for o in held}  # by identity: two episodes' outcomes may be equal field by field
    applied = [o for o in fixed if id(o) not in out]
    return {
        "method": f"{method} --yes (confidence >= {threshold:.2f})",
        "episodes": len(mine),
        "fix rate": round(len(applied) / len(mine), 3),
        "exact among fixes": round(sum(o.exact for o in applied) / len(applied), 3) if applied else 0.0,
        "broken apply": round(sum(o.broken_apply for o in mine if id(o) not in out) / len(mine), 3),
        "validations/fixed": round(sum(o.validations for o in applied) / len(applied), 2) if applied else 0,
        "median s/case": round(statistics.median(o.seconds for o in mine), 2),
        "abstained": len(held),
        "abstained, not exact": sum(not o.exact for o in held),
        "applied, not exact": sum(not o.exact for o in applied),
    }


_QUICK_RUNS: dict[tuple, tuple[list[Outcome], list[dict], str]] = {}


def _failing_suite(
    name: str, root: Path, seed: int, methods: list[str], notes: list[str]
) -> tuple[list[Outcome], list[dict]]:
    """The "failing-suite" family: one test of `root` broken and committed as HEAD before a dev-family
    mistake is made (gym.failing_suite). Solved means the suite builds and only that test fails."""
    broken = break_one_test(root)
    if broken is None:
        notes.append(f"no failing-suite episode on {name}: no plain #[test] whose failure is the only one")
        return [], []
    pre, failing = broken
    outcomes: list[Outcome] = []
    records: list[dict] = []
    try:
        pristine = _snapshot(root)
        for ep in generate(name, root, seed=seed, count=1):
            mutation = msgspec.structs.replace(ep.mutation, kind="failing-suite")
            ep = msgspec.structs.replace(ep, id=f"{ep.id}:failing-suite", mutation=mutation, pre=pre)
            records.append(episode_record(ep))
            outcomes.extend(run_episode(ep, root, pristine, methods, excused=failing))
    finally:
        mend(root, pre)
    return outcomes, records


def _episodes(
    crates: list[str],
    per_crate: int,
    seed: int,
    operators: object,
    methods: list[str],
    notes: list[str],
    failing_suite: bool = False,
) -> tuple[list[Outcome], list[dict]]:
    """Every episode of `crates`, each run by every method: the outcomes and the episode records;
    with `failing_suite`, one more per crate whose suite already fails (`_failing_suite`)."""
    outcomes: list[Outcome] = []
    records: list[dict] = []
    for name in crates:
        root = prepare(name, workdir_for(cache_dir(), name))
        ok, why = verify(root)
        if not ok:
            notes.append(f"skipped {name}: {why}")
            continue
        pristine = _snapshot(root)
        for ep in generate(name, root, seed=seed, count=per_crate, operators=operators):
            records.append(episode_record(ep))
            outcomes.extend(run_episode(ep, root, pristine, methods))
        if failing_suite:
            more, more_records = _failing_suite(name, root, seed, methods, notes)
            outcomes.extend(more)
            records.extend(more_records)
    return outcomes, records


def run(split: str | None = None, per_crate_default: int = 5) -> dict:
    split = split or os.environ.get("RUSTA_GYM_SPLIT", "dev")
    both = f"{DEV_CRATES},{HELDOUT_CRATES}"
    default = {"heldout": HELDOUT_CRATES, "families": both, "use-items": both}.get(split, DEV_CRATES)
    operators = {"families": FAMILY_OPERATORS, "use-items": USE_ITEM_OPERATORS}.get(split)
    crates = os.environ.get("RUSTA_GYM_CRATES", default).split(",")
    per_crate = int(os.environ.get("RUSTA_GYM_PER_CRATE", str(per_crate_default)))
    seed = int(os.environ.get("RUSTA_GYM_SEED", "7"))
    methods = os.environ.get("RUSTA_GYM_METHODS", ",".join(METHODS)).split(",")
    key = (tuple(crates), per_crate, seed, tuple(operators or ()), tuple(methods))
    notes: list[str] = []
    if quick() and key in _QUICK_RUNS:  # `--quick` runs every split on one crate: the same episodes
        outcomes, records, first = _QUICK_RUNS[key]
        notes.append(f"quick: the {first} split's episodes (same crate, seed and mutations), not run again")
    else:
        outcomes, records = _episodes(
            crates, per_crate, seed, operators, methods, notes, failing_suite=split == "families"
        )
        _QUICK_RUNS.setdefault(key, (outcomes, records, split))
    episodes = len(records)
    kinds: dict[str, list[Outcome]] = defaultdict(list)
    for o in outcomes:
        if o.method == "rusta":
            kinds[o.kind].append(o)
    for kind, os_ in sorted(kinds.items()):
        notes.append(f"rusta on {kind}: {sum(o.solved for o in os_)}/{len(os_)}")
    conf = confidence_figures(outcomes)
    if conf is not None:
        notes.append(
            f"confidence head on rusta's {conf['fixes rated']} fixes: ECE {conf['ECE']}, AUROC {conf['AUROC']}"
        )
    rows = _rows(outcomes)
    gated = gated_row(outcomes, default_threshold())
    if gated is not None:
        rows.append(gated)
        notes.append(
            f"the Confidence gate holds back {gated['abstained']} of rusta's green fixes, "
            f"{gated['abstained, not exact']} of them not the author's code; it lets through "
            f"{gated['applied, not exact']} that are not"
        )
    return {
        "title": f"Repair gym ({split}): {episodes} single-mistake episodes on {len(crates)} Debian crates (seed {seed})",
        "split": split,
        "rows": rows,
        "notes": notes,
        "confidence": conf,
        "outcomes": [msgspec.to_builtins(o) for o in outcomes],
        "episodes": records,
    }
