"""A trait made not dyn compatible by its methods (E0038 "because method `m` has generic type
parameters", "... references the `Self` type in its return type"), turned into the patches an
expert weighs, so the sandbox can judge each:

- `where Self: Sized` on every method rustc's notes name: the trait becomes dyn compatible and the
  methods leave the vtable; it compiles only where nothing calls them on a `dyn` value, and says so.
- for one generic method, the type parameter replaced by a trait object (`out: &mut W` with
  `W: fmt::Write` becomes `out: &mut dyn fmt::Write`), in the trait and in every impl of the method: it stays callable on
  `dyn`, at the price of dynamic dispatch. A parameter taken by value (`v: T`) cannot become a
  bare `dyn` (it has no size): it becomes `v: &dyn Display` and every `x.method(..)` call in the
  crate borrows that argument (`&v`): the signature change and its callers in one patch.

Pure over the crate's files (read through the syntax tree); the candidates carry whole-file edits.
"""

from __future__ import annotations

import re

from engine.repair.template_kit import Reader, _make
from engine.repair.types import Candidate, Edit
from engine.syntax.tree import parse, preorder
from toolbelt.types import Diagnostic

FAMILY = "dyn-compatible-method"
SIZED = "dyn-sized-method"  # its price, what a `dyn` value can no longer call, closes its description
# rustc's note on each method that keeps the trait out of a vtable: generic, or `Self` by value
_WHY = re.compile(
    r"because method `(?P<method>\w+)` (?P<why>has generic type parameters|references the `Self` type in)"
)
_TRAIT = re.compile(r"the trait `(?P<trait>\w+)` is not dyn compatible")


def _text(node) -> str:  # noqa: ANN001 - a tree_sitter.Node
    return (node.text or b"").decode("utf-8", "replace") if node is not None else ""


def _methods(source: bytes, trait: str, method: str) -> list[tuple[object, bool]]:
    """The method's declaration in `trait` (True) and its definitions in `impl trait for X` (False)."""
    out: list[tuple[object, bool]] = []
    for n in preorder(parse(source).root_node):
        in_trait = n.type == "trait_item" and _text(n.child_by_field_name("name")) == trait
        in_impl = n.type == "impl_item" and _text(n.child_by_field_name("trait")).split("<")[0] == trait
        body = n.child_by_field_name("body") if in_trait or in_impl else None
        for c in body.named_children if body is not None else ():
            if (
                c.type in ("function_item", "function_signature_item")
                and _text(c.child_by_field_name("name")) == method
            ):
                out.append((c, in_trait))
    return out


def _sized_edit(file: str, fn) -> Edit | None:  # noqa: ANN001
    """` where Self: Sized` before the body (or `;`); `, Self: Sized` after an existing where clause."""
    where = next((c for c in fn.named_children if c.type == "where_clause"), None)
    if where is not None:
        return Edit(file=file, start=where.end_byte, end=where.end_byte, replacement=", Self: Sized")
    body = fn.child_by_field_name("body")
    at = body.start_byte if body is not None else fn.end_byte - 1  # a signature ends in `;`
    return Edit(
        file=file,
        start=at,
        end=at,
        replacement="where Self: Sized " if body is not None else " where Self: Sized",
    )


def _object_edits(file: str, fn, by_value: set[int]) -> list[Edit] | None:  # noqa: ANN001
    """The edits that make the method's one type parameter a `dyn` argument, or None when it cannot:
    a second parameter, a where clause, the parameter inside another type, or named in the return
    type or body. A parameter taken by value (`v: T`) becomes `v: &dyn Bound`; its index (after
    `self`) goes into `by_value`, so the calls borrow their argument."""
    tps = fn.child_by_field_name("type_parameters")
    if (
        tps is None
        or len(tps.named_children) != 1
        or any(c.type == "where_clause" for c in fn.named_children)
    ):
        return None
    param = tps.named_children[0]
    name = _text(param.child_by_field_name("name")) or _text(param).split(":")[0].strip()
    bounds = _text(param.child_by_field_name("bounds")).lstrip(":").strip()
    named = re.compile(rf"\b{re.escape(name)}\b")
    elsewhere = _text(fn.child_by_field_name("return_type")) + _text(fn.child_by_field_name("body"))
    if not name or not bounds or named.search(elsewhere):
        return None
    params = fn.child_by_field_name("parameters")
    uses = [n for n in preorder(params) if n.type == "type_identifier" and _text(n) == name]
    dyn = f"dyn {bounds}" if "+" not in bounds else f"(dyn {bounds})"
    edits = [Edit(file=file, start=tps.start_byte, end=tps.end_byte, replacement="")]
    for u in uses:
        if u.parent is not None and u.parent.type == "reference_type":
            edits.append(Edit(file=file, start=u.start_byte, end=u.end_byte, replacement=dyn))
        elif (
            u.parent is not None
            and u.parent.type == "parameter"
            and u.parent.child_by_field_name("type") == u
        ):
            # `v: T` by value: a trait object has no size, so it comes in borrowed (`v: &dyn Display`)
            # and every call passes a borrow (`by_value`)
            edits.append(Edit(file=file, start=u.start_byte, end=u.end_byte, replacement=f"&{dyn}"))
            by_value.add([c for c in params.named_children if c.type == "parameter"].index(u.parent))
        else:
            return None
    return edits if uses else None


def _call_edits(source: bytes, file: str, method: str, by_value: set[int]) -> list[Edit]:
    """`&` before each argument that now goes to a `&dyn` parameter, in every `x.method(..)` call."""
    out = []
    for n in preorder(parse(source).root_node):
        f = n.child_by_field_name("function") if n.type == "call_expression" else None
        if f is None or f.type != "field_expression" or _text(f.child_by_field_name("field")) != method:
            continue
        arglist = n.child_by_field_name("arguments")
        args = [a for a in arglist.named_children if "comment" not in a.type] if arglist is not None else []
        for i in sorted(by_value):
            if i < len(args):
                out.append(Edit(file=file, start=args[i].start_byte, end=args[i].start_byte, replacement="&"))
    return out


def _calls(edits: list[Edit]) -> int:
    """How many call sites the edits borrow an argument at (the `&` inserted alone)."""
    return sum(1 for e in edits if e.start == e.end and e.replacement == "&")


def dyn_compatible_method(d: Diagnostic, read: Reader, crate_files: tuple[str, ...]) -> list[Candidate]:
    said = (
        " ".join(c.message for c in d.children)
        + " "
        + " ".join(s.label or "" for c in d.children for s in c.spans)
    )
    whys = {m["method"]: m["why"] for m in _WHY.finditer(said)}
    trait = _TRAIT.search(d.message)
    if not whys or trait is None:
        return []
    code = d.code_str or "E0038"
    sized: list[Edit] = []
    for name in whys:  # every method rustc names leaves the vtable, or the trait stays out of reach
        found = [
            e
            for f in crate_files
            if (source := read(f)) is not None and name.encode() in source
            for fn, in_trait in _methods(source, trait["trait"], name)
            if in_trait and (e := _sized_edit(f, fn)) is not None
        ]
        sized += found if len(found) == 1 else []
    out = []
    if sized and len(sized) == len(whys):
        which = " and ".join(f"`{m}`" for m in whys)
        out.append(
            _make(
                sized,
                f"keep {which} off the vtable with `where Self: Sized`"
                f" (a `dyn {trait['trait']}` can no longer call {'it' if len(whys) == 1 else 'them'})",
                SIZED,
                code,
                0.7,
            )
        )
    generic = [m for m, why in whys.items() if why == "has generic type parameters"]
    if len(whys) != 1 or not generic:
        return out  # a trait object for a type parameter answers one generic method, not `Self`
    method = generic[0]
    objects: list[Edit] = []
    object_ok = True
    by_value: set[int] = set()
    for f in crate_files:
        source = read(f)
        if source is None or method.encode() not in source:
            continue
        for fn, _ in _methods(source, trait["trait"], method):
            made = _object_edits(f, fn, by_value)
            object_ok = object_ok and made is not None
            objects += made or []
    if object_ok and objects and by_value:
        for f in crate_files:
            source = read(f)
            if source is not None and method.encode() in source:
                objects += _call_edits(source, f, method, by_value)
    if object_ok and objects:
        out.append(
            _make(
                objects,
                f"take a trait object in `{method}` instead of a type parameter"
                + (
                    f"; {'its calls pass' if n > 1 else 'its call passes'} a borrow"
                    if (n := _calls(objects))
                    else ""
                ),
                FAMILY,
                code,
                0.72,
            )
        )
    return out
