"""A type's own `impl` blocks: found once for both constructors and where a new method goes."""

from __future__ import annotations

from engine.syntax.design import constructors, struct_def

SRC = b"""pub struct Stack<T> {
    items: Vec<T>,
}

impl<T> Default for Stack<T> {
    fn default() -> Self {
        Stack { items: Vec::new() }
    }
}

impl<T> crate::Stack<T> {
    pub fn new() -> Self {
        Stack { items: Vec::new() }
    }
}

impl<T> Stack<T> {
    fn with(items: Vec<T>) -> Stack<T> {
        Stack { items }
    }
}
"""


def test_a_path_qualified_generic_impl_is_the_types_own_and_a_trait_impl_is_not() -> None:
    assert [c.name for c in constructors(SRC, "Stack")] == ["new", "with"]
    sd = struct_def(SRC, "Stack")
    assert sd is not None
    assert sd.impl_open == SRC.index(b"impl<T> crate::Stack<T> {") + len(b"impl<T> crate::Stack<T> {")


def test_no_own_impl_leaves_no_opening() -> None:
    src = b"struct P {\n    x: u8,\n}\n\nimpl Clone for P {\n    fn clone(&self) -> P {\n        P { x: self.x }\n    }\n}\n"
    sd = struct_def(src, "P")
    assert sd is not None and sd.impl_open is None
    assert constructors(src, "P") == []
