"""E0716 on a lock guard: the copy made inside the statement leads, and rustc's named guard is said
to hold the lock, and to deadlock where the same block locks again (#14, review E e16).

rustc's help `let binding = <guard>;` compiles, but keeps the lock to the end of the block; a later
lock of the same place there waits forever. Real cargo on two library crates written here: a
`Mutex` field read twice in a method (the later use copies with `.cloned()`), and a local `RwLock`
made with `RwLock::new` whose read guard is followed by a write (no later copy: `.cloned()` is added).
"""

from __future__ import annotations

import re

import pytest

from engine.explain.jsonview import to_dict
from engine.explain.validation import validate
from modes.rendering import render_text
from modes.verdicts import verdict_lines
from tests.explain import honesty
from tests.explain.crates import explain_lib

pytestmark = pytest.mark.slow

INBOX = """use std::sync::Mutex;

pub struct Inbox {
    msgs: Mutex<Vec<String>>,
}

impl Inbox {
    pub fn new() -> Self {
        Inbox { msgs: Mutex::new(Vec::new()) }
    }
    pub fn push(&self, m: &str) {
        self.msgs.lock().unwrap().push(m.to_string());
    }
    /// The newest message and how many there are.
    pub fn newest_and_count(&self) -> (Option<String>, usize) {
        let newest = self.msgs.lock().unwrap().last();
        let count = self.msgs.lock().unwrap().len();
        (newest.cloned(), count)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn newest_is_the_last_pushed() {
        let inbox = super::Inbox::new();
        inbox.push("hi");
        inbox.push("bye");
        assert_eq!(inbox.newest_and_count(), (Some("bye".to_string()), 2));
    }
}
"""

TABLE = """use std::sync::RwLock;

/// The first word given, shouted, and how many words there are once sorted in.
pub fn first_shouted(words: &[&str]) -> (Option<String>, usize) {
    let table = RwLock::new(Vec::new());
    for w in words {
        table.write().unwrap().push(w.to_string());
    }
    let first = table.read().unwrap().first();
    table.write().unwrap().sort();
    let n = table.read().unwrap().len();
    (first.map(|s| s.to_uppercase()), n)
}

#[cfg(test)]
mod tests {
    #[test]
    fn shouts_the_first() {
        assert_eq!(super::first_shouted(&["kim", "amy"]), (Some("KIM".to_string()), 2));
    }
}
"""


@pytest.mark.parametrize(
    ("name", "src", "guard", "place"),
    [("inbox", INBOX, "MutexGuard", "self.msgs"), ("table", TABLE, "RwLockReadGuard", "table")],
)
def test_the_copy_leads_and_the_named_guard_is_said_to_deadlock(tmp_path, name, src, guard, place):
    stories = [e for e in explain_lib(tmp_path, name, src) if e.code == "E0716"]
    assert stories, "rustc did not report E0716"
    assert "Giving the guard a name keeps it alive to the end of the block" in " ".join(
        stories[0].why.split()
    )
    run = validate(stories, tmp_path / name)
    e, failed = run.explanations[0], run.failed[0]
    lead = e.fixes[0]
    assert lead.ticked and lead.tests_run == "passed" and lead.source != "rustc", lead
    assert any(".cloned()" in ln for ln in lead.shows) and not lead.relocks, lead.shows
    named = [f for f in e.fixes if f.guard_held]
    assert named, [(f.name, f.shows) for f in e.fixes]
    for f in named:
        assert f.relocks and not f.ticked and not f.tests_run, f
        assert f"holds the {guard} of `{place}` until the end of the block" in f.guard_held, f.guard_held
        assert "it deadlocks" in f.state_words, f.state_words
    study = "\n".join(ln.text for ln in verdict_lines(e, failed, "study"))
    assert re.search(r"^\s*Not a fix: .*it deadlocks", study, re.M), study
    opt = next(o for o in to_dict(e)["options"] if o.get("id") == named[0].id)
    assert opt["relocks"] and not opt["ticked"], opt
    program = honesty.program_tokens(tmp_path / name)
    quotes = honesty.rustc_quotes(e.diagnostics)
    for snippet in honesty.shown(e, render_text):  # every snippet pair and study render
        assert honesty.judge(e, snippet, program, quotes), snippet
    texts = [e.why, *(ln.text for mode in ("pair", "study") for ln in verdict_lines(e, failed, mode))]
    for text in texts:
        for code in re.findall(r"`([^`]+)`", text):
            assert honesty.judge(e, honesty.Snippet(code=code, where="text"), program, quotes), code


LENGTH = """use std::sync::Mutex;

/// The length of the first name, 0 when there is none.
pub fn first_len(names: &Mutex<Vec<String>>) -> usize {
    let first = names.lock().unwrap().first();
    first.map(|s| s.len()).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    #[test]
    fn measures_the_first() {
        let names = std::sync::Mutex::new(vec!["amy".to_string(), "bo".to_string()]);
        assert_eq!(super::first_len(&names), 3);
    }
}
"""


def test_a_named_guard_no_later_line_locks_keeps_its_tick_and_says_it_holds_the_lock(tmp_path):
    stories = [e for e in explain_lib(tmp_path, "length", LENGTH) if e.code == "E0716"]
    assert stories, "rustc did not report E0716"
    e = validate(stories, tmp_path / "length").explanations[0]
    named = [f for f in e.fixes if f.guard_held]
    assert named, [(f.name, f.shows) for f in e.fixes]
    for f in named:
        assert not f.relocks and "deadlocks" not in f.guard_held, f.guard_held
        assert "holds the MutexGuard of `names` until the end of the block" in f.state_words, f.state_words
    assert e.fixes[0].ticked, e.fixes[0]


def test_apply_refuses_the_named_guard_at_once(tmp_path):
    """`--apply 1 --fix M` on the fix that deadlocks is refused from explain's own finding, without a
    sandbox run that would wait out its cap on the hang (review E: 5 to 7 minutes)."""
    import json

    from tests.cli_runner import rusta
    from tests.explain.crates import write_lib

    root = write_lib(tmp_path, "inbox", INBOX)
    before = (root / "src/lib.rs").read_text()
    env = {"RUSTA_CACHE_DIR": str(tmp_path / "c")}
    r = rusta("explain", str(root), "--json", "--no-clippy", env=env)
    story = next(json.loads(ln) for ln in r.stdout.splitlines() if ln.startswith("{"))
    m = next(o["fix"] for o in story["options"] if o.get("relocks"))
    r = rusta("explain", str(root), "--apply", "1", "--fix", str(m), "--no-clippy", env=env)
    refusal = next((ln for ln in r.stdout.splitlines() if ln.startswith(f"Refused fix {m} of story #1")), "")
    assert r.returncode == 3 and "it deadlocks" in refusal, r.stdout + r.stderr
    assert "fix 1 has a ✓" in refusal, refusal
    assert (root / "src/lib.rs").read_text() == before  # nothing written
