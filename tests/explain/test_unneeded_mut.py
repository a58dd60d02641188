"""A fix that leaves a `mut` unneeded drops it in the same patch (#14, review C c18).

clippy's while_let_on_iterator fix (`for c in chars` for `while let Some(c) = chars.next()`) takes
the iterator by value, so `let mut chars` draws rustc's `unused_mut`, which then became the next
story. The binding is the one the lint run of the patched tree flags and the fix's code names; the
form without `mut` is linted again. Real cargo + clippy on a crate written here (not the reviewer's).
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from engine.edits import Edit
from engine.explain.unused_mut import flagged_names, without_mut
from tests.cli_runner import rusta
from tests.explain.crates import write_lib

VOWELS = """\
pub fn vowels(s: &str) -> usize {
    let mut n = 0;
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if "aeiou".contains(c) {
            n += 1;
        }
    }
    n
}

#[cfg(test)]
mod tests {
    #[test]
    fn counts() {
        assert_eq!(super::vowels("banana"), 3);
    }
}
"""


@pytest.mark.slow
def test_the_while_let_fix_drops_the_mut_it_leaves_unneeded(tmp_path: Path) -> None:
    root = write_lib(tmp_path, "vowels", VOWELS)
    r = rusta("explain", str(root), "--json")
    stories = [json.loads(ln) for ln in r.stdout.splitlines() if ln.startswith("{") and '"options"' in ln]
    story = next(s for s in stories if s["code"] == "clippy::while_let_on_iterator")
    lead = next(o for o in story["options"] if o.get("patch"))
    shows = " ".join(lead["shows"])
    assert "for c in chars" in shows and "let chars = s.chars();" in shows, lead["shows"]
    assert "unused_mut" not in (lead.get("new_lints") or []), lead
    assert "let mut n = 0;" not in shows  # a `mut` the fix did not make unneeded stays as it was
    rusta("explain", str(root), "--apply", "1")
    lints = subprocess.run(
        ["cargo", "clippy", "--all-targets", "--message-format=short", "-q"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert "unused_mut" not in lints.stderr and "variable does not need to be mutable" not in lints.stderr, (
        lints.stderr
    )


def test_only_a_flagged_binding_the_fix_names_loses_its_mut() -> None:
    src = (
        b"fn f() {\n    let mut a = 1..3;\n    let mut b = 0;\n    for x in a {\n        b += x;\n    }\n}\n"
    )
    fix = Edit(
        file="src/lib.rs",
        start=src.index(b"for x in a"),
        end=src.index(b"for x in a") + 10,
        replacement="for x in a",
    )
    assert flagged_names(["mut a", "mut  b", "a"]) == {"a", "b"}
    got = without_mut({"src/lib.rs": src}, [fix], {"a", "b"})
    assert got is not None and len(got) == 2  # `b` is not in the fix's code: its `mut` stays
    drop = got[1]
    assert src[drop.start : drop.end] == b"mut " and drop.replacement == ""
    assert without_mut({"src/lib.rs": src}, [fix], {"b"}) is None
