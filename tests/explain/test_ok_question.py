"""A `Result` in a fn returning `Option` ends it with `None` on `Err` via `.ok()?` (real cargo).

Two shapes of one mistake: a `Result` where its inside is expected (E0308, `Some(Cell(s.parse()))`)
and `?` on a `Result` (E0277 "the `?` operator can only be used on `Option`s"). The fix writes
`.ok()?`, compiles, passes the crate's tests, and says what it drops: the error value.
"""

from __future__ import annotations

import pytest

from engine.explain.validation import validate
from modes.rendering import render_text
from tests.explain import honesty
from tests.explain.crates import apply_fixes, cargo_test, errors_of, explain_lib

pytestmark = pytest.mark.slow

CELLS = """pub struct Cell(pub i32);

/// The cell a field holds, or None when it is not a number.
pub fn cell(field: &str) -> Option<Cell> {
    let s = field.trim();
    if s.is_empty() {
        return None;
    }
    Some(Cell(s.parse()))
}

#[cfg(test)]
mod tests {
    #[test]
    fn cells() {
        assert_eq!(super::cell(" 7 ").map(|c| c.0), Some(7));
        assert!(super::cell("x").is_none());
    }
}
"""

PORTS = """/// The port of a `host:port` pair, or None.
pub fn port(addr: &str) -> Option<u16> {
    let (_, p) = addr.split_once(':')?;
    let n: u16 = p.parse()?;
    Some(n)
}

#[cfg(test)]
mod tests {
    #[test]
    fn ports() {
        assert_eq!(super::port("h:80"), Some(80));
        assert_eq!(super::port("h:x"), None);
    }
}
"""


@pytest.mark.parametrize(("name", "src", "code", "line"), [
    ("cells", CELLS, "E0308", "    Some(Cell(s.parse().ok()?))"),
    ("ports", PORTS, "E0277", "    let n: u16 = p.parse().ok()?;"),
])  # fmt: skip
def test_a_result_in_an_option_fn_becomes_ok_question(tmp_path, monkeypatch, name, src, code, line) -> None:
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    run = validate(list(explain_lib(tmp_path, name, src)), tmp_path / name)
    (e,) = [e for e in run.explanations if e.code == code]
    fix = next((f for f in e.fixes if f.shows == (line,)), None)
    assert fix is not None, [(f.shows, f.validated) for f in e.fixes]
    assert fix.validated == "compiles" and fix.tests_run == "passed", fix
    assert e.fixes.index(fix) == 0, [f.shows for f in e.fixes]
    if fix.source == "template":  # Rusta's words say what is lost; rustc's own help says it its way
        assert "the error value is dropped" in render_text(e, "pair"), render_text(e, "pair")
    program, quotes = honesty.program_tokens(tmp_path / name), honesty.rustc_quotes(e.diagnostics)
    pair = render_text(e, "pair")  # the fixes and pair's words (the KB's ways out are not this change's)
    said = [s for s in honesty.shown(e, render_text) if s.where == "patch" or f"`{s.code}`" in pair]
    lies = [s.code for s in said if not honesty.judge(e, s, program, quotes)]
    assert not lies, lies
    root = tmp_path / name
    apply_fixes(root, fix)
    assert not errors_of(root, tmp_path)
    assert cargo_test(root).returncode == 0
