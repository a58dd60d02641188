"""Source probes for test coverage: the library's blocks with a call that records, per test, which
statements ran.

Why source probes and not `-C instrument-coverage`: that needs llvm-tools of the toolchain's own LLVM
version (a system llvm-cov reads an older profile format), which a stable install lacks. A probe is a
plain call, `crate::__rusta_cov::hit(N);`, put before each statement of each block of a non-const
library fn (before its attributes, so `#[cfg]` still binds to the statement), and around the value of
a match arm that is not a block (`=> { hit(N); value }`). The probe keeps one bit per probe in a
thread-local bitmap and appends `thread-name TAB N` to $RUSTA_COV_FILE the first time: libtest runs
each test in a thread named after it, so the file is each test's spectrum. Probes never add a newline,
so line numbers stay the user's.

A line's probes are the innermost probed statements (or arm) that spans it; the fn's entry probe spans
the whole fn. An arm's pattern (and guard) is tested whenever its match runs, even when the arm is not
taken (a slip in the pattern sends the value to another arm), so its lines also answer to the probe of
the statement (or arm) holding the match: a second Probe record with that probe's id.

Source tree-sitter cannot parse (an ERROR node: `try!(..)` in a 2015 crate, a macro it does not know)
gets no probe inside it, and a statement it breaks takes its probe before the broken part. Test code,
const fns and const contexts are never probed. Pure: bytes in, bytes out.
"""

from __future__ import annotations

from collections.abc import Mapping

import tree_sitter

from engine.syntax.program import in_test_code
from engine.syntax.tree import parse
from engine.syntax.types import Base

MODULE = "__rusta_cov"
_CALL = "crate::" + MODULE + "::hit({});"
_CONST_CONTEXTS = {
    "const_item",
    "static_item",
    "const_block",
    "array_type",
    "type_arguments",
    "attribute_item",
}
_SKIP_CHILDREN = {
    "attribute_item",
    "line_comment",
    "block_comment",
    "empty_statement",
    "inner_attribute_item",
}

# The recorder, appended to the library's root file. `extern crate std` makes it work in a no_std
# crate's test build too; docs and allow() keep it quiet under `#![deny(missing_docs, warnings)]`.
RECORDER = """
#[doc(hidden)]
#[allow(warnings, missing_docs, unused, clippy::all)]
/// Rusta's coverage probes: present only in Rusta's scratch copy while it measures coverage.
pub mod __rusta_cov {
    extern crate std as s;
    use self::s::io::Write;
    s::thread_local! {
        static SEEN: s::cell::RefCell<s::vec::Vec<u64>> = s::cell::RefCell::new(s::vec::Vec::new());
    }
    /// Record that probe `id` ran in the current test's thread (once per thread).
    #[inline]
    pub fn hit(id: u32) {
        let _ = SEEN.try_with(|seen| {
            let mut seen = match seen.try_borrow_mut() {
                Ok(v) => v,
                Err(_) => return,
            };
            let (w, b) = ((id / 64) as usize, 1u64 << (id % 64));
            if seen.len() <= w {
                seen.resize(w + 1, 0);
            }
            if seen[w] & b != 0 {
                return;
            }
            seen[w] |= b;
            let t = s::thread::current();
            if let (Some(name), Some(path)) = (t.name(), s::env::var_os("RUSTA_COV_FILE")) {
                if let Ok(mut f) = s::fs::OpenOptions::new().append(true).create(true).open(path) {
                    let _ = f.write_all(s::format!("{}\\t{}\\n", name, id).as_bytes());
                }
            }
        });
    }
}
"""


class Probe(Base, kw_only=True, frozen=True):
    """One probe: the lines of the statement (or arm, or whole fn) whose execution it records."""

    id: int
    file: str
    first: int  # 1-based, inclusive
    last: int
    fn_line: int  # the line of the fn it belongs to (`fn` keyword's line)


class Instrumented(Base, kw_only=True, frozen=True):
    files: tuple[tuple[str, bytes], ...]  # the probed files, root included
    probes: tuple[Probe, ...]


def _is_const_fn(fn: tree_sitter.Node) -> bool:
    mods = next((c for c in fn.children if c.type == "function_modifiers"), None)
    return mods is not None and b"const" in (mods.text or b"").split()


def _in_const_context(node: tree_sitter.Node, stop: tree_sitter.Node) -> bool:
    n = node.parent
    while n is not None and n != stop:
        if n.type in _CONST_CONTEXTS:
            return True
        n = n.parent
    return False


def _line(n: tree_sitter.Node) -> int:
    return n.start_point[0] + 1


def _last(n: tree_sitter.Node) -> int:
    return n.end_point[0] + 1


class _Probing:
    def __init__(self, rel: str, next_id: int) -> None:
        self.rel = rel
        self.next_id = next_id
        self.inserts: list[tuple[int, str]] = []  # (byte offset, text), applied back to front
        self.probes: list[Probe] = []
        self.owner: dict[int, int] = {}

    def add(self, at: int, first: int, last: int, fn_line: int, text: str | None = None) -> None:
        pid = self.next_id
        self.next_id += 1
        self.inserts.append((at, (text or _CALL).format(pid)))
        self.probes.append(Probe(id=pid, file=self.rel, first=first, last=last, fn_line=fn_line))

    def fn(self, fn: tree_sitter.Node) -> None:
        body = fn.child_by_field_name("body")
        if body is None or body.type != "block":
            return
        fl = _line(fn)
        self.owner = {body.id: self.next_id}  # node id -> the probe that runs with it
        self.add(body.start_byte + 1, fl, _last(fn), fl)  # the entry probe spans the whole fn
        stack = [body]
        while stack:
            n = stack.pop()
            if n.type == "function_item" and n != fn:
                continue  # a nested fn is probed as a fn of its own
            if n.type == "ERROR":
                continue  # unparsed source: a probe inside it could land mid-token-tree
            if n.type == "block" and not _in_const_context(n, fn):
                self.block(n, fl, entry=n == body)
            elif n.type == "match_arm" and not _in_const_context(n, fn):
                self.arm(n, fl)
            stack.extend(n.named_children)

    def _owner_of(self, n: tree_sitter.Node) -> int | None:
        p = n.parent
        while p is not None:
            if p.id in self.owner:
                return self.owner[p.id]
            p = p.parent
        return None

    def arm(self, n: tree_sitter.Node, fl: int) -> None:
        v = n.child_by_field_name("value")
        if v is None:
            return
        arrow = next((c for c in n.children if c.type == "=>"), v)
        pattern_last = _line(arrow)
        held = self._owner_of(n)
        if held is not None:  # the pattern is tested whenever the match runs
            self.probes.append(Probe(id=held, file=self.rel, first=_line(n), last=pattern_last, fn_line=fl))
        if v.type != "block" and not n.has_error:
            self.owner[n.id] = self.next_id
            self.add(v.start_byte, _line(n), _last(n), fl, "{{ " + _CALL + " ")
            self.inserts.append((v.end_byte, " }"))

    def block(self, block: tree_sitter.Node, fl: int, entry: bool = False) -> None:
        kids = [c for c in block.named_children]
        lead: tree_sitter.Node | None = None  # the first attribute (or unparsed part) before a statement
        for c in kids:
            if c.type in ("attribute_item", "ERROR"):
                lead = lead or c
                continue
            if c.type in _SKIP_CHILDREN:
                continue
            start = lead if lead is not None else c
            self.owner[c.id] = self.next_id
            self.add(start.start_byte, _line(c), _last(c), fl)
            lead = None
        if not entry and not any(c.type not in _SKIP_CHILDREN for c in kids):
            self.add(block.start_byte + 1, _line(block), _last(block), fl)


def _apply(data: bytes, inserts: list[tuple[int, str]]) -> bytes:
    out = data
    for at, text in sorted(inserts, key=lambda t: t[0], reverse=True):
        out = out[:at] + text.encode() + out[at:]
    return out


def instrument(
    files: Mapping[str, bytes],
    library: set[str],
    root: str,
    skip: frozenset[tuple[str, int]] = frozenset(),
) -> Instrumented:
    """Probe every non-test, non-const fn of the `library` files; the recorder goes into `root`
    (the library's root file, `src/lib.rs` usually). `skip`: (file, line) spots inside which no fn
    is probed (where a probed build failed)."""
    out: list[tuple[str, bytes]] = []
    probes: list[Probe] = []
    next_id = 0
    for rel in sorted(library | {root}):
        data = files[rel]
        p = _Probing(rel, next_id)
        if rel in library:
            stack = [parse(data).root_node]
            found = []
            while stack:
                n = stack.pop()
                if n.type == "function_item":
                    found.append(n)
                stack.extend(n.named_children)
            for fn in found:
                if any(f == rel and _line(fn) <= ln <= _last(fn) for f, ln in skip):
                    continue
                if not _is_const_fn(fn) and not in_test_code(fn):
                    p.fn(fn)
        next_id = p.next_id
        probes.extend(p.probes)
        new = _apply(data, p.inserts)
        if rel == root:
            new = new.rstrip(b"\n") + b"\n" + RECORDER.encode()
        out.append((rel, new))
    return Instrumented(files=tuple(out), probes=tuple(probes))


def line_probes(probes: tuple[Probe, ...]) -> dict[tuple[str, int], tuple[int, ...]]:
    """(file, line) -> the ids of the innermost probes spanning it: several when a line holds more
    than one statement or branch (`if a > b { a } else { b }`), and it ran if any of them did."""
    best: dict[tuple[str, int], tuple[int, list[int]]] = {}
    for p in probes:
        span = p.last - p.first
        for ln in range(p.first, p.last + 1):
            key = (p.file, ln)
            have = best.get(key)
            if have is None or span < have[0]:
                best[key] = (span, [p.id])
            elif span == have[0]:
                have[1].append(p.id)
    return {k: tuple(sorted(set(v[1]))) for k, v in best.items()}
