"""Test repair bench: one logic slip in a real Debian crate (it compiles, a lib test fails); can Rusta
find the line and restore it?

Episodes come from engine.gym.semantic (seed BENCH_SEED, never a seed the weights were fitted on).
Rows: full Rusta (fitted localization with the byte LM, LM-ordered edits), without the LM (the
weights fitted without it, grammar order), and random order (the same candidate edits shuffled).
A case is fixed when the applied edit makes every test pass in the case's own copy (run again after
applying: a green verdict that does not hold there is a broken apply). Exact restore: the file is
byte for byte the original. Tests edited counts proposed edits outside library code (must be 0).
Localization: top-1/5/10 of the mutated line for each signal alone and for the fitted models.

Knobs: RUSTA_TR_DEV (comma crates, default 4 dev crates), RUSTA_TR_HELDOUT (4 held-out crates),
RUSTA_TR_PER_CRATE (3), RUSTA_TR_BUDGET (validations per case, 16), RUSTA_TR_ROWS
(rusta,no-lm,random), RUSTA_TR_ABLATE_SPLITS (splits the no-lm and random rows run on: heldout).
"""

from __future__ import annotations

import os
import shutil
import statistics
import time
from pathlib import Path

import msgspec

from bench.quick import quick, size
from engine.edits import apply_edits
from engine.gym.errors import GymError
from engine.gym.semantic import SemanticEpisode, crate_dir, generate, home, library_sources, load, save
from engine.gym.splits import BENCH_SEED
from engine.heads.naturalness import shipped_lm
from engine.repair.workspace import Workspace, write_fresh
from engine.testrepair.fit import FIT_EPISODES, episode_lines, evaluate
from engine.testrepair.localize import shipped_weights
from engine.testrepair.search import repair_tests
from engine.testrepair.signals import library_file, test_files
from toolbelt.cargo_run import run_test

DEV = os.environ.get("RUSTA_TR_DEV", "adler,number_prefix,termcolor,shlex")
HELDOUT = os.environ.get("RUSTA_TR_HELDOUT", "unicode-bidi,gzip-header,chunked_transfer,inflate")
PER_CRATE = size(int(os.environ.get("RUSTA_TR_PER_CRATE", "3")), 1)
BUDGET = size(int(os.environ.get("RUSTA_TR_BUDGET", "16")), 3)  # quick: a few validations run the search
ROWS = os.environ.get("RUSTA_TR_ROWS", "rusta,no-lm,random").split(",")
if quick():  # `--quick`: one dev crate, Rusta alone, to prove the path still runs (held-out: the same code)
    DEV, HELDOUT, ROWS = DEV.split(",")[0], "", ["rusta"]
ABLATE = os.environ.get("RUSTA_TR_ABLATE_SPLITS", "heldout").split(",")


class Case(msgspec.Struct, frozen=True, kw_only=True):
    episode: str
    split: str
    row: str
    fixed: bool
    exact: bool
    broken_apply: bool
    tests_edited: int
    validations: int
    seconds: float
    rank: int | None  # the mutated line's place in the localization (None: not among the suspects)
    kind: str = ""  # the slip's grammar kind
    weak: int = 0  # other edits at the green edit's site that pass every test too


def episodes(split: str, crates: str) -> list[SemanticEpisode]:
    path = home() / f"bench-{split}-seed{BENCH_SEED}.jsonl"
    have = load(path)
    out: list[SemanticEpisode] = []
    for name in crates.split(","):
        mine = [e for e in have if e.crate == name]
        if not mine:  # generated once per crate and seed: a second call would draw the same slips
            try:
                new = generate(name, split, BENCH_SEED, PER_CRATE, max_tries=16, log=lambda _: None)
            except GymError as e:
                print(f"  skip {name}: {e}")
                continue
            save(new, path)
            mine += new
        out.extend(mine[:PER_CRATE])
    return out


def run_case(ep: SemanticEpisode, row: str, work: Path) -> Case:
    original = library_sources(crate_dir(ep.crate))
    case = work / ep.crate
    if case.exists():
        shutil.rmtree(case)
    shutil.copytree(crate_dir(ep.crate), case, ignore=shutil.ignore_patterns("target"))
    rel = ep.mutant.edit.file
    write_fresh(case / rel, apply_edits(original[rel], [ep.mutant.edit]))
    t0 = time.monotonic()
    rep = run_test(case, backtrace=True)  # what `rusta fix` runs first
    failing = [t for t in rep.tests if t.status == "failed"]
    passing = [t.name for t in rep.tests if t.status == "ok"]
    ws = Workspace(case)
    ws.sync()
    out = repair_tests(
        ws,
        failing,
        passing,
        baseline=lambda: None,
        budget=BUDGET,
        lm=shipped_lm() if row == "rusta" else None,
        order="random" if row == "random" else "rank",
        seed=BENCH_SEED,
    )
    secs = time.monotonic() - t0
    rank = next(
        (i for i, s in enumerate(out.localization.suspects) if s.file == rel and s.line == ep.mutant.line),
        None,
    )
    tests_only = test_files(original)
    edited = sum(not library_file(e.file, tests_only) for t in out.trials for e in t.candidate.edits)
    fixed = exact = broken = False
    if out.green is not None:
        for f, data in out.files:
            write_fresh(case / f, data)
        after = run_test(case)
        fixed = after.status == "passed"
        broken = not fixed
        exact = fixed and all(data == original.get(f) for f, data in out.files)
    return Case(
        episode=ep.id,
        split=ep.split,
        row=row,
        fixed=fixed,
        exact=exact,
        broken_apply=broken,
        tests_edited=edited,
        validations=out.validations,
        seconds=round(secs, 2),
        rank=rank,
        kind=ep.mutant.kind,
        weak=len(out.also_green),
    )


def fitted_kinds() -> set[str]:
    """The slip kinds the shipped weights were fitted on (the dev episodes' kinds)."""
    return {e.mutant.kind for e in load(FIT_EPISODES)}


def _row(split: str, row: str, cases: list[Case]) -> dict:
    n = len(cases)
    fixed = [c for c in cases if c.fixed]
    seen = fitted_kinds()
    unseen = [c for c in cases if c.kind not in seen]
    return {
        "split": split,
        "row": row,
        "cases": n,
        "fix rate": round(len(fixed) / n, 3) if n else 0.0,
        "exact restore": round(sum(c.exact for c in cases) / n, 3) if n else 0.0,
        "exact of fixes": round(sum(c.exact for c in fixed) / len(fixed), 3) if fixed else 0.0,
        "broken applies": sum(c.broken_apply for c in cases),
        "tests edited": sum(c.tests_edited for c in cases),
        "validations/fixed": round(sum(c.validations for c in fixed) / len(fixed), 2) if fixed else 0.0,
        "median s/case": round(statistics.median(c.seconds for c in cases), 1) if n else 0.0,
        "weak-tests warnings": sum(c.weak > 0 for c in fixed),
        "kinds never fitted": f"{sum(c.fixed for c in unseen)}/{len(unseen)} fixed" if unseen else "none",
    }


def run() -> dict:
    work = Path(home()) / "bench-cases"
    work.mkdir(parents=True, exist_ok=True)
    rows, loc_rows, notes, cases_out = [], [], [], []
    lm = shipped_lm()
    for split, crates in (("dev", DEV), ("heldout", HELDOUT)):
        if not crates:
            notes.append(f"{split}: not run (--quick runs one dev crate; this split is the same code)")
            continue
        eps = episodes(split, crates)
        if not eps:
            notes.append(f"{split}: no episodes (crates missing? `make crates`)")
            continue
        data = [episode_lines(e, lm) for e in eps]
        models = {"combined": shipped_weights(True), "combined-no-lm": shipped_weights(False)}
        for signal, topk in evaluate(data, models).items():
            loc_rows.append({"split": split, "signal": signal, "episodes": len(eps), **topk})
        unseen = [d for d, e in zip(data, eps, strict=True) if e.mutant.kind not in fitted_kinds()]
        if unseen:  # slips of a kind the weights never saw, reported apart
            for signal, topk in evaluate(unseen, models).items():
                if signal.startswith("combined"):
                    loc_rows.append(
                        {
                            "split": split,
                            "signal": f"{signal} (kinds never fitted)",
                            "episodes": len(unseen),
                            **topk,
                        }
                    )
        for row in ROWS:
            if row != "rusta" and split not in ABLATE:
                continue
            cases = []
            for e in eps:  # each case is appended as it ends: a long run stopped early still says something
                cases.append(run_case(e, row, work))
                with (home() / "bench-cases.jsonl").open("ab") as f:
                    f.write(msgspec.json.encode(cases[-1]) + b"\n")
            cases_out.extend(msgspec.to_builtins(c) for c in cases)
            rows.append(_row(split, row, cases))
        kinds: dict[str, int] = {}
        for e in eps:
            kinds[e.mutant.kind] = kinds.get(e.mutant.kind, 0) + 1
        notes.append(f"{split}: {len(eps)} episodes on {crates}; slips {kinds}")
    notes.append(
        f"budget {BUDGET} validations per case; each case includes the first `cargo test` run; "
        "no baseline (the crates are not git repos), so every failing test must pass; "
        "coverage is measured with source probes (one probed build and suite run per case, inside the "
        "case's time), the call graph read from the source standing in where the probed build cannot run; "
        "after a green edit up to 4 other edits at its site are validated (the weak-tests check, "
        "counted in validations)."
    )
    return {
        "title": "Test repair: one logic slip that compiles, in real crates",
        "rows": rows + loc_rows,
        "notes": notes,
        "cases": cases_out,
    }
