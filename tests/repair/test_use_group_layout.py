"""A restored `use` follows the file's own layout: its import groups, its import block (#15)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from engine.gym.families import removed_use_item
from engine.gym.mutate import apply
from engine.repair.placement import place_imports, sort_key, wrapped
from engine.repair.search import repair
from engine.repair.types import Candidate, Edit
from engine.repair.use_groups import _member
from tests.explain.crates import write_lib


def _placed(src: bytes, line: str) -> bytes:
    files = {"src/lib.rs": src}
    cand = Candidate(
        id="c",
        edits=(Edit(file="src/lib.rs", start=0, end=0, replacement=line),),
        description=line,
        source="rustc",
        family="use-group",
        score=0.6,
    )
    (out,) = place_imports([cand], files.get, ("src/lib.rs",))
    (e,) = out.edits
    return src[: e.start] + e.replacement.encode() + src[e.end :]


def test_an_external_import_comes_back_as_its_own_group_between_std_and_crate() -> None:
    before = b"use std::vec::IntoIter;\n\n\nuse crate::a::{B, C};\n\nfn f() {}\n"
    out = _placed(before, "use proc_macro::{Group, Literal};\n")
    assert (
        out
        == b"use std::vec::IntoIter;\n\nuse proc_macro::{Group, Literal};\n\nuse crate::a::{B, C};\n\nfn f() {}\n"
    )
    # never removed: the new group brings its own blank line
    fresh = b"use std::vec::IntoIter;\n\nuse crate::a::{B, C};\n\nfn f() {}\n"
    assert _placed(fresh, "use proc_macro::{Group, Literal};\n") == out


def test_a_file_of_one_run_shows_no_grouping_and_the_import_joins_it_sorted() -> None:
    src = b"use std::cmp;\nuse std::slice;\n\nfn f() {}\n"
    assert _placed(src, "use crate::a::{B, C};\n").startswith(b"use crate::a::{B, C};\nuse std::cmp;\n")


def test_a_use_below_code_is_not_the_import_block() -> None:
    src = b"use std::cmp;\n\nmod checksum;\n\nstatic X: u8 = 0;\n\nenum State { A }\nuse self::State::*;\n"
    out = _placed(src, "use checksum::{adler32, Checksum};\n")
    assert out.index(b"use checksum") < out.index(b"static X")


def test_a_wrapped_use_counts_as_part_of_its_run() -> None:
    src = b"use crate::ops::{\n    Add, Sub,\n};\nuse crate::zz::Z;\n\nfn f() {}\n"
    out = _placed(src, "use crate::types::{A, B};\n")
    assert (
        out
        == b"use crate::ops::{\n    Add, Sub,\n};\nuse crate::types::{A, B};\nuse crate::zz::Z;\n\nfn f() {}\n"
    )


def test_a_no_std_crate_takes_cores_modules_from_core_and_allocs_from_alloc() -> None:
    lib = b'#![cfg_attr(not(feature = "std"), no_std)]\nextern crate alloc;\nuse alloc::vec::Vec;\nuse core::fmt;\n'
    src = b"use core::cmp::Ordering;\n\nfn f() {}\n"
    files = {"src/lib.rs": lib, "src/a.rs": src}
    line = "use std::hash::{Hash, Hasher};\nuse std::string::String;\nuse std::collections::HashMap;\n"
    cand = Candidate(
        id="c", edits=(Edit(file="src/a.rs", start=0, end=0, replacement=line),), description="",
        source="rustc", family="use-group", score=0.6,
    )  # fmt: skip
    (out,) = place_imports([cand], files.get, ("src/lib.rs", "src/a.rs"))
    text = "".join(e.replacement for e in out.edits)
    assert "use core::hash::{Hash, Hasher};" in text and "use alloc::string::String;" in text
    assert "use std::collections::HashMap;" in text  # not core's nor alloc's: as rustc wrote it
    # a crate that links std: only a module the file already takes from core moves there
    (plain,) = place_imports(
        [cand], {**files, "src/lib.rs": b"use core::fmt;\n"}.get, ("src/lib.rs", "src/a.rs")
    )
    text = "".join(e.replacement for e in plain.edits)
    assert "use std::hash::{Hash, Hasher};" in text
    src2 = b"use core::hash::BuildHasher;\n\nfn f() {}\n"
    (own,) = place_imports([cand], {"src/lib.rs": b"", "src/a.rs": src2}.get, ("src/lib.rs", "src/a.rs"))
    assert "use core::hash::{Hash, Hasher};" in "".join(e.replacement for e in own.edits)


HASHED = """use core::num::ParseIntError;
use core::num::{NonZeroU32, Wrapping};

use crate::shapes::Circle;

pub mod shapes {
    pub struct Circle(pub u32);
}

pub fn parse(s: &str, c: &Circle) -> Result<Option<NonZeroU32>, ParseIntError> {
    let w = Wrapping(s.parse::<u32>()?) + Wrapping(c.0);
    Ok(NonZeroU32::new(w.0))
}
"""


def test_real_cargo_restores_the_item_from_the_root_the_file_takes_its_module_from(tmp_path: Path) -> None:
    """rustc names `std::num::Wrapping`; the file takes `num` from core, so the item comes back as it was."""
    (m,) = [m for m in removed_use_item("src/lib.rs", HASHED) if m.original.startswith("use core::num::{")]
    root = write_lib(tmp_path, "hashed", apply(HASHED.encode(), m).decode())
    result = repair(root, budget=6, run_tests=False, rank_with_heads=False)
    assert result.status == "fixed", result.message
    assert dict(result.files)["src/lib.rs"].decode() == HASHED


def _rustfmt(tmp_path: Path, src: str) -> str:
    """What the installed rustfmt (style edition 2021) makes of `src`. rustfmt is part of the toolchain
    the project needs (README; `rusta doctor` checks it), so its absence fails here, never skips."""
    rustfmt = shutil.which("rustfmt")
    assert rustfmt is not None, "rustfmt is not on PATH: `rustup component add rustfmt`"
    (tmp_path / "a.rs").write_text(src)
    return subprocess.run(
        [rustfmt, "--edition", "2021", "--emit", "stdout", str(tmp_path / "a.rs")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def test_lines_and_names_sort_as_the_installed_rustfmt_sorts_them(tmp_path: Path) -> None:
    """rustfmt's own answer, style edition 2021: names before a glob before a list; inside braces
    `self` first, then snake_case, CamelCase, UPPER_SNAKE (a one-letter capital is upper snake)."""
    paths = ["a::{X, Y}", "a::*", "a::Z", "a::b", "std::io::Read", "std::{env, io}", "crate::x::Y", "a::B_C"]
    names = ["self", "c", "f_g", "Ab", "AB", "B", "D_E", "x2", "X2"]
    src = "".join(f"use {p};\n" for p in reversed(paths)) + f"use q::{{{', '.join(reversed(names))}}};\n"
    out = _rustfmt(tmp_path, src)
    lines = [ln for ln in out.splitlines() if ln.startswith("use ") and not ln.startswith("use q::")]
    assert lines == [f"use {p};" for p in sorted(paths, key=sort_key)]
    listed = out.split("use q::{", 1)[1].split("}", 1)[0]
    assert [n.strip() for n in listed.split(",")] == sorted(names, key=_member)


def test_a_list_wider_than_rustfmts_width_is_wrapped_as_rustfmt_wraps_it(tmp_path: Path) -> None:
    short = "use core::ops::{Add, BitAnd, BitOr, BitXor, Div, Mul, Neg, Rem, Shl, Shr, Sub};\n"
    assert wrapped(short) == short
    for n in (10, 30):
        names = ", ".join(f"Name{i:02d}Long" for i in range(n))  # in rustfmt's order already
        line = f"use crate::type_operators::{{{names}}};\n"
        out = _rustfmt(tmp_path, line)
        assert wrapped(line) == out[out.index("use ") :]  # after rustfmt's `file:` header
