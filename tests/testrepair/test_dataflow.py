"""The failing assertion's data flow: the lines that compute the compared value, in the fns that the
assertion's own statements call, and not the lines beside them that feed nothing the test checked."""

from __future__ import annotations

from engine.syntax.program import functions
from engine.syntax.tree import parse
from engine.testrepair.callgraph import CallGraph
from engine.testrepair.dataflow import assertion_flow, output_units, slice_units, units

LIB = b"""pub struct Meter { total: u32, seen: u32 }

impl Meter {
    pub fn add(&mut self, x: u32) {
        let doubled = x * 2;
        let unused = x + 7;
        if doubled > 10 {
            self.total += doubled;
        }
        println!("{}", unused);
    }
}

pub fn scale(x: u32) -> u32 {
    let base = x + 1;
    let label = format!("{}", x);
    match base {
        0 => 0,
        n => n * 3,
    }
}

pub fn unrelated(y: u32) -> u32 {
    y - 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scales() {
        let other = unrelated(4);
        let got = scale(2);
        assert_eq!(got, 9);
    }
}
"""


def _line(text: str) -> int:
    return next(i for i, ln in enumerate(LIB.decode().split("\n"), 1) if text in ln)


def test_a_fns_output_slice_follows_names_and_guards_and_skips_the_rest() -> None:
    fn = next(n for n in parse(LIB).root_node.named_children if n.type == "impl_item")
    node = next(n for n in fn.named_children[-1].named_children if n.type == "function_item")
    us = units(node)
    lines = {n for u in slice_units(us, output_units(us)) for n in u.lines}
    assert _line("let doubled") in lines and _line("self.total += doubled") in lines
    assert _line("if doubled > 10") in lines  # it guards a write through self
    assert _line("let unused") not in lines and _line("println!") not in lines


def test_assertion_flow_marks_the_checked_fn_and_not_a_call_the_assertion_does_not_use() -> None:
    files = {"src/lib.rs": LIB}
    fns = {"src/lib.rs": functions(LIB)}
    graph = CallGraph(files, fns, {"src/lib.rs"})
    flow = assertion_flow(files, fns, graph, [("src/lib.rs", _line("assert_eq!(got, 9)"))])
    assert flow[("src/lib.rs", _line("let base = x + 1"))] == 1.0
    assert flow[("src/lib.rs", _line("n => n * 3"))] == 1.0  # a tail match's arm is the value
    assert ("src/lib.rs", _line("let label")) not in flow  # feeds nothing returned
    assert ("src/lib.rs", _line("y - 1")) not in flow  # `other` is not what the assertion compared
    assert ("src/lib.rs", _line("self.total += doubled")) not in flow  # not called at all
