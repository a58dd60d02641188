"""A way out whose one-token patch clears the error but leaves the next step (`match &self.field`
then needs `.clone()` in the arm) is finished in steps before anything is said against it: neither
rustc's suggestion nor the way out is said not to compile when the finished fix does (real cargo on
a crate written here)."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.explain.types import Choice, Explanation, Location, PatchOption
from engine.explain.validation import validate
from modes.verdicts import disproved_lines, pair_verdict_lines, study_verdict_lines
from tests.explain.crates import explain_lib, story

# E0507: the match moves the `Vec` out of `&self`; rustc suggests `&self.pending`, which leaves
# E0308 in the arm until the arm clones
MATCH_ON_FIELD = """pub struct Buffer {
    pending: Option<Vec<u8>>,
}

impl Buffer {
    pub fn peek_pending(&self) -> Vec<u8> {
        match self.pending {
            Some(bytes) => bytes,
            None => Vec::new(),
        }
    }
}
"""


@pytest.mark.slow
def test_a_completed_way_out_is_never_said_not_to_hold(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    stories = explain_lib(tmp_path, "match_on_field", MATCH_ON_FIELD)
    run = validate(stories, tmp_path / "match_on_field")
    i = stories.index(story(stories, MATCH_ON_FIELD, "match self.pending", "E0507"))
    e, failed = run.explanations[i], run.failed[i]
    finished = [f for f in e.fixes if f.steps and f.source == "rustc" and f.validated == "compiles"]
    assert finished, [(f.name, f.validated, f.steps) for f in e.fixes]
    said = " ".join(ln.text for ln in (*study_verdict_lines(e, failed), *pair_verdict_lines(e, failed)))
    assert "does not hold" not in said, said
    assert "does not compile here" not in said, said
    assert "with the next step it compiles" in said, said


def _story_with_way_out(fails_because: str) -> tuple[Explanation, tuple[PatchOption, ...]]:
    here = Location(file="src/lib.rs", line=3, column=5)
    bad = PatchOption(
        id="b",
        name="borrow the value instead of moving it",
        edits=(),
        patch="--- a/src/lib.rs\n+++ b/src/lib.rs\n@@ -3 +3 @@\n-    keep(cfg);\n+    keep(&cfg);\n",
        shows=("    keep(&cfg);",),
        file="src/lib.rs",
        line=3,
        source="template",
        kind="borrow",
        validated="fails",
        fails_because=fails_because,
    )
    e = Explanation(
        code="E0382",
        level="error",
        message="use of moved value",
        primary=here,
        root_cause=here,
        root_cause_reason="",
        invariant="",
        summary="",
        why="",
        options=(Choice(name="borrow instead of moving", how="", tradeoff=""),),
    )
    return e, (bad,)


def test_a_patch_that_does_not_parse_disproves_no_way_out() -> None:
    e, failed = _story_with_way_out("expected expression, found `)` at src/lib.rs:3")
    assert disproved_lines(e, failed) == []
    e, failed = _story_with_way_out("the error stays: E0382 use of moved value: `cfg` at src/lib.rs:4")
    (line,) = disproved_lines(e, failed)
    assert "does not hold here" in line.text


# E0373: a spawned closure borrows the loop index; rustc's `move` then needs a clone of `parts`
# (E0507), and the clone, a `Vec<&String>` of the caller's data, still cannot be `'static` (E0521)
SPAWN_OVER_BORROWS = """use std::thread;

pub fn lengths(words: &[String]) -> Vec<usize> {
    let parts: Vec<&String> = words.iter().collect();
    let hs: Vec<_> = (0..parts.len()).map(|k| thread::spawn(|| parts[k].len())).collect();
    hs.into_iter().map(|h| h.join().unwrap()).collect()
}
"""


@pytest.mark.slow
def test_a_finished_way_out_that_leaves_an_error_is_never_said_to_compile(
    tmp_path: Path, monkeypatch
) -> None:
    """ "with the next step it compiles" rests on the finished fix compiling with no error left."""
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    stories = explain_lib(tmp_path, "spawn_over_borrows", SPAWN_OVER_BORROWS)
    run = validate(stories, tmp_path / "spawn_over_borrows")
    i = stories.index(story(stories, SPAWN_OVER_BORROWS, "thread::spawn(||", "E0373"))
    e, failed = run.explanations[i], run.failed[i]
    finished = [f for f in e.fixes if f.steps and f.source == "rustc" and f.validated != "fails"]
    assert all(f.errors_left or f.errors_new for f in finished), [
        (f.name, f.validated, f.errors_left, f.steps) for f in e.fixes
    ]
    said = " ".join(ln.text for ln in pair_verdict_lines(e, failed))
    assert "with the next step it compiles" not in said, said
    # rustc's `move ||` is no way out here, and the fix that is says so by compiling: the threads run
    # in a `thread::scope` that borrows `parts` (61886c4, 94a5180: spawns in an adapter's closure)
    assert ("`move ||`" in said and "does not compile here" in said) or "alone is not enough" in said, said
    lead = e.fixes[0]
    assert "thread::scope" in lead.name and lead.ticked, [(f.name, f.validated) for f in e.fixes]
