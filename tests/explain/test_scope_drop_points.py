"""Where a local dies and what a move in a loop conflicts with, stated from the syntax tree (#14).

Real cargo on fixture crates written here: E0515 on a local declared in a loop body must say it is
dropped at the end of each iteration (not "when the function returns"), a function-body local must
still say the function; E0382 whose move runs again on the next iteration must blame that iteration
and offer a clone per iteration, never "restructure the order".
"""

from __future__ import annotations

from pathlib import Path

from tests.explain.crates import explain_lib, option_names, story, story_text

LOOP_LOCAL = """\
pub fn first_fields(rows: &[String]) -> Vec<&str> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < rows.len() {
        let upper = rows[i].trim().to_uppercase();
        out.extend(upper.split(',').take(1));
        i += 1;
    }
    out
}

pub fn words(text: &str) -> Vec<&str> {
    let folded = text.to_lowercase();
    let found: Vec<&str> = folded.split_whitespace().collect();
    found
}
"""


def test_e0515_says_where_the_local_dies(tmp_path: Path) -> None:
    stories = explain_lib(tmp_path, "loop_local", LOOP_LOCAL)
    looped = next(e for e in stories if e.code == "E0515" and "`upper`" in e.message)
    assert "`upper`, a local that is dropped at the end of each iteration of the `while` loop at line 4" in (
        looped.summary
    )
    assert "when the function returns" not in looped.summary + looped.why
    body = next(e for e in stories if e.code == "E0515" and "`folded`" in e.message)
    assert "`folded`, a local that is dropped when the function returns" in body.summary
    # a value made anew each iteration cannot be built once by the caller; a function's local can
    assert "let the caller own it" not in option_names(looped)
    assert "let the caller own it" in option_names(body)


MOVED_EACH_TIME = """\
pub struct Job {
    pub label: String,
    pub part: Vec<u32>,
}

pub fn plan(label: String, parts: Vec<Vec<u32>>) -> (Vec<Job>, usize) {
    let mut jobs = Vec::new();
    for part in parts {
        jobs.push(Job { label, part });
    }
    let n = label.len();
    (jobs, n)
}
"""

MOVED_THEN_BREAK = """\
pub fn take_until(names: Vec<String>, stop: String) -> (Vec<String>, String) {
    let mut out = Vec::new();
    for n in names {
        if n == stop {
            out.push(stop);
            break;
        }
        out.push(n);
    }
    (out, stop)
}
"""


def test_e0382_move_in_loop_blames_the_next_iteration(tmp_path: Path) -> None:
    e = story(explain_lib(tmp_path, "moved_each", MOVED_EACH_TIME), MOVED_EACH_TIME, "label.len()", "E0382")
    text = story_text(e)
    assert "the next one reaches for a value that is gone" in e.why
    assert "the code after the loop cannot know" not in text
    names = option_names(e)
    assert "restructure the order" not in names
    assert names[0] == "clone per iteration"


def test_e0382_move_then_break_is_not_called_every_iteration(tmp_path: Path) -> None:
    stories = explain_lib(tmp_path, "moved_break", MOVED_THEN_BREAK)
    e = story(stories, MOVED_THEN_BREAK, "(out, stop)", "E0382")
    assert "on every iteration" not in story_text(e)
    assert "clone per iteration" not in option_names(e)
