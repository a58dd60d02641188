"""Measured coverage through source probes: the probes keep line numbers and leave test code, const fns
and const contexts alone (pure), and on real cargo each test's spectrum names the lines it ran, across
editions, `#![no_std]` and `#![deny(missing_docs)]`; the scratch copy holds the user's code afterwards."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.repair.workspace import Workspace
from engine.syntax.tree import parse
from engine.testrepair.coverage import line_spectra, measure, parse_hits
from engine.testrepair.localize import localize
from engine.testrepair.probes import MODULE, instrument, line_probes
from toolbelt.cargo_run import run_test

SHAPES = b"""\
pub const fn twice(x: u32) -> u32 {
    x * 2
}

pub fn classify(x: i32) -> &'static str {
    #[allow(unused_variables)]
    let y = x;
    let Some(z) = Some(y) else { return "none"; };
    const LIMIT: i32 = { 10 };
    match z {
        0 => "zero",
        n if n < LIMIT => { "small" }
        _ => "big",
    }
}

pub fn total(xs: &[u32]) -> u32 {
    xs.iter().map(|x| { x + 1 }).sum::<u32>()
}

pub fn nothing() {}

#[cfg(test)]
mod tests {
    #[test]
    fn t() {
        assert_eq!(super::classify(0), "zero");
    }
}
"""


def _has_error(node) -> bool:
    return node.type == "ERROR" or node.is_missing or any(_has_error(c) for c in node.children)


def test_probes_keep_lines_and_skip_tests_and_const_contexts() -> None:
    inst = instrument({"src/lib.rs": SHAPES}, {"src/lib.rs"}, "src/lib.rs")
    ((rel, new),) = inst.files
    body = new[: new.index(b"\n#[doc(hidden)]")]
    assert body.count(b"\n") == SHAPES.count(b"\n"), "no probe adds a line"
    assert not _has_error(parse(new).root_node), "the probed file parses"
    lines = body.split(b"\n")
    assert b"hit" not in lines[1], "a const fn has no probe"
    assert b"const LIMIT: i32 = { 10 };" in lines[8], "a const context has no probe"
    assert b"hit" not in b"\n".join(lines[23:]), "test code has no probe"
    assert lines[5].lstrip().startswith(b"crate::" + MODULE.encode()), "a probe goes before the attribute"
    assert b"#[allow(unused_variables)]" in lines[5]
    assert b"=> { crate::" in lines[10] and lines[10].rstrip().endswith(b'"zero" },'), (
        "an arm's value is wrapped"
    )
    assert lines[20].count(b"hit(") == 1, "an empty body still has its entry probe, and one only"
    at = line_probes(inst.probes)
    fn_entry = {p.id for p in inst.probes if p.first == p.fn_line}
    arm0, arm1 = at[("src/lib.rs", 11)], at[("src/lib.rs", 12)]
    match = set(arm0) & set(arm1)
    assert len(match) == 1 and not match & fn_entry, "an arm's pattern answers to its match's statement"
    assert len(set(arm0) - match) == 1 and set(arm0) - match != set(arm1) - match, (
        "each arm has its own probe"
    )
    assert ("src/lib.rs", 2) not in at, "a const fn's lines have no probe: the call graph stands in"


def test_parse_hits_skips_torn_lines_and_unknown_threads() -> None:
    text = "tests::a\t3\ntests::a\t4\nmain\t3\ntests::b\t\ntests::b\t7\ntests::"
    assert parse_hits(text, ["tests::a", "tests::b"]) == {"tests::a": {3, 4}, "tests::b": {7}}


LIB = """{head}
/// Whether `x` is in [lo, hi).
pub fn inside(lo: i64, hi: i64, x: i64) -> bool {{
    if x < lo {{
        return false;
    }}
    x <= hi
}}

/// The larger of two.
pub fn bigger(a: i64, b: i64) -> i64 {{
    if a > b {{ a }} else {{ b }}
}}

#[cfg(test)]
mod tests {{
    use super::*;
    #[test]
    fn below() {{
        assert!(!inside(0, 3, -1));
    }}
    #[test]
    fn at_end() {{
        assert!(!inside(0, 3, 3));
    }}
    #[test]
    fn picks() {{
        assert_eq!(bigger(1, 2), 2);
    }}
}}
"""


@pytest.mark.slow
@pytest.mark.parametrize(
    ("edition", "head"),
    [
        ("2015", ""),
        ("2021", "#![no_std]\n#![deny(missing_docs)]\n//! Ranges."),
        ("2024", "#![forbid(unsafe_code)]"),
    ],
)
def test_measured_spectra_name_the_lines_each_test_ran(edition: str, head: str, tmp_path: Path) -> None:
    root = tmp_path / "cov"
    (root / "src").mkdir(parents=True)
    (root / "Cargo.toml").write_text(f'[package]\nname = "cov"\nversion = "0.1.0"\nedition = "{edition}"\n')
    src = LIB.format(head=head).encode()
    (root / "src" / "lib.rs").write_bytes(src)
    ws = Workspace(root, tmp_path / "scratch")
    ws.sync()
    files = {"src/lib.rs": src}
    rep = run_test(ws.root, backtrace=True)
    assert rep.status == "failed", rep.message
    failing = [t for t in rep.tests if t.status == "failed"]
    passing = [t.name for t in rep.tests if t.status == "ok"]
    assert [t.name for t in failing] == ["tests::at_end"]
    cov = measure(ws, files, [t.name for t in rep.tests])
    assert cov is not None
    assert ws.read("src/lib.rs") == src, "the scratch copy holds the user's code again"
    spectra = line_spectra(cov, ["tests::at_end"], passing)
    assert spectra is not None and spectra.failing == 1 and spectra.passing == 2
    n = head.count("\n") + 1  # LIB's first line is `head`
    buggy, early, other = n + 6, n + 4, n + 11  # `x <= hi`, `return false;`, `if a > b ...`
    assert spectra.lines[("src/lib.rs", buggy)] == (1, 0), "only the failing test reached the slip"
    assert spectra.lines[("src/lib.rs", early)] == (0, 1), "the early return ran for `below` only"
    assert spectra.lines[("src/lib.rs", other)] == (0, 1)
    loc = localize(files, failing, passing, lm=None, spectra=spectra)
    assert loc.suspects[0].line == buggy, [(s.line, s.text) for s in loc.suspects[:3]]
    assert "coverage measured" in loc.note


# A 2015 crate: `try!` is an ERROR node to tree-sitter, and the slip sits in a match arm's pattern
# (the failing test sends its value to another arm, so the slipped arm's value never runs).
OLD = """use std::io;

pub fn code(level: u8) -> &'static str {
    match level {
        1 => "low",
        3 => "high",
        _ => "other",
    }
}

pub fn checked(level: u8) -> io::Result<&'static str> {
    if level > 9 {
        return Err(io::Error::new(io::ErrorKind::Other, "too big"));
    }
    Ok(code(level))
}

pub fn twice(level: u8) -> io::Result<String> {
    let a = try!(checked(level));
    let b = match level {
        0 => try!(checked(0)),
        _ => a,
    };
    Ok(format!("{}{}", a, b))
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn low() {
        assert_eq!(twice(1).unwrap(), "lowlow");
    }
    #[test]
    fn high() {
        assert_eq!(code(2), "high");
    }
}
"""


def test_probes_around_unparsed_macros_keep_the_file_compiling() -> None:
    inst = instrument({"src/lib.rs": OLD.encode()}, {"src/lib.rs"}, "src/lib.rs")
    ((_, new),) = inst.files
    lines = new.split(b"\n")
    assert b"hit(" in lines[18] and lines[18].index(b"hit(") < lines[18].index(b"try!"), (
        "the probe goes before the unparsed `try!`, never between it and its arguments"
    )
    assert b"try!(checked(0))" in lines[20] and b"{ crate::" not in lines[20], (
        "an arm whose value tree-sitter could not parse is not wrapped"
    )
    at = line_probes(inst.probes)
    stmt = at[("src/lib.rs", 4)]
    assert set(stmt) <= set(at[("src/lib.rs", 6)]), "an arm's pattern answers to its match's probe too"


def test_skipped_spots_leave_their_fn_unprobed() -> None:
    inst = instrument(
        {"src/lib.rs": OLD.encode()}, {"src/lib.rs"}, "src/lib.rs", frozenset({("src/lib.rs", 19)})
    )
    ((_, new),) = inst.files
    lines = new.split(b"\n")
    assert b"hit(" not in b"\n".join(lines[17:25]), "the fn holding a failed spot has no probe"
    assert b"hit(" in lines[3], "other fns keep theirs"


@pytest.mark.slow
def test_a_slipped_arm_pattern_ran_in_the_failing_test_on_a_2015_crate(tmp_path: Path) -> None:
    root = tmp_path / "old"
    (root / "src").mkdir(parents=True)
    (root / "Cargo.toml").write_text('[package]\nname = "old"\nversion = "0.1.0"\n')  # edition 2015
    src = OLD.encode()
    (root / "src" / "lib.rs").write_bytes(src)
    ws = Workspace(root, tmp_path / "scratch")
    ws.sync()
    rep = run_test(ws.root)
    failing = [t.name for t in rep.tests if t.status == "failed"]
    passing = [t.name for t in rep.tests if t.status == "ok"]
    assert failing == ["tests::high"], rep.message
    cov = measure(ws, {"src/lib.rs": src}, failing + passing)
    assert cov is not None, "the probed 2015 crate builds"
    assert ws.read("src/lib.rs") == src
    spectra = line_spectra(cov, failing, passing)
    assert spectra is not None
    assert spectra.lines[("src/lib.rs", 6)][0] == 1, "the slipped pattern `3 =>` counts as run"
    assert spectra.lines[("src/lib.rs", 7)][0] == 1, "the arm the value fell into"
    assert spectra.lines[("src/lib.rs", 19)] == (0, 1), "`try!` lines are measured too"


@pytest.mark.slow
def test_a_probed_build_that_fails_is_retried_without_the_fns_it_blames(tmp_path: Path, monkeypatch) -> None:
    import engine.testrepair.coverage as coverage
    from engine.testrepair import probes

    real = probes.instrument

    def breaking(files, library, root, skip=frozenset()):  # a shape the probes get wrong, in `checked`
        inst = real(files, library, root, skip)
        if skip:
            return inst
        out = tuple(
            (rel, new.replace(b"if level > 9 {", b'if level > 9 { let _: u8 = "";', 1))
            for rel, new in inst.files
        )
        return probes.Instrumented(files=out, probes=inst.probes)

    monkeypatch.setattr(coverage, "instrument", breaking)
    root = tmp_path / "old"
    (root / "src").mkdir(parents=True)
    (root / "Cargo.toml").write_text('[package]\nname = "old"\nversion = "0.1.0"\n')
    src = OLD.encode()
    (root / "src" / "lib.rs").write_bytes(src)
    ws = Workspace(root, tmp_path / "scratch")
    ws.sync()
    cov = coverage.measure(ws, {"src/lib.rs": src}, ["tests::high", "tests::low"])
    assert cov is not None, "the second, narrower probed build ran"
    at = line_probes(cov.probes)
    assert ("src/lib.rs", 12) not in at, "the blamed fn lost its probes"
    assert ("src/lib.rs", 6) in at, "the others kept theirs"
    assert ws.read("src/lib.rs") == src
