"""Shape questions that decide whether a way out holds for the code in front of Rusta.

- `returned`: the expression at the span is what its function gives back (inside a `return`, or
  the tail of the body through `if`/`match`/block tails): it cannot be moved earlier.
- `self_method_call`: the span is a call `self.m(..)` (or its `self`); gives `m`.
- `first_self_field`: the first field a place reached from `self` goes through
  (`self.rooms[at].doors.iter()` gives `rooms`).
- `self_fields_of_method`: the `self.f` fields a method of the file names, through the `self.m()`
  calls it makes; None when a called method is not in the file (unknown).
- `binding_used_in_scope`: whether the name a struct-pattern field binds is used where the pattern
  binds it (a match arm's guard and body, an `if let`'s block); None when the scope is not known.
- `operator_at`: the operator and the side the named operand sits on, for the binary expression at
  the span.
- `ref_operator_impl`: the file has `impl Op<..> for &T` (left operand borrowed) or `impl Op<&T> for
  T` (right operand borrowed).
- `generic_bounds`: the traits bounding a trait method's type parameters and `impl Trait` arguments.
- `dyn_incompatible_traits`: the traits the file defines that cannot be made into objects (a
  generic method, a `Self: Sized` supertrait, a method returning `Self` without `where Self: Sized`).
- `pub_fns_naming`: names of the `pub fn`s whose body names an item (but the failing use's own).
- `shared_ref_source`: the std method call that gave a binding its shared reference (`counts.get(&w)`
  in `if let Some(c) = counts.get(&w)`, `v.iter()` in `for x in v.iter()`, through `.unwrap()`,
  `.expect(..)` and `?`), with the sibling that lends `&mut` (`get_mut`, `iter_mut`).
- `lifetime_types`: the structs, enums and unions the file defines with a lifetime parameter
  (`Record<'a>`): a type that borrows, with no owned form to return instead.
- `stored_in_self`: the span is an assignment to a field of `self` or a method call on one
  (`self.names.push(name)`): the value is kept in `self`, not returned.
- `similar_binding`: a binding in scope at a use whose name is spelled almost like the unresolved one
  (`msg` for `mesage`): at most two edits, or three when one name keeps the other's letters in order.

Pure: bytes and byte offsets in, booleans and names out. Tree-sitter nodes never leave this module.
"""

from __future__ import annotations

import re
from typing import NamedTuple

import tree_sitter

from engine.syntax.tree import ancestors, binding_of, bindings, node_at, node_text, parse, preorder

# the parts of an expression whose value becomes the enclosing expression's value
_VALUE_CARRIERS = ("if_expression", "else_clause", "match_expression", "match_block", "match_arm")


def returned(source: bytes, start: int, end: int) -> bool:
    node = node_at(source, start, end)
    cur = node
    for a in ancestors(node):
        if a.type == "return_expression":
            return True
        if a.type in ("function_item", "closure_expression"):
            return a.type == "function_item" and cur.id == (a.child_by_field_name("body") or cur).id
        if a.type in ("let_declaration", "for_expression", "while_expression", "loop_expression"):
            return False
        if a.type == "expression_statement" and node_text(a).rstrip().endswith(";"):
            return False
        if a.type == "block":
            kids = a.named_children
            if not kids or kids[-1].id != cur.id:
                return False  # a statement in the middle of a block
            parent = a.parent
            if parent is not None and parent.type not in (*_VALUE_CARRIERS, "function_item", "block"):
                if parent.type not in ("expression_statement", "unsafe_block"):
                    return False
        cur = a
    return False


def self_method_call(source: bytes, start: int, end: int) -> str | None:
    node = node_at(source, start, end)
    for n in (node, *ancestors(node)):
        if n.type == "call_expression":
            fn = n.child_by_field_name("function")
            if (
                fn is not None
                and fn.type == "field_expression"
                and node_text(fn.child_by_field_name("value")) == "self"
            ):
                return node_text(fn.child_by_field_name("field")) or None
            return None
        if n.type in ("expression_statement", "block", "function_item"):
            return None
    return None


def first_self_field(source: bytes, start: int, end: int) -> str | None:
    node = node_at(source, start, end)
    for n in (node, *preorder(node)):
        if n.type == "field_expression" and node_text(n.child_by_field_name("value")) == "self":
            return node_text(n.child_by_field_name("field")) or None
    return None


def _methods(root: tree_sitter.Node) -> dict[str, tree_sitter.Node]:
    out: dict[str, tree_sitter.Node] = {}
    for n in preorder(root):
        if n.type == "function_item" and any(a.type == "impl_item" for a in ancestors(n)):
            params = n.child_by_field_name("parameters")
            if params is not None and any(p.type == "self_parameter" for p in params.named_children):
                out.setdefault(node_text(n.child_by_field_name("name")), n)
    return out


def self_fields_of_method(source: bytes, name: str) -> frozenset[str] | None:
    methods = _methods(parse(source).root_node)
    fields: set[str] = set()
    todo, seen = [name], set()
    while todo:
        m = todo.pop()
        if m in seen:
            continue
        seen.add(m)
        fn = methods.get(m)
        body = fn.child_by_field_name("body") if fn is not None else None
        if body is None:
            return None
        for n in preorder(body):
            if n.type == "field_expression" and node_text(n.child_by_field_name("value")) == "self":
                call = n.parent
                if (
                    call is not None
                    and call.type == "call_expression"
                    and call.child_by_field_name("function") == n
                ):
                    todo.append(node_text(n.child_by_field_name("field")))
                else:
                    fields.add(node_text(n.child_by_field_name("field")))
            elif n.type == "self" and (n.parent is None or n.parent.type != "field_expression"):
                return None  # `self` passed whole: every field may be touched
    return frozenset(fields)


def _pattern_root(node: tree_sitter.Node) -> tuple[tree_sitter.Node, tree_sitter.Node] | None:
    """(the pattern's top node, the node that binds it) for a node inside a pattern."""
    cur = node
    for a in ancestors(node):
        if a.type in ("match_arm", "let_condition", "let_declaration"):
            return cur, a
        if a.type in ("block", "function_item", "closure_expression"):
            return None
        cur = a
    return None


def _bound_names(field: tree_sitter.Node) -> list[str]:
    pat = field.child_by_field_name("pattern")
    if pat is None:  # shorthand `{ len }`
        return [node_text(c) for c in field.named_children if c.type == "shorthand_field_identifier"]
    return [node_text(n) for n in preorder(pat) if n.type == "identifier"] or (
        [node_text(pat)] if pat.type == "identifier" else []
    )


def binding_used_in_scope(source: bytes, start: int, end: int) -> bool | None:
    node = node_at(source, start, end)
    field = next((a for a in (node, *ancestors(node)) if a.type == "field_pattern"), None)
    found = _pattern_root(field) if field is not None else None
    if field is None or found is None:
        return None
    names = set(_bound_names(field))
    if not names:
        return False  # `field: _` or a literal: nothing bound
    top, binder = found
    scopes: list[tree_sitter.Node] = []
    if binder.type == "match_arm":
        scopes = [c for c in binder.named_children if c.id != top.id]
        guard = top.child_by_field_name("condition") if top.type == "match_pattern" else None
        scopes += [guard] if guard is not None else []  # the guard lives in the arm's pattern node
    elif binder.type == "let_condition":
        owner = next((a for a in ancestors(binder) if a.type in ("if_expression", "while_expression")), None)
        body = (
            owner.child_by_field_name("consequence") or owner.child_by_field_name("body") if owner else None
        )
        scopes = [body] if body is not None else []
    else:  # let: the rest of its block
        sib = binder.next_named_sibling
        while sib is not None:
            scopes.append(sib)
            sib = sib.next_named_sibling
        alt = binder.child_by_field_name("alternative")
        scopes += [alt] if alt is not None else []
    if not scopes:
        return None
    return any(n.type == "identifier" and node_text(n) in names for s in scopes for n in preorder(s))


def operator_at(source: bytes, start: int, end: int, operand: str) -> tuple[str, str] | None:
    node = node_at(source, start, end)
    for n in (node, *ancestors(node)):
        if n.type in ("binary_expression", "compound_assignment_expr"):
            left, right = n.child_by_field_name("left"), n.child_by_field_name("right")
            side = "left" if node_text(left) == operand else "right" if node_text(right) == operand else None
            op = node_text(n.child_by_field_name("operator"))
            return (op, side) if side else None
        if n.type in ("block", "function_item"):
            return None
    return None


def ref_operator_impl(source: bytes, trait: str, side: str, typ: str) -> bool:
    """`impl Op<..> for &typ` (side "left") or `impl Op<&typ> for ..` (side "right") in the file."""
    borrowed = re.compile(r"&\s*(?:'\w+\s+)?(?:\w+::)*" + re.escape(typ) + r"\b")
    for n in preorder(parse(source).root_node):
        if n.type != "impl_item":
            continue
        t = node_text(n.child_by_field_name("trait"))
        if t.split("<", 1)[0].rsplit("::", 1)[-1].strip() != trait:
            continue
        if side == "left" and borrowed.match(node_text(n.child_by_field_name("type"))):
            return True
        if side == "right" and borrowed.search(t.partition("<")[2]):
            return True
    return False


def _trait_names(bounds: tree_sitter.Node) -> list[str]:
    out = []
    for b in bounds.named_children:
        t = node_text(b).removeprefix("?")
        if t and not t.startswith("'"):
            out.append(t)
    return out


def generic_bounds(source: bytes, trait: str, method: str) -> list[str] | None:
    """The bounds (`Into<f64>`, `Debug`) on the type parameters and `impl Trait` arguments of
    `method` in the file's `trait` definition; None when the method is not found."""
    for n in preorder(parse(source).root_node):
        if n.type != "trait_item" or node_text(n.child_by_field_name("name")) != trait:
            continue
        for m in preorder(n):
            if m.type not in ("function_signature_item", "function_item"):
                continue
            if node_text(m.child_by_field_name("name")) != method:
                continue
            out: list[str] = []
            for x in preorder(m):
                if x.type == "trait_bounds":
                    out += _trait_names(x)
                elif x.type == "abstract_type":  # `impl Into<f64>`
                    out.append(node_text(x.child_by_field_name("trait")))
            return out
    return None


def dyn_incompatible_traits(source: bytes) -> frozenset[str]:
    out: set[str] = set()
    for n in preorder(parse(source).root_node):
        if n.type != "trait_item":
            continue
        bounds = n.child_by_field_name("bounds")
        if bounds is not None and "Sized" in _trait_names(bounds):
            out.add(node_text(n.child_by_field_name("name")))
            continue
        for m in preorder(n):
            if m.type not in ("function_signature_item", "function_item"):
                continue
            sized = "Self: Sized" in node_text(m.child_by_field_name("where_clause") or m)
            ret = node_text(m.child_by_field_name("return_type"))
            params = m.child_by_field_name("parameters")
            no_self = params is None or not any(p.type == "self_parameter" for p in params.named_children)
            generic = m.child_by_field_name("type_parameters") is not None or "impl " in node_text(params)
            if not sized and (generic or no_self or re.search(r"\bSelf\b", ret)):
                out.add(node_text(n.child_by_field_name("name")))
    return frozenset(out)


def pub_fns_naming(source: bytes, name: str, skip_at: int = -1) -> list[str]:
    """The `pub fn`s whose body names `name`, but the one around byte `skip_at` (the failing use)."""
    out = []
    for n in preorder(parse(source).root_node):
        if n.type != "function_item" or node_text(n.child_by_field_name("name")) == name:
            continue
        if n.start_byte <= skip_at < n.end_byte:
            continue
        if not any(c.type == "visibility_modifier" and node_text(c) == "pub" for c in n.children):
            continue
        body = n.child_by_field_name("body")
        if body is not None and any(x.type == "identifier" and node_text(x) == name for x in preorder(body)):
            out.append(node_text(n.child_by_field_name("name")))
    return out


# std methods that lend `&` to what a collection or an Option holds, and their siblings lending `&mut`
MUT_SIBLINGS = {
    "get": "get_mut", "iter": "iter_mut", "first": "first_mut", "last": "last_mut",
    "values": "values_mut", "front": "front_mut", "back": "back_mut", "as_ref": "as_mut",
    "as_deref": "as_deref_mut", "split_first": "split_first_mut", "split_last": "split_last_mut",
    "chunks": "chunks_mut", "peek": "peek_mut",
}  # fmt: skip
_UNWRAPS = ("unwrap", "expect", "unwrap_unchecked")  # `Option<&T>` -> `&T`: the reference passes through


class RefSource(NamedTuple):
    binding: str  # the name that holds the shared reference
    method: str  # `get`
    sibling: str  # `get_mut`
    method_start: int  # the method name's bytes, where the sibling goes
    method_end: int
    call_start: int  # the whole call `counts.get(&w)`
    call_end: int
    receiver_root: str | None  # `counts` in `counts.get(..)`, when the receiver is a plain name


def _bound_value(ident: tree_sitter.Node) -> tree_sitter.Node | None:
    """The expression a binding's pattern is matched against: a `let`'s value, an `if let`'s, a `for`'s
    iterable, a `match`'s scrutinee."""
    for a in ancestors(ident):
        if a.type in ("let_declaration", "let_condition", "for_expression"):
            return a.child_by_field_name("value")
        if a.type == "match_arm":
            owner = a.parent.parent if a.parent is not None else None
            return owner.child_by_field_name("value") if owner is not None else None
        if a.type in ("block", "function_item", "closure_expression", "parameters"):
            return None
    return None


def shared_ref_source(source: bytes, name: str, at: int) -> RefSource | None:
    b = binding_of(source, name, at)
    if b is None or b.kind not in ("let", "for", "pattern"):
        return None
    value = _bound_value(node_at(source, b.range.start, b.range.end))
    while value is not None:
        if value.type == "try_expression":
            value = value.named_children[0] if value.named_children else None
            continue
        fn = value.child_by_field_name("function") if value.type == "call_expression" else None
        if fn is None or fn.type != "field_expression":
            return None
        field = fn.child_by_field_name("field")
        method = node_text(field)
        if method in _UNWRAPS:
            value = fn.child_by_field_name("value")
            continue
        if method not in MUT_SIBLINGS or field is None:
            return None
        recv = fn.child_by_field_name("value")
        return RefSource(
            binding=name,
            method=method,
            sibling=MUT_SIBLINGS[method],
            method_start=field.start_byte,
            method_end=field.end_byte,
            call_start=value.start_byte,
            call_end=value.end_byte,
            receiver_root=node_text(recv) if recv is not None and recv.type == "identifier" else None,
        )
    return None


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance: the fewest inserts, deletes and swaps of one letter from `a` to `b`."""
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def _in_order(short: str, long: str) -> bool:
    it = iter(long)
    return all(c in it for c in short)


def _close(a: str, b: str) -> int | None:
    """How far apart two names are, when one is plausibly a slip for the other."""
    d = edit_distance(a, b)
    short, long = sorted((a, b), key=len)
    if (
        d <= 2
        and len(short) >= 3
        or d <= 3
        and len(short) >= 3
        and short[0] == long[0]
        and _in_order(short, long)
    ):
        return d
    return None


def similar_binding(source: bytes, name: str, at: int) -> str | None:
    """The one binding in scope at byte `at` closest in spelling to `name`; None when none is close or
    two are equally close."""
    found: dict[str, int] = {}
    for b in bindings(source):
        if b.name == name or b.name in found or b.name.startswith("_"):
            continue
        d = _close(name, b.name)
        if d is not None and binding_of(source, b.name, at) is not None:
            found[b.name] = d
    if not found:
        return None
    best = min(found.values())
    near = [n for n, d in found.items() if d == best]
    return near[0] if len(near) == 1 else None


def lifetime_types(source: bytes) -> frozenset[str]:
    out: set[str] = set()
    for n in preorder(parse(source).root_node):
        if n.type not in ("struct_item", "enum_item", "union_item"):
            continue
        params = n.child_by_field_name("type_parameters")
        if params is not None and any(c.type in ("lifetime", "lifetime_parameter") for c in preorder(params)):
            out.add(node_text(n.child_by_field_name("name")))
    return frozenset(out)


def _self_rooted(n: tree_sitter.Node | None) -> bool:
    while n is not None and n.type in ("field_expression", "index_expression"):
        n = n.child_by_field_name("value") or (n.named_children[0] if n.named_children else None)
    return n is not None and n.type == "self"


def stored_in_self(source: bytes, start: int, end: int) -> bool:
    node = node_at(source, start, end)
    for n in (node, *ancestors(node)):
        if n.type in ("assignment_expression", "compound_assignment_expr"):
            return _self_rooted(n.child_by_field_name("left"))
        if n.type == "call_expression":
            fn = n.child_by_field_name("function")
            if fn is not None and fn.type == "field_expression":
                return _self_rooted(fn.child_by_field_name("value"))
            return False
        if n.type in ("expression_statement", "block", "function_item", "let_declaration"):
            return False
    return False
