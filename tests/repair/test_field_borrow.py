"""A `&mut self` method called while a field of `self` is borrowed (E0499/E0502): inlined at the call
when its body touches only other fields, so the borrows are of disjoint fields; not offered when the
body touches the borrowed field too. Real cargo on crates written here; the inlined call compiles and
the crate's own test passes; the method, left without a caller, goes with it."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.edits import apply_edits
from engine.repair.field_borrow import inline_field_method
from tests.explain.crates import cargo_test, errors_of, write_lib
from toolbelt.cargo_run import run_check

RUNNER = """pub struct Job {
    pub name: String,
    pub runs: usize,
}

pub struct Runner {
    jobs: Vec<Job>,
    log: String,
    total: usize,
}

impl Runner {
    fn note(&mut self, what: &str, n: usize) {
        self.log.push_str(what);
        self.log.push(' ');
        self.total += n;
    }

    pub fn tick(&mut self) -> usize {
        for j in &mut self.jobs {
            j.runs += 1;
            self.note(&j.name, j.runs);
        }
        self.total
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn ticks() {
        let jobs = vec![super::Job { name: "a".into(), runs: 0 }, super::Job { name: "b".into(), runs: 2 }];
        let mut r = super::Runner { jobs, log: String::new(), total: 0 };
        assert_eq!(r.tick(), 4);
        assert_eq!(r.log, "a b ");
    }
}
"""

# the method also reads the borrowed field: inlining cannot split the borrows
SHARED = RUNNER.replace("self.total += n;", "self.total += n + self.jobs.len();")


@pytest.mark.slow
def test_a_method_on_other_fields_is_inlined(tmp_path: Path) -> None:
    root = write_lib(tmp_path, "runner", RUNNER)
    errs = errors_of(root, tmp_path)
    assert errs and errs[0].code_str in ("E0499", "E0502"), errs
    read = lambda rel: (root / rel).read_bytes()  # noqa: E731
    cands = inline_field_method(errs[0], read)
    assert [c.family for c in cands] == ["inline-field-method"] * 2, cands
    lib = root / "src" / "lib.rs"
    lib.write_bytes(apply_edits(RUNNER.encode(), list(cands[0].edits)))
    assert "let what = &j.name; let n = j.runs; self.log.push_str(what);" in lib.read_text()
    assert "fn note" not in lib.read_text()  # its only caller is gone: no dead code is left behind
    report = run_check(root, target_dir=tmp_path / "target")
    assert not report.diagnostics, report.diagnostics
    tests = cargo_test(root)
    assert tests.returncode == 0, tests.stderr


@pytest.mark.slow
def test_a_method_on_the_borrowed_field_is_not_inlined(tmp_path: Path) -> None:
    root = write_lib(tmp_path, "shared", SHARED)
    errs = errors_of(root, tmp_path)
    assert errs and errs[0].code_str in ("E0499", "E0502"), errs
    read = lambda rel: (root / rel).read_bytes()  # noqa: E731
    assert not [c for d in errs for c in inline_field_method(d, read)]
