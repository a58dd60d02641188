"""Which code a failing test panicked in, when the patch did not write that code.

A refusal that says "this test fails with the patch" blames the patch. The mistake this answers is
blaming it for a panic in code that was already in the crate: a hole (`todo!()`, `unimplemented!()`)
or any line an earlier Rusta patch wrote (an inserted `.unwrap()` that panics on `None`), landed
while the tests could not run. The patch under test only let the crate compile, so that line ran
for the first time. The panic's location comes from libtest's report (toolbelt TestFailure); the
earlier patch from the op log and the snapshot store (the lines each applied patch added).
"""

from __future__ import annotations

from pathlib import Path

from diary import snapshots as snaps
from engine.patching import oplog
from toolbelt.types import TestResult

_HOLE_PANICS = {"not yet implemented": "todo!()", "not implemented": "unimplemented!()"}


def _line(path: Path, n: int) -> str | None:
    try:
        lines = path.read_text(errors="replace").splitlines()
    except OSError:
        return None
    return lines[n - 1].strip() if 0 < n <= len(lines) else None


def _writer(root: Path, file: str, text: str) -> str:
    """The patch id of the last landed, not undone, Rusta op whose change added a line `text` to `file`."""
    ops = oplog.history(root)
    undone = {o.reverts for o in ops if o.op == "undo" and o.state == "done"}
    for o in reversed(ops):
        if o.op != "apply" or o.state != "done" or o.op_id in undone or file not in o.files:
            continue
        old = snaps.entries(root, o.snapshot_before).get(file)
        before = snaps.read_blob(root, old.blob).decode(errors="replace") if old else ""
        if text not in {x.strip() for x in before.splitlines()}:
            return o.patch_id
    return ""


def panic_lines(crate: Path, tests: tuple[TestResult, ...] | list[TestResult]) -> dict[tuple[str, int], str]:
    """The patched crate's text at each failing test's panic location, read while the sandbox still
    holds the patched tree (a baseline run afterwards puts the old one back, whose line there is
    another: a `}` where the patch's `todo!()` panicked)."""
    out: dict[tuple[str, int], str] = {}
    for t in tests:
        f = t.failure
        if t.status == "failed" and f is not None and f.file and (text := _line(crate / f.file, f.line)):
            out[(f.file, f.line)] = text
    return out


def elsewhere(root: Path, panicked: dict[tuple[str, int], str], tests: list[TestResult]) -> dict[str, str]:
    """One sentence per failing test, by its name, that panicked in a line the patch did not write:
    a hole the crate had before it, or a line an earlier Rusta patch wrote (named, with how to undo
    it). A test not named here failed in code the patch wrote, or in the crate's own code.
    `panicked`: the patched tree's line at each panic location (`panic_lines`)."""
    out: dict[str, str] = {}
    for t in tests:
        f = t.failure
        if f is None or not f.file:
            continue
        mac = next((m for k, m in _HOLE_PANICS.items() if f.message.startswith(k)), None)
        text = panicked.get((f.file, f.line))
        current = (root / f.file).read_text(errors="replace") if (root / f.file).is_file() else ""
        if not text or text not in {x.strip() for x in current.splitlines()}:
            continue  # the line is the patch's own: the blame stands
        by = _writer(root, f.file, text)
        if mac is None:
            if not by:
                continue  # the crate's own code: the patch may well be what makes it panic
            out[t.name] = (
                f"{t.name} panics at {f.file}:{f.line} (`{text}`), a line Rusta's earlier patch {by} wrote,"
                " not this one: this patch lets the crate compile, so that line runs for the first time"
                " (`rusta undo` reverts the last patch; `rusta history` lists them)."
            )
            continue
        who = (
            f"which Rusta's earlier patch {by} wrote (`rusta undo` reverts the last patch; `rusta history` lists them)"
            if by
            else "which the crate already had before this patch"
        )
        out[t.name] = f"{t.name} panics in the `{mac}` at {f.file}:{f.line}, {who}."
    return out
