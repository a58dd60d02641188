"""`rusta fix` prints Rust text exactly: rich markup never eats `#[derive(..)]`, no diff line is cut."""

from __future__ import annotations

import io

from rich.console import Console

from engine.patching.types import Patch
from rusta_tui.cli.fix import show_patch
from tests.cli_runner import rusta

LONG = "    /// " + "a very long doc comment line " * 6 + "END"
DIFF = f"--- a/src/lib.rs\n+++ b/src/lib.rs\n@@ -1,3 +1,3 @@\n{LONG}\n-#[derive(Debug)]\n+#[derive(Debug, PartialEq)]\n"


def test_explanation_and_diff_are_printed_verbatim() -> None:
    why = "E0369: consider annotating `inventory::Item` with `#[derive(PartialEq)]` [rustc] [bold]"
    out = io.StringIO()
    show_patch(Console(file=out, width=40, color_system=None), Patch.new(DIFF, why))
    text = out.getvalue()
    assert "`#[derive(PartialEq)]`" in " ".join(text.split())
    assert "[rustc] [bold]" in " ".join(text.split())
    assert LONG in text and "+#[derive(Debug, PartialEq)]" in text


def test_counts_from_one_are_checked_by_the_parser() -> None:
    for flag in ("--pick", "--budget", "--alternatives"):
        r = rusta("fix", "/nonexistent", flag, "0", timeout=60)
        assert r.returncode == 2 and "expected a whole number from 1" in r.stderr, r.stderr
