"""A fix's title says what its patch does (real cargo on crates written here, every fix checked).

The general mistake: a title written for a fix's first step or for a kind of fix, kept on the patch
finally shown. A borrow finished by copying another value (`&*e`, then `from.to_string()`) was
titled "Copy `*e`"; a return made owned by dropping a `&` before a value that already owns its text
was titled "`.to_string()` where the function returns", a call the patch does not hold. Checked over
every fix of every story: each quoted operation is in the patch's added lines, a title that copies a
value names one the patch copies, and "as rustc suggests" is said only of rustc's own patch."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from engine.edits import diff_side
from engine.explain.evidence import tokens
from engine.explain.validation import validate
from tests.explain.crates import explain_lib

pytestmark = pytest.mark.slow

# a String field moved out of a matched `*e` and pushed: borrow fixes that end in a copy of the field
LEDGER = """pub enum Entry {
    Gift { from: String, cents: u64 },
    Fee { cents: u64 },
}

pub struct Ledger {
    pub entries: Vec<Entry>,
}

impl Ledger {
    pub fn donors(&self) -> Vec<String> {
        let mut names = Vec::new();
        for e in &self.entries {
            if let Entry::Gift { from, .. } = *e {
                names.push(from);
            }
        }
        names
    }
}
"""

# a `&str` returned from a `String` the function makes: the owned return drops the `&`
NOTES = """pub struct Note {
    title: String,
}

impl Note {
    pub fn slug(&self) -> &str {
        &self.title.trim().to_uppercase()
    }
}
"""

_COPY = r"\)?\s*\.(?:clone|to_string|to_owned|cloned|to_vec)\(\)"


def _fixes(tmp_path: Path, name: str, src: str):
    stories = explain_lib(tmp_path, name, src)
    return [f for e in validate(stories, tmp_path / name).explanations for f in e.fixes]


@pytest.mark.parametrize(("name", "src"), [("ledger", LEDGER), ("notes", NOTES)])
def test_each_title_describes_its_own_patch(tmp_path: Path, monkeypatch, name: str, src: str) -> None:
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    fixes = _fixes(tmp_path, name, src)
    assert fixes
    for f in fixes:
        added = "\n".join(diff_side(f.patch, "+"))
        title = f.name.split(":")[0]
        for q in re.findall(r"`([^`\n]+)`", f.name):
            if len(tokens(q).split()) >= 2:  # an operation, not a name
                assert tokens(q) in tokens(added), (f.name, f.patch)
        if m := re.match(r"(?:copy|clone) `([^`]+)`", title, re.I):  # it copies that very value
            assert re.search(re.escape(m.group(1)) + _COPY, added), (f.name, f.patch)
        if "as rustc suggests" in f.name:
            assert f.source == "rustc", (f.name, f.patch)


# a field matched by value through `&self`: rustc's own help borrows it (`&self.nick`)
PROFILE = """pub struct Profile {
    pub nick: Option<String>,
}

impl Profile {
    pub fn nick_len(&self) -> usize {
        match self.nick {
            Some(n) => n.len(),
            None => 0,
        }
    }
}
"""


def _refs(lines: list[str]) -> int:
    return sum(len(re.findall(r"(?:^|[(\[{,;=:]|\b(?:match|in|let|return))\s*&(?![&=])", ln)) for ln in lines)


@pytest.mark.parametrize(("name", "src", "kept"), [("ledger", LEDGER, False), ("profile", PROFILE, True)])
def test_as_rustc_suggests_only_where_rustcs_patch_does_it(
    tmp_path: Path, name: str, src: str, kept: bool
) -> None:
    """LEDGER: rustc removes the `*` of `*e`; PROFILE: rustc puts `&` before `self.nick`. A way out
    that puts `&` before the place is offered on both, attributed to rustc only where its patch
    adds a reference."""
    said = []
    for e in explain_lib(tmp_path, name, src):
        for o in e.options:
            if "`&`" not in o.how:
                continue
            said.append("as rustc suggests" in o.how)
            if said[-1]:
                assert e.patch is not None, o.how
                added, removed = diff_side(e.patch.diff, "+"), diff_side(e.patch.diff, "-")
                assert _refs(added) > _refs(removed), (o.how, e.patch.diff)
    assert said and any(said) == kept, said
