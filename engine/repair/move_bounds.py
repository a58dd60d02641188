"""A generic `T` moved out from behind a reference: `Clone` and a clone, `Copy`, or return a borrow.

The general mistake: code written as if `T` were a number (`Some(*best)`, `acc + *v`,
`let x = items[i];`) in a generic function, where only `T`'s bounds count. rustc rejects the
operator first (E0369, "consider restricting `T` with `PartialOrd`"); once that bound is added the
move out of a reference or slice of `T` shows (E0507/E0508), and rustc only says "if `T`
implemented `Clone`, you could clone the value". Each way out is a candidate the sandbox checks:

- `T: Clone` and `.clone()` at the move site: callers' types must implement `Clone` (`String`,
  `Vec` do), and each run of the site copies one value: once per call, or per iteration of a loop
  around it (`engine.syntax.run_count`);
- `T: Copy`: the site is unchanged, but callers with an owning type (`String`, `Vec`) are excluded,
  named only where that type met every bound `T` already had (`owning_examples`);
- return `&T` where the moved value is what the function returns (`*x` in its tail, `x: &T`): no
  bound at all, but the return type changes, so every caller gets a reference.

The bound goes where this function's bounds on `T` live: its `where` clause when that already bounds
`T`, else its own generic list when it declares `T`, else its `where` clause (an `impl` block's parameter: a bound on the block would restrict every
method, `engine.explain.bounds`). Pure; the sandbox says whether each compiles.
"""

from __future__ import annotations

import re

from engine.repair.op_bounds import _Fn, _is_op, _method_where, _param_name, _split_top
from engine.repair.template_kit import Reader, _make
from engine.repair.types import Candidate, Edit
from toolbelt.types import Diagnostic

# the families of the ways out of one moved `T` (and of the operator bounds that bring it): a fix
# finished with one of them is finished again with each other (`engine.explain.trials`)
WAYS = frozenset({"closed-operators", "generic-clone", "generic-copy", "generic-borrow"})
_COMPARE = frozenset({"PartialOrd", "Ord", "PartialEq", "Eq"})
_PLACE = re.compile(r"[A-Za-z_][\w.]*(?:\[[^\[\]]*\])*")


def _operator_bound(bound: str) -> bool:
    return _is_op(bound) or bound.strip().split("::")[-1] in _COMPARE


# what std's owning types implement among the bounds a generic fn may already ask of `T` (std's own
# impls: `String: Add<&str>` only, so never `Add<Output = T>`; `Vec` has no operator at all)
_EXAMPLES: dict[str, frozenset[str]] = {
    "String": frozenset(
        {"Clone", "Default", "Debug", "Display", "PartialEq", "Eq", "PartialOrd", "Ord", "Hash", "Sized"}
        | {"Send", "Sync", "Unpin", "ToString", "AsRef<str>", "From<&str>"}
    ),
    "Vec": frozenset({"Clone", "Default", "Debug", "PartialEq", "Eq", "PartialOrd", "Ord", "Hash", "Sized"}),
}


def _bounds_of(text: str, f: _Fn, t: str) -> list[str]:
    """Every bound the function already puts on `t`: in the generic list that declares it and in
    its own `where` clause."""
    out: list[str] = []
    g0, g1 = f.generics
    for p in _split_top(text[g0:g1], ","):
        m = re.match(rf"\s*{t}\s*:(.*)$", p, re.S)
        if m:
            out += [b.strip() for b in _split_top(m.group(1), "+") if b.strip()]
    w = re.search(r"\bwhere\b", f.ret)
    for p in _split_top(f.ret[w.end() :], ",") if w else []:
        m = re.match(rf"\s*{t}\s*:(.*)$", p, re.S)
        if m:
            out += [b.strip() for b in _split_top(m.group(1), "+") if b.strip()]
    return out


def owning_examples(bounds: list[str]) -> list[str]:
    """The owning std types (`String`, `Vec`) that meet every bound `T` already has, named as the
    callers a `Copy` bound turns away (or a `Clone` bound keeps). The mistake it answers: "callers
    with an owning type (`String`, `Vec`) no longer compile" said of a fn whose `T: Add<Output = T> +
    Mul<Output = T>` no `String` or `Vec` ever met, so nothing is lost. A bound not known to hold
    (an operator, a trait of the crate's own) rules the example out: no claim rests on a guess."""
    names = [re.sub(r"^(?:(?:std|core|alloc)::)?(?:\w+::)*", "", b).replace(" ", "") for b in bounds]
    return [ty for ty, has in _EXAMPLES.items() if all(n.startswith("?") or n in has for n in names)]


def _where_has(f: _Fn, t: str) -> bool:
    """A free fn whose `where` clause already bounds `t`: a new bound goes beside those, not into the
    generic list (bounds in two places is clippy's `multiple_bound_locations`)."""
    w = re.search(r"\bwhere\b", f.ret) if f.sig is f.ret else None
    return w is not None and any(re.match(rf"\s*{t}\s*:", p) for p in _split_top(f.ret[w.end() :], ","))


def _with(text: str, f: _Fn, t: str, trait: str) -> tuple[int, int, str, str] | None:
    """The edit adding `trait` to `t`'s bounds in the function's own scope (see the docstring); on
    an impl's `t` already bounded there by an operator (an earlier step put it on the block), beside
    that bound, so one fix never splits its bounds between the block and the method."""
    g0, g1 = f.generics
    in_where = f.sig is not f.ret
    if not in_where and _where_has(f, t):
        got = _method_where(text, f, t, lambda had: had if trait in had else [*had, trait])
        return (got[0], got[1], got[2], "") if got is not None and got[2] else None
    if in_where:
        param = next((p for p in _split_top(text[g0:g1], ",") if re.match(rf"\s*{t}\s*:", p)), "")
        in_where = not any(_operator_bound(b) for b in _split_top(param.partition(":")[2], "+"))
    if not in_where:  # the function's (or the block's, see above) generic list
        parts = _split_top(text[g0:g1], ",")
        pos = g0
        for p in parts:
            m = re.match(rf"(\s*){t}\s*(:(.*))?$", p, re.S)
            if m:
                had = [b.strip() for b in _split_top(m.group(3) or "", "+") if b.strip()]
                if trait in had:
                    return None
                e = pos + len(p.rstrip())  # an insertion after the last bound rewrites none
                scope = "the impl block" if f.sig is not f.ret else ""
                return e, e, f" + {trait}" if had else f": {trait}", scope
            pos += len(p) + 1
        return None
    got = _method_where(text, f, t, lambda had: had if trait in had else [*had, trait])
    return (got[0], got[1], got[2], "only") if got is not None and got[2] else None


def moved_generic(d: Diagnostic, read: Reader) -> list[Candidate]:
    """`Clone` + `.clone()`, `Copy`, and (for a returned `*x`) a `&T` return, for a `T` moved out."""
    found = _param_name(d)
    prim = d.primary
    if d.code_str not in ("E0507", "E0508") or found is None or prim is None:
        return []
    t = found[0]
    data = read(prim.file_name)
    if data is None:
        return []
    text = data.decode("utf-8", "replace")
    at = len(data[: prim.byte_start].decode("utf-8", "replace"))
    end = len(data[: prim.byte_end].decode("utf-8", "replace"))
    f = _Fn(text, at, t)
    site = text[at:end]
    place = site[1:].strip() if site.startswith("*") else site
    if not f.ok or not _PLACE.fullmatch(place):
        return []
    enc = lambda i: len(text[:i].encode())  # noqa: E731
    file, code = prim.file_name, d.code_str or "E0507"

    def on(where: str) -> str:
        return {"only": f"`{f.name}` only", "": f"`{f.name}`"}.get(where, where)

    out = []
    clone, copy = _with(text, f, t, "Clone"), _with(text, f, t, "Copy")
    if clone is not None:
        edits = [
            Edit(file=file, start=enc(clone[0]), end=enc(clone[1]), replacement=clone[2]),
            Edit(file=file, start=enc(at), end=enc(end), replacement=f"{place}.clone()"),
        ]
        from engine.syntax.run_count import how_often  # the parser only for a clone built here

        often = how_often(data, prim.byte_start, prim.byte_end)
        copies = f"copies one `{t}` {often}" if often else f"each call copies one `{t}`"
        them = " and ".join(f"`{x}`" for x in owning_examples(_bounds_of(text, f, t)))
        does = f" ({them} do{'es' if ' and ' not in them else ''})" if them else ""
        why = f"callers' types must implement `Clone`{does}; {copies}"
        out.append(
            _make(
                sorted(edits, key=lambda e: e.start),
                f"bound `{t}: Clone` on {on(clone[3])} and clone at the move: `{place}.clone()` ({why})",
                "generic-clone",
                code,
                0.85,
            )
        )
    if copy is not None:
        edit = Edit(file=file, start=enc(copy[0]), end=enc(copy[1]), replacement=copy[2])
        them = ", ".join(f"`{x}`" for x in owning_examples(_bounds_of(text, f, t)))
        why = (
            f"no copy cost, but callers with an owning type ({them}) no longer compile"
            if them
            else f"no copy cost, but every caller's `{t}` must be `Copy`"
        )
        out.append(_make([edit], f"bound `{t}: Copy` on {on(copy[3])} ({why})", "generic-copy", code, 0.8))
    out += _borrowed_return(text, f, t, at, end, place, file, code)
    return out


def _borrowed_return(
    text: str, f: _Fn, t: str, at: int, end: int, place: str, file: str, code: str
) -> list[Candidate]:
    """Return `&T` when the moved `*x` is the function's tail value and `T` is returned by value
    once: no bound is needed, the element is lent instead of moved out."""
    if not text[at : at + 1] == "*" or not re.fullmatch(r"[\s)]*", text[end : f.body[1] - 1]):
        return []
    arrow = re.search(r"->(.*?)(?:\bwhere\b|$)", f.ret, re.S)
    if arrow is None:
        return []
    owned = [m for m in re.finditer(rf"(?<![&\w:]){t}\b", arrow.group(1))]
    if len(owned) != 1:
        return []
    r = f.ret_at + arrow.start(1) + owned[0].start()
    enc = lambda i: len(text[:i].encode())  # noqa: E731
    edits = [
        Edit(file=file, start=enc(r), end=enc(r), replacement="&"),
        Edit(file=file, start=enc(at), end=enc(end), replacement=place),
    ]
    why = f"no bound and no copy, but the return type changes: every caller gets a `&{t}` into the input"
    return [
        _make(
            edits,
            f"return `&{t}`: lend `{place}` instead of moving it out ({why})",
            "generic-borrow",
            code,
            0.75,
        )
    ]
