"""A rustc suggestion is judged on its own diagnostic (#14, engine/explain/blame.compare): it "does
not compile" only when its own error stays or it brings a new one, never because another,
independent diagnostic on the line it rewrote (the same mistake at the next field) is still there.
Real cargo on a crate written here: two moves out of `&self` in one struct literal."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.edits import unified_diff
from engine.explain import blame
from engine.explain.api import explain_report
from engine.explain.validation import validate
from modes.verdicts import pair_verdict_lines
from tests.explain.crates import explain_lib, write_lib
from toolbelt.cargo_run import run_check

pytestmark = pytest.mark.slow

EXPORT = """pub struct Exported {
    pub title: String,
    pub labels: Vec<String>,
}

pub struct Draft {
    title: String,
    labels: Vec<String>,
}

impl Draft {
    pub fn export(&self) -> Exported {
        Exported { title: self.title, labels: self.labels }
    }
}
"""


def test_each_suggestion_fixes_its_own_move(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    stories = explain_lib(tmp_path, "export", EXPORT)
    assert [s.code for s in stories] == ["E0507", "E0507"]
    run = validate(stories, tmp_path / "export")
    for i, e in enumerate(run.explanations):
        assert not any(o.source == "rustc" for o in run.failed[i]), [o.fails_because for o in run.failed[i]]
        own = next(o for o in e.fixes if o.source == "rustc")
        assert own.validated == "compiles" and own.errors_new == 0, (own.validated, own.fails_because)
        assert own.errors_left == 1  # the other field's move, told as left, not as its failure
        pair = " ".join(ln.text for ln in pair_verdict_lines(e, run.failed[i]))
        assert "does not compile here" not in pair, pair


def test_a_second_copy_of_an_error_on_the_rewritten_line_is_new(tmp_path: Path) -> None:
    """Only as many errors as the rewritten line had are "the same": an edit that writes a second
    move of `self.labels` on that line brings one new error."""
    root = write_lib(tmp_path, "twice", EXPORT)
    stories = explain_report(base := run_check(root, target_dir=tmp_path / "target"))
    title = next(e for e in stories if "self.title" in e.message)
    src = (root / "src" / "lib.rs").read_bytes()
    old = b"Exported { title: self.title, labels: self.labels }"
    for new, fresh in (
        (b"Exported { title: self.title.clone(), labels: self.labels }", 0),
        (b"{ let _x = self.labels; Exported { title: self.title.clone(), labels: self.labels } }", 1),
    ):
        changed = src.replace(old, new)
        patch = unified_diff({"src/lib.rs": src}, {"src/lib.rs": changed})
        (root / "src" / "lib.rs").write_bytes(changed)
        after = run_check(root, target_dir=tmp_path / "target")
        (root / "src" / "lib.rs").write_bytes(src)
        stays, brought = blame.compare(title, patch, base, after)
        assert not stays
        assert len(brought) == fresh, [d.message for d in brought]
