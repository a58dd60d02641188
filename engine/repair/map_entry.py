"""A map's get-then-insert that today's borrow checker rejects (E0502/E0499, NLL problem case 3).

    if let Some(v) = self.seen.get(&k) { return v; }
    self.seen.insert(k, k.to_string());
    self.seen.get(&k).unwrap()

The borrow returned on the hit path lasts to the function's end, so the insert on the miss path is
a second borrow. The entry API does both in one lookup: `self.seen.entry(k).or_insert_with(|| ..)`.
Where that does not compile (the key is used by the value), the hit path asks twice: `contains_key`
then a second lookup, which ends the first borrow before the insert. Offered only for a map declared
as a `HashMap`/`BTreeMap` in the file, when the insert is of the same key and the function's tail
takes the reference from the map. Pure; the sandbox says whether it compiles.
"""

from __future__ import annotations

import re

from engine.repair.template_kit import Reader, _make
from engine.repair.types import Candidate, Edit
from toolbelt.types import Diagnostic

_SHAPE = re.compile(
    r"if\s+let\s+Some\((?P<v>\w+)\)\s*=\s*(?P<map>[\w.]+)\.(?P<get>get|get_mut)\((?P<ref>&?)(?P<k>[\w.]+)\)\s*\{(?P<pre>(?:[^{}]|\{[^{}]*\})*?)"
    r"return\s+(?P=v)\s*;?\s*\}\s*"
    r"(?P=map)\.insert\(\s*(?P<ik>(?P=k)(?:\.clone\(\)|\.to_owned\(\)|\.to_string\(\))?)\s*,\s*(?P<val>[^;]+?)\s*\)\s*;\s*"
    r"(?P<tail>&(?:mut\s+)?(?P=map)\[(?P=ref)(?P=k)\]|(?P=map)\.(?:get|get_mut)\((?P=ref)(?P=k)\)\.unwrap\(\))(?=\s*\})",
    re.S,
)


def entry_for_get_insert(d: Diagnostic, read: Reader) -> list[Candidate]:
    prim = d.primary
    if prim is None or d.code_str not in ("E0502", "E0499"):
        return []
    data = read(prim.file_name)
    if data is None:
        return []
    text = data.decode("utf-8", "replace")
    at = len(data[: prim.byte_start].decode("utf-8", "replace"))
    m = next((m for m in _SHAPE.finditer(text) if m.start() <= at < m.end()), None)
    if m is None:
        return []
    field = m["map"].split(".")[-1]
    declared = re.search(
        rf"\b{re.escape(field)}\s*:\s*(?:&(?:'\w+\s+)?(?:mut\s+)?)?(?:std::collections::)?(?P<kind>HashMap|BTreeMap)<",
        text,
    )
    if declared is None:
        return []
    pre = m["pre"].strip()
    if re.search(rf"\b{re.escape(m['v'])}\b", pre) or m["map"] in pre:
        return []  # the hit path uses the borrowed value or the map before returning it: not this shape
    ind = text[text.rfind("\n", 0, m.start()) + 1 : m.start()]
    ind = ind if not ind.strip() else "    "  # the statement's own indentation, for the lines it gains
    pre_lines = "".join(f"{ind}    {line.strip()}\n" for line in pre.splitlines() if line.strip())
    enc = lambda i: len(text[:i].encode())  # noqa: E731
    mut = m["get"] == "get_mut"
    entry = f"{m['map']}.entry({m['ik']}).or_insert_with(|| {m['val']})"
    if pre:  # the hit path does more than return: an `Occupied` arm keeps it, on the one lookup
        kind = "hash_map" if declared["kind"] == "HashMap" else "btree_map"
        path = f"std::collections::{kind}::Entry"
        entry = (
            f"match {m['map']}.entry({m['ik']}) {{\n{ind}    {path}::Occupied(e) => {{\n"
            + "".join(f"    {line}\n" for line in pre_lines.splitlines())
            + f"{ind}        e.into_mut()\n{ind}    }}\n{ind}    {path}::Vacant(e) => e.insert({m['val']}),\n{ind}}}"
        )
    twice = (
        f"if {m['map']}.contains_key({m['ref']}{m['k']}) {{\n{pre_lines}"
        f"        return {m['map']}.{m['get']}({m['ref']}{m['k']}).unwrap(); // a second lookup\n"
        f"    }}\n    {m['map']}.insert({m['ik']}, {m['val']});\n    {m['tail']}"
    )
    edit = lambda s: Edit(file=prim.file_name, start=enc(m.start()), end=enc(m.end()), replacement=s)  # noqa: E731
    code = d.code_str
    return [
        _make(
            [edit(entry)],
            "one lookup with the entry API: "
            + (
                "`match entry(..)`, the hit's work in its `Occupied` arm"
                if pre
                else "`entry(..).or_insert_with(..)`"
            ),
            "map-entry",
            code,
            0.9,
        ),
        _make(
            [edit(twice)],
            f"look up twice: `contains_key`, then a second `{'get_mut' if mut else 'get'}` for the hit",
            "map-two-lookups",
            code,
            0.6,
        ),
    ]
