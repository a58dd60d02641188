"""When the stories' lead fixes together break a test, the one whose written line the test panicked
on is named (real cargo on a crate written here, not the reviewer's).

The general mistake: "Rusta cannot tell whether #1's fix or #2's breaks it" while libtest's report
says where the test panicked, and that line is one only #1's fix writes (an inserted `.expect(..)`).
Swapping fixes proves nothing when a story has no other fix that passes; the panic's file:line, in
the tree with every lead in, does."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.edits import Edit
from engine.explain.set_tests import written_lines
from engine.explain.types import PatchOption
from engine.explain.validation import validate
from tests.explain.crates import explain_lib, line_of

# a crate of two E0308 whose fixes each leave the other's error: only the set runs the tests.
# rustc's `.expect("REASON")` for the volume makes `loud_is_capped` panic; the name's fix is harmless.
# `channel` returns a Channel, not an Option, so that no `.ok()?` (56b887a) passes in its place
MIXER = """pub struct Channel {
    pub name: String,
    pub volume: u8,
}

pub fn channel(line: &str) -> Channel {
    let (name, vol) = line.split_once('=').unwrap_or((line, "0"));
    let volume: u8 = vol.trim().parse();
    Channel { name: name.trim(), volume }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loud_is_capped() {
        assert_eq!(channel("bass=300").volume, u8::MAX);
    }

    #[test]
    fn reads_a_channel() {
        let c = channel("kick = 7");
        assert_eq!((c.name.as_str(), c.volume), ("kick", 7));
    }
}
"""


def _fix(edits: tuple[Edit, ...]) -> PatchOption:
    return PatchOption(id="x", name="", edits=edits, patch="", shows=(), file="a.rs", line=1, source="rustc")


def test_written_lines_count_through_the_edits_before_them() -> None:
    text = b"one\ntwo\nthree\nfour\n"
    first = _fix((Edit(file="a.rs", start=4, end=7, replacement="2\nand a half"),))  # "two" -> 2 lines
    second = _fix((Edit(file="a.rs", start=14, end=18, replacement="4"),))  # "four", now on line 5
    lines = written_lines(lambda _: text, [first, second])
    assert lines == [{("a.rs", 2), ("a.rs", 3)}, {("a.rs", 5)}]


@pytest.mark.slow
def test_the_fix_whose_line_a_test_panicked_on_is_named(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    stories = explain_lib(tmp_path, "mixer", MIXER)
    assert len(stories) == 2, [e.message for e in stories]
    run = validate(stories, tmp_path / "mixer")
    here = f"src/lib.rs:{line_of(MIXER, '.parse();')}"
    assert "loud_is_capped" in run.set_verdict and here in run.set_verdict, run.set_verdict
    assert "cannot tell" not in run.set_verdict, run.set_verdict
    parse = next(i for i, e in enumerate(run.explanations) if e.primary.line == line_of(MIXER, ".parse();"))
    culprit = next(o for o in run.explanations[parse].fixes if o.tests_failed)
    assert f"#{parse + 1}'s `{culprit.shows[0].strip()}`" in run.set_verdict, run.set_verdict
    assert ".expect(" in culprit.shows[0], culprit.shows
    other = run.explanations[1 - parse].fixes[0]
    assert not other.tests_failed, other  # the innocent lead keeps its place and is not blamed
