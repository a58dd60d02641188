"""Semantic gym episodes: one logic slip (the test-repair grammar read as mistakes) in a real crate
that still compiles and makes at least one of the crate's own lib tests fail.

A slip is kept only if the crate compiles with it, at least one test fails, and the suite finishes
within its timeout (a slip that makes a loop spin forever is dropped, not waited on). The failing
tests keep their panic messages and backtrace frames (RUST_BACKTRACE=1), the passing ones their
names: what localization is fitted and measured on. Crates come from engine.gym.splits; held-out
crates are split by crate, never by episode.

    python -m engine.gym.semantic --split dev --per-crate 8 --seed N  (any seed but the bench's)
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

import msgspec

from engine.edits import apply_edits
from engine.gym.crates import prepare, verify
from engine.gym.errors import GymError
from engine.gym.splits import DEV_CRATES, HELDOUT_CRATES
from engine.repair.workspace import write_fresh
from engine.testrepair.grammar import mutants
from engine.testrepair.signals import library_file, test_files
from engine.testrepair.types import Mutant
from toolbelt.cargo_run import run_test
from toolbelt.paths import writable_cache_dir
from toolbelt.types import TestFailure, TestResult


class SemanticEpisode(msgspec.Struct, frozen=True, kw_only=True):
    version: int = 1
    crate: str
    split: str
    seed: int
    mutant: Mutant
    failing: tuple[TestResult, ...]  # with their failures (frames); output dropped
    passing: tuple[str, ...]
    seconds: float  # the mutated suite's wall time

    @property
    def id(self) -> str:
        e = self.mutant.edit
        return f"{self.crate}:{e.file}:{e.start}:{self.mutant.kind}"


_ENC = msgspec.json.Encoder()
_DEC = msgspec.json.Decoder(SemanticEpisode)


def home() -> Path:
    return writable_cache_dir() / "gym" / "semantic"


def crate_dir(name: str) -> Path:
    return home() / "crates" / name


def pristine(name: str) -> dict[str, bytes]:
    """The .rs files of gym crate `name` as prepared (prepared now if the cache lacks it)."""
    root = crate_dir(name)
    if not (root / "Cargo.toml").is_file():
        prepare(name, root)
    return library_sources(root)


def library_sources(root: Path) -> dict[str, bytes]:
    files = {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*.rs"))
        if "target" not in p.relative_to(root).parts
    }
    return files


def _slim(t: TestResult) -> TestResult:
    """The failure without the test's output; the assertion's `left`/`right` stay (cut to 400 chars):
    the assertion-values signal reads them."""
    f = t.failure
    slim = (
        TestFailure(
            message=f.message[:400],
            kind=f.kind,
            left=f.left[:400] if f.left is not None else None,
            right=f.right[:400] if f.right is not None else None,
            file=f.file,
            line=f.line,
            frames=f.frames,
        )
        if f
        else None
    )
    return msgspec.structs.replace(t, output="", failure=slim)


def with_values(episodes: list[SemanticEpisode], log=print) -> list[SemanticEpisode]:
    """Episodes stored before failures kept `left`/`right`, with them filled in: each episode's
    failing tests run again on its mutated crate (the same mutation, in place, restored after). A test
    whose rerun does not fail keeps its stored failure."""
    out: list[SemanticEpisode] = []
    for e in episodes:
        if all(t.failure is None or t.failure.left is not None for t in e.failing) and any(
            t.failure is not None and t.failure.left is not None for t in e.failing
        ):
            out.append(e)
            continue
        root = crate_dir(e.crate)
        if not (root / "Cargo.toml").is_file():
            prepare(e.crate, root)
        rel = e.mutant.edit.file
        original = (root / rel).read_bytes()
        write_fresh(root / rel, apply_edits(original, [e.mutant.edit]))
        try:
            rep = run_test(root, backtrace=True, test_filters=[t.name for t in e.failing], exact=True)
        finally:
            write_fresh(root / rel, original)
        again = {t.name: _slim(t) for t in rep.tests if t.status == "failed"}
        failing = tuple(
            msgspec.structs.replace(t, failure=again[t.name].failure) if t.name in again else t
            for t in e.failing
        )
        log(f"  {e.id}: {len(again)} of {len(e.failing)} failed again")
        out.append(msgspec.structs.replace(e, failing=failing))
    return out


def generate(
    name: str, split: str, seed: int, want: int, *, max_tries: int = 40, log=print
) -> list[SemanticEpisode]:
    """Up to `want` episodes of crate `name` (prepared and verified first)."""
    root = crate_dir(name)
    if not (root / "Cargo.toml").is_file():
        prepare(name, root)
    ok, why = verify(root)
    if not ok:
        raise GymError(f"{name} is not usable for the semantic gym: {why}.")
    t0 = time.monotonic()
    run_test(root)  # warm: the timeout is measured on an incremental run
    base_s = time.monotonic() - t0
    timeout = max(30.0, 10 * base_s)
    files = library_sources(root)
    tests_files = test_files(files)
    pool: list[Mutant] = []
    for rel, data in files.items():
        if library_file(rel, tests_files):
            pool.extend(mutants(data, rel, slips=True))
    rng = random.Random(f"{name}:{seed}")
    rng.shuffle(pool)
    out: list[SemanticEpisode] = []
    for m in pool[:max_tries]:
        if len(out) >= want:
            break
        rel = m.edit.file
        original = files[rel]
        write_fresh(root / rel, apply_edits(original, [m.edit]))
        try:
            t1 = time.monotonic()
            rep = run_test(root, backtrace=True, timeout_s=timeout)
            secs = time.monotonic() - t1
        finally:
            write_fresh(root / rel, original)
        verdict = rep.status
        if rep.status == "failed":
            failing = tuple(_slim(t) for t in rep.tests if t.status == "failed")
            passing = tuple(t.name for t in rep.tests if t.status == "ok")
            out.append(
                SemanticEpisode(
                    crate=name,
                    split=split,
                    seed=seed,
                    mutant=m,
                    failing=failing,
                    passing=passing,
                    seconds=secs,
                )
            )
        log(f"  {name} {m.description} [{m.kind}]: {verdict}")
    return out


def save(episodes: list[SemanticEpisode], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("ab") as f:
        for e in episodes:
            f.write(_ENC.encode(e) + b"\n")


def load(path: Path) -> list[SemanticEpisode]:
    if not path.is_file():
        return []
    return [_DEC.decode(line) for line in path.read_bytes().splitlines() if line.strip()]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m engine.gym.semantic", description=__doc__.splitlines()[0])
    ap.add_argument("--split", choices=("dev", "heldout"), default="dev")
    ap.add_argument("--crates", help="comma-separated crate names (default: the split's)")
    ap.add_argument("--per-crate", type=int, default=6)
    ap.add_argument("--max-tries", type=int, default=30)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, help="JSON lines to append to (default: the gym's cache)")
    a = ap.parse_args(argv)
    names = (a.crates or (DEV_CRATES if a.split == "dev" else HELDOUT_CRATES)).split(",")
    out = a.out or home() / f"{a.split}-seed{a.seed}.jsonl"
    for name in names:
        try:
            eps = generate(name, a.split, a.seed, a.per_crate, max_tries=a.max_tries)
        except GymError as e:
            print(f"skip {name}: {e}", file=sys.stderr)
            continue
        save(eps, out)
        print(f"{name}: {len(eps)} episodes -> {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
