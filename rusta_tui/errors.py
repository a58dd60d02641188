"""The TUI's root exception and the ones it raises; each carries one sentence for the user."""

from __future__ import annotations


class TuiError(Exception):
    """Root of the TUI's exceptions: the CLI prints the sentence, never a traceback."""

    user_facing = True
    exit_code = 2


class SettingsError(TuiError):
    """`.rusta/settings.toml` cannot be read or written."""
