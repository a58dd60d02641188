"""Read and write `<root>/.rusta/settings.toml`: validated on read, written by replace-and-fsync."""

from __future__ import annotations

from pathlib import Path

import msgspec

from rusta_tui.errors import SettingsError
from rusta_tui.types import Settings
from toolbelt.atomic_file import replace_file
from toolbelt.selection import Selection

SETTINGS_FILE = Path(".rusta") / "settings.toml"


def settings_path(root: Path) -> Path:
    return root / SETTINGS_FILE


def load(root: Path) -> Settings:
    """The crate's settings, defaults when the file is absent; a broken file is an error, not ignored."""
    path = settings_path(root)
    if not path.is_file():
        return Settings()
    import tomllib  # only with a settings file: its import (regexes compiled) costs every check 8 ms

    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
        return msgspec.convert(raw, type=Settings)
    except (tomllib.TOMLDecodeError, msgspec.ValidationError, UnicodeDecodeError) as e:
        raise SettingsError(f"{path} is broken: {e}.") from e


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)  # 0.75, inf, nan: each a TOML float
    if isinstance(value, str):
        import json  # only when saving: `rusta check` loads settings on its start-up path

        return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string
    if isinstance(value, tuple | list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    raise SettingsError(f"cannot write {type(value).__name__} to TOML.")


def dumps(settings: Settings) -> str:
    """Flat TOML, one key a line; `None` values are left out so the default applies on read."""
    lines = ["# Rusta settings for this crate. Edit here or in the Settings screen."]
    for name in settings.__struct_fields__:
        value = getattr(settings, name)
        if value is not None:
            lines.append(f"{name} = {_toml_value(value)}")
    return "\n".join(lines) + "\n"


def save(root: Path, settings: Settings) -> Path:
    """Write atomically: a temp file in the same folder, fsync, rename, fsync of the folder."""
    path = settings_path(root)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        replace_file(path, dumps(settings).encode("utf-8"), perm=0o600)  # as mkstemp made it before
    except OSError as e:
        raise SettingsError(f"cannot write {path}: {e.strerror}.") from e
    return path


def chosen_selection(given: Selection, settings: Settings) -> Selection:
    """What the app's cargo runs cover: the command line's packages and features when it names any
    (`rusta tui -p NAME -F LIST`, or the member the app was started in), else the ones chosen on the
    Settings screen, so a choice made there holds at the next launch."""
    if given.packages or given.features or given.all_features or given.no_default_features:
        return given
    return msgspec.structs.replace(given, packages=settings.packages, features=settings.features)
