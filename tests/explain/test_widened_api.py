"""A fix that compiles by making a private item `pub` says that it widens the API (#14, review E
top-5 #3, e10): the item leaves its module's privacy, and every caller may then use it directly.
Real cargo on a crate written here; the rule on diffs."""

from __future__ import annotations

import pytest

from engine.explain.options import public_derives
from engine.explain.validation import validate
from tests.explain.crates import explain_lib

# a counter whose setter is private: the caller outside the module calls it
STOCK = """pub mod store {
    pub struct Stock {
        count: u32,
    }

    impl Stock {
        pub fn empty() -> Self {
            Stock { count: 0 }
        }

        fn set(&mut self, n: u32) {
            self.count = n;
        }

        pub fn count(&self) -> u32 {
            self.count
        }
    }
}

pub fn restock(s: &mut store::Stock) -> u32 {
    s.set(12);
    s.count()
}
"""


@pytest.mark.slow
def test_making_a_private_method_pub_says_it_widens_the_api(tmp_path) -> None:
    (e,) = validate(list(explain_lib(tmp_path, "stock", STOCK)), tmp_path / "stock").explanations
    fix = next(o for o in e.fixes if any("pub fn set(&mut self, n: u32) {" in ln for ln in o.shows))
    assert fix.validated == "compiles", fix.fails_because
    assert "makes `set` `pub`, widening the API beyond its module" in fix.cost, fix.cost


def test_only_a_line_that_gains_pub_is_a_widening() -> None:
    gains = "@@ -3,3 +3,3 @@\n     impl A {\n-        fn apply(&mut self) {}\n+        pub fn apply(&mut self) {}\n"
    assert public_derives(gains) == "makes `apply` `pub`, widening the API beyond its module"
    field = "@@ -1,3 +1,3 @@\n pub struct A {\n-    total: u64,\n+    pub total: u64,\n }\n"
    assert public_derives(field) == "makes `total` `pub`, widening the API beyond its module"
    added = "@@ -3,2 +3,5 @@\n     impl A {\n+        pub fn new() -> Self {\n+            A\n+        }\n"
    assert public_derives(added) == ""  # a new item is new API, not an opened one
    changed = "@@ -3,2 +3,2 @@\n-        fn apply(&mut self) {}\n+        pub fn apply(&self) {}\n"
    assert public_derives(changed) == ""  # more than a `pub` changed: not this claim
