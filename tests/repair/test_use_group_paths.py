"""A lost multi-name `use` comes back with the path and layout the file had (#15): the names an error
binds through a module or a trait, the module the file imports from, the crate's rustfmt settings,
rustfmt's width, a doc note left above the lost import. Unit strings, then real cargo."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from engine.gym.families import removed_use_item
from engine.gym.mutate import apply
from engine.repair.placement import after_mod, place_imports, rustfmt_config, use_position, wrapped
from engine.repair.search import repair
from engine.repair.types import Candidate, Edit
from engine.repair.use_groups import _ordered
from tests.explain.crates import write_lib


def _placed(files: dict[str, bytes], line: str, rel: str = "src/lib.rs") -> bytes:
    cand = Candidate(
        id="c", edits=(Edit(file=rel, start=0, end=0, replacement=line),), description=line,
        source="rustc", family="use-group", score=0.6,
    )  # fmt: skip
    (out,) = place_imports([cand], files.get, tuple(f for f in files if f.endswith(".rs")))
    src = files[rel]
    for e in sorted(out.edits, key=lambda e: -e.start):
        src = src[: e.start] + e.replacement.encode() + src[e.end :]
    return src


def _rustfmt(tmp_path: Path, src: str, *config: str) -> str:
    rustfmt = shutil.which("rustfmt")
    assert rustfmt is not None, "rustfmt is not on PATH: `rustup component add rustfmt`"
    (tmp_path / "a.rs").write_text(src)
    args = [rustfmt, "--edition", "2021", "--emit", "stdout", *(a for c in config for a in ("--config", c))]
    out = subprocess.run([*args, str(tmp_path / "a.rs")], capture_output=True, text=True, check=True).stdout
    return out[out.index("use ") :]


def test_rustfmt_keeps_a_list_on_one_line_only_up_to_two_under_max_width(tmp_path: Path) -> None:
    """97, 98, 99 and 100 characters at the default width, and a crate's own `max_width = 60`: the
    same answer as the installed rustfmt each time."""
    for width, config in ((100, ()), (60, ("max_width=60",))):
        for total in range(width - 4, width + 1):
            pad = "N" * (total - len("use crate::type_operators::{Abs, Cmp, Gcd, };"))
            line = f"use crate::type_operators::{{Abs, Cmp, Gcd, {pad}}};\n"
            assert len(line) - 1 == total
            assert wrapped(line, width) == _rustfmt(tmp_path, line, *config), (width, total)


def test_the_crates_rustfmt_settings_are_read_and_absent_means_defaults() -> None:
    files = {"rustfmt.toml": b"max_width = 60\nreorder_imports = false\n"}
    assert rustfmt_config(files.get) == {"max_width": 60, "reorder_imports": False}
    assert rustfmt_config({".rustfmt.toml": b"max_width = 80\n"}.get) == {"max_width": 80}
    none: dict[str, bytes] = {}
    assert rustfmt_config(none.get) == {}
    src = b"use std::io;\nuse std::cmp;\n\nfn f() {}\n"  # unsorted by hand, kept so by the setting
    line = "use std::fmt::{Alphabet, Betamax, Deltaforce, Gammaray, Omegastar};\n"
    out = _placed({"src/lib.rs": src, "rustfmt.toml": b"max_width = 60\n"}, line)
    assert b"use std::fmt::{\n    Alphabet, Betamax, Deltaforce, Gammaray, Omegastar,\n};\n" in out
    assert line.encode() in _placed({"src/lib.rs": src}, line)  # rustfmt's default width: one line
    sorted_src = b"use std::cmp;\nuse std::io;\n\nfn f() {}\n"
    assert use_position(sorted_src, "std::fmt") == sorted_src.index(b"use std::io")
    assert use_position(sorted_src, "std::fmt", reorder=False) == len(b"use std::cmp;\nuse std::io;\n")


def test_a_first_import_goes_back_under_the_doc_note_a_blank_line_parted_from_the_next_item() -> None:
    src = b"#![deny(warnings)]\n\n/// Only what main needs.\n\nfn main() {}\n"
    out = _placed({"src/main.rs": src}, "use std::io::{copy, stdin};\n", "src/main.rs")
    assert (
        out
        == b"#![deny(warnings)]\n\n/// Only what main needs.\nuse std::io::{copy, stdin};\n\nfn main() {}\n"
    )
    attached = b"//! crate\n\n/// Runs.\nfn main() {}\n"  # documents main: the import stays above it
    out = _placed({"src/main.rs": attached}, "use std::io::{copy, stdin};\n", "src/main.rs")
    assert out == b"//! crate\n\nuse std::io::{copy, stdin};\n\n/// Runs.\nfn main() {}\n"


def _restores(tmp_path: Path, name: str, files: dict[str, str], rel: str, lost: str) -> None:
    """Remove the item starting `lost` from `rel`; repair must write `rel` back byte for byte."""
    src = files[rel]
    (m,) = [m for m in removed_use_item(rel, src) if m.original.startswith(lost)]
    root = write_lib(tmp_path, name, files.get("src/lib.rs", ""))
    for f, text in files.items():
        (root / f).parent.mkdir(parents=True, exist_ok=True)
        (root / f).write_text(apply(text.encode(), m).decode() if f == rel else text)
    result = repair(root, budget=6, run_tests=False, rank_with_heads=False)
    assert result.status == "fixed", result.message
    assert dict(result.files)[rel].decode() == src
    assert result.validations == 1


PLATFORM = """use std::fmt;
use std::{env, io};

pub fn os_name() -> &'static str {
    env::consts::OS
}

pub fn refuse(why: &str) -> io::Result<()> {
    Err(io::Error::new(io::ErrorKind::Other, why.to_string()))
}

pub fn show(x: &dyn fmt::Debug) -> String {
    format!("{x:?}")
}
"""


def test_real_cargo_a_module_the_errors_reach_through_is_the_name_restored(tmp_path: Path) -> None:
    """`env::consts::OS` fails at `env`; rustc suggests `std::env::consts`. The lost item bound `env`."""
    _restores(tmp_path, "platform", {"src/lib.rs": PLATFORM}, "src/lib.rs", "use std::{env, io}")


LABELS = """#![no_std]
extern crate alloc;
extern crate std;

use alloc::string::{String, ToString};
use alloc::vec::Vec;

pub fn labels(ns: &[u8]) -> Vec<String> {
    ns.iter().map(|n| n.to_string()).collect()
}
"""


def test_real_cargo_a_trait_that_a_method_error_asks_for_joins_the_item(tmp_path: Path) -> None:
    """`to_string` not found (E0599) is answered by importing `ToString` (rustc: through the root's
    `extern crate std`); with `String` it is the one item the file had, from the root it uses."""
    _restores(tmp_path, "labels", {"src/lib.rs": LABELS}, "src/lib.rs", "use alloc::string::{")


OPS = """pub trait Double {
    fn double(self) -> Self;
}
pub trait Halve {
    fn halve(self) -> Self;
}
pub trait Negate {
    fn negate(self) -> Self;
}
"""
ALIASES = """use crate::ops::{Double, Halve};
use core::ops::Add;

pub fn twice<T: Double + Halve>(x: T) -> T {
    x.double().halve().double()
}

pub fn sum<T: Add<Output = T>>(a: T, b: T) -> T {
    a + b
}

use crate::ops::Negate;

pub fn flip<T: Negate>(x: T) -> T {
    x.negate()
}
"""


def test_real_cargo_the_module_the_file_imports_from_beats_a_root_re_export(tmp_path: Path) -> None:
    """rustc names `crate::Double` (the root's `pub use`); the file takes `Negate` from `crate::ops`,
    which defines all the lost names, so the item comes back from there."""
    lib = "mod aliases;\npub mod ops;\n\npub use aliases::{flip, twice};\npub use ops::{Double, Halve, Negate};\n"
    files = {"src/lib.rs": lib, "src/ops.rs": OPS, "src/aliases.rs": ALIASES}
    _restores(tmp_path, "aliases", files, "src/aliases.rs", "use crate::ops::{Double")


def test_a_file_that_pairs_mod_lines_with_their_imports_gets_the_import_under_its_mod() -> None:
    src = b"use std::cmp;\n\nmod sum;\n\nmod walk;\npub use self::walk::Walker;\n\nfn f() {}\n"
    assert after_mod(src, "sum::{total, Sum}") == src.index(b"\nmod walk")  # the line after `mod sum;`
    assert use_position(src, "self::sum::Sum") == src.index(b"\nmod walk")
    unpaired = b"use std::cmp;\n\nmod sum;\nmod walk;\n\nfn f() {}\n"  # imports kept in the top block
    assert after_mod(unpaired, "sum::Sum") is None
    assert use_position(unpaired, "sum::Sum") == len(b"use std::cmp;\n")


def test_names_follow_first_use_in_a_crate_whose_lists_rustfmt_never_sorted() -> None:
    user = b"mod sum;\n\nfn f(s: Sum) -> u32 {\n    total(s)\n}\n"
    for other, expected in (
        (b"use std::io::{self, Read, BufRead};\n", ["Sum", "total"]),  # hand-written lists: first use
        (b"use std::io::{self, BufRead, Read};\n", ["total", "Sum"]),  # rustfmt's order everywhere
    ):
        files = {"src/lib.rs": user, "src/other.rs": other}
        assert _ordered(["total", "Sum"], "src/lib.rs", files.get, tuple(files)) == expected
    assert _ordered(["Sum", "self"], "src/lib.rs", None, ()) == ["self", "Sum"]
