"""One mistake, one answer: the fix the app shows for a story is the edit `rusta fix` makes for it.

The app's story patch comes from explain; `rusta fix` runs the repair search (`engine.repair.flow.
propose`, which the CLI calls). Both run here for real on the demo crate, and for every story the
app can fix, the lines its patch adds are among the lines `rusta fix`'s diff adds to that file.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rusta_tui import difftext
from rusta_tui.app import RustaApp
from rusta_tui.messages import ProbeFinished
from rusta_tui.patchstatus import placeholders
from tests.tui.conftest import Recorder

pytestmark = [pytest.mark.anyio, pytest.mark.slow]


def added(diff: str) -> set[tuple[str, str]]:
    return {
        (f.path, ln.text.strip()) for f in difftext.parse(diff) for h in f.hunks for ln in h if ln.tag == "+"
    }


async def test_app_story_patches_agree_with_rusta_fix(demo_crate: Path, recorder: Recorder) -> None:
    from engine.repair import flow

    app = RustaApp(demo_crate, watch=False, theme="textual-dark", recover=False, network=lambda: "pinned")
    async with app.run_test(size=(80, 24), message_hook=recorder) as pilot:
        await recorder.wait_for(ProbeFinished)
        await pilot.pause()
        stories = [
            e
            for e in app.session.explanations
            if e.level == "error" and e.patch is not None and not placeholders(e)  # rusta fix fixes errors
        ]
    assert {e.code for e in stories} >= {"E0369", "E0382"}  # the derive and the clone at least
    proposal = flow.propose(demo_crate, budget=12, run_tests=False)  # what `rusta fix --no-tests` runs
    assert proposal.result.status == "fixed", proposal.result.message
    by_cli = added(proposal.result.diff)
    for e in stories:
        mine = added(e.patch.diff)
        assert mine <= by_cli, f"{e.code}: the app adds {mine - by_cli}, rusta fix adds {by_cli}"
