"""E0716 in a `for` body whose borrow a holder declared before the loop keeps: the owned values are
made before the holder, from the loop's own iterator, and the loop borrows each in place of the
temporary; names the closure or the loop no longer read become `_`. Real cargo (check and the
crate's own test) on two crates written here: a `Vec` holder and a struct whose method keeps its
`&'a str` argument."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from engine.edits import apply_edits
from engine.repair.owned_first import holder_owns, owned_before_loop
from engine.repair.targets import errors_of
from tests.explain.crates import write_lib
from toolbelt.cargo_run import run_check

JOINED = """pub fn joined(lines: &[&str]) -> String {
    let mut out: Vec<&str> = Vec::new();
    for line in lines {
        let t = line.replace('#', "").trim();
        out.push(t);
    }
    out.join(",")
}

#[test]
fn strips() {
    assert_eq!(joined(&["#a ", " b#"]), "a,b");
}
"""

TALLY = """pub struct Tally<'a> {
    seen: Vec<(usize, &'a str)>,
}

impl<'a> Tally<'a> {
    pub fn add(&mut self, at: usize, tag: &'a str) {
        self.seen.push((at, tag));
    }
}

pub fn tally(words: &[&str]) -> String {
    let mut t = Tally { seen: Vec::new() };
    for (i, w) in words.iter().enumerate() {
        let tag = w.to_lowercase().trim_matches('#');
        t.add(i, tag);
    }
    t.seen.iter().map(|(i, s)| format!("{i}{s}")).collect()
}

#[test]
fn lowers() {
    assert_eq!(tally(&["#A", "b#"]), "0a1b");
}
"""


@pytest.mark.parametrize(
    ("name", "src", "closure"), [("joined", JOINED, "|line|"), ("tally", TALLY, "|(_, w)|")]
)
def test_the_owned_values_made_before_the_loop_compile_and_keep_behaviour(
    tmp_path: Path, name: str, src: str, closure: str
) -> None:
    root = write_lib(tmp_path, name, src)
    target = tmp_path / "target"
    d = next(e for e in errors_of(run_check(root, target_dir=target)) if e.code_str == "E0716")
    cands = owned_before_loop(d, lambda _: src.encode())
    assert len(cands) == 1
    new = apply_edits(src.encode(), list(cands[0].edits)).decode()
    assert closure in new, new  # the closure binds only what the temporary reads
    (root / "src" / "lib.rs").write_text(new)
    assert not errors_of(run_check(root, target_dir=target)), new
    run = subprocess.run(
        ["cargo", "test", "--quiet", "--target-dir", str(target)],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout + run.stderr


def test_a_borrow_used_only_inside_the_loop_body_gets_no_such_patch(tmp_path: Path) -> None:
    src = "pub fn n(ws: &[&str]) -> usize {\n    let t = ws[0].to_lowercase().trim().len();\n    t\n}\n"
    root = write_lib(tmp_path, "no_loop", src.replace(".trim().len();\n    t", ".trim();\n    t.len()"))
    text = (root / "src" / "lib.rs").read_text()
    d = next(e for e in errors_of(run_check(root, target_dir=tmp_path / "t")) if e.code_str == "E0716")
    assert owned_before_loop(d, lambda _: text.encode()) == []


def test_a_temporary_reading_a_local_of_the_loop_body_gets_no_such_patch(tmp_path: Path) -> None:
    src = JOINED.replace(
        "let t = line.replace('#', \"\").trim();",
        "let mark = '#';\n        let t = line.replace(mark, \"\").trim();",
    )
    root = write_lib(tmp_path, "body_local", src)
    d = next(e for e in errors_of(run_check(root, target_dir=tmp_path / "t")) if e.code_str == "E0716")
    assert owned_before_loop(d, lambda _: src.encode()) == []  # `mark` is not there before the loop


SEEN = """use std::collections::HashSet;

pub fn distinct(words: &[&str]) -> usize {
    let mut seen = HashSet::new();
    for w in words {
        let k = w.to_lowercase();
        let k = k.trim_matches('.').to_uppercase().as_str();
        seen.insert(k);
    }
    seen.len()
}

#[test]
fn folds() {
    assert_eq!(distinct(&["a.", "A", "b"]), 2);
}
"""


@pytest.mark.parametrize(
    ("name", "src", "stored", "cost"),
    [
        (
            "joined_owned",
            JOINED,
            "let t = line.replace('#', \"\").trim().to_owned();",
            "`Vec<String>` in place of `Vec<&str>`; costs a `String` per value",
        ),
        (
            "seen",
            SEEN,
            "let k = k.trim_matches('.').to_uppercase().as_str().to_owned();",
            "costs a copy of each value (its type is not written here)",
        ),
    ],
)
def test_the_holder_owns_its_values_and_its_written_type_follows(
    tmp_path: Path, name: str, src: str, stored: str, cost: str
) -> None:
    root = write_lib(tmp_path, name, src)
    target = tmp_path / "target"
    d = next(e for e in errors_of(run_check(root, target_dir=target)) if e.code_str == "E0716")
    cands = holder_owns(d, lambda _: src.encode())
    assert len(cands) == 1 and cands[0].description.endswith(cost), [c.description for c in cands]
    new = apply_edits(src.encode(), list(cands[0].edits)).decode()
    assert stored in new, new
    (root / "src" / "lib.rs").write_text(new)
    assert not errors_of(run_check(root, target_dir=target)), new
    run = subprocess.run(
        ["cargo", "test", "--quiet", "--target-dir", str(target)],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout + run.stderr
