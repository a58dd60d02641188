"""Two `&mut` into elements of one Vec or slice (E0499): the fix shown is `get_disjoint_mut` (with
its cost: it panics on equal indexes too) or, where the borrows only feed a swap, `swap(i, j)`;
each is shown only once it compiles in the scratch copy, and the fixed crates' own tests pass under
real cargo (a timeout turns a hang into a failure)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from engine.edits import apply_edits
from engine.explain.api import explain_report
from engine.explain.types import PatchOption
from engine.explain.validation import validate
from tests.explain.crates import line_of, write_lib
from toolbelt.cargo_run import run_check

# two `let`s into a `&mut Vec`, both written through
LETS = """pub fn bump(v: &mut Vec<i32>, i: usize, j: usize) {
    let a = &mut v[i];
    let b = &mut v[j];
    *a += 1;
    *b += 10;
}

fn add_into(to: &mut i32, from: &mut i32) {
    *to += *from;
    *from = 0;
}

pub fn merge(cells: &mut [i32], at: usize) {
    add_into(&mut cells[at], &mut cells[at + 1]);
}

#[test]
fn bumps_two_elements() {
    let mut v = vec![1, 2, 3];
    bump(&mut v, 0, 2);
    assert_eq!(v, [2, 2, 13]);
    merge(&mut v, 1);
    assert_eq!(v, [2, 15, 0]);
}

#[test]
#[should_panic]
fn equal_indexes_panic_now() {
    bump(&mut vec![1, 2, 3], 1, 1);
}
"""

# a swap of two elements of a struct's slice, as a call and as two `let`s feeding `mem::swap`
SWAPS = """pub struct Deck {
    pub cards: Vec<String>,
}

impl Deck {
    pub fn cut(&mut self, i: usize, j: usize) {
        std::mem::swap(&mut self.cards[i], &mut self.cards[j]);
    }
}

pub fn rotate(xs: &mut [u8], k: usize) {
    let first = &mut xs[0];
    let other = &mut xs[k + 1];
    std::mem::swap(first, other);
}

#[test]
fn swaps() {
    let mut d = Deck { cards: vec!["a".to_string(), "b".to_string()] };
    d.cut(0, 1);
    d.cut(1, 1);
    assert_eq!(d.cards, ["b", "a"]);
    let mut xs = [1, 2, 3];
    rotate(&mut xs, 1);
    assert_eq!(xs, [3, 2, 1]);
}
"""


def _fixes(tmp: Path, name: str, src: str) -> tuple[Path, list[tuple[int, PatchOption]]]:
    root = write_lib(tmp, name, src)
    stories = [e for e in explain_report(run_check(root, target_dir=tmp / "target")) if e.code == "E0499"]
    checked = validate(stories, root).explanations
    return root, [(e.primary.line, e.fixes[0]) for e in checked]


def _test(root: Path, tmp: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["cargo", "test", "-q", "--offline", "--target-dir", str(tmp / "target")],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_two_lets_into_one_vec_take_both_from_get_disjoint_mut(tmp_path: Path) -> None:
    root, fixes = _fixes(tmp_path, "bump", LETS)
    assert len(fixes) == 2
    for _, fix in fixes:
        assert fix.validated == "compiles" and fix.source == "template"
        assert "panics when two indexes are equal" in fix.cost  # the change in behaviour is said
    shown = {line: f.shows for line, f in fixes}
    assert shown[3] == ("    let [a, b] = v.get_disjoint_mut([i, j]).unwrap();",)
    # arguments of one call: both taken just before it, under names the crate does not use
    assert shown[14] == (
        "    let [x, y] = cells.get_disjoint_mut([at, at + 1]).unwrap();",
        "    add_into(x, y);",
    )
    edits = [e for _, f in fixes for e in f.edits]
    (root / "src" / "lib.rs").write_bytes(apply_edits(LETS.encode(), edits))
    done = _test(root, tmp_path)
    # `bumps_two_elements` passes; `equal_indexes_panic_now` passes because the fix now panics
    assert done.returncode == 0 and "test result: ok. 2 passed" in done.stdout, done.stdout + done.stderr


def test_borrows_that_only_swap_become_a_swap_by_index(tmp_path: Path) -> None:
    root, fixes = _fixes(tmp_path, "deck", SWAPS)
    assert len(fixes) == 2 and all(f.validated == "compiles" for _, f in fixes)
    shown = {line: f.shows for line, f in fixes}
    assert shown[7] == ("        self.cards.swap(i, j);",)
    assert shown[13] == ("    xs.swap(0, k + 1);",)
    edits = [e for _, f in fixes for e in f.edits]
    (root / "src" / "lib.rs").write_bytes(apply_edits(SWAPS.encode(), edits))
    assert "let first" not in (root / "src" / "lib.rs").read_text()
    done = _test(root, tmp_path)
    assert done.returncode == 0 and "test result: ok. 1 passed" in done.stdout, done.stdout + done.stderr


# indexes with effects (a lookup with `?`, a call): bound to locals first, in their order
LOOKUPS = """pub struct Pool {
    names: Vec<String>,
    levels: Vec<u32>,
}

fn wrap(k: usize, n: usize) -> usize {
    k % n
}

impl Pool {
    fn slot(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|n| n == name)
    }

    pub fn pour(&mut self, from: &str, to: &str) -> Option<u32> {
        let a = &mut self.levels[self.slot(from)?];
        let b = &mut self.levels[self.slot(to)?];
        *b += *a;
        *a = 0;
        Some(*b)
    }
}

pub fn shift(ring: &mut [u32], k: usize) {
    let n = ring.len();
    let here = &mut ring[wrap(k, n)];
    let next = &mut ring[wrap(k + 1, n)];
    *next += *here;
}

#[test]
fn pours_in_either_direction() {
    let mut p = Pool { names: vec!["x".into(), "y".into()], levels: vec![3, 4] };
    assert_eq!(p.pour("y", "x"), Some(7));
    assert_eq!(p.pour("x", "z"), None);
    assert_eq!(p.levels, [7, 0]);
    let mut ring = [1, 2, 3];
    shift(&mut ring, 2);
    assert_eq!(ring, [4, 2, 3]);
}
"""


def test_indexes_with_effects_are_bound_first(tmp_path: Path) -> None:
    root, fixes = _fixes(tmp_path, "pool", LOOKUPS)
    shown = {line: f.shows for line, f in fixes}
    assert shown.get(line_of(LOOKUPS, "let b = &mut")) == (
        "        let i = self.slot(from)?;",
        "        let j = self.slot(to)?;",
        "        let [a, b] = self.levels.get_disjoint_mut([i, j]).unwrap();",
    ), shown
    assert shown.get(line_of(LOOKUPS, "let next = &mut")) == (
        "    let i = wrap(k, n);",
        "    let j = wrap(k + 1, n);",
        "    let [here, next] = ring.get_disjoint_mut([i, j]).unwrap();",
    ), shown
    for _, fix in fixes:
        assert fix.validated == "compiles" and "panics when two indexes are equal" in fix.cost, fix
    edits = [e for _, f in fixes for e in f.edits]
    (root / "src" / "lib.rs").write_bytes(apply_edits(LOOKUPS.encode(), edits))
    done = _test(root, tmp_path)
    assert done.returncode == 0 and "test result: ok. 1 passed" in done.stdout, done.stdout + done.stderr
