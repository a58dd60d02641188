"""Home on a cargo workspace: one header line per member with diagnostics, none for a lone crate."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable, Static

from rusta_tui.messages import ProbeFinished
from rusta_tui.screens.home import MIN_TABLE_ROWS
from rusta_tui.views import by_member
from tests.tui.conftest import Recorder, screen_text, write_tree
from tests.tui.test_app import make_app, static_text

pytestmark = [pytest.mark.anyio, pytest.mark.slow]


def workspace(root: Path) -> Path:
    """A virtual workspace: `ledger` with an error (which hides its lints), `tally` with one warning, `quiet` clean."""
    files = {
        "Cargo.toml": '[workspace]\nmembers = ["crates/*"]\nresolver = "2"\n',
        "crates/ledger/Cargo.toml": '[package]\nname = "ledger"\nversion = "0.2.0"\nedition = "2021"\n',
        "crates/ledger/src/lib.rs": "pub fn total(xs: &[u32]) -> u32 {\n    let unused = 3;\n"
        '    let n: u32 = "seven";\n    xs.iter().sum::<u32>() + n\n}\n',
        "crates/tally/Cargo.toml": '[package]\nname = "tally"\nversion = "1.0.0"\nedition = "2021"\n',
        "crates/tally/src/lib.rs": "pub fn count(s: &str) -> usize {\n    let spare = s.len();\n    0\n}\n",
        "crates/quiet/Cargo.toml": '[package]\nname = "quiet"\nversion = "0.1.0"\nedition = "2021"\n',
        "crates/quiet/src/lib.rs": "pub fn one() -> u8 {\n    1\n}\n",
    }
    return write_tree(root, files)


async def test_home_shows_one_line_per_member_with_diagnostics(tmp_path: Path, recorder: Recorder) -> None:
    app = make_app(workspace(tmp_path / "ws"))
    async with app.run_test(size=(100, 30), message_hook=recorder) as pilot:
        done = await recorder.wait_for(ProbeFinished)
        await pilot.pause()
        assert done.report.status == "diagnostics"
        assert by_member(app.session.rows()) == [("ledger", 1, 0), ("tally", 0, 1)]
        panel = app.screen.query_one("#members", Static)
        assert panel.display
        lines = [ln.strip() for ln in static_text(panel).splitlines() if ln.strip()]
        assert lines == ["1E 0W ledger", "0E 1W tally"]


@pytest.mark.parametrize(
    ("size", "fits"), [((80, 24), False), ((80, 20), False), ((100, 30), True), ((120, 40), True)]
)
async def test_the_members_fold_into_the_table_title_only_where_the_table_needs_the_rows(
    tmp_path: Path, recorder: Recorder, size: tuple[int, int], fits: bool
) -> None:
    """The room is measured on the laid-out screen: at 100x30 the two short lower panels leave the
    members panel room beside ten table rows; at 80x24, under which the selected message's line
    takes a row, and at 80x20 it would take some of them, so one title line says the same instead,
    and growing the terminal brings the panel back."""
    app = make_app(workspace(tmp_path / "ws"))
    async with app.run_test(size=size, message_hook=recorder) as pilot:
        await recorder.wait_for(ProbeFinished)
        await pilot.pause()
        await pilot.pause()
        table = app.screen.query_one("#diagnostics", DataTable)
        panel = app.screen.query_one("#members", Static)
        assert panel.display is fits
        message = app.screen.query_one("#diag-message", Static).outer_size.height  # the selected one's
        assert table.size.height - table.header_height + message >= MIN_TABLE_ROWS  # the panel takes none
        folded = "Diagnostics: ledger 1E 0W, tally 0E 1W"
        assert table.border_title == ("Diagnostics" if fits else folded)
        screen = screen_text(app)
        assert ("Workspace members" in screen) is fits and ("tally 0E 1W" in screen) is not fits
        await pilot.resize_terminal(100, 40)
        await pilot.pause()
        await pilot.pause()
        assert panel.display
        assert table.border_title == "Diagnostics"


async def test_the_lower_panels_are_as_tall_as_their_lists(tmp_path: Path, recorder: Recorder) -> None:
    """Two hotspots take two rows and the border, at 80x24 and at 120x40: no empty rows taken from
    the table; a terminal too short for the list caps the panels at a third of its rows."""
    app = make_app(workspace(tmp_path / "ws"))
    async with app.run_test(size=(80, 24), message_hook=recorder) as pilot:
        await recorder.wait_for(ProbeFinished)
        await pilot.pause()
        await pilot.pause()
        hot = app.screen.query_one("#hotspots", Static)
        assert hot.outer_size.height == 2 + 2
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        await pilot.pause()
        assert hot.outer_size.height == 2 + 2
        await pilot.resize_terminal(80, 10)
        await pilot.pause()
        await pilot.pause()
        assert hot.outer_size.height == 10 // 3


async def test_a_lone_crate_shows_no_member_header(tmp_path: Path, recorder: Recorder) -> None:
    root = tmp_path / "lone"
    (root / "src").mkdir(parents=True)
    (root / "Cargo.toml").write_text('[package]\nname = "lone"\nversion = "0.1.0"\nedition = "2021"\n')
    (root / "src" / "lib.rs").write_text("pub fn f() {\n    let a = 1;\n    let b = 2;\n}\n")
    app = make_app(root)
    async with app.run_test(size=(100, 30), message_hook=recorder) as pilot:
        await recorder.wait_for(ProbeFinished)
        await pilot.pause()
        assert len(app.session.rows()) == 2
        assert not app.screen.query_one("#members", Static).display
