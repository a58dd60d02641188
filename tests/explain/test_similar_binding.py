"""E0425 where a binding in scope at the use is spelled almost like the missing name (`config` used
where the arm binds `cfg`), a slip rustc's similar-name help does not catch: the story says so and the
rename is a validated fix, and "declare it" is not the first way out. A binding of that name that is
not in scope at the use (another arm's) is never offered. Real cargo on a crate written here."""

from __future__ import annotations

import pytest

from engine.explain.validation import validate
from tests.explain.crates import explain_lib, option_names, story

pytestmark = pytest.mark.slow

SRC = """pub enum Load { Ready(String), Failed(u32) }

pub fn report(l: &Load) -> String {
    match l {
        Load::Ready(cfg) => format!("loaded {}", config),
        Load::Failed(code) => format!("failed {}", cdoe_num),
    }
}

pub fn other(l: &Load) -> u32 {
    match l {
        Load::Ready(_) => 0,
        Load::Failed(_) => code + 1,
    }
}
"""


def test_a_close_binding_in_scope_is_the_fix(tmp_path):
    stories = explain_lib(tmp_path, "load", SRC)
    checked = validate(list(stories), tmp_path / "load").explanations
    e = story(checked, SRC, 'format!("loaded {}", config)', "E0425")
    assert "`cfg`" in e.summary, e.summary
    assert option_names(e)[0] == "use the binding in scope", option_names(e)
    assert "`cfg`" in e.options[0].how, e.options[0].how
    assert "similar name" not in e.why.lower()  # rustc gave no such help here
    ok = [f for f in e.fixes if f.validated in ("compiles", "type-checks")]  # the other slip stays
    assert ok and 'format!("loaded {}", cfg)' in "".join(ok[0].shows), [
        (f.name, f.validated) for f in e.fixes
    ]


def test_a_binding_out_of_scope_is_never_offered(tmp_path):
    stories = explain_lib(tmp_path, "load2", SRC)
    e = story(stories, SRC, "Load::Failed(_) => code + 1", "E0425")
    assert "use the binding in scope" not in option_names(e)
    assert not any(
        "code" in "".join(f.shows) and "+ 1" in "".join(f.shows) for f in e.fixes if "use `" in f.name
    )
    assert "similar name" not in e.why.lower()
