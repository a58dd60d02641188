"""A spawned closure's result that is not `Send` is told as the result, and fixed (#14, review C c20).

rustc's notes chain "appears within the type `Result<.., Box<dyn Error>>`" under "required by a
bound in `spawn`": the value that crosses is what the closure returns, back through the
`JoinHandle`. Rusta said a captured value was handed over, then had nothing to offer. Real cargo on
library crates written here (not the reviewer's crate).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.explain.validation import validate
from tests.explain.crates import explain_lib

WORKERS = """use std::error::Error;
use std::thread;

fn parse_line(line: &str) -> Result<u32, Box<dyn std::error::Error>> {
    let n: u32 = line.trim().parse()?;
    Ok(n * 2)
}

pub fn doubled(lines: Vec<String>) -> Result<u32, Box<dyn Error>> {
    let mut workers = Vec::new();
    for line in lines {
        workers.push(thread::spawn(move || parse_line(&line)));
    }
    let mut sum = 0;
    for w in workers {
        sum += w.join().unwrap()?;
    }
    Ok(sum)
}

#[cfg(test)]
mod tests {
    #[test]
    fn doubles() {
        assert_eq!(super::doubled(vec!["1".into(), " 2".into()]).unwrap(), 6);
        assert!(super::doubled(vec!["x".into()]).is_err());
    }
}
"""

CAPTURED = """use std::rc::Rc;
use std::thread;

pub fn shared_len(v: Vec<u8>) -> usize {
    let shared = Rc::new(v);
    let h = thread::spawn(move || shared.len());
    h.join().unwrap()
}
"""


@pytest.mark.slow
def test_the_result_is_named_and_its_error_made_send(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    run = validate(list(explain_lib(tmp_path, "workers", WORKERS)), tmp_path / "workers")
    e = next(e for e in run.explanations if e.code == "E0277")
    assert "the value the spawned closure returns" in e.summary, e.summary
    assert "hands a value" not in e.summary
    assert "lacking either lacks it too" not in e.why  # false: Mutex<T> is Sync when T is only Send
    lead = e.fixes[0]
    assert lead.validated == "compiles", [(f.shows, f.validated) for f in e.fixes]
    assert any("parse_line" in ln and "dyn std::error::Error + Send + Sync" in ln for ln in lead.shows)
    assert any("doubled" in ln and "dyn Error + Send + Sync" in ln for ln in lead.shows), lead.shows
    assert lead.tests_run == "passed"
    assert "changes what `doubled` returns to its callers" in lead.cost, lead.cost  # a signature's price


@pytest.mark.slow
def test_a_captured_value_is_still_told_as_handed_over(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    run = validate(list(explain_lib(tmp_path, "captured", CAPTURED)), tmp_path / "captured")
    e = next(e for e in run.explanations if e.code == "E0277")
    assert "the spawned closure returns" not in e.summary, e.summary
    assert not any("Send + Sync" in ln for f in e.fixes for ln in f.shows)
