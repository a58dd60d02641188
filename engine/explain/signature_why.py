"""Pair mode's Why line for signature mistakes rustc states only as a rule: a borrowed output whose
source elision cannot pick (E0106).

Why: rustc says "the signature does not say whether it is borrowed from `a` or `b`" and proposes one
lifetime on every input, which is the same words and a guess. Each function here answers one general
shape from rustc's spans and the program's syntax tree (the signature, the values the body returns),
and returns None when a fact it needs is missing: no fact, no line. Names and lines it quotes are the
program's, read at rustc's spans or from the tree.
"""

from __future__ import annotations

from pathlib import Path

import tree_sitter

from engine.syntax.returned_tails import tails
from engine.syntax.tree import ancestors, node_at, node_text, preorder
from toolbelt.diagnostics import in_user_crate
from toolbelt.types import Diagnostic, Span

# methods whose argument (a value or a closure's result) can be what the chain returns
_FALLBACKS = frozenset({"or", "or_else", "unwrap_or", "unwrap_or_else", "map_or", "map_or_else", "and_then"})
_THROUGH = ("reference_expression", "field_expression", "try_expression", "parenthesized_expression")


def elided_output(diag: Diagnostic, crate_root: str | Path) -> str | None:
    """E0106 on a function's output: the general mistake is returning a borrow from a signature
    whose inputs do not tell elision where it comes from, two or more borrowed inputs (elision ties
    an output only to a lone one, or to `&self`; no borrowed input is the KB's own shape). rustc
    marks the borrowed inputs; the line names them, and, from the returned values in the body (each traced back through field, index, method and fallback calls to a parameter),
    which of them the output really comes from. A struct field's missing lifetime is another shape."""
    prim = diag.primary
    if diag.message != "missing lifetime specifier" or prim is None or not in_user_crate(prim.file_name):
        return None
    source = _source(crate_root, prim)
    if source is None:
        return None
    node = node_at(source, prim.byte_start, prim.byte_end)
    fn = next((a for a in ancestors(node) if a.type == "function_item"), None)
    ret = fn.child_by_field_name("return_type") if fn is not None else None
    name = node_text(fn.child_by_field_name("name")) if fn is not None else ""
    if fn is None or ret is None or not (ret.start_byte <= prim.byte_start < ret.end_byte):
        return None
    inputs: list[str] = []
    for s in diag.spans:
        if s.is_primary or s.file_name != prim.file_name:
            continue
        param = next(
            (a for a in ancestors(node_at(source, s.byte_start, s.byte_end)) if a.type == "parameter"), None
        )
        pat = param.child_by_field_name("pattern") if param is not None else None
        if pat is None or pat.type != "identifier":
            return None
        inputs.append(node_text(pat))
    out = node_text(ret)
    where = f"{prim.file_name}:{prim.line_start}"
    body = fn.child_by_field_name("body")
    returned = _returned(body) if body is not None else []
    if len(inputs) < 2:
        return None  # no borrowed input: the KB's line already says there is nothing to borrow from
    said = _names(inputs)
    head = (
        f"`{name}` returns `{out}` ({where}) and takes {len(inputs)} borrowed inputs, {said}; "
        "elision ties an output only to a lone borrowed input (or to `&self`), so it cannot pick one"
    )
    found: dict[str, list[int]] = {}
    for r in returned:
        traced = {p: line for p, line in _sources(_locals(fn), r).items() if p in inputs}
        if not traced and r.type != "string_literal":
            return head + "."  # a returned value not traced to an input: no claim about the others
        for p, line in traced.items():
            found.setdefault(p, []).append(line)
    if not found:
        return head + "."
    used = [p for p in inputs if p in found]
    at = _names([f"{p}` (line {', '.join(map(str, sorted(set(found[p]))))})" for p in used], quoted=False)
    if len(used) == len(inputs):
        return f"{head}. The returned values come from {at}: the output borrows from {'both' if len(used) == 2 else 'all of them'}."
    left = _names([p for p in inputs if p not in found])
    return (
        f"{head}. The returned values come from {at} only: the output needs the lifetime of "
        f"{_names(used)} alone, and {left} can keep {'its' if len(inputs) - len(used) == 1 else 'their'} own."
    )


def _names(names: list[str], quoted: bool = True) -> str:
    q = [f"`{n}`" if quoted else f"`{n}" for n in names]
    return q[0] if len(q) == 1 else ", ".join(q[:-1]) + f" and {q[-1]}"


def _returned(body: tree_sitter.Node) -> list[tree_sitter.Node]:
    """The values a fn body hands back: its tails and each `return`'s value (closures' own returns
    are theirs, not the fn's)."""
    last = body.named_children[-1] if body.named_children else None
    if last is not None and last.type == "expression_statement" and not node_text(last).endswith(";"):
        body_tails = tails(last.named_children[0])  # a trailing `if`/`match` parses as a statement
    else:
        body_tails = tails(body)
    out = [t for r in body_tails for t in _expand(r)]
    for n in preorder(body):
        if n.type == "return_expression" and n.named_children:
            if not any(
                a.type == "closure_expression" for a in ancestors(n) if a.start_byte >= body.start_byte
            ):
                out += [t for r in tails(n.named_children[0]) for t in _expand(r)]
    return out


def _expand(n: tree_sitter.Node) -> list[tree_sitter.Node]:
    inner = (
        [t for t in tails(n) if t is not n]
        if n.type in ("block", "if_expression", "match_expression")
        else []
    )
    return inner or [n]


def _locals(fn: tree_sitter.Node) -> dict[str, tree_sitter.Node]:
    """Each local a `let` or `for` binds with a plain name or in a tuple pattern, to the value it
    is bound from (the `let`'s value, the loop's iterable); a name bound twice is left out."""
    out: dict[str, tree_sitter.Node] = {}
    seen: set[str] = set()
    for n in preorder(fn):
        if n.type not in ("let_declaration", "for_expression"):
            continue
        pat, val = n.child_by_field_name("pattern"), n.child_by_field_name("value")
        if pat is None or val is None:
            continue
        for i in preorder(pat):
            if i.type == "identifier":
                name = node_text(i)
                if name in seen:
                    out.pop(name, None)
                else:
                    out[name] = val
                seen.add(name)
    return out


def _sources(bound: dict[str, tree_sitter.Node], n: tree_sitter.Node, depth: int = 0) -> dict[str, int]:
    """The parameters a returned expression borrows from, traced through `&x[..]`, `x.f`, `x?`,
    method chains (the receiver) and fallbacks (`or_else(|| y.get(k))`): the value's own origin, not
    every name it mentions (`map.get(key)` borrows `map`, not `key`)."""
    if depth > 8:
        return {}
    if n.type == "identifier" and node_text(n) in bound:
        return _sources(bound, bound[node_text(n)], depth + 1)  # a local: where its value comes from
    if n.type in ("identifier", "self"):
        return {node_text(n): n.start_point[0] + 1}
    if n.type in _THROUGH or n.type == "index_expression":
        first = n.child_by_field_name("value") or (n.named_children[0] if n.named_children else None)
        return _sources(bound, first, depth + 1) if first is not None else {}
    if n.type in ("block", "if_expression", "match_expression"):
        return {k: v for t in tails(n) if t is not n for k, v in _sources(bound, t, depth + 1).items()}
    if n.type == "closure_expression":
        body = n.child_by_field_name("body")
        return _sources(bound, body, depth + 1) if body is not None else {}
    if n.type == "call_expression":
        fn = n.child_by_field_name("function")
        if fn is None or fn.type != "field_expression":
            return {}  # a free function's result: its source is its own signature's business
        recv = fn.child_by_field_name("value")
        out = _sources(bound, recv, depth + 1) if recv is not None else {}
        method = node_text(fn.child_by_field_name("field"))
        args = n.child_by_field_name("arguments")
        for a in args.named_children if args is not None else []:
            if method in _FALLBACKS or a.type == "closure_expression":
                out = {**_sources(bound, a, depth + 1), **out}
        return out
    return {}


def _source(crate_root: str | Path, span: Span) -> bytes | None:
    try:
        source = (Path(crate_root) / span.file_name).read_bytes()
    except OSError:
        return None
    return source if span.byte_end <= len(source) else None
