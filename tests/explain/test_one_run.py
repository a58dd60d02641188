"""One explain run walks the crate once and reads each file once, however many stories it has: the
walk of a 1,000-file crate costs milliseconds, and every story's options asked for it."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import pytest

from engine.explain import options
from engine.explain.api import explain_report
from tests.explain.crates import write_lib
from toolbelt.cargo_run import run_check

THREE_STORIES = """\
pub fn a() -> String { "one" }
pub fn b() -> String { "two" }
pub fn c(v: Vec<u32>) -> u32 { let w = v; let n = v.len() as u32; n + w.len() as u32 }
"""


def test_the_stories_of_one_run_share_one_walk_and_the_same_answers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    crate = write_lib(tmp_path, "walks", THREE_STORIES)
    for i in range(20):  # files no story touches still make the walk longer
        (crate / "src" / f"m{i}.rs").write_text(f"pub fn f{i}() {{}}\n")
    report = run_check(crate, target_dir=tmp_path / "target")
    walks: list[object] = []
    real_walk = os.walk

    def counting(top: object, *a: object, **k: object):  # noqa: ANN202
        walks.append(top)
        return real_walk(top, *a, **k)

    monkeypatch.setattr(options.os, "walk", counting)
    stories = explain_report(report)
    assert len([s for s in stories if s.fixes]) >= 2
    assert len(walks) == 1
    assert options._run.get() is None  # nothing of a run outlives it
    walks.clear()
    monkeypatch.setattr(options, "one_run", contextlib.nullcontext)  # each story walks and reads alone
    assert explain_report(report) == stories
    assert len(walks) > 1
