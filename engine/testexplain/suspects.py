"""The lines a failing run points at: test repair's localization, attached to each test's story.

`rusta test --explain` ranks the crate's lines with the same step `rusta fix` and the test-repair
bench use (`engine.testrepair.search.measured_localization`: coverage from one probed run, the call
graph, the fitted weights), so the place it names is the place the bench measured. The LM is left
out: the weights fitted without it are used, and explaining never pays for loading a model.

IO: syncs a scratch copy of the crate and runs its tests there once, with probes; the user's files
are only read.
"""

from __future__ import annotations

from pathlib import Path

import msgspec

from engine.testexplain.types import SuspectLine, TestStory
from toolbelt.types import TestReport

SHOWN = 5  # the bench's top-5


def localize_run(report: TestReport, *, timeout_s: float = 120.0) -> tuple[tuple[SuspectLine, ...], str]:
    """The most suspect lines for the report's failing tests, and what the ranking rests on."""
    from engine.repair.workspace import Workspace
    from engine.testrepair.search import measured_localization

    failing = [t for t in report.tests if t.status == "failed"]
    if not failing:
        return (), ""
    passing = [t.name for t in report.tests if t.status == "ok"]
    ws = Workspace(Path(report.crate_root))
    ws.sync()
    files = {rel: data for rel in ws.files() if (data := ws.read(rel)) is not None}
    loc = measured_localization(ws, files, failing, passing, lm=None, timeout_s=timeout_s)
    top = tuple(
        SuspectLine(file=s.file, line=s.line, function=s.function, text=s.text, p=s.score)
        for s in loc.suspects[:SHOWN]
    )
    return top, loc.note


def explain_run(report: TestReport, *, localize: bool = True) -> tuple[tuple[TestStory, ...], str]:
    """A story per failing test with the run's ranking of suspect lines: what `rusta test --explain`
    prints and the app's Tests pane shows (one function, so both name the same lines). The second
    value says why the ranking is missing when it could not be made ("" otherwise); `localize=False`
    gives the stories alone, at once (the pane shows them while the probed run goes on)."""
    from engine.repair.errors import RepairError
    from engine.testexplain.story import explain_report
    from engine.testrepair.errors import TestRepairError
    from toolbelt.errors import ToolbeltError

    stories = explain_report(report)
    if not localize or not stories:
        return stories, ""
    try:
        top, note = localize_run(report)
    except (TestRepairError, RepairError, ToolbeltError) as e:  # the stories stand without a ranking
        return stories, f"no ranking of suspect lines: {e}"
    return with_suspects(stories, top, note), ""


def with_suspects(
    stories: tuple[TestStory, ...], suspects: tuple[SuspectLine, ...], note: str
) -> tuple[TestStory, ...]:
    """Each story with the run's ranking (one ranking serves every failing test of the run)."""
    return tuple(msgspec.structs.replace(s, suspects=suspects, suspects_note=note) for s in stories)
