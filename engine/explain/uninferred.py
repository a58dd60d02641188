"""A `let` whose type rustc cannot infer (E0282/E0283) gets its type written in, from a typed fact.

The general mistake: a generic call (`sum`, `product`, `collect`, `parse`, `into`) picks its result
type from its context, and the binding it initializes gives it none (`let total = xs.iter().sum();`
then `total as f64`: a cast fixes no type). rustc's help is `let total: /* Type */`; the hole is
filled only from facts, never from a name:

1. the enclosing function returns the binding (its tail, or `return name`): the declared return
   type is the binding's type;
2. `sum`/`product`: rustc itself names the element type when the result is asked to be `()`
   (`sum::<()>()` in a scratch copy: "an iterator over elements of type `&u64`"); std sums a
   primitive number `T` from `T` and from `&T` into `T`, so the result is `T`;
3. `collect`: the element type needs no name, the container is the choice: `collect::<Vec<_>>()`
   keeps every element in order (the sandbox then says whether the rest of the program agrees).

A `sum`/`product` need not initialize a `let` to go uninferred: `xs.iter().sum() as f64` (a cast
converts whatever the call produced, so it fixes no type) or a call in any other expression. Then
rustc's span is the method's name, and the fix is the turbofish on that call, `.sum::<u32>()`, with
the type from the same probe (`sum_call`); rustc's own `sum::<S>` names a parameter no program has.

No fact, no patch: `missing_fact` says which fact is missing, for the story to say so.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from engine.repair.errors import RepairError
from engine.repair.template_kit import _make
from engine.repair.types import Candidate, Edit
from engine.repair.workspace import Workspace
from engine.syntax.tree import ancestors, node_at
from toolbelt.cargo_run import run_check
from toolbelt.paths import writable_cache_dir
from toolbelt.types import Diagnostic

CODES = frozenset({"E0282", "E0283", "E0284"})
_SUMS = frozenset({"sum", "product"})
_GENERIC = frozenset({"sum", "product", "collect", "parse", "into", "try_into", "default"})
_NUMBERS = frozenset("i8 i16 i32 i64 i128 isize u8 u16 u32 u64 u128 usize f32 f64".split())
_ELEMENTS = re.compile(
    r"elements of type `(?P<t>[^`]+)`"
)  # `sum`: "over elements"; `product`: "all elements"
PROBE_TIMEOUT_S = 120.0


class _Let:
    """The untyped `let NAME = INIT;` at rustc's span, read from the syntax tree."""

    def __init__(self, text: bytes, node, name: str, init, method: str | None, call) -> None:
        self.text, self.node, self.name, self.init, self.method, self.call = (
            text,
            node,
            name,
            init,
            method,
            call,
        )


def _untyped_let(source: bytes, at: int) -> _Let | None:
    node = node_at(source, at, at + 1)
    decl = next((a for a in ancestors(node) if a.type == "let_declaration"), None)
    if decl is None or decl.child_by_field_name("type") is not None:
        return None
    pat, init = decl.child_by_field_name("pattern"), decl.child_by_field_name("value")
    if pat is None or init is None or pat.type != "identifier":
        return None
    method, call = None, None
    if init.type == "call_expression":
        fn = init.child_by_field_name("function")
        field = fn.child_by_field_name("field") if fn is not None and fn.type == "field_expression" else None
        if field is not None:
            method, call = source[field.start_byte : field.end_byte].decode(), init
    name = source[pat.start_byte : pat.end_byte].decode()
    return _Let(source, decl, name, init, method, call)


def _chain(init) -> list[str]:
    """The method names of a call chain, outermost first (`a.parse().unwrap()`: unwrap, parse)."""
    out, n = [], init
    while n is not None and n.type == "call_expression":
        fn = n.child_by_field_name("function")
        if fn is None or fn.type not in ("field_expression", "generic_function"):
            break
        fn = fn.child_by_field_name("function") if fn.type == "generic_function" else fn
        field = fn.child_by_field_name("field") if fn is not None else None
        if field is None:
            break
        out.append((field.text or b"").decode())
        n = fn.child_by_field_name("value")
    return out


def _returned_type(lt: _Let) -> str | None:
    """The enclosing fn's declared return type when the fn returns the binding by name."""
    fn = next((a for a in ancestors(lt.node) if a.type in ("function_item", "closure_expression")), None)
    if fn is None or fn.type != "function_item":
        return None
    ret, body = fn.child_by_field_name("return_type"), fn.child_by_field_name("body")
    if ret is None or body is None:
        return None
    src = lt.text
    named = [c for c in body.named_children if c.type != "line_comment"]
    tail = named[-1] if named and named[-1].type not in ("expression_statement", "let_declaration") else None
    returned = [tail] if tail is not None else []
    stack = [body]
    while stack:
        n = stack.pop()
        if n.type == "return_expression" and n.named_children:
            returned.append(n.named_children[0])
        if n.type not in ("closure_expression", "function_item") or n is body:
            stack.extend(n.named_children)
    if not any(r is not None and src[r.start_byte : r.end_byte].decode() == lt.name for r in returned):
        return None
    ty = src[ret.start_byte : ret.end_byte].decode()
    return None if "impl " in ty else ty


def sum_call(source: bytes, start: int, end: int):  # -> tree_sitter.Node | None
    """The `sum`/`product` call whose method name is rustc's span [start, end), wherever it stands
    (a cast's operand, an argument, a tail), with no turbofish yet."""
    node = node_at(source, start, end)
    for n in (node, *ancestors(node)):
        if n.type != "call_expression":
            continue
        fn = n.child_by_field_name("function")
        field = fn.child_by_field_name("field") if fn is not None and fn.type == "field_expression" else None
        if field is None or (field.start_byte, field.end_byte) != (start, end):
            return None
        return n if source[start:end].decode() in _SUMS else None
    return None


def _element_type(root: Path, rel: str, lt: _Let) -> str | None:
    """rustc's element type of the iterator a `sum`/`product` consumes, asked in a scratch copy."""
    if lt.call is None:
        return None
    args = lt.call.child_by_field_name("arguments")
    if args is None:
        return None
    at = args.start_byte  # `.sum()` -> `.sum::<()>()`
    probe = lt.text[:at] + b"::<()>" + lt.text[at:]
    key = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:16]
    ws = Workspace(root, writable_cache_dir() / "uninferred" / f"{root.resolve().name}-{key}")
    try:
        ws.sync()
        ws.write(rel, probe)
    except (RepairError, OSError):
        return None
    report = run_check(ws.root, target_dir=ws.root / "target", timeout_s=PROBE_TIMEOUT_S)
    lo, hi = lt.call.start_byte, lt.call.end_byte + len(b"::<()>")
    for d in report.diagnostics:
        p = d.primary
        m = _ELEMENTS.search(d.message or "")
        if m and p is not None and p.file_name == rel and lo <= p.byte_start and p.byte_end <= hi:
            return m["t"]
    return None


def _annotate(rel: str, lt: _Let, ty: str) -> Edit:
    pat = lt.node.child_by_field_name("pattern")
    return Edit(file=rel, start=pat.end_byte, end=pat.end_byte, replacement=f": {ty}")


def _turbofish(rel: str, lt: _Let, ty: str) -> Edit:
    args = lt.call.child_by_field_name("arguments")
    return Edit(file=rel, start=args.start_byte, end=args.start_byte, replacement=f"::<{ty}>")


def annotated_binding(d: Diagnostic, crate_root: str | Path) -> tuple[list[Candidate], str | None]:
    """Patches that write the binding's type in, and (when there are none) the fact that is missing."""
    p = d.primary
    if p is None or (d.code_str or "") not in CODES:
        return [], None
    root = Path(crate_root)
    try:
        source = (root / p.file_name).read_bytes()
    except OSError:
        return [], None
    code, rel = d.code_str or "", p.file_name
    lt = _untyped_let(source, p.byte_start)
    call = sum_call(source, p.byte_start, p.byte_end)
    if call is not None and (lt is None or lt.call is None or lt.call.start_byte != call.start_byte):
        return _summed(
            root, rel, code, _Let(source, call, "", call, source[p.byte_start : p.byte_end].decode(), call)
        )
    if lt is None:
        return [], None
    ret = _returned_type(lt)
    if ret is not None:
        why = f"the function returns `{lt.name}` as `{ret}`"
        return [
            _make([_annotate(rel, lt, ret)], f"`let {lt.name}: {ret}`: {why}", "annotate-let", code, 0.9)
        ], None
    if lt.method in _SUMS:
        return _summed(root, rel, code, lt)
    if lt.method == "collect":
        why = "a `Vec` keeps every element, in order; the element type stays rustc's to infer"
        return [
            _make([_turbofish(rel, lt, "Vec<_>")], f"`collect::<Vec<_>>()`: {why}", "turbofish", code, 0.8)
        ], None
    chain = [m for m in _chain(lt.init) if m in _GENERIC] or [lt.method or ""]
    what = f"`{chain[0]}`" if chain[0] else "the initializer"
    return [], (
        f"no fact names the type {what} should produce: `{lt.name}` is not returned by the function, "
        "and no later use gives rustc an expected type"
    )


def _summed(root: Path, rel: str, code: str, lt: _Let) -> tuple[list[Candidate], str | None]:
    """`sum`/`product` over numbers: the type std adds them up into, from the probe. `lt.name` is ""
    for a call that initializes no `let` of its own: then only the turbofish can say it."""
    elem = _element_type(root, rel, lt)
    base = (elem or "").removeprefix("&").strip()
    if base not in _NUMBERS:
        missing = f"rustc named no number type as the element type of the `{lt.method}`" + (
            f" (it says `{elem}`)" if elem else ""
        )
        return [], missing
    # the element type is the probe's finding (rustc asked in a scratch copy), not the diagnostic's:
    # rustc's E0282 says only `/* Type */` or `S`, so the words credit the probe
    why = (
        f"the type-of probe (rustc, asked in a scratch copy) finds the {lt.method} is over "
        f"`{elem}`, which std adds up into `{base}`"
    )
    fish = _make([_turbofish(rel, lt, base)], f"`{lt.method}::<{base}>()`: {why}", "turbofish", code, 0.85)
    if not lt.name:
        return [fish], None
    annotate = _make([_annotate(rel, lt, base)], f"`let {lt.name}: {base}`: {why}", "annotate-let", code, 0.9)
    return [annotate, fish], None
