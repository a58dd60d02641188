"""Which statements of a fn produce its value: a def-use walk over the syntax tree, backwards from the
fn's outputs, and the expressions an assertion compares.

Why: a failing `assert_eq!(f(x), 3)` says the value `f` produced is wrong, so the bug sits on the path
that computed it: the returned expression first, then the statements that assign the names it reads,
then theirs, and the conditions that chose the branch. A statement no output depends on (a log line,
a check whose result is dropped) is not where the wrong value came from.

Names are the unit (no types, no aliasing): a `let` pattern, an assignment's target (`self.len` is
the name `self.len`; `v[i] = ..` and `v.push(..)` write `v`), a `for` pattern, a `match` arm's
pattern, and the `&mut x` passed to a call. A fn's outputs are its tail values, `return`s, and
writes through `self`, `*p` or a `&mut` parameter. The walk is flow-insensitive (every definition of
a wanted name counts), which over-approximates inside loops; depth is the number of def-use steps
from an output, so a returned expression ranks before a definition three steps back.

Pure: bytes in, line numbers out. Tree-sitter nodes never leave this module.
"""

from __future__ import annotations

from collections.abc import Iterator

import tree_sitter

from engine.syntax.tree import names_in, parse, preorder

_COMPOUND = ("if_expression", "match_expression", "while_expression", "for_expression", "loop_expression")
_ASSIGN = ("assignment_expression", "compound_assignment_expr")


class _Unit:
    """A statement, a value in tail position, or the head of a compound expression (its condition)."""

    __slots__ = ("node", "lines", "defs", "uses", "output", "guards")

    def __init__(self, node: tree_sitter.Node, guards: tuple[_Unit, ...]) -> None:
        self.node = node
        self.lines = range(node.start_point[0] + 1, node.end_point[0] + 2)
        self.defs: set[str] = set()
        self.uses: set[str] = set()
        self.output = False
        self.guards = guards


def _name(n: tree_sitter.Node) -> str:
    """The name an expression reads or writes: `self.a.b` -> `self.a`, `v[i]` / `v.f` / `*v` -> `v`."""
    while True:
        if n.type == "field_expression":
            base = n.child_by_field_name("value")
            if base is not None and base.type == "self":
                field = n.child_by_field_name("field")
                return f"self.{(field.text or b'').decode() if field is not None else ''}"
            if base is None:
                return ""
            n = base
        elif n.type in (
            "index_expression",
            "unary_expression",
            "reference_expression",
            "parenthesized_expression",
        ):
            if not n.named_children:
                return ""
            n = n.named_children[0]
        elif n.type == "call_expression":  # `v.iter_mut()` as a receiver: the chain's root
            fn = n.child_by_field_name("function")
            if fn is None or fn.type != "field_expression":
                return ""
            n = fn
        else:
            return (n.text or b"").decode() if n.type in ("identifier", "self") else ""


def _reads(n: tree_sitter.Node) -> set[str]:
    """The names an expression reads (`self.x` as `self.x`; a bare `self` as `self`)."""
    out: set[str] = set()
    for c in preorder(n):
        if c.type == "field_expression":
            name = _name(c)
            if name.startswith("self."):
                out.add(name)
        elif c.type == "identifier":
            p = c.parent
            if p is not None and p.type == "field_expression" and p.child_by_field_name("field") == c:
                continue
            out.add((c.text or b"").decode())
        elif c.type == "self":
            p = c.parent
            if not (p is not None and p.type == "field_expression"):
                out.add("self")
    return out


def _mut_params(fn: tree_sitter.Node) -> set[str]:
    out: set[str] = set()
    params = fn.child_by_field_name("parameters")
    for p in params.named_children if params is not None else ():
        t, pat = p.child_by_field_name("type"), p.child_by_field_name("pattern")
        if p.type == "self_parameter":
            if b"&mut" in (p.text or b"") or b"mut self" in (p.text or b""):
                out.add("self")
        elif t is not None and pat is not None and (t.text or b"").startswith(b"&mut"):
            out |= names_in(pat)
    return out


def _walk(n: tree_sitter.Node, tail: bool, guards: tuple[_Unit, ...], out: list[_Unit]) -> None:
    """Collect the units of a block or expression; `tail`: its value is the fn's value."""
    t = n.type
    if t in ("line_comment", "block_comment", "attribute_item"):
        return
    if t in ("block", "unsafe_block", "async_block"):
        kids = [c for c in n.named_children if c.type not in ("line_comment", "block_comment")]
        for i, c in enumerate(kids):  # a block-like last expression parses as a statement; no `;` ends it
            last = tail and i == len(kids) - 1 and not (c.text or b"").rstrip().endswith(b";")
            _walk(c, last, guards, out)
        return
    if t == "expression_statement":
        if n.named_children:
            _walk(n.named_children[0], tail, guards, out)
        return
    if t.endswith("_item"):  # nested fns, uses, consts: not this fn's statements
        return
    if t == "let_declaration":
        u = _Unit(n, guards)
        pat, value = n.child_by_field_name("pattern"), n.child_by_field_name("value")
        u.defs = names_in(pat) if pat is not None else set()
        u.uses = _reads(value) if value is not None else set()
        out.append(u)
        alt = n.child_by_field_name("alternative")
        if alt is not None:
            _walk(alt, False, (*guards, u), out)
        return
    if t in _COMPOUND:
        _compound(n, tail, guards, out)
        return
    u = _Unit(n, guards)
    u.uses = _reads(n)
    if t in _ASSIGN:
        left, right = n.child_by_field_name("left"), n.child_by_field_name("right")
        target = _name(left) if left is not None else ""
        u.defs = {target} if target else set()
        u.uses = (_reads(right) if right is not None else set()) | (
            u.uses if t == "compound_assignment_expr" else set()
        )
        if left is not None:  # `v[i] = x` reads `i`
            u.uses |= {r for c in left.named_children for r in _reads(c)} - u.defs
    elif t == "call_expression":
        fn = n.child_by_field_name("function")
        if fn is not None and fn.type == "field_expression":  # `v.push(x);` may write `v`
            recv = fn.child_by_field_name("value")
            root = _name(recv) if recv is not None else ""
            if root:
                u.defs.add(root)
        args = n.child_by_field_name("arguments")
        for a in args.named_children if args is not None else ():
            if a.type == "reference_expression" and any(c.type == "mutable_specifier" for c in a.children):
                root = _name(a)
                if root:
                    u.defs.add(root)
    u.output = tail or t == "return_expression" or any(c.type == "return_expression" for c in preorder(n))
    out.append(u)


def _compound(n: tree_sitter.Node, tail: bool, guards: tuple[_Unit, ...], out: list[_Unit]) -> None:
    t = n.type
    head_node = (
        n.child_by_field_name("condition")
        or n.child_by_field_name("value")
        or n.child_by_field_name("pattern")
    )
    head = _Unit(head_node if head_node is not None else n, guards)
    if head_node is not None:
        head.lines = range(head_node.start_point[0] + 1, head_node.end_point[0] + 2)
        head.uses = _reads(head_node)
        if head_node.type == "let_condition":
            pat = head_node.child_by_field_name("pattern")
            head.defs = names_in(pat) if pat is not None else set()
            head.uses -= head.defs
    if t == "for_expression":
        pat, value = n.child_by_field_name("pattern"), n.child_by_field_name("value")
        head = _Unit(value if value is not None else n, guards)
        head.defs = names_in(pat) if pat is not None else set()
        head.uses = _reads(value) if value is not None else set()
    if head_node is not None or t == "for_expression":
        out.append(head)
        inner = (*guards, head)
    else:
        inner = guards
    keep = tail and t in ("if_expression", "match_expression")
    body = n.child_by_field_name("body") if t != "if_expression" else None
    if t == "match_expression" and body is not None:
        for arm in body.named_children:
            if arm.type != "match_arm":
                continue
            pat = arm.child_by_field_name("pattern")
            if pat is not None:
                head.defs |= names_in(pat) - {"_"}
                cond = pat.child_by_field_name("condition")
                if cond is not None:
                    head.uses |= _reads(cond)
            value = arm.child_by_field_name("value")
            if value is not None:
                _walk(value, keep, inner, out)
        return
    if t == "if_expression":
        for c in n.named_children:
            if c.type == "block":
                _walk(c, keep, inner, out)
            elif c.type == "else_clause":
                for b in c.named_children:
                    _walk(b, keep, inner, out)
        return
    if body is not None:
        _walk(body, False, inner, out)


def _matches(defs: set[str], wanted: set[str]) -> bool:
    """`self` read whole matches every `self.x` written, and the other way round."""
    if defs & wanted:
        return True
    if "self" in wanted and any(d.startswith("self.") for d in defs):
        return True
    return "self" in defs and any(w.startswith("self.") for w in wanted)


def value_lines(source: bytes, fn_start: int) -> dict[int, int]:
    """1-based line -> def-use depth from the outputs of the fn that starts at byte `fn_start`
    (0: a returned value or a write through `self`/`*p`/a `&mut` parameter; k: a statement whose
    definition the depth-(k-1) statements read, or the condition that guards one of them)."""
    node = parse(source).root_node.descendant_for_byte_range(fn_start, fn_start)
    while node is not None and node.type != "function_item":
        node = node.parent
    body = node.child_by_field_name("body") if node is not None else None
    if node is None or body is None:
        return {}
    units: list[_Unit] = []
    _walk(body, True, (), units)
    outs = _mut_params(node)
    depth: dict[int, int] = {}
    frontier = [u for u in units if u.output or _writes_out(u, outs)]
    for u in frontier:
        depth[id(u)] = 0
    k = 0
    while frontier:
        k += 1
        wanted = set().union(*(u.uses for u in frontier))
        nxt = [g for u in frontier for g in u.guards]
        nxt += [u for u in units if _matches(u.defs, wanted)]
        frontier = []
        for u in nxt:
            if id(u) not in depth:
                depth[id(u)] = k
                frontier.append(u)
    out: dict[int, int] = {}
    for u in units:
        d = depth.get(id(u))
        if d is None:
            continue
        for line in u.lines:
            out[line] = min(out.get(line, d), d)
    return out


def _writes_out(u: _Unit, outs: set[str]) -> bool:
    """A write through `self.`, a deref, or a `&mut` parameter leaves the fn."""
    return any(d.startswith("self.") or d in outs for d in u.defs)


def asserted_expressions(source: bytes, line: int) -> tuple[str, tuple[str, ...]] | None:
    """The assertion macro at 1-based `line` (`assert_eq`, `assert!`, a `debug_` one) and its
    arguments as written, the message left out; None when no assertion macro spans the line."""
    root = parse(source).root_node
    found = None
    for n in _macros(root):
        if n.start_point[0] + 1 <= line <= n.end_point[0] + 1:
            found = n  # the innermost one that spans the line (preorder: later is deeper)
    if found is None:
        return None
    m = found.child_by_field_name("macro")
    name = (m.text or b"").decode() if m is not None else ""
    args = next((c for c in found.named_children if c.type == "token_tree"), None)
    if args is None:
        return None
    exprs = split_arguments((args.text or b"")[1:-1])
    keep = 2 if name.endswith(("_eq", "_ne")) else 1
    return name, exprs[:keep]


def _macros(root: tree_sitter.Node) -> Iterator[tree_sitter.Node]:
    for n in preorder(root):
        if n.type == "macro_invocation":
            m = n.child_by_field_name("macro")
            if m is not None and (m.text or b"").decode().removeprefix("debug_").startswith("assert"):
                yield n


def split_arguments(text: bytes) -> tuple[str, ...]:
    """A macro's argument list split at its top-level commas, parsed as a call's arguments (a token
    tree has no expressions until expansion)."""
    wrapped = b"fn _f() { _g(" + text + b"); }"
    tree = parse(wrapped).root_node
    call = next((n for n in preorder(tree) if n.type == "call_expression"), None)
    args = call.child_by_field_name("arguments") if call is not None else None
    if args is None:
        return ()
    return tuple(
        (a.text or b"").decode("utf-8", "replace") for a in args.named_children if a.type != "line_comment"
    )


def asserted_calls(source: bytes, line: int, expressions: tuple[str, ...]) -> tuple[str, ...]:
    """The fns and methods that computed the asserted `expressions` at 1-based `line`: those they call,
    and those called by the statements of the enclosing fn (the test) that define a name they read,
    followed back through the names those read (`let v = parse(s); assert_eq!(v.len(), 2)` -> parse,
    len)."""
    calls: set[str] = set()
    wanted: set[str] = set()
    for e in expressions:
        tree = parse(b"fn _f() { _g(" + e.encode() + b"); }").root_node
        calls |= _calls(tree)
        wanted |= _reads(tree)
    node = parse(source).root_node.named_descendant_for_point_range((line - 1, 0), (line - 1, 0))
    while node is not None and node.type != "function_item":
        node = node.parent
    body = node.child_by_field_name("body") if node is not None else None
    if body is None:
        return tuple(sorted(calls - {"_g"}))
    units: list[_Unit] = []
    _walk(body, False, (), units)
    before = [u for u in units if u.lines.start <= line]
    seen: set[int] = set()
    while True:
        new = [u for u in before if id(u) not in seen and _matches(u.defs, wanted)]
        if not new:
            break
        for u in new:
            seen.add(id(u))
            wanted |= u.uses
    for u in before:
        if id(u) in seen:
            calls |= _calls(u.node)
    return tuple(sorted(calls - {"_g"}))


def _calls(tree: tree_sitter.Node) -> set[str]:
    """The names of the fns, methods and macros called under `tree`."""
    out: set[str] = set()
    for n in preorder(tree):
        if n.type == "call_expression":
            fn = n.child_by_field_name("function")
            if fn is None:
                continue
            if fn.type == "field_expression":
                fn = fn.child_by_field_name("field")
            elif fn.type == "scoped_identifier":
                fn = fn.child_by_field_name("name")
            elif fn.type == "generic_function":
                fn = fn.child_by_field_name("function")
            if fn is not None and fn.type in ("identifier", "field_identifier"):
                out.add((fn.text or b"").decode())
        elif n.type == "macro_invocation":
            m = n.child_by_field_name("macro")
            if m is not None:
                out.add(f"{(m.text or b'').decode()}!")
    return out
