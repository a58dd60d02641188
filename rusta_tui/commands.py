"""The command palette provider: every screen and every action of the current mode, by name."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

from rusta_tui.keymaps import KEYMAPS, SCREENS

if TYPE_CHECKING:
    from rusta_tui.app import RustaApp


def _hot(app: RustaApp) -> None:
    from rusta_tui.benchgate import toggle_hot

    said, ok = toggle_hot(app.session)
    app.say(said, severity="information" if ok else "error")


class RustaCommands(Provider):
    def _commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        app = cast("RustaApp", self.app)
        out: list[tuple[str, str, Callable[[], object]]] = []
        for digit, name, title in SCREENS:
            out.append((f"Go to {title}", f"key {digit}", partial(app.action_goto, name)))
        for key in KEYMAPS[app.session.mode]:
            action = getattr(app, f"action_{key.action.split('(')[0]}", None)
            if action is not None:
                out.append((key.description, f"key {key.key}", action))
        for mode in KEYMAPS:
            out.append((f"Switch to {mode} mode", "", partial(app.choose_mode, mode)))
        out.append(("Check the crate now", "key r", app.action_recheck))
        out.append(("Mark the fn of this diagnostic hot (or not)", "key H on Code", partial(_hot, app)))
        out.append(("Cancel running jobs", "key x", app.action_cancel_jobs))
        out.append(("Help: keys of this mode", "key ?", app.action_help))
        return out

    async def discover(self) -> Hits:
        for text, help_text, callback in self._commands():
            yield DiscoveryHit(text, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, help_text, callback in self._commands():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), callback, help=help_text)
