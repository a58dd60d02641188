"""rustc's help that stops at "this" is finished by the patch, not glued to it (#14, review G: g19).

clippy's `new_without_default` help reads "try adding this" over a five-line `impl Default`; the fix
was titled "Try adding this the code in the patch below". A demonstrative that points at the code
gives way to the words that say where the code is. Real clippy on a crate written here, and the
titles alone.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.edits import Edit
from engine.repair.suggestions import titled
from tests.cli_runner import rusta
from tests.explain.crates import write_lib

LEDGER = """\
pub struct Ledger {
    entries: Vec<i64>,
}

impl Ledger {
    pub fn new() -> Self {
        Ledger { entries: Vec::new() }
    }

    pub fn total(&self) -> i64 {
        self.entries.iter().sum()
    }
}
"""


def test_a_help_that_ends_at_this_is_finished_in_words() -> None:
    long = (Edit(file="src/lib.rs", start=0, end=0, replacement="impl A {\n    fn f() {}\n}\n"),)
    assert titled("try adding this", long) == "try adding the code in the patch below"
    assert titled("change this to", long) == "change this to the code in the patch below"
    one = (Edit(file="src/lib.rs", start=0, end=0, replacement="x + 1"),)
    assert titled("try this", one) == "try this `x + 1`"


@pytest.mark.slow
def test_clippys_try_adding_this_reads_as_a_sentence(tmp_path: Path) -> None:
    root = write_lib(tmp_path, "ledger", LEDGER)
    out = rusta("explain", str(root), "--mode", "study", columns=200).stdout
    fix = next((ln for ln in out.splitlines() if "Fix" in ln and "patch below" in ln), None)
    assert fix is not None, out
    assert "this the code" not in fix and "Try adding the code in the patch below" in fix, fix
