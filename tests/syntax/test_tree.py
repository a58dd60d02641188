"""The syntax layer answers shape questions from the tree: loops, closures, patterns, receivers, tails."""

from __future__ import annotations

from engine.syntax.tree import binding_of, bindings, enclosing_fn, identifiers, shape

SRC = b"""struct S { name: String }
impl std::fmt::Display for S {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result { write!(f, "{}", self.name) }
}
impl S {
    fn take(self) -> String { self.name }
    async fn wait(&mut self) {}
}
fn main() {
    let v = vec![String::new()];
    for s in v { drop(s); }
    let mut total: usize = 0;
    let add = |x: usize| x + 1;
    let Some(first) = v.first() else { return };
    let text = "for s in v";  // a string that looks like a loop
    if total > 0 { total += 1 }
    match total { 0 => {}, n => total = n }
    v.len()
}
"""


def test_for_iterable_is_a_loop_only_in_code_not_in_a_string() -> None:
    start = SRC.index(b"for s in v {") + len(b"for s in ")
    loop = shape(SRC, start, start + 1)
    assert loop.for_iterable and loop.kind == "identifier"
    s = SRC.index(b'"for s in v"') + len(b'"for s in ')
    assert not shape(SRC, s, s + 1).for_iterable


def test_receivers_and_signatures() -> None:
    s = SRC.index(b"self.name }") + 1
    take = enclosing_fn(SRC, s)
    assert take is not None and take.name == "take" and take.self_param == "self"
    assert take.return_type == "String" and take.in_impl_of is None
    fmt = enclosing_fn(SRC, SRC.index(b"write!"))
    assert fmt is not None and fmt.self_param == "&self" and fmt.in_impl_of == "std::fmt::Display"
    wait = enclosing_fn(SRC, SRC.index(b"async fn wait") + 20)
    assert wait is not None and wait.is_async and wait.self_param == "&mut self" and wait.return_type is None
    call = SRC.index(b"v.first()")
    assert shape(SRC, call, call + 1).method_call == "first"


def test_closures_patterns_tails_and_if_without_else() -> None:
    x = SRC.index(b"x + 1")
    assert shape(SRC, x, x + 1).in_closure is not None
    first = SRC.index(b"first)")
    assert shape(SRC, first, first + 5).in_pattern
    assert not shape(SRC, x, x + 5).in_pattern
    tail = SRC.index(b"v.len()")
    assert shape(SRC, tail, tail + len(b"v.len()")).tail_expression
    inc = SRC.index(b"total += 1")
    sh = shape(SRC, inc, inc + len(b"total += 1"))
    assert sh.if_without_else is not None and sh.if_without_else.text.startswith("if total > 0")


def test_bindings_know_mut_kind_and_scope() -> None:
    found = {(b.name, b.kind, b.mutable) for b in bindings(SRC)}
    assert {
        ("v", "let", False),
        ("s", "for", False),
        ("total", "let", True),
        ("x", "closure-param", False),
    } <= found
    assert ("first", "let", False) in found and ("n", "pattern", False) in found
    total = binding_of(SRC, "total", SRC.index(b"total > 0"))
    assert total is not None and total.mutable and total.type_text == "usize" and total.range.line == 12
    assert binding_of(SRC, "s", SRC.index(b"v.len()")) is None  # the loop's `s` is out of scope there
    assert {"v", "S", "name", "total"} <= identifiers(SRC) and "w" not in identifiers(SRC)


def test_broken_code_still_parses_around_the_error() -> None:
    broken = b"fn main() { let mut x = ; for y in z { y.push( } }"
    s = broken.index(b"z")
    assert shape(broken, s, s + 1).for_iterable
    assert enclosing_fn(broken, s) is not None


def test_let_initializer_is_the_bound_value_only_for_a_let() -> None:
    from engine.syntax.tree import let_initializer

    value = let_initializer(SRC, "v", SRC.index(b"v.len()"))
    assert value is not None and value.text == "vec![String::new()]" and value.line == 10
    assert let_initializer(SRC, "x", SRC.index(b"x + 1")) is None  # a closure parameter
    assert (
        let_initializer(SRC, "first", SRC.index(b"let text")) is None
    )  # let-else pattern, not a plain value


def test_bound_by_let_names_the_binding_only_for_a_lets_whole_value() -> None:
    from engine.syntax.tree import bound_by_let

    def at(text: bytes) -> tuple[int, int]:
        start = SRC.index(text)
        return start, start + len(text)

    assert bound_by_let(SRC, *at(b"vec![String::new()]")) == "v"
    zero = SRC.index(b"usize = 0;") + len(b"usize = ")
    assert bound_by_let(SRC, zero, zero + 1) == "total"  # `let mut total: usize = 0`
    assert bound_by_let(SRC, *at(b"x + 1")) is None  # a closure's body, not the `let add` value
    assert bound_by_let(SRC, *at(b"v.first()")) is None  # a let-else pattern binds no one name
    assert bound_by_let(SRC, *at(b"v.len()")) is None  # a tail, no `let`


def test_item_text_is_the_whole_declaration() -> None:
    from engine.syntax.tree import item_text

    assert item_text(SRC, SRC.index(b"struct S") + 7) == "struct S { name: String }"
    assert item_text(SRC, 0) is not None


def test_shape_names_the_binary_operator_and_the_side_through_parentheses() -> None:
    from engine.syntax.tree import shape

    src = b"fn f(a: u32, b: &[u8]) -> u32 { a + (b.len()) }\nfn g(mut x: u8) { x += 1u16; }\n"
    i = src.index(b"b.len()")
    s = shape(src, i, i + len(b"b.len()"))
    assert (s.operator, s.operand_side) == ("+", "right")
    i = src.index(b"a +")
    assert (shape(src, i, i + 1).operator, shape(src, i, i + 1).operand_side) == ("+", "left")
    i = src.index(b"1u16")
    assert shape(src, i, i + 4).operator == "+="
    i = src.index(b"b: &")
    assert shape(src, i, i + 1).operator is None


def test_defined_names_finds_types_and_traits_at_any_depth_but_not_uses() -> None:
    from engine.syntax.tree import defined_names

    src = b"struct S; mod m { pub trait T {} enum E { A } }\nfn g() { struct Inner; let s: Vec<S> = vec![]; }\ntype Alias = u8;\n"
    names = defined_names(src)
    assert names["type"] == {"S", "E", "Inner", "Alias"}
    assert names["trait"] == {"T"}
