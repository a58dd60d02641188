"""A fix whose ✓ came from a joint check lands with the fix it was checked beside, as one patch
(#14). The mistake: `--apply N` landed half of a pair, a fix that compiles and passes the tests only
beside another story's first fix, and left the crate with the other half's error. Real cargo on
crates written here, two errors on two lines whose fixes compile only together: `--apply` of either
writes both edits, the crate then builds and its test passes, and one `rusta undo` takes both back.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.cli_runner import rusta
from tests.explain.crates import write_lib

pytestmark = pytest.mark.slow

# the multiplication wants `k` as a u64, and the caller passes a usize where `k: u32` is declared
SCALE = """pub fn scale(x: u64, k: u32) -> u64 {
    x * k
}

pub fn weighted(word: &str) -> u64 {
    scale(3, word.len())
}

#[cfg(test)]
mod tests {
    #[test]
    fn weighs() {
        assert_eq!(super::weighted("abcd"), 12);
    }
}
"""

# the same pair in another shape: a division by a `u32` parameter, and a caller passing a usize
MEAN = """pub fn average(total: f64, n: u32) -> f64 {
    total / n
}

pub fn mean(xs: &[f64]) -> f64 {
    average(xs.iter().sum(), xs.len())
}

#[cfg(test)]
mod tests {
    #[test]
    fn means() {
        assert_eq!(super::mean(&[1.0, 2.0, 6.0]), 3.0);
    }
}
"""


@pytest.mark.parametrize(("name", "src", "story"), [("scale", SCALE, "1"), ("mean", MEAN, "2")])
def test_a_fix_green_only_beside_another_lands_with_it(
    tmp_path: Path, name: str, src: str, story: str
) -> None:
    root = write_lib(tmp_path, name, src)
    env = {"RUSTA_CACHE_DIR": str(tmp_path / "cache")}
    shown = rusta("explain", "--mode", "pair", str(root), env=env)
    assert "beside #" in shown.stdout, shown.stdout + shown.stderr  # the ✓ is a joint one
    r = rusta("explain", str(root), "--apply", story, env=env)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "It landed together with story #" in r.stdout and "one patch, one `rusta undo`" in r.stdout, (
        r.stdout
    )
    test = subprocess.run(["cargo", "test", "-q"], cwd=root, capture_output=True, text=True, timeout=600)
    assert test.returncode == 0, test.stdout + test.stderr  # both halves are in: it builds, the test passes
    assert (root / "src/lib.rs").read_text() != src
    undo = rusta("undo", str(root), "--yes", env=env)
    assert undo.returncode == 0, undo.stdout + undo.stderr
    assert (root / "src/lib.rs").read_text() == src  # one undo takes the pair back


def test_a_fix_that_compiles_together_with_another_takes_it_along(tmp_path: Path) -> None:
    """The other joint check: rustc's `for n in &names` fails alone and compiles beside the other
    story's `.clone()` (`together_with`). Its landing diff holds both, and the crate then builds."""
    from engine.explain.joint_apply import companions, joint_patch
    from engine.explain.validation import validate
    from tests.explain.crates import errors_of, explain_lib
    from tests.explain.test_fix_sets import LOOP_BORROW_AND_CLONE

    stories = explain_lib(tmp_path, "initials", LOOP_BORROW_AND_CLONE)
    root = tmp_path / "initials"
    run = validate(list(stories), root).explanations
    i, f = next((i, o) for i, e in enumerate(run) for o in e.fixes if o.together_with)
    need = companions(run, i, f)
    assert need and all(j != i for j in need), (i, need)
    joint = joint_patch(run, i, f, lambda rel: (root / rel).read_bytes())
    assert not joint.refused and joint.with_stories == need, joint
    assert "for who in &people {" in joint.diff and "first = who.clone();" in joint.diff, joint.diff
    done = subprocess.run(["git", "apply", "-"], cwd=root, input=joint.diff, text=True, capture_output=True)
    assert done.returncode == 0, done.stderr
    assert errors_of(root, tmp_path) == []
