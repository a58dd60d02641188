"""E0282/E0283 on a `sum`/`product` that no context types, wherever the call stands (a cast's
operand, a fn's tail): the fix is the turbofish with the type std adds the iterator's elements into,
read by the type-of probe (`&u16` elements sum into `u16`), checked in the sandbox. rustc's own
`sum::<S>` names a parameter no program has. And a filter that drops a sentence never leaves the
next one dangling ("Here nothing does."). Real cargo on crates written here."""

from __future__ import annotations

from pathlib import Path

from engine.explain.evidence import Evidence, honest, leans_back, sentences
from engine.explain.kb_loader import load_kb
from engine.explain.validation import validate
from modes.study import why_text
from tests.explain.crates import cargo_test, explain_lib

# a mean: the sum is a cast's operand in the fn's tail, over `&u16`
MEAN = """pub fn mean(xs: &[u16]) -> f64 {
    if xs.is_empty() {
        return 0.0;
    }
    xs.iter().sum() as f64 / xs.len() as f64
}

#[cfg(test)]
mod tests {
    #[test]
    fn mean() {
        assert_eq!(super::mean(&[1, 2, 3]), 2.0);
    }
}
"""

# a product in a `let` with a cast, over a `map` whose closure makes `u8`s
SCALE = """pub fn scale(bytes: &[u8]) -> f64 {
    let p = bytes.iter().map(|b| b % 7 + 1).product() as f64;
    p / 2.0
}
"""


def _first_fix(tmp_path: Path, name: str, src: str) -> tuple[str, str, str]:
    e = next(e for e in explain_lib(tmp_path, name, src) if e.code in ("E0282", "E0283"))
    assert not leans_back(why_text(e)), why_text(e)
    assert "sum or product" in e.summary
    (checked,) = validate([e], tmp_path / name).explanations
    fix = next(f for f in checked.fixes if f.source != "rustc")
    return " ".join(fix.shows), fix.validated, why_text(e)


def test_a_sum_under_a_cast_gets_the_element_type_in_a_turbofish(tmp_path: Path) -> None:
    shows, validated, why = _first_fix(tmp_path, "mean", MEAN)
    assert "xs.iter().sum::<u16>() as f64" in shows and validated == "compiles"
    assert "cast after the call does not count" in why
    root = tmp_path / "mean"
    lib = root / "src" / "lib.rs"
    lib.write_text(lib.read_text().replace(".sum()", ".sum::<u16>()"))
    assert cargo_test(root).returncode == 0


def test_a_product_of_a_map_gets_the_closures_type(tmp_path: Path) -> None:
    shows, validated, _ = _first_fix(tmp_path, "scale", SCALE)
    assert ".product::<u8>() as f64" in shows and validated == "compiles"


def test_a_dropped_sentence_takes_the_one_leaning_on_it_along() -> None:
    nothing = Evidence(program="", rustc=frozenset())
    old = "Inference works from uses: `Vec::new()` is `Vec<T>` until a push says which. Here nothing does."
    assert honest(old, nothing) == ""
    kept = "A binding gets its type from its uses. This one has none."
    assert honest(kept, nothing) == kept  # nothing dropped: the second sentence has its subject


def test_no_why_of_the_knowledge_base_is_left_starting_on_a_fragment() -> None:
    """Every why, filtered as hard as a story can be (no code backed), opens each paragraph on a
    sentence that stands alone, or on the sentence the entry itself opened with."""
    nothing = Evidence(program="", rustc=frozenset())
    for entry in load_kb().values():
        for why in (entry.why, *(v.why for v in entry.variants if v.why)):
            for raw in why.split("\n\n"):
                para, first = honest(raw, nothing), sentences(" ".join(raw.split()))[0]
                assert not leans_back(para) or para.startswith(first), (entry.code, para)
