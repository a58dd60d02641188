"""The Why drawer adds to the Explain bubble and never repeats it, in study and in pair mode.

The real app on the real demo crate through Pilot at 80x24: what is compared is the text each pane
shows. rustc's labelled spans are the drawer's evidence, since the bubble leaves rustc's text to the
compiler (study) or to one line (pair).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rusta_tui.whytext import plain
from tests.tui.conftest import Recorder
from tests.tui.test_app import static_text
from tests.tui.test_panes import make_app, open_code

pytestmark = [pytest.mark.anyio, pytest.mark.slow]


def items(drawer_text: str) -> list[str]:
    return [ln[3:].strip() for ln in drawer_text.splitlines() if ln.startswith(" - ")]


async def open_why(pilot, recorder: Recorder, code: str, *keys: str) -> tuple[str, str]:
    """(bubble, drawer) as shown after opening `code`'s story, pressing `keys`, then w."""
    await open_code(pilot, recorder, code)
    for key in (*keys, "w"):
        await pilot.press(key)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    screen = pilot.app.screen
    assert screen.query_one("#why-drawer").display
    return static_text(screen.query_one("#bubble")), static_text(screen.query_one("#why-drawer"))


@pytest.mark.parametrize("code", ["E0382", "E0596"])
async def test_study_drawer_shows_rustcs_evidence_and_repeats_nothing(
    demo_crate: Path, recorder: Recorder, code: str
) -> None:
    app = make_app(demo_crate)
    async with app.run_test(size=(80, 24), message_hook=recorder) as pilot:
        bubble, drawer = await open_why(pilot, recorder, code)
        said = plain(bubble)
        assert "Evidence (rustc's words)" in drawer
        expl = app.session.selected_explanation()
        labels = [s.label for d in expl.diagnostics for s in d.spans if s.label]
        assert any(label in drawer for label in labels)  # rustc's own words, at their place
        assert items(drawer), drawer
        for item in items(drawer):  # nothing the study reveal already said
            assert plain(item.split(" ", 1)[-1]) not in said, item
        # what study's reveal says is there once, in the bubble
        assert "Root cause" in bubble and "Root cause" not in drawer
        assert "Invariant" not in drawer and "Options" in bubble and "Trade-offs" not in drawer


async def test_pair_drawer_gives_the_reasons_the_short_bubble_leaves_out(
    demo_crate: Path, recorder: Recorder
) -> None:
    app = make_app(demo_crate)
    async with app.run_test(size=(80, 24), message_hook=recorder) as pilot:
        bubble, drawer = await open_why(pilot, recorder, "E0382", "m")
        assert app.session.mode == "pair"
        said = plain(bubble)
        assert "Invariant" in drawer and "Trade-offs" in drawer  # pair's 2-4 lines leave them here
        assert "move occurs because" in bubble and "move occurs because" not in drawer  # said once
        assert "value borrowed here after move" in drawer  # rustc's label the bubble left out
        for item in items(drawer):
            assert plain(item) not in said, item
