"""A lint's help that the crate's errors make look right (`unused_mut` on `let mut c` while the
method it calls wrongly takes `&self`) is not given as the story's `why` or `patch` once validation
finds that it breaks the build with the errors fixed: the story says to leave it until then
(review I, i02). Real cargo on small crates written here."""

from __future__ import annotations

import pytest

from engine.explain.validation import validate
from tests.explain.crates import explain_lib

pytestmark = pytest.mark.slow

# E0594: `bump` assigns through `&self`; the caller's `let mut c` looks unused until it is `&mut self`
COUNTER = """pub struct Counter {
    n: u32,
}

impl Counter {
    pub fn bump(&self) {
        self.n += 1;
    }
}

pub fn twice() -> u32 {
    let mut c = Counter { n: 0 };
    c.bump();
    c.bump();
    c.n
}
"""

# E0596: `add` pushes through `&self`; the `let mut` sits in a test
STACK = """pub struct Stack {
    items: Vec<i32>,
}

impl Stack {
    pub fn add(&self, x: i32) {
        self.items.push(x);
    }

    pub fn size(&self) -> usize {
        self.items.len()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn grows() {
        let mut s = super::Stack { items: Vec::new() };
        s.add(1);
        assert_eq!(s.size(), 1);
    }
}
"""

# the same lint where nothing else is wrong: the help stands, as rustc's why and patch
PLAIN = """pub fn one() -> u32 {
    let mut x = 1;
    x + 0
}
"""


@pytest.mark.parametrize("name,src", [("counter", COUNTER), ("stack", STACK)])
def test_a_lint_help_the_errors_fix_disproves_is_not_the_why(tmp_path, monkeypatch, name, src):
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    run = validate(list(explain_lib(tmp_path, name, src)), tmp_path / name)
    lint = [e for e in run.explanations if e.code == "unused_mut"]
    assert lint, [e.code for e in run.explanations]
    for e in lint:
        assert not e.why.lower().startswith("remove this"), e.why
        assert "until the errors are fixed" in e.why, e.why


def test_the_help_stands_where_nothing_disproves_it(tmp_path, monkeypatch):
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    run = validate(list(explain_lib(tmp_path, "plain", PLAIN)), tmp_path / "plain")
    e = next(e for e in run.explanations if e.code == "unused_mut")
    assert e.why.lower().startswith("remove this"), e.why
    assert e.patch is not None
