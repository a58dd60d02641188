"""Pair mode's Why line for signature mistakes rustc states only as a rule: a borrowed output whose
source elision cannot pick (E0106).

Why: rustc says "the signature does not say whether it is borrowed from `a` or `b`" and proposes one
lifetime on every input, which is the same words and a guess. Each function here answers one general
shape from rustc's spans and the program's syntax tree (the signature, the values the body returns),
and returns None when a fact it needs is missing: no fact, no line. Names and lines it quotes are the
program's, read at rustc's spans or from the tree.
"""

from __future__ import annotations

import re
from pathlib import Path

import tree_sitter

from engine.syntax.returned_tails import tails
from engine.syntax.tree import ancestors, node_at, node_text, preorder
from toolbelt.diagnostics import in_user_crate
from toolbelt.span_source import span_source as _source
from toolbelt.types import Diagnostic

# methods whose value argument can be what the chain returns
_FALLBACKS = frozenset({"or", "unwrap_or", "map_or"})
# methods whose closure's result is what the chain yields; a predicate's (`find`, `filter`) is a bool
_YIELDS = frozenset(
    {"map", "and_then", "or_else", "unwrap_or_else", "map_or", "map_or_else", "filter_map", "flat_map"}
)
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
    out = [t for r in tails(body) for t in _expand(r)]
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
            if method in (_YIELDS if a.type == "closure_expression" else _FALLBACKS):
                out = {**_sources(bound, a, depth + 1), **out}
        return out
    return {}


_ARGS_COUNT = re.compile(
    r"^(\w+) takes (\d+) (lifetime|generic) arguments? but (\d+) \3 arguments? (?:was|were) supplied$"
)
_DEFINED = re.compile(r"^(\w+) defined here, with \d+ (?:lifetime|generic) parameters?")
_RETURN = "the return value"
_ITEMS = ("struct_item", "enum_item", "union_item", "function_item", "type_item", "trait_item")


def generic_count(diag: Diagnostic, crate_root: str | Path) -> str | None:
    """E0107, a use of an item with more or fewer generic arguments than it declares: the general
    mistake is writing the use from memory of another shape of the item (a lifetime it never grew,
    a parameter added later). rustc counts; the line reads the declaration (rustc's "defined here"
    span) and says what each parameter of the kind at stake is for there (the fields or the
    function's parameters whose types name it), and, for a lifetime given to an item that declares
    none, whether any of its fields borrows (a `&` without a named lifetime is what the `<'a>`
    assumes; no borrowing field means the `<'a>` names nothing)."""
    m = _ARGS_COUNT.match(diag.message)
    prim = diag.primary
    note = next((c for c in diag.children if _DEFINED.match(c.message)), None)
    decl = next((s for s in note.spans if s.label is None), None) if note is not None else None
    if m is None or prim is None or decl is None or not in_user_crate(decl.file_name):
        return None
    use_src, decl_src = _source(crate_root, prim), _source(crate_root, decl)
    if use_src is None or decl_src is None:
        return None
    item = next(
        (a for a in ancestors(node_at(decl_src, decl.byte_start, decl.byte_end)) if a.type in _ITEMS), None
    )
    name_node = item.child_by_field_name("name") if item is not None else None
    if item is None or name_node is None:
        return None
    name = node_text(name_node)
    at_use = node_at(use_src, prim.byte_start, prim.byte_end)
    used = next((a for a in ancestors(at_use) if a.type in ("generic_type", "generic_function")), None)
    written = " ".join(node_text(used).split()) if used is not None else name
    if len(written) > 60 or not written.startswith(name):
        return None
    lifetimes = m.group(3) == "lifetime"
    params = item.child_by_field_name("type_parameters")
    declared = [
        p
        for p in (params.named_children if params is not None else [])
        if (p.type == "lifetime") == lifetimes
    ]
    decl_at = f"{decl.file_name}:{decl.line_start}"
    use_at = f"{prim.file_name}:{prim.line_start}"
    kind = "lifetime" if lifetimes else "generic parameter"
    if not declared:
        head = f"`{name}` ({decl_at}) declares no {kind}, yet {use_at} writes `{written}`"
    else:
        head = f"`{name}` ({decl_at}) declares `{name}{node_text(params)}`; {use_at} writes `{written}`"
    slots = _typed_slots(item)
    if not declared and lifetimes:
        refs = [(n, t, line) for n, t, line in slots if t.startswith("&")]
        bare = [(n, t, line) for n, t, line in refs if not t.startswith("&'")]
        if bare:
            n, t, line = bare[0]
            return (
                f"{head}; its field `{n}: {t}` (line {line}) is a borrow with no named lifetime, so the "
                f"lifetime written here is one `{name}` lacks in its declaration too."
            )
        statics = [(n, t, line) for n, t, line in refs if t.startswith("&'static")]
        if item.type not in ("struct_item", "enum_item", "union_item") or len(statics) != len(refs):
            return None
        if statics:
            n, t, line = statics[0]
            return (
                f"{head}; its borrows are `'static` (`{n}: {t}`, line {line}), so the lifetime written here "
                "names nothing it holds."
            )
        return f"{head}; none of its fields is a borrow, so the lifetime written here names nothing it holds."
    uses = []
    for p in declared:
        pname = node_text(p.child_by_field_name("name") or p) if p.type != "lifetime" else node_text(p)
        pname = pname.split(":")[0].strip()
        holders = [
            f"{n if n == _RETURN else f'`{n}`'} (line {line})"
            for n, t, line in slots
            if _names_param(t, pname)
        ]
        if holders:
            uses.append(
                f"`{pname}` is the type of {', '.join(holders[:-1]) + ' and ' if len(holders) > 1 else ''}{holders[-1]}"
            )
    if not uses or len(uses) != len(declared):
        return None
    return f"{head}: {'; '.join(uses)}, and a use gives each of them, in that order."


def _names_param(type_text: str, param: str) -> bool:
    return re.search(rf"(?<![\w']){re.escape(param)}(?!\w)", type_text) is not None


def _typed_slots(item: tree_sitter.Node) -> list[tuple[str, str, int]]:
    """(name, type text, line) of each field of a struct (or enum variant) and each parameter of a
    function (its return as `the return value`): where the item's generic parameters are used."""
    out: list[tuple[str, str, int]] = []
    for n in preorder(item):
        if n.type == "field_declaration" or (n.type == "parameter" and item.type == "function_item"):
            who = n.child_by_field_name("name") or n.child_by_field_name("pattern")
            ty = n.child_by_field_name("type")
            if who is not None and ty is not None:
                out.append((node_text(who), " ".join(node_text(ty).split()), n.start_point[0] + 1))
    ret = item.child_by_field_name("return_type") if item.type == "function_item" else None
    if ret is not None:
        out.append((_RETURN, " ".join(node_text(ret).split()), ret.start_point[0] + 1))
    return out
