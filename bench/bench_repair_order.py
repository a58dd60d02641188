"""Does the candidate order matter, and do the heads earn their place? Read from the repair benches.

The repair benches (`bench_repair`, `_heldout`, `_families`) run every episode with the learned
order (`rusta`), the hand-set prior order (`rusta-no-heads`) and a random order (`random-order`);
all three try the same candidates and the compiler judges each, so they differ only in how many
validations they spend and in which green candidate they meet first. A fixed case costs at least one
validation: this bench states how far each order sits above that floor, and lists the episodes where
the order mattered at all (the three orders spent different validations, or any spent more than one).
Where the prior order already sits on the floor, no order can beat it there: "heads = no-heads" then
means "nothing left to win", and the episodes listed say where there was something.

It runs nothing: it reads bench/results/repair.json, repair_heldout.json and repair_families.json
(written before it by `make bench`, or by `python -m bench repair repair_heldout repair_families`),
each with the git revision it was measured at.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

RESULTS = Path(__file__).parent / "results"
SPLITS = {
    "dev": "repair.json",
    "held-out crates": "repair_heldout.json",
    "held-out families": "repair_families.json",
}
ORDERS = ("rusta", "rusta-no-heads", "random-order")


def order_rows(outcomes: list[dict], split: str) -> tuple[list[dict], list[str]]:
    """Rows (one per order method) and notes (one per episode where the order mattered)."""
    by_ep: dict[str, dict[str, dict]] = defaultdict(dict)
    for o in outcomes:
        if o["method"] in ORDERS:
            by_ep[o["episode"]][o["method"]] = o
    common = {ep: m for ep, m in by_ep.items() if all(k in m for k in ORDERS)}
    mattered = {
        ep: m
        for ep, m in common.items()
        if len({(m[k]["validations"], m[k]["solved"], m[k]["exact"]) for k in ORDERS}) > 1
        or any(m[k]["validations"] > 1 and m[k]["solved"] for k in ORDERS)
    }
    rows = []
    for method in ORDERS:
        fixed = [m[method] for m in common.values() if m[method]["solved"]]
        over = sum(o["validations"] - 1 for o in fixed)
        # what the best of the three orders spent on the same episode: what this order could still save
        best = sum(
            m[method]["validations"] - min(m[k]["validations"] for k in ORDERS if m[k]["solved"])
            for m in common.values()
            if m[method]["solved"]
        )
        rows.append(
            {
                "split": split,
                "method": method,
                "episodes": len(common),
                "fixed": len(fixed),
                "validations/fixed": round(sum(o["validations"] for o in fixed) / len(fixed), 2)
                if fixed
                else 0,
                # every case, fixed or not: an order that wanders off and fails spends validations too
                "validations/case": round(
                    sum(m[method]["validations"] for m in common.values()) / len(common), 2
                )
                if common
                else 0,
                "validations over the floor": over,
                "fixed at the floor (1 validation)": sum(o["validations"] == 1 for o in fixed),
                "validations above the best order": best,
                "episodes where the order mattered": len(mattered),
            }
        )
    notes = []
    for ep, m in sorted(mattered.items()):
        each = ", ".join(
            f"{k} {m[k]['validations']}{'' if m[k]['solved'] else ' (not fixed)'}{' exact' if m[k]['exact'] else ''}"
            for k in ORDERS
        )
        notes.append(f"{split}: {ep}: {each}")
    return rows, notes


def run() -> dict:
    rows: list[dict] = []
    notes: list[str] = []
    for split, name in SPLITS.items():
        path = RESULTS / name
        if not path.exists():
            notes.append(f"{split}: no {name}; run `python -m bench {name.removesuffix('.json')}`")
            continue
        data = json.loads(path.read_text())
        outcomes = data.get("outcomes", [])
        if not {o["method"] for o in outcomes} >= set(ORDERS):
            notes.append(f"{split}: {name} lacks one of {', '.join(ORDERS)}")
            continue
        r, n = order_rows(outcomes, split)
        rows += r
        notes.append(f"{split}: from {name} at {data.get('git', data.get('revision', '?'))}")
        notes += n
    return {
        "title": "Repair: validations above the floor of 1 per fixed case, per candidate order",
        "rows": rows,
        "notes": notes,
    }
