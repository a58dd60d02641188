"""The crate's own `benches/` targets with `harness = false`, timed whole before and after a patch.

Such a target is a plain `main` (no libtest, no criterion): Rusta builds it with `cargo bench --no-run`
in two scratch copies (the crate as it is, and patched), then runs the two binaries in interleaved
rounds with an A/A control (the old binary twice, the three runs' order rotating) and judges the
paired ratios of their wall times as it judges a changed fn (engine.proofs.bench_stats). A target
whose one run takes too long for the rounds to fit the time budget is named as not run, with the
numbers. Targets under libtest or criterion (`harness = true`, the default) are not run: criterion
is not among the offline crates and libtest's `#[bench]` needs nightly.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import NamedTuple

from engine.patching.diffs import apply_changes
from engine.patching.sandbox import crate_changes, sandbox_home
from engine.patching.types import Patch, Proof
from engine.proofs.bench_stats import NOISE, describe, summarise
from engine.repair.workspace import Workspace
from toolbelt.cargo_early import cargo_env
from toolbelt.cargo_run import _run_cargo
from toolbelt.cargo_workspace import library_file, package_dirs
from toolbelt.isolation import isolated_argv
from toolbelt.process import run_limited

MIN_ROUNDS = 5


class Benches(NamedTuple):
    """One package's [[bench]] targets: its folder from the workspace root ("" for the root's own),
    its name, the targets with harness = false, and the others."""

    folder: str
    package: str
    plain: list[str]
    other: list[str]

    def label(self, name: str) -> str:
        return f"{self.folder}/benches/{name}" if self.folder else f"benches/{name}"


def workspace_benches(root: Path) -> list[Benches]:
    """The [[bench]] targets of every package of the workspace (members included), by package."""
    out = []
    for folder, package in (package_dirs(root) or {"": ""}).items():
        plain, other = plain_benches(root / folder)
        if plain or other:
            out.append(Benches(folder, package, plain, other))
    return out


def plain_benches(root: Path) -> tuple[list[str], list[str]]:
    """(names of the [[bench]] targets with harness = false, names of the others) from Cargo.toml."""
    try:
        manifest = tomllib.loads((root / "Cargo.toml").read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return [], []
    plain: list[str] = []
    other: list[str] = []
    for b in manifest.get("bench", []) or []:
        if isinstance(b, dict) and isinstance(b.get("name"), str):
            (plain if b.get("harness", True) is False else other).append(b["name"])
    return plain, other


def uncovered(root: Path, patch: Patch) -> str:
    """ "" when a benchmark of the crate covers code the patch changes, else why none does.

    A bench target links the library only, so it covers a change to a library file under src/ (not
    src/main.rs nor src/bin/); the targets are the manifest's [[bench]] entries and benches/*.rs. When
    the patch changes fns, one of them must be reached from a bench file by name
    (engine.proofs.bench_cover)."""
    from engine.proofs.bench_cover import bench_files, reached
    from engine.proofs.hot import changed_fns

    root = root.resolve()
    if not (workspace_benches(root) or bench_files(root)):
        return "no benchmark covers this code: the crate has no benches/"
    lib = any(library_file(root, path) for change in crate_changes(root, patch.diff) for path in change.paths)
    if not lib:
        return "no benchmark covers this code: the patch changes no library file under src/"

    fns = [f.name for f in changed_fns(root.resolve(), patch)]
    by_name = reached(root.resolve())
    if fns and not any(f.rsplit("::", 1)[-1] in by_name for f in fns):
        return f"no benchmark covers this code: no bench under benches/ reaches {', '.join(fns)}"
    return ""


def _build(
    ws: Workspace, names: list[str], target: Path, timeout_s: float, package: str = ""
) -> tuple[dict[str, str], str]:
    """The bench binaries by target name, or ({}, why) when the build failed."""
    pick = ["-p", package] if package else []
    args = ["bench", "--no-run", "--message-format=json", "--quiet", *pick, *[f"--bench={n}" for n in names]]
    proc, _ = _run_cargo(ws.root, args, env=cargo_env(target), timeout_s=timeout_s, cancel=None)
    exes: dict[str, str] = {}
    first_error = ""
    for line in proc.stdout.splitlines():
        try:
            msg = json.loads(line)
        except ValueError:
            continue
        if msg.get("reason") == "compiler-artifact" and msg.get("executable"):
            if "bench" in msg.get("target", {}).get("kind", []):
                exes[msg["target"]["name"]] = msg["executable"]
        elif msg.get("reason") == "compiler-message" and not first_error:
            m = msg.get("message", {})
            if m.get("level") == "error":
                first_error = m.get("message", "")
    if proc.outcome != "ok":
        if proc.outcome == "timeout":
            return {}, f"building the benches took longer than {timeout_s:.0f} s"
        return {}, f"cargo bench --no-run failed{': ' + first_error if first_error else ''}"
    return exes, ""


def _run(exe: str, cwd: Path, timeout_s: float) -> tuple[float | None, str]:
    """The wall time of one run in ns, or (None, why)."""
    proc = run_limited(isolated_argv([exe, "--bench"], loopback=False), cwd=cwd, timeout_s=timeout_s)
    if proc.outcome == "timeout":
        return None, f"one run took longer than {timeout_s:.0f} s"
    if proc.outcome != "ok":
        return None, f"it exited with code {proc.returncode}"
    return proc.duration_s * 1e9, ""


def crate_bench_proofs(
    root: Path,
    patch: Patch,
    *,
    max_slowdown: float,
    accept_slower: bool,
    rounds: int = 11,
    budget_s: float = 60.0,
    build_timeout_s: float = 300.0,
    noise: float = NOISE,
) -> tuple[Proof, ...]:
    """One Proof per plain-main bench target of each package (none when no package has [[bench]]
    targets); each package's targets are built with `-p` and named by their folder from the root."""
    root = root.resolve()
    found = workspace_benches(root)
    proofs: list[Proof] = []
    other = [b.label(n) for b in found for n in b.other]
    if other:
        proofs.append(
            Proof(
                kind="bench",
                status="skipped",
                detail=f"bench {', '.join(other)}: not run: libtest or criterion targets "
                "(harness = true); criterion is not among the offline crates and #[bench] needs nightly.",
            )
        )
    found = [b for b in found if b.plain]
    if not found:
        return tuple(proofs)
    home = sandbox_home(root)
    old_ws = Workspace(root, scratch=home / "crate-bench-old")
    new_ws = Workspace(root, scratch=home / "crate-bench-new")
    old_ws.sync()
    new_ws.sync()
    for path, data in apply_changes(crate_changes(root, patch.diff), lambda p: _read(root, p)).items():
        if data is not None:
            new_ws.write(path, data)
        else:
            (new_ws.root / path).unlink(missing_ok=True)
    for b in found:
        package = b.package if len(package_dirs(root)) > 1 else ""
        old_exes, why = _build(old_ws, b.plain, home / "crate-bench-target-old", build_timeout_s, package)
        if why:
            proofs.append(_skip([b.label(n) for n in b.plain], f"without the patch, {why}"))
            continue
        new_exes, why = _build(new_ws, b.plain, home / "crate-bench-target-new", build_timeout_s, package)
        if why:
            proofs.append(_skip([b.label(n) for n in b.plain], f"with the patch, {why}"))
            continue
        for name in b.plain:
            proofs.append(
                _time_one(
                    name, b.label(name), old_exes, new_exes, (old_ws.root, new_ws.root), rounds, budget_s,
                    noise, max_slowdown, accept_slower,
                )
            )  # fmt: skip
    return tuple(proofs)


def _time_one(
    name: str,
    label: str,
    old_exes: dict[str, str],
    new_exes: dict[str, str],
    cwds: tuple[Path, Path],
    rounds: int,
    budget_s: float,
    noise: float,
    max_slowdown: float,
    accept_slower: bool,
) -> Proof:
    if name not in old_exes or name not in new_exes:
        return _skip([label], "cargo built no binary for it")
    sides = {
        "old": (old_exes[name], cwds[0]),
        "new": (new_exes[name], cwds[1]),
        "ctl": (old_exes[name], cwds[0]),
    }
    per_run = budget_s / (3 * MIN_ROUNDS)
    warm: dict[str, float] = {}
    for side in ("old", "new"):  # warm-up, and how long one run takes
        ns, why = _run(*sides[side], timeout_s=per_run * 2)
        if ns is None:
            return _skip([label], f"the {side} binary did not finish: {why}")
        warm[side] = ns
    longest = max(warm.values()) / 1e9
    if longest > per_run:
        return _skip(
            [name],
            f"one run takes {longest:.1f} s, and {MIN_ROUNDS} rounds of three runs do not fit the "
            f"{budget_s:.0f} s budget",
        )
    n = max(MIN_ROUNDS, min(rounds, int(budget_s / (3 * max(longest, 1e-3)))))
    samples: list[tuple[float, float, float]] = []
    orders = (("old", "new", "ctl"), ("new", "ctl", "old"), ("ctl", "old", "new"))
    for i in range(n):
        got: dict[str, float] = {}
        for side in orders[i % 3]:
            ns, why = _run(*sides[side], timeout_s=max(per_run * 2, 1.0))
            if ns is None:
                return _skip([label], f"the {side if side != 'ctl' else 'old'} binary did not finish: {why}")
            got[side] = ns
        samples.append((got["old"], got["new"], got["ctl"]))
    stats = summarise(samples, inputs=1, reps=1, noise=noise)
    detail = describe(f"{label} (whole run)", stats).replace(" per call", " per run")
    detail = detail.replace(" over 1 input(s)", "")
    from engine.proofs.bench import judge_timing  # bench imports this module

    status, detail = judge_timing(stats, detail, max_slowdown, accept_slower)
    return Proof(kind="bench", status=status, detail=detail, count=stats.samples, bench=stats)


def _skip(labels: list[str], why: str) -> Proof:
    where = ", ".join(labels)
    return Proof(kind="bench", status="skipped", detail=f"bench {where}: not run: {why}.")


def _read(root: Path, path: str) -> bytes | None:
    try:
        return (root / path).read_bytes()
    except OSError:
        return None
