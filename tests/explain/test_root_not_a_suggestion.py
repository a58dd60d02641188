"""A rustc suggestion is a fix nobody has checked: its span is no root cause when a note of the same
diagnostic names the cause. E0038 in an impl whose method returns `Box<dyn Trait>`: rustc suggests
`Box<Self>` there (which does not compile: E0053), while its note names the generic method in the
trait (real cargo on a crate written here)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.explain.crates import explain_lib, line_of

pytestmark = pytest.mark.slow

GENERIC_METHOD = """pub trait Animal {
    fn speak(&self) -> String;
    fn grow<N: Into<u32>>(&self, years: N) -> Box<dyn Animal>;
}

pub struct Dog {
    age: u32,
}

impl Animal for Dog {
    fn speak(&self) -> String {
        format!("woof at {}", self.age)
    }
    fn grow<N: Into<u32>>(&self, years: N) -> Box<dyn Animal> {
        Box::new(Dog { age: self.age + years.into() })
    }
}
"""


def test_the_generic_method_is_the_root_not_rustcs_self_suggestion(tmp_path: Path) -> None:
    stories = [e for e in explain_lib(tmp_path, "generic_method", GENERIC_METHOD) if e.code == "E0038"]
    assert stories
    method = line_of(GENERIC_METHOD, "fn grow<N: Into<u32>>(&self, years: N) -> Box<dyn Animal>;")
    for e in stories:
        assert (e.root_cause.file, e.root_cause.line) == ("src/lib.rs", method), (e.root_cause, e.primary)
        assert "generic type parameters" in e.root_cause_reason, e.root_cause_reason
        assert "you might have meant" not in e.root_cause_reason
