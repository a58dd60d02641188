"""Which parameters a function's returned reference can borrow from, read from its body.

Why: a function with several reference inputs and a borrowed result (E0106) needs one named
lifetime, and rustc's suggestion ties it to every input (`<'a>(a: &'a T, key: &'a str) -> &'a U`).
That compiles, and it over-constrains callers: a `key` built as a temporary can no longer be passed
by a function that returns the result. The result borrows only from the inputs its returned values
reach through their receiver chains (`user.values.get(key)` reaches `user`; `key` is a lookup
argument). This module answers that from the syntax tree; where it cannot tell (a call of another
function, a macro), it counts every parameter the expression names, so it never narrows on a guess.
Cargo has the last word: a narrowed signature is a candidate, validated like any other.

Pure: bytes in, names out; tree-sitter nodes never leave this module.
"""

from __future__ import annotations

import tree_sitter

from engine.syntax.tree import node_at, node_text, preorder

# methods whose non-closure arguments (or whose closure arguments' results) may be returned in place
# of the receiver's value: `a.or(b)`, `x.unwrap_or(d)`, `o.or_else(|| other.get(k))`, `a.max(b)`
_PASSES_ARGS = frozenset(
    {
        "or",
        "or_else",
        "unwrap_or",
        "unwrap_or_else",
        "map_or",
        "map_or_else",
        "xor",
        "max",
        "min",
        "max_by",
        "min_by",
        "chain",
        "zip",
        "unwrap_or_default",
        "get_or_insert",
        "get_or_insert_with",
    }
)
_TRANSPARENT = (
    "parenthesized_expression",
    "try_expression",
    "reference_expression",
    "type_cast_expression",
    "unary_expression",
)


def _params(fn: tree_sitter.Node) -> list[str]:
    ps = fn.child_by_field_name("parameters")
    out = []
    for p in ps.named_children if ps is not None else ():
        pat = p.child_by_field_name("pattern") if p.type == "parameter" else None
        if pat is not None and pat.type == "identifier":
            out.append(node_text(pat))
        elif p.type == "self_parameter":
            out.append("self")
    return out


def _returned(fn: tree_sitter.Node) -> list[tree_sitter.Node]:
    from engine.syntax.returned_tails import tails

    body = fn.child_by_field_name("body")
    if body is None:
        return []
    out = list(tails(body))
    for n in preorder(body):
        if n.type == "return_expression" and n.named_children:
            out += tails(n.named_children[0]) or [n.named_children[0]]  # (in a closure too: more, never less)
    return out


def _named(n: tree_sitter.Node, params: set[str]) -> set[str]:
    """Every parameter named anywhere under `n`: the answer where the tree cannot tell."""
    return {node_text(x) for x in preorder(n) if x.type in ("identifier", "self") and node_text(x) in params}


class _Sources:
    def __init__(self, fn: tree_sitter.Node, params: set[str]) -> None:
        self.fn, self.params, self.seen = fn, params, set[int]()

    def of(self, n: tree_sitter.Node) -> set[str]:
        if n.id in self.seen:
            return set()
        self.seen.add(n.id)
        t = n.type
        if t in ("identifier", "self"):
            name = node_text(n)
            return {name} if name in self.params else self._local(n, name)
        if t in (
            "string_literal",
            "raw_string_literal",
            "integer_literal",
            "boolean_literal",
            "char_literal",
        ):
            return set()
        if t == "field_expression":
            return self.of(n.child_by_field_name("value") or n)
        if t == "index_expression":
            return self.of(n.named_children[0]) if n.named_children else set()
        if t in _TRANSPARENT:
            return set().union(*(self.of(c) for c in n.named_children if c.type != "type_identifier"))
        if t in ("block", "if_expression", "match_expression"):
            from engine.syntax.returned_tails import tails

            ends = tails(n)
            return set().union(*(self.of(e) for e in ends)) if ends else _named(n, self.params)
        if t == "closure_expression":
            body = n.child_by_field_name("body")
            return self.of(body) if body is not None else set()
        if t == "call_expression":
            return self._call(n)
        return _named(n, self.params)

    def _call(self, n: tree_sitter.Node) -> set[str]:
        f, args = n.child_by_field_name("function"), n.child_by_field_name("arguments")
        if f is None or f.type != "field_expression":
            return _named(n, self.params)  # another function: any reference argument may come back
        from engine.syntax.method_outputs import call_sources

        if (own := call_sources(n)) is not None and args is not None:
            # the crate's own method: its signature says what the result borrows (`fields<'a>(&self,
            # line: &'a str) -> Vec<&'a str>` borrows `line`, not the receiver)
            listed = [a for a in args.named_children if a.type not in ("line_comment", "block_comment")]
            out = self.of(f.child_by_field_name("value") or f) if own[0] else set()
            for i in own[1]:
                out |= self.of(listed[i]) if i < len(listed) else set()
            return out
        out = self.of(f.child_by_field_name("value") or f)
        method = node_text(f.child_by_field_name("field"))
        if method in _PASSES_ARGS and args is not None:
            for a in args.named_children:
                out |= self.of(a)
        return out

    def _local(self, n: tree_sitter.Node, name: str) -> set[str]:
        """A local the value flows through: the sources of its `let` initializer (the latest one
        before the use); a name bound otherwise (a pattern, a closure parameter) counts nothing of
        the fn's own parameters, which reach it only through an expression already counted."""
        best = None
        for x in preorder(self.fn):
            if x.start_byte >= n.start_byte:
                break
            if x.type == "let_declaration":
                pat = x.child_by_field_name("pattern")
                if pat is not None and pat.type == "identifier" and node_text(pat) == name:
                    best = x
        if best is None:
            return self._pattern_bound(n, name)
        value = best.child_by_field_name("value")
        return self.of(value) if value is not None else set()

    def _pattern_bound(self, n: tree_sitter.Node, name: str) -> set[str]:
        """A name bound by a `match` arm's or an `if let`'s pattern: the sources of the value
        matched (`Some(h) => h` on `local.get(k)` reaches `local`)."""
        a = n.parent
        while a is not None and a.id != self.fn.id:
            pat, value = None, None
            if a.type == "match_arm" and a.parent is not None and a.parent.parent is not None:
                pat = a.child_by_field_name("pattern")
                value = a.parent.parent.child_by_field_name("value")
            elif a.type in ("if_expression", "while_expression"):
                cond = a.child_by_field_name("condition")
                if cond is not None and cond.type == "let_condition":
                    pat, value = cond.child_by_field_name("pattern"), cond.child_by_field_name("value")
            if pat is not None and value is not None:
                if any(x.type == "identifier" and node_text(x) == name for x in preorder(pat)):
                    return self.of(value)
            a = a.parent
        return set()


def borrowed_params(source: bytes, at: int) -> tuple[str, ...] | None:
    """The parameters (in order) that the values returned by the fn around byte `at` (its signature,
    usually) can borrow from, or None when the tree shows no fn there or no returned value."""
    fn: tree_sitter.Node | None = node_at(source, at, at + 1)
    while fn is not None and fn.type != "function_item":
        fn = fn.parent
    if fn is None:
        return None
    params = _params(fn)
    returned = _returned(fn)
    if not returned:
        return None
    walk = _Sources(fn, set(params))
    found: set[str] = set()
    for r in returned:
        found |= walk.of(r)
    return tuple(p for p in params if p in found)
