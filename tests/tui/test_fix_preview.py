"""f shows the fix before it lands, even when it is the only one (#18: "a new user at 80x24 can read
every patch before applying it"), under `rusta fix --yes`'s Confidence gate. The real app through
Pilot on a real crate with one error that one edit fixes; real cargo, no mocks.

Enter applies (the crate then checks clean, the DevLog has the repair, u takes it back); Esc applies
nothing (every file unchanged, byte for byte) and says so; a threshold no fix reaches (1.0, as
tests/repair/test_fix_confidence.py uses for the CLI) shows the held-back line, Enter then applies
nothing and says how to, and the fix's number applies it: the user's explicit choice. `a` on Home,
which has no Patch pane, opens the validated patch in Code first.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.console import Group
from rich.text import Text

from diary.devlog import DevLog
from rusta_tui import difftext
from rusta_tui.app import RustaApp
from rusta_tui.messages import (
    FixProposed,
    PatchApplied,
    PatchCancelled,
    PatchUndone,
    PatchValidated,
    ProbeFinished,
)
from rusta_tui.screens.choose import ChooseFixScreen
from rusta_tui.screens.code import CodeScreen
from rusta_tui.types import Settings
from rusta_tui.widgets.panes import Pane
from tests.explain.crates import write_lib
from tests.tui.conftest import Recorder, screen_text
from tests.tui.test_fix_key import crate_files
from tests.tui.test_honest_states import _select

pytestmark = [pytest.mark.anyio, pytest.mark.slow]

SQUARES = """\
/// The squares below `n`, in order.
pub fn squares(n: u32) -> Vec<u32> {
    let v = Vec::new();
    for i in 0..n {
        v.push(i * i);
    }
    v
}

#[cfg(test)]
mod tests {
    #[test]
    fn three_squares() {
        assert_eq!(super::squares(3), vec![0, 1, 4]);
    }
}
"""
FIXED = "    let mut v = Vec::new();"  # the one edit that fixes E0596


@pytest.fixture
def squares_crate(tmp_path: Path) -> Path:
    """One error (E0596, a push on a binding not declared `mut`) that one edit fixes, and a test."""
    return write_lib(tmp_path, "squares", SQUARES)


def pair_app(root: Path, threshold: float | None) -> RustaApp:
    return RustaApp(
        root,
        settings=Settings(mode="pair", fix_min_confidence=threshold),
        watch=False,
        theme="textual-dark",
        recover=False,
        network=lambda: "pinned",
    )


async def _preview(pilot, app: RustaApp, recorder: Recorder) -> FixProposed:
    """f on the crate's one error, until the preview is on screen."""
    await recorder.wait_for(ProbeFinished)
    await _select(pilot, app, "E0596")
    await pilot.press("f")
    proposed = await recorder.wait_for(FixProposed)
    await pilot.pause()
    assert isinstance(app.screen, ChooseFixScreen)
    return proposed


async def test_f_shows_the_one_fix_and_enter_applies_it(squares_crate: Path, recorder: Recorder) -> None:
    before = crate_files(squares_crate)
    app = pair_app(squares_crate, 0.0)  # the gate lets every rated fix through: Enter is Rusta's word
    async with app.run_test(size=(80, 24), message_hook=recorder) as pilot:
        proposed = await _preview(pilot, app, recorder)
        alts = proposed.proposal.result.alternatives
        assert len(alts) == 1, [a.description for a in alts]  # the case the old f applied unread
        assert proposed.decision.apply
        shown = " ".join(screen_text(app).split())
        assert "Rusta's fix for E0596" in shown and "Enter (or 1) applies it" in shown
        assert FIXED.strip() in shown  # the + line is readable at 80x24
        rendered = app.screen.query_one("#choices", Pane).renderable
        assert isinstance(rendered, Group)
        marked = [
            t.plain[s.start : s.end]
            for t in rendered.renderables
            if isinstance(t, Text)
            for s in t.spans
            if str(s.style) == difftext.CHANGED
        ]
        assert any("mut" in m for m in marked), marked  # the changed columns are highlighted
        assert crate_files(squares_crate) == before  # nothing lands before the user confirms

        gen = app.session.generation
        await pilot.press("enter")
        applied = await recorder.wait_for(PatchApplied)
        await recorder.wait_for(ProbeFinished, lambda m: m.generation > gen)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not isinstance(app.screen, ChooseFixScreen)
        assert FIXED in (squares_crate / "src" / "lib.rs").read_text()
        assert not [r for r in app.session.rows() if r.level == "error"]  # the crate checks clean

        await pilot.press("u")  # the same reversible path as `rusta fix`: one undo takes it back
        await recorder.wait_for(PatchUndone)
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert crate_files(squares_crate) == before
    with DevLog.open(squares_crate, readonly=True) as log:
        entries = list(log.entries())
        assert log.open_intents() == []
    repairs = [e for e in entries if e.kind == "intent" and e.payload.get("goal") == "repair"]
    assert len(repairs) == 1  # f is rusta fix's repair task, settled when the patch landed
    assert any(applied.patch_id in e.summary for e in entries if e.kind == "reflection"), applied.patch_id


async def test_esc_on_the_preview_applies_nothing_and_says_so(
    squares_crate: Path, recorder: Recorder
) -> None:
    before = crate_files(squares_crate)
    app = pair_app(squares_crate, 0.0)
    async with app.run_test(size=(80, 24), message_hook=recorder) as pilot:
        await _preview(pilot, app, recorder)
        await pilot.press("escape")
        declined = await recorder.wait_for(PatchCancelled)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not isinstance(app.screen, ChooseFixScreen)
        assert declined.said == "Left as it was: the fix was not applied."
        assert declined.said in screen_text(app)  # the mode bar answers the key
        assert not recorder.of(PatchApplied)
    assert crate_files(squares_crate) == before  # byte for byte
    with DevLog.open(squares_crate, readonly=True) as log:
        assert log.open_intents() == []
        whys = [e.payload.get("why") for e in log.entries() if e.payload.get("outcome") == "rejected"]
    assert whys == ["the user kept the code"]


async def test_below_the_threshold_enter_holds_back_and_1_applies(
    squares_crate: Path, recorder: Recorder
) -> None:
    before = crate_files(squares_crate)
    app = pair_app(squares_crate, 1.0)  # no fix is certain: every rated fix is below it
    async with app.run_test(size=(80, 24), message_hook=recorder) as pilot:
        proposed = await _preview(pilot, app, recorder)
        decision = proposed.decision
        assert not decision.apply and decision.confidence is not None and decision.threshold == 1.0
        shown = " ".join(screen_text(app).split())
        assert "Rusta would not apply this fix on her own" in shown, shown
        assert "below her bar of 100" in shown and "1 applies it anyway" in shown
        assert FIXED.strip() in shown  # held back, and still readable in full

        await pilot.press("enter")  # Rusta's recommendation: she does not recommend this one
        await pilot.pause()
        assert isinstance(app.screen, ChooseFixScreen) and "patch" not in app.session.jobs
        assert crate_files(squares_crate) == before
        assert any("1 applies it anyway" in str(n.message) for n in app._notifications)  # Enter answers

        await pilot.press("1")  # the user's explicit choice
        await recorder.wait_for(PatchApplied)
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert FIXED in (squares_crate / "src" / "lib.rs").read_text()


async def test_a_on_home_opens_the_patch_before_it_lands(squares_crate: Path, recorder: Recorder) -> None:
    """Home has no Patch pane: a there shows the validated patch in Code and says so; a again applies."""
    before = crate_files(squares_crate)
    app = pair_app(squares_crate, None)
    async with app.run_test(size=(80, 24), message_hook=recorder) as pilot:
        await recorder.wait_for(ProbeFinished)
        await pilot.pause()
        assert app.current_mode == "home" and app.session.selected_row().code == "E0596"
        await pilot.press("v")
        validated = await recorder.wait_for(PatchValidated)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert validated.ok, validated.summary
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, CodeScreen) and not recorder.of(PatchApplied)
        assert crate_files(squares_crate) == before
        assert "a applies it" in app.session.last_message
        assert FIXED.strip() in screen_text(app)  # the + line, read at 80x24 before it lands
        await pilot.press("a")
        await recorder.wait_for(PatchApplied)
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert FIXED in (squares_crate / "src" / "lib.rs").read_text()


async def test_keys_with_no_meaning_on_the_preview_answer(squares_crate: Path, recorder: Recorder) -> None:
    """v, a or 7 on the preview land nothing and say which keys work there (#18: every key answers)."""
    before = crate_files(squares_crate)
    app = pair_app(squares_crate, 0.0)
    async with app.run_test(size=(80, 24), message_hook=recorder) as pilot:
        await _preview(pilot, app, recorder)
        for key in ("v", "a", "7"):
            shown = len(app._notifications)
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, ChooseFixScreen), key
            assert len(app._notifications) > shown, key
            assert "Esc keeps the code" in str(list(app._notifications)[-1].message), key
        assert "patch" not in app.session.jobs and not recorder.of(PatchApplied)
    assert crate_files(squares_crate) == before
