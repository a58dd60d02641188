"""States that tell the truth, through Pilot on real crates: cancelled, needs input, not run, red.

A cancelled validation is not red; a rustc suggestion with placeholders is not "ready"; a correct
lint fix while other errors keep the crate from compiling was not run, so it is not red either.
"""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pytest

from engine.patching.sandbox import sandbox_home
from rusta_tui.app import RustaApp
from rusta_tui.messages import PatchCancelled, PatchValidated, ProbeFinished
from rusta_tui.patchstatus import NOT_RUN, VALIDATION_CANCELLED
from rusta_tui.widgets.explain import ExplainBubble
from tests.tui.conftest import Recorder, write_tree
from tests.tui.test_app import static_text

pytestmark = [pytest.mark.anyio, pytest.mark.slow]

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def make_app(root: Path) -> RustaApp:
    return RustaApp(root, watch=False, theme="textual-dark")


async def _until(condition, timeout: float = 120.0) -> None:
    """Wait for a condition outside the app (a file cargo's build script writes), polling."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.05)


async def _select(pilot, app: RustaApp, code: str) -> None:
    """From Home, move the cursor to the first row with this code and open it (Enter)."""
    await pilot.press("1")
    await pilot.pause()
    index = next(i for i, r in enumerate(app.session.rows()) if r.code == code)
    delta = index - app.session.selected
    for _ in range(abs(delta)):
        await pilot.press("down" if delta > 0 else "up")
    await pilot.press("enter")
    await pilot.pause()
    assert app.session.selected_row().code == code


async def test_a_cancelled_validation_is_cancelled_not_red(tmp_path: Path, recorder: Recorder) -> None:
    root = shutil.copytree(FIXTURES / "slow_fix", tmp_path / "slow_fix")
    app = make_app(root)
    async with app.run_test(size=(80, 24), message_hook=recorder) as pilot:
        await recorder.wait_for(ProbeFinished)
        await _select(pilot, app, "E0382")
        await pilot.press("v")
        # the fix's build script stalls a minute in the sandbox: cargo is running when x comes
        await _until(lambda: (sandbox_home(root) / "crate" / "building-the-fix").exists())
        await pilot.press("x")
        cancelled = await recorder.wait_for(PatchCancelled, timeout=30)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not recorder.of(PatchValidated)
        state = app.session.patches[cancelled.key]
        assert state.status == "cancelled" and not state.ok
        bubble = static_text(app.screen.query_one(ExplainBubble))
        assert "Validated red" not in bubble
        # the state in one sentence: what happened, that the code is as it was, which key goes on
        assert VALIDATION_CANCELLED in " ".join(bubble.split())
        assert " ".join(bubble.split()).count("ancel") == 1
        assert ".." not in app.session.last_message and "cancelled" in app.session.last_message.lower()
        assert app.session.jobs == {}
        await pilot.press("4")
        await pilot.pause()
        table = app.screen.query_one("#bundles")
        assert table.get_row_at(0)[0] == "cancelled"


async def test_placeholder_needs_input_and_a_blocked_lint_fix_was_not_run(
    demo_crate: Path, recorder: Recorder
) -> None:
    app = make_app(demo_crate)
    async with app.run_test(size=(80, 24), message_hook=recorder) as pilot:
        await recorder.wait_for(ProbeFinished)
        await pilot.pause()
        await _select(pilot, app, "clippy::needless_range_loop")
        expl = app.session.selected_explanation()
        assert expl.patch.applicability == "HasPlaceholders" and "<item>" in expl.patch.diff
        bubble = static_text(app.screen.query_one(ExplainBubble))
        assert "Fix ready" not in bubble
        assert "Needs your input" in bubble and "`<item>`" in bubble
        await pilot.press("v")  # validating it could only fail: Rusta says why instead
        await pilot.pause()
        assert "Needs your input" in app.session.last_message
        assert "patch" not in app.session.jobs

        # `stats` builds on its own: the sandbox checks the members the fix reaches (not pantry,
        # whose errors it cannot touch), so the lint fix is proven, not left "not run"
        await _select(pilot, app, "clippy::len_zero")
        await pilot.press("v")
        validated = await recorder.wait_for(PatchValidated)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert validated.validation.verdict == "green", validated.summary
        bubble = static_text(app.screen.query_one(ExplainBubble))
        assert NOT_RUN not in bubble

        await pilot.press("4")
        await pilot.pause()
        table = app.screen.query_one("#bundles")
        states = {table.get_row_at(i)[1]: table.get_row_at(i)[0] for i in range(table.row_count)}
        assert states["stats/src/lib.rs:6"] == "needs input"
        assert states["stats/src/lib.rs:14"] != "not run"


def _workspace_with_a_broken_dependent(root: Path) -> Path:
    """A workspace where `shapes` (a lint, no errors) is a dependency of `draw`, which does not
    compile. A change to `shapes` reaches `draw`, so the sandbox must build `draw` too: the lint fix
    cannot be proven while `draw` is broken, and it is not `draw`'s fix either."""
    files = {
        "Cargo.toml": '[workspace]\nmembers = ["shapes", "draw"]\nresolver = "2"\n',
        "shapes/Cargo.toml": '[package]\nname = "shapes"\nversion = "0.1.0"\nedition = "2021"\n',
        "shapes/src/lib.rs": (
            "pub struct Polygon {\n    pub corners: Vec<(i32, i32)>,\n}\n\n"
            "pub fn is_degenerate(p: &Polygon) -> bool {\n    p.corners.len() == 0\n}\n"
        ),
        "draw/Cargo.toml": (
            '[package]\nname = "draw"\nversion = "0.1.0"\nedition = "2021"\n\n'
            '[dependencies]\nshapes = { path = "../shapes" }\n'
        ),
        "draw/src/lib.rs": (
            "use shapes::Polygon;\n\n"
            "pub fn corner_count(p: &Polygon) -> u32 {\n    let n: u32 = p.corners.len();\n    n\n}\n"
        ),
    }
    return write_tree(root, files)


async def test_a_lint_fix_a_broken_member_depends_on_was_not_run(tmp_path: Path, recorder: Recorder) -> None:
    """The honest "not run" a workspace still has once the sandbox checks only the members a patch
    reaches: the fix is in a member that a broken member depends on, so the check must build the
    broken one, and its error (not the fix) keeps anything from being judged (#21)."""
    root = _workspace_with_a_broken_dependent(tmp_path / "ws")
    app = make_app(root)
    async with app.run_test(size=(80, 24), message_hook=recorder) as pilot:
        await recorder.wait_for(ProbeFinished)
        await pilot.pause()
        codes = {r.code for r in app.session.rows()}
        assert {"E0308", "clippy::len_zero"} <= codes, codes
        await _select(pilot, app, "clippy::len_zero")
        await pilot.press("v")
        validated = await recorder.wait_for(PatchValidated)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert validated.validation.verdict == "red", validated.summary  # the patch path could not judge it
        assert validated.status == "not_run", validated.summary
        bubble = static_text(app.screen.query_one(ExplainBubble))
        assert NOT_RUN in " ".join(bubble.split()) and "Validated red" not in bubble
        await pilot.press("a")  # applying an unproven fix is refused with the same sentence
        await pilot.pause()
        assert app.session.last_message == NOT_RUN
        assert "len() == 0" in (root / "shapes/src/lib.rs").read_text()

        await pilot.press("4")
        await pilot.pause()
        table = app.screen.query_one("#bundles")
        states = {table.get_row_at(i)[1]: table.get_row_at(i)[0] for i in range(table.row_count)}
        assert states["shapes/src/lib.rs:6"] == "not run", states
