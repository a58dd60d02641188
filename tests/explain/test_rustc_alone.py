"""rustc's own suggestion run alone through the crate's tests when Rusta's fix is it plus an edit (#14).

The shape: a channel sender moved into a closure inside a loop (E0382), drained after the loop.
rustc's MachineApplicable suggestion clones it per iteration, which compiles; Rusta's fix also drops
the original after the loop. Pair and study mode say why rustc's suggestion alone is not the fix
only from a run of the crate's tests with rustc's edits alone that did not finish. Real cargo on two
library crates written here (an unbounded channel drained by `for`, a bounded one by `.iter()`).
"""

from __future__ import annotations

import re

import pytest

from engine.explain.jsonview import to_dict
from engine.explain.rustc_alone import ALONE_TIMEOUT_S
from engine.explain.validation import validate
from modes.verdicts import verdict_lines
from tests.explain import honesty
from tests.explain.crates import explain_lib

pytestmark = pytest.mark.slow

TOTALS = """use std::sync::mpsc;
use std::thread;

/// Sums each batch on its own thread and adds the sums up as they arrive.
pub fn total(batches: Vec<Vec<u64>>) -> u64 {
    let (out, inbox) = mpsc::channel();
    for batch in batches {
        thread::spawn(move || {
            out.send(batch.iter().sum::<u64>()).unwrap();
        });
    }
    let mut sum = 0;
    for part in inbox {
        sum += part;
    }
    sum
}

#[cfg(test)]
mod tests {
    #[test]
    fn adds_every_batch() {
        assert_eq!(super::total(vec![vec![1, 2], vec![3], vec![4, 5]]), 15);
    }
}
"""

LENGTHS = """use std::sync::mpsc::sync_channel;
use std::thread;

/// The length of every word, counted on one thread per word, in no particular order.
pub fn lengths(words: &[&str]) -> Vec<usize> {
    let (note, notes) = sync_channel(4);
    for w in words {
        let w = w.to_string();
        thread::spawn(move || note.send(w.len()).unwrap());
    }
    let mut got: Vec<usize> = notes.iter().collect();
    got.sort();
    got
}

#[cfg(test)]
mod tests {
    #[test]
    fn counts_each_word() {
        assert_eq!(super::lengths(&["abc", "de", "f"]), vec![1, 2, 3]);
    }
}
"""


@pytest.mark.parametrize(
    ("name", "src", "tx", "rx"), [("totals", TOTALS, "out", "inbox"), ("lengths", LENGTHS, "note", "notes")]
)
def test_rustc_clone_alone_is_said_to_hang_from_its_own_test_run(tmp_path, name, src, tx, rx):
    stories = [e for e in explain_lib(tmp_path, name, src) if e.code == "E0382"]
    run = validate(stories, tmp_path / name)
    e, failed = run.explanations[0], run.failed[0]
    lead = e.fixes[0]
    assert lead.ticked and lead.tests_run == "passed", lead
    assert any(ln.strip() == f"drop({tx});" for ln in lead.shows), lead.shows
    assert lead.alone, "rustc's suggestion alone was not judged by its own test run"
    alone = lead.alone[0]
    assert alone.source == "rustc" and not any(f"drop({tx})" in ln for ln in alone.shows), alone.shows
    said = (
        f"ran {ALONE_TIMEOUT_S:.0f} s without finishing: the loop over `{rx}` will not end while `{tx}` lives"
    )
    assert said in alone.fails_because, alone.fails_because
    for mode in ("pair", "study"):
        text = "\n".join(ln.text for ln in verdict_lines(e, failed, mode))
        assert re.search(
            r"rustc's .* alone compiles, but the crate's tests ran \d+ s without finishing", text
        ), text
    assert to_dict(e)["options"][0]["rustc_alone"] == alone.fails_because
    program = honesty.program_tokens(tmp_path / name)
    quotes = honesty.rustc_quotes(e.diagnostics)
    line = next(ln.text for ln in verdict_lines(e, failed, "pair") if "alone compiles" in ln.text)
    for code in re.findall(r"`([^`]+)`", line):
        assert honesty.judge(e, honesty.Snippet(code=code, where="text"), program, quotes), code


def test_no_line_when_the_fix_is_rustcs_own(tmp_path):
    """A sender cloned in a loop with no drain after it: rustc's suggestion is the fix as it stands,
    nothing is added to it, so nothing is run alone and no line is said."""
    src = TOTALS.replace(
        "    let mut sum = 0;\n    for part in inbox {\n        sum += part;\n    }\n    sum\n",
        "    inbox.try_iter().count() as u64\n",
    )
    src = src.replace("vec![4, 5]]), 15)", "vec![4, 5]]) <= 3)").replace("assert_eq!(", "assert!(")
    assert "for part in inbox" not in src and "<= 3)" in src
    stories = [e for e in explain_lib(tmp_path, "nodrain", src) if e.code == "E0382"]
    run = validate(stories, tmp_path / "nodrain")
    e = run.explanations[0]
    assert e.fixes and not any(f.alone for f in e.fixes), e.fixes
    assert not any("alone compiles" in ln.text for ln in verdict_lines(e, run.failed[0], "pair"))
