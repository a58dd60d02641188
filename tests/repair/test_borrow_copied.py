"""rustc's conversion of a borrow, `(&x).to_string()`, is written `x.to_string()` (#14, review F f14).

The general mistake: rustc wraps the expression it found (`&who`, a `&&str`) in parentheses to call
the conversion, and the `&` it keeps only makes the method autoref what it would anyway. Real cargo
on two crates written here: a push of a borrow into a `Vec<String>`, a struct field set from one.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.edits import apply_edits
from engine.repair.suggestions import suggestion_candidates
from tests.explain.crates import errors_of, write_lib
from toolbelt.cargo_run import run_check

pytestmark = [pytest.mark.slow]

PUSHED = """pub struct Log {
    lines: Vec<String>,
}

impl Log {
    pub fn note(&mut self, who: &str) {
        self.lines.push(&who);
    }
}
"""

FIELD = """pub struct Entry {
    pub label: String,
}

pub fn entry(parts: &[&str]) -> Entry {
    let first = parts[0];
    Entry { label: &first }
}
"""


@pytest.mark.parametrize(
    ("name", "src", "want"), [("pushed", PUSHED, "who.to_string()"), ("field", FIELD, "first.to_string()")]
)
def test_a_conversion_of_a_borrow_converts_the_value(tmp_path: Path, name: str, src: str, want: str) -> None:
    root = write_lib(tmp_path, name, src)
    report = run_check(root, target_dir=tmp_path / "target")
    read = lambda rel: (root / rel).read_bytes()  # noqa: E731
    cands = [c for d in report.diagnostics for c in suggestion_candidates(d, read)]
    conv = [c for c in cands if any("to_string" in e.replacement for e in c.edits)]
    assert conv, [(c.description, c.edits) for c in cands]
    for c in conv:
        assert not any(e.replacement.startswith("(") or ").to_string" in e.replacement for e in c.edits), (
            c.edits
        )
    fixed = apply_edits(read("src/lib.rs"), conv[0].edits)
    assert want in fixed.decode(), fixed
    (root / "src" / "lib.rs").write_bytes(fixed)
    assert not errors_of(root, tmp_path), fixed  # the rewritten copy compiles
    # without the file to read, rustc's own edits stand: the rewrite needs the source, not a guess
    raw = [
        c
        for d in report.diagnostics
        for c in suggestion_candidates(d)
        if any("to_string" in e.replacement for e in c.edits)
    ]
    assert any(e.replacement == "(" for c in raw for e in c.edits), raw
