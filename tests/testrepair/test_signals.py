"""The line's slip count: its prior among lines that share a spectrum (pure: source in, features out)."""

from __future__ import annotations

import math

from engine.testrepair.localize import localize
from engine.testrepair.signals import line_sites, lines_with_features
from toolbelt import types as tt

SRC = b"""pub fn clamp_len(v: &[u8], cap: usize) -> usize {
    let n = v.len();
    let label = "len";
    let _ = label;
    if n + 1 > cap { cap } else { n }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caps() {
        assert_eq!(clamp_len(&[1, 2, 3], 3), 3);
    }
}
"""


def test_a_line_counts_the_slips_the_grammar_can_make_there_and_test_code_none() -> None:
    _, slips = line_sites(SRC, "src/lib.rs")
    # `n + 1 > cap`: `+` -> `-`, 1 -> 2 and 0, `>` -> `>=` and `<`, `n + 1` -> `n`, `!(..)`
    assert slips[5] == 7
    assert slips[2] == 2  # `v.len()` off by one either way
    assert 3 not in slips and 4 not in slips  # a string binding and a discard: nothing to mistype
    assert not any(line >= 9 for line in slips)  # the test module is never a site


def test_among_lines_of_one_run_the_line_with_more_ways_to_be_mistyped_ranks_first() -> None:
    files = {"src/lib.rs": SRC}
    failing = [
        tt.TestResult(
            name="tests::caps",
            status="failed",
            failure=tt.TestFailure(message="assertion `left == right` failed", file="src/lib.rs", line=14),
        )
    ]
    lines = {ln.line: ln for ln in lines_with_features(files, failing, [], None)}
    assert lines[5].x["slips"] == math.log1p(7) and lines[3].x["slips"] == 0.0
    assert lines[3].x["cov_ochiai"] == lines[5].x["cov_ochiai"] > 0  # one spectrum: the fn's
    loc = localize(files, failing, [], lm=None)
    assert loc.suspects[0].line == 5
