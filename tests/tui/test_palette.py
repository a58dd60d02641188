"""The command palette offers every key of the Code screen, in each mode: a key a user does not know
is one they can still find by name (ctrl+p). The real app through Pilot on the demo crate."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.app import App
from textual.screen import Screen

from rusta_tui.app import RustaApp
from rusta_tui.commands import RustaCommands
from rusta_tui.messages import ProbeFinished
from rusta_tui.typeask import TypeAnswered
from rusta_tui.types import MODES
from tests.tui.conftest import Recorder

pytestmark = [pytest.mark.anyio, pytest.mark.slow]

SIZE = (80, 24)
# Textual's own keys (quit, copy, ctrl+p itself) are not Rusta's to list
TEXTUAL_OWN = {"command_palette"} | {
    b.action for b in (*App.BINDINGS, *Screen.BINDINGS) if hasattr(b, "action")
}


async def _palette(app: RustaApp) -> dict[str, tuple[str, object]]:
    """help text -> (title, callback) of every command Rusta's provider offers on the screen shown."""
    provider = RustaCommands(app.screen)
    return {hit.help or "": (str(hit.display), hit.command) async for hit in provider.discover()}


async def test_every_binding_of_the_code_screen_has_a_palette_command(
    demo_crate: Path, recorder: Recorder
) -> None:
    app = RustaApp(demo_crate, watch=False, theme="textual-dark")
    async with app.run_test(size=SIZE, message_hook=recorder) as pilot:
        await recorder.wait_for(ProbeFinished)
        for mode in MODES:
            app.choose_mode(mode)
            await pilot.press("2")
            await pilot.pause()
            assert app.screen.NAME == "code"
            keys = {
                key.replace("question_mark", "?")
                for key, active in app.screen.active_bindings.items()
                if active.node in (app, app.screen)
                and active.enabled
                and not active.binding.action.startswith("unavailable(")
                and active.binding.action not in TEXTUAL_OWN
            }
            assert {"T", "t", "H", "r", "?"} <= keys, keys  # the walk reaches the screen's keys and the app's
            offered = {
                help_text.split()[1] for help_text in await _palette(app) if help_text.startswith("key ")
            }
            assert keys <= offered, (mode, sorted(keys - offered))
        palette = await _palette(app)  # they run what the key runs: t asks rustc, T opens Tests
        title, ask_type = palette["key t"]
        assert title == "Ask rustc the type at the error's column"
        await pilot.press("n")
        await pilot.pause()
        await ask_type()  # type: ignore[operator]
        await recorder.wait_for(TypeAnswered)  # the type-of probe ran, as t runs it
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "src/lib.rs:" in app.session.last_message
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"go to tests")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert app.current_mode == "tests"
