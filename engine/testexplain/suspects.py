"""The lines a failing run points at: test repair's localization, made for each failing test.

`rusta test --explain` ranks the crate's lines with the model `rusta fix` and the test-repair bench
use (coverage from one probed run, the call graph, the fitted weights). The probed run is made once;
then each failing test gets its own ranking: its features read with that test as the one failure
(its backtrace, its assertion, its coverage against the passing tests' spectrum), and only lines
that test ran, or reaches through the call graph, are shown under it. The story's guessed fn leads
its list, so "Where" and "Look at" agree. The LM is left out: the weights fitted without it are
used, and explaining never pays for loading a model.

IO: syncs a scratch copy of the crate and runs its tests there once, with probes; the user's files
are only read.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import msgspec

from engine.testexplain.types import SuspectLine, TestStory
from engine.testrepair.types import FEATURES, Suspect
from toolbelt.types import TestReport

SHOWN = 5  # the bench's top-5
# a line this test reaches: it ran it (measured), or the call graph, its backtrace or its assertion
# lead to the line's fn
_REACHED = tuple(FEATURES.index(f) for f in ("cov_fail", "reach", "assert_reach", "frame_fn"))
Ranking = tuple[tuple[Suspect, ...], str]  # a test's reached lines, best first, and what they rest on


def localize_run(
    report: TestReport, *, timeout_s: float = 120.0
) -> tuple[dict[str, Ranking], Mapping[str, bytes]]:
    """Per failing test, the lines it reaches, most suspect first, and what that ranking rests on;
    and the crate's files as ranked."""
    from engine.repair.workspace import Workspace
    from engine.testrepair.coverage import line_spectra, measure
    from engine.testrepair.localize import localize

    failing = [t for t in report.tests if t.status == "failed"]
    if not failing:
        return {}, {}
    passing = [t.name for t in report.tests if t.status == "ok"]
    ws = Workspace(Path(report.crate_root))
    ws.sync()
    files = {rel: data for rel in ws.files() if (data := ws.read(rel)) is not None}
    cov = measure(ws, files, [*(t.name for t in failing), *passing], timeout_s=timeout_s)
    ranked: dict[str, Ranking] = {}
    for t in failing:
        spectra = line_spectra(cov, [t.name], passing) if cov is not None else None
        loc = localize(files, [t], passing, lm=None, spectra=spectra, limit=10_000)
        ranked[t.name] = (tuple(s for s in loc.suspects if reached(s)), loc.note)
    return ranked, files


def reached(s: Suspect) -> bool:
    """Whether the single failing test the ranking was made for runs or reaches this line."""
    return any(s.features[i] > 0 for i in _REACHED)


def explain_run(report: TestReport, *, localize: bool = True) -> tuple[tuple[TestStory, ...], str]:
    """A story per failing test, each with the suspect lines ranked for that test: what `rusta test
    --explain` prints and the app's Tests pane shows (one function, so both name the same lines).
    The second value says why the rankings are missing when they could not be made ("" otherwise);
    `localize=False` gives the stories alone, at once (the pane shows them while the probed run goes
    on)."""
    from engine.repair.errors import RepairError
    from engine.testexplain.story import explain_report
    from engine.testrepair.errors import TestRepairError
    from toolbelt.errors import ToolbeltError

    stories = explain_report(report)
    if not localize or not stories:
        return stories, ""
    try:
        ranked, files = localize_run(report)
    except (TestRepairError, RepairError, ToolbeltError) as e:  # the stories stand without a ranking
        return stories, f"no ranking of suspect lines: {e}"
    return with_suspects(stories, ranked, files), ""


def with_suspects(
    stories: Sequence[TestStory],
    ranked: Mapping[str, Ranking],
    files: Mapping[str, bytes],
) -> tuple[TestStory, ...]:
    """Each story with its own test's ranking, the lines of the fn its `where` names first."""
    out = []
    for s in stories:
        found, note = ranked.get(s.test, ((), ""))
        lines = list(found)
        guess = guessed_fn(s, files)
        if guess is not None:
            lines = [x for x in lines if _in_fn(x, guess)] + [x for x in lines if not _in_fn(x, guess)]
        top = tuple(
            SuspectLine(file=x.file, line=x.line, function=x.function, text=x.text, p=x.score)
            for x in lines[:SHOWN]
        )
        out.append(msgspec.structs.replace(s, suspects=top, suspects_note=note))
    return tuple(out)


def guessed_fn(story: TestStory, files: Mapping[str, bytes]) -> tuple[str, int, int] | None:
    """(file, first line, last line) of the library fn holding the story's `where_at`, if any."""
    from engine.syntax.program import functions

    file, _, at = story.where_at.rpartition(":")
    data = files.get(file)
    if data is None or not at.isdigit():
        return None
    line = int(at)
    for f in functions(data):
        first = f.range.line
        last = first + f.range.text.count("\n")
        if first <= line <= last and not (f.in_test_code or f.is_test):
            return file, first, last
    return None


def _in_fn(s: Suspect, fn: tuple[str, int, int]) -> bool:
    return s.file == fn[0] and fn[1] <= s.line <= fn[2]
