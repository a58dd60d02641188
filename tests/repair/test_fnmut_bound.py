"""A closure that changes its capture, passed where the bound says `Fn` (E0594/E0596): the bound
becomes `FnMut` and the parameter binding `mut`, one patch. Real cargo on a crate written here."""

from __future__ import annotations

from pathlib import Path

from engine.edits import apply_edits
from engine.repair.fnmut_bound import fnmut_bound
from tests.explain.crates import write_lib
from toolbelt.cargo_run import run_check

TALLY = """pub fn each_line<G>(text: &str, visit: G)
where
    G: Fn(&str),
{
    for line in text.lines() {
        visit(line);
    }
}

pub fn twice(step: impl Fn(u8) -> u8) -> u8 {
    step(1) + step(2)
}

pub fn count(text: &str) -> (usize, u8) {
    let mut lines = 0;
    each_line(text, |_l| lines += 1);
    let mut seen = Vec::new();
    let last = twice(|x| {
        seen.push(x);
        x
    });
    (lines, last)
}
"""


def test_the_bound_becomes_fnmut_and_the_binding_mut_together(tmp_path: Path) -> None:
    root = write_lib(tmp_path, "tally", TALLY)
    diags = [
        d
        for d in run_check(root, target_dir=tmp_path / "target").diagnostics
        if d.code_str in ("E0594", "E0596")
    ]
    assert len(diags) == 2
    source = (root / "src" / "lib.rs").read_bytes()
    cands = [c for d in diags for c in fnmut_bound(d, lambda _p: source)]
    assert len(cands) == 2 and all(len(c.edits) == 2 for c in cands)
    patched = apply_edits(source, tuple(e for c in cands for e in c.edits)).decode()
    assert "(text: &str, mut visit: G)" in patched and "G: FnMut(&str)," in patched
    assert "twice(mut step: impl FnMut(u8) -> u8)" in patched
    (root / "src" / "lib.rs").write_text(patched)
    assert run_check(root, target_dir=tmp_path / "target").status == "clean"


def test_bound_alone_does_not_compile(tmp_path: Path) -> None:
    """Why the binding's `mut` belongs to the patch: the bound alone leaves E0596 on the parameter."""
    root = write_lib(
        tmp_path,
        "tally",
        TALLY.replace("G: Fn(&str)", "G: FnMut(&str)").split("pub fn twice")[0]
        + "pub fn count(text: &str) -> usize {\n    let mut n = 0;\n    each_line(text, |_l| n += 1);\n    n\n}\n",
    )
    codes = [
        d.code_str for d in run_check(root, target_dir=tmp_path / "target").diagnostics if d.level == "error"
    ]
    assert codes == ["E0596"]
