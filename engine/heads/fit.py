"""Fit the Action and Confidence heads on the dev split's samples; report both splits.

Reads the JSON lines `engine.gym.headdata` wrote. The Action head is fitted on every dev sample;
its dev figures are cross-fitted (4 folds by episode), so no dev episode is scored by a head that saw
it. The Confidence head is fitted on the cross-fitted dev outputs. Held-out samples are scored, never
fitted on. Per split the report gives, over episodes with at least one candidate that compiles:
validations until the first such candidate and how often it is the exact restore, for the prior
order, the head's order and a random order; and for the Confidence head ECE and AUROC.

    python -m engine.heads.fit --dev samples-dev.jsonl --heldout samples-heldout.jsonl --ship
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import defaultdict
from collections.abc import Set as AbstractSet
from pathlib import Path
from typing import Any

import msgspec
import numpy as np

from engine.heads import confidence
from engine.heads.action import (
    NUMERIC,
    NUMERIC_ERRORS,
    NUMERIC_ERRORS_NO_LM,
    WEIGHTS,
    ActionHead,
    FeatureSpec,
    fit,
    folds,
    grade,
    order_by_grade,
)
from engine.heads.types import Sample
from toolbelt.paths import cache_dir

_decoder = msgspec.json.Decoder(Sample)
THRESHOLD = 0.75  # `--yes` applies a fix at least this likely exact: issue 15's exact-restore target
REPORT = WEIGHTS.parent / "report.json"
# The feature sets fitted side by side. Each is cross-fitted on the dev split, and the one with the
# fewest validations to the first green candidate there (then the most exact first greens) ships;
# on a tie the earlier one, so the head that needs no LM (seconds per repair) wins when the LM adds nothing.
SPECS: dict[str, FeatureSpec] = {
    "errors, no LM": FeatureSpec(numeric=NUMERIC_ERRORS_NO_LM, groups=("errors",)),
    "errors + LM": FeatureSpec(numeric=NUMERIC_ERRORS, groups=("errors",)),
}
# The features before the error counts (`FeatureSpec()`, v2): cross-fitted on 233 dev samples at
# 7485408 it ordered exactly as "errors + LM" did (1.01 validations to the first green on dev, 1.019
# on held-out crates); `--all-specs` fits it again beside the others.
V2 = {"v2 (no error counts) + LM": FeatureSpec(numeric=NUMERIC)}


def data_path(split: str) -> Path:
    """Where `engine.gym.headdata` writes a split's samples by default."""
    return cache_dir() / "heads" / f"samples-{split}.jsonl"


def read_samples(path: Path) -> list[Sample]:
    return [_decoder.decode(line) for line in path.read_bytes().splitlines() if line.strip()]


def dedupe(samples: list[Sample]) -> list[Sample]:
    """One seed's samples per episode: two seeds may draw the same mutation (small crates have few
    sites), and the copy would sit in another fold and leak into the cross-fitted figures."""
    first: dict[str, int] = {}
    for s in samples:
        first.setdefault(s.episode, s.seed)
    return [s for s in samples if first[s.episode] == s.seed]


def episodes(samples: list[Sample]) -> dict[str, list[int]]:
    """Episode key -> indices of its samples, in prior order."""
    out: dict[str, list[int]] = defaultdict(list)
    for i, s in enumerate(samples):
        out[s.episode].append(i)
    for idx in out.values():
        idx.sort(key=lambda i: samples[i].view.prior_rank)
    return out


def _arrays(samples: list[Sample]) -> tuple[dict[str, np.ndarray], np.ndarray]:
    labels = {
        "compile": np.array([s.compiles for s in samples], dtype=bool),
        "clean": np.array([s.clean for s in samples], dtype=bool),
        "exact": np.array([s.exact for s in samples], dtype=bool),
    }
    return labels, np.array([s.episode for s in samples])


def fit_action(
    samples: list[Sample], l2: dict[str, float] | None = None, spec: FeatureSpec | None = None
) -> ActionHead:
    y, groups = _arrays(samples)
    n_ep = len(set(groups.tolist()))
    return fit(
        [s.view for s in samples],
        y["compile"],
        y["clean"],
        y["exact"],
        groups,
        spec=spec,
        l2=l2,
        trained_on=f"dev split: {n_ep} episodes, {len(samples)} validated candidates",
    )


def cross_fitted(
    samples: list[Sample], l2: dict[str, float], spec: FeatureSpec | None = None
) -> dict[str, np.ndarray]:
    """The head's probabilities for each dev sample from a head fitted on the other folds (with the
    ridge the full fit chose: choosing it again inside each fold would cost four times as much)."""
    _, groups = _arrays(samples)
    fold = folds(groups)
    out = {k: np.zeros(len(samples)) for k in ("compile", "clean", "exact")}
    for f in np.unique(fold):
        tr = [s for s, g in zip(samples, fold, strict=True) if g != f]
        te = np.nonzero(fold == f)[0]
        p = fit_action(tr, l2, spec).probabilities([samples[i].view for i in te])
        for k in out:
            out[k][te] = p[k]
    return out


def first_green(order: list[int], samples: list[Sample]) -> tuple[int, int] | None:
    """(position, sample index) of the first candidate in `order` that compiles."""
    for pos, i in enumerate(order):
        if samples[i].compiles:
            return pos, i
    return None


def orders(samples: list[Sample], p: dict[str, np.ndarray]) -> dict[str, dict[str, list[int]]]:
    eps = episodes(samples)
    g = grade(p)
    rng = random.Random(0)
    out: dict[str, dict[str, list[int]]] = {"prior": {}, "head": {}, "random": {}}
    for key, idx in eps.items():
        out["prior"][key] = idx
        sub = order_by_grade(g[idx], [samples[i].view.prior_rank for i in idx])
        out["head"][key] = [idx[j] for j in sub]
        shuffled = idx[:]
        rng.shuffle(shuffled)
        out["random"][key] = shuffled
    return out


def _mean(xs: list) -> float | None:
    return round(float(np.mean(xs)), 3) if xs else None


def ranking_report(samples: list[Sample], p: dict[str, np.ndarray]) -> dict:
    rows = {}
    for name, by_ep in orders(samples, p).items():
        hits = [h for h in (first_green(o, samples) for o in by_ep.values()) if h is not None]
        rows[name] = {
            "episodes with a green candidate": len(hits),
            "validations to first green": _mean([pos + 1 for pos, _ in hits]),
            "first green is exact": _mean([samples[i].exact for _, i in hits]),
            "first green leaves no error": _mean([samples[i].clean for _, i in hits]),
        }
    return {"episodes": len(episodes(samples)), "samples": len(samples), "orders": rows}


def top_green(samples: list[Sample], p: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Confidence features and exact labels of the head order's first green candidate per episode."""
    xs, ys = [], []
    for o in orders(samples, p)["head"].values():
        hit = first_green(o, samples)
        if hit is None:
            continue
        pos, i = hit
        xs.append(confidence.features(float(p["exact"][i]), float(p["compile"][i]), pos))
        ys.append(samples[i].exact)
    return np.array(xs).reshape(-1, len(confidence.FEATURES)), np.array(ys, dtype=bool)


def confidence_report(head: confidence.ConfidenceHead, x: np.ndarray, y: np.ndarray) -> dict:
    conf = np.array([head.predict(*_unfeature(r)) for r in x])
    applied = conf >= head.threshold
    return {
        "cases": int(len(y)),
        "exact rate": round(float(y.mean()), 3) if len(y) else None,
        "ECE": round(confidence.ece(conf, y), 3),
        "AUROC": round(confidence.auroc(conf, y), 3),
        "applied at threshold": int(applied.sum()),
        "exact among applied": round(float(y[applied].mean()), 3) if applied.any() else None,
    }


def _unfeature(row: np.ndarray) -> tuple[float, float, int]:
    """Back from features to (p_exact, p_compile, rank), so the report goes through `predict`."""
    sig = lambda z: 1.0 / (1.0 + np.exp(-z))  # noqa: E731
    return float(sig(row[0])), float(sig(row[1])), int(round(np.expm1(row[2])))


def bench_episodes(paths: list[Path]) -> set[str]:
    """Episode ids a bench result lists: the same mutation drawn by a training seed stays out of
    training, so the bench never scores an episode the head was fitted on."""
    out: set[str] = set()
    for p in paths:
        if p.exists():
            out |= {e["id"] for e in json.loads(p.read_text()).get("episodes", [])}
    return out


def run(
    dev: Path,
    heldout: Path | None,
    ship: bool,
    exclude: AbstractSet[str] = frozenset(),
    specs: dict[str, FeatureSpec] | None = None,
) -> dict:
    everything = dedupe(read_samples(dev))
    dev_s = [s for s in everything if s.episode not in exclude]
    specs = specs or SPECS
    fitted: dict[str, tuple[ActionHead, dict[str, float], dict[str, np.ndarray], dict]] = {}
    for name, spec in specs.items():
        h = fit_action(dev_s, spec=spec)
        ridge = {k: getattr(h.weights, k).l2 for k in ("compile", "clean", "exact")}
        cp = cross_fitted(dev_s, ridge, spec)
        fitted[name] = (h, ridge, cp, ranking_report(dev_s, cp)["orders"]["head"])

    def score(name: str) -> tuple[float, float]:
        r = fitted[name][3]
        return (r["validations to first green"] or 0.0, -(r["first green is exact"] or 0.0))

    chosen = min(specs, key=score)  # min keeps the first of equals: the cheaper spec
    head, l2, p, _ = fitted[chosen]
    x, y = top_green(dev_s, p)
    conf = confidence.fit(
        x,
        y,
        threshold=THRESHOLD,
        trained_on=f"dev split, cross-fitted: {len(y)} episodes with a green candidate",
    )
    report: dict[str, Any] = {
        "excluded bench episodes": len({s.episode for s in everything} - {s.episode for s in dev_s}),
        "action": {
            "features": chosen,
            "l2": l2,
            "dev (cross-fitted)": ranking_report(dev_s, p),
            "dev (cross-fitted), every feature set": {name: f[3] for name, f in fitted.items()},
        },
        "confidence": {
            "threshold": conf.threshold,
            "rule": conf.weights.threshold_rule,
            "dev (cross-fitted, in-sample calibration)": confidence_report(conf, x, y),
        },
    }
    if heldout is not None and heldout.exists():
        ho = dedupe(read_samples(heldout))
        hp = head.probabilities([s.view for s in ho])
        report["action"]["held-out crates"] = ranking_report(ho, hp)
        report["action"]["held-out crates, every feature set"] = {
            name: ranking_report(ho, f[0].probabilities([s.view for s in ho]))["orders"]["head"]
            for name, f in fitted.items()
        }
        hx, hy = top_green(ho, hp)
        report["confidence"]["held-out crates"] = confidence_report(conf, hx, hy)
    if ship:
        head.save(WEIGHTS)
        conf.save(confidence.WEIGHTS)
        REPORT.write_text(json.dumps(report, indent=1) + "\n")
    return report


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dev", type=Path, default=None)
    ap.add_argument("--heldout", type=Path, default=None)
    ap.add_argument("--ship", action="store_true", help="write the weights into engine/heads/weights")
    ap.add_argument(
        "--exclude",
        type=Path,
        nargs="*",
        default=[Path("bench/results/repair.json"), Path("bench/results/repair_families.json")],
        help="bench results whose episodes stay out of training",
    )
    ap.add_argument("--all-specs", action="store_true", help="fit the v2 features beside the others too")
    a = ap.parse_args(argv)
    report = run(
        a.dev or data_path("dev"),
        a.heldout or data_path("heldout"),
        a.ship,
        bench_episodes(a.exclude),
        SPECS | V2 if a.all_specs else SPECS,
    )
    json.dump(report, sys.stdout, indent=1)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
