"""A fix whose check reveals the next error is finished with that error's own suggestion, checked
as one fix with its steps, and shown ✓ only when its last build has no new error; a fix that leaves
or brings errors names the first of them (real cargo on crates written here)."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.edits import apply_edits, edits_between
from engine.explain.validation import validate
from tests.explain.crates import explain_lib, line_of, story, write_lib
from toolbelt.cargo_run import run_check

# an operator on a type parameter: rustc's `T: Mul` reveals "cannot add `<T as Mul>::Output` to `T`"
DOT = """pub fn dot<T: Copy>(a: &[T], b: &[T], zero: T) -> T {
    let mut acc = zero;
    for i in 0..a.len() {
        acc = acc + a[i] * b[i];
    }
    acc
}
"""

AREA = """pub struct Rect<T> {
    pub w: T,
    pub h: T,
}

pub fn framed<T: Copy>(r: &Rect<T>, border: T) -> T {
    border + r.w * r.h
}
"""

# a struct that borrows: its lifetime reveals E0726 at the `impl` that names it without one
CURSOR = """pub struct Cursor {
    text: &str,
    at: usize,
}

impl Cursor {
    pub fn new(text: &str) -> Cursor {
        Cursor { text, at: 0 }
    }

    pub fn rest(&self) -> &str {
        &self.text[self.at..]
    }
}
"""

# the same operator chain, but a `&mut` held across the loop: once the bounds type-check, borrowck
# rejects the body, and nothing suggests a way on, so no finished fix may be shown
HELD = """pub fn dot<T: Copy>(a: &[T], b: &[T], zero: T) -> T {
    let mut acc = zero;
    let first = &mut acc;
    for i in 0..a.len() {
        acc = acc + a[i] * b[i];
    }
    *first = zero;
    acc
}
"""

# the same operators, on parameters: `a` is used again after `a + ..` moves it
LERP = """use std::fmt::Debug;

pub fn lerp<T: Debug>(a: T, b: T, t: T) -> T {
    a + (b - a) * t
}
"""

# the import clears the resolve error and lets borrowck see the map's get-then-insert
MEMO = """pub struct Memo {
    seen: HashMap<u32, String>,
}

impl Memo {
    pub fn get(&mut self, k: u32) -> &String {
        if let Some(v) = self.seen.get(&k) {
            return v;
        }
        self.seen.insert(k, k.to_string());
        self.seen.get(&k).unwrap()
    }
}
"""


def test_steps_made_on_top_of_each_other_become_one_edit_set_on_the_original() -> None:
    old = b"fn a() {}\nfn b() {}\nfn c() {}\n"
    new = b"fn a() {}\nfn b2() {}\nfn c() {}\nfn d() {}\n"
    edits = edits_between("src/lib.rs", old, new)
    assert apply_edits(old, edits) == new
    assert len(edits) == 2  # one per changed run of lines, none for the lines kept


def _finished(stories, run, src: str, text: str, code: str):
    i = stories.index(story(stories, src, text, code))
    return i, [o for o in run.explanations[i].fixes if o.steps]


@pytest.mark.slow
@pytest.mark.parametrize(("name", "src", "at"), [("dot", DOT, "a[i] * b[i]"), ("area", AREA, "r.w * r.h")])
def test_operator_bounds_made_in_one_step_need_no_chain(
    tmp_path: Path, monkeypatch, name: str, src: str, at: str
) -> None:
    """Rusta's own repair bounds `T` with every operator its body uses, `Output = T`, at once: one
    step compiles, so rustc's `T: Mul` is not finished in steps (fewer changes say the same)."""
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    stories = explain_lib(tmp_path, name, src)
    run = validate(stories, tmp_path / name)
    i, done = _finished(stories, run, src, at, "E0369")
    assert done == [], done
    lead = run.explanations[i].fixes[0]
    assert lead.validated == "compiles" and lead.errors_new == 0, lead
    # no step was looked for: every cargo run is one option's own check
    assert run.checked == sum(len(e.fixes) for e in stories), run.checked
    assert "T: Add<Output = T> + Mul<Output = T> + Copy" in " ".join(lead.shows), lead.shows
    assert any(ln.startswith("use std::ops::{") for ln in lead.shows), lead.shows
    rustc = [o for o in run.explanations[i].fixes if o.source == "rustc"]
    assert rustc and rustc[0].validated == "uncovers", rustc
    # the fix applies to the user's files as shown and builds
    root = write_lib(tmp_path / "again", name, src)
    lib = root / "src" / "lib.rs"
    lib.write_bytes(apply_edits(lib.read_bytes(), [e for e in lead.edits if e.file == "src/lib.rs"]))
    report = run_check(root, tool="check")
    assert report.status in ("clean", "diagnostics") and not [
        d for d in report.diagnostics if d.level.startswith("error")
    ]


@pytest.mark.slow
def test_an_operator_bound_is_finished_through_the_move_it_reveals(tmp_path: Path, monkeypatch) -> None:
    """`a + (b - a) * t` uses `a` twice: the bounds reveal E0382, whose `Copy` bound finishes it."""
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    stories = explain_lib(tmp_path, "lerp", LERP)
    run = validate(stories, tmp_path / "lerp")
    i, done = _finished(stories, run, LERP, "(b - a)", "E0369")
    assert done, run.explanations[i].fixes
    whole = done[0]
    assert run.explanations[i].fixes[0] is whole
    assert whole.validated == "compiles" and whole.errors_new == 0
    assert "Sub<Output = T> + Mul<Output = T>" in " ".join(whole.shows), whole.shows
    assert "Copy" in " ".join(whole.shows) and "E0382" in whole.state_words, whole.state_words
    # the steps' cargo runs are counted with the options'
    assert run.checked > sum(len(e.fixes) for e in stories), run.checked


@pytest.mark.slow
def test_a_struct_lifetime_is_threaded_through_its_impl(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    stories = explain_lib(tmp_path, "cursor", CURSOR)
    run = validate(stories, tmp_path / "cursor")
    i, done = _finished(stories, run, CURSOR, "text: &str", "E0106")
    lifetimes = [o for o in done if any("Cursor<'a>" in ln for ln in o.shows)]
    assert lifetimes, run.explanations[i].fixes
    whole = lifetimes[0]
    assert whole.validated == "compiles"
    assert any(ln.startswith("impl Cursor<") for ln in whole.shows), whole.shows
    assert (
        f"E0726 implicit elided lifetime not allowed here at src/lib.rs:{line_of(CURSOR, 'impl Cursor')}"
        in (whole.state_words)
    )
    # a second run reads the finished fix from the cache, the same
    again = validate(stories, tmp_path / "cursor")
    assert again.checked == 0
    assert [o.patch for o in again.explanations[i].fixes if o.steps] == [o.patch for o in done]


@pytest.mark.slow
def test_a_chain_whose_last_build_still_fails_is_never_shown(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    stories = explain_lib(tmp_path, "held", HELD)
    run = validate(stories, tmp_path / "held")
    i, done = _finished(stories, run, HELD, "a[i] * b[i]", "E0369")
    assert done == [], done
    fixes = run.explanations[i].fixes
    assert fixes and not any(o.validated == "compiles" and not o.errors_new for o in fixes), fixes
    # Rusta's bounds type-check and say what borrowck then rejects; rustc's `T: Mul` uncovers E0369
    assert "E0506" in fixes[0].state_words, fixes[0].state_words
    assert any(o.validated == "uncovers" and "E0369" in o.fails_because for o in fixes), fixes


@pytest.mark.slow
def test_a_fix_that_reveals_errors_names_the_first(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    stories = explain_lib(tmp_path, "memo", MEMO)
    run = validate(stories, tmp_path / "memo")
    i = stories.index(story(stories, MEMO, "HashMap<u32, String>"))
    fixes = run.explanations[i].fixes
    # the import alone reveals the get-then-insert; finished with the entry API, it compiles
    assert fixes[0].steps and "self.seen.entry(k).or_insert_with(|| k.to_string())" in " ".join(
        fixes[0].shows
    )
    assert fixes[0].validated == "compiles" and not fixes[0].errors_new, fixes[0]
    lead = next(o for o in fixes if not o.steps)
    assert lead.shows == ("use std::collections::HashMap;",)
    assert lead.errors_new >= 1
    line = line_of(MEMO, "self.seen.insert")
    # the import lets rustc borrow-check the body: the E0502 was there, hidden, not brought
    assert (
        "it had hidden behind this one, on lines the fix does not write (E0502 cannot borrow `self.seen` as mutable"
        in (lead.state_words)
    )
    assert f"at src/lib.rs:{line})" in lead.state_words, lead.state_words


def test_a_chain_whose_step_writes_todo_keeps_the_label_and_ranks_below_one_without() -> None:
    from engine.explain.ranking import rank
    from engine.explain.types import PatchOption

    def chain(i: str, line: str, left: int) -> PatchOption:
        return PatchOption(
            id=i,
            name="add the variant",
            edits=(),
            patch="",
            shows=("Shape::Ring,", line),
            file="src/lib.rs",
            line=1,
            source="rustc",
            validated="compiles",
            errors_left=left,
            steps=(
                "ensure that all possible cases are being handled (E0004 non-exhaustive patterns at src/lib.rs:9)",
            ),
        )

    hole = chain("hole", "Shape::Ring => todo!(),", 0)
    arm = chain("arm", "Shape::Ring => 0.0,", 1)  # leaves another error, and still goes first
    assert [o.id for o in rank([hole, arm])] == ["arm", "hole"]
    words = hole.state_words
    assert words.startswith("compiles, but its todo!() panics until you write that branch"), words
    assert ", in 2 steps: add the variant, then ensure that all possible cases" in words, words
