"""A fix's title, label and cost say what its final patch does (`engine.explain.patchwords`,
`engine.explain.bounds`): quoted code is the code the patch writes, a borrow finished by a copy is
named and costed as a copy, a "No copy" trade-off is taken back when every checked fix copies, and a
bound on an impl block says it reaches every method. Real cargo on crates written here."""

from __future__ import annotations

import pytest

from engine.explain import patchwords
from engine.explain.validation import validate
from tests.explain.crates import explain_lib

# a chain's second step took out the `&` the first step's title quotes
RANGE_PATCH = """--- a/src/lib.rs
+++ b/src/lib.rs
@@ -3,3 +3,3 @@
-    for k in 0..row.len() {
-        let x = row[k];
+    for cell in row {
+        let x = *cell;
"""


def test_a_title_quotes_the_code_the_patch_writes_not_the_first_steps():
    title = "Iterate `row`'s items: `for cell in &row`"
    assert patchwords.quoted_from_patch(title, RANGE_PATCH) == "Iterate `row`'s items: `for cell in row`"
    # a quote the patch writes, and a bare name, are kept
    assert patchwords.quoted_from_patch("Use `for cell in row`", RANGE_PATCH) == "Use `for cell in row`"


def test_copies_are_counted_against_the_removed_lines():
    patch = '--- a/x\n+++ b/x\n@@ -1 +1 @@\n-    let a = b.clone();\n+    let a = b.clone().to_vec(); f(format!("{a:?}"))\n'
    assert patchwords.inserted_copies(patch) == ["to_vec", "format"]


pytestmark_slow = pytest.mark.slow

CLOSURE = """pub fn attempt<F>(tries: u32, op: F) -> Result<String, ()>
where
    F: Fn() -> Result<String, ()>,
{
    let mut last = Err(());
    for _ in 0..tries {
        last = op();
    }
    last
}

pub fn label_of(name: String) -> Result<String, ()> {
    attempt(3, || Ok(name))
}
"""


@pytestmark_slow
def test_a_borrow_finished_by_a_copy_is_named_and_costed_as_the_copy(tmp_path, monkeypatch):
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    stories = explain_lib(tmp_path, "labels", CLOSURE)
    run = validate(list(stories), tmp_path / "labels")
    e = next(e for e in run.explanations if e.code == "E0507")
    shown = [f for f in e.fixes if f.validated != "fails"]
    copying = [f for f in shown if patchwords.inserted_copies(f.patch)]
    assert copying, [(f.name, f.patch) for f in shown]
    for f in copying:
        assert not f.name.lower().startswith("borrow"), f.name
        assert f.cost and "No copy" not in f.cost, (f.name, f.cost)
    if all(patchwords.inserted_copies(f.patch) for f in shown):
        for o in e.options:
            assert not ("borrow" in o.name and "No copy" in o.tradeoff), (o.name, o.tradeoff)


QUEUE = """pub struct Task {
    pub title: String,
}

pub fn titles(tasks: &[Task]) -> Vec<String> {
    tasks.iter().map(|t| t.title).collect()
}
"""


@pytestmark_slow
def test_a_borrowed_to_string_beside_the_clone_is_not_offered_as_a_borrow(tmp_path, monkeypatch):
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    stories = explain_lib(tmp_path, "tasks", QUEUE)
    run = validate(list(stories), tmp_path / "tasks")
    fixes = [f for e in run.explanations for f in e.fixes if f.validated != "fails"]
    added = ["".join(f.shows) for f in fixes]
    assert any("t.title.clone()" in a for a in added), added
    assert not any("(&t.title).to_string()" in a for a in added), added
    for f in fixes:
        if patchwords.inserted_copies(f.patch):
            assert "borrow" not in f.name.lower().split(",")[0], f.name


TALLY = """pub struct Tally<N> {
    items: Vec<N>,
}

impl<N> Tally<N> {
    pub fn new() -> Self {
        Tally { items: Vec::new() }
    }

    pub fn push(&mut self, n: N) {
        self.items.push(n);
    }

    pub fn sum(&self) -> N
    where
        N: Default,
    {
        let mut s = N::default();
        for n in &self.items {
            s = s + *n;
        }
        s
    }
}
"""


@pytestmark_slow
def test_a_bound_on_the_impl_block_says_it_reaches_every_method_and_the_public_api(tmp_path, monkeypatch):
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    stories = explain_lib(tmp_path, "tally", TALLY)
    run = validate(list(stories), tmp_path / "tally")
    e = next(e for e in run.explanations if e.code == "E0369")
    on_impl = [
        f
        for f in e.fixes
        if f.validated != "fails" and any(s.lstrip().startswith("impl<N:") for s in f.shows)
    ]
    assert on_impl, [(f.name, f.shows) for f in e.fixes]
    for f in on_impl:
        assert "every method of the impl of `Tally` (`new`, `push`, `sum`)" in f.cost, f.cost
        assert "`Tally` is `pub`, so this changes its public API" in f.cost, f.cost
        assert "`Tally<N>` then accepts only the types that meet the new bound" in f.cost, f.cost
    # the knowledge base's "the function accepts only types with these impls" is true of the bound
    # on `sum` alone, which is offered beside them and leads (tests/explain/test_narrow_bounds.py)
    narrow = [f for f in e.fixes if f.validated == "compiles" and "only `sum` requires it" in f.cost]
    assert narrow, [(f.name, f.cost) for f in e.fixes]
    assert e.fixes.index(narrow[0]) < min(e.fixes.index(f) for f in on_impl)
