"""A returned borrow of a local that is a copy read out of a borrowed input leads with borrowing
from that input, never "return owned data" (#14). Real cargo on crates written here.

The general mistake: E0515 answered with "return owned data" or "build it in the caller" when the
function already returns a reference into an input and the local only copies (or tries to move) a
place out of that input: `let first = items[0];`, `let n = cfg.name;`. Binding the local as a
reference into the input keeps the signature; rustc's move error at the same `let` goes with it.
"""

from __future__ import annotations

import pytest

from engine.edits import apply_edits
from engine.explain.validation import validate
from tests.explain.crates import errors_of, explain_lib, line_of

pytestmark = pytest.mark.slow

# the cheapest item: a generic slice, the local filled by indexing it
CHEAPEST = """pub fn cheapest<T: PartialOrd>(items: &[T]) -> Option<&T> {
    let mut low = items[0];
    for it in items {
        if *it < low {
            low = *it;
        }
    }
    Some(&low)
}
"""

# a config's name: the local filled from a field of a borrowed struct, returned as `&n`
NAMED = """pub struct Config {
    pub name: String,
    pub port: u16,
}

pub fn name_of(cfg: &Config) -> &str {
    let n = cfg.name;
    &n
}
"""


@pytest.mark.parametrize(
    ("crate", "src", "local", "place", "param"),
    [("cheapest", CHEAPEST, "low", "items[0]", "items"), ("named", NAMED, "n", "cfg.name", "cfg")],
)
def test_a_returned_borrow_of_a_copied_input_borrows_the_input(
    tmp_path, crate, src, local, place, param
) -> None:
    stories = explain_lib(tmp_path, crate, src)
    e = next(e for e in stories if e.code == "E0515")
    made = f"src/lib.rs:{line_of(src, place)}"
    assert f"which the `let` at {made} fills with `{place}`: a copy read out of `{param}`" in e.summary, (
        e.summary
    )
    names = [o.name for o in e.options]
    assert names == ["borrow from the input"], names  # no "return owned data", no "let the caller own it"
    checked = next(c for c in validate(list(stories), tmp_path / crate).explanations if c.code == "E0515")
    lead = checked.fixes[0]
    assert lead.name.startswith(f"bind `{local}` as a reference into `{param}`"), [
        f.name for f in checked.fixes
    ]
    assert lead.validated == "compiles", (lead.validated, lead.fails_because)
    root = tmp_path / crate
    path = root / "src" / "lib.rs"
    path.write_bytes(apply_edits(path.read_bytes(), lead.edits))
    assert not errors_of(root, tmp_path)  # every error of the crate goes with it, the signature stays
    assert path.read_text().splitlines()[0] == src.splitlines()[0] or "-> &str" in path.read_text()


# the same shape with a local built anew: no input holds it, so the owned way out stays
BUILT = """pub fn label(n: &u32) -> &str {
    let s = format!("#{n}");
    &s
}
"""


def test_a_local_built_anew_keeps_the_owned_way_out(tmp_path) -> None:
    (e,) = [e for e in explain_lib(tmp_path, "built", BUILT) if e.code == "E0515"]
    assert "borrow from the input" not in [o.name for o in e.options]
