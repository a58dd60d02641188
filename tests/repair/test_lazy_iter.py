"""A collection's method on a lazy iterator adapter (E0599 `len` on `Filter<I, P>`): collect where
the binding is made, count, or collect before the call. Real cargo on crates written here."""

from __future__ import annotations

from pathlib import Path

from engine.edits import apply_edits
from engine.repair.lazy_iter import FAMILY, collect_or_count
from tests.explain.crates import write_lib
from toolbelt.cargo_run import run_check

REPORT = """pub fn report(lines: &[String]) -> String {
    let errors = lines.iter().filter(|l| l.starts_with('E'));
    let n = errors.len();
    let mut out = format!("{n} errors\\n");
    for e in errors {
        out.push_str(e);
    }
    out
}
"""

# no binding to collect at: the adapter is a temporary (a `Map` of a slice knows its length; a
# `Filter` cannot)
BIG = """pub fn big_count(xs: &[u32]) -> usize {
    xs.iter().filter(|x| **x > 2).len()
}
"""


def _fixes(tmp: Path, name: str, src: str) -> tuple[Path, list[str], list[bool]]:
    root = write_lib(tmp, name, src)
    [d] = [d for d in run_check(root, target_dir=tmp / "target").diagnostics if d.code_str == "E0599"]
    source = (root / "src" / "lib.rs").read_bytes()
    cands = collect_or_count(d, lambda _p: source)
    assert cands and all(c.family == FAMILY for c in cands)
    texts, green = [], []
    for c in cands:
        patched = apply_edits(source, c.edits).decode()
        (root / "src" / "lib.rs").write_text(patched)
        texts.append(patched)
        green.append(run_check(root, target_dir=tmp / "target").status == "clean")
    (root / "src" / "lib.rs").write_bytes(source)
    return root, texts, green


def test_a_local_adapter_is_collected_where_it_is_made_so_the_loop_after_still_has_the_items(
    tmp_path: Path,
) -> None:
    _, texts, green = _fixes(tmp_path, "report", REPORT)
    assert ".filter(|l| l.starts_with('E')).collect::<Vec<_>>();" in texts[0]
    assert green[0]
    # counting consumes `errors`, which the loop still needs: the sandbox must say no
    count = texts.index(next(t for t in texts if "errors.count()" in t))
    assert not green[count]


def test_a_temporary_adapter_is_counted(tmp_path: Path) -> None:
    _, texts, green = _fixes(tmp_path, "big", BIG)
    assert "xs.iter().filter(|x| **x > 2).count()" in texts[0] and green[0]
    assert len(texts) == 2  # count, and collect before the call; no `let` to collect at
