"""A patch that changes a method body one level down (in a generic impl, a trait impl, a trait's
default method, a `mod`) is never reported as "changes no function body": the fuzz proof names the
method and why it is left out. Real `rusta explain --apply` on a crate written here (#14)."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.patching.types import Patch
from engine.proofs.fuzz import fuzz_patch
from tests.proofs.crates import diff_of, make_crate, run_rusta

pytestmark = pytest.mark.slow

# a generic stack whose `top` returns a borrowed item where an owned copy is promised (E0308)
LIB = """\
pub struct Stack<T> {
    items: Vec<T>,
}

impl<T: Copy> Stack<T> {
    pub fn top(&self) -> Option<T> {
        self.items.last()
    }
}

pub trait Weight {
    fn grams(&self) -> u32;
    fn kilos(&self) -> u32 {
        self.grams() / 1000
    }
}

pub enum Fruit {
    Apple,
    Pear,
}

impl Weight for Fruit {
    fn grams(&self) -> u32 {
        match self {
            Fruit::Apple => 180,
            Fruit::Pear => 170,
        }
    }
}

pub mod scale {
    pub fn tare(g: u32) -> u32 {
        g - 5
    }
}
"""


def test_apply_on_a_generic_impl_method_names_it_instead_of_no_function_body(tmp_path: Path) -> None:
    root = make_crate(tmp_path / "stack", LIB, name="stack")
    r = run_rusta(root, "explain", "--apply", "1")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "self.items.last().copied()" in (root / "src" / "lib.rs").read_text()
    fuzz = [ln.strip() for ln in r.stdout.splitlines() if "fuzz:" in ln]
    assert fuzz == ["proof skipped: fuzz: not run: Stack<T>::top: a method of a generic impl."], r.stdout


@pytest.mark.parametrize(
    ("old", "new", "said"),
    [
        ("Fruit::Pear => 170,", "Fruit::Pear => 171,", "Fruit::grams: a method of a trait impl"),
        ("self.grams() / 1000", "self.grams() / 1024", "Weight::kilos: a trait's default method"),
        ("g - 5", "g.saturating_sub(5)", "tare: a fn inside a `mod` block"),
    ],
)
def test_a_body_changed_inside_an_impl_trait_or_mod_is_named(
    tmp_path: Path, old: str, new: str, said: str
) -> None:
    fixed = LIB.replace("self.items.last()", "self.items.last().copied()")
    root = make_crate(tmp_path / "stack", fixed, name="stack")
    proofs = fuzz_patch(root, Patch.new(diff_of(root, fixed.replace(old, new)), "a change"))
    assert [p.detail for p in proofs] == [f"fuzz: not run: {said}."]
