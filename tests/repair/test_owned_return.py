"""E0515 `&local` returned where the local already holds the owned type: the function returns the
local itself (a move), never a second copy through `.to_string()`/`.to_vec()`. Real cargo on a crate
written here."""

from __future__ import annotations

from pathlib import Path

from engine.edits import apply_edits
from engine.repair.owned_return import return_owned
from tests.explain.crates import write_lib
from toolbelt.cargo_run import run_check

SLUG = """pub fn slug(words: &[String]) -> &str {
    let joined = words.join("-").to_lowercase();
    &joined
}

pub fn evens(xs: &[u32]) -> &[u32] {
    let kept: Vec<u32> = xs.iter().copied().filter(|x| x % 2 == 0).collect();
    &kept
}

pub fn shout(text: &str) -> &str {
    let loud = text.to_uppercase();
    &loud[1..]
}
"""


def test_a_local_that_is_already_owned_is_moved_out_not_copied(tmp_path: Path) -> None:
    root = write_lib(tmp_path, "slug", SLUG)
    diags = [d for d in run_check(root, target_dir=tmp_path / "target").diagnostics if d.code_str == "E0515"]
    assert len(diags) == 3, [d.message for d in diags]
    source = (root / "src" / "lib.rs").read_bytes()
    cands = [c for d in diags for c in return_owned(d, lambda _p: source)]
    assert len(cands) == 3
    patched = apply_edits(source, tuple(e for c in cands for e in c.edits)).decode()
    assert '-> String {\n    let joined = words.join("-").to_lowercase();\n    joined\n}' in patched
    assert "-> Vec<u32> {" in patched and "    kept\n}" in patched
    assert "loud[1..].to_string()" in patched  # a slice of the local: only a copy owns it
    assert "already is" in cands[0].description and "`joined`" in cands[0].description
    (root / "src" / "lib.rs").write_text(patched)
    assert run_check(root, target_dir=tmp_path / "target").status == "clean"
