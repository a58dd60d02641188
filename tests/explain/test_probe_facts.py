"""A compiler probe's answer is a fact only when it is a type and does not contradict what rustc
said of the same expression (an `if` without `else` is `()`, whatever the probe infers there)."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.explain.api import explain_report
from engine.explain.probes import _is_type
from engine.syntax.coercion_sites import written_target
from tests.explain.crates import write_lib
from toolbelt.cargo_run import run_check

IF_WITHOUT_ELSE = """pub fn discount(total: u32, member: bool) -> u32 {
    let d = if member {
        total / 10
    };
    total - d
}
"""


def test_stand_in_words_are_not_types() -> None:
    assert all(_is_type(t) for t in ("u32", "Vec<String>", "&str", "()", "{integer}", "String"))
    assert not any(_is_type(t) for t in ("future", "closure", ""))


@pytest.mark.slow
def test_a_probe_never_contradicts_rustcs_found_type(tmp_path: Path) -> None:
    root = write_lib(tmp_path, "ifelse", IF_WITHOUT_ELSE)
    (e,) = [e for e in explain_report(run_check(root), probe=True) if e.level == "error"]
    assert "expected `u32`, found `()`" in e.facts
    assert not any("compiler probe" in f and "is `u32`" in f for f in e.facts), e.facts


RETURNED_LOCAL = """pub fn first_upper(words: &[String]) -> Option<&str> {
    let up = words.first()?.to_uppercase();
    Some(&up)
}
"""


def test_the_written_type_of_a_coercion_site() -> None:
    src = (
        b"fn f(s: &String) -> Option<&str> {\n    if s.is_empty() { return Some(s); }\n"
        b"    let t: &str = &s;\n    let u = &s;\n    Some(s)\n}\n"
    )
    at = [i for i in range(len(src)) if src.startswith(b"Some(s)", i)]
    assert [written_target(src, i, "Some(s)") for i in at] == ["Option<&str>", "Option<&str>"]
    assert written_target(src, src.index(b"&s;"), "&s") == "&str"  # the typed let
    assert written_target(src, src.rindex(b"&s;"), "&s") is None  # an untyped let: no written type
    assert written_target(src, src.rindex(b"s)"), "s") is None  # inside the returned value, not it


@pytest.mark.slow
def test_a_probe_in_a_coercion_site_says_the_written_type(tmp_path: Path) -> None:
    """`Some(&up)` alone is `Option<&String>`; returned from `-> Option<&str>` it is coerced, so the
    probe's answer is quoted beside the written return type, never as the type the code has there."""
    root = write_lib(tmp_path, "upper", RETURNED_LOCAL)
    (e,) = [e for e in explain_report(run_check(root), probe=True) if e.level == "error"]
    (probed,) = [f for f in e.facts if "compiler probe" in f]
    assert probed.startswith("`Some(&up)` on its own is `Option<&String>`"), probed
    assert probed.endswith("the written `Option<&str>` is expected"), probed


# the coerced value is an arm of the `if` that ends the body, with no `;`: the grammar calls that `if`
# a statement, yet it is the fn's value and each branch's tail goes to the written return type
BRANCH_TAIL = """pub fn title(words: &[String], caps: bool) -> Option<&str> {
    if caps {
        let up = words.first()?.to_uppercase();
        Some(&up)
    } else {
        words.first().map(|w| w.as_str())
    }
}
"""


def test_a_branch_of_a_tail_if_or_match_is_a_coercion_site() -> None:
    src = BRANCH_TAIL.encode()
    assert written_target(src, src.index(b"Some(&up)"), "Some(&up)") == "Option<&str>"
    matched = src.replace(b"if caps {", b"match caps {\n    true => {").replace(
        b"} else {", b"}\n    false => {"
    )
    matched = matched.replace(b"w.as_str())\n    }", b"w.as_str())\n    }\n    }")
    assert written_target(matched, matched.index(b"Some(&up)"), "Some(&up)") == "Option<&str>"
    stated = src.replace(b"    }\n}\n", b"    };\n    None\n}\n")  # with `;` the `if` is no value
    assert written_target(stated, stated.index(b"Some(&up)"), "Some(&up)") is None


@pytest.mark.slow
def test_a_probe_in_a_branch_of_the_tail_says_the_written_type(tmp_path: Path) -> None:
    root = write_lib(tmp_path, "title", BRANCH_TAIL)
    (e,) = [e for e in explain_report(run_check(root), probe=True) if e.level == "error"]
    (probed,) = [f for f in e.facts if "compiler probe" in f]
    assert probed.startswith("`Some(&up)` on its own is `Option<&String>`"), probed
    assert probed.endswith("the written `Option<&str>` is expected"), probed
