"""`rusta explain --mode study` piped, end to end on crates written here (real cargo): study mode
carries everything rustc said (its notes, labels and underlines), reads the notes whose insight is in
their layout (a method chain's item types, a list of impls, placeholders against arguments), never
cuts a list into a broken sentence, repeats none of rustc's sentences as its own, and prints no option
that is only a trade-off line under a bare name."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.cli_runner import rusta
from tests.explain.crates import write_lib

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("study-cli")]

REPO = Path(__file__).resolve().parents[2]

SUM_CHAIN = """pub struct Order {
    pub grams: u16,
}

pub fn weight(orders: &[Order]) -> u32 {
    orders.iter().map(|o| o.grams * 2).sum()
}
"""

COLLECT_CHAIN = """pub fn tags(line: &str) -> Vec<String> {
    line.split(' ')
        .filter(|t| t.starts_with('#'))
        .collect()
}
"""

FORMAT_COUNT = """pub fn row(name: &str, qty: u32) -> String {
    format!("{:>8} | {:<4} | {}", name, qty)
}
"""

FROM_LIST = """pub fn level(s: &str) -> Result<u8, String> {
    let n = s.trim().parse::<u8>()?;
    Ok(n)
}
"""


INDEX_BY_I32 = """pub fn at(xs: &[f32], i: i32) -> f32 {
    xs[i]
}
"""


def _study(root: Path) -> str:
    argv = ("explain", str(root), "--mode", "study", "--no-validate", "--no-clippy", "--no-log")
    out = rusta(*argv, columns=200, timeout=300)
    assert out.returncode == 0, out.stderr
    return out.stdout


def _section(text: str, name: str) -> str:
    """The body of one section of the reveal ("Why", "Facts", "Options"), flattened."""
    m = re.search(rf"^{name}\n((?:  .*\n?)+)", text, re.M)
    return " ".join(m.group(1).split()) if m else ""


def _question_and_answer(text: str) -> tuple[str, str]:
    q, _, a = text.partition("-" * 40)
    return q, a


@pytest.mark.parametrize(
    ("name", "src", "rustc_label", "rusta"),
    [
        ("sumchain", SUM_CHAIN, "`Iterator::Item` changed to `u16` here",
         "`Iterator::Item` is `&Order` from `iter()` and changes to `u16` at `map(|o| o.grams * 2)`"),
        ("collectchain", COLLECT_CHAIN, "`Iterator::Item` is `&str` here",
         "`Iterator::Item` is `&str` from `split(' ')` and stays `&str` through `filter(|t| t.starts_with('#'))`"),
    ],
    ids=["sum", "collect"],
)  # fmt: skip
def test_study_keeps_rustcs_chain_notes_and_reads_them_along_the_chain(
    tmp_path: Path, name: str, src: str, rustc_label: str, rusta: str
) -> None:
    question, answer = _question_and_answer(_study(write_lib(tmp_path, name, src)))
    assert rustc_label in question  # rustc's own text, before the question
    assert rusta in _section(answer, "Why")


def test_a_list_note_is_summed_up_never_cut_into_a_sentence(tmp_path: Path) -> None:
    text = _study(write_lib(tmp_path, "fromlist", FROM_LIST))
    question, answer = _question_and_answer(text)
    assert "the following other types implement trait" in question  # rustc's list, whole
    why = _section(answer, "Why")
    assert "following other types" not in why.lower()
    assert re.search(r"`String` implements `From` for .*`&str`.* only, not for `ParseIntError`\.", why)


def test_a_list_of_another_types_impls_makes_no_claim_about_the_type_at_stake(tmp_path: Path) -> None:
    """rustc lists `usize`'s `SliceIndex` impls when an `i32` indexes: they say nothing of `i32`, and
    `usize`'s `[T]` covers `[f32]`, so "usize implements it ... only, not for [f32]" would be false."""
    _question, answer = _question_and_answer(_study(write_lib(tmp_path, "indexi32", INDEX_BY_I32)))
    assert "only, not for" not in answer and "not for `[f32]`" not in answer, answer


def test_placeholders_are_paired_with_arguments(tmp_path: Path) -> None:
    question, answer = _question_and_answer(_study(write_lib(tmp_path, "fmtcount", FORMAT_COUNT)))
    assert "^^^^^" in question  # rustc's underlines under the placeholders
    why = _section(answer, "Why")
    assert "`{:>8}` takes `name`, `{:<4}` takes `qty`; `{}` has no argument" in why
    assert "The compiler's rule stated in the message" not in answer


@pytest.mark.parametrize(
    ("name", "src"), [("sumchain2", SUM_CHAIN), ("fromlist2", FROM_LIST)], ids=["sum", "from"]
)
def test_the_reveal_repeats_no_rustc_sentence_and_has_no_bare_cost_lines(
    tmp_path: Path, name: str, src: str
) -> None:
    text = _study(write_lib(tmp_path, name, src))
    _, answer = _question_and_answer(text)
    for section in ("Why", "Facts"):
        body = _section(answer, section).lower()
        assert "is not implemented for" not in body  # rustc's own sentence, said above already
    lines = answer.splitlines()
    for i, ln in enumerate(lines[1:], 1):
        if ln.strip().startswith(("Cost:", "Trade-off:")):
            assert not re.match(r"^  \d+\. ", lines[i - 1]), "an option with nothing but a trade-off line"
