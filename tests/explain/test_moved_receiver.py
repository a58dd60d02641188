"""A fix that breaks a call it did not write says the fix changed the receiver's type (#14). rustc's
`iter` -> `into_iter` for a temporary lock guard makes `found` an `Option<u32>`, and the next line's
`.copied()` (an `Option<&T>` method) then fails with E0599, labelled "`Option<u32>` is not an
iterator": a guess from the method's name. The mistake guarded: quoting that label as why the fix
fails; the call compiled before the edit, so the edit changed what it is called on. Real cargo on a
crate written here: a shelf of sizes behind a Mutex."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli_runner import rusta
from tests.explain.crates import write_lib

pytestmark = pytest.mark.slow

SHELF = """\
use std::sync::Mutex;

pub struct Shelf {
    sizes: Mutex<Vec<u32>>,
}

impl Shelf {
    pub fn first_power(&self) -> Option<u32> {
        let found = self.sizes.lock().unwrap().iter().find(|s| s.is_power_of_two());
        found.copied()
    }
}
"""


def test_a_broken_call_the_fix_did_not_write_is_blamed_on_the_changed_receiver(tmp_path: Path) -> None:
    root = write_lib(tmp_path, "shelf", SHELF)
    r = rusta("explain", str(root), "--mode", "pair", "--no-clippy")
    line = next((ln for ln in r.stdout.splitlines() if "does not compile here" in ln), "")
    assert "E0599 no method named `copied`" in line, r.stdout
    assert "not an iterator" not in line, line
    assert "the edit changes the type `.copied()` is called on there to `Option<u32>`" in line, line
