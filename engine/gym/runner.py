"""Run repair methods on gym episodes and judge each outcome with the real compiler and tests.

Methods: Rusta's repair (with its learned heads, without them, with a random candidate order),
and the baselines a user has today: do nothing, `cargo fix --broken-code`,
`cargo clippy --fix --broken-code`, and naive "apply the first suggestion of every error".
A case is solved only if `cargo test` passes and no file but the mutated one changed.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import msgspec

from engine.edits import Edit, apply_edits, by_file, first_non_overlapping
from engine.gym.episodes import Episode
from engine.gym.errors import GymError
from engine.gym.mutate import apply
from engine.heads.action import RandomOrder, Ranker
from engine.repair.search import repair
from engine.repair.suggestions import suggestion_candidates
from engine.repair.workspace import write_fresh
from toolbelt.cargo_run import cargo_env, run_check, run_test
from toolbelt.paths import target_dir_for
from toolbelt.process import run_limited


class Outcome(msgspec.Struct, frozen=True, kw_only=True):
    episode: str
    kind: str
    method: str
    solved: bool
    exact: bool
    changed: tuple[str, ...]
    broken_apply: bool
    validations: int
    seconds: float
    confidence: float | None = None  # the Confidence head's P(exact) for Rusta's fix; None: no head ran


def _snapshot(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*.rs"))
        if "target" not in p.parts
    }


def _restore(root: Path, pristine: dict[str, bytes]) -> None:
    now = _snapshot(root)
    for rel in now.keys() - pristine.keys():
        (root / rel).unlink()
    for rel, data in pristine.items():
        if now.get(rel) != data:
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            write_fresh(root / rel, data)


def method_nothing(root: Path) -> int:
    return 0


def _cargo_fix(root: Path, command: list[str]) -> int:
    """Run a fixer as users do; one that cannot even start is a broken baseline, not a zero score."""
    argv = ["cargo", *command, "--broken-code", "--allow-dirty", "--allow-no-vcs", "--lib"]
    proc = run_limited(argv, cwd=root, env=cargo_env(target_dir_for(root)), timeout_s=300)
    if proc.returncode not in (0, 101) and b"error: unexpected argument" in proc.stderr:
        raise GymError(
            f"`{' '.join(argv)}` was refused: {proc.stderr.decode(errors='replace').strip()[:200]}"
        )
    return 1


def method_cargo_fix(root: Path) -> int:
    return _cargo_fix(root, ["fix"])


def method_clippy_fix(root: Path) -> int:
    return _cargo_fix(root, ["clippy", "--fix"])


def method_naive(root: Path) -> int:
    """The first suggestion of every error, whatever rustc's confidence, applied at once."""
    report = run_check(root, all_targets=False)
    edits: list[Edit] = []
    for d in report.diagnostics:
        if not d.level.startswith("error"):
            continue
        cands = suggestion_candidates(d)
        if cands:
            edits.extend(cands[0].edits)
    for rel, file_edits in by_file(first_non_overlapping(edits)).items():
        path = root / rel
        write_fresh(path, apply_edits(path.read_bytes(), file_edits))
    return 1


def method_rusta(
    root: Path, *, rank_with_lm: bool = True, rank_with_heads: bool | Ranker = True
) -> tuple[int, float | None]:
    """Validations, and the Confidence head's rating of the fix (None when no head ran)."""
    result = repair(root, budget=12, rank_with_lm=rank_with_lm, rank_with_heads=rank_with_heads)
    applied = result.files if result.status == "fixed" else ()  # a partial fix leaves errors: not applied
    for rel, new in applied:
        write_fresh(root / rel, new)
    return result.validations, result.confidence


def method_rusta_no_lm(root: Path) -> tuple[int, float | None]:
    """Rusta with the byte LM's tie-breaking off: ties keep their heuristic order (by id)."""
    return method_rusta(root, rank_with_lm=False)


def method_rusta_no_grammar(root: Path) -> tuple[int, float | None]:
    """Rusta without the edit grammar (engine/repair/grammar.py): rustc's suggestions and the rules only."""
    os.environ["RUSTA_NO_GRAMMAR"] = "1"
    try:
        return method_rusta(root, rank_with_lm=False)
    finally:
        os.environ.pop("RUSTA_NO_GRAMMAR", None)


def method_rusta_no_heads(root: Path) -> tuple[int, float | None]:
    """Rusta without the learned heads: the hand-set prior order, ties broken by the byte LM."""
    return method_rusta(root, rank_with_heads=False)


def method_random_order(root: Path) -> tuple[int, float | None]:
    """Rusta's candidates and validation, tried in a random order: the floor an order must beat."""
    return method_rusta(root, rank_with_heads=RandomOrder(seed=0))


METHODS: dict[str, Callable[[Path], int | tuple[int, float | None]]] = {
    "rusta": method_rusta,
    "rusta-no-lm": method_rusta_no_lm,
    "rusta-no-grammar": method_rusta_no_grammar,
    "rusta-no-heads": method_rusta_no_heads,
    "random-order": method_random_order,
    "naive-first-suggestion": method_naive,
    "cargo-fix": method_cargo_fix,
    "clippy-fix": method_clippy_fix,
    "nothing": method_nothing,
}


def run_episode(
    ep: Episode,
    root: Path,
    pristine: dict[str, bytes],
    methods: list[str],
    excused: frozenset[str] = frozenset(),
) -> list[Outcome]:
    """Each method starts from the same mutated crate; the crate is pristine again afterwards. The
    methods take turns going first (rotated by a stable hash of the episode): the first to run on a
    mutation pays for building it (1.5-2 s on a loaded 2-core machine), and with a fixed order that
    cost landed on one method's median every time.

    `excused`: tests that already failed in the pristine crate (gym.failing_suite). A case is then
    solved when the suite builds and no other test fails: the rule `rusta fix` must follow, judged
    from the gym's own run of the pristine suite, not from what the method says."""
    outcomes: list[Outcome] = []
    turn = int.from_bytes(hashlib.blake2b(ep.id.encode(), digest_size=4).digest(), "little") % max(
        1, len(methods)
    )
    for name in methods[turn:] + methods[:turn]:
        _restore(root, pristine)
        path = root / ep.mutation.file
        mutated = apply(pristine[ep.mutation.file], ep.mutation)
        write_fresh(path, mutated)
        t0 = time.monotonic()
        ran = METHODS[name](root)
        validations, confidence = ran if isinstance(ran, tuple) else (ran, None)
        seconds = time.monotonic() - t0
        now = _snapshot(root)
        changed = tuple(
            sorted(
                k
                for k in set(now) | set(pristine)
                if now.get(k) != (mutated if k == ep.mutation.file else pristine.get(k))
            )
        )
        tests = run_test(root)
        failing = {t.name for t in tests.tests if t.status == "failed"}
        passed = tests.status == "passed" or (
            tests.status == "failed" and bool(failing) and failing <= excused
        )
        others = [c for c in changed if c != ep.mutation.file]
        exact = now.get(ep.mutation.file) == pristine[ep.mutation.file] and not others
        outcomes.append(
            Outcome(
                episode=ep.id,
                kind=ep.mutation.kind,
                method=name,
                solved=passed and not others,
                exact=exact,
                changed=changed,
                broken_apply=bool(changed) and not passed,
                validations=validations,
                seconds=seconds,
                confidence=confidence,
            )
        )
    _restore(root, pristine)
    return outcomes


def workdir_for(cache: Path, crate: str) -> Path:
    return cache / "gym" / "crates" / crate


def reset_dir(path: Path) -> None:
    if path.exists():
        shutil.rmtree(path)
