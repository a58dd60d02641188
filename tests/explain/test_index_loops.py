"""clippy::needless_range_loop told from the tree: "iterate directly" only when the loop variable is
used only as `coll[i]` (in a macro's arguments too), `enumerate` when the body needs the index itself, and a concrete rewrite
(clippy's `<item>` filled with a real name, every `coll[i]` replaced) that compiles, clears the lint
and keeps the crate's tests passing. Real clippy and cargo on a crate written here (#14)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from engine.edits import apply_edits
from engine.explain.api import explain_report
from engine.explain.validation import validate
from tests.explain.crates import line_of, story_text, write_lib
from toolbelt.cargo_run import run_check

LINT = "clippy::needless_range_loop"

SRC = """\
/// `n` weights rising by `step`, the first one `step` itself.
pub fn ramp(n: usize, step: u32) -> Vec<u32> {
    let mut weights = vec![0u32; n];
    for k in 0..n {
        weights[k] = step * (k as u32 + 1);
    }
    weights
}

/// How many characters the words hold together.
pub fn total_len(words: Vec<String>) -> usize {
    let mut n = 0;
    for j in 0..words.len() {
        n += words[j].len();
    }
    n
}

/// Every level above `max` brought down to it.
pub fn clamp_all(levels: &mut [i32], max: i32) {
    for t in 0..levels.len() {
        if levels[t] > max {
            levels[t] = max;
        }
    }
}

/// The readings summed, each one logged as it is read.
pub fn logged_sum(readings: &[u32]) -> u32 {
    let mut s = 0;
    for q in 0..readings.len() {
        eprintln!("reading {}", readings[q]);
        s += readings[q];
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn behaves() {
        assert_eq!(ramp(3, 2), vec![2, 4, 6]);
        assert_eq!(total_len(vec!["ab".into(), "cde".into()]), 5);
        let mut v = vec![1, 9, 4, 12];
        clamp_all(&mut v, 5);
        assert_eq!(v, vec![1, 5, 4, 5]);
        assert_eq!(logged_sum(&[2, 3]), 5);
    }
}
"""


def _stories(root: Path, target: Path):
    return explain_report(run_check(root, tool="clippy", target_dir=target))


def test_index_loops_get_true_prose_and_a_rewrite_that_compiles_and_passes_the_tests(tmp_path: Path) -> None:
    root = write_lib(tmp_path, "index_loops", SRC)
    target = tmp_path / "target"
    stories = [e for e in _stories(root, target) if e.code == LINT]
    # clippy's words split the two kinds, so one story each: the index-only loops share one
    assert {e.primary.line for e in stories} == {line_of(SRC, s) for s in ("for k", "for j")}
    by_line = {e.primary.line: e for e in stories}
    places = {d.spans[0].line_start for d in by_line[line_of(SRC, "for j")].diagnostics}
    assert places == {line_of(SRC, s) for s in ("for j", "for t", "for q")}

    needs_index = story_text(by_line[line_of(SRC, "for k")])
    assert "also needs `k` itself" in needs_index and "only to index" not in needs_index
    assert "the body can no longer use the index" not in needs_index
    text = story_text(by_line[line_of(SRC, "for j")])
    assert "only to index" in text and "enumerate" not in text

    checked = validate(stories, root).explanations
    edits = []
    for e in checked:
        for fix in e.fixes:  # one rewrite per loop
            assert fix.validated == "compiles", (fix.name, fix.fails_because)
            assert "<item>" not in fix.patch
            edits.extend(fix.edits)
    assert len(edits) == (2 + 1) + (2 + 1) + (2 + 2) + (
        2 + 2
    )  # each loop's pattern and range, every `coll[i]`
    keep_index = next(e for e in checked if e.primary.line == line_of(SRC, "for k")).fixes[0]
    assert any("enumerate()" in ln and "(k, " in ln for ln in keep_index.shows)
    only_index = [f for e in checked if e.primary.line == line_of(SRC, "for j") for f in e.fixes]
    shown = [ln for f in only_index for ln in f.shows]
    assert not any("enumerate" in ln for ln in shown)
    assert any("word.len()" in ln for ln in shown)  # a receiver takes the item as it is
    assert any("*level = max" in ln for ln in shown)  # a write goes through `iter_mut`'s item
    assert any('eprintln!("reading {}", *reading)' in ln for ln in shown)  # inside a macro's tokens too

    lib = root / "src" / "lib.rs"
    lib.write_bytes(apply_edits(lib.read_bytes(), edits))
    after = _stories(root, target)
    assert not [e for e in after if e.code == LINT or e.level == "error"]
    test = subprocess.run(
        ["cargo", "test", "-q", "--target-dir", str(target)], cwd=root, capture_output=True, text=True
    )
    assert test.returncode == 0, test.stdout + test.stderr
