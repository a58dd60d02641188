"""The call graph links a method call to its receiver's type where the syntax tree shows that type, and
by name where it does not (a closure's argument, a chain through another call)."""

from __future__ import annotations

from engine.syntax.program import functions
from engine.syntax.receivers import base_type
from engine.testrepair.callgraph import CallGraph

SHAPES = b"""
pub struct Stack { items: Vec<u32>, meter: Meter }
pub struct Meter { n: usize }
pub struct Queue { items: Vec<u32> }

impl Meter {
    pub fn len(&self) -> usize { self.n }
}
impl Stack {
    pub fn new() -> Self { Stack { items: Vec::new(), meter: Meter { n: 0 } } }
    pub fn len(&self) -> usize { self.meter.len() }
    pub fn push(&mut self, x: u32) { self.items.push(x); }
}
impl Queue {
    pub fn new() -> Queue { Queue { items: Vec::new() } }
    pub fn len(&self) -> usize { self.items.len() }
    pub fn first(&self) -> Option<u32> { self.items.first().copied() }
}

pub fn total(q: &Queue, all: &[Queue]) -> usize {
    q.len() + all.iter().map(|x| x.len()).sum::<usize>()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stack_len() {
        let mut s = Stack::new();
        s.push(3);
        assert_eq!(s.len(), 0);
    }

    #[test]
    fn queue_len() {
        let q: Queue = Queue::new();
        assert_eq!(q.len(), 0);
    }

    #[test]
    fn totals() {
        assert_eq!(total(&Queue::new(), &[]), 0);
    }
}
"""


def _graph(src: bytes) -> CallGraph:
    files = {"src/lib.rs": src}
    return CallGraph(files, {"src/lib.rs": functions(src)}, {"src/lib.rs"})


def test_base_type_drops_references_paths_and_generics() -> None:
    assert base_type("&mut crate::a::Foo<'a, T>") == "Foo"
    assert base_type("&'a Self", owner="Bar<T>") == "Bar"
    assert base_type("(u8, u8)") == base_type("&[u8]") == base_type("impl Iterator") == ""


def test_method_calls_follow_the_receiver_type() -> None:
    fns = {(f.owner, f.name): f for f in functions(SHAPES)}
    assert ("len", "Meter") in fns[("Stack", "len")].typed_calls  # self.meter: a field's declared type
    assert ("push", "Vec") in fns[("Stack", "push")].typed_calls
    g = _graph(SHAPES)
    stack = g.of_test("tests::stack_len")
    assert {"Stack::new", "Stack::push", "Stack::len", "Meter::len"} <= set(stack)
    assert "Queue::len" not in stack and "Queue::new" not in stack  # by name, every `len` was reached
    queue = g.of_test("tests::queue_len")  # `let q: Queue`, called inside assert_eq!
    assert {k for k in queue if "::" in k} == {"Queue::new", "Queue::len"}


def test_an_unknown_receiver_falls_back_to_every_fn_of_that_name() -> None:
    reached = _graph(SHAPES).of_test("tests::totals")
    # `q: &Queue` is typed; the closure's `x` is not, so its `len` may be any crate `len`
    assert {"total", "Queue::new", "Queue::len", "Stack::len", "Meter::len"} <= set(reached)
    assert "Stack::push" not in reached


def test_a_doctest_enters_through_its_type_and_method() -> None:
    reached = _graph(SHAPES).of_test("src/lib.rs - Queue::len (line 3)")
    assert reached == {"Queue::len": 1}
    by_name = _graph(SHAPES).of_test("src/lib.rs - len (line 3)")
    assert {"Queue::len", "Stack::len", "Meter::len"} <= set(by_name)
