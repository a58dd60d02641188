"""A shown fix whose tests start and never finish is told as a hang, cached, and never ticked (#14).

Review E (e04, e16): the fix read "compiles; tests not run" and `--json` said "tests": "not-run"
beside "test_reach": "reached", though Rusta had run the tests for 60 s and they hung; every later
run paid the 60 s again. The shape here: rustc's `mut` for a counter assigned twice (E0384) compiles,
but the loop it sits in never ends for the input the crate's test gives (halving 0 never reaches 1).
Real cargo on a library crate written here; the run bound is lowered so the hang costs seconds.
"""

from __future__ import annotations

import re
import time

import pytest

from engine.explain import testing
from engine.explain.jsonview import to_dict
from engine.explain.validation import validate
from modes.rendering import render_text
from modes.verdicts import verdict_lines
from tests.explain import honesty
from tests.explain.crates import explain_lib

pytestmark = pytest.mark.slow

HALVINGS = """/// How many halvings take `n` down to 1.
pub fn halvings(mut n: u64) -> u64 {
    let steps = 0;
    while n != 1 {
        n /= 2;
        steps += 1;
    }
    steps
}

#[cfg(test)]
mod tests {
    #[test]
    fn counts_halvings() {
        assert_eq!(super::halvings(8), 3);
        assert_eq!(super::halvings(0), 0);
    }
}
"""


def test_a_fix_whose_tests_hang_is_said_to_hang_and_cached(tmp_path, monkeypatch):
    monkeypatch.setattr(testing, "TEST_TIMEOUT_S", 4.0)
    stories = [e for e in explain_lib(tmp_path, "halvings", HALVINGS) if e.code == "E0384"]
    assert stories, "rustc did not report E0384"
    run = validate(stories, tmp_path / "halvings")
    e, failed = run.explanations[0], run.failed[0]
    hung = [f for f in e.fixes if f.tests_run == "timeout"]
    assert hung, [(f.name, f.tests_run, f.untested) for f in e.fixes]
    f = hung[0]
    assert not f.ticked and not f.untested and f.hung_s == 4.0
    assert "the crate's tests hang with it (they did not finish in 4 s)" in f.state_words, f.state_words
    assert "tests not run" not in f.state_words
    opt = next(o for o in to_dict(e)["options"] if o.get("id") == f.id)
    assert opt["tests"] == "timeout" and opt["tests_run"] == "timeout" and not opt["ticked"], opt
    for mode in ("pair", "study"):
        text = "\n".join(ln.text for ln in verdict_lines(e, failed, mode))
        assert "hang with it" in text and "tests not run" not in text, text
        assert "Fix ✓" not in text and "Fix, not enough" in text, text  # never a plain "Fix" line
    program = honesty.program_tokens(tmp_path / "halvings")
    quotes = honesty.rustc_quotes(e.diagnostics)
    for snippet in honesty.shown(e, render_text):  # every snippet pair and study render
        assert honesty.judge(e, snippet, program, quotes), snippet
    for ln in verdict_lines(e, failed, "pair"):
        for code in re.findall(r"`([^`]+)`", ln.text):
            assert honesty.judge(e, honesty.Snippet(code=code, where="text"), program, quotes), code
    # the verdict is kept like a pass: the next run answers from the cache, without the hang
    t0 = time.monotonic()
    again = validate(stories, tmp_path / "halvings").explanations[0]
    assert time.monotonic() - t0 < 4.0
    assert any(g.tests_run == "timeout" and g.hung_s == 4.0 for g in again.fixes), again.fixes
