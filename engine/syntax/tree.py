"""Rust source as a tree-sitter tree, and the shape questions explain and repair ask of a span.

Why a tree and not regexes: "is this a pattern, a closure, a for-loop's iterable, a method with a
`self` receiver" are questions about structure; text that merely looks like `for x in v` inside a
string or a comment is not a loop. tree-sitter parses broken code too (an error node, not a refusal),
which is the normal state of a file with a compile error.

Pure: bytes in, Structs out. Tree-sitter nodes never leave this module.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from typing import Literal

import tree_sitter
import tree_sitter_rust

from engine.syntax.types import Binding, FnSig, Range, SelfKind, Shape

_local = threading.local()

_PATTERN_PARENTS = {
    "let_declaration": "pattern",
    "for_expression": "pattern",
    "match_arm": "pattern",
    "parameter": "pattern",
    "let_condition": "pattern",
}
_FN_KINDS = ("function_item", "function_signature_item")


@functools.cache
def _language() -> tree_sitter.Language:
    return tree_sitter.Language(tree_sitter_rust.language())


def _parser() -> tree_sitter.Parser:
    """One parser per thread: a tree-sitter Parser is not safe to share between threads."""
    p = getattr(_local, "parser", None)
    if p is None:
        p = _local.parser = tree_sitter.Parser(_language())
    return p


@functools.lru_cache(maxsize=64)
def parse(source: bytes) -> tree_sitter.Tree:
    """The tree of one file's bytes; cached, since explain and repair ask many questions of one file."""
    return _parser().parse(source)


def _range(node: tree_sitter.Node) -> Range:
    return Range(
        start=node.start_byte,
        end=node.end_byte,
        line=node.start_point[0] + 1,
        text=(node.text or b"").decode("utf-8", "replace"),
    )


def node_at(source: bytes, start: int, end: int) -> tree_sitter.Node:
    """The smallest named node that covers bytes [start, end)."""
    root = parse(source).root_node
    node = root.named_descendant_for_byte_range(start, max(start, end - 1 if end > start else end))
    node = node or root
    while node.parent is not None and (node.start_byte > start or node.end_byte < end):
        node = node.parent
    return node


def node_text(n: tree_sitter.Node | None) -> str:
    """A node's source text, "" for a child the grammar left out: questions about an optional
    field (`child_by_field_name`) then read as "no text" instead of each caller checking for None."""
    return (n.text or b"").decode("utf-8", "replace") if n is not None else ""


def preorder(node: tree_sitter.Node) -> Iterator[tree_sitter.Node]:
    """Every node under `node` (itself first), in source order, without recursion (deep trees)."""
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        stack.extend(reversed(n.children))


def ancestors(node: tree_sitter.Node) -> Iterator[tree_sitter.Node]:
    n = node.parent
    while n is not None:
        yield n
        n = n.parent


def compact(text: str) -> str:
    """`text` without whitespace: two spellings of one place (`self.jobs [ i ]`) compare equal."""
    return "".join(text.split())


def block_statement(node: tree_sitter.Node) -> tree_sitter.Node | None:
    """The statement of the nearest block that holds `node`; None past a fn or closure, whose body
    is another scope (a removal there is not the same statement sequence)."""
    n: tree_sitter.Node | None = node
    while n is not None and n.parent is not None and n.parent.type != "block":
        if n.type in ("function_item", "closure_expression"):
            return None
        n = n.parent
    return n if n is not None and n.parent is not None else None


def _is_within(inner: tree_sitter.Node, outer: tree_sitter.Node | None) -> bool:
    return outer is not None and outer.start_byte <= inner.start_byte and inner.end_byte <= outer.end_byte


def _in_pattern(node: tree_sitter.Node) -> bool:
    for parent in (node, *ancestors(node)):
        if parent.type.endswith("_pattern") or parent.type == "match_pattern":
            return True
        field = _PATTERN_PARENTS.get(parent.type)
        if field is not None:
            return _is_within(node, parent.child_by_field_name(field))
        if parent.type in ("block", "closure_expression", "function_item", "arguments"):
            return False
    return False


def _self_kind(param: tree_sitter.Node) -> SelfKind:
    text = (param.text or b"").decode()
    compact = "".join(text.split())
    if compact.startswith("&mut"):
        return "&mut self"
    if compact.startswith("&"):
        return "&self"
    return "mut self" if compact.startswith("mut") else "self"


def fn_sig(node: tree_sitter.Node) -> FnSig:
    """The signature facts of a `function_item` / `function_signature_item` node."""
    name = node.child_by_field_name("name")
    params = node.child_by_field_name("parameters")
    ret = node.child_by_field_name("return_type")
    self_param = next(
        (c for c in (params.named_children if params else []) if c.type == "self_parameter"), None
    )
    modifiers = next((c for c in node.children if c.type == "function_modifiers"), None)
    impl_of: str | None = None
    in_trait = False
    for a in ancestors(node):
        if a.type == "impl_item":
            trait = a.child_by_field_name("trait")
            impl_of = (trait.text or b"").decode() if trait is not None else None
            break
        if a.type == "trait_item":
            in_trait = True
            break
    return FnSig(
        name=(name.text or b"").decode() if name is not None else "",
        range=_range(node),
        self_param=_self_kind(self_param) if self_param is not None else "none",
        self_range=_range(self_param) if self_param is not None else None,
        return_type=(ret.text or b"").decode() if ret is not None else None,
        return_range=_range(ret) if ret is not None else None,
        is_async=modifiers is not None and b"async" in (modifiers.text or b""),
        in_impl_of=impl_of,
        in_trait=in_trait,
    )


def enclosing_fn(source: bytes, start: int, end: int | None = None) -> FnSig | None:
    node = node_at(source, start, start if end is None else end)
    for n in (node, *ancestors(node)):
        if n.type in _FN_KINDS:
            return fn_sig(n)
    return None


def shape(source: bytes, start: int, end: int) -> Shape:
    """What the code at [start, end) is: its node kind and the structures around it that matter."""
    node = node_at(source, start, end)
    closure = next((a for a in ancestors(node) if a.type == "closure_expression"), None)
    parent = node.parent
    for_iterable = (
        parent is not None
        and parent.type == "for_expression"
        and _is_within(node, parent.child_by_field_name("value"))
    )
    tail = statement = False
    if parent is not None and parent.type == "block":
        last = parent.named_children[-1] if parent.named_children else None
        tail = last is not None and last.id == node.id
    if parent is not None and parent.type == "expression_statement":
        statement = (parent.text or b"").rstrip().endswith(b";")
    if_node = next((a for a in (node, *ancestors(node)) if a.type == "if_expression"), None)
    if_without_else = (
        _range(if_node)
        if if_node is not None and if_node.child_by_field_name("alternative") is None
        else None
    )
    method: str | None = None
    if parent is not None and parent.type == "field_expression" and parent.parent is not None:
        call = parent.parent
        value = parent.child_by_field_name("value")
        if call.type == "call_expression" and value is not None and value.id == node.id:
            field = parent.child_by_field_name("field")
            method = (field.text or b"").decode() if field is not None else None
    operator, side = _operand_of(node)
    fn = next((a for a in ancestors(node) if a.type in _FN_KINDS), None)
    return Shape(
        kind=node.type,
        text=(node.text or b"").decode("utf-8", "replace"),
        in_pattern=_in_pattern(node),
        in_closure=_range(closure) if closure is not None else None,
        for_iterable=for_iterable,
        tail_expression=tail,
        statement=statement,
        if_without_else=if_without_else,
        await_on=parent is not None and parent.type == "await_expression",
        method_call=method,
        operator=operator,
        operand_side=side,
        enclosing_fn=fn_sig(fn) if fn is not None else None,
    )


_OPERATOR_KINDS = ("binary_expression", "compound_assignment_expr")


def _operand_of(node: tree_sitter.Node) -> tuple[str | None, Literal["left", "right"] | None]:
    """The binary operator `node` is a direct operand of (through parentheses), and on which side."""
    child, parent = node, node.parent
    while parent is not None and parent.type == "parenthesized_expression":
        child, parent = parent, parent.parent
    if parent is None or parent.type not in _OPERATOR_KINDS:
        return None, None
    op = parent.child_by_field_name("operator")
    left, right = parent.child_by_field_name("left"), parent.child_by_field_name("right")
    side: Literal["left", "right"] | None = (
        "left"
        if left is not None and left.id == child.id
        else "right"
        if right is not None and right.id == child.id
        else None
    )
    if op is None or side is None:
        return None, None
    return (op.text or b"").decode(), side


_TYPE_ITEMS = {
    "struct_item": "type",
    "enum_item": "type",
    "union_item": "type",
    "type_item": "type",
    "trait_item": "trait",
}


def _derived(item: tree_sitter.Node) -> set[str]:
    """The traits the `#[derive(..)]` attributes right above an item name (last path segment)."""
    out: set[str] = set()
    n = item.prev_named_sibling
    while n is not None and n.type in ("attribute_item", "line_comment", "block_comment"):
        t = compact(node_text(n))
        if t.startswith("#[derive(") and t.endswith(")]"):
            out |= {w.split("::")[-1] for w in t[len("#[derive(") : -2].split(",") if w}
        n = n.prev_named_sibling
    return out


def defined_names(source: bytes) -> dict[str, frozenset[str]]:
    """The names of the types ("type") and traits ("trait") this file defines, at any depth: what
    "is this type the crate's own" means when the orphan rule decides whether it may get an impl;
    and of the types it gives `Clone` ("clone": a derive, or an `impl Clone for`), which decides
    whether a way out that clones one of the crate's own values can compile."""
    found: dict[str, set[str]] = {"type": set(), "trait": set(), "clone": set()}
    stack = [parse(source).root_node]
    while stack:
        n = stack.pop()
        kind = _TYPE_ITEMS.get(n.type)
        if kind is not None:
            name = n.child_by_field_name("name")
            if name is not None:
                found[kind].add((name.text or b"").decode())
                # an alias (`type Rows = Vec<Row>`) is as `Clone` as what it names: not decided here
                if kind == "type" and (n.type == "type_item" or "Clone" in _derived(n)):
                    found["clone"].add((name.text or b"").decode())
        if n.type == "impl_item":
            trait, ty = n.child_by_field_name("trait"), n.child_by_field_name("type")
            if node_text(trait).split("::")[-1] == "Clone" and ty is not None:
                found["clone"].add(node_text(ty).split("<", 1)[0].split("::")[-1].strip())
        if n.type in ("source_file", "mod_item", "declaration_list", "function_item", "block", "impl_item"):
            stack.extend(n.named_children)
    return {k: frozenset(v) for k, v in found.items()}


def _pattern_idents(pattern: tree_sitter.Node) -> Iterator[tree_sitter.Node]:
    if pattern.type == "identifier":
        yield pattern
        return
    for c in pattern.named_children:
        if c.type in ("type_identifier", "scoped_identifier", "field_identifier"):
            continue
        if c.type == "field_pattern":  # `Point { x, y: b }`: the bound name is the last identifier
            ids = [n for n in c.named_children if n.type in ("identifier", "shorthand_field_identifier")]
            if ids:
                yield ids[-1]
            continue
        yield from _pattern_idents(c)


def _mutable(decl: tree_sitter.Node, ident: tree_sitter.Node) -> bool:
    if any(c.type == "mutable_specifier" for c in decl.children if c.end_byte <= ident.start_byte):
        return True
    prev = ident.prev_sibling
    return prev is not None and prev.type == "mutable_specifier"


def bindings(source: bytes) -> list[Binding]:
    """Every name the file binds, in source order: lets, parameters, for/match/closure patterns."""
    out: list[Binding] = []

    def visit(n: tree_sitter.Node) -> None:
        kind = {
            "let_declaration": "let",
            "for_expression": "for",
            "match_arm": "pattern",
            "let_condition": "pattern",
        }.get(n.type)
        if n.type == "parameter":
            kind = (
                "closure-param" if n.parent is not None and n.parent.type == "closure_parameters" else "param"
            )
        pattern = n.child_by_field_name("pattern") if kind else None
        if kind and pattern is not None:
            ty = n.child_by_field_name("type")
            for ident in _pattern_idents(pattern):
                out.append(
                    Binding(
                        name=(ident.text or b"").decode(),
                        kind=kind,  # type: ignore[arg-type]
                        range=_range(ident),
                        mutable=_mutable(n, ident),
                        type_text=(ty.text or b"").decode() if ty is not None and kind != "for" else None,
                    )
                )
        elif n.type == "closure_parameters":
            for c in n.named_children:
                if c.type == "identifier":
                    out.append(
                        Binding(
                            name=(c.text or b"").decode(),
                            kind="closure-param",
                            range=_range(c),
                            mutable=False,
                        )
                    )
        for c in n.named_children:
            visit(c)

    visit(parse(source).root_node)
    return out


# the nodes that end a binding's scope: a name bound inside one is not seen after it
_SCOPES = ("block", "function_item", "closure_expression", "for_expression", "match_arm", "if_expression")


@functools.lru_cache(maxsize=8)
def scoped_bindings(source: bytes) -> tuple[tuple[Binding, int, int], ...]:
    """Every binding with the bytes of its scope (the innermost enclosing block-like node), computed
    once per file: a question per identifier (`binding_of`) then costs no walk of the tree, which
    made following a handle's copies through a 2,000-line file take seconds."""
    out: list[tuple[Binding, int, int]] = []
    for b in bindings(source):
        scope = node_at(source, b.range.start, b.range.end)
        for a in ancestors(scope):
            if a.type in _SCOPES:
                scope = a
                break
        out.append((b, scope.start_byte, scope.end_byte))
    return tuple(out)


def binding_of(source: bytes, name: str, at: int) -> Binding | None:
    """The binding of `name` that is in scope at byte `at`: the last one before it in an enclosing block."""
    best: Binding | None = None
    for b, lo, hi in scoped_bindings(source):
        if b.name == name and b.range.start <= at and lo <= at <= hi:
            best = b
    return best


def declaration_of(source: bytes, b: Binding) -> tree_sitter.Node | None:
    """The `let` or parameter that binds `b`."""
    node = node_at(source, b.range.start, b.range.end)
    return next((a for a in ancestors(node) if a.type in ("let_declaration", "parameter")), None)


def let_initializer(source: bytes, name: str, at: int) -> Range | None:
    """The value of the `let` that binds `name` in scope at `at` (`reader.fill_buf()` in
    `let buf = reader.fill_buf();`); None for a parameter, a pattern, or a `let` without a value."""
    b = binding_of(source, name, at)
    if b is None or b.kind != "let":
        return None
    node = node_at(source, b.range.start, b.range.end)
    decl = next((a for a in ancestors(node) if a.type == "let_declaration"), None)
    if decl is None:
        return None
    pattern = decl.child_by_field_name("pattern")
    if pattern is None or pattern.type != "identifier":  # `let Some(x) = ..`: the value is not `x`
        return None
    value = decl.child_by_field_name("value")
    return _range(value) if value is not None else None


def bound_by_let(source: bytes, start: int, end: int) -> str | None:
    """The name a `let` binds the value at [start, end) to (`port` in `let port: u16 = <value>;`),
    None when the value is not a `let`'s whole initializer or the pattern is not one name: a fix that
    names the value after its binding needs the binding, not the nearest `let` in the text."""
    node = node_at(source, start, end)
    for n in (node, *ancestors(node)):
        if n.start_byte != start:
            return None
        parent = n.parent
        if parent is not None and parent.type == "let_declaration":
            value, pattern = parent.child_by_field_name("value"), parent.child_by_field_name("pattern")
            if value is None or value.id != n.id or pattern is None or pattern.type != "identifier":
                return None
            return node_text(pattern)
    return None


def untyped_let_at(source: bytes, at: int) -> int | None:
    """The end of the pattern of the `let` whose value contains byte `at`, when it has no type
    annotation (where `: T` would go); None otherwise."""
    node = node_at(source, at, at + 1)
    decl = next((a for a in (node, *ancestors(node)) if a.type == "let_declaration"), None)
    if decl is None or decl.child_by_field_name("type") is not None:
        return None
    value, pattern = decl.child_by_field_name("value"), decl.child_by_field_name("pattern")
    if value is None or pattern is None or not _is_within(node, value):
        return None
    return pattern.end_byte


def enclosing(source: bytes, start: int, end: int, kinds: tuple[str, ...]) -> tuple[str, Range] | None:
    """The nearest node of one of `kinds` around [start, end) (itself included): its kind and range."""
    node = node_at(source, start, end)
    for n in (node, *ancestors(node)):
        if n.type in kinds:
            return n.type, _range(n)
    return None


def item_text(source: bytes, at: int) -> str | None:
    """The whole struct/enum/union/fn item whose text contains byte `at` (a declaration's start)."""
    node = node_at(source, at, at + 1)
    for n in (node, *ancestors(node)):
        if n.type in ("struct_item", "enum_item", "union_item", "function_item", "impl_item", "trait_item"):
            return (n.text or b"").decode("utf-8", "replace")
    return None


def names_in(node: tree_sitter.Node) -> set[str]:
    """Every plain identifier under `node` (not type or field names): the variables and fns a piece
    of code binds or reads, which is what "does this statement touch `x`" asks."""
    return {node_text(c) for c in preorder(node) if c.type == "identifier"}


def identifiers(source: bytes) -> set[str]:
    """Every identifier the file names: what "the program has a `v`" means to an honest explanation."""
    names: set[str] = set()
    stack = [parse(source).root_node]
    while stack:
        n = stack.pop()
        if n.type in ("identifier", "type_identifier", "field_identifier", "shorthand_field_identifier"):
            names.add((n.text or b"").decode())
        stack.extend(n.children)
    return names


def struct_base(source: bytes, start: int, end: int) -> Range | None:
    """The base expression of the struct-update syntax around [start, end): `base` in
    `S { a: 1, ..base }`, which moves every field the literal does not name."""
    node = node_at(source, start, end)
    lit = next((n for n in (node, *ancestors(node)) if n.type == "struct_expression"), None)
    body = lit.child_by_field_name("body") if lit is not None else None
    for c in body.named_children if body is not None else ():
        if c.type == "base_field_initializer" and c.named_children:
            return _range(c.named_children[-1])
    return None
