"""Fixes of one shape finished in steps meet the same trees: each tree is built once per validation
run (real cargo on a crate written here, every build recorded by the tree it built)."""

from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path

import pytest

import engine.explain.trials as trials
from engine.explain.validation import validate
from tests.explain.crates import explain_lib

# a snapshot taken through `&self` moves three fields out: three E0507 of one shape, each fix of
# which (a clone, a borrow) reveals the other two, so every story's steps end at the same clones
SNAPSHOT = """pub struct Profile {
    pub nick: String,
    pub roles: Vec<u32>,
    pub avatar: Option<Vec<u8>>,
}

pub struct Editor {
    nick: String,
    roles: Vec<u32>,
    avatar: Option<Vec<u8>>,
}

impl Editor {
    pub fn new(nick: &str) -> Self {
        Editor { nick: nick.to_string(), roles: vec![1], avatar: None }
    }

    pub fn snapshot(&self) -> Profile {
        Profile { nick: self.nick, roles: self.roles, avatar: self.avatar }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn snapshot_keeps_the_nick() {
        let e = super::Editor::new("ada");
        assert_eq!(e.snapshot().nick, "ada");
        assert_eq!(e.snapshot().roles, vec![1]);
    }
}
"""


@pytest.mark.slow
def test_every_tree_is_built_once_and_no_fix_is_lost(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    stories = explain_lib(tmp_path, "snapshot", SNAPSHOT)
    assert [s.diagnostics[0].code_str for s in stories] == ["E0507"] * 3
    built: Counter[str] = Counter()
    real = trials.run_check

    def recorded(root, **kw):  # noqa: ANN001, ANN202 - the real cargo run, its tree written down
        src = (Path(root) / "src" / "lib.rs").read_bytes()
        built[hashlib.sha256(src).hexdigest()] += 1
        return real(root, **kw)

    monkeypatch.setattr(trials, "run_check", recorded)
    run = validate(stories, tmp_path / "snapshot")
    again = [h for h, n in built.items() if n > 1]
    assert not again, f"{len(again)} trees built more than once: {built.most_common(3)}"
    assert run.checked + 1 == sum(built.values())  # the runs told are the runs made (+ the baseline)
    # each story leads with a fix that compiles (rustc's clone fixes its own error and is judged on
    # it: the other two moves it leaves are not its failure), and between them the leads clone all
    # three fields: no fix is lost
    leads = [e.fixes[0] for e in run.explanations]
    for lead in leads:
        assert lead.validated == "compiles", (lead.validated, lead.fails_because)
    for field in ("nick", "roles", "avatar"):
        assert any(f"self.{field}.clone()" in lead.patch for lead in leads), [lead.patch for lead in leads]
