"""Shape questions behind a story's "way out": facts from the tree that decide whether an option is
possible for the code in front of Rusta.

- `loop_over_other_borrow`: the span is in the body of a `for` loop whose iterable holds one of the
  other spans (`for it in self.items.iter_mut() { self.log(..) }`): the loop keeps the first borrow
  alive for its whole body, so no reordering inside the body ends it.
- `in_loop_body`: the span is inside the body of a `for`/`while`/`loop` of the same function (a value
  moved there is gone on the next iteration).
- `literal_conversion`: the span is a conversion of a string literal (`String::from("x")`,
  `"x".to_string()`, `"x".to_owned()`, `"x".into()`): a `&'static str` holds the same text.
- `get_mut_twice`: the span is the receiver of a `.get_mut(..)` call and so is another of the
  diagnostic's spans (two lookups on one map or slice, each holding a `&mut` into it).
- `keys_ruled_distinct`: the two `get_mut` calls' keys are compared (`a != b`, `a == b`, either order)
  in their function before the later call, so the code can rule equal keys out; with no such
  comparison, nothing does, and the two lookups may name one entry.
- `equal_keys_call`: a call of the function holding the two `get_mut` calls, in the same file,
  that passes one expression as both keys (`c.merge_hits("a", "a")`, a test's call): equal keys are
  a case the code must handle, so a way out that panics on them (`HashMap::get_disjoint_mut`) breaks
  that call.
- `match_value_unused`: the span is in the scrutinee of a `match` whose value nobody uses (a statement,
  or the tail of a function that returns nothing): only then can `if let` replace it.

- `calls_own_closure`: the span is a name used inside a closure whose `let` binds that same name
  (`let walk = |n| .. walk(m) ..`): a closure cannot see its own binding, which starts after it.

- `closure_to_spawn`: the span is a closure passed to `thread::spawn` (or `std::thread::spawn`), which
  requires `'static`: the closure can own what it captures, never borrow it from the caller.

- `type_parameters_around`: the generic type parameters the enclosing items declare.

- `assigned_in_inner_block`: a reassignment (E0384) in a block nested inside its binding's block: a
  shadowing `let` there would not outlive that block.

Pure: bytes and byte offsets in, booleans and names out. Tree-sitter nodes never leave this module.
"""

from __future__ import annotations

from collections.abc import Iterable

import tree_sitter

from engine.syntax.tree import ancestors, node_at, node_text, preorder

_LOOPS = ("for_expression", "while_expression", "loop_expression")
_BOUNDARY = ("function_item", "closure_expression", "impl_item", "trait_item")
_CONVERSIONS = frozenset({"to_string", "to_owned", "into", "from", "new"})


def _within(start: int, end: int, node: tree_sitter.Node | None) -> bool:
    return node is not None and node.start_byte <= start and end <= node.end_byte


def loop_over_other_borrow(source: bytes, start: int, end: int, others: Iterable[tuple[int, int]]) -> bool:
    node = node_at(source, start, end)
    spans = [(s, e) for s, e in others if (s, e) != (start, end)]
    for a in ancestors(node):
        if a.type in ("function_item", "impl_item"):
            return False
        if a.type != "for_expression":
            continue
        body, value = a.child_by_field_name("body"), a.child_by_field_name("value")
        if _within(start, end, body) and any(_within(s, e, value) for s, e in spans):
            return True
    return False


def in_loop_body(source: bytes, start: int, end: int) -> bool:
    node = node_at(source, start, end)
    for a in ancestors(node):
        if a.type == "function_item":
            return False
        if a.type in _LOOPS and _within(start, end, a.child_by_field_name("body")):
            return True
    return False


def calls_own_closure(source: bytes, start: int, end: int) -> bool:
    name = source[start:end]
    for a in ancestors(node_at(source, start, end)):
        if a.type == "function_item":
            return False
        if a.type != "closure_expression" or a.parent is None or a.parent.type != "let_declaration":
            continue
        pattern = a.parent.child_by_field_name("pattern")
        if pattern is not None and pattern.type == "identifier" and pattern.text == name:
            return True
    return False


def closure_to_spawn(source: bytes, start: int, end: int) -> bool:
    node = node_at(source, start, end)
    closure = next((a for a in (node, *ancestors(node)) if a.type == "closure_expression"), None)
    args = closure.parent if closure is not None else None
    call = args.parent if args is not None and args.type == "arguments" else None
    fn = call.child_by_field_name("function") if call is not None and call.type == "call_expression" else None
    return fn is not None and (fn.text or b"").replace(b" ", b"") in (b"thread::spawn", b"std::thread::spawn")


def in_thread_spawn(source: bytes, start: int, end: int) -> bool:
    """The span is a `thread::spawn(..)` call or lies inside one: the place where a borrow meets
    spawn's `'static` bound (rustc's E0521 points at the call, not at the bound)."""
    node = node_at(source, start, end)
    for a in (node, *ancestors(node)):
        fn = a.child_by_field_name("function") if a.type == "call_expression" else None
        if fn is not None and (fn.text or b"").replace(b" ", b"") in (
            b"thread::spawn",
            b"std::thread::spawn",
        ):
            return True
    return False


def method_on(source: bytes, start: int, end: int) -> str | None:
    """The method called on the expression at the span (`m` in `m.get_mut(k)` gives "get_mut")."""
    node = node_at(source, start, end)
    while node.parent is not None and node.parent.type == "parenthesized_expression":
        node = node.parent
    field = node.parent
    if field is None or field.type != "field_expression" or field.child_by_field_name("value") != node:
        return None
    call = field.parent
    if call is None or call.type != "call_expression" or call.child_by_field_name("function") != field:
        return None
    name = field.child_by_field_name("field")
    return name.text.decode("utf-8", "replace") if name is not None and name.text else None


def get_mut_twice(source: bytes, start: int, end: int, others: Iterable[tuple[int, int]]) -> bool:
    if method_on(source, start, end) != "get_mut":
        return False
    return any((s, e) != (start, end) and method_on(source, s, e) == "get_mut" for s, e in others)


def _get_mut_call(source: bytes, start: int, end: int) -> tree_sitter.Node | None:
    """The `recv.get_mut(key)` call whose receiver is the span."""
    if method_on(source, start, end) != "get_mut":
        return None
    node = node_at(source, start, end)
    while node.parent is not None and node.parent.type == "parenthesized_expression":
        node = node.parent
    field = node.parent
    return field.parent if field is not None else None


def _key_text(call: tree_sitter.Node) -> str | None:
    args = call.child_by_field_name("arguments")
    named = args.named_children if args is not None else []
    if len(named) != 1:
        return None
    return "".join((named[0].text or b"").decode("utf-8", "replace").split()).lstrip("&*")


def keys_ruled_distinct(source: bytes, spans: Iterable[tuple[int, int]]) -> bool | None:
    """Whether the function compares the keys of its two `get_mut` calls (the spans are their
    receivers) before the later one: True, it does; False, nothing rules equal keys out; None when
    the spans are not two such calls with one key each. A fix that panics on equal keys
    (`HashMap::get_disjoint_mut`) fits only where this is True."""
    calls = [c for s, e in spans if (c := _get_mut_call(source, s, e)) is not None]
    if len(calls) < 2:
        return None
    first, second = sorted(calls[:2], key=lambda c: c.start_byte)
    keys = {_key_text(first), _key_text(second)}
    if None in keys or len(keys) != 2:
        return None
    fn = next((a for a in ancestors(first) if a.type in ("function_item", "closure_expression")), None)
    if fn is None:
        return None
    for n in preorder(fn):
        if n.start_byte >= second.start_byte:
            break
        op = n.child_by_field_name("operator") if n.type == "binary_expression" else None
        if op is None or node_text(op) not in ("==", "!="):
            continue
        sides = {"".join(node_text(n.child_by_field_name(f)).split()).lstrip("&*") for f in ("left", "right")}
        if sides == keys:
            return True
    return False


def _flat(n: tree_sitter.Node) -> str:
    return "".join(node_text(n).split()).lstrip("&*")


def _calls(root: tree_sitter.Node) -> Iterable[tuple[int, str, str, bool, list[str]]]:
    """Each call under `root` as (start byte, its text, callee name, called with `.`, flattened arguments), those in
    a macro's tokens too (`assert!(c.merge(a, a))` is a token tree to the parser, not a call)."""
    for n in preorder(root):
        f = n.child_by_field_name("function") if n.type == "call_expression" else None
        args = n.child_by_field_name("arguments") if f is not None else None
        if f is not None and args is not None:
            dotted = f.type == "field_expression"
            callee = node_text(f.child_by_field_name("field")) if dotted else node_text(f).split("::")[-1]
            yield n.start_byte, node_text(n), callee, dotted, [_flat(a) for a in args.named_children]
        elif n.type == "token_tree":
            kids = n.children
            for k, (name, paren) in enumerate(zip(kids, kids[1:], strict=False)):
                if name.type != "identifier" or paren.type != "token_tree" or node_text(paren)[:1] != "(":
                    continue
                parts, cur = [], ""
                for t in paren.children[1:-1]:
                    if node_text(t) == ",":
                        parts.append(cur)
                        cur = ""
                    else:
                        cur += node_text(t)
                parts.append(cur)
                dotted = k > 0 and node_text(kids[k - 1]) == "."
                first = kids[k - 2] if dotted and k > 1 else name
                text = (root.text or b"")[
                    first.start_byte - root.start_byte : paren.end_byte - root.start_byte
                ]
                flat = [p.lstrip("&*") for p in parts if p]
                yield first.start_byte, text.decode("utf-8", "replace"), node_text(name), dotted, flat


def equal_keys_call(source: bytes, spans: Iterable[tuple[int, int]]) -> tuple[int, str] | None:
    """ "`c.merge_hits("a", "a")` at line 80": the first call in the file of the function holding
    the two `get_mut` calls (spans: their receivers) whose arguments for the two key parameters are
    one expression; None when the keys are not two of its parameters or no call passes them equal."""
    calls = [c for s, e in spans if (c := _get_mut_call(source, s, e)) is not None]
    if len(calls) < 2:
        return None
    first, second = sorted(calls[:2], key=lambda c: c.start_byte)
    keys = (_key_text(first), _key_text(second))
    fn = next((a for a in ancestors(first) if a.type == "function_item"), None)
    params = fn.child_by_field_name("parameters") if fn is not None else None
    if fn is None or params is None or None in keys or keys[0] == keys[1]:
        return None
    names = [
        node_text(p.child_by_field_name("pattern")) for p in params.named_children if p.type == "parameter"
    ]
    if keys[0] not in names or keys[1] not in names:
        return None
    i, j = names.index(keys[0]), names.index(keys[1])
    method = any(p.type == "self_parameter" for p in params.named_children)
    name = node_text(fn.child_by_field_name("name"))
    root = fn
    while root.parent is not None:
        root = root.parent
    for at, text, callee, dotted, args in _calls(root):
        if callee != name or fn.start_byte <= at < fn.end_byte:
            continue
        shift = int(method and not dotted)  # `Cache::merge_hits(&mut c, a, a)`: self is the first
        if max(i, j) + shift < len(args) and args[i + shift] == args[j + shift]:
            line = source[:at].count(b"\n") + 1
            return line, " ".join(text.split())
    return None


def _string_literal(n: tree_sitter.Node | None) -> bool:
    return n is not None and n.type in ("string_literal", "raw_string_literal")


def literal_conversion(source: bytes, start: int, end: int) -> bool:
    node = node_at(source, start, end)
    call = next((n for n in (node, *ancestors(node)) if n.type == "call_expression"), None)
    if call is None or not (call.start_byte <= start and end <= call.end_byte):
        return False
    fn, args = call.child_by_field_name("function"), call.child_by_field_name("arguments")
    named_args = args.named_children if args is not None else []
    if fn is not None and fn.type == "field_expression":  # "x".to_string()
        method = fn.child_by_field_name("field")
        name = (method.text or b"").decode() if method is not None else ""
        return name in _CONVERSIONS and not named_args and _string_literal(fn.child_by_field_name("value"))
    if fn is not None and fn.type == "scoped_identifier":  # String::from("x")
        last = fn.child_by_field_name("name")
        return (
            last is not None
            and (last.text or b"").decode() in _CONVERSIONS
            and len(named_args) == 1
            and _string_literal(named_args[0])
        )
    return False


def match_value_unused(source: bytes, start: int, end: int) -> bool:
    node = node_at(source, start, end)
    match = next((n for n in (node, *ancestors(node)) if n.type == "match_expression"), None)
    if match is None:
        return False
    stmt = match.parent
    if stmt is None or stmt.type != "expression_statement":
        return False  # a `let` initializer, an argument, a `return`: the value is used
    block = stmt.parent
    if (stmt.text or b"").rstrip().endswith(b";") or block is None or block.type != "block":
        return True
    if block.named_children and block.named_children[-1].id != stmt.id:
        return True  # a statement in the middle of a block: its value is discarded
    owner = block.parent
    if owner is not None and owner.type == "function_item":
        ret = owner.child_by_field_name("return_type")
        return ret is None or (ret.text or b"").strip() == b"()"
    return False  # the value of a block that some expression uses


def type_parameters_around(source: bytes, start: int, end: int) -> frozenset[str]:
    """The generic type parameters in scope at [start, end): every `<T, U: Bound>` of the items
    (fn, impl, trait, type definition) that enclose the span. A type named by one of them is the
    caller's choice, so no derive or impl can give it a trait; only a bound can."""
    names: set[str] = set()
    for a in ancestors(node_at(source, start, end)):
        params = a.child_by_field_name("type_parameters")
        if params is None:
            continue
        for p in params.named_children:
            name = p.child_by_field_name("name") if p.type == "type_parameter" else None
            if name is None and p.type == "type_identifier":
                name = p
            if name is not None and name.text:
                names.add(name.text.decode("utf-8", "replace"))
    return frozenset(names)


def type_parameter_declared(source: bytes, start: int, end: int, name: str) -> int | None:
    """Where the nearest item enclosing [start, end) declares the generic type parameter `name` (the
    byte offset of its `<...>` entry): the place a bound on it is written."""
    for a in ancestors(node_at(source, start, end)):
        params = a.child_by_field_name("type_parameters")
        for p in params.named_children if params is not None else ():
            node = p.child_by_field_name("name") if p.type == "type_parameter" else p
            if node is not None and node.type == "type_identifier" and node.text == name.encode():
                return p.start_byte
    return None


_PLACE_KINDS = ("field_expression", "index_expression", "identifier", "self", "parenthesized_expression")


def assigned_to(source: bytes, start: int, end: int) -> bool:
    """The place at [start, end) (a field, an index, a name, or a place built from one) is the left
    side of `=` or `op=`: the line writes it. A read and a write need different ways in (a getter
    cannot take a write), so a story about "reading" a place must know which it is."""
    node = node_at(source, start, end)
    for n in (node, *ancestors(node)):
        p = n.parent
        if p is not None and p.type in ("assignment_expression", "compound_assignment_expr"):
            left = p.child_by_field_name("left")
            return left is not None and left.id == n.id
        if p is None or p.type not in _PLACE_KINDS:
            return False
    return False


def assigned_in_inner_block(source: bytes, start: int, end: int, decl_start: int) -> bool:
    """The assignment at [start, end) sits in a block nested inside the block that declares the
    binding at `decl_start` (an `if` branch, a `match` arm, a loop body): a shadowing `let` there
    would end with that inner block, and the code after it would read the first value."""
    node = node_at(source, start, end)
    decl = node_at(source, decl_start, decl_start + 1)
    home = next((a for a in ancestors(decl) if a.type == "block"), None)
    if home is None:
        return False
    for a in ancestors(node):
        if a.type == "block":
            return a.id != home.id and home.start_byte <= a.start_byte and a.end_byte <= home.end_byte
    return False
