"""The explain engine's root exception: one user-facing sentence, shown by the CLI as one line."""

from __future__ import annotations


class ExplainError(Exception):
    """Explaining cannot proceed at all (a broken knowledge-base entry, an unreadable crate).

    Diagnostics Rusta has no entry for are not errors: they get a generic explanation.
    """

    user_facing = True
    exit_code = 2


class KBEntryInvalid(ExplainError):
    """A knowledge-base TOML file does not match the entry format (engine/explain/kb/FORMAT.md)."""
