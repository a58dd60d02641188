"""The toolbelt's root exception: one user-facing sentence, caught by the CLI and shown as one line."""

from __future__ import annotations


class ToolbeltError(Exception):
    """Something in the environment or the input stops a tool from running at all.

    Compile errors and failing tests are *not* errors: they are data in a report.
    """

    user_facing = True
    exit_code = 2


class NotACrate(ToolbeltError):
    """The path holds no Cargo.toml (or one cargo cannot read)."""


class ToolMissing(ToolbeltError):
    """A required program (cargo, rustc, ...) is not on PATH."""


class DemoRefused(ToolbeltError):
    """The demo destination exists and is not a Rusta demo crate, so it is not Rusta's to overwrite."""


class SourceTooLarge(ToolbeltError):
    """A source file is too big for Rusta to hand to the compiler or read into memory safely."""


class ToolchainMissing(ToolbeltError):
    """The crate pins a toolchain rustup does not have, and rustup cannot download one here."""


class CacheUnwritable(ToolbeltError):
    """Rusta's cache folder (targets, sandboxes, scratch copies) cannot be created or written."""
