"""E0382 "in previous iteration of loop", told apart by rustc's spans (#14): only a use in the moving
statement itself is "the same code, run twice"; a use in another statement of the loop, or after the
loop, gets its own words (and never that claim). Real cargo on a crate written here."""

from __future__ import annotations

from tests.explain.crates import explain_lib, story, story_text

SRC = """fn keep(_v: Vec<u8>) {}

pub fn same(data: Vec<u8>) {
    for _ in 0..3 {
        keep(data);
    }
}

pub fn later(mut pending: Vec<u8>, ticks: u32) {
    for t in 0..ticks {
        pending.push(1);
        if t == 3 {
            keep(pending);
        }
    }
}

pub fn after(acc: Vec<u8>, n: u32) -> usize {
    for t in 0..n {
        if t == 5 {
            keep(acc);
        }
    }
    acc.len()
}
"""

TWICE = "the same code, run twice"


def test_which_code_meets_the_moved_value_decides_the_words(tmp_path):
    stories = explain_lib(tmp_path, "loops", SRC)
    same = story_text(story(stories, SRC, "keep(data);", "E0382"))
    assert TWICE in same, same

    later = story(stories, SRC, "pending.push(1);", "E0382")
    text = story_text(later)
    assert TWICE not in text and "another statement of the loop" in text, text

    after = story(stories, SRC, "acc.len()", "E0382")
    text = story_text(after)
    assert TWICE not in text and "after the loop" in text, text
