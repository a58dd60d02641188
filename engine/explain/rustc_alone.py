"""rustc's own suggestion run through the crate's tests alone, when Rusta's lead fix is it plus more.

The general mistake: rustc's suggestion compiles, yet without the edit Rusta adds to it the
program no longer does its job (a sender cloned per loop iteration, the original never dropped, so
the receiver's loop waits forever). The user has just read rustc's suggestion, often marked
MachineApplicable, and pair mode promises one line on why it is not the fix. That line rests on one
fact only: the crate's tests were run with rustc's edits alone and ran `ALONE_TIMEOUT_S` without
finishing (counted from libtest's first `running N tests`, so a slow build is not a hang), or named
tests failed. A cause is
added only where a syntax fact gives one (`engine.repair.sender_drop.keeps_receiver_open`). Nothing
is run unless the lead's own tests passed, so the line contrasts two runs of the same tests.
"""

from __future__ import annotations

from pathlib import Path

import msgspec

from engine.edits import best_suggestion, diff_of_edits
from engine.explain.testing import Tester
from engine.explain.types import Explanation, PatchOption
from engine.repair.sender_drop import keeps_receiver_open

ALONE_TIMEOUT_S = 15.0  # a hang is told from a slow suite by the lead's passing run of the same tests


def rustc_inside(root: Path, e: Explanation) -> PatchOption | None:
    """rustc's suggestion for the story as an option of its own, when the lead fix holds every one of
    its edits and more (Rusta's additions), and the lead passed the crate's tests."""
    lead = e.fixes[0] if e.fixes else None
    if lead is None or lead.source == "rustc" or lead.tests_run != "passed" or len(e.diagnostics) != 1:
        return None
    if lead.steps:  # finished in steps: rustc's first step alone does not compile, as its line says
        return None
    d = e.diagnostics[0]
    s = best_suggestion(d)
    if s is None or not s.edits or not set(s.edits) < set(lead.edits):
        return None
    files: dict[str, bytes] = {}
    for name in {ed.file for ed in s.edits}:
        try:
            files[name] = (root / name).read_bytes()
        except OSError:
            return None
    diff = diff_of_edits(files, s.edits)
    if not diff:
        return None
    shows = tuple(ln[1:] for ln in diff.splitlines() if ln.startswith("+") and not ln.startswith("+++"))
    return PatchOption(
        id="",
        name=s.message or "rustc's suggestion",
        edits=tuple(s.edits),
        patch=diff,
        shows=shows,
        file=lead.file,
        line=lead.line,
        source="rustc",
        applicability=s.applicability,
        validated="compiles",
    )


def judged(root: Path, e: Explanation, tester: Tester) -> Explanation:
    """The story with its lead fix carrying rustc's suggestion alone (`PatchOption.alone`) when the
    crate's tests hang or fail with it; unchanged when they pass, or did not build in time."""
    alone = rustc_inside(root, e)
    if alone is None:
        return e
    v = tester.run(alone.edits, timeout_s=ALONE_TIMEOUT_S, hangs=True)
    if v.status == "timeout":
        why = f"the crate's tests ran {ALONE_TIMEOUT_S:.0f} s without finishing"
    elif v.status == "failed" and (bad := tester.blamed(v.failed)):
        why = "the crate's test " + ", ".join(f"`{t}`" for t in bad[:3]) + " fails with it"
    else:
        return e
    cause = keeps_receiver_open(alone.edits, e.diagnostics[0], lambda rel: _read(root, rel))
    alone = msgspec.structs.replace(
        alone, tests_run="failed", fails_because=why + (f": {cause}" if cause else "")
    )
    lead = msgspec.structs.replace(e.fixes[0], alone=(alone,))
    return msgspec.structs.replace(e, fixes=(lead, *e.fixes[1:]))


def _read(root: Path, rel: str) -> bytes | None:
    try:
        return (root / rel).read_bytes()
    except OSError:
        return None
