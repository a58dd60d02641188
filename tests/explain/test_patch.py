"""Suggested patches: rustc's replacement spans -> a unified diff that `git apply` accepts and that
produces exactly the edited bytes (UTF-8 offsets, several edits per file, multi-line spans)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.explain.api import explain_report
from engine.explain.patch import Edit, apply_edits, unified_diff, weakest
from toolbelt.types import CheckReport


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
        Edit("src/lib.rs", v_at, v_at, "mut ", "MachineApplicable"),
        Edit("src/lib.rs", lit_end, lit_end, ".to_string()", "MaybeIncorrect"),
    ]
    after = apply_edits(src, edits)
    assert after.decode() == 'fn größe() {\n    let s = "é".to_string();\n    let mut v = Vec::new();\n}\n'
    diff = unified_diff({"src/lib.rs": src}, edits)
    assert _git_apply(tmp_path, "src/lib.rs", src, diff) == after
    assert weakest(e.applicability for e in edits) == "MaybeIncorrect"


def test_multi_line_span_and_overlap(tmp_path: Path) -> None:
    src = b"a\nbb\nccc\ndddd\n"
    span_start, span_end = src.index(b"bb"), src.index(b"dddd")
    edits = [
        Edit("f.rs", span_start, span_end, "X\n", "MachineApplicable"),
        Edit("f.rs", span_start + 1, span_start + 2, "Y", "MachineApplicable"),  # overlaps: dropped
    ]
    after = apply_edits(src, edits)
    assert after == b"a\nX\ndddd\n"
    assert _git_apply(tmp_path, "f.rs", src, unified_diff({"f.rs": src}, edits)) == after


def test_no_newline_at_end_of_file(tmp_path: Path) -> None:
    src = b"let x = 1;"
    edits = [Edit("f.rs", 4, 4, "mut ", "MachineApplicable")]
    diff = unified_diff({"f.rs": src}, edits)
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
        edits.append(Edit("f.rs", a, b, repl, "MaybeIncorrect"))
    after = apply_edits(src, edits)
    diff = unified_diff({"f.rs": src}, edits)
    if after == src:
        assert diff == ""
    else:
        assert _git_apply(tmp_path, "f.rs", src, diff) == after


@pytest.mark.slow
@pytest.mark.xdist_group("explain-engine")
@pytest.mark.parametrize(
    ("code", "applicability", "added"),
    [("E0382", "MachineApplicable", ".clone()"), ("E0596", "MachineApplicable", "let mut v")],
)
def test_rustc_suggestions_become_patches(
    mixed: CheckReport, code: str, applicability: str, added: str
) -> None:
    (e,) = [e for e in explain_report(mixed) if e.code == code]
    assert e.patch is not None and e.patch.source == "rustc"
    assert e.patch.applicability == applicability
    assert any(ln.startswith("+") and added in ln for ln in e.patch.diff.splitlines())


@pytest.mark.slow
@pytest.mark.xdist_group("explain-engine")
def test_maybe_incorrect_suggestion_keeps_its_applicability(mixed: CheckReport) -> None:
    e = next(e for e in explain_report(mixed) if e.code == "E0308" and e.primary.line == 12)
    assert e.patch is not None and e.patch.applicability == "MaybeIncorrect"
    assert "+    42.to_string()" in e.patch.diff


@pytest.mark.slow
@pytest.mark.xdist_group("explain-engine")
def test_no_suggestion_no_patch(mixed: CheckReport) -> None:
    e = next(e for e in explain_report(mixed) if e.code == "E0502")
    assert e.patch is None
