"""How far a bound a fix adds reaches: one function, or every method of an `impl` block.

The general mistake: a trait bound put on `impl<T> Type<T>` (where rustc's help points) described as
if it restricted only the function whose body needed it. A bound on the impl block is a condition of
every method in it: `Type<String>` loses `new` and every other method when `T: Copy` is asked of the
block for one method's arithmetic, and when the type is `pub` that is a change of its public API.
The reach is read off the patch with the syntax layer: the impl items whose header the edits change,
their methods, and the visibility of the type they implement. A bound written on one function (its
generic list or `where` clause) says so too ("only `total` requires it"), and when both compile it
is shown before the impl-wide one (`narrow_first`). A fix that relaxes a bound (`Fn` to `FnMut`,
a bound removed) asks nothing new of callers, and says so. On a generic `pub` type it also says that
the bound narrows which types the type accepts (`Ring<T>` then holds only `T: Clone`; review O, o11).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

import msgspec

from engine.explain.patchwords import IMPL_WIDE, new_text
from engine.explain.types import Choice, PatchOption
from engine.syntax.fn_items import impl_parts, method_items, top_items
from engine.syntax.tree import parse

_EVERY = "every method of the impl"
_FUNCTION_ONLY = re.compile(r"the function accepts only types with these impls")


def impl_reach(o: PatchOption, read: Callable[[str], bytes | None]) -> str:
    """ "every method of the impl of `Ledger` (`new`, `add`, `total`) now requires it; `Ledger` is
    `pub`, so this changes its public API" when the option's edits change an impl block's header
    (its generic bounds or `where` clause); "" when no impl header changes."""
    said: list[str] = []
    for rel in sorted({e.file for e in o.edits}):
        both = new_text(o, rel, read)
        if both is None:
            continue
        old, new = both
        # impls pair up in order (the header is an impl's name, so a changed header is a new name)
        olds = [it for it in top_items(old) if it.kind == "impl_item"]
        news = [it for it in top_items(new) if it.kind == "impl_item"]
        for prev, item in zip(olds, news, strict=True) if len(olds) == len(news) else ():
            if prev.name == item.name:
                continue
            node = next(
                (n for n in parse(new).root_node.named_children if n.start_byte == item.start),
                None,
            )
            if node is None:
                continue
            trait, ty, _ = impl_parts(node)
            if trait:
                continue  # a trait impl's bounds are the trait's business, and ask nothing new of callers
            name = ty.split("<")[0].strip()
            methods = [m.name for m in method_items(node, name)]
            listed = ", ".join(f"`{m}`" for m in methods[:6]) + (", ..." if len(methods) > 6 else "")
            text = f"every method of the impl of `{name}` ({listed}) now requires it, not only the one that needs it"
            public = any(
                it.kind in ("struct_item", "enum_item") and it.name == name and it.text.startswith("pub")
                for it in top_items(new)
            )
            if public:
                text += f"; `{name}` is `pub`, so this changes its public API"
                if "<" in ty:  # a generic type: the bound narrows which types its users may put in it
                    text += f": `{ty.strip()}` then accepts only the types that meet the new bound"
            said.append(text)
    return "; ".join(dict.fromkeys(said))


def _bounds_of(fn) -> str:  # noqa: ANN001 - a tree_sitter function_item node
    """A fn item's generic list and `where` clause, the text its bounds are written in."""
    parts = [
        fn.child_by_field_name("type_parameters"),
        *(c for c in fn.named_children if c.type == "where_clause"),
    ]
    return " ".join((c.text or b"").decode() for c in parts if c is not None)


def _fn_bounds(source: bytes) -> dict[tuple[str, str], str]:
    """(impl type or "", fn name) -> the bounds text of every fn at the top level or in an impl."""
    out: dict[tuple[str, str], str] = {}
    for n in parse(source).root_node.named_children:
        if n.type == "function_item" and (name := n.child_by_field_name("name")) is not None:
            out[("", (name.text or b"").decode())] = _bounds_of(n)
        elif n.type == "impl_item" and not impl_parts(n)[0]:
            owner = impl_parts(n)[1].split("<")[0].strip()
            body = n.child_by_field_name("body")
            for m in body.named_children if body is not None else []:
                if m.type == "function_item" and (name := m.child_by_field_name("name")) is not None:
                    out[(owner, (name.text or b"").decode())] = _bounds_of(m)
    return out


_CLOSURE_TRAITS = {"Fn": 0, "FnMut": 1, "FnOnce": 2}  # each admits every closure the one before admits
_TERMS = re.compile(r"[^\s+,:{}]+(?:\([^)]*\))?(?:\s*->\s*[^\s+,{}]+)?")


def _relaxes(old: str, new: str) -> bool:
    """Whether bounds `new` ask no more than `old`: the same text with `Fn` turned into `FnMut` or
    `FnOnce` (or `FnMut` into `FnOnce`), or with bounds removed. The general mistake this prevents
    is saying "its callers' types must meet it" of a fix that relaxes a bound (review A a07: `F:
    Fn(u32)` to `F: FnMut(u32)`), where every caller that met the old bound meets the new one."""
    a, b = " ".join(old.split()), " ".join(new.split())
    words = re.compile(r"\b(FnOnce|FnMut|Fn)\b")
    if words.sub("F#", a) == words.sub("F#", b):
        pairs = list(zip(words.findall(a), words.findall(b), strict=False))
        return any(_CLOSURE_TRAITS[n] > _CLOSURE_TRAITS[o] for o, n in pairs) and all(
            _CLOSURE_TRAITS[n] >= _CLOSURE_TRAITS[o] for o, n in pairs
        )
    olds, news = set(_TERMS.findall(a)), set(_TERMS.findall(b))
    return news < olds  # only removed: nothing new is asked


def fn_reach(o: PatchOption, read: Callable[[str], bytes | None]) -> str:
    """ "only `total` requires it; the other methods of `Ledger` are unchanged" when the option's
    edits change the bounds of functions only (their generic lists or `where` clauses); ""
    otherwise."""
    changed: dict[str, list[str]] = {}  # owner -> the fns whose bounds change, one clause per owner
    relaxed: list[bool] = []
    for rel in sorted({e.file for e in o.edits}):
        both = new_text(o, rel, read)
        if both is None:
            continue
        old, new = map(_fn_bounds, both)
        for key, text in new.items():
            if key in old and old[key] != text:
                changed.setdefault(key[0], []).append(key[1])
                relaxed.append(_relaxes(old[key], text))
    if changed and all(relaxed):
        names = [f"`{n}`" for ns in changed.values() for n in dict.fromkeys(ns)]
        return (
            f"the bound on {' and '.join(names)} asks less than before: every type that met the old "
            "bound meets the new one, so callers face no new requirement"
        )
    said: list[str] = []
    for owner, names in changed.items():
        names = list(dict.fromkeys(names))
        which = " and ".join(f"`{n}`" for n in names)
        only = f"only {which} requires it" if len(names) == 1 else f"the bounds go on {which} only"
        said.append(
            f"{only}; the other methods of `{owner}` are unchanged"
            if owner
            else f"{only}: {'its' if len(names) == 1 else 'their'} callers' types must meet {'it' if len(names) == 1 else 'them'}"
        )
    return "; ".join(said)


def impl_wide(o: PatchOption, read: Callable[[str], bytes | None]) -> PatchOption:
    """The option with its cost saying how far its bound reaches: every method of an impl block
    (`impl_reach`), else the one function whose bounds it changes (`fn_reach`)."""
    reach = impl_reach(o, read) or fn_reach(o, read)
    if not reach or reach in o.cost:
        return o
    return msgspec.structs.replace(o, cost="; ".join(filter(None, (o.cost, reach))))


def impl_wide_options(options: Iterable[Choice], fixes: Iterable[PatchOption]) -> tuple[Choice, ...]:
    """The knowledge base's "the function accepts only types with these impls" corrected when every
    checked bound fix puts its bound on an impl block: the restriction is then the whole impl's."""
    bound = [f for f in fixes if f.validated in ("compiles", "type-checks", "uncovers")]
    reaches = [r for f in bound for r in f.cost.split("; ") if r.startswith(_EVERY)]
    if not bound or not reaches or len(reaches) < len(bound):
        return tuple(options)
    return tuple(
        msgspec.structs.replace(o, tradeoff=_FUNCTION_ONLY.sub(f"{IMPL_WIDE}{reaches[0]}", o.tradeoff))
        for o in options
    )


def narrow_first(fixes: Iterable[PatchOption]) -> tuple[PatchOption, ...]:
    """Each compiling fix whose bound reaches every method of an impl moved after the compiling
    fixes (tests not failing, no more errors left) that do not: the narrower bound leads."""
    out = list(fixes)
    for wide in [f for f in out if f.validated == "compiles" and _EVERY in f.cost]:
        mine = wide.errors_left + wide.errors_new
        narrow = [
            i
            for i, f in enumerate(out)
            if f.validated == "compiles"
            and _EVERY not in f.cost
            and not f.tests_failed
            and f.errors_left + f.errors_new <= mine
        ]
        at = out.index(wide)
        if narrow and narrow[-1] > at:
            out.insert(narrow[-1], out.pop(at))
    return tuple(out)
