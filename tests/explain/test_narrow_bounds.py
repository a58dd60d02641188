"""Bounds at the narrowest scope, and the move a bound uncovers finished in the same fix (real cargo).

A generic impl whose one arithmetic method needs `Add + Copy` gets the bound in that method's
`where` clause, ranked above the impl-wide bound rustc points at; a generic maximum over a slice
(E0369 on `>`, then E0507 on `*best`) is finished by `Clone` and a clone, by `Copy`, or by
returning a borrow, each checked, and the one the crate's tests pass with leads.
"""

from __future__ import annotations

import pytest

from engine.explain.validation import validate
from engine.repair.move_bounds import moved_generic
from engine.repair.op_bounds import closed_operators
from tests.explain.crates import apply_fixes, cargo_test, errors_of, explain_lib, write_lib
from toolbelt.cargo_run import run_check

pytestmark = pytest.mark.slow

# a running aggregate: only `sum` does arithmetic, `labels` is for any `T`, and a test keeps a
# `Gauge<String>` (new + record) that a bound on the impl block would break
GAUGE = """use std::fmt::Display;

pub struct Gauge<T> {
    samples: Vec<T>,
}

impl<T> Gauge<T> {
    pub fn new() -> Self {
        Gauge { samples: Vec::new() }
    }

    pub fn record(&mut self, v: T) {
        self.samples.push(v);
    }

    pub fn sum(&self) -> T
    where
        T: Default,
    {
        let mut total = T::default();
        for s in self.samples.iter() {
            total = total + *s;
        }
        total
    }

    pub fn labels(&self) -> Vec<String>
    where
        T: Display,
    {
        self.samples.iter().map(|s| s.to_string()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_numbers_and_keeps_words() {
        let mut g = Gauge::new();
        g.record(4u64);
        g.record(5);
        assert_eq!(g.sum(), 9);
        let mut w: Gauge<String> = Gauge::new();
        w.record("x".to_string());
        assert_eq!(w.labels(), vec!["x".to_string()]);
    }
}
"""

# the largest reading of a slice, for any ordered `R`: nothing calls it yet, so every way out of the
# move builds
PEAK = """/// The greatest reading, or None for no readings.
pub fn peak<R>(readings: &[R]) -> Option<R> {
    let mut top = readings.first()?;
    for r in &readings[1..] {
        if r > top {
            top = r;
        }
    }
    Some(*top)
}
"""


def test_an_impl_parameter_bound_goes_on_the_method_and_leads_the_impl_wide_one(tmp_path, monkeypatch):
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    stories = explain_lib(tmp_path, "gauge", GAUGE)
    run = validate(list(stories), tmp_path / "gauge")
    e = next(e for e in run.explanations if e.code == "E0369")
    good = [f for f in e.fixes if f.validated == "compiles"]
    assert good, [(f.name, f.validated, f.fails_because) for f in e.fixes]
    lead = good[0]
    # the lead bound sits beside the method's own `T: Default`, and the impl header is untouched
    assert any(s.strip().startswith("T: Default + Add<Output = T> + ") for s in lead.shows), lead.shows
    assert not any(s.lstrip().startswith("impl<T:") for s in lead.shows), lead.shows
    narrow = ["".join(f.shows) for f in good if "only `sum` requires it" in f.cost]
    assert any("T: Default + Add<Output = T> + Copy," in a for a in narrow), narrow  # Copy, on `sum`
    assert "only `sum` requires it; the other methods of `Gauge` are unchanged" in lead.cost, lead.cost
    assert lead.tests_run == "passed", (lead.tests_run, lead.tests_failed)
    wide = [
        f
        for f in e.fixes
        if f.validated != "fails" and any(s.lstrip().startswith("impl<T:") for s in f.shows)
    ]
    for f in wide:  # rustc's bound on `impl<T>`: ranked below, and says how far it reaches
        assert e.fixes.index(f) > e.fixes.index(lead)
        assert "every method of the impl of `Gauge` (`new`, `record`, `sum`, `labels`)" in f.cost, f.cost
    root = tmp_path / "gauge"
    apply_fixes(root, lead)
    assert not errors_of(root, tmp_path)
    done = cargo_test(root)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_move_a_comparison_bound_uncovers_is_finished_three_ways(tmp_path, monkeypatch):
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    stories = explain_lib(tmp_path, "peak", PEAK)
    run = validate(list(stories), tmp_path / "peak")
    e = next(e for e in run.explanations if e.code == "E0369")
    finished = [f for f in e.fixes if f.steps and f.validated == "compiles"]
    added = {f.id: "".join(f.shows) for f in finished}
    clone = [f for f in finished if "PartialOrd + Clone" in added[f.id] and "top.clone()" in added[f.id]]
    copy = [f for f in finished if "PartialOrd + Copy" in added[f.id]]
    lent = [f for f in finished if "Option<&R>" in added[f.id] and "Some(top)" in added[f.id]]
    assert clone and copy and lent, [(f.name, f.shows, f.validated) for f in e.fixes]
    for f in (clone[0], copy[0]):
        assert "only `peak` requires it" in f.cost, f.cost
    # each way says what it costs the callers: a copy each, the owning types, or the return type
    assert "each call copies one `R`" in " ".join(clone[0].steps), clone[0].steps
    assert "(`String`, `Vec`) no longer compile" in " ".join(copy[0].steps), copy[0].steps
    assert "the return type changes" in " ".join(lent[0].steps), lent[0].steps
    lead = e.fixes[0]
    root = tmp_path / "peak"
    apply_fixes(root, lead)
    assert not errors_of(root, tmp_path)
    done = cargo_test(root)
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_moved_generic_in_a_method_is_bounded_in_its_where_clause(tmp_path):
    """The candidates alone: on an impl's parameter (no operator bound on the block) `Clone` and
    `Copy` go into the method's `where` clause; on a fn's own parameter, into its generic list."""
    src = GAUGE.replace("T: Default,", "T: Default + std::ops::Add<Output = T>,")
    root = write_lib(tmp_path, "gauge_moved", src)
    d = next(d for d in run_check(root, target_dir=tmp_path / "t").diagnostics if d.code_str == "E0507")
    text = (root / "src" / "lib.rs").read_bytes()

    def after(c) -> str:  # noqa: ANN001
        out = text
        for ed in sorted(c.edits, key=lambda e: -e.start):
            out = out[: ed.start] + ed.replacement.encode() + out[ed.end :]
        return out.decode()

    read = lambda rel: (root / rel).read_bytes()  # noqa: E731
    ways = {c.family: after(c) for c in moved_generic(d, read)}
    assert "T: Default + std::ops::Add<Output = T> + Clone," in ways["generic-clone"]
    assert "total = total + s.clone();" in ways["generic-clone"]
    assert "T: Default + std::ops::Add<Output = T> + Copy," in ways["generic-copy"]
    assert all("impl<T> Gauge<T>" in w for w in ways.values())
    ops = [after(c) for c in closed_operators(d, read)]
    assert ops and all("impl<T> Gauge<T>" in w for w in ops), ops  # the operators are on the method


# a comparison in one method of a generic shelf; a test keeps a `Shelf<Note>` whose `Note` has no
# order, which rustc's `impl<T: PartialOrd>` would break
SHELF = """#[derive(Debug)]
pub struct Note;

pub struct Shelf<T> {
    items: Vec<T>,
}

impl<T> Shelf<T> {
    pub fn new() -> Self {
        Shelf { items: Vec::new() }
    }

    pub fn push(&mut self, t: T) {
        self.items.push(t);
    }

    pub fn tallest(&self) -> Option<&T>
    where
        T: std::fmt::Debug,
    {
        let mut best = self.items.first()?;
        for it in &self.items {
            if it > best {
                best = it;
            }
        }
        Some(best)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shelves() {
        let mut s = Shelf::new();
        s.push(3);
        s.push(8);
        assert_eq!(s.tallest(), Some(&8));
        let mut notes: Shelf<Note> = Shelf::new();
        notes.push(Note);
    }
}
"""


def test_rustcs_bound_for_an_impl_parameter_is_moved_onto_the_method(tmp_path, monkeypatch):
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    stories = explain_lib(tmp_path, "shelf", SHELF)
    run = validate(list(stories), tmp_path / "shelf")
    e = next(e for e in run.explanations if e.code == "E0369")
    lead = e.fixes[0]
    assert lead.validated == "compiles" and lead.tests_run == "passed", [
        (f.name, f.validated) for f in e.fixes
    ]
    assert any(s.strip() == "T: std::fmt::Debug + std::cmp::PartialOrd," for s in lead.shows), lead.shows
    assert "only `tallest` requires it; the other methods of `Shelf` are unchanged" in lead.cost, lead.cost
    wide = [f for f in e.fixes if any(s.lstrip().startswith("impl<T:") for s in f.shows)]
    assert all(f.tests_failed or f.validated != "compiles" or e.fixes.index(f) > 0 for f in wide)
    root = tmp_path / "shelf"
    apply_fixes(root, lead)
    assert not errors_of(root, tmp_path)
    done = cargo_test(root)
    assert done.returncode == 0, done.stdout + done.stderr
