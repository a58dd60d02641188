"""An operator whose operand is an `Option` is about the `None` case, never a cast.

The general mistake: E0277's "convert an operand" said "A narrowing `as` cast truncates silently; a
`TryFrom` conversion checks, and can fail" for `u64 + Option<u32>`: no cast turns an `Option` into a
number (and `u32` to `u64` narrows nothing). The conversion option now requires rustc's unmet
operator trait to have a numeric type on both sides (`numeric_operands`), and an `Option` operand
(`option_operand`) gets the question that matters: what `None` means. Real cargo on small crates
written here.
"""

from __future__ import annotations

import pytest

from tests.explain.crates import explain_lib, story, story_text
from tests.explain.crates import option_names as names

pytestmark = pytest.mark.slow

DIGITS = """pub fn digit_sum(s: &str) -> u64 {
    let mut t: u64 = 0;
    for c in s.chars() {
        t = t * 10 + c.to_digit(10);
    }
    t
}
"""

STOCK = """pub fn left(stock: &[i32], taken: i32) -> i32 {
    let first = stock.first().copied();
    taken * first
}
"""

FLOAT = """pub fn scaled(x: f64) -> f64 {
    x * 2
}
"""


@pytest.mark.parametrize(
    ("name", "src", "at"), [("digits", DIGITS, "c.to_digit(10)"), ("stock", STOCK, "taken * first")]
)
def test_an_option_operand_asks_what_none_means(tmp_path, name, src, at):
    e = story(explain_lib(tmp_path, name, src), src, at, "E0277")
    assert names(e) == ["take the number out of the Option"]
    text = story_text(e)
    assert "`None`" in text and "`?`" in text
    assert "as` cast" not in text and "TryFrom" not in text and "narrow" not in text


def test_numeric_operands_keep_the_conversion(tmp_path):
    e = story(explain_lib(tmp_path, "float", FLOAT), FLOAT, "x * 2", "E0277")
    assert "convert an operand" in names(e)
    assert "take the number out of the Option" not in names(e)
