"""Keymaps per mode, as data: which keys exist, what they do, and which ones the footer shows.

Study mode teaches (the Why drawer opens by itself, validate and apply are separate steps);
pair mode acts (`f` finds `rusta fix`'s fix, shows it, and lands it green once confirmed); silent mode keeps the screen quiet
(no Explain bubble, no one-key fix). The app builds its bindings from these tables and hides a
binding whose action the current mode does not list.
"""

from __future__ import annotations

from typing import NamedTuple

from textual.binding import Binding, BindingType

from rusta_tui.types import MODES, Mode


class Key(NamedTuple):
    """One key: the footer's word is `description`; the command palette says `palette` where the
    footer's word is too short to find by name (`Check` for r), else `description`."""

    key: str
    action: str
    description: str
    show: bool = True
    palette: str = ""

    @property
    def title(self) -> str:
        return self.palette or self.description

    @property
    def label(self) -> str:
        """The key as the help screen and the palette name it (`?`, not Textual's `question_mark`)."""
        return self.key.replace("question_mark", "?")


SCREENS: tuple[tuple[str, str, str], ...] = (
    ("1", "home", "Home"),
    ("2", "code", "Code"),
    ("3", "tasks", "Tasks"),
    ("4", "review", "Review"),
    ("5", "devlog", "DevLog"),
    ("6", "settings", "Settings"),
    ("7", "status", "Status"),
)

COMMON: tuple[Key, ...] = (
    *(Key(k, f"goto('{name}')", title, False) for k, name, title in SCREENS),
    Key("question_mark", "help", "Help", palette="Help: keys of this mode"),
    Key("m", "cycle_mode", "Mode", palette="Switch to the next mode"),
    Key("r", "recheck", "Check", False, palette="Check the crate now"),
    Key("x", "cancel_jobs", "Cancel", False, palette="Cancel running jobs"),
    Key("n", "select(1)", "Next", False, palette="Next diagnostic"),
    Key("p", "select(-1)", "Prev", False, palette="Previous diagnostic"),
    Key("o", "open_editor", "Open in $EDITOR", False, palette="Open the diagnostic in $EDITOR"),
    Key("q", "quit", "Quit"),
)

KEYMAPS: dict[Mode, tuple[Key, ...]] = {
    "study": (
        Key("w", "toggle_why", "Why"),
        Key("v", "validate", "Validate"),
        Key("a", "apply", "Apply"),
        Key("u", "undo", "Undo"),
        Key("U", "redo", "Redo", False),
        Key("e", "export", "Export", False),
    ),
    "pair": (
        Key("f", "fix", "Fix", palette="Fix this story: show rusta fix's fix, apply it on confirm"),
        Key("w", "toggle_why", "Why"),
        Key("v", "validate", "Validate"),
        Key("a", "apply", "Apply"),
        Key("u", "undo", "Undo"),
        Key("U", "redo", "Redo", False),
        Key("e", "export", "Export", False),
    ),
    "silent": (
        Key("v", "validate", "Validate"),
        Key("a", "apply", "Apply"),
        Key("u", "undo", "Undo"),
        Key("e", "export", "Export", False),
    ),
}

# Keys of one screen (every mode has them), listed in `?` with the screens they work on. Code's footer
# shows its own verb, H, rather than T, a way to another screen like 1-7: at 80 columns pair mode's
# footer holds one of them beside `q Quit`.
SCREEN_KEYS: dict[str, tuple[Key, ...]] = {
    "home": (Key("T", "app.goto('tests')", "Tests", palette="Go to Tests"),),
    "code": (
        Key("T", "app.goto('tests')", "Tests", False, palette="Go to Tests"),
        Key("H", "toggle_hot", "Hot fn", palette="Mark the fn of this diagnostic hot (or not)"),
        Key("t", "type_of", "Type at the error", False, palette="Ask rustc the type at the error's column"),
    ),
}

MODE_ACTIONS: frozenset[str] = frozenset(k.action for keys in KEYMAPS.values() for k in keys)

# Why a key of another mode does nothing here; pressing it says so instead of doing nothing.
MODE_REASONS: dict[Mode, str] = {
    "study": "study mode takes one step at a time (v validates, a applies)",
    "pair": "pair mode has every key",
    "silent": "silent mode keeps the screen quiet",
}
NOT_HERE: dict[tuple[Mode, str], str] = {
    ("study", "f"): "f is pair mode's one-key fix; study mode takes one step at a time: v validates, "
    "then a applies (m switches mode).",
    ("silent", "f"): "f is pair mode's one-key fix; in silent mode v validates, then a applies "
    "(m switches mode).",
}


def not_here(mode: Mode, key: str) -> str:
    """The sentence a key of another mode answers with in this one."""
    if (mode, key) in NOT_HERE:
        return NOT_HERE[(mode, key)]
    what = next((k.description for m in MODES for k in KEYMAPS[m] if k.key == key), key)
    modes = " and ".join(m for m in MODES if any(k.key == key for k in KEYMAPS[m]))
    return f"{key} ({what}) is a {modes} mode key; {MODE_REASONS[mode]} (m switches mode)."


def bindings() -> list[BindingType]:
    """Every key of every mode; `allowed` decides which of them is live now.

    The mode's own keys come first, so at 80 columns the footer shows its verbs (pair mode's `f Fix`
    leads) before the keys every mode shares. Each mode key also gets a hidden `unavailable` binding
    after it, live where the mode lacks the key, so pressing it in the wrong mode says why instead of
    doing nothing.
    """
    seen: set[tuple[str, str]] = set()
    out: list[BindingType] = []
    by_reach = sorted(MODES, key=lambda m: -len(KEYMAPS[m]))  # pair (every key) first: its order wins
    for key in (*(k for m in by_reach for k in KEYMAPS[m]), *COMMON):
        if (key.key, key.action) in seen:
            continue
        seen.add((key.key, key.action))
        out.append(Binding(key.key, key.action, key.description, show=key.show))
    for name in dict.fromkeys(k.key for m in MODES for k in KEYMAPS[m]):
        out.append(Binding(name, f"unavailable('{name}')", "", show=False))
    return out


def allowed(mode: Mode, action: str, parameters: tuple[object, ...] = ()) -> bool:
    """A mode-specific action is live only in the modes whose keymap lists it; `unavailable(key)`
    only where the mode lacks that key."""
    name = action.split("(", 1)[0]
    if name == "unavailable":
        return bool(parameters) and not any(k.key == parameters[0] for k in KEYMAPS[mode])
    if name not in {a.split("(", 1)[0] for a in MODE_ACTIONS}:
        return True
    return any(k.action.split("(", 1)[0] == name for k in KEYMAPS[mode])


def screen_bindings(screen: str) -> list[BindingType]:
    """The bindings of one screen's own keys (SCREEN_KEYS)."""
    return [Binding(k.key, k.action, k.description, show=k.show) for k in SCREEN_KEYS[screen]]


def next_mode(mode: Mode) -> Mode:
    return MODES[(MODES.index(mode) + 1) % len(MODES)]


def help_rows(mode: Mode) -> list[tuple[str, str]]:
    """(key, what it does) for the help screen, common keys first."""
    rows = [(k.label, k.description) for k in COMMON]
    rows += [(k.key, k.description) for k in KEYMAPS[mode]]
    where: dict[tuple[str, str], list[str]] = {}
    for screen, keys in SCREEN_KEYS.items():
        title = next(t for _, name, t in SCREENS if name == screen)
        for k in keys:
            where.setdefault((k.key, k.description), []).append(title)
    rows += [(key, f"{what} ({', '.join(titles)})") for (key, what), titles in where.items()]
    rows.append(("ctrl+p", "Command palette"))
    return rows
