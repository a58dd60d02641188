"""An alternative Rusta conceded to with `--reject N --alternative` is what the next `--apply N` lands.

Real cargo on a crate written here (E0507: a field moved out from behind `&mut self`). Rusta's own
✓ fix puts `Phase::Idle` in the field's place; the user's alternative puts `Phase::Done` there and
drops the assignment that followed. Two processes, as a user runs them: the concession must outlive
the first (review F, f18: it was kept in memory, and `--apply 1` wrote Rusta's fix again).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from engine.patching.diffs import render
from tests.cli_runner import rusta

pytestmark = [pytest.mark.slow]

_LIB = """pub enum Phase {
    Idle,
    Busy(Vec<u8>),
    Done,
}

pub struct Job {
    phase: Phase,
}

impl Job {
    pub fn new(data: Vec<u8>) -> Job {
        Job { phase: Phase::Busy(data) }
    }

    pub fn finish(&mut self) -> usize {
        let old = self.phase;
        self.phase = Phase::Done;
        match old {
            Phase::Busy(b) => b.len(),
            Phase::Idle | Phase::Done => 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finishing_counts_the_pending_bytes_once() {
        let mut j = Job::new(vec![1, 2, 3]);
        assert_eq!(j.finish(), 3);
        assert_eq!(j.finish(), 0);
    }
}
"""

_MINE = _LIB.replace(
    "        let old = self.phase;\n        self.phase = Phase::Done;\n",
    "        let old = std::mem::replace(&mut self.phase, Phase::Done);\n",
)


def _crate(root: Path) -> Path:
    (root / "src").mkdir(parents=True)
    (root / "Cargo.toml").write_text('[package]\nname = "job_phase"\nversion = "0.1.0"\nedition = "2021"\n')
    (root / "src" / "lib.rs").write_text(_LIB)
    return root


def _explain(crate: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return rusta("explain", str(crate), "--mode", "pair", "--no-clippy", *args, columns=200, timeout=300)


def _reject(crate: Path, alt: Path) -> None:
    said = _explain(crate, "--reject", "1", "--reason", "Done, not Idle", "--alternative", str(alt))
    assert said.returncode == 0, said.stderr
    assert "I was wrong to insist on mine" in said.stdout, said.stdout
    assert (
        "`rusta explain --apply 1`) will apply yours while the files it touches stay as they are"
        in said.stdout
    )


def test_apply_lands_the_conceded_alternative_until_its_file_changes(tmp_path: Path) -> None:
    crate = _crate(tmp_path / "job_phase")
    lib = crate / "src" / "lib.rs"
    alt = tmp_path / "mine.diff"
    alt.write_text(render({"src/lib.rs": (_LIB.encode(), _MINE.encode())}))
    _reject(crate, alt)
    shown = _explain(crate, "--no-validate")  # pair says, at the story, what --apply 1 lands now
    assert (
        "#1 Your alternative, which Rusta conceded to (--reject 1), is what `rusta explain --apply 1` lands"
        in (shown.stdout)
    ), shown.stdout
    applied = _explain(crate, "--apply", "1")
    assert applied.returncode == 0, applied.stdout + applied.stderr
    assert lib.read_text() == _MINE, applied.stdout

    # a file the alternative touches changes: it was validated against code that is gone
    other = tmp_path / "again"
    crate = _crate(other / "job_phase")
    lib = crate / "src" / "lib.rs"
    _reject(crate, alt)
    lib.write_text(_LIB + "\n// edited after the concession\n")
    assert "Your alternative" not in _explain(crate, "--no-validate").stdout
    applied = _explain(crate, "--apply", "1")
    assert applied.returncode == 0, applied.stdout + applied.stderr
    now = lib.read_text()
    assert "std::mem::replace(&mut self.phase, Phase::Done)" not in now
    assert "std::mem::replace(&mut self.phase, Phase::Idle)" in now, now
