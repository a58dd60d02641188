"""Fit the localization weights on the semantic gym's dev episodes, and measure top-k on any split.

A logistic regression (numpy, L2, full-batch gradient descent on standardized features, folded back
to raw-feature weights) over every candidate line of each episode, the mutated line labelled 1. Two
models: with the LM's surprisal and without it (the model used when the LM is off is fitted without
it, not the full one with a zero). Single-signal rankings use the signal alone (ties in source order).

    python -m engine.testrepair.fit engine/testrepair/data/dev-episodes.jsonl [--write]
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path

import msgspec
import numpy as np

from engine.edits import apply_edits
from engine.gym.semantic import SemanticEpisode, crate_dir, home, load, pristine
from engine.heads.naturalness import Scorer, shipped_lm
from engine.repair.workspace import Workspace, write_fresh
from engine.testrepair.coverage import COVERAGE_VERSION, Coverage, Spectra, line_spectra, measure
from engine.testrepair.localize import matrix, rank_lines, weights_path
from engine.testrepair.signals import Line, lines_with_features
from engine.testrepair.types import FEATURES, Weights

NO_LM = tuple(f for f in FEATURES if f != "lm")
FIT_EPISODES = Path(__file__).parent / "data" / "dev-episodes.jsonl"  # what the shipped weights saw


_COV_DEC = msgspec.json.Decoder(tuple[str, Coverage | None])


def _coverage_cache() -> Path:
    return home() / f"coverage-v{COVERAGE_VERSION}.jsonl"


def episode_spectra(ep: SemanticEpisode, files: dict[str, bytes]) -> Spectra | None:
    """The mutated crate's measured coverage, as `rusta fix` would measure it (cached per episode:
    one probed build each)."""
    cache = _coverage_cache()
    if cache.is_file():
        for line in cache.read_bytes().splitlines():
            eid, cov = _COV_DEC.decode(line)
            if eid == ep.id:
                return line_spectra(cov, [t.name for t in ep.failing], ep.passing) if cov else None
    with tempfile.TemporaryDirectory(prefix="rusta-fit-") as tmp:
        case = Path(tmp) / ep.crate
        shutil.copytree(crate_dir(ep.crate), case, ignore=shutil.ignore_patterns("target"))
        rel = ep.mutant.edit.file
        write_fresh(case / rel, files[rel])
        ws = Workspace(case)
        ws.sync()
        cov = measure(ws, files, [*(t.name for t in ep.failing), *ep.passing])
    cache.parent.mkdir(parents=True, exist_ok=True)
    with cache.open("ab") as f:
        f.write(msgspec.json.encode((ep.id, cov)) + b"\n")
    return line_spectra(cov, [t.name for t in ep.failing], ep.passing) if cov else None


def episode_inputs(ep: SemanticEpisode, coverage: bool = True) -> tuple[dict[str, bytes], Spectra | None]:
    """The mutated crate's files and, with `coverage`, its measured spectra."""
    files = pristine(ep.crate)
    rel = ep.mutant.edit.file
    files[rel] = apply_edits(files[rel], [ep.mutant.edit])
    return files, episode_spectra(ep, files) if coverage else None


def episode_lines(
    ep: SemanticEpisode, lm: Scorer | None, coverage: bool = True
) -> tuple[list[Line], int | None]:
    """The episode's candidate lines and the index of the mutated one (None if it is not a candidate)."""
    files, spectra = episode_inputs(ep, coverage)
    rel = ep.mutant.edit.file
    lines = lines_with_features(files, ep.failing, ep.passing, lm, spectra)
    hit = next((i for i, ln in enumerate(lines) if ln.file == rel and ln.line == ep.mutant.line), None)
    return lines, hit


def fit_logistic(
    X: np.ndarray, y: np.ndarray, l2: float = 1e-2, steps: int = 3000, lr: float = 0.5
) -> tuple[np.ndarray, float]:
    """Weights and intercept on raw features (fitted on standardized ones, positives reweighted to
    half the total mass: one buggy line among hundreds would otherwise be ignored)."""
    mu, sd = X.mean(0), X.std(0)
    sd[sd == 0] = 1.0
    Z = (X - mu) / sd
    pos = max(1.0, float(y.sum()))
    sw = np.where(y > 0, 0.5 / pos, 0.5 / max(1.0, len(y) - pos))
    w, b = np.zeros(X.shape[1]), 0.0
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(Z @ w + b)))
        g = p - y
        w -= lr * (Z.T @ (sw * g) + l2 * w)
        b -= lr * float((sw * g).sum())
    coef = w / sd
    return coef, float(b - (mu / sd) @ w)


def topk(ranks: Sequence[int | None], ks: Sequence[int] = (1, 5, 10)) -> dict[str, float]:
    n = max(1, len(ranks))
    return {f"top{k}": round(sum(r is not None and r < k for r in ranks) / n, 3) for k in ks}


def rank_of(lines: Sequence[Line], hit: int | None, scores: np.ndarray) -> int | None:
    if hit is None:
        return None
    return rank_lines(lines, scores).index(hit)


def evaluate(
    data: Sequence[tuple[list[Line], int | None]], models: dict[str, Weights]
) -> dict[str, dict[str, float]]:
    """top-1/5/10 for each signal alone and for each fitted model."""
    out: dict[str, dict[str, float]] = {}
    for f in FEATURES:
        out[f] = topk([rank_of(ls, h, matrix(ls, (f,))[:, 0]) for ls, h in data])
    for name, w in models.items():
        coef = np.asarray(w.coef)
        out[name] = topk([rank_of(ls, h, matrix(ls, w.features) @ coef) for ls, h in data])
    return out


def fit(data: Sequence[tuple[list[Line], int | None]], features: Sequence[str], what: str) -> Weights:
    Xs, ys = [], []
    for lines, hit in data:
        if hit is None or not lines:
            continue
        Xs.append(matrix(lines, features))
        y = np.zeros(len(lines))
        y[hit] = 1.0
        ys.append(y)
    X, y = np.concatenate(Xs), np.concatenate(ys)
    coef, b = fit_logistic(X, y)
    return Weights(
        features=tuple(features),
        coef=tuple(round(float(c), 5) for c in coef),
        intercept=round(b, 5),
        fitted_on=what,
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m engine.testrepair.fit", description=__doc__.splitlines()[0])
    ap.add_argument("episodes", type=Path, nargs="+")
    ap.add_argument("--write", action="store_true", help="write weights.json and weights_no_lm.json")
    a = ap.parse_args(argv)
    eps = [e for p in a.episodes for e in load(p)]
    dev = [e for e in eps if e.split == "dev"]
    lm = shipped_lm()
    data = [episode_lines(e, lm) for e in dev]
    crates = sorted({e.crate for e in dev})
    what = f"{len(dev)} semantic gym episodes on {len(crates)} dev crates ({', '.join(crates)})"
    full, no_lm = fit(data, FEATURES, what), fit(data, NO_LM, what)
    # leave-one-crate-out: the honest dev number, since the weights above saw every dev crate
    loco: list[tuple[list[Line], int | None]] = []
    loco_ranks: dict[str, list[int | None]] = {"combined": [], "combined-no-lm": []}
    for c in crates:
        train = [d for d, e in zip(data, dev, strict=True) if e.crate != c]
        test = [d for d, e in zip(data, dev, strict=True) if e.crate == c]
        if not train or not test:
            continue
        wf, wn = fit(train, FEATURES, ""), fit(train, NO_LM, "")
        for ls, h in test:
            loco_ranks["combined"].append(rank_of(ls, h, matrix(ls, wf.features) @ np.asarray(wf.coef)))
            loco_ranks["combined-no-lm"].append(rank_of(ls, h, matrix(ls, wn.features) @ np.asarray(wn.coef)))
        loco.extend(test)
    report = evaluate(data, {"combined (in-sample)": full, "combined-no-lm (in-sample)": no_lm})
    report.update({f"{k} (leave-one-crate-out)": topk(v) for k, v in loco_ranks.items()})
    for k, v in report.items():
        print(f"{k:40s} {v}")
    print("weights:", dict(zip(full.features, full.coef, strict=True)), "intercept", full.intercept)
    if a.write:
        weights_path(True).write_bytes(msgspec.json.format(msgspec.json.encode(full)) + b"\n")
        weights_path(False).write_bytes(msgspec.json.format(msgspec.json.encode(no_lm)) + b"\n")
        print("wrote", weights_path(True), weights_path(False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
