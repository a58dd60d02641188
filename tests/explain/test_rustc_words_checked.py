"""rustc's own suggestion is checked as written even when Rusta shows it rewritten (#14): a
`#[derive(..)]` line that Rusta writes into the type's existing derive list instead is still built
verbatim, and when that fails (a second `derive(PartialEq)` is E0119), pair and study say so in one
line naming the new error, as they do for any rustc suggestion that fails. Real cargo, in a
subprocess, on crates written here."""

from __future__ import annotations

import pytest

from tests.cli_runner import rusta
from tests.explain.crates import write_lib

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("explain-cli")]

# `HashMap<Tag, _>::entry` needs `Eq + Hash` (E0599); `Tag` already derives `PartialEq`, so rustc's
# `#[derive(Eq, Hash, PartialEq)]` line derives it twice
TAGS = """use std::collections::HashMap;

#[derive(Debug, PartialEq)]
pub struct Tag {
    pub key: String,
}

pub fn distinct(keys: &[&str]) -> usize {
    let mut seen: HashMap<Tag, u32> = HashMap::new();
    for k in keys {
        *seen.entry(Tag { key: k.to_string() }).or_insert(0) += 1;
    }
    seen.len()
}

#[cfg(test)]
mod tests {
    #[test]
    fn counts() {
        assert_eq!(super::distinct(&["a", "b", "a"]), 2);
    }
}
"""


def _explain(tmp_path, src: str, mode: str) -> str:
    crate = write_lib(tmp_path, "tags", src)
    cache = {"RUSTA_CACHE_DIR": str(tmp_path / "cache")}
    out = rusta(
        "explain", str(crate), "--no-clippy", "--no-log", "--mode", mode, env=cache, columns=200, timeout=300
    )
    return out.stdout


@pytest.mark.parametrize("mode", ["pair", "study"])
def test_rustc_derive_that_derives_twice_is_said_to_fail(tmp_path, mode):
    said = _explain(tmp_path, TAGS, mode)
    line = next((ln for ln in said.splitlines() if "does not compile here" in ln), "")
    assert "rustc's `#[derive(Eq, Hash, PartialEq)]` does not compile here: E0119" in line, said
    # the fix shown is the rewrite into the existing list, and it works
    assert "#[derive(Debug, PartialEq, Eq, Hash)]" in said and "Fix ✓" in said, said


def test_rustc_derive_that_compiles_is_not_said_to_fail(tmp_path):
    # no `PartialEq` yet: rustc's line, as written, compiles
    said = _explain(tmp_path, TAGS.replace("#[derive(Debug, PartialEq)]", "#[derive(Debug)]"), "pair")
    assert "Fix ✓" in said and "does not compile here" not in said, said
