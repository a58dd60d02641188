"""When the app times a patch: a benchmark covers a change to a library file under src/ of a crate
with benches/, and nothing else (the one line the proofs list shows when no bench runs)."""

from __future__ import annotations

from pathlib import Path

from engine.patching.types import Patch
from engine.proofs.crate_benches import uncovered
from tests.proofs.crates import diff_of, make_crate

LIB = "pub fn one() -> u32 {\n    1\n}\n"
MAIN = 'fn main() {\n    println!("{}", c::one());\n}\n'


def test_a_crate_without_benches_says_no_benchmark_covers_the_code(tmp_path: Path) -> None:
    crate = make_crate(tmp_path / "c", LIB, name="c")
    patch = Patch.new(diff_of(crate, LIB.replace("1\n", "2\n")), "two")
    assert uncovered(crate, patch) == "no benchmark covers this code: the crate has no benches/"


def test_benches_cover_library_files_not_the_binary(tmp_path: Path) -> None:
    (tmp_path / "c" / "benches").mkdir(parents=True)
    crate = make_crate(tmp_path / "c", LIB, name="c", extra={"benches/b.rs": MAIN, "src/main.rs": MAIN})
    assert uncovered(crate, Patch.new(diff_of(crate, LIB.replace("1\n", "2\n")), "two")) == ""
    from engine.edits import unified_diff

    bin_diff = unified_diff(
        {"src/main.rs": MAIN.encode()}, {"src/main.rs": MAIN.replace("one", "one ").encode()}
    )
    assert uncovered(crate, Patch.new(bin_diff, "space")) == (
        "no benchmark covers this code: the patch changes no library file under src/"
    )
