"""The detours a fix's steps leave (`*(&x)`, `&a * &b` in arithmetic) are taken out before the fix is
shown: pure rewrites on two programs, and the numeric-cast fix on a real crate, built and linted."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from engine.explain.validation import validate
from engine.syntax.detours import tidy
from tests.explain.crates import explain_lib


def test_a_deref_of_a_borrow_read_as_a_number_is_the_place() -> None:
    old = b"fn t(p: &Pt) -> f64 {\n    &p.x * &p.y\n}\n"
    new = b"fn t(p: &Pt) -> f64 {\n    *(&p.x) as f64 * &p.y\n}\n"
    assert tidy(old, new) == b"fn t(p: &Pt) -> f64 {\n    p.x as f64 * p.y\n}\n"


def test_only_the_lines_the_fix_changed_and_only_numeric_uses() -> None:
    old = b"fn g(a: &M, b: &M, n: &u8) -> u8 {\n    let m = &a * &b;\n    keep(&*n);\n    n + 1\n}\n"
    new = b"fn g(a: &M, b: &M, n: &u8) -> u8 {\n    let m = &a * &b;\n    keep(&*n);\n    *&n.0 + &1\n}\n"
    # the user's own `&a * &b` on a line the fix did not touch stays; `&*n` is no arithmetic
    assert (
        tidy(old, new)
        == b"fn g(a: &M, b: &M, n: &u8) -> u8 {\n    let m = &a * &b;\n    keep(&*n);\n    n.0 + 1\n}\n"
    )
    mut = b"fn h() { x = &mut a * *&mut b; }"
    assert tidy(b"fn h() { x = 0; }", mut) == mut  # a mutable borrow is never taken out


# rental fees: a count times a rate, both read through `&` in a closure (`&u8 * &f64`)
FEES = """pub struct Rental {
    pub days: u8,
    pub rate: f64,
}

pub fn fees(rs: &[Rental]) -> f64 {
    rs.iter().map(|r| &r.days * &r.rate).sum()
}

#[cfg(test)]
mod tests {
    #[test]
    fn two_rentals() {
        let rs = [super::Rental { days: 2, rate: 1.5 }, super::Rental { days: 1, rate: 4.0 }];
        assert_eq!(super::fees(&rs), 7.0);
    }
}
"""


@pytest.mark.slow
def test_the_cast_fix_is_shown_as_written_by_hand_and_lints_clean(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    stories = explain_lib(tmp_path, "fees", FEES)
    run = validate(stories, tmp_path / "fees")
    lead = run.explanations[0].fixes[0]
    assert lead.validated == "compiles", (lead.validated, lead.fails_because)
    assert "+    rs.iter().map(|r| r.days as f64 * r.rate).sum()" in lead.patch, lead.patch
    root = tmp_path / "fees"
    subprocess.run(["patch", "-p1", "-s"], input=lead.patch, text=True, cwd=root, check=True)
    out = subprocess.run(
        ["cargo", "clippy", "-q", "--all-targets", "--target-dir", str(tmp_path / "t")],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert out.returncode == 0 and "warning" not in out.stderr, out.stderr
