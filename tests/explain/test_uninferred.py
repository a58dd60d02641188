"""A `let` whose type rustc cannot infer (E0282/E0283) gets its type from a typed fact: rustc's
element type for a `sum`/`product`, the function's return type when the binding is returned, or a
`collect::<Vec<_>>()`; with no fact there is no patch and the missing fact is named. Real cargo on
crates written here; every patch is applied and compiled, and the crate's own test runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.edits import apply_edits
from engine.explain.uninferred import annotated_binding
from tests.explain.crates import cargo_test, errors_of, write_lib

# a product over `&i32` elements, then a cast: nothing but the element type names the result
PRODUCT = """pub fn scaled(weights: &[i32]) -> f32 {
    let factor = weights.iter().filter(|w| **w != 0).product();
    factor as f32 * 0.5
}

#[cfg(test)]
mod tests {
    #[test]
    fn halves() {
        assert_eq!(super::scaled(&[2, 0, 3]), 3.0);
    }
}
"""

# the binding is the function's tail: the declared return type is its type
RETURNED = """pub fn widths(cols: &str) -> Vec<usize> {
    let w = cols.split('|').map(|c| c.trim().len()).collect();
    if w.is_empty() {
        return vec![0];
    }
    w
}
"""

# nothing names what `parse` should give: no patch, and the story learns which fact is missing
PARSED = """pub fn doubled(text: &str) -> String {
    let n = text.trim().parse().unwrap();
    format!("{}", n)
}
"""


@pytest.mark.slow
def test_product_gets_the_element_type_rustc_names(tmp_path: Path) -> None:
    root = write_lib(tmp_path, "product", PRODUCT)
    errs = errors_of(root, tmp_path)
    assert [d.code_str for d in errs] == ["E0282"], errs
    cands, missing = annotated_binding(errs[0], root)
    assert missing is None
    assert [c.family for c in cands] == ["annotate-let", "turbofish"], cands
    for c in cands:  # rustc's E0282 names no element type: the probe found it, and the words say so
        assert "type-of probe" in c.description and "rustc says" not in c.description, c.description
    lib = root / "src" / "lib.rs"
    wanted = ["let factor: i32 = weights", ".product::<i32>()"]
    for c, text in zip(cands, wanted, strict=True):
        lib.write_bytes(apply_edits(PRODUCT.encode(), list(c.edits)))
        assert text in lib.read_text()
        assert not errors_of(root, tmp_path), c.description
        tests = cargo_test(root)
        assert tests.returncode == 0, tests.stderr


@pytest.mark.slow
def test_a_returned_binding_takes_the_return_type(tmp_path: Path) -> None:
    root = write_lib(tmp_path, "returned", RETURNED)
    errs = errors_of(root, tmp_path)
    assert errs and errs[0].code_str in ("E0282", "E0283"), errs
    cands, _ = annotated_binding(errs[0], root)
    assert cands and cands[0].family == "annotate-let", cands
    lib = root / "src" / "lib.rs"
    lib.write_bytes(apply_edits(RETURNED.encode(), list(cands[0].edits)))
    assert "let w: Vec<usize> = cols" in lib.read_text()
    assert not errors_of(root, tmp_path)


@pytest.mark.slow
def test_no_fact_no_patch(tmp_path: Path) -> None:
    root = write_lib(tmp_path, "parsed", PARSED)
    errs = errors_of(root, tmp_path)
    assert errs and errs[0].code_str in ("E0282", "E0283", "E0284"), errs
    cands, missing = annotated_binding(errs[0], root)
    assert cands == []
    assert missing is not None and "`parse`" in missing and "expected type" in missing


@pytest.mark.slow
def test_the_story_names_the_missing_fact(tmp_path: Path) -> None:
    from tests.explain.crates import explain_lib

    (story,) = explain_lib(tmp_path, "parsed", PARSED)
    said = [f for f in story.facts if f.startswith("No patch:")]
    assert len(said) == 1 and "`parse`" in said[0], story.facts
