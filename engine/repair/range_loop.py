"""clippy::needless_range_loop as a concrete rewrite: the loop iterates the collection, and every
`coll[i]` in the body becomes the item.

The general mistake handled: clippy's help is not code (`for <item> in &line`, `for (r, <item>) in
sums.iter_mut().enumerate()`), so a fix that copies it cannot compile, and a fix written from the
lint's name alone ("loop over the items") drops an index the body still needs. Here the syntax layer
(engine.syntax.range_loops) says whether the loop variable is used other than as `coll[i]`:
- only as `coll[i]`: `for x in &coll` (`&mut coll` when the body writes through it, `.iter().take(n)`
  when the range is not the whole collection);
- also elsewhere (arithmetic, a second collection, a call): `for (i, x) in coll.iter().enumerate()`
  (`iter_mut` when written through), so `i` stays bound.
clippy's placeholder gets a name no identifier of the function uses. Clippy's own iterable text is
kept when it gave one (it already chose `&`/`&mut`/`take`/`skip`); otherwise it is built from the
range. Pure; the sandbox says whether it compiles and the tests pass.
"""

from __future__ import annotations

import re

from engine.repair.template_kit import Reader, _make
from engine.repair.types import Candidate, Edit
from engine.syntax.range_loops import IndexLoop, index_loop, item_name
from engine.syntax.tree import binding_of
from toolbelt.types import Diagnostic

CODE = "clippy::needless_range_loop"
_COLLECTION = re.compile(r"used to index `([^`]+)`")
_RANGE = re.compile(r"^\s*(?P<lo>[^.]*?)\s*\.\.(?P<eq>=?)\s*(?P<hi>.*?)\s*$", re.S)


def _clippy_iterable(d: Diagnostic) -> tuple[str | None, str | None]:
    """(clippy's pattern text with `<item>`, clippy's iterable text) from its help's two edits."""
    for c in d.children:
        reps = [s.suggested_replacement for s in c.spans if s.suggested_replacement is not None]
        if len(reps) == 2:
            pat = next((r for r in reps if "<item>" in r), None)
            it = next((r for r in reps if "<item>" not in r), None)
            if pat is not None and it is not None:
                return pat, it
    return None, None


def _built_iterable(loop: IndexLoop, mutable: bool, enumerate_: bool) -> str | None:
    """The iterable from the range itself, when clippy gave none: `&v`, `v.iter_mut().take(n)`, …"""
    m = _RANGE.match(loop.iterable.text)
    if m is None:
        return None
    lo, hi = m["lo"], m["hi"]
    whole = re.fullmatch(rf"{re.escape(loop.collection)}\s*\.\s*len\(\)", hi) is not None and not m["eq"]
    adapters = ""
    if lo not in ("", "0"):
        adapters += f".skip({lo})"
    if not whole:
        if hi:
            n = f"{hi} + 1" if m["eq"] else hi
            adapters += f".take({n} - {lo})" if lo not in ("", "0") else f".take({n})"
        elif m["eq"]:
            return None
    it = "iter_mut" if mutable else "iter"
    if enumerate_:
        return f"{loop.collection}.{it}().enumerate(){adapters}"
    if not adapters:
        return f"&mut {loop.collection}" if mutable else f"&{loop.collection}"
    return f"{loop.collection}.{it}(){adapters}"


def _through_reference(source: bytes, loop: IndexLoop, iterable: str) -> str:
    """`&line` where `line` is already a `&Vec<u8>` is a `&&Vec<u8>`, which is not an iterator
    (clippy writes it anyway): a binding declared as a reference iterates with `.iter()`/`.iter_mut()`."""
    if (
        iterable not in (f"&{loop.collection}", f"&mut {loop.collection}")
        or not loop.collection.isidentifier()
    ):
        return iterable
    b = binding_of(source, loop.collection, loop.iterable.start)
    if b is None or not (b.type_text or "").lstrip().startswith("&"):
        return iterable
    return f"{loop.collection}.{'iter_mut' if iterable.startswith('&mut') else 'iter'}()"


def items_for_index_loop(d: Diagnostic, read: Reader) -> list[Candidate]:
    prim = d.primary
    if prim is None or d.code_str != CODE:
        return []
    data = read(prim.file_name)
    if data is None:
        return []
    m = _COLLECTION.search(d.message)
    loop = index_loop(data, prim.byte_start, prim.byte_end, m.group(1) if m else None)
    if loop is None:
        return []
    name = item_name(loop)
    keeps_index = bool(loop.other_uses)
    mutable = any(s.place for s in loop.sites)
    pattern, iterable = _clippy_iterable(d)
    if pattern is not None and ("(" in pattern) != keeps_index:
        pattern = iterable = None  # clippy and the tree disagree on whether the index stays: build it here
    if iterable is not None and mutable and "iter_mut" not in iterable and "&mut" not in iterable:
        iterable = None
    if iterable is None:
        iterable = _built_iterable(loop, mutable, keeps_index)
        pattern = f"({loop.var}, <item>)" if keeps_index else "<item>"
    if iterable is None or pattern is None:
        return []
    iterable = _through_reference(data, loop, iterable)
    pattern = pattern.replace("<item>", name)
    edits = [
        Edit(file=prim.file_name, start=loop.pattern.start, end=loop.pattern.end, replacement=pattern),
        Edit(file=prim.file_name, start=loop.iterable.start, end=loop.iterable.end, replacement=iterable),
    ]
    edits += [
        Edit(
            file=prim.file_name,
            start=s.range.start,
            end=s.range.end,
            replacement=name if s.bare else f"*{name}",
        )
        for s in loop.sites
    ]
    if keeps_index:
        what = (
            f"iterate `{loop.collection}` with its index, since the body also uses `{loop.var}` "
            f"beyond `{loop.collection}[{loop.var}]`: `for {pattern} in {iterable}`"
        )
        family = "range-loop-enumerate"
    else:
        what = f"iterate `{loop.collection}`'s items: `for {pattern} in {iterable}`"
        family = "range-loop-items"
    return [_make(edits, what, family, CODE, 0.9)]
