"""A private field written from outside its module (`c.hits += 1`) is a write, not a read (#14):
the syntax tree says which side of `=`/`op=` rustc's span is on. The story says "writes", offers a
method that makes the change, and no getter (a getter's value cannot be assigned to: E0067). The
read of the same field keeps the getter. Real cargo on a crate written here."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.repair.privacy import add_getter
from tests.explain.crates import explain_lib, story, write_lib
from toolbelt.cargo_run import run_check

pytestmark = pytest.mark.slow

COUNTER = """mod stats {
    pub struct Counter {
        hits: u64,
    }

    impl Counter {
        pub fn new() -> Self {
            Counter { hits: 0 }
        }
    }
}

pub fn bump(c: &mut stats::Counter) {
    c.hits += 1;
}

pub fn seen(c: &stats::Counter) -> u64 {
    c.hits
}
"""


def test_a_write_to_a_private_field_is_told_as_a_write_and_gets_no_getter(tmp_path: Path) -> None:
    stories = explain_lib(tmp_path, "counter", COUNTER)
    write = story(stories, COUNTER, "c.hits += 1;", "E0616")
    assert "writes the private field `hits`" in write.summary, write.summary
    assert "getter" not in " ".join(o.name for o in write.options), write.options
    reader = COUNTER.replace("    c.hits += 1;\n", "")
    read = story(explain_lib(tmp_path / "r", "reader", reader), reader, "    c.hits", "E0616")
    assert "reads the private field `hits`" in read.summary, read.summary

    root = write_lib(tmp_path / "again", "counter", COUNTER)
    report = run_check(root, target_dir=tmp_path / "target2")
    read_file = lambda rel: (root / rel).read_bytes()  # noqa: E731
    by_line = {d.primary.line_start: d for d in report.diagnostics if d.code_str == "E0616" and d.primary}
    lines = COUNTER.splitlines()
    write_line = next(i for i, ln in enumerate(lines, 1) if "c.hits += 1;" in ln)
    read_line = next(i for i, ln in enumerate(lines, 1) if ln.strip() == "c.hits")
    assert add_getter(by_line[write_line], read_file, ("src/lib.rs",)) == []
    assert add_getter(by_line[read_line], read_file, ("src/lib.rs",)), "a read keeps its getter"
