"""The footer at 80 columns: on every screen and in every mode it shows whole keys, `? Help` and
`q Quit` among them, never a key cut in half (the Tests screen's footer lost `q Quit` and drew
`palettet`). The real app through Pilot on the demo crate."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets._footer import FooterKey

from rusta_tui.app import RustaApp
from rusta_tui.keymaps import SCREENS
from rusta_tui.types import MODES
from rusta_tui.widgets.footer import FitFooter, fitting, key_width
from tests.tui.conftest import screen_text

pytestmark = pytest.mark.slow


@pytest.mark.anyio
async def test_every_footer_fits_80_columns_and_keeps_help_and_quit(demo_crate: Path) -> None:
    app = RustaApp(demo_crate, watch=False, theme="textual-dark", recover=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        for name in [n for _, n, _ in SCREENS] + ["tests"]:
            for mode in MODES:
                app.set_mode(mode)
                await pilot.press("1")
                await pilot.pause()
                app.action_goto(name)
                await pilot.pause()
                await pilot.pause()
                footer = app.screen.query_one(FitFooter)
                keys = list(footer.query(FooterKey))
                actions = {k.action for k in keys}
                where = f"{name} in {mode} mode"
                assert {"help", "quit"} <= actions, where
                assert all(k.region.right <= 80 and k.region.width > 0 for k in keys), where
                row = [k for k in keys if not k.has_class("-command-palette")]
                palette = [k for k in keys if k.has_class("-command-palette")]
                assert max(k.region.right for k in row) <= min(k.region.x for k in palette), where
                last = screen_text(app).splitlines()[-1]
                assert "q Quit" in last and "? Help" in last and "palettet" not in last, where
            if name == "tests":  # its own keys are the last to go
                assert {"run_tests", "rerun_failed"} <= actions
        await app.workers.wait_for_complete()


@pytest.mark.anyio
async def test_wider_terminals_show_every_key(demo_crate: Path) -> None:
    app = RustaApp(demo_crate, watch=False, theme="textual-dark", recover=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        app.set_mode("pair")
        app.action_goto("tests")
        await pilot.pause()
        narrow = {k.action for k in app.screen.query(FooterKey)}
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        await pilot.pause()
        wide = {k.action for k in app.screen.query(FooterKey)}
        assert narrow < wide, "at 120 columns the keys left out at 80 come back"
        assert {"fix", "validate", "apply", "undo", "cycle_mode"} <= wide
        await app.workers.wait_for_complete()


def test_fitting_keeps_the_order_and_stops_at_the_first_key_that_does_not_fit() -> None:
    keys = [
        FooterKey(k, k, d, a)
        for k, d, a in [
            ("t", "Run tests", "run_tests"),
            ("v", "Validate", "validate"),
            ("u", "Undo", "undo"),
            ("?", "Help", "help"),
            ("q", "Quit", "quit"),
        ]
    ]
    assert fitting(keys, 200) == keys
    every = sum(key_width(k) for k in keys)
    shown = fitting(keys, every - 1)
    assert [k.action for k in shown] == ["run_tests", "validate", "help", "quit"]
    shown = fitting(keys, key_width(keys[0]) + key_width(keys[2]) + 14)
    assert [k.action for k in shown] == ["run_tests", "help", "quit"], "u Undo fits, but after v"
