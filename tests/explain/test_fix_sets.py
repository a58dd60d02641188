"""✓ fixes are judged as the set the user is shown: real cargo on crates written here.

A lint's fix in a crate with errors is checked beside the errors' fixes (an unused `mut` is unused
only while the `&self` error stands); an option that failed on a line another story's fix rewrites
is retried beside that fix (`for x in &v` fails at `best = x;` and compiles with `best = x.clone();`).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.explain.validation import validate
from modes.verdicts import pair_verdict_lines, set_line, study_verdict_lines
from tests.explain.crates import explain_lib

pytestmark = [pytest.mark.slow]

# `bump(&self)` assigns a field (E0594); the caller's `let mut t` is unused only because of it
UNUSED_MUT_ASSIGN = """pub struct Tally {
    hits: u64,
}

impl Tally {
    pub fn bump(&self) {
        self.hits += 1;
    }
}

pub fn count(words: &[&str]) -> u64 {
    let mut t = Tally { hits: 0 };
    for _ in words {
        t.bump();
    }
    t.hits
}
"""

# the same conflict where no cell can hold the change: the `&self` method assigns `*self`, so the
# error's only fix is `&mut self`, and with it the `mut` rustc calls unused is needed (E0596 without it)
UNUSED_MUT_SELF = """/// A tally that can be started over.
pub struct Tally(u64);

impl Tally {
    pub fn restart(&self) {
        *self = Tally(0);
    }
}

pub fn fresh(start: u64) -> u64 {
    let mut t = Tally(start);
    t.restart();
    t.0
}
"""

# the same shape through a method call (E0596 on `push`), in a different program
UNUSED_MUT_PUSH = """pub struct Shelf {
    books: Vec<String>,
}

impl Shelf {
    pub fn stock(&self, title: &str) {
        self.books.push(title.to_string());
    }
}

pub fn fill(titles: &[&str]) -> usize {
    let mut shelf = Shelf { books: Vec::new() };
    for t in titles {
        shelf.stock(t);
    }
    shelf.books.len()
}
"""

# rustc's `&people` alone makes `first = who;` a `&String` (E0308); with the other story's
# `first = who.clone();` the pair compiles
LOOP_BORROW_AND_CLONE = """pub fn initials(people: Vec<String>) -> (usize, String) {
    let mut first = String::new();
    for who in people {
        if first.is_empty() {
            first = who;
        }
        println!("{}", who);
    }
    (people.len(), first)
}
"""

LOOP_BORROW_AND_CLONE_2 = """pub fn longest(words: Vec<String>) -> usize {
    let mut best = String::new();
    let mut total = 0;
    for w in words {
        if w.len() > best.len() {
            best = w;
        }
        total += w.len();
    }
    total + best.len() + words.len()
}
"""


@pytest.fixture(autouse=True)
def _own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))


def _text(lines) -> str:  # noqa: ANN001 - modes.rendering.Line
    return "\n".join(ln.text for ln in lines)


@pytest.mark.parametrize(
    ("name", "src"), [("assign", UNUSED_MUT_ASSIGN), ("push", UNUSED_MUT_PUSH), ("whole", UNUSED_MUT_SELF)]
)
def test_a_lints_fix_that_breaks_the_errors_fix_loses_its_check(tmp_path: Path, name: str, src: str) -> None:
    stories = explain_lib(tmp_path, name, src)
    lint = next(i for i, e in enumerate(stories) if e.code == "unused_mut")
    run = validate(stories, tmp_path / name)

    error = next(e for e in run.explanations if e.level == "error")
    assert error.fixes[0].validated == "compiles" and "&mut self" in error.fixes[0].shows[0]
    assert run.explanations[lint].fixes == ()  # no ✓ on a fix that breaks the other one
    if not stories[lint].fixes:
        # the error's other fix (the field in a `Cell`/`RefCell`, engine.repair.field_cell) rewrites
        # the lint's binding's lines, and with it the `mut` is unused: which fix is chosen decides the
        # lint, so it waits for the errors (engine.explain.api._after_errors)
        assert any(o.name == "fix the errors first" for o in stories[lint].options)
        return
    failed = run.failed[lint]
    assert failed and "E0596" in failed[0].fails_because, failed
    pair = _text(pair_verdict_lines(run.explanations[lint], failed))
    assert "✓" not in pair
    assert "breaks the build once the other errors are fixed: E0596" in pair, pair

    again = validate(stories, tmp_path / name)  # the joint verdict comes from the cache
    assert again.checked == 0 and again.explanations[lint].fixes == ()


@pytest.mark.parametrize(
    ("name", "src", "borrow", "clone"),
    [
        ("initials", LOOP_BORROW_AND_CLONE, "for who in &people {", "first = who.clone();"),
        ("longest", LOOP_BORROW_AND_CLONE_2, "for w in &words {", "best = w.clone();"),
    ],
)
def test_rustcs_rejected_borrow_is_retried_with_the_other_storys_fix(
    tmp_path: Path, name: str, src: str, borrow: str, clone: str
) -> None:
    stories = explain_lib(tmp_path, name, src)
    run = validate(stories, tmp_path / name)
    i = next(n for n, e in enumerate(stories) if any(borrow in " ".join(o.shows) for o in e.fixes))
    e = run.explanations[i]
    assert not any(borrow in " ".join(o.shows) for o in run.failed[i])
    # the borrow leads the whole-Vec clone; only reading the length before the loop (no clone at
    # all, engine/repair/read_before_move.py) may come before it
    at = next(n for n, o in enumerate(e.fixes) if borrow in o.shows[0])
    best = e.fixes[at]
    assert at == 0 or (at == 1 and e.fixes[0].name.startswith("read `")), e.fixes
    assert best.validated == "compiles" and best.together_with == (clone,), e.fixes
    assert not any(".clone()" in o.shows[0] and "for " in o.shows[0] for o in e.fixes[:at])
    pair = _text(pair_verdict_lines(e, run.failed[i]))
    # the crate has no tests: a green run of none is not "tests pass" (explain --help), and the label says so
    assert "Fix ✓" in pair and "the crate has no tests" in pair, pair
    assert "tests pass" not in pair and "does not compile" not in pair, pair
    study = _text(study_verdict_lines(e, run.failed[i]))
    assert f"compiles together with `{clone}`" in study

    alone = validate([stories[i]], tmp_path / name)  # with no other story, no set to compile
    assert not any(o.together_with for o in alone.explanations[0].fixes)
    assert any(borrow in " ".join(o.shows) for o in alone.failed[0])


@pytest.mark.parametrize(
    ("name", "src"), [("initials", LOOP_BORROW_AND_CLONE), ("longest", LOOP_BORROW_AND_CLONE_2)]
)
def test_the_lead_fixes_are_built_together_once(tmp_path: Path, name: str, src: str) -> None:
    stories = explain_lib(tmp_path, name, src)
    run = validate(stories, tmp_path / name)
    leads = [e.fixes[0] for e in run.explanations if e.fixes and e.fixes[0].validated == "compiles"]
    assert len(leads) == run.set_size == 2 and run.set_verdict == "compiles"
    assert set_line(run.set_size, run.set_verdict) == ("Together, the 2 ✓ fixes above compile.", "green")
    again = validate(stories, tmp_path / name)
    assert again.checked == 0 and again.set_verdict == "compiles"  # the set's verdict is cached too


def test_a_set_that_breaks_says_so_and_one_alone_says_nothing() -> None:
    broke = set_line(3, "E0499 cannot borrow `q` as mutable more than once at a time at src/lib.rs:9")
    assert broke is not None and broke.text.startswith("Together, the 3 ✓ fixes above do not compile: E0499")
    assert set_line(1, "compiles") is None and set_line(2, "") is None
