"""A failing test, explained: what it states, what happened instead, where it went wrong, what next.

Pure: a TestResult and the crate's sources in, a TestStory out. Every sentence rests on a fact: the
panic's location and message from libtest, the user's frames from RUST_BACKTRACE=1, the assertion's
source read at its location, the definitions of the functions it calls. When the backtrace ends in
the test itself, the place named is a guess and the story says so.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Mapping
from pathlib import Path

from engine.testexplain.types import Callee, TestStory, WhereBasis
from toolbelt.types import Frame, TestFailure, TestReport, TestResult

_MAX_FILE_BYTES = 2 * 1024 * 1024
_CALL = re.compile(r"(?<![\w!])(?P<name>[a-z_][a-z0-9_]*)\s*(?:::<[^>]*>)?\(")
_FN_DEF = re.compile(
    r"^\s*(?:pub(?:\([^)]*\))?\s+)?(?:const\s+)?(?:async\s+)?(?:unsafe\s+)?fn\s+(?P<name>\w+)"
)
_DOCTEST_LINE = re.compile(r"^(?P<file>.+?) - .+ \(line (?P<line>\d+)\)$")
_LITERAL = re.compile(
    r"""^(?:-?[\d_.]+(?:[iuf]\d+|usize|isize)?|".*"|'.*'|b".*"|true|false|None|\(\)|\[\])$"""
)
# Calls that say nothing about where a value went wrong.
_NOT_CALLEES = frozenset(
    {"if", "while", "for", "match", "return", "in", "fn", "let", "some", "ok", "err", "vec", "format", "from"}
)
_MAX_CALLEES = 4


def read_sources(root: str | Path) -> dict[str, str]:
    """The crate's Rust files by path relative to the root (`src/lib.rs`), as libtest names them."""
    base = Path(root)
    out: dict[str, str] = {}
    for top in ("src", "tests", "benches", "examples"):
        for p in sorted((base / top).rglob("*.rs")) if (base / top).is_dir() else ():
            try:
                if p.stat().st_size <= _MAX_FILE_BYTES:
                    out[p.relative_to(base).as_posix()] = p.read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue  # a file that vanished or cannot be read tells us nothing
    return out


def explain_report(report: TestReport, sources: Mapping[str, str] | None = None) -> tuple[TestStory, ...]:
    """A story per failing test of the report, in the report's order."""
    if sources is None:
        sources = read_sources(report.crate_root)
    return tuple(explain_failure(t, sources) for t in report.tests if t.status == "failed")


def explain_failure(result: TestResult, sources: Mapping[str, str]) -> TestStory:
    f = result.failure or TestFailure(message=result.output.strip() or "(libtest said nothing)", kind="other")
    states, states_at = _statement(result, f, sources)
    callees = _callees(states, sources) if states else ()
    site = _DOCTEST_LINE.match(result.name) if result.suite.startswith("doctests ") else None
    owner = None
    if site is not None:  # a doctest: its whole block is the test, and it sits on an item's docs
        file, fence = site.group("file"), int(site.group("line"))
        owner = doc_owner(sources, file, fence)
        callees = _doc_callees(states, _doc_code(sources, file, fence), owner, sources)
    where, where_at, basis = _where(result, f, callees)
    if site is not None and basis != "backtrace":
        where, where_at, basis = _doc_where(site.group("file"), int(site.group("line")), owner, callees)
    return TestStory(
        test=result.name,
        suite=result.suite,
        kind=f.kind,
        states=states,
        states_at=states_at,
        happened=_happened(f, states),
        left=f.left,
        right=f.right,
        where=where,
        where_at=where_at,
        where_basis=basis,
        callees=callees,
        next_steps=_next_steps(result, f, states, callees, basis, where_at),
        prompt=(
            f"Before I say where: which line do you think is wrong? Answer with FILE:LINE ({result.name} failed)."
        ),
    )


# --- what the test states ---------------------------------------------------------------------


def _statement(result: TestResult, f: TestFailure, sources: Mapping[str, str]) -> tuple[str, str]:
    """The source of the check that failed, and where: the panic's line, or the test's own frame
    when the panic came from deeper in the crate, or a doctest's single assertion."""
    test_frame = _test_frame(result.name, f.frames)
    if f.kind in ("assert_eq", "assert_ne", "assert") and f.file:
        return _expression_at(sources, f.file, f.line), f"{f.file}:{f.line}"
    if test_frame is not None:
        return _expression_at(
            sources, test_frame.file, test_frame.line
        ), f"{test_frame.file}:{test_frame.line}"
    if f.file:
        return _expression_at(sources, f.file, f.line), f"{f.file}:{f.line}"
    if m := _DOCTEST_LINE.match(result.name):
        return _doctest_assertion(sources, m.group("file"), int(m.group("line")))
    return "", ""


def _expression_at(sources: Mapping[str, str], file: str, line: int) -> str:
    """The statement starting at `line`, followed over lines until its brackets balance (rustfmt
    splits a long `assert_eq!` over several), joined into one line."""
    lines = sources.get(file, "").splitlines()
    if not 1 <= line <= len(lines):
        return ""
    parts: list[str] = []
    depth = 0
    for text in lines[line - 1 : line + 11]:
        parts.append(text.strip())
        depth += sum(text.count(c) for c in "([{") - sum(text.count(c) for c in ")]}")
        if depth <= 0:
            break
    return re.sub(r"\(\s+", "(", re.sub(r",\s*\)", ")", " ".join(parts)))


def _doctest_assertion(sources: Mapping[str, str], file: str, fence: int) -> tuple[str, str]:
    """The doctest's assertion when its block holds exactly one; rustdoc's panic line is in its own
    numbering, so the block is read from the fence line the test's name gives."""
    lines = sources.get(file, "").splitlines()
    found: list[tuple[str, int]] = []
    for i in range(fence, min(len(lines), fence + 60)):
        text = lines[i].strip().removeprefix("///").removeprefix("//!").strip()
        if text.startswith("```"):
            break
        if text.startswith(("assert!", "assert_eq!", "assert_ne!")):
            found.append((text, i + 1))
    if len(found) == 1:
        return found[0][0], f"{file}:{found[0][1]}"
    return "", f"{file}:{fence}"


_ITEM = re.compile(
    r"^\s*(?:pub(?:\([^)]*\))?\s+)?(?:(?:const|async|unsafe|extern\s+\"\w+\")\s+)*"
    r"(?P<kw>fn|struct|enum|trait|type|mod|const|static|union|macro_rules!)\s*(?P<name>\w+)"
)


def _doc_code(sources: Mapping[str, str], file: str, fence: int) -> str:
    """The code of the doctest whose block opens at line `fence`, comment markers stripped."""
    lines = sources.get(file, "").splitlines()
    code: list[str] = []
    for text in lines[fence : fence + 200]:
        bare = text.strip().removeprefix("///").removeprefix("//!").strip()
        if bare.startswith("```"):
            break
        code.append(bare.removeprefix("# "))
    return "\n".join(code)


def doc_owner(sources: Mapping[str, str], file: str, fence: int) -> tuple[str, int] | None:
    """The item whose `///` docs hold the block opening at `fence`: its name and line, read from the
    first line after the docs and attributes; None for a module's `//!` docs or an unread file."""
    lines = sources.get(file, "").splitlines()
    if not 1 <= fence <= len(lines) or lines[fence - 1].strip().startswith("//!"):
        return None
    for i in range(fence, min(len(lines), fence + 400)):
        bare = lines[i].strip()
        if not bare or bare.startswith(("///", "#[", "//")):
            continue
        m = _ITEM.match(lines[i])
        return (m.group("name"), i + 1) if m else None
    return None


def _doc_callees(
    states: str, code: str, owner: tuple[str, int] | None, sources: Mapping[str, str]
) -> tuple[Callee, ...]:
    """What a doctest calls: the failed statement's calls, then the rest of its block's; the item the
    doctest documents first among them, since a doctest is written to show that item at work."""
    found = list(_callees(states, sources)) if states else []
    for c in _callees(code, sources, limit=None):
        if c.name not in {x.name for x in found}:
            found.append(c)
    found.sort(key=lambda c: (not c.file, owner is None or c.name != owner[0]))
    return tuple(found[:_MAX_CALLEES])


def _doc_where(
    file: str, fence: int, owner: tuple[str, int] | None, callees: tuple[Callee, ...]
) -> tuple[str, str, WhereBasis]:
    """Where a doctest went wrong when its backtrace names nothing of the crate: what its code calls,
    and the item whose docs it sits in (rustdoc gives the block's line, not the panic's)."""
    sits = (
        f"The doctest sits in the docs of `{owner[0]}` ({file}:{owner[1]})"
        if owner
        else f"The doctest sits in the module's docs ({file}:{fence})"
    )
    defined = [c for c in callees if c.file]
    if defined:
        c = defined[0]
        return (
            f"My guess is `{c.name}` ({c.file}:{c.line}): the doctest's code calls it and its backtrace "
            f"shows nothing of your crate below the doctest. {sits}.",
            f"{c.file}:{c.line}",
            "test_line",
        )
    at = f"{file}:{owner[1]}" if owner else f"{file}:{fence}"
    return f"{sits}: the doctest calls nothing defined in your crate that I can find.", at, "test_line"


# --- what happened instead --------------------------------------------------------------------


def _split_args(statement: str) -> list[str]:
    """The top-level arguments of the statement's first macro call: `assert_eq!(a(1, 2), 3)` -> a(1, 2), 3."""
    start = statement.find("(")
    if start < 0:
        return []
    args, depth, cur, quote = [], 0, "", ""
    for ch in statement[start + 1 :]:
        if quote:
            cur += ch
            if ch == quote:
                quote = ""
            continue
        if ch == '"':
            quote = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            if depth == 0:
                args.append(cur.strip())
                return [a for a in args if a]
            depth -= 1
        elif ch == "," and depth == 0:
            args.append(cur.strip())
            cur = ""
            continue
        cur += ch
    return []


def _sides(f: TestFailure, states: str) -> tuple[str, str, str] | None:
    """(expression, its value, the value the test wants) when one side of `assert_eq!` is a literal:
    the literal is the expectation. None when both sides are computed (then neither is "wanted")."""
    if f.kind != "assert_eq" or f.left is None or f.right is None:
        return None
    args = _split_args(states) if states else []
    if len(args) < 2:
        return None
    a, b = args[0], args[1]
    if _LITERAL.match(b) and not _LITERAL.match(a):
        return a, f.left, f.right
    if _LITERAL.match(a) and not _LITERAL.match(b):
        return b, f.right, f.left
    return None


def _happened(f: TestFailure, states: str) -> str:
    if f.kind == "assert_eq" and f.left is not None and f.right is not None:
        sides = _sides(f, states)
        if sides is not None:
            return f"`{sides[0]}` is {sides[1]}, not {sides[2]}."
        args = _split_args(states) if states else []
        if len(args) >= 2:
            return f"`{args[0]}` is {f.left} but `{args[1]}` is {f.right}."
        return f"left is {f.left} but right is {f.right}."
    if f.kind == "assert_ne" and f.left is not None:
        return f"both sides are {f.left}."
    if f.kind == "assert":
        cond = f.message.removeprefix("assertion failed: ").strip()
        return f"`{cond}` is false."
    if f.kind == "panic":
        return f"it panicked: {f.message}"
    return f.message


# --- where it went wrong ----------------------------------------------------------------------


def _test_frame(test: str, frames: tuple[Frame, ...]) -> Frame | None:
    for fr in frames:
        if fr.function == test or fr.function.endswith("::" + test):
            return fr
    return None


def _short(function: str) -> str:
    """`tests_failing::digit_value` -> `digit_value`; a method keeps its type: `Parser::next`."""
    parts = [p for p in re.sub(r"<[^<>]*>", "", function).split("::") if p and p != "{{closure}}"]
    return (
        "::".join(parts[-2:])
        if len(parts) >= 2 and parts[-2][:1].isupper()
        else (parts[-1] if parts else function)
    )


def _where(result: TestResult, f: TestFailure, callees: tuple[Callee, ...]) -> tuple[str, str, WhereBasis]:
    test_frame = _test_frame(result.name, f.frames)
    below = [fr for fr in f.frames if fr is not test_frame and fr.line]
    if test_frame is not None:
        below = below[: f.frames.index(test_frame)]
    if below:
        deepest = below[0]
        chain = "".join(f", called from `{_short(fr.function)}` ({fr.file}:{fr.line})" for fr in below[1:3])
        return (
            f"It went wrong in `{_short(deepest.function)}` at {deepest.file}:{deepest.line}{chain}: "
            "that is the deepest frame of your crate in the backtrace.",
            f"{deepest.file}:{deepest.line}",
            "backtrace",
        )
    defined = [c for c in callees if c.file]
    at = f"{f.file}:{f.line}" if f.file else ""
    if defined:
        c = defined[0]
        return (
            f"My guess is `{c.name}` ({c.file}:{c.line}): the backtrace shows nothing of your crate "
            "below the test, so the wrong value likely came from what the assertion calls.",
            f"{c.file}:{c.line}",
            "test_line",
        )
    if at:
        return (
            f"My guess is the test's own line, {at}: the backtrace names nothing deeper in your crate.",
            at,
            "test_line",
        )
    return "I cannot say where: libtest gave no location in your crate.", "", "none"


def _callees(
    statement: str, sources: Mapping[str, str], limit: int | None = _MAX_CALLEES
) -> tuple[Callee, ...]:
    """Functions the statement calls, each with its definition outside test code, first found first."""
    names: list[str] = []
    for m in _CALL.finditer(statement):
        name = m.group("name")
        if name not in _NOT_CALLEES and name not in names:
            names.append(name)
    defs = _definitions(sources)
    found = [Callee(name=n, file=defs[n][0], line=defs[n][1]) for n in names if n in defs]
    missing = [Callee(name=n) for n in names if n not in defs]
    return tuple([*found, *missing][:limit])


def _definitions(sources: Mapping[str, str]) -> dict[str, tuple[str, int]]:
    """`fn NAME` sites in src/, skipping what follows a `#[cfg(test)]` (the test module itself)."""
    out: dict[str, tuple[str, int]] = {}
    for file, text in sources.items():
        if not file.startswith("src/"):
            continue
        for i, line in enumerate(text.splitlines(), 1):
            if line.strip().startswith("#[cfg(test)]"):
                break
            if m := _FN_DEF.match(line):
                out.setdefault(m.group("name"), (file, i))
    return out


# --- what next --------------------------------------------------------------------------------


def _next_steps(
    result: TestResult,
    f: TestFailure,
    states: str,
    callees: tuple[Callee, ...],
    basis: str,
    where_at: str,
) -> tuple[str, ...]:
    steps: list[str] = []
    defined = [c for c in callees if c.file]
    if basis == "backtrace":
        steps.append(
            f"Read {where_at} with the test's input in mind; the frames above it show how the input got there."
        )
    elif defined and f.kind in ("assert_eq", "assert_ne", "assert"):
        c = defined[0]
        sides = _sides(f, states)
        want = f"it gives {sides[1]} where the test wants {sides[2]}" if sides else "check what it returns"
        steps.append(f"Follow `{c.name}` ({c.file}:{c.line}) by hand for the test's input: {want}.")
        if len(defined) > 1:
            steps.append("Then " + ", ".join(f"`{c.name}` ({c.file}:{c.line})" for c in defined[1:]) + ".")
    if f.kind == "assert_eq" and f.left is not None and f.right is not None and f.left.startswith('"'):
        steps.append("Compare the two strings character by character: the diff shows where they part.")
    steps.append("If the expectation itself is wrong, the fix belongs in the test.")
    steps.append(
        f"Re-run it alone with `rusta test . {shlex.quote(result.name)}`, "
        "or every failed test with `rusta test --failed`."
    )
    return tuple(steps)
