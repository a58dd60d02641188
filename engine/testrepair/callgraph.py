"""The crate's static call graph, read from the source: which library functions a test can reach.

A library fn is the node `Type::name` (its impl's type; a trait's default method is `Trait::name`) or
`name` for a free fn. A call whose receiver type the syntax tree shows (`engine.syntax.receivers`)
links to that type's method when the crate defines one, to nothing but trait default methods when
the crate adds no method to that type (`Vec::new`, `s.len()` on a `String`), and otherwise by name to
every fn so named (rustc resolves traits, generics and chains that the tree cannot). Tests are `#test:name`,
other fns of test code `#aux:name` (entered by their name too), `macro_rules!` macros `name!`.

Pure: FnInfo Structs in, distances out.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping, Sequence

from engine.syntax.program import FnInfo, macro_calls
from engine.syntax.receivers import base_type


def fn_key(f: FnInfo) -> str:
    owner = base_type(f.owner)
    return f"{owner}::{f.name}" if owner else f.name


class CallGraph:
    def __init__(
        self, files: Mapping[str, bytes], fns: Mapping[str, Sequence[FnInfo]], library: set[str]
    ) -> None:
        """`fns`: each file's functions; `library`: the files of library code (not test code)."""
        lib_fns = [f for rel in library for f in fns.get(rel, ()) if not (f.is_test or f.in_test_code)]
        self.by_name: dict[str, set[str]] = {}
        for f in lib_fns:
            self.by_name.setdefault(f.name, set()).add(fn_key(f))
        keys = {fn_key(f) for f in lib_fns}
        owners = {k.split("::")[0] for k in keys if "::" in k}
        defaults = {fn_key(f) for f in lib_fns if f.in_trait}
        edges: dict[str, set[str]] = {}

        def targets(name: str, recv: str) -> set[str]:
            if recv and f"{recv}::{name}" in keys:
                return {f"{recv}::{name}"}
            named = self.by_name.get(name, set())
            if recv and recv not in owners:  # a type the crate adds no method to: only a trait's default
                return named & defaults
            return named | {name}

        for rel, found in fns.items():
            for f in found:
                if f.is_test:
                    key = f"#test:{f.name}"
                elif rel not in library or f.in_test_code:
                    key = f"#aux:{f.name}"
                else:
                    key = fn_key(f)
                calls = f.typed_calls or tuple((c, "") for c in f.calls)
                edges.setdefault(key, set()).update(t for c, r in calls for t in targets(c, r))
        for data in files.values():
            for mac, called in macro_calls(data).items():
                edges.setdefault(mac, set()).update(t for c in called for t in targets(c, ""))
        for key in [k for k in edges if k.startswith("#aux:")]:  # helpers are called by their name
            edges.setdefault(key[5:], set()).update(edges[key])
        self.edges = {k: sorted(v) for k, v in edges.items()}

    def reach(self, start: Iterable[str]) -> dict[str, int]:
        """Fewest calls from the `start` nodes to each node (BFS)."""
        dist: dict[str, int] = {}
        todo = deque((c, 1) for s in start for c in self.edges.get(s, ()))
        while todo:
            name, d = todo.popleft()
            if name in dist:
                continue
            dist[name] = d
            todo.extend((c, d + 1) for c in self.edges.get(name, ()) if c not in dist)
        return dist

    def keys(self, names: Iterable[str]) -> set[str]:
        """The nodes a call by bare name can mean."""
        return {k for n in names for k in self.by_name.get(n, set()) | {n}}

    def from_calls(self, names: Sequence[str]) -> dict[str, int]:
        """Distance from a statement that calls `names` (1: the fns it calls directly)."""
        first = self.keys(names)
        return {**{k: v + 1 for k, v in self.reach(first).items()}, **dict.fromkeys(first, 1)}

    def of_test(self, test: str) -> dict[str, int]:
        """What libtest's `test` reaches; a doctest (`src/a.rs - a::Date::parse (line 33)`) uses its item."""
        if " - " in test:
            path = test.split(" - ", 1)[1].split(" (line")[0].split("::")
            typed = "::".join(path[-2:])
            item = {typed} if len(path) > 1 and typed in self.edges else self.keys(path[-1:])
            return {**{k: d + 1 for k, d in self.reach(item).items()}, **dict.fromkeys(item, 1)}
        return self.reach([f"#test:{test.split('::')[-1].split(' ')[0]}"])
