"""An integer division whose value must be a float: the fix divides in the float (#14, review C c10).

The fixes that make `/`'s operands agree and then convert the quotient (`(a / b as i64).into()`,
`(a as usize / b) as f64`) type-check and lose the fraction; the fix that converts each operand
first was offered only under another story, last. The unrelated `count == 0` guard was rewritten
to `count as i64 == 0`. Real cargo on library crates written here (not the reviewer's crate).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.explain.casts import TRUNCATES
from engine.explain.validation import validate
from engine.syntax import quotients
from tests.explain.crates import explain_lib

AVERAGE = """/// The mean reading, as a float.
pub fn average(total: i64, count: usize) -> f64 {
    if count == 0 {
        return 0.0;
    }
    total / count
}

#[cfg(test)]
mod tests {
    #[test]
    fn keeps_the_half() {
        assert_eq!(super::average(5, 2), 2.5);
    }
}
"""

# the mismatch at the operands is gone (the author already rebound `n`), only the quotient is wrong
REBOUND = """pub fn share(parts: u32, n: usize) -> f32 {
    let n = n as u32;
    let s: f32 = parts / n;
    s
}

#[cfg(test)]
mod tests {
    #[test]
    fn half() {
        assert_eq!(super::share(3, 2), 1.5);
    }
}
"""


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "src", "want"),
    [("average", AVERAGE, "total as f64 / count as f64"), ("share", REBOUND, "parts as f32 / n as f32")],
)
def test_the_float_division_leads_and_integer_divisions_say_they_truncate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, src: str, want: str
) -> None:
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    run = validate(list(explain_lib(tmp_path, name, src)), tmp_path / name)
    stories = [e for e in run.explanations if e.fixes]
    assert stories, [e.message for e in run.explanations]
    for e in stories:
        lead = e.fixes[0]
        assert any(want in ln for ln in lead.shows), (e.message, [f.shows for f in e.fixes])
        assert lead.validated in ("compiles", "fixes-this") and TRUNCATES not in lead.cost
        for f in e.fixes:  # every `/` in these crates divides integers: a float-converted one truncates
            if quotients.truncates(list(f.shows), known=True):
                assert TRUNCATES in f.cost, (f.shows, f.cost)
            # the guard compiled: no fix for the division rewrites it
            assert not any("count as" in ln and "==" in ln for ln in f.shows), f.shows


def test_truncation_is_read_from_the_written_code() -> None:
    assert quotients.truncates(["    (a / b as i32).into()"])  # an operand cast to an integer
    assert quotients.truncates(["    (a as usize / b) as f64"])
    assert quotients.truncates(
        ["    let b = b as i32;", "    (a / b).into()"], quotients.int_rebinds(["let b = b as i32;"])
    )
    assert not quotients.truncates(["    a as f64 / b as f64"])  # divides in the float
    assert not quotients.truncates(["    (a / b).into()"])  # nothing says the operands are integers
    assert quotients.truncates(["    (a / b).into()"], known=True)  # rustc typed the division
