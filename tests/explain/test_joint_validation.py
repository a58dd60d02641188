"""A fix is "compiles" only when borrow checking ran on it: real cargo on crates written here.

rustc skips borrowck in a body that still has a type error, so a fix checked alone next to another
story's type error only type-checks. It is checked again with the other story's best fix (and then
earns ✓ or fails), or, when that story has no fix, shown as "type-checks" without ✓ and not counted.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.explain.validation import validate
from modes.verdicts import pair_verdict_lines, study_verdict_lines
from tests.explain.crates import explain_lib

pytestmark = [pytest.mark.slow]

# two type errors in one body: the first's fixes only type-check until the second's `.to_string()`
# is in beside them
TWO_TYPE_ERRORS = """pub fn label(tags: &[String], fallback: &str) -> (String, String) {
    let first: String = match tags.first() {
        Some(t) => t,
        None => String::new(),
    };
    let other: String = fallback;
    (first, other)
}
"""

# the second error (a missing argument) has no fix Rusta can write: borrowck never runs on the body
# the missing argument is a function, which Rusta has no value to fill in with, so the E0061 has no fix
MISSING_ARGUMENT = """fn clamp_width(n: usize, most: &dyn Fn(usize) -> usize) -> usize {
    most(n)
}

pub fn widest(words: &[String]) -> (String, usize) {
    let best: String = match words.iter().max_by_key(|w| w.len()) {
        Some(w) => w,
        None => String::new(),
    };
    let width = clamp_width(best.len());
    (best, width)
}
"""

# the borrow (`&q`) fails with E0502 at `q.take()`, the clone fails (no Clone): "borrow instead of
# moving" must not be offered in words afterwards
MOVED_THEN_MUTATED = """pub struct Queue {
    items: Vec<u32>,
}

impl Queue {
    pub fn take(&mut self) -> Option<u32> {
        self.items.pop()
    }
}

pub fn drain(mut q: Queue) -> Vec<u32> {
    let saved = q;
    let mut out = Vec::new();
    while let Some(v) = q.take() {
        out.push(v);
    }
    out.push(saved.items.len() as u32);
    out
}
"""


@pytest.fixture(autouse=True)
def _own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))


def _shows(o) -> str:  # noqa: ANN001 - a PatchOption
    return " ".join(o.shows)


def test_a_fix_that_only_type_checks_is_judged_with_the_other_storys_fix(tmp_path: Path) -> None:
    stories = explain_lib(tmp_path, "joint", TWO_TYPE_ERRORS)
    first = next(e for e in stories if e.primary.line == 3)
    # `*t` would move the `String` out of the borrow (E0507 once borrowck runs): never offered
    assert first.fixes and all("*t" not in _shows(o) for o in first.fixes)

    run = validate(stories, tmp_path / "joint")
    i = stories.index(first)
    checked = run.explanations[i]
    assert checked.fixes and all(o.validated == "compiles" for o in checked.fixes)  # whole, jointly
    assert "to_string()" in _shows(checked.fixes[0])

    again = validate(stories, tmp_path / "joint")  # the joint verdicts come from the cache
    assert again.checked == 0 and [o.validated for o in again.explanations[i].fixes] == [
        o.validated for o in checked.fixes
    ]


def test_with_no_fix_for_the_other_error_the_verdict_says_what_was_checked(tmp_path: Path) -> None:
    stories = explain_lib(tmp_path, "partial", MISSING_ARGUMENT)
    run = validate(stories, tmp_path / "partial")
    i = next(n for n, e in enumerate(stories) if e.code == "E0308")
    e, failed = run.explanations[i], run.failed[i]
    assert e.fixes and all(o.validated == "type-checks" for o in e.fixes)  # `*w` among them, unproven

    pair = "\n".join(ln.text for ln in pair_verdict_lines(e, failed))
    assert "✓" not in pair and "other fix" not in pair
    assert "type-checks; the full check waits on the other errors" in pair
    study = "\n".join(ln.text for ln in study_verdict_lines(e, failed))
    assert "✓" not in study and "type-checks; the full check waits" in study


def test_a_way_out_in_words_does_not_recommend_the_kind_of_fix_that_failed(tmp_path: Path) -> None:
    stories = explain_lib(tmp_path, "moved", MOVED_THEN_MUTATED)
    run = validate(stories, tmp_path / "moved")
    i = next(n for n, e in enumerate(stories) if e.code == "E0382")
    e, failed = run.explanations[i], run.failed[i]
    assert {o.kind for o in failed} >= {"borrow", "clone"}, failed
    assert any(c.name.startswith("borrow") for c in e.options)  # the KB offers it in words

    pair = "\n".join(ln.text for ln in pair_verdict_lines(e, failed)).lower()
    assert "borrow instead" not in pair and "clone at the move" not in pair, pair
    study = "\n".join(ln.text for ln in study_verdict_lines(e, failed))
    # the clone alone fails (`Queue` has no `clone`); finished with the derive it asks for, it compiles
    assert e.fixes and e.fixes[0].steps and "derive" in e.fixes[0].steps[0].lower(), e.fixes
    assert "in 2 steps: clone the value where it is moved, then " in study, study
    assert "options above" not in study  # a failed edit says nothing of the ways out in words
