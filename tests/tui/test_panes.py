"""Every pane that can overflow scrolls from the keyboard, and at 80x24 the patch can be read whole.

The real app on the real demo crate through Pilot; what is asserted is what the screen shows
(`screen_text`), the focused widget and the panes' scroll offsets.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rusta_tui.app import RustaApp
from rusta_tui.messages import ProbeFinished
from rusta_tui.patchstatus import placeholders
from rusta_tui.types import Settings
from tests.tui.conftest import Recorder, screen_text

pytestmark = [pytest.mark.anyio, pytest.mark.slow]


def make_app(root: Path) -> RustaApp:
    return RustaApp(root, watch=False, theme="textual-dark", recover=False, network=lambda: "pinned")


async def open_code(pilot, recorder: Recorder, code: str | None = None) -> None:
    """Code, with the diagnostic `code` selected by pressing n, as a user would."""
    app = pilot.app
    await recorder.wait_for(ProbeFinished)
    await pilot.press("2")
    await pilot.pause()
    for _ in range(len(app.session.rows())):
        if code is None or app.session.selected_row().code == code:
            break
        await pilot.press("n")
    await app.workers.wait_for_complete()
    await pilot.pause()
    assert code is None or app.session.selected_row().code == code


def added_lines(diff: str) -> list[str]:
    return [ln[1:] for ln in diff.splitlines() if ln.startswith("+") and not ln.startswith("+++")]


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_every_ready_patch_shows_its_added_line(demo_crate: Path, recorder: Recorder, size) -> None:
    """Walk every story with a fix: the `+` line is on screen without scrolling, at 80x24 too."""
    app = make_app(demo_crate)
    async with app.run_test(size=size, message_hook=recorder) as pilot:
        await open_code(pilot, recorder)
        seen = 0
        for _ in range(len(app.session.rows())):
            expl = app.session.selected_explanation()
            if expl is not None and expl.patch is not None and not placeholders(expl):
                screen = screen_text(app)
                for line in added_lines(expl.patch.diff):
                    assert line.strip() in screen, f"{expl.code}: {line!r} is not on screen:\n{screen}"
                seen += 1
            await pilot.press("n")
            await pilot.pause()
        assert seen >= 3  # the demo has E0308, E0382, E0369 and E0596 fixes


async def test_tab_focuses_each_pane_and_the_keys_scroll_it(demo_crate: Path, recorder: Recorder) -> None:
    app = make_app(demo_crate)
    async with app.run_test(size=(80, 24), message_hook=recorder) as pilot:
        await open_code(pilot, recorder, "E0382")
        await pilot.press("m")  # pair mode: the longest bubble, it overflows at 80x24
        await pilot.pause()
        assert app.focused is not None and app.focused.id == "diff"  # the patch first
        focused = set()
        for _ in range(3):
            await pilot.press("tab")
            await pilot.pause()
            focused.add(app.focused.id)
        assert {"source", "diff", "bubble"} <= focused
        while app.focused.id != "bubble":
            await pilot.press("tab")
        bubble = app.focused
        assert bubble.max_scroll_y > 0, "the pair-mode bubble should overflow at 80x24"
        await pilot.press("pagedown")
        await pilot.pause()
        assert bubble.scroll_y > 0
        await pilot.press("end")
        await pilot.pause()
        assert "Fix ready: f shows rusta fix's fix" in screen_text(app)  # the last line, by keys


async def test_why_drawer_scrolls_itself_and_keeps_its_border(demo_crate: Path, recorder: Recorder) -> None:
    app = make_app(demo_crate)
    async with app.run_test(size=(80, 24), message_hook=recorder) as pilot:
        await open_code(pilot, recorder, "E0382")
        await pilot.press("m", "w")  # pair mode: its short bubble leaves the drawer a long text
        await pilot.pause()
        drawer = app.screen.query_one("#why-drawer")
        assert app.focused is drawer  # PageDown goes to what was just opened
        assert drawer.max_scroll_y > 0
        source_y = app.screen.query_one("#source").scroll_y
        await pilot.press("pagedown")
        await pilot.pause()
        assert drawer.scroll_y > 0
        assert app.screen.query_one("#source").scroll_y == source_y
        screen = screen_text(app).splitlines()
        top = drawer.region.y
        assert "Why (w closes)" in screen[top]  # the border stays on top while the text scrolls
        bottom = screen[drawer.region.bottom - 1]
        assert bottom.strip()[0] in "╰┗+" and bottom.rstrip()[-1] in "╯┛+"
        inside = [row[drawer.region.x : drawer.region.right] for row in screen[top : drawer.region.bottom]]
        assert all(row[0] in "│┃╭┏╰┗" and row[-1] in "│┃╮┓╯┛" for row in inside)  # nothing drawn outside
        await pilot.press("w")
        await pilot.pause()
        assert app.focused.id == "diff" and app.screen.query_one("#diff").display


async def test_source_keeps_indentation_and_marks_the_column(demo_crate: Path, recorder: Recorder) -> None:
    app = make_app(demo_crate)
    async with app.run_test(size=(80, 24), message_hook=recorder) as pilot:
        await open_code(pilot, recorder, "E0382")
        screen = screen_text(app)
        # line 33 is inside `impl Pantry`: its eight spaces are shown, not dedented to four
        assert "33         delivery.len()" in screen
        source = app.screen.query_one("#source")
        assert source.region.width == 80  # the full width under 110 columns
        assert "src/lib.rs:33:9" in screen  # the column is in the title too


async def test_error_past_the_right_edge_is_scrolled_into_view(tmp_path: Path, recorder: Recorder) -> None:
    crate = tmp_path / "wide"
    (crate / "src").mkdir(parents=True)
    (crate / "Cargo.toml").write_text('[package]\nname = "wide"\nversion = "0.1.0"\nedition = "2021"\n')
    pad = "a_rather_long_binding_name_that_pushes_the_error_right"
    (crate / "src" / "lib.rs").write_text(
        f'pub fn f() -> u32 {{\n    let {pad} = 1u32; let second_binding: u32 = {pad} + "x_marks_it";\n'
        f"    second_binding\n}}\n"
    )
    app = make_app(crate)
    async with app.run_test(size=(80, 24), message_hook=recorder) as pilot:
        await open_code(pilot, recorder)
        row = app.session.selected_row()
        assert row is not None and row.column > 80
        source = app.screen.query_one("#source")
        assert source.scroll_x > 0
        assert '+ "x_marks_it";' in screen_text(app)  # the operator rustc points at, and what follows


async def test_pair_modes_footer_shows_f_fix_at_80_columns(demo_crate: Path, recorder: Recorder) -> None:
    app = RustaApp(
        demo_crate,
        settings=Settings(mode="pair"),
        watch=False,
        theme="textual-dark",
        recover=False,
        network=lambda: "pinned",
    )
    async with app.run_test(size=(80, 24), message_hook=recorder) as pilot:
        await recorder.wait_for(ProbeFinished)
        for tab in ("1", "2", "3", "4", "6", "7"):  # the DevLog's search keys leave no room for q Quit
            await pilot.press(tab)
            await pilot.pause()
            footer = screen_text(app).splitlines()[-1]
            assert "f Fix" in footer and "q Quit" in footer, (tab, footer)
        await app.workers.wait_for_complete()
