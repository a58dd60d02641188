"""Moves out of a borrowed place that a borrow-first fix avoids (#14), real cargo on crates written
here: a `match` whose value is assigned back to the place it moves out of (`place = match place
{..}`, behind `&mut`) takes the state out with `std::mem::replace` / `take`, ranked before any
clone; a consuming method (`into_keys`, `into_values`, `into_iter`) on a collection behind `&` gets
its borrowing twin, with `.cloned()` / `.copied()` where the code needs owned items. Each shown fix
keeps the crate's own tests green."""

from __future__ import annotations

import pytest

from engine.explain.validation import validate
from engine.repair.state_replace import replace_state
from tests.explain.crates import crate_tests_with, explain_lib, story, write_lib
from toolbelt.cargo_run import run_check

pytestmark = pytest.mark.slow


def _checked(tmp_path, name, src, *texts):
    """The checked E0507 stories on the lines holding `texts`."""
    stories = explain_lib(tmp_path, name, src)
    checked = validate(list(stories), tmp_path / name).explanations
    out = []
    for t in texts:
        e = story(stories, src, t, "E0507")
        out.append(next(c for c in checked if c.primary == e.primary and c.code == e.code))
    return out


def _shows(f) -> str:
    return "\n".join(f.shows)


def _first_compiling(e):
    return next((f for f in e.fixes if f.validated == "compiles"), None)


LOADER = """#[derive(Debug, PartialEq)]
pub struct Page {
    pub bytes: Vec<u8>,
}

#[derive(Debug, PartialEq)]
pub enum Phase {
    Empty,
    Loading(Page),
    Ready(usize, Page),
}

pub struct Loader {
    pub phase: Phase,
}

impl Loader {
    pub fn feed(&mut self, b: u8) {
        match &mut self.phase {
            Phase::Empty => self.phase = Phase::Loading(Page { bytes: vec![b] }),
            Phase::Loading(p) => p.bytes.push(b),
            Phase::Ready(..) => {}
        }
    }

    /// Seal the page being loaded, keeping its bytes.
    pub fn seal(&mut self) {
        self.phase = match self.phase {
            Phase::Loading(page) => Phase::Ready(page.bytes.len(), page),
            other => other,
        };
    }
}

#[derive(Debug, Default, PartialEq)]
pub enum Light {
    #[default]
    Off,
    On(String),
}

/// Toggle through a `&mut` parameter: an `On` light goes off, an `Off` one comes on.
pub fn toggle(light: &mut Light, name: &str) {
    *light = match *light {
        Light::On(s) if s == name => Light::Off,
        Light::Off => Light::On(name.to_string()),
        keep => keep,
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn seals_and_toggles() {
        let mut l = Loader { phase: Phase::Empty };
        l.feed(1);
        l.feed(2);
        l.seal();
        assert_eq!(l.phase, Phase::Ready(2, Page { bytes: vec![1, 2] }));
        let mut light = Light::Off;
        toggle(&mut light, "hall");
        assert_eq!(light, Light::On("hall".to_string()));
        toggle(&mut light, "hall");
        assert_eq!(light, Light::Off);
    }
}
"""


def test_a_match_assigned_back_to_the_place_it_moves_from_takes_the_state_out(tmp_path):
    field, deref = _checked(
        tmp_path, "loader", LOADER, "self.phase = match self.phase", "*light = match *light"
    )
    fix = _first_compiling(field)
    assert fix is not None and fix is field.fixes[0], [(f.name, f.validated) for f in field.fixes]
    assert "std::mem::replace(&mut self.phase, Phase::Empty)" in _shows(fix), fix.shows
    # only the scrutinee changes: the binding arm `other => other` stores its value back already
    changed = [ln for ln in fix.patch.splitlines() if ln[:1] in "+-" and ln[:3] not in ("+++", "---")]
    assert len(changed) == 2 and len(fix.edits) == 1, fix.patch
    assert "leaves `Phase::Empty` in `self.phase` only until the match's result is assigned back" in (
        fix.name + fix.cost
    ), (fix.name, fix.cost)
    # `Light` derives `Default`: the stand-in is the default, reached through the `&mut` parameter
    take = _first_compiling(deref)
    assert take is not None and "std::mem::take(light)" in _shows(take), [f.shows for f in deref.fixes]
    assert all(".clone()" not in _shows(f) for f in deref.fixes[: deref.fixes.index(take)])
    assert crate_tests_with(tmp_path, "loader", fix, take) == "ok"


EARLY = """pub enum Step {
    Idle,
    Busy(String),
}

pub struct Worker {
    step: Step,
}

impl Worker {
    pub fn finish(&mut self) -> Option<usize> {
        self.step = match self.step {
            Step::Busy(job) if job.is_empty() => return None,
            Step::Busy(job) => Step::Busy(job + "!"),
            other => other,
        };
        Some(1)
    }
}
"""


def test_no_assigned_back_replace_when_an_arm_leaves_before_the_assignment(tmp_path):
    """An arm that returns would leave the stand-in in the place: the shape is not offered."""
    root = write_lib(tmp_path, "early", EARLY)
    report = run_check(root, target_dir=tmp_path / "target")
    moves = [d for d in report.diagnostics if d.code_str == "E0507"]
    assert moves, [d.message for d in report.diagnostics]
    read = lambda rel: (root / rel).read_bytes()  # noqa: E731
    assert all(replace_state(d, read, ("src/lib.rs",)) == [] for d in moves)
    # the same match without the early exit gets it
    fine = EARLY.replace("            Step::Busy(job) if job.is_empty() => return None,\n", "")
    (root / "src/lib.rs").write_text(fine)
    report = run_check(root, target_dir=tmp_path / "target")
    got = [
        c
        for d in report.diagnostics
        if d.code_str == "E0507"
        for c in replace_state(d, read, ("src/lib.rs",))
    ]
    assert [e.replacement for c in got for e in c.edits] == ["std::mem::replace(&mut self.step, Step::Idle)"]


ROUTER = """use std::collections::{BTreeMap, HashMap};

pub type Route = Box<dyn Fn(&str) -> String>;

#[derive(Default)]
pub struct Router {
    routes: HashMap<String, Route>,
    hits: BTreeMap<String, u64>,
    owners: BTreeMap<u32, String>,
}

impl Router {
    pub fn add(&mut self, path: &str, owner: u32, r: Route) {
        self.routes.insert(path.to_string(), r);
        self.hits.insert(path.to_string(), 0);
        self.owners.insert(owner, path.to_string());
    }

    pub fn paths(&self) -> Vec<String> {
        let mut p: Vec<String> = self.routes.into_keys().collect();
        p.sort();
        p
    }

    pub fn total_hits(&self) -> Vec<u64> {
        self.hits.into_values().collect()
    }

    pub fn owned_paths(&self) -> Vec<String> {
        self.owners.into_values().collect()
    }

    pub fn longest(&self) -> usize {
        let mut n = 0;
        for path in self.owners.into_values() {
            n = n.max(path.len());
        }
        n
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn lists() {
        let mut r = Router::default();
        r.add("/b", 2, Box::new(|q| q.to_uppercase()));
        r.add("/a", 1, Box::new(|q| q.to_string()));
        assert_eq!(r.paths(), vec!["/a", "/b"]);
        assert_eq!(r.total_hits(), vec![0, 0]);
        assert_eq!(r.owned_paths(), vec!["/a", "/b"]);
        assert_eq!(r.longest(), 2);
        assert_eq!((r.routes["/b"])("x"), "X");
    }
}
"""


def test_a_consuming_method_on_a_borrowed_collection_gets_its_borrowing_twin(tmp_path):
    keys, copies, clones, loop = _checked(
        tmp_path,
        "router",
        ROUTER,
        "self.routes.into_keys()",
        "self.hits.into_values()",
        "self.owners.into_values().collect()",
        "for path in self.owners.into_values()",
    )
    # the values are `Box<dyn Fn>`: no clone of the map compiles; the keys alone are copied
    k = _first_compiling(keys)
    assert k is not None and "self.routes.keys().cloned().collect()" in _shows(k), keys.fixes
    assert "`self.routes` stays whole" in k.name + k.cost, (k.name, k.cost)
    c = _first_compiling(copies)
    assert c is not None and "self.hits.values().copied().collect()" in _shows(c), copies.fixes
    s = _first_compiling(clones)
    assert s is not None and "self.owners.values().cloned().collect()" in _shows(s), clones.fixes
    # a loop that only reads each item: the plain twin compiles and copies nothing
    p = _first_compiling(loop)
    assert p is not None and "for path in self.owners.values() {" in _shows(p), loop.fixes
    assert crate_tests_with(tmp_path, "router", k, c, s, p) == "ok"


LEDGER = """pub enum Entry {
    Note(String),
    Sum { label: String, cents: u64 },
}

pub fn label_width(entries: &[Entry]) -> usize {
    let mut w = 0;
    for e in entries {
        if let Entry::Sum { label, .. } = *e {
            w = w.max(label.len());
        }
    }
    w
}

pub fn note_of(e: &Entry) -> &str {
    match *e {
        Entry::Note(text) => if text.is_empty() { "-" } else { "note" },
        Entry::Sum { .. } => "sum",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn widths() {
        let v = vec![Entry::Note("n".into()), Entry::Sum { label: "rent".into(), cents: 5 }];
        assert_eq!(label_width(&v), 4);
        assert_eq!(note_of(&v[0]), "note");
    }
}
"""


def test_a_pattern_moving_out_of_a_shared_reference_reads_the_reference_itself(tmp_path):
    """`= *e` where `e: &Entry`: the borrow is `e` itself, never `&*e` (clippy::borrow_deref_ref)."""
    loop, param = _checked(tmp_path, "ledger", LEDGER, "= *e {", "match *e {")
    for e, want in ((loop, "if let Entry::Sum { label, .. } = e {"), (param, "match e {")):
        fix = _first_compiling(e)
        assert fix is not None and fix is e.fixes[0] and want in _shows(fix), [f.shows for f in e.fixes]
        assert not fix.new_lints, fix.new_lints
        assert all("&*e" not in _shows(f) for f in e.fixes), [f.shows for f in e.fixes]
    assert crate_tests_with(tmp_path, "ledger", loop.fixes[0], param.fixes[0]) == "ok"
