"""The command palette provider: every screen and every key of the current mode and screen, by name.

The palette is built from the keymaps (rusta_tui.keymaps), the same data the bindings are built
from, so a key added there is in the palette without a second list to keep in step: a key with no
palette entry is one a user who does not know it cannot find.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

from rusta_tui.keymaps import COMMON, KEYMAPS, SCREEN_KEYS, SCREENS, Key

if TYPE_CHECKING:
    from rusta_tui.app import RustaApp


def _hot(app: RustaApp) -> None:
    from rusta_tui.benchgate import toggle_hot

    said, ok = toggle_hot(app.session)
    app.say(said, severity="information" if ok else "error")


class RustaCommands(Provider):
    def _keys(self) -> Iterator[tuple[Key, str]]:
        """(key, where its help says it works) for the mode's keys, the shared ones, and the screen's."""
        app = cast("RustaApp", self.app)
        name = getattr(self.screen, "NAME", "")
        yield from ((k, "") for k in KEYMAPS[app.session.mode])
        yield from ((k, "") for k in COMMON if not k.action.startswith("goto("))  # `Go to ...` below
        yield from ((k, "") for k in SCREEN_KEYS.get(name, ()))
        for screen, keys in SCREEN_KEYS.items():  # another screen's key that reaches the app works here
            title = next(t for _, s, t in SCREENS if s == screen)
            yield from ((k, f" on {title}") for k in keys if screen != name and k.action.startswith("app."))

    def _commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        app = cast("RustaApp", self.app)
        out: list[tuple[str, str, Callable[[], object]]] = [
            (f"Go to {title}", f"key {digit}", partial(app.action_goto, name))
            for digit, name, title in SCREENS
        ]
        seen = {text for text, _, _ in out}
        for key, where in self._keys():
            if key.title not in seen:
                seen.add(key.title)
                # run as the key runs it: the screen's own action, or `app.` for the app's
                out.append(
                    (key.title, f"key {key.label}{where}", partial(app.run_action, key.action, self.screen))
                )
        out += [(f"Switch to {mode} mode", "", partial(app.choose_mode, mode)) for mode in KEYMAPS]
        if getattr(self.screen, "NAME", "") != "code":  # H works on Code; the palette reaches it anywhere
            out.append(("Mark the fn of this diagnostic hot (or not)", "key H on Code", partial(_hot, app)))
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
