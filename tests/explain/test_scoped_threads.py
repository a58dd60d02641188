"""A thread that borrows a parameter, in a function that joins its threads, gets a validated
`std::thread::scope` rewrite: the scope's spawn may borrow, nothing is copied and the signature stays
(#14, review E 7, top-5 #4). Real cargo on crates written here: the rewrite compiles and the crate's
test passes; a function that returns its `JoinHandle` gets no scope.
"""

from __future__ import annotations

import pytest

from engine.explain.validation import validate
from engine.repair.scoped_threads import scoped_spawn
from tests.explain.crates import errors_of, explain_lib, write_lib

pytestmark = pytest.mark.slow

# one thread per line of a borrowed text, summed after every join
LINES = """pub fn total_width(text: &str) -> usize {
    let mut handles = Vec::new();
    for line in text.lines() {
        handles.push(std::thread::spawn(|| line.trim().len()));
    }
    let mut sum = 0;
    for h in handles {
        sum += h.join().unwrap();
    }
    sum
}

#[cfg(test)]
mod tests {
    #[test]
    fn widths() {
        assert_eq!(super::total_width(" ab \\ncde"), 5);
    }
}
"""

# the handle is the caller's: a scope would have to end inside the function
HANDED_OUT = """use std::thread;

pub fn count(words: &[String]) -> thread::JoinHandle<usize> {
    let h = thread::spawn(move || words.len());
    h
}

pub fn wait(words: &[String]) -> usize {
    count(words).join().unwrap()
}
"""


def test_a_joined_thread_borrows_inside_a_scope(tmp_path) -> None:
    stories = validate(list(explain_lib(tmp_path, "lines", LINES)), tmp_path / "lines").explanations
    fix = next(o for e in stories for o in e.fixes if any("std::thread::scope(|s| {" in ln for ln in o.shows))
    assert fix.validated == "compiles", fix.fails_because
    assert fix.tests_run == "passed", fix
    assert "            handles.push(s.spawn(move || line.trim().len()));" in fix.shows, fix.shows
    assert "`total_width`" in fix.name and "no copy, no API change" in fix.name, fix.name


def test_a_handle_handed_out_gets_no_scope(tmp_path) -> None:
    root = write_lib(tmp_path, "handed_out", HANDED_OUT)
    errs = [d for d in errors_of(root, tmp_path) if d.code_str in ("E0521", "E0373")]
    assert errs, errors_of(root, tmp_path)
    assert all(scoped_spawn(d, lambda rel: (root / rel).read_bytes()) == [] for d in errs)


# two threads over two halves of a local, each capturing a `&str` parameter: `move` only copies that
# reference (rustc then says E0521), and the scope must take both spawns and leave the halves outside
HALVES = """use std::thread;

/// How many comma-separated fields start with `prefix`, in the first half and in the second.
pub fn prefixed(text: &str, prefix: &str) -> (usize, usize) {
    let fields: Vec<&str> = text.split(',').collect();
    let half = fields.len() / 2;
    let (front, back) = fields.split_at(half);
    let first = thread::spawn(|| front.iter().filter(|f| f.starts_with(prefix)).count());
    let second = thread::spawn(|| back.iter().filter(|f| f.starts_with(prefix)).count());
    (first.join().unwrap(), second.join().unwrap())
}

#[cfg(test)]
mod tests {
    #[test]
    fn halves() {
        assert_eq!(super::prefixed("ab,ac,b,ad,x,ae", "a"), (2, 2));
    }
}
"""


def test_every_spawn_joins_the_scope_and_move_of_a_reference_parameter_is_no_way_out(tmp_path) -> None:
    stories = validate(list(explain_lib(tmp_path, "halves", HALVES)), tmp_path / "halves").explanations
    fix = next(o for e in stories for o in e.fixes if any("thread::scope(|s| {" in ln for ln in o.shows))
    assert fix.validated == "compiles", fix.fails_because
    assert fix.tests_run == "passed", fix
    shown = "\n".join(fix.shows)
    assert shown.count("s.spawn(||") == 2 and "thread::spawn" not in shown, fix.shows
    # the halves the threads borrow stay declared before the scope, so they outlive it
    assert "let (front, back) = fields.split_at(half);" not in shown, fix.shows
    closures = [e for e in stories if e.code == "E0373" and "`prefix`" in e.message]
    assert closures, [e.code for e in stories]
    for e in closures:
        assert "a borrow of `prefix`, a parameter of `prefixed`" in e.summary, e.summary
        assert "`prefix` is a `&str` parameter: `move` copies the reference" in e.summary, e.summary
        assert "gives the closure its own copy" not in e.summary, e.summary
        assert "move the captures" not in [o.name for o in e.options], [o.name for o in e.options]
        assert "scoped threads" in [o.name for o in e.options], [o.name for o in e.options]


# threads over a local `Vec<&str>` in a loop: over its chunks (the loop borrows the Vec, which must
# outlive the scope), and by index (the `move` the loop variable needs must not move the Vec)
CHUNKS = """use std::thread;

pub fn count_long(text: &str, min: usize) -> usize {
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut handles = Vec::new();
    for chunk in words.chunks(2) {
        handles.push(thread::spawn(move || chunk.iter().filter(|w| w.len() >= min).count()));
    }
    handles.into_iter().map(|h| h.join().unwrap()).sum()
}

#[cfg(test)]
mod tests {
    #[test]
    fn long() {
        assert_eq!(super::count_long("aaa b cccc dd eeeee", 3), 3);
    }
}
"""

INDEXED = """use std::thread;

pub fn long_words(text: &str) -> usize {
    let words: Vec<&str> = text.split(' ').collect();
    let mut handles = Vec::new();
    for i in 0..words.len() {
        handles.push(thread::spawn(|| words[i].len() > 3));
    }
    handles.into_iter().map(|h| h.join().unwrap() as usize).sum()
}

#[cfg(test)]
mod tests {
    #[test]
    fn long() {
        assert_eq!(super::long_words("abcd ab abcde"), 2);
    }
}
"""


@pytest.mark.parametrize(
    ("name", "src", "outside", "shadow"),
    [
        ("chunks", CHUNKS, "    let words: Vec<&str> = text.split_whitespace().collect();", None),
        (
            "indexed",
            INDEXED,
            "    let words: Vec<&str> = text.split(' ').collect();",
            "        let words = &words;",
        ),
    ],
)
def test_threads_over_a_local_vec_of_str_in_a_loop(tmp_path, name, src, outside, shadow) -> None:
    stories = validate(list(explain_lib(tmp_path, name, src)), tmp_path / name).explanations
    fixes = [o for e in stories for o in e.fixes if any("thread::scope(|s| {" in ln for ln in o.shows)]
    good = [o for o in fixes if o.validated == "compiles" and o.tests_run == "passed"]
    assert good, [(o.validated, o.fails_because) for o in fixes]
    shown = good[0].shows
    # the Vec the loop reads is declared before the scope, so it outlives every thread
    assert outside not in shown, shown
    if shadow is not None:
        assert shadow in shown, shown


# spawns in an iterator adapter's closure: the closure runs in place (inside the scope), its `i`
# dies with each call as a loop variable does, and the Vec it indexes is borrowed through a reference
MAPPED = """use std::thread;

pub fn line_lengths(text: &str) -> Vec<usize> {
    let lines: Vec<&str> = text.lines().collect();
    let handles: Vec<_> = (0..lines.len()).map(|i| thread::spawn(|| lines[i].len())).collect();
    handles.into_iter().map(|h| h.join().unwrap()).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn lengths() {
        assert_eq!(super::line_lengths("ab\\ncde"), vec![2, 3]);
    }
}
"""


def test_spawns_in_a_map_closure_join_the_scope(tmp_path) -> None:
    stories = validate(list(explain_lib(tmp_path, "mapped", MAPPED)), tmp_path / "mapped").explanations
    fixes = [o for e in stories for o in e.fixes if any("thread::scope(|s| {" in ln for ln in o.shows)]
    good = [o for o in fixes if o.validated == "compiles" and o.tests_run == "passed"]
    assert good, [(o.validated, o.fails_because) for o in fixes]
    shown = "\n".join(good[0].shows)
    assert "s.spawn(move || lines[i].len())" in shown and "let lines = &lines;" in shown, shown
