"""Settings: mode, the packages, features and targets cargo covers, repo and style prefs, the bench
slowdown allowance, allow-lists of commands and paths; saved to `.rusta/settings.toml`."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

import msgspec
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Input, Label, Select, Static, Switch

from rusta_tui.screens.base import RustaScreen
from rusta_tui.types import MODES, Settings
from toolbelt.selection import TARGET_FLAGS, Targets

ALL = "*"  # the Package choice that names none: cargo's default packages
TARGETS = tuple(TARGET_FLAGS)

if TYPE_CHECKING:
    from engine.memory.types import Memory


def _split(text: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in text.split(",") if p.strip())


def _percent(text: str, old: float) -> float:
    """A slowdown allowance from 0 up; anything else keeps the saved one."""
    try:
        value = float(text.strip().rstrip("%"))
    except ValueError:
        return old
    return value if 0 <= value < float("inf") else old


def memory_text(memory: Memory | None) -> Text:
    """The Memory section: the voice first (how stubborn Rusta is here), then every item, explained."""
    from engine.memory.words import show, voice_line

    out = Text("Memory (this repo, this machine only)\n", style="bold")
    if memory is None:
        return out.append("Not synced yet.", style="italic")
    out.append(f"Voice: {voice_line(memory.voice)}\n")
    items = [(k, t) for k, t in show(memory) if k != "voice"]
    for key, text in items:
        out.append(f"{key}\n", style="bold")
        out.append(f"  {text}\n")
    if not items:
        out.append("Nothing learned yet.", style="italic")
    return out


class SettingsScreen(RustaScreen):
    NAME = "settings"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save"),
        Binding("escape", "leave_input", "Leave", show=False),
    ]

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="settings-form", classes="panel") as form:
            form.border_title = "Settings (tab moves, ctrl+s saves)"
            with Horizontal(classes="field"):
                yield Label("Mode", classes="field-label")
                yield Select([(m, m) for m in MODES], allow_blank=False, id="set-mode")
            with Horizontal(classes="field"):
                yield Label("Checker", classes="field-label")
                yield Select([("clippy", "clippy"), ("check", "check")], allow_blank=False, id="set-tool")
            with Horizontal(classes="field"):
                yield Label("Package", classes="field-label")
                yield Select(self._packages(), allow_blank=False, id="set-package")
            with Horizontal(classes="field"):
                yield Label("Features", classes="field-label")
                yield Input(id="set-features", placeholder="comma-separated, as cargo's --features")
            with Horizontal(classes="field"):
                yield Label("Targets", classes="field-label")
                yield Select([(t, t) for t in TARGETS], allow_blank=False, id="set-targets")
            with Horizontal(classes="field"):
                yield Label("Watch saves", classes="field-label")
                yield Switch(id="set-watch")
                yield Label("", id="set-watch-word", classes="field-label")
            with Horizontal(classes="field"):
                yield Label("Line width", classes="field-label")
                yield Input(id="set-width", type="integer")
            with Horizontal(classes="field"):
                yield Label("Slowdown %", classes="field-label")
                yield Input(
                    id="set-slowdown",
                    type="number",
                    placeholder="a patch timed slower than this (--bench) is red",
                )
            with Horizontal(classes="field"):
                yield Label("Commands", classes="field-label")
                yield Input(id="set-commands")
            with Horizontal(classes="field"):
                yield Label("Paths", classes="field-label")
                yield Input(id="set-paths")
            yield Static(id="settings-note")
            yield Static(id="settings-memory")
            with Horizontal(classes="field"):
                yield Label("Forget", classes="field-label")
                yield Input(id="memory-forget", placeholder="an item's key, or all; Enter forgets it")

    def on_mount(self) -> None:
        s = self.session.settings
        self.query_one("#set-mode", Select).value = s.mode
        self.query_one("#set-tool", Select).value = s.check_tool
        sel = self.session.selection  # what the cargo runs cover now (`rusta tui -p` or Settings)
        one = sel.packages[0] if len(sel.packages) == 1 else ALL
        self.query_one("#set-package", Select).value = one if (one, one) in self._packages() else ALL
        self.query_one("#set-features", Input).value = ", ".join(sel.features)
        self.query_one("#set-targets", Select).value = s.check_targets
        self.query_one("#set-watch", Switch).value = s.watch
        self.query_one("#set-watch-word", Label).update("on" if s.watch else "off")
        self.query_one("#set-width", Input).value = str(s.max_line_width)
        self.query_one("#set-slowdown", Input).value = f"{s.bench_max_slowdown_pct:g}"
        self.query_one("#set-commands", Input).value = ", ".join(s.allow_commands)
        self.query_one("#set-paths", Input).value = ", ".join(s.allow_paths)
        super().on_mount()

    def _packages(self) -> list[tuple[str, str]]:
        """The workspace's packages to pick one from (its manifests' members), or all of them."""
        from toolbelt.cargo_workspace import package_dirs

        names = sorted(set(package_dirs(self.session.root).values()))
        return [("all (cargo's default)", ALL), *((n, n) for n in names)]

    def on_switch_changed(self, event: Switch.Changed) -> None:
        """The knob is colour only; the word says it on monochrome terminals too."""
        self.query_one("#set-watch-word", Label).update("on" if event.value else "off")

    def draw(self) -> None:
        mode = self.query_one("#set-mode", Select)
        if mode.value != self.session.mode:
            mode.value = self.session.mode
        self.query_one("#settings-memory", Static).update(memory_text(self.rusta.memory))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Forgetting is recorded in the DevLog and the memory synced, in the memory worker."""
        if event.input.id == "memory-forget" and event.value.strip():
            self.rusta.sync_memory("forget", forget=event.value.strip())
            event.input.value = ""

    def form_settings(self) -> Settings:
        width = self.query_one("#set-width", Input).value.strip()
        return msgspec.structs.replace(
            self.session.settings,
            mode=str(self.query_one("#set-mode", Select).value),
            check_tool=str(self.query_one("#set-tool", Select).value),
            packages=tuple(p for p in (str(self.query_one("#set-package", Select).value),) if p != ALL),
            features=_split(self.query_one("#set-features", Input).value.replace(" ", ",")),
            check_targets=cast(Targets, str(self.query_one("#set-targets", Select).value)),
            watch=self.query_one("#set-watch", Switch).value,
            max_line_width=int(width) if width.isdigit() else self.session.settings.max_line_width,
            bench_max_slowdown_pct=_percent(
                self.query_one("#set-slowdown", Input).value, self.session.settings.bench_max_slowdown_pct
            ),
            allow_commands=_split(self.query_one("#set-commands", Input).value),
            allow_paths=_split(self.query_one("#set-paths", Input).value),
        )

    def action_save(self) -> None:
        path = self.rusta.save_settings(self.form_settings())
        note = self.query_one("#settings-note", Static)
        note.update(
            Text(f"Saved to {path.relative_to(self.session.root)}." if path else "Not saved.", style="bold")
        )

    def action_leave_input(self) -> None:
        self.query_one("#set-mode", Select).focus()
