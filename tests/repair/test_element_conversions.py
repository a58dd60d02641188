"""`collect()` into a collection whose element type differs from the owned items' type: one element
adapter before `collect`, chosen from rustc's two types (a number into its text, another owned type
through `From`), fixes it without touching the declared type. Real cargo on two crates written
here; a pair with no `From` impl gets the adapter too, and the check says it fails."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.edits import apply_edits
from engine.repair.design import collect_items
from engine.repair.targets import errors_of
from tests.explain.crates import write_lib
from toolbelt.cargo_run import run_check

WIDEN = """pub fn totals(parts: &[u32]) -> u64 {
    let wide: Vec<u64> = parts.iter().copied().collect();
    wide.iter().sum()
}
"""

LABELS = """pub fn labels(ids: &[u16]) -> String {
    let names: Vec<String> = ids.iter().copied().filter(|i| *i > 0).collect();
    names.join("-")
}
"""

NARROW = """pub fn small(parts: &[u64]) -> usize {
    let v: Vec<u8> = parts.iter().copied().collect();
    v.len()
}
"""


@pytest.mark.parametrize(
    ("name", "src", "adapter", "compiles"),
    [
        ("widen", WIDEN, ".map(Into::into)", True),
        ("labels", LABELS, ".map(|x| x.to_string())", True),
        ("narrow", NARROW, ".map(Into::into)", False),  # no `From<u64> for u8`: the sandbox refuses it
    ],
)
def test_an_element_adapter_from_the_two_types(
    tmp_path: Path, name: str, src: str, adapter: str, compiles: bool
) -> None:
    root = write_lib(tmp_path, name, src)
    target = tmp_path / "target"
    d = next(e for e in errors_of(run_check(root, target_dir=target)) if "cannot be built" in e.message)
    cands = [c for c in collect_items(d, lambda _: src.encode()) if adapter in c.edits[0].replacement]
    assert cands, [c.description for c in collect_items(d, lambda _: src.encode())]
    new = apply_edits(src.encode(), list(cands[0].edits)).decode()
    assert f"{adapter}.collect()" in new, new
    (root / "src" / "lib.rs").write_text(new)
    assert (not errors_of(run_check(root, target_dir=target))) is compiles, new
