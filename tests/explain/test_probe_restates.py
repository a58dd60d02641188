"""A compiler-probe fact that restates the code, or types a literal outside a type error, is not
shown (#14, review J: j01, j11).

"`Token::Ident(name)` is `Token`" reads as a fact and teaches nothing: the expression names its type
itself (a variant's enum, a struct literal's struct, `Type::new`); "`0` is `usize`" under a
clippy lint about a range loop answers no question the story asks. Such a probe answer is skipped,
and the probe's one answer goes to the next place, where the type is news (`raw` is `&str`). Real
cargo on a crate written here, and the rule alone.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.explain.api import explain_report
from engine.explain.probes import restates
from tests.explain.crates import write_lib
from toolbelt.cargo_run import run_check

MSG = """\
pub enum Msg {
    Text(String),
    Code(u32),
}

pub fn parse(raw: &str) -> Msg {
    match raw.parse::<u32>() {
        Ok(n) => Msg::Code(n),
        Err(_) => Msg::Text(raw),
    }
}
"""


def test_a_type_the_expression_names_is_a_restatement() -> None:
    assert restates("Token::Ident(name)", "Token")
    assert restates("Point { x: 1, y: 2 }", "geo::Point")
    assert restates("Parser::new(src)", "Parser")
    assert not restates("Vec::new()", "Vec<u8>")  # the element type is the probe's news
    assert not restates("name", "&str")
    assert not restates("make(1)", "Token")


@pytest.mark.slow
def test_the_probe_tells_the_type_the_code_does_not_write(tmp_path: Path) -> None:
    report = run_check(write_lib(tmp_path, "msg", MSG), target_dir=tmp_path / "target")
    (story,) = [e for e in explain_report(report, probe=True) if e.code == "E0308"]
    probed = [f for f in story.facts if "(compiler probe)" in f]
    assert probed == ["`raw` is `&str` at src/lib.rs:9 (compiler probe)"], story.facts


TOTAL = """\
pub fn total(xs: &[u32]) -> u32 {
    let mut t = 0;
    for i in 0..xs.len() {
        t += xs[i];
    }
    t
}
"""


@pytest.mark.slow
def test_a_literal_is_not_typed_under_a_lint(tmp_path: Path) -> None:
    report = run_check(write_lib(tmp_path, "total", TOTAL), tool="clippy", target_dir=tmp_path / "target")
    stories = [e for e in explain_report(report, probe=True) if e.code == "clippy::needless_range_loop"]
    assert stories, [e.code for e in explain_report(report)]
    assert not any(f.startswith("`0` is") for f in stories[0].facts), stories[0].facts
