"""A trait made not dyn compatible by one generic method (E0038): `where Self: Sized` and a trait
object argument, both as patches, judged by real cargo on a crate written here."""

from __future__ import annotations

from pathlib import Path

from engine.edits import apply_edits
from engine.repair.dyn_method import dyn_compatible_method
from tests.explain.crates import write_lib
from toolbelt.cargo_run import run_check

SINKS = """pub trait Sink {
    fn name(&self) -> String;
    fn dump<W: std::io::Write>(&self, out: &mut W) -> std::io::Result<()>;
}

pub struct Stdout;

impl Sink for Stdout {
    fn name(&self) -> String {
        "stdout".into()
    }
    fn dump<W: std::io::Write>(&self, out: &mut W) -> std::io::Result<()> {
        writeln!(out, "{}", self.name())
    }
}

pub fn dump_all(sinks: &[Box<dyn Sink>], out: &mut Vec<u8>) {
    for s in sinks {
        s.dump(out).unwrap();
    }
}
"""


def test_the_trait_object_argument_compiles_where_the_method_is_called_on_dyn(tmp_path: Path) -> None:
    root = write_lib(tmp_path, "sinks", SINKS)
    diags = [d for d in run_check(root, target_dir=tmp_path / "target").diagnostics if d.code_str == "E0038"]
    source = (root / "src" / "lib.rs").read_bytes()
    cands = dyn_compatible_method(diags[0], lambda _p: source, ("src/lib.rs",))
    assert [c.description.split()[0] for c in cands] == ["keep", "take"]
    green = {}
    for c in cands:
        patched = apply_edits(source, c.edits).decode()
        (root / "src" / "lib.rs").write_text(patched)
        green[c.description.split()[0]] = run_check(root, target_dir=tmp_path / "target").status == "clean"
        if c.description.startswith("take"):
            assert patched.count("out: &mut dyn std::io::Write") == 2  # the trait and its impl
    assert green == {"keep": False, "take": True}  # `dump_all` calls `dump` on `dyn Sink`


# the type parameter taken by value (`item: T`): a `dyn` value has no size, so it comes in as
# `&dyn Debug` and each call on the trait object passes a borrow (#14)
PROBES = """use std::fmt::Debug;

pub trait Probe {
    fn record<T: Debug>(&self, tag: &str, item: T) -> String;
}

pub struct Terse;

impl Probe for Terse {
    fn record<T: Debug>(&self, tag: &str, item: T) -> String {
        format!("{tag}={item:?}")
    }
}

pub fn run(probes: &[Box<dyn Probe>], xs: Vec<u8>) -> Vec<String> {
    probes.iter().map(|p| p.record("xs", xs.clone())).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn records() {
        let ps: Vec<Box<dyn super::Probe>> = vec![Box::new(super::Terse)];
        assert_eq!(super::run(&ps, vec![1]), vec!["xs=[1]".to_string()]);
    }
}
"""


def test_a_parameter_by_value_becomes_a_borrowed_trait_object_and_its_calls_borrow(tmp_path: Path) -> None:
    root = write_lib(tmp_path, "probes", PROBES)
    diags = [d for d in run_check(root, target_dir=tmp_path / "target").diagnostics if d.code_str == "E0038"]
    source = (root / "src" / "lib.rs").read_bytes()
    cands = dyn_compatible_method(diags[0], lambda _p: source, ("src/lib.rs",))
    take = next(c for c in cands if c.description.startswith("take"))
    assert "its call passes a borrow" in take.description, take.description
    patched = apply_edits(source, take.edits).decode()
    assert patched.count("item: &dyn Debug") == 2 and 'p.record("xs", &xs.clone())' in patched, patched
    (root / "src" / "lib.rs").write_text(patched)
    assert run_check(root, target_dir=tmp_path / "target").status == "clean"
