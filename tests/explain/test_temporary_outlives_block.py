"""E0716 where the borrow of a temporary is kept by something made before the block that holds the
statement (a `Vec` declared before the loop): "give the value a name" would put the name in the
loop's block, where it dies at each iteration's end (E0597), so the story must not say it; where the
borrow is used only inside that block, naming the value is the way out. Real cargo on small library
crates written here."""

from __future__ import annotations

import pytest

from tests.explain.crates import explain_lib, story_text
from tests.explain.crates import option_names as names

pytestmark = pytest.mark.slow

KEPT_BY_OUTER_VEC = """pub fn shouted(lines: &[&str]) -> usize {
    let mut keep: Vec<&str> = Vec::new();
    for line in lines {
        let loud = line.to_uppercase().trim_end();
        keep.push(loud);
    }
    keep.len()
}
"""

USED_IN_BLOCK = """pub fn loud_len(s: &str) -> usize {
    let loud = s.to_uppercase().trim_start();
    loud.len()
}
"""


def test_a_borrow_kept_by_a_holder_made_before_the_loop_gets_no_give_it_a_name(tmp_path):
    e = next(s for s in explain_lib(tmp_path, "kept_outer", KEPT_BY_OUTER_VEC) if s.code == "E0716")
    assert "Give the value a name" not in story_text(e)
    assert "bind the temporary" not in names(e)
    assert "`keep`" in e.why and "E0597" in e.why


def test_a_borrow_used_inside_its_block_keeps_the_name_advice(tmp_path):
    e = next(s for s in explain_lib(tmp_path, "used_in_block", USED_IN_BLOCK) if s.code == "E0716")
    assert "Give the value a name" in e.why
