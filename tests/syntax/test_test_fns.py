"""Which fns are tests, one answer for the call graph's FnInfo and for test reach: a fn under a
framework's `::test` attribute or a quickcheck/proptest one is a test to both, `#[cfg(test)]` alone
or `#[test_case]` to neither."""

from __future__ import annotations

from pathlib import Path

from engine.syntax.program import functions
from engine.syntax.test_reach import reach

LIB = b"""pub fn add(a: u32, b: u32) -> u32 { a + b }
pub fn mul(a: u32, b: u32) -> u32 { a * b }
pub fn sub(a: u32, b: u32) -> u32 { a - b }

#[cfg(test)]
mod tests {
    use super::*;

    #[test_log::test]
    fn adds() { assert_eq!(add(1, 2), 3); }

    #[quickcheck]
    fn muls(a: u32) -> bool { mul(a, 1) == a }

    #[test_case(1)]
    fn subs(x: u32) { assert_eq!(sub(x, x), 0); }
}
"""


def test_the_call_graph_and_test_reach_agree_on_which_fns_are_tests(tmp_path: Path) -> None:
    tests = {f.name for f in functions(LIB) if f.is_test}
    assert tests == {"adds", "muls"}
    (tmp_path / "src").mkdir()
    (tmp_path / "Cargo.toml").write_text('[package]\nname = "t"\nversion = "0.1.0"\nedition = "2021"\n')
    (tmp_path / "src" / "lib.rs").write_bytes(LIB)
    at = {name: LIB.index(f"pub fn {name}".encode()) + 4 for name in ("add", "mul", "sub")}
    got = {name: reach(tmp_path, "src/lib.rs", off) for name, off in at.items()}
    assert {n: r.kind for n, r in got.items() if r is not None} == {
        "add": "reached",
        "mul": "reached",
        "sub": "unreached",
    }
