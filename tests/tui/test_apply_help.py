"""`rusta explain --help` says what `--apply` writes: since f91eb5d a fix whose ✓ holds only beside
another story's fix lands with that fix as one patch, so "apply exactly it" was no longer true. The
help is product text, read as a user reads it: through `rusta explain --help`."""

from __future__ import annotations

import contextlib
import io
import re

import pytest

from rusta_tui.cli import main as cli


def _explain_help() -> str:
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf), pytest.raises(SystemExit):
        cli.main(["explain", "--help"])
    return re.sub(r"\s+", " ", buf.getvalue())


def test_apply_help_names_the_companion_fix_that_lands_with_a_joint_tick() -> None:
    text = _explain_help()
    assert "exactly it" not in text
    assert "lands with that fix as one patch" in text
