"""#14: an owned-return fix for E0515 that breaks a caller in the crate is finished through that
caller: the written collection type that still names the borrowed element (`Vec<&str>` in a return
type or a `let` annotation) follows the owned items, and the whole fix is shown ✓ only when the crate
builds (real cargo on crates written here, not the reviewers')."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.edits import apply_edits
from engine.explain.validation import validate
from engine.repair.collect_target import own_collected_items
from engine.repair.owned_return import return_owned
from tests.explain.crates import explain_lib, story, write_lib
from toolbelt.cargo_run import run_check

# a label made in the function, returned as `&str`; a caller collects the labels into `Vec<&str>`
BADGES = """pub struct Player {
    pub name: String,
    pub level: u8,
}

impl Player {
    pub fn badge(&self) -> &str {
        &format!("{}@{}", self.name, self.level)
    }
}

pub fn badges(team: &[Player]) -> Vec<&str> {
    team.iter().map(|p| p.badge()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists() {
        let t = vec![Player { name: "ann".into(), level: 3 }];
        assert_eq!(badges(&t), vec!["ann@3"]);
    }
}
"""

# the three places a collected type is written: a return type, a `let` annotation, a turbofish
WRITTEN = """pub fn upper(words: &[String]) -> Vec<&str> {
    words.iter().map(|w| w.to_uppercase()).collect()
}

pub fn count(words: &[&str]) -> usize {
    let loud: Vec<&str> = words.iter().map(|w| w.repeat(2)).collect();
    let quiet = words.iter().map(|w| w.to_lowercase()).collect::<Vec<&str>>();
    loud.len() + quiet.len()
}
"""


def test_each_written_collection_type_follows_its_owned_items(tmp_path: Path) -> None:
    root = write_lib(tmp_path, "written", WRITTEN)
    diags = [d for d in run_check(root, target_dir=tmp_path / "target").diagnostics if d.code_str == "E0277"]
    assert len(diags) == 3, [d.message for d in diags]
    source = (root / "src" / "lib.rs").read_bytes()
    cands = [c for d in diags for c in own_collected_items(d, lambda _p: source)]
    assert len(cands) == 3, cands
    words = " ".join(c.description for c in cands)
    assert "return type of `upper`" in words and "annotation of `loud`" in words and "turbofish" in words
    patched = apply_edits(source, tuple(e for c in cands for e in c.edits)).decode()
    assert patched.count("Vec<String>") == 3 and "Vec<&str>" not in patched, patched
    (root / "src" / "lib.rs").write_text(patched)
    assert run_check(root, target_dir=tmp_path / "target").status == "clean"


def test_a_temporary_that_is_the_owned_value_loses_its_borrow_not_copied(tmp_path: Path) -> None:
    root = write_lib(tmp_path, "badges", BADGES)
    diags = [d for d in run_check(root, target_dir=tmp_path / "target").diagnostics if d.code_str == "E0515"]
    source = (root / "src" / "lib.rs").read_bytes()
    (cand,) = [c for d in diags for c in return_owned(d, lambda _p: source)]
    patched = apply_edits(source, cand.edits).decode()
    assert 'format!("{}@{}", self.name, self.level)\n' in patched and "to_string" not in patched, patched


@pytest.mark.slow
def test_the_owned_return_is_finished_through_the_caller_that_collects_borrows(
    tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    stories = explain_lib(tmp_path, "badges", BADGES)
    run = validate(stories, tmp_path / "badges")
    i = stories.index(story(stories, BADGES, "&format!", "E0515"))
    done = [o for o in run.explanations[i].fixes if o.steps and o.validated == "compiles"]
    assert done, run.explanations[i].fixes
    whole = done[0]
    assert whole.errors_new == 0 and whole.errors_left == 0
    shown = " ".join(whole.shows)
    assert "-> String" in shown and "-> Vec<String>" in shown, whole.shows
    # the label names the caller that changed, and the error that made it change
    assert "`badges`" in whole.state_words and "E0277" in whole.state_words, whole.state_words
    src = root_src = tmp_path / "badges" / "src" / "lib.rs"
    patched = apply_edits(src.read_bytes(), whole.edits)
    root_src.write_bytes(patched)
    assert run_check(tmp_path / "badges", target_dir=tmp_path / "target").status == "clean"


# one owned return that breaks four callers of three kinds at once: a collected return type, a
# `&str` parameter given the `String`, a `let` annotation and a `&str` binding
STOCK = """pub struct Crate {
    pub fruit: String,
    pub kilos: u32,
}

pub fn sticker(c: &Crate) -> &str {
    let s = format!("{} kg {}", c.kilos, c.fruit);
    &s
}

pub fn stickers(all: &[Crate]) -> Vec<&str> {
    all.iter().map(sticker).collect()
}

fn ink(text: &str) -> usize {
    text.len()
}

pub fn ink_needed(all: &[Crate]) -> usize {
    let mut total = 0;
    for c in all {
        let s = sticker(c);
        total += ink(s);
    }
    let big: Vec<&str> = all.iter().filter(|c| c.kilos > 9).map(|c| sticker(c)).collect();
    let first: &str = sticker(&all[0]);
    total + big.len() + first.len()
}
"""


@pytest.mark.slow
def test_every_broken_caller_is_answered_in_one_step(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    stories = explain_lib(tmp_path, "stock", STOCK)
    run = validate(stories, tmp_path / "stock")
    i = stories.index(story(stories, STOCK, "    &s", "E0515"))
    done = [o for o in run.explanations[i].fixes if o.steps and o.validated == "compiles"]
    assert done, run.explanations[i].fixes
    shown = " ".join(done[0].shows)
    for caller in ("-> Vec<String>", "ink(&s)", "big: Vec<String>", "= &sticker(&all[0])"):
        assert caller in shown, done[0].shows
    assert len(done[0].steps) <= 2, done[0].steps  # the four callers are one step, not four
    src = tmp_path / "stock" / "src" / "lib.rs"
    src.write_bytes(apply_edits(src.read_bytes(), done[0].edits))
    assert run_check(tmp_path / "stock", target_dir=tmp_path / "target").status == "clean"
