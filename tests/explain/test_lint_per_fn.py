"""A lint at several places of one function is one fix of that function (real clippy).

`ptr_arg` on both `&Vec` parameters of `dot` and on the `&String` of `shout`: clippy suggests each
parameter's slice alone. Within `dot` the two edits are one change, validated together; `shout`, a
different function, keeps its own fix.
"""

from __future__ import annotations

import pytest

from engine.explain.api import explain_report
from engine.explain.validation import validate
from modes.rendering import render_text
from tests.explain import honesty
from tests.explain.crates import apply_fixes, cargo_test, write_lib
from toolbelt.cargo_run import run_check

pytestmark = pytest.mark.slow

SRC = """/// The dot product of two equal-length vectors.
pub fn dot(xs: &Vec<i64>, ys: &Vec<i64>) -> i64 {
    xs.iter().zip(ys.iter()).map(|(x, y)| x * y).sum()
}

/// The text in capitals.
pub fn shout(s: &String) -> String {
    s.to_uppercase()
}

#[cfg(test)]
mod tests {
    #[test]
    fn works() {
        let v = vec![1, 2, 3];
        assert_eq!(super::dot(&v, &v), 14);
        assert_eq!(super::shout(&"hi".to_string()), "HI");
    }
}
"""


def test_ptr_arg_on_two_parameters_of_one_fn_is_one_fix(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    root = write_lib(tmp_path, "dots", SRC)
    report = run_check(root, tool="clippy", target_dir=tmp_path / "target")
    (e,) = [e for e in validate(explain_report(report), root).explanations if e.code == "clippy::ptr_arg"]
    assert len(e.diagnostics) == 3, e.diagnostics
    shown = {f.shows: f for f in e.fixes}
    both = shown.get(("pub fn dot(xs: &[i64], ys: &[i64]) -> i64 {",))
    assert both is not None and both.validated == "compiles", list(shown)
    assert ("pub fn shout(s: &str) -> String {",) in shown, list(shown)
    # the one-parameter halves of `dot` are gone: each alone leaves the lint at its sibling
    assert not any("&Vec<i64>" in "".join(s) for s in shown), list(shown)
    program, quotes = honesty.program_tokens(root), honesty.rustc_quotes(e.diagnostics)
    lies = [s.code for s in honesty.shown(e, render_text) if not honesty.judge(e, s, program, quotes)]
    assert not lies, lies
    apply_fixes(root, both)
    again = run_check(root, tool="clippy", target_dir=tmp_path / "target")
    lines = {d.primary.line_start for d in again.diagnostics if d.code_str == "clippy::ptr_arg" and d.primary}
    assert lines == {7}, lines  # only `shout`'s is left
    assert cargo_test(root).returncode == 0
