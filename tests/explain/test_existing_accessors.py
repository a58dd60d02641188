"""E0616: a private field reached through the `pub` method its type already has for it.

Real cargo on crates written here: a write with the operator a `pub` method uses becomes that call,
a read becomes the call of a getter named otherwise, and a method that changes the field another way
is not offered.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.explain.validation import validate
from engine.syntax.field_methods import readers, writers
from tests.explain.crates import errors_of, explain_lib, story

pytestmark = [pytest.mark.slow]


@pytest.fixture(autouse=True)
def _own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))


CART = """pub mod shop {
    pub struct Cart {
        pub owner: String,
        total: u32,
    }

    impl Cart {
        pub fn new(owner: &str) -> Cart {
            Cart { owner: owner.to_string(), total: 0 }
        }

        pub fn add_cost(&mut self, cents: u32) {
            self.total += cents;
        }

        fn reset(&mut self) {
            self.total = 0;
        }

        pub fn sum(&self) -> u32 {
            self.total
        }
    }
}

pub fn checkout(c: &mut shop::Cart, extra: u32) -> u32 {
    c.total += extra;
    c.total
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adds() {
        let mut c = shop::Cart::new("x");
        assert_eq!(checkout(&mut c, 5), 5);
        assert_eq!(checkout(&mut c, 2), 7);
    }
}
"""


def test_the_syntax_layer_finds_pub_writers_and_readers_only() -> None:
    src = CART.encode()
    assert [(w.name, w.op, w.from_param) for w in writers(src, "Cart", "total")] == [
        ("add_cost", "+=", "cents")
    ]
    assert [r.name for r in readers(src, "Cart", "total")] == ["sum"]  # `reset` is private
    assert writers(src, "Cart", "owner") == () and readers(src, "Cart", "owner") == ()


def test_a_write_and_a_read_of_a_private_field_call_the_types_own_pub_methods(tmp_path: Path) -> None:
    stories = [e for e in explain_lib(tmp_path, "cart", CART) if e.code == "E0616"]
    assert len(stories) == 2, [e.code for e in stories]
    run = validate(stories, tmp_path / "cart")
    fixes = {f.name: f for e in run.explanations for f in e.fixes}
    write = next(f for n, f in fixes.items() if "`pub fn add_cost`" in n)
    read = next(f for n, f in fixes.items() if "`pub fn sum()`" in n)
    assert "c.add_cost(extra);" in " ".join(write.shows) and "c.sum()" in " ".join(read.shows)
    assert write.validated == read.validated == "compiles", (write, read)
    root = tmp_path / "cart"
    text = (root / "src" / "lib.rs").read_text()
    (root / "src" / "lib.rs").write_text(
        text.replace("c.total += extra;", "c.add_cost(extra);").replace("    c.total\n", "    c.sum()\n")
    )
    assert errors_of(root, tmp_path) == []


def test_a_method_that_changes_the_field_another_way_is_not_offered(tmp_path: Path) -> None:
    src = CART.replace("c.total += extra;", "c.total -= extra;")
    stories = [e for e in explain_lib(tmp_path, "cart2", src) if e.code == "E0616"]
    run = validate(stories, tmp_path / "cart2")
    assert not any("add_cost" in f.name for e in run.explanations for f in e.fixes)


METER = """pub mod meter {
    pub struct Meter {
        used: u64,
        calls: u32,
    }

    impl Meter {
        pub fn new() -> Meter {
            Meter { used: 0, calls: 0 }
        }

        fn charge(&mut self, units: u64) -> u64 {
            self.used += units;
            self.used
        }

        pub fn record(&mut self, units: u64) -> u64 {
            self.calls += 1;
            self.charge(units)
        }
    }
}

pub fn run(m: &mut meter::Meter) -> u64 {
    m.charge(3)
}
"""


def test_a_private_method_call_becomes_the_pub_method_that_calls_it(tmp_path: Path) -> None:
    stories = [e for e in explain_lib(tmp_path, "meter", METER) if e.code == "E0624"]
    fixes = [f for e in validate(stories, tmp_path / "meter").explanations for f in e.fixes]
    call = next(f for f in fixes if "`pub fn record`, which calls `charge`" in f.name)
    assert "m.record(3)" in " ".join(call.shows) and call.validated == "compiles", call


def test_where_no_patch_fits_the_story_names_the_pub_method_that_writes_the_field(tmp_path: Path) -> None:
    src = CART.replace("c.total += extra;", "c.total -= extra;")
    stories = explain_lib(tmp_path, "cart3", src)
    write = story(stories, src, "c.total -= extra;", "E0616")
    assert "its pub method add_cost() writes the field (with +=)" in write.why, write.why
    read = next(e for e in stories if e.code == "E0616" and e.primary.line == write.primary.line + 1)
    assert "its pub method sum() returns it" in read.why, read.why
