"""`rusta review --base REV --refactor` (real git, real cargo, the real CLI): the change claims to keep
behaviour, so each changed fn is fuzzed base against head; one that differs is an error finding with
its minimised input, in text, JSON and schema-valid SARIF; a change that keeps behaviour has none."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import jsonschema
import pytest

from tests.proofs.crates import make_crate, run_rusta
from tests.review.test_revisions import SCHEMA_FILE

pytestmark = pytest.mark.slow

UNITS = """\
pub const KB: u64 = 1_000;
pub const KIB: u64 = 0x400;

pub fn label(bytes: u64, binary: bool) -> String {
    let unit = if binary { KIB } else { KB };
    if bytes < unit { format!("{} B", bytes) } else { format!("{} k", bytes / unit) }
}

#[cfg(test)]
mod tests {
    #[test]
    fn small() {
        assert_eq!(super::label(5, false), "5 B");
    }
}
"""


def test_review_base_refactor_fuzzes_the_change_and_blames_a_behaviour_change(tmp_path: Path) -> None:
    os.environ.setdefault("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    crate = make_crate(tmp_path / "c", UNITS, name="units")
    lib = crate / "src" / "lib.rs"
    lib.write_text(UNITS.replace("if bytes < unit {", "if bytes < KB {"))  # green tests, wrong for 1000..1023
    out = run_rusta(crate, "review", "--base", "HEAD", "--refactor", "--no-clippy")
    assert out.returncode == 1, out.stdout + out.stderr
    said = '`label` behaves differently at head: label(1000, true): before "1000 B", after "0 k".'
    assert "rusta/behaviour-changed" in out.stdout and said in out.stdout, out.stdout
    sarif = run_rusta(crate, "review", "--base", "HEAD", "--refactor", "--no-clippy", "--format", "sarif")
    doc = json.loads(sarif.stdout)
    jsonschema.Draft4Validator(json.loads(SCHEMA_FILE.read_text())).validate(doc)
    (hit,) = [r for r in doc["runs"][0]["results"] if r["ruleId"] == "rusta/behaviour-changed"]
    assert hit["level"] == "error" and hit["locations"][0]["physicalLocation"]["region"]["startLine"] == 4
    plain = run_rusta(crate, "review", "--base", "HEAD", "--no-clippy", "--format", "json")
    assert "rusta/behaviour-changed" not in plain.stdout  # not asked: a change may mean to change behaviour
    lib.write_text(UNITS.replace("if bytes < unit {", "if unit > bytes {"))
    kept = run_rusta(crate, "review", "--base", "HEAD", "--refactor", "--no-clippy", "--format", "json")
    assert kept.returncode == 0 and "rusta/behaviour-changed" not in kept.stdout, kept.stdout
    assert subprocess.run(["git", "status", "--porcelain"], cwd=crate, capture_output=True, text=True).stdout
