"""A lint story over places in several functions is fixed at every place (#14, review C c06).

The story said "2 places ... the same change fixes each", but its fix (one per function) changed one
loop, and `--apply` left the other flagged. Real cargo + clippy on a crate written here (not the
reviewer's): clippy's needless_range_loop in two functions.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.cli_runner import rusta
from tests.explain.crates import write_lib

SCORES = """\
pub fn total(scores: &[u32]) -> u32 {
    let mut t = 0;
    for k in 0..scores.len() {
        t += scores[k];
    }
    t
}

pub fn best(scores: &[u32]) -> u32 {
    let mut b = 0;
    for n in 0..scores.len() {
        b = b.max(scores[n]);
    }
    b
}

#[cfg(test)]
mod tests {
    #[test]
    fn adds_and_picks() {
        assert_eq!(super::total(&[1, 5, 2]), 8);
        assert_eq!(super::best(&[1, 5, 2]), 5);
    }
}
"""


def _lint_lines(root: Path) -> list[str]:
    out = subprocess.run(
        ["cargo", "clippy", "--all-targets", "--message-format=short", "-q"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=600,
    )
    return [ln for ln in out.stderr.splitlines() if "needless_range_loop" in ln or "only used to index" in ln]


@pytest.mark.slow
def test_the_story_fix_changes_every_loop_it_covers(tmp_path: Path) -> None:
    root = write_lib(tmp_path, "scores", SCORES)
    assert len(_lint_lines(root)) == 2, "clippy no longer flags both loops"
    r = rusta("explain", str(root), "--json")
    stories = [json.loads(ln) for ln in r.stdout.splitlines() if ln.startswith("{") and '"options"' in ln]
    story = next(s for s in stories if s["code"] == "clippy::needless_range_loop")
    lead = next(o for o in story["options"] if o.get("patch"))
    assert lead["patch"].count("-    for ") == 2, lead["patch"]  # both loops, in one fix
    n = stories.index(story) + 1
    rusta("explain", str(root), "--apply", str(n))
    assert _lint_lines(root) == [], (root / "src" / "lib.rs").read_text()
