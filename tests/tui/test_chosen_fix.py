"""What the user chose is what is validated and lands: after "Choose a fix", v and a work on the
picked fix, not on the story's own patch, through the core loop (undo and a DevLog record).

The label crate has one error that several green edits fix; the user picks the second one, undoes
it, then validates (v) and applies (a) again: the second fix is what the sandbox sees and what lands.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from diary.devlog import DevLog
from rusta_tui.messages import (
    FixProposed,
    PatchApplied,
    PatchFailed,
    PatchUndone,
    PatchValidated,
    ProbeFinished,
)
from tests.tui.conftest import Recorder, screen_text
from tests.tui.test_fix_key import LABEL_LIB, fix_and_take_first, pair_app
from tests.tui.test_fix_key import label_crate as label_crate  # the fixture
from tests.tui.test_honest_states import _select

pytestmark = [pytest.mark.anyio, pytest.mark.slow]


def _added(diff: str) -> str:
    return next(ln[1:] for ln in diff.splitlines() if ln.startswith("+") and not ln.startswith("+++"))


async def _settle(app, pilot, recorder: Recorder, gen: int) -> None:
    await recorder.wait_for(ProbeFinished, lambda m: m.generation > gen)
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_v_and_a_work_on_the_fix_the_user_chose(label_crate: Path, recorder: Recorder) -> None:
    lib = label_crate / "src" / "lib.rs"
    app = pair_app(label_crate)
    async with app.run_test(size=(80, 24), message_hook=recorder) as pilot:
        await recorder.wait_for(ProbeFinished)
        await _select(pilot, app, "E0308")
        story = app.session.selected_explanation()
        await pilot.press("f")
        proposed = await recorder.wait_for(FixProposed)
        await pilot.pause()
        second = proposed.proposal.result.alternatives[1]
        own = story.patch.diff if story is not None and story.patch is not None else ""
        assert _added(second.diff) != (_added(own) if own else None)  # the pick is not the story's patch
        gen = app.session.generation
        await pilot.press("2")
        picked = await recorder.wait_for(PatchApplied)
        await _settle(app, pilot, recorder, gen)
        key = picked.key

        gen = app.session.generation
        await pilot.press("u")
        await recorder.wait_for(PatchUndone)
        await _settle(app, pilot, recorder, gen)
        assert lib.read_text() == LABEL_LIB
        await _select(pilot, app, "E0308")
        assert "fix 2" in screen_text(app)  # the Explain pane names what v and a will work on

        before = len(recorder.of(PatchValidated))
        await pilot.press("v")
        validated = await recorder.wait_for(
            PatchValidated, lambda _m: len(recorder.of(PatchValidated)) > before
        )
        await pilot.pause()
        assert validated.key == key and validated.ok, validated.summary
        assert validated.patch.diff == second.diff  # the sandbox saw the user's pick
        assert lib.read_text() == LABEL_LIB

        gen = app.session.generation
        applied = len(recorder.of(PatchApplied))
        await pilot.press("a")
        await recorder.wait_for(PatchApplied, lambda _m: len(recorder.of(PatchApplied)) > applied)
        await _settle(app, pilot, recorder, gen)
        assert _added(second.diff) in lib.read_text()  # the pick landed, not the story's own patch
        assert not recorder.of(PatchFailed)

        gen = app.session.generation
        await pilot.press("u")  # the core loop's undo
        await recorder.wait_for(PatchUndone, lambda _m: len(recorder.of(PatchUndone)) > 1)
        await _settle(app, pilot, recorder, gen)
        assert lib.read_text() == LABEL_LIB
        await pilot.press("q")
        await pilot.pause()
    with DevLog.open(label_crate, readonly=True) as log:
        entries = list(log.entries())
        assert log.open_intents() == []
        # the loop's Say names the pick, and its Do applied the chosen diff
        said = [e for e in entries if e.kind == "intent" and "fix 2" in e.summary]
        assert said, [e.summary for e in entries if e.kind == "intent"]
        dos = [e for e in entries if e.payload.get("step") == "do" and e.task == said[-1].id]
        assert any(e.summary.startswith("applied ") for e in dos)


async def test_u_after_f_undoes_fs_patch_not_an_older_tasks(demo_crate: Path, recorder: Recorder) -> None:
    """a lands one story's fix through its loop, f lands another's: u takes back f's, and says so."""
    lib = demo_crate / "src" / "lib.rs"
    app = pair_app(demo_crate)
    async with app.run_test(size=(80, 24), message_hook=recorder) as pilot:
        await recorder.wait_for(ProbeFinished)
        await _select(pilot, app, "E0382")
        await pilot.press("v")
        await recorder.wait_for(PatchValidated)
        gen = app.session.generation
        await pilot.press("a")
        first = await recorder.wait_for(PatchApplied)
        await _settle(app, pilot, recorder, gen)
        await _select(pilot, app, "E0369")
        gen = app.session.generation
        await fix_and_take_first(pilot, recorder)
        await recorder.wait_for(PatchApplied, lambda _m: len(recorder.of(PatchApplied)) > 1)
        await _settle(app, pilot, recorder, gen)
        gen = app.session.generation
        await pilot.press("u")
        undone = await recorder.wait_for(PatchUndone)
        await _settle(app, pilot, recorder, gen)
        assert first.patch_id not in undone.summary, undone.summary
        assert "delivery.clone()" in lib.read_text()  # the older fix stays
        assert "E0369" in {r.code for r in app.session.rows()}
        assert not recorder.of(PatchFailed)
    with DevLog.open(demo_crate, readonly=True) as log:
        undos = [e for e in log.entries() if e.payload.get("op") == "loop.undo"]
        assert not [e for e in undos if e.payload.get("patch_id") == first.patch_id]
