"""engine.edits: byte edits -> a unified diff that `git apply` accepts and that produces exactly the
edited bytes (UTF-8 offsets, several edits per file, multi-line spans, overlaps, additions, deletions)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.edits import (
    Edit,
    EditError,
    added_lines,
    apply_edits,
    diff_of_edits,
    diff_side,
    first_non_overlapping,
    suggestions,
    unified_diff,
    weakest,
)
from toolbelt.types import Diagnostic, Span


def _git_apply(tmp: Path, name: str, before: bytes, diff: str) -> bytes:
    repo = tmp / "repo"
    if repo.exists():
        subprocess.run(["rm", "-rf", str(repo)], check=True)
    (repo / Path(name).parent).mkdir(parents=True, exist_ok=True)
    (repo / name).write_bytes(before)
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    proc = subprocess.run(["git", "apply", "-"], cwd=repo, input=diff.encode(), capture_output=True)
    assert proc.returncode == 0, proc.stderr.decode() + "\n" + diff
    return (repo / name).read_bytes()


def test_multibyte_offsets_and_several_edits_in_one_file(tmp_path: Path) -> None:
    src = 'fn größe() {\n    let s = "é";\n    let v = Vec::new();\n}\n'.encode()
    # byte offsets, as rustc reports them: `let v` -> `let mut v`, `\"é\"` -> `\"é\".to_string()`
    v_at = src.index(b"let v") + 4
    lit_end = src.index('"é"'.encode()) + len('"é"'.encode())
    edits = [
        Edit(file="src/lib.rs", start=v_at, end=v_at, replacement="mut "),
        Edit(file="src/lib.rs", start=lit_end, end=lit_end, replacement=".to_string()"),
    ]
    after = apply_edits(src, edits)
    assert after.decode() == 'fn größe() {\n    let s = "é".to_string();\n    let mut v = Vec::new();\n}\n'
    diff = diff_of_edits({"src/lib.rs": src}, edits)
    assert _git_apply(tmp_path, "src/lib.rs", src, diff) == after
    assert weakest(["MachineApplicable", "MaybeIncorrect"]) == "MaybeIncorrect"


def test_multi_line_span_and_overlap(tmp_path: Path) -> None:
    src = b"a\nbb\nccc\ndddd\n"
    span_start, span_end = src.index(b"bb"), src.index(b"dddd")
    edits = [
        Edit(file="f.rs", start=span_start, end=span_end, replacement="X\n"),
        Edit(file="f.rs", start=span_start + 1, end=span_start + 2, replacement="Y"),  # overlaps: dropped
    ]
    with pytest.raises(EditError):
        apply_edits(src, edits)
    kept = first_non_overlapping(edits)
    after = apply_edits(src, kept)
    assert after == b"a\nX\ndddd\n"
    assert _git_apply(tmp_path, "f.rs", src, diff_of_edits({"f.rs": src}, kept)) == after


def test_no_newline_at_end_of_file(tmp_path: Path) -> None:
    src = b"let x = 1;"
    edits = [Edit(file="f.rs", start=4, end=4, replacement="mut ")]
    diff = diff_of_edits({"f.rs": src}, edits)
    assert "\\ No newline at end of file" in diff
    assert _git_apply(tmp_path, "f.rs", src, diff) == b"let mut x = 1;"


_text = st.text(alphabet=st.sampled_from(list("ab \n{}é→") + ["ß"]), min_size=1, max_size=60)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    _text,
    st.lists(
        st.tuples(st.integers(0, 80), st.integers(0, 6), st.text(alphabet="xyé\n", max_size=5)), max_size=4
    ),
)
def test_diff_reproduces_edits(tmp_path: Path, text: str, raw: list[tuple[int, int, str]]) -> None:
    src = text.encode()
    # offsets on character boundaries, as rustc gives them
    bounds = sorted({len(text[:i].encode()) for i in range(len(text) + 1)})
    edits = []
    for start_i, length, repl in raw:
        a = bounds[start_i % len(bounds)]
        b = bounds[min(bounds.index(a) + length, len(bounds) - 1)]
        edits.append(Edit(file="f.rs", start=a, end=b, replacement=repl))
    edits = first_non_overlapping(edits)
    after = apply_edits(src, edits)
    diff = diff_of_edits({"f.rs": src}, edits)
    if after == src:
        assert diff == ""
    else:
        assert _git_apply(tmp_path, "f.rs", src, diff) == after


def test_added_and_deleted_files_round_trip_through_git_apply(tmp_path: Path) -> None:
    repo = tmp_path / "r"
    repo.mkdir()
    (repo / "old.rs").write_bytes(b"fn gone() {}\n")
    diff = unified_diff(
        {"old.rs": b"fn gone() {}\n", "new.rs": None}, {"old.rs": None, "new.rs": b"fn x() {}"}
    )
    assert "--- /dev/null" in diff and "+++ /dev/null" in diff
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    proc = subprocess.run(["git", "apply", "-"], cwd=repo, input=diff.encode(), capture_output=True)
    assert proc.returncode == 0, proc.stderr.decode()
    assert not (repo / "old.rs").exists() and (repo / "new.rs").read_bytes() == b"fn x() {}"


def _span(file: str, start: int, end: int, repl: str | None, app: str = "MaybeIncorrect") -> Span:
    return Span(
        file_name=file,
        byte_start=start,
        byte_end=end,
        line_start=1,
        line_end=1,
        column_start=start + 1,
        column_end=end + 1,
        is_primary=False,
        suggested_replacement=repl,
        suggestion_applicability=app if repl is not None else None,
    )


def _diag(*children: tuple[str, tuple[Span, ...]]) -> Diagnostic:
    kids = tuple(Diagnostic(message=m, level="help", spans=spans) for m, spans in children)
    return Diagnostic(message="mismatched types", level="error", children=kids)


def test_alternatives_at_one_place_are_separate_suggestions_and_spread_spans_are_one() -> None:
    alternatives = (_span("src/a.rs", 4, 5, "x.clone()"), _span("src/a.rs", 4, 5, "&x"))
    together = (_span("src/a.rs", 0, 1, "y", "MachineApplicable"), _span("src/b.rs", 9, 10, "y"))
    found = suggestions(_diag(("try one of", alternatives), ("rename both", together)))
    assert [len(s.edits) for s in found] == [1, 1, 2]
    assert [s.edits[0].replacement for s in found[:2]] == ["x.clone()", "&x"]
    assert found[2].applicability == "MaybeIncorrect"  # a combined edit is as good as its weakest part


def test_suggestions_outside_the_users_crate_are_never_edits() -> None:
    std = _span("/rustc/abc/library/core/src/fmt/mod.rs", 1, 2, "z")
    reg = _span("/root/.cargo/registry/src/x-1.0/src/lib.rs", 1, 2, "z")
    assert suggestions(_diag(("std", (std,)), ("registry", (reg,)))) == []


def test_edit_is_a_frozen_struct_that_crosses_layers() -> None:
    e = Edit(file="src/lib.rs", start=1, end=2, replacement="x")
    assert msgspec.json.decode(msgspec.json.encode(e), type=Edit) == e


def test_a_help_that_begins_if_you_joins_the_help_before_it() -> None:
    from engine.edits import Edit as E
    from engine.edits import Suggestion, _joined_dependents

    ret = Suggestion(
        message="you could change the return type", edits=(E(file="a.rs", start=0, end=4, replacement="Box"),)
    )
    box = Suggestion(
        message="if you change the return type to expect trait objects, box the returned expressions",
        edits=(
            E(file="a.rs", start=10, end=10, replacement="Box::new("),
            E(file="a.rs", start=20, end=20, replacement=")"),
        ),
    )
    other = Suggestion(
        message="consider borrowing here", edits=(E(file="a.rs", start=30, end=30, replacement="&"),)
    )
    (joined, alone) = _joined_dependents([ret, box, other])
    assert len(joined.edits) == 3 and joined.message.startswith("you could change") and alone == other
    clash = Suggestion(
        message="if you do it here too", edits=(E(file="a.rs", start=2, end=3, replacement="x"),)
    )
    assert _joined_dependents([ret, clash]) == [ret, clash]  # overlapping edits cannot be one fix


def test_a_diffs_sides_are_the_lines_it_writes_and_drops_never_its_file_headers() -> None:
    before = {"src/lib.rs": b"fn f(x: u64) -> u32 {\n    x\n}\n"}
    edits = [Edit(file="src/lib.rs", start=26, end=27, replacement="let n = x as u32;\n\n    n")]
    diff = diff_of_edits(before, edits)
    assert diff.startswith("--- a/src/lib.rs\n+++ b/src/lib.rs\n")
    assert diff_side(diff, "-") == ["    x"]
    assert diff_side(diff, "+") == ["    let n = x as u32;", "", "    n"]
    assert added_lines(diff) == ("    let n = x as u32;", "    n")  # what an option shows: no blank line


SCALES = """pub mod weights {
    pub trait Kilos {
        fn kilos(&self) -> f64;
    }

    impl Kilos for u32 {
        fn kilos(&self) -> f64 {
            f64::from(*self) / 1000.0
        }
    }
}

pub mod report {
    use std::fmt::Write;

    pub fn line(grams: u32) -> String {
        let mut s = String::new();
        let _ = write!(s, "{:.1} kg", grams.kilos());
        s
    }
}
"""


def test_a_use_inserted_in_a_mod_keeps_the_mod_indentation(tmp_path) -> None:
    """rustc inserts `use crate::weights::Kilos;\\n` at the mod's first `use`, after its indentation
    (review A a17): applied as is, the pushed-down `use std::fmt::Write;` started at column 1. Real
    cargo on a crate written here: the suggestion applied gives both lines the mod's indentation
    and the crate compiles."""
    import subprocess

    from engine.edits import apply_edits, suggestions
    from tests.explain.crates import errors_of, write_lib

    root = write_lib(tmp_path, "scales", SCALES)
    (d,) = [d for d in errors_of(root, tmp_path) if d.code_str == "E0599"]
    sug = next(s for s in suggestions(d) if "Kilos" in s.edits[0].replacement)
    src = (root / "src/lib.rs").read_bytes()
    new = apply_edits(src, sug.edits).decode()
    assert "\n    use crate::weights::Kilos;\n    use std::fmt::Write;\n" in new, new
    (root / "src/lib.rs").write_text(new)
    assert errors_of(root, tmp_path) == []
    fmt = subprocess.run(
        ["rustfmt", "--check", "--edition", "2021", "src/lib.rs"], cwd=root, capture_output=True
    )
    assert fmt.returncode == 0, fmt.stdout
