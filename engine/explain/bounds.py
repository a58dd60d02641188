"""How far a bound a fix adds reaches: one function, or every method of an `impl` block.

The general mistake: a trait bound put on `impl<T> Type<T>` (where rustc's help points) described as
if it restricted only the function whose body needed it. A bound on the impl block is a condition of
every method in it: `Type<String>` loses `new` and every other method when `T: Copy` is asked of the
block for one method's arithmetic, and when the type is `pub` that is a change of its public API.
The reach is read off the patch with the syntax layer: the impl items whose header the edits change,
their methods, and the visibility of the type they implement.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

import msgspec

from engine.explain.patchwords import IMPL_WIDE, new_text
from engine.explain.types import Choice, PatchOption
from engine.syntax.fn_items import impl_parts, method_items, top_items
from engine.syntax.tree import parse

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
            said.append(text)
    return "; ".join(dict.fromkeys(said))


def impl_wide(o: PatchOption, read: Callable[[str], bytes | None]) -> PatchOption:
    """The option with its cost saying how far an impl-wide bound reaches (see `impl_reach`)."""
    reach = impl_reach(o, read)
    if not reach or reach in o.cost:
        return o
    return msgspec.structs.replace(o, cost="; ".join(filter(None, (o.cost, reach))))


def impl_wide_options(options: Iterable[Choice], fixes: Iterable[PatchOption]) -> tuple[Choice, ...]:
    """The knowledge base's "the function accepts only types with these impls" corrected when every
    checked bound fix puts its bound on an impl block: the restriction is then the whole impl's."""
    bound = [f for f in fixes if f.validated in ("compiles", "type-checks", "uncovers")]
    reaches = [r for f in bound for r in f.cost.split("; ") if r.startswith("every method of the impl")]
    if not bound or not reaches or len(reaches) < len(bound):
        return tuple(options)
    return tuple(
        msgspec.structs.replace(o, tradeoff=_FUNCTION_ONLY.sub(f"{IMPL_WIDE}{reaches[0]}", o.tradeoff))
        for o in options
    )
