"""A fix that adds clippy lints says so and ranks below one that adds none (#14, engine.explain.linting),
and a fix that writes a `&Vec<T>`/`&String` parameter is offered in its slice form when that builds
(engine.explain.slice_params). Real cargo + clippy on crates written here: a price list whose
`&Vec<u32>` parameter clippy flags (the slice fix turns the test's `&vec![..]` into useless_vec), and
a task list written through `iter()` (E0594: the fix makes the parameter `&mut`, as a slice)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import msgspec
import pytest

from engine.edits import Edit, written_lines
from engine.explain.linting import Lint, LintRun, added, written_bytes
from engine.explain.ranking import rank
from engine.explain.slice_params import sliced
from engine.explain.types import PatchOption
from tests.cli_runner import rusta
from tests.explain.crates import write_lib

PRICES = """\
pub fn total_cents(prices: &Vec<u32>) -> u32 {
    prices.iter().sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adds_up() {
        assert_eq!(total_cents(&vec![150, 250, 100]), 500);
    }
}
"""

TASKS = """\
pub struct Task {
    pub title: String,
    pub done: bool,
}

pub fn finish_matching(tasks: &Vec<Task>, word: &str) -> usize {
    let mut n = 0;
    for t in tasks.iter() {
        if t.title.contains(word) {
            t.done = true;
            n += 1;
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finishes() {
        let mut v = vec![
            Task { title: "buy milk".into(), done: false },
            Task { title: "call".into(), done: false },
        ];
        assert_eq!(finish_matching(&mut v, "milk"), 1);
        assert!(v[0].done && !v[1].done);
    }
}
"""


SHELF = """\
pub struct Book {
    pub title: String,
    pub lent: bool,
}

pub fn lend_all(books: &Vec<Book>) -> usize {
    let mut n = 0;
    for b in books.iter() {
        if !b.lent {
            b.lent = true;
            n += 1;
        }
    }
    n
}

pub fn shelf_size(count: u32) -> u64 {
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lends() {
        let mut v = vec![Book { title: "Dune".into(), lent: false }, Book { title: "Emma".into(), lent: true }];
        assert_eq!(lend_all(&mut v), 1);
        assert!(v.iter().all(|b| b.lent));
        assert_eq!(shelf_size(3), 3);
    }
}
"""


def _stories(root: Path) -> list[dict]:
    r = rusta("explain", str(root), "--json")
    return [json.loads(ln) for ln in r.stdout.splitlines() if ln.startswith("{") and '"options"' in ln]


@pytest.mark.slow
def test_a_fix_that_adds_a_lint_names_it(tmp_path: Path) -> None:
    root = write_lib(tmp_path, "prices", PRICES)
    story = next(s for s in _stories(root) if s["code"] == "clippy::ptr_arg")
    lead = next(o for o in story["options"] if o.get("patch"))
    assert "&[u32]" in " ".join(lead["shows"]), lead
    assert lead["new_lints"] == ["clippy::useless_vec"], lead  # the test's &vec![..] is now needless
    pair = rusta("explain", str(root), "--mode", "pair").stdout
    line = next(ln for ln in pair.splitlines() if "&[u32]" in ln and "Fix" in ln)
    assert "adds clippy::useless_vec" in line, pair


@pytest.mark.slow
def test_a_vec_parameter_the_fix_writes_is_a_slice(tmp_path: Path) -> None:
    root = write_lib(tmp_path, "tasks", TASKS)
    story = next(s for s in _stories(root) if s["code"] == "E0594")
    built = [o for o in story["options"] if o.get("patch") and o["validated"] == "compiles"]
    lead = built[0]
    assert any("tasks: &mut [Task]" in ln for ln in lead["shows"]), lead
    assert lead["new_lints"] == [] and lead["ticked"] and lead["tests_run"] == "passed", lead
    kept = [o for o in built if any("&mut Vec<Task>" in ln for ln in o["shows"])]
    assert kept and kept[0]["new_lints"] == ["clippy::ptr_arg"], built  # linted, ranked below
    r = rusta("explain", str(root), "--apply", "1")
    assert r.returncode == 0, r.stdout + r.stderr
    out = subprocess.run(
        ["cargo", "clippy", "--all-targets", "-q"], cwd=root, capture_output=True, text=True, timeout=600
    )
    assert out.returncode == 0 and "warning" not in out.stderr, out.stderr
    assert subprocess.run(["cargo", "test", "-q"], cwd=root, capture_output=True, timeout=600).returncode == 0


@pytest.mark.slow
def test_a_fix_tested_beside_another_storys_fix_is_linted_on_its_own_lines(tmp_path: Path) -> None:
    """Two errors: the crate builds only with both fixed, so lints before the fix never ran; the
    `&mut Vec<Book>` a fix writes is its own, the slice form leads, and the set's tests pass."""
    root = write_lib(tmp_path, "shelf", SHELF)
    story = next(s for s in _stories(root) if s["code"] == "E0594")
    built = [o for o in story["options"] if o.get("patch") and o["validated"] == "fixes-this"]
    assert any("books: &mut [Book]" in ln for ln in built[0]["shows"]), built
    assert built[0]["new_lints"] == [] and built[0]["tests_run"] == "passed", built[0]
    kept = [o for o in built if any("&mut Vec<Book>" in ln for ln in o["shows"])]
    assert kept and kept[0]["new_lints"] == ["clippy::ptr_arg"], built


def test_slice_forms_keep_lifetimes_mut_and_nested_types() -> None:
    assert sliced("items: &mut Vec<Item>, n: u32") == "items: &mut [Item], n: u32"
    assert sliced("args: &'a Vec<String>, name: &'a str") == "args: &'a [String], name: &'a str"
    assert sliced("rows: &Vec<Vec<f64>>") == "rows: &[Vec<f64>]"
    assert (
        sliced("s: &String, m: &mut HashMap<String, Vec<u8>>") == "s: &str, m: &mut HashMap<String, Vec<u8>>"
    )
    assert sliced("v: Vec<u8>, s: String") == "v: Vec<u8>, s: String"  # owned: not a borrow to slice


def _opt(i: str, lints: tuple[str, ...] = ()) -> PatchOption:
    return PatchOption(
        id=i, name=f"fix {i}", edits=(), patch="", shows=(f"x{i}",), file="src/lib.rs", line=1,
        source="template", validated="compiles", new_lints=lints,
    )  # fmt: skip


def test_a_fix_adding_lints_ranks_below_an_equal_one() -> None:
    assert [o.id for o in rank([_opt("a", ("clippy::needless_borrow",)), _opt("b")])] == ["b", "a"]
    assert _opt("a", ("clippy::op_ref",)).lint_words == "adds clippy::op_ref"
    # a borrow is moved before clones unless it adds a lint
    borrow = msgspec.structs.replace(_opt("c", ("clippy::needless_borrow",)), kind="borrow")
    clone = msgspec.structs.replace(_opt("d"), kind="clone")
    assert [o.id for o in rank([clone, borrow])] == ["d", "c"]


def test_lints_of_a_crate_that_did_not_build_count_only_on_written_lines() -> None:
    src = {"src/lib.rs": b"fn a() {}\nfn b(v: &Vec<u8>) {}\nfn c() {}\n"}
    ed = Edit(file="src/lib.rs", start=10, end=31, replacement="fn b(v: &mut Vec<u8>) {}\nfn b2() {}")
    wrote = written_lines(src, (ed,))
    assert wrote == {"src/lib.rs": {2, 3}}
    whole = Edit(file="src/lib.rs", start=10, end=31, replacement="fn b(v: &[u8]) {}\n")
    assert written_lines(src, (whole,)) == {"src/lib.rs": {2}}  # its newline writes no line 3
    lint = Lint(name="clippy::ptr_arg", key="clippy::ptr_arg|m|src/lib.rs", file="src/lib.rs", line=2)
    other = Lint(name="clippy::len_zero", key="clippy::len_zero|m|src/lib.rs", file="src/lib.rs", line=4)
    after = LintRun(built=True, lints=(lint, other))
    assert added(LintRun(built=False), after, wrote) == ("clippy::ptr_arg",)
    assert added(LintRun(built=True, lints=(lint,)), after, wrote) == ("clippy::len_zero",)
    # the fix rewrote the line but kept the flagged type as it was: not a lint it adds
    kept = msgspec.structs.replace(lint, snippet="&Vec<u8>")
    was = {"src/lib.rs": "fn b(v: &Vec<u8>) {}\n"}
    assert added(LintRun(built=False), LintRun(built=True, lints=(kept,)), wrote, was) == ()
    # a narrow edit on the line (another parameter's type): the flagged bytes are not the fix's
    line = {"src/lib.rs": b"fn e(v: &Vec<u8>, f: fn()) {}\n"}
    narrow = Edit(file="src/lib.rs", start=21, end=25, replacement="impl Fn()")
    flagged = Lint(
        name="clippy::ptr_arg", key="k", file="src/lib.rs", line=1, snippet="&Vec<u8>", start=8, end=16
    )
    spans = written_bytes(line, (narrow,), (narrow,))
    assert spans == {"src/lib.rs": [(21, 30)]}
    run = LintRun(built=True, lints=(flagged,))
    assert added(LintRun(built=False), run, written_lines(line, (narrow,)), None, spans) == ()


BADGES = """\
pub fn count_long_caps(words: &[String], min: u32) -> usize {
    let mut n = 0;
    for w in words {
        if w.len() > min {
            if w.starts_with(char::is_uppercase) {
                n += 1;
            }
        }
    }
    n
}

#[cfg(test)]
mod tests {
    #[test]
    fn counts() {
        let w = vec!["Alpha".to_string(), "be".to_string(), "Gamma".to_string(), "Xy".to_string()];
        assert_eq!(super::count_long_caps(&w, 2), 2);
    }
}
"""


@pytest.mark.slow
def test_a_lint_over_code_the_fix_only_touches_is_not_the_fixs(tmp_path: Path) -> None:
    """The nested `if` clippy calls collapsible was there before; the E0308 fix rewrites only the outer
    condition's line, so the lint spans lines the fix did not write and is not said to be added."""
    root = write_lib(tmp_path, "badges", BADGES)
    story = next(s for s in _stories(root) if s["code"] == "E0308")
    built = [o for o in story["options"] if o.get("patch") and o["validated"] == "compiles"]
    assert built, story["options"]
    assert all(o["new_lints"] == [] for o in built), built
    pair = rusta("explain", str(root), "--mode", "pair").stdout
    assert "collapsible_if" not in pair, pair


TAGS = """\
use std::collections::HashMap;

/// The first column at which each tag appears, tags compared without case or outer spaces.
pub fn first_seen(line: &str) -> Vec<(String, usize)> {
    let mut first: HashMap<&str, usize> = HashMap::new();
    for (col, tag) in line.split(',').enumerate() {
        let key = tag.to_ascii_lowercase().trim();
        first.entry(key).or_insert(col);
    }
    let mut out: Vec<(String, usize)> = first.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn first_column_wins() {
        let got = super::first_seen("a, B ,b,c");
        assert_eq!(got, vec![("a".to_string(), 0), ("b".to_string(), 1), ("c".to_string(), 3)]);
    }
}
"""


@pytest.mark.slow
def test_a_lint_on_a_copy_the_fix_writes_of_replaced_code_is_the_fixs(tmp_path: Path) -> None:
    """E0716 in an enumerated loop: the fix that hoists the owned values keeps `.enumerate()` in its
    new `let` and drops the index there. The old loop line held `.enumerate()` too, so the flagged
    snippet is in what the fix replaced; the fix writes it twice where it replaced one, so the lint
    is the fix's, said, and the fix goes below one that adds none. Clippy on the applied lead agrees."""
    root = write_lib(tmp_path, "tags", TAGS)
    story = next(s for s in _stories(root) if s["code"] == "E0716")
    built = [o for o in story["options"] if o.get("patch") and o["validated"] == "compiles"]
    hoisted = [o for o in built if any(".enumerate().map(" in ln for ln in o["shows"])]
    assert hoisted, built
    assert "clippy::unused_enumerate_index" in hoisted[0]["new_lints"], hoisted[0]
    assert built[0]["new_lints"] == [], built  # the lead adds none
    r = rusta("explain", str(root), "--apply", "1")
    assert r.returncode == 0, r.stdout + r.stderr
    out = subprocess.run(
        ["cargo", "clippy", "--all-targets", "-q"], cwd=root, capture_output=True, text=True, timeout=600
    )
    assert out.returncode == 0 and "warning" not in out.stderr, out.stderr


def test_a_snippet_written_more_often_than_replaced_counts_as_new() -> None:
    lint = Lint(
        name="clippy::unused_enumerate_index", key="k", file="src/lib.rs", line=1, snippet=".enumerate()"
    )
    after = LintRun(built=True, lints=(lint,))
    wrote = {"src/lib.rs": {1, 2}}
    was = {"src/lib.rs": "for (i, w) in s.split(' ').enumerate() {"}
    once = {"src/lib.rs": "for (i, w) in s.split(' ').enumerate() {"}
    twice = {
        "src/lib.rs": "let o: Vec<_> = s.split(' ').enumerate().map(|(_, w)| w).collect();\n"
        + once["src/lib.rs"]
    }
    assert added(LintRun(built=False), after, wrote, was, None, once) == ()  # written back: not the fix's
    assert added(LintRun(built=False), after, wrote, was, None, twice) == ("clippy::unused_enumerate_index",)
