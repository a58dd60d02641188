"""Whether any test of a package can reach a function, read from the syntax of its files.

A fix that compiles says nothing about behaviour unless some test runs the changed code; the
mistake this answers is a ✓ that reads as "checked" on a crate with no tests, or on a fn no test
calls. The answer is by name, over every fn item of `src/` and `tests/`: a test (`#[test]`,
`#[tokio::test]`, ... or a doc-comment example) reaches every fn whose name its body mentions, and
so on transitively. Names over-approximate calls (two fns of one name, a local that shares a fn's
name), so "no test reaches it" is said only when no chain of names leads there.

Pure apart from reading the package's files; tree-sitter nodes stay here.
"""

from __future__ import annotations

import re
from collections import deque
from pathlib import Path

import msgspec

from engine.syntax.program import is_test_fn
from engine.syntax.tree import parse

_DOC_CODE = re.compile(r"```(?:rust)?\n(.*?)```", re.S)
_WORD = re.compile(r"[A-Za-z_]\w*")


class Reach(msgspec.Struct, frozen=True):
    """`kind`: "no-tests" (the package has none), "unreached" (no test's chain of names leads to
    `fn`), "reached" (one does: `test` names it); `fn` is the function holding the edit."""

    kind: str
    fn: str
    test: str = ""


class _Fn(msgspec.Struct, frozen=True):
    name: str
    test: bool
    names: frozenset[str]  # every identifier its body mentions


def _names(node) -> frozenset[str]:
    out: set[str] = set()
    stack = [node]
    while stack:
        n = stack.pop()
        if n.type in ("identifier", "field_identifier"):
            out.add((n.text or b"").decode())
        stack.extend(n.children)
    return frozenset(out)


def _fns(src: bytes) -> tuple[list[_Fn], list[tuple[int, int, str]]]:
    """The file's fns anywhere (impls, mods, traits, nested), and their byte ranges with names."""
    fns: list[_Fn] = []
    spans: list[tuple[int, int, str]] = []
    root = parse(src).root_node
    stack = [root]
    docs_at: list[tuple[int, str]] = []
    while stack:
        n = stack.pop()
        if n.type == "function_item":
            name_node, body = n.child_by_field_name("name"), n.child_by_field_name("body")
            name = (name_node.text or b"").decode() if name_node is not None else ""
            fns.append(
                _Fn(name=name, test=is_test_fn(n), names=_names(body) if body is not None else frozenset())
            )
            spans.append((n.start_byte, n.end_byte, name))
        elif n.type in ("line_comment", "block_comment"):
            text = (n.text or b"").decode("utf-8", "replace")
            if text.startswith(("///", "//!", "/**", "/*!")):
                docs_at.append((n.start_byte, text))
        stack.extend(n.children)
    lines = (t.strip().lstrip("/!*").strip() for _, t in sorted(docs_at))
    docs = "\n".join(lines) + "\n"
    for block in _DOC_CODE.findall(docs):  # a doc example is a test of what it names
        fns.append(_Fn(name="", test=True, names=frozenset(_WORD.findall(block))))
    return fns, spans


def _package(root: Path, rel: str) -> Path:
    here = (root / rel).parent
    while here != root and not (here / "Cargo.toml").is_file() and root in here.parents:
        here = here.parent
    return here


def has_tests(root: Path, rel: str) -> bool:
    """Whether `rel`'s package has a test (a `#[test]` fn or a doc example) in src/ or tests/: the
    question `reach` cannot answer for an edit in no fn (a field's type), whose tests still run."""
    pkg = _package(root, rel)
    for d in ("src", "tests"):
        for path in sorted((pkg / d).rglob("*.rs")) if (pkg / d).is_dir() else []:
            try:
                if any(f.test for f in _fns(path.read_bytes())[0]):
                    return True
            except OSError:
                continue
    return False


def reach(root: Path, rel: str, offset: int) -> Reach | None:
    """Whether a test of `rel`'s package reaches the fn holding byte `offset` of `rel` (the file as
    it is, before the fix); None when the offset is in no fn (an edit to a type or a `use`)."""
    try:
        src = (root / rel).read_bytes()
    except OSError:
        return None
    _, spans = _fns(src)
    inside = [s for s in spans if s[0] <= offset < s[1]]
    if not inside:
        return None
    target = max(inside, key=lambda s: s[0])[2]  # the innermost fn
    pkg = _package(root, rel)
    every: list[_Fn] = []
    for d in ("src", "tests"):
        for path in sorted((pkg / d).rglob("*.rs")) if (pkg / d).is_dir() else []:
            try:
                every += _fns(path.read_bytes())[0]
            except OSError:
                continue
    tests = [f for f in every if f.test]
    if not tests:
        return Reach(kind="no-tests", fn=target)
    by_name: dict[str, list[_Fn]] = {}
    for f in every:
        by_name.setdefault(f.name, []).append(f)
    for t in tests:
        seen = {t.name}
        todo = deque(t.names)
        while todo:
            w = todo.popleft()
            if w == target:
                return Reach(kind="reached", fn=target, test=t.name or "a doc example")
            if w in seen:
                continue
            seen.add(w)
            for f in by_name.get(w, []):
                todo.extend(f.names - seen)
    return Reach(kind="unreached", fn=target)
