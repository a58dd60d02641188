"""miri on a patch that changes `unsafe` code: the tests that reach the changed items, run under miri.

Which tests: a static call graph by name over the patched crate's fns (engine.syntax.program: an
over-approximation, since trait calls resolve only in rustc), from the changed items that hold
`unsafe` back to the `#[test]` fns that reach them; their names are libtest's filters. When no test
reaches them the proof says so rather than running the whole suite under miri (minutes, not seconds).
When miri is not installed the sandbox's proof already says so in rustup's words and nothing runs.
"""

from __future__ import annotations

from pathlib import Path

import msgspec

from diary import snapshots as snaps
from engine.patching.diffs import apply_changes
from engine.patching.sandbox import crate_changes, sandbox_home
from engine.patching.types import Patch, Proof, Validation
from engine.repair.workspace import Workspace
from engine.syntax.fn_items import changed_items
from engine.syntax.program import functions
from toolbelt.miri import MiriRun, MiriStatus, miri_status, run_miri_tests


def unsafe_fn_names(files: dict[str, tuple[bytes | None, bytes | None]]) -> set[str]:
    """The names of changed fns holding `unsafe` (for an impl or a mod, the fns inside it that do)."""
    names: set[str] = set()
    for path, (old, new) in files.items():
        if not path.endswith(".rs") or new is None:
            continue
        for prev, it in changed_items(old or b"", new):
            if not (it.has_unsafe or (prev is not None and prev.has_unsafe)):
                continue
            if it.kind == "function_item":
                names.add(it.name)
            else:
                names |= {f.name for f in functions(it.text.encode()) if "unsafe" in f.range.text}
    return names


def reaching_tests(sources: dict[str, bytes], targets: set[str]) -> list[str]:
    """`#[test]` fns (by name) whose calls reach one of `targets`, transitively, by name."""
    fns = [f for src in sources.values() for f in functions(src)]
    reached = set(targets)
    grew = True
    while grew:
        grew = False
        for f in fns:
            if f.name not in reached and reached.intersection(f.calls):
                reached.add(f.name)
                grew = True
    return sorted({f.name for f in fns if f.is_test and (f.name in reached)})


def _sources(root: Path) -> dict[str, bytes]:
    out = {}
    for top in ("src", "tests"):
        for p in sorted((root / top).rglob("*.rs")) if (root / top).is_dir() else []:
            out[p.relative_to(root).as_posix()] = p.read_bytes()
    return out


def miri_run_proof(run: MiriRun, names: list[str], tests: list[str]) -> Proof:
    """Pure: a miri run as a proof. A finding is red; what miri cannot run is skipped, in its words."""
    what = ", ".join(names[:5])
    secs = round(run.seconds, 3)
    if run.status == "finding":
        where = f" at {run.where}" if run.where else ""
        in_test = f" in {run.test}" if run.test else ""
        detail = f"miri: {run.finding}{where}{in_test} (the tests reaching {what})."
        return Proof(
            kind="miri",
            status="failed",
            detail=detail,
            count=len(tests),
            passed=len(run.passed),
            seconds=secs,
        )
    if run.status == "unsupported":
        detail = f"miri: could not run {run.test or 'the tests'}: {run.finding}."
        return Proof(
            kind="miri",
            status="skipped",
            detail=detail,
            count=len(tests),
            passed=len(run.passed),
            seconds=secs,
        )
    if run.status == "timeout":
        detail = f"miri: the {len(tests)} test(s) reaching {what} took longer than allowed; not judged."
        return Proof(kind="miri", status="skipped", detail=detail, count=len(tests), seconds=secs)
    if run.status == "failed":
        failed = ", ".join(run.failed) or "the run"
        detail = f"miri: {failed} failed under miri{': ' + run.finding if run.finding else ''}."
        return Proof(
            kind="miri",
            status="failed",
            detail=detail,
            count=len(tests),
            passed=len(run.passed),
            seconds=secs,
        )
    detail = f"miri: {len(run.passed)} test(s) reaching {what} ran under miri, no undefined behaviour found."
    return Proof(
        kind="miri", status="passed", detail=detail, count=len(tests), passed=len(run.passed), seconds=secs
    )


def with_miri(root: Path, patch: Patch, v: Validation, status: MiriStatus | None = None) -> Validation:
    """A green validation whose patch changes `unsafe` code, with its miri proof run when miri is
    installed; unchanged otherwise (the sandbox's proof already says why miri did not run)."""
    if not v.green or not any(p.kind == "miri" for p in v.proofs):
        return v
    st = status or miri_status()
    if not st.available:
        return v
    root = root.resolve()
    new = apply_changes(crate_changes(root, patch.diff), lambda p: _read(root, p))
    names = sorted(unsafe_fn_names({p: (_read(root, p), d) for p, d in new.items()}))
    home = sandbox_home(root)
    home.mkdir(parents=True, exist_ok=True)
    with snaps.file_lock(home / "miri-crate-lock"):
        ws = Workspace(root, scratch=home / "miri-crate")
        ws.sync()
        for path, data in new.items():
            if data is not None:
                ws.write(path, data)
        tests = reaching_tests(_sources(ws.root), set(names))
        if not tests:
            what = ", ".join(names[:5])
            detail = f"miri: {st.version} is installed, but no test reaches {what}; nothing ran under miri."
            proof = Proof(kind="miri", status="skipped", detail=detail)
        else:
            run = run_miri_tests(ws.root, tests, target_dir=home / "miri-target")
            proof = miri_run_proof(run, names, tests)
    proofs = tuple(proof if p.kind == "miri" else p for p in v.proofs)
    v = msgspec.structs.replace(v, proofs=proofs)
    if proof.status == "failed":
        v = msgspec.structs.replace(v, verdict="red", reason=proof.detail.removeprefix("miri: "))
    return v


def _read(root: Path, path: str) -> bytes | None:
    try:
        return (root / path).read_bytes()
    except OSError:
        return None
