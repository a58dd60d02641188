"""A restored `use` goes where the developer keeps the file's imports, in rustfmt's order, through the
root the crate already imports from; rustc's suggestion and the template's become one candidate."""

from __future__ import annotations

from pathlib import Path

from engine.repair.placement import place_imports, sort_key, use_position
from engine.repair.search import repair
from engine.repair.types import Candidate, Edit
from toolbelt.cargo_run import run_test


def _insert(src: bytes, path: str) -> bytes:
    at = use_position(src, path)
    return src[:at] + f"use {path};\n".encode() + src[at:]


def test_a_use_goes_to_its_sorted_place_in_a_sorted_run() -> None:
    before = b"mod a;\n\nuse std::env;\nuse std::process::Command;\n\nfn f() {}\n"
    after = b"mod a;\n\nuse std::env;\nuse std::io::Read;\nuse std::process::Command;\n\nfn f() {}\n"
    assert _insert(before, "std::io::Read") == after


def test_crate_paths_sort_before_names_as_rustfmt_orders_them() -> None:
    before = b"use crate::alloc::vec::Vec;\nuse core::str::FromStr;\n\n#[allow(unused)]\nuse crate::x::*;\n"
    assert _insert(before, "crate::identifier::Identifier") == (
        b"use crate::alloc::vec::Vec;\nuse crate::identifier::Identifier;\nuse core::str::FromStr;\n"
        b"\n#[allow(unused)]\nuse crate::x::*;\n"
    )
    assert sort_key("crate::a") < sort_key("core::a") < sort_key("std::a")
    assert sort_key("std::fmt") < sort_key("std::Foo") < sort_key("std::FOO")


def test_an_unsorted_run_takes_the_line_at_its_end() -> None:
    before = b"use alloc::vec::Vec;\nuse alloc::string::String;\n\nfn f() {}\n"
    assert _insert(before, "alloc::borrow::Cow") == (
        b"use alloc::vec::Vec;\nuse alloc::string::String;\nuse alloc::borrow::Cow;\n\nfn f() {}\n"
    )


def test_the_run_that_shares_the_path_wins() -> None:
    before = b"use std::fmt;\nuse std::io;\n\nuse crate::a::B;\nuse crate::c::D;\n\nfn f() {}\n"
    assert _insert(before, "crate::b::C") == (
        b"use std::fmt;\nuse std::io;\n\nuse crate::a::B;\nuse crate::b::C;\nuse crate::c::D;\n\nfn f() {}\n"
    )


def test_a_first_import_goes_after_the_header_and_its_blank_line() -> None:
    before = b"//! Doc one.\n//! Doc two.\n\n\npub trait T {}\n"
    assert _insert(before, "std::iter::Peekable") == (
        b"//! Doc one.\n//! Doc two.\n\nuse std::iter::Peekable;\n\npub trait T {}\n"
    )
    assert use_position(b"fn main() {}\n", "std::fmt") == 0


def _cand(cid: str, at: int, line: str, score: float) -> Candidate:
    edit = Edit(file="src/lib.rs", start=at, end=at, replacement=line)
    return Candidate(id=cid, edits=(edit,), description=line, source="rustc", family="f", score=score)


def test_rustc_and_the_template_become_one_candidate_and_the_crates_root_goes_first() -> None:
    src = b"use std::ops::Add;\n\nimpl Adler32 {}\n\nmod inner {\n    use crate::Adler32;\n}\n"
    files = {"src/lib.rs": src}
    cands = [
        _cand("rustc-bare", 0, "use Adler32;\n", 0.6),
        _cand("rustc-crate", 0, "use crate::Adler32;\n", 0.6),
        _cand("template", len(b"use std::ops::Add;\n"), "use crate::Adler32;\n", 0.55),
        _cand("nested", src.index(b"    use"), "    use x::Y;\n", 0.5),
    ]
    out = place_imports(cands, files.get, ("src/lib.rs",))
    assert out[1].id == out[2].id and out[1].edits == (
        Edit(file="src/lib.rs", start=0, end=0, replacement="use crate::Adler32;\n"),
    )
    assert out[1].score > out[0].score  # `crate::` is a root the crate imports from; bare `Adler32` is not
    assert out[3] == cands[3]  # inside a module: not a top-level import, left alone


def _crate(root: Path, lib: str) -> Path:
    (root / "src").mkdir(parents=True)
    (root / "Cargo.toml").write_text('[package]\nname = "demo"\nversion = "0.1.0"\nedition = "2021"\n')
    (root / "src" / "lib.rs").write_text(lib)
    return root


def test_cargo_a_lost_use_in_a_sorted_block_comes_back_exactly(tmp_path: Path) -> None:
    lib = (
        "//! Counting words.\n\n"
        "use std::collections::BTreeMap;\nuse std::collections::HashMap;\nuse std::fmt::Write;\n\n"
        "pub fn count(s: &str) -> String {\n"
        "    let mut m: HashMap<&str, usize> = HashMap::new();\n"
        "    for w in s.split(' ') { *m.entry(w).or_default() += 1; }\n"
        "    let sorted: BTreeMap<_, _> = m.into_iter().collect();\n"
        "    let mut out = String::new();\n"
        '    for (w, n) in sorted { write!(out, "{w}={n} ").unwrap(); }\n'
        "    out\n}\n\n"
        '#[test]\nfn counts() { assert_eq!(count("a b a"), "a=2 b=1 "); }\n'
    )
    root = _crate(tmp_path / "words", lib.replace("use std::collections::HashMap;\n", ""))
    result = repair(root, budget=6)
    assert result.status == "fixed", result.message
    assert dict(result.files)["src/lib.rs"].decode() == lib
    assert result.validations == 1
    (root / "src" / "lib.rs").write_text(lib)
    assert run_test(root).status == "passed"


def test_cargo_a_lost_only_import_comes_back_under_the_header(tmp_path: Path) -> None:
    lib = (
        "//! Peeking.\n\n"
        "use std::iter::Peekable;\n\n"
        "pub fn first_two<I: Iterator<Item = u8>>(it: &mut Peekable<I>) -> Option<(u8, u8)> {\n"
        "    let a = it.next()?;\n    let b = *it.peek()?;\n    Some((a, b))\n}\n\n"
        "#[test]\nfn two() { assert_eq!(first_two(&mut vec![1u8, 2].into_iter().peekable()), Some((1, 2))); }\n"
    )
    root = _crate(tmp_path / "peek", lib.replace("use std::iter::Peekable;\n", ""))
    result = repair(root, budget=6)
    assert result.status == "fixed", result.message
    assert dict(result.files)["src/lib.rs"].decode() == lib
