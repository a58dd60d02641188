"""Training data for the heads: every candidate of a gym episode's first target, validated and labelled.

For each episode (a mutation kept only if `cargo check` fails) this computes the candidates for the
first target error exactly as the repair search does (`candidates_for`, `next_target`, the same
scratch copy), validates each one in turn (one `cargo check`, capped per episode) and writes one
`engine.heads.types.Sample` per candidate as a JSON line: the view the Action head sees, and the
labels `compiles` (target gone, no new error), `clean` and `exact` (the original bytes restored).

Seeds other than the bench's (7) keep training episodes apart from the bench's; the dev crates are
for fitting, the held-out crates for evaluation only (`--split heldout` writes a separate file that
`engine.heads.fit` never fits on). Bounded in time (`--minutes`); re-running resumes, skipping
episodes already in the file; a mutation another seed drew already is skipped too. One cargo job at a time.

    python -m engine.gym.headdata --split dev --seeds 1,2,3 --minutes 20
    python -m engine.gym.headdata --split dev --families use-items --seeds 1,2 --per-crate 2
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import msgspec

from engine.gym.crates import prepare
from engine.gym.episodes import generate
from engine.gym.families import USE_ITEM_OPERATORS
from engine.gym.mutate import Operators, apply
from engine.gym.runner import _restore, _snapshot
from engine.gym.splits import BENCH_SEED, DEV_CRATES, HELDOUT_CRATES
from engine.heads.fit import data_path, read_samples
from engine.heads.naturalness import shipped_lm
from engine.heads.types import Sample
from engine.repair.errors import RepairError
from engine.repair.headorder import lm_deltas, views
from engine.repair.targets import candidates_for, error_key, errors_of, gate_key, next_target
from engine.repair.workspace import Workspace, write_fresh
from toolbelt.cargo_run import run_check
from toolbelt.paths import cache_dir

_encoder = msgspec.json.Encoder()


def episode_samples(
    root: Path, pristine: dict[str, bytes], ep, *, split: str, seed: int, cap: int, lm
) -> list[Sample]:  # noqa: ANN001 - ep: Episode, lm: Scorer | None
    """Validate up to `cap` candidates (prior order) for the first target of one episode."""
    rel = ep.mutation.file
    write_fresh(root / rel, apply(pristine[rel], ep.mutation))
    try:
        ws = Workspace(root)
        ws.sync()
        report = run_check(ws.root)
        errors = errors_of(report)
        if not errors:
            return []
        target = next_target(errors, ws.read)
        cands = candidates_for(target, ws, errors)
        vs = views(cands, target, ws.read, lm_deltas(cands, ws.read, lm), errors)
        before_keys = {gate_key(d) for d in errors}
        out: list[Sample] = []
        for cand, view in list(zip(cands, vs, strict=True))[:cap]:
            try:
                before = ws.try_edits(cand.edits)
            except RepairError:
                continue
            try:
                after = run_check(ws.root)
                left = errors_of(after)
                ran = after.status not in ("timeout", "error", "failed")
                gone = ran and error_key(target) not in {error_key(d) for d in left}
                new = any(gate_key(d) not in before_keys for d in left)
                exact = ws.read(rel) == pristine[rel] and all(ws.read(f) == pristine.get(f) for f in before)
            finally:
                ws.revert(before)
            out.append(
                Sample(
                    split=split,
                    seed=seed,
                    crate=ep.crate,
                    episode=ep.id,
                    kind=ep.mutation.kind,
                    candidate_id=cand.id,
                    view=view,
                    compiles=bool(gone and not new),
                    clean=ran and not left,
                    exact=bool(exact),
                    errors_after=len(left),
                )
            )
        return out
    finally:
        write_fresh(root / rel, pristine[rel])


def collect(
    split: str,
    crates: list[str],
    seeds: list[int],
    per_crate: int,
    cap: int,
    minutes: float,
    out: Path,
    operators: Operators | None = None,
) -> int:
    if BENCH_SEED in seeds:
        raise SystemExit(f"seed {BENCH_SEED} is the bench's; pick other seeds for training data")
    deadline = time.monotonic() + minutes * 60
    done = set()
    if out.exists():
        done = {s.episode for s in read_samples(out)}
    out.parent.mkdir(parents=True, exist_ok=True)
    lm = shipped_lm()
    written = 0
    roots: dict[str, tuple[Path, dict[str, bytes]]] = {}
    with out.open("ab") as fh:
        for seed in seeds:
            for name in crates:
                if time.monotonic() > deadline:
                    return written
                if name not in roots:
                    root = prepare(name, cache_dir() / "heads" / "crates" / name)
                    base = run_check(root, all_targets=False)
                    if any(d.level == "error" for d in base.diagnostics) or base.status not in (
                        "clean",
                        "diagnostics",
                    ):
                        print(f"skip {name}: check {base.status}", file=sys.stderr)
                        continue
                    roots[name] = (root, _snapshot(root))
                root, pristine = roots[name]
                for ep in generate(name, root, seed=seed, count=per_crate, operators=operators):
                    if time.monotonic() > deadline:
                        return written
                    if ep.id in done:  # the same mutation drawn by another seed teaches nothing new
                        continue
                    done.add(ep.id)
                    samples = episode_samples(root, pristine, ep, split=split, seed=seed, cap=cap, lm=lm)
                    _restore(root, pristine)
                    for s in samples:
                        fh.write(_encoder.encode(s) + b"\n")
                    fh.flush()
                    written += len(samples)
                    greens = sum(s.compiles for s in samples)
                    exact = sum(s.exact for s in samples)
                    print(
                        f"seed {seed} {ep.id}: {len(samples)} candidates, {greens} compile, {exact} exact",
                        file=sys.stderr,
                    )
    return written


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", choices=("dev", "heldout"), default="dev")
    ap.add_argument("--crates", default="")
    ap.add_argument("--seeds", default="1,2,3,4,5,6")
    ap.add_argument("--per-crate", type=int, default=3)
    ap.add_argument("--cap", type=int, default=12, help="candidates validated per episode")
    ap.add_argument("--minutes", type=float, default=20.0)
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument(
        "--families",
        choices=("dev", "use-items"),
        default="dev",
        help="the mutation families: dev's, or the removed multi-name `use` family (engine.gym.families)",
    )
    a = ap.parse_args(argv)
    operators = USE_ITEM_OPERATORS if a.families == "use-items" else None
    crates = (a.crates or (DEV_CRATES if a.split == "dev" else HELDOUT_CRATES)).split(",")
    seeds = [int(s) for s in a.seeds.split(",")]
    n = collect(a.split, crates, seeds, a.per_crate, a.cap, a.minutes, a.out or data_path(a.split), operators)
    print(f"{n} samples written", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
