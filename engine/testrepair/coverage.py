"""Measured test coverage: build the scratch copy with source probes (`engine.testrepair.probes`), run
the suite once, read which statements each test ran, and put the user's code back.

One extra build and one suite run per repair. When the probed crate does not build (a macro or const
context the probes do not know) or the run does not finish, the answer is None and localization
falls back to the call graph read from the source: coverage is evidence when it exists, never a
precondition.
"""

from __future__ import annotations

import tempfile
import threading
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path

from engine.edits import Edit
from engine.repair.workspace import Workspace
from engine.syntax.types import Base
from engine.testrepair.probes import Instrumented, Probe, instrument, line_probes
from engine.testrepair.signals import library_file, test_files
from toolbelt.cargo_run import run_test
from toolbelt.types import Diagnostic, TestReport

COVERAGE_VERSION = 2


class Coverage(Base, kw_only=True, frozen=True):
    """Which probes each test ran (tests named as libtest names them)."""

    version: int = COVERAGE_VERSION
    probes: tuple[Probe, ...]
    tests: tuple[tuple[str, tuple[int, ...]], ...]
    seconds: float = 0.0


def library_root(root: Path, files: Mapping[str, bytes]) -> str | None:
    """The library target's root file, crate-relative (`[lib] path`, else src/lib.rs)."""
    try:
        manifest = tomllib.loads((root / "Cargo.toml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    rel = str((manifest.get("lib") or {}).get("path", "src/lib.rs")).removeprefix("./")
    return rel if rel in files else None


def parse_hits(text: str, known: Sequence[str] | None = None) -> dict[str, set[int]]:
    """`name TAB id` lines -> {test name: probe ids}; lines cut short by a killed process are skipped."""
    want = set(known) if known is not None else None
    out: dict[str, set[int]] = {}
    for line in text.splitlines():
        name, _, pid = line.rpartition("\t")
        if not name or not pid.isdigit() or (want is not None and name not in want):
            continue
        out.setdefault(name, set()).add(int(pid))
    return out


def measure(
    ws: Workspace,
    files: Mapping[str, bytes],
    tests: Sequence[str],
    *,
    timeout_s: float = 120.0,
    cancel: threading.Event | None = None,
) -> Coverage | None:
    """Run the suite once with probes in the library; None when the probed crate cannot run it.

    A probed build that fails is retried once without probes in the fns its errors point at (a
    shape the probes do not know costs those fns' line coverage, not the crate's)."""
    import time

    root_file = library_root(ws.root, files)
    if root_file is None:
        return None
    tests_only = test_files(files)
    lib = {rel for rel in files if library_file(rel, tests_only)}
    t0 = time.monotonic()
    skip: frozenset[tuple[str, int]] = frozenset()
    for _ in range(2):
        inst = instrument(files, lib, root_file, skip)
        rep, text = _probed_run(ws, files, inst, timeout_s, cancel)
        if rep.status != "build_failed":
            break
        spots = _error_spots(rep.diagnostics, lib)
        if not spots or spots <= skip:
            return None
        skip |= spots
    if rep.status not in ("passed", "failed"):
        return None
    hits = parse_hits(text, tests)
    return Coverage(
        probes=inst.probes,
        tests=tuple(sorted((k, tuple(sorted(v))) for k, v in hits.items())),
        seconds=round(time.monotonic() - t0, 2),
    )


def _probed_run(
    ws: Workspace,
    files: Mapping[str, bytes],
    inst: Instrumented,
    timeout_s: float,
    cancel: threading.Event | None,
) -> tuple[TestReport, str]:
    """The suite's run with `inst`'s files in the scratch copy (put back afterwards) and the hits file."""
    edits = tuple(
        Edit(file=rel, start=0, end=len(files[rel]), replacement=new.decode()) for rel, new in inst.files
    )
    with tempfile.TemporaryDirectory(prefix="rusta-cov-") as tmp:
        out = Path(tmp) / "hits.tsv"
        before = ws.try_edits(edits)
        try:
            rep = run_test(
                ws.root, env_extra={"RUSTA_COV_FILE": str(out)}, timeout_s=timeout_s, cancel=cancel
            )
        finally:
            ws.revert(before)
        text = out.read_text(encoding="utf-8", errors="replace") if out.is_file() else ""
    return rep, text


def _error_spots(diags: Sequence[Diagnostic], lib: set[str]) -> frozenset[tuple[str, int]]:
    """(file, line) of each error's spans in library files."""
    return frozenset(
        (sp.file_name, ln)
        for d in diags
        if d.level.startswith("error")
        for sp in d.spans
        if sp.file_name in lib
        for ln in range(sp.line_start, sp.line_end + 1)
    )


class Spectra(Base, kw_only=True, frozen=True):
    """Per line, how many failing and passing tests ran it; only tests the probes heard from count."""

    failing: int
    passing: int
    lines: dict[tuple[str, int], tuple[int, int]]  # (file, line) -> (failing that ran it, passing)
    # (file, line) -> which failing and which passing tests (their indices) ran it
    who: dict[tuple[str, int], tuple[tuple[int, ...], tuple[int, ...]]] = {}


def line_spectra(cov: Coverage, failing: Sequence[str], passing: Sequence[str]) -> Spectra | None:
    """None when no failing test left a trace (a doctest, or a test whose work ran in other threads):
    then the call graph has to stand in for coverage."""
    ran = dict(cov.tests)
    fail_sets = [set(ran[t]) for t in failing if ran.get(t)]
    if not fail_sets:
        return None
    pass_sets = [set(ran[t]) for t in passing if ran.get(t)]
    who = {
        key: (
            tuple(i for i, s in enumerate(fail_sets) if not s.isdisjoint(ids)),
            tuple(i for i, s in enumerate(pass_sets) if not s.isdisjoint(ids)),
        )
        for key, ids in line_probes(cov.probes).items()
    }
    lines = {key: (len(f), len(p)) for key, (f, p) in who.items()}
    return Spectra(failing=len(fail_sets), passing=len(pass_sets), lines=lines, who=who)
