"""The assertion-values signal: the statements that produced the value a failing assertion compared,
and those whose operators or literals can make the difference it saw.

A failing `assert_eq!(left, right)` names the functions under test (the calls in its expressions and
in the test's statements that computed them, `engine.syntax.value_flow.asserted_calls`) and says how
the value is wrong. Inside each function the call graph reaches from there (d calls away), the lines
that produce its output score 1/d / (1 + k), k the def-use steps from the returned value or the
write that leaves the fn (`value_lines`). `values_gap` keeps that score on lines that also hold a
grammar site of the kind the difference points at, and is 0 elsewhere:

- two integers one apart: an off-by-one (`+ 1`/`- 1`, a literal, `<` vs `<=`, a range bound, `len()`);
- two integers further apart, or floats: arithmetic (an operator, a literal, `min`/`max`, a shift);
- `true` vs `false`, `Some` vs `None`, `Ok` vs `Err`, or a plain `assert!` that failed: a flipped
  decision (`!`, `&&`/`||`, a comparison, a boolean literal);
- two sequences or strings whose lengths differ by one: a bound (`..` vs `..=`, `len()`, `+ 1`).

Other differences (two structs) leave `values_gap` at 0. Weighted with the other signals on the gym's
dev split (`engine.testrepair.fit`). Pure: source bytes and test results in, a score per line out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from engine.syntax.program import FnInfo
from engine.syntax.sites import sites
from engine.syntax.value_flow import asserted_calls, asserted_expressions, value_lines
from engine.testrepair.callgraph import CallGraph, fn_key
from toolbelt.types import TestFailure

MAX_CALLS = 3  # fns further from the assertion than this get no score: the slice there is all of them
OFF_BY_ONE = frozenset({"plus-one", "int", "range", "bound", "len", "relational", "increment", "compound"})
ARITHMETIC = frozenset({"arithmetic", "bitwise", "compound", "int", "minmax", "plus-one", "increment"})
DECISION = frozenset({"not", "logical", "relational", "bool", "cond"})

_INT = re.compile(r"-?(?:0x[0-9a-fA-F_]+|[0-9][0-9_]*)(?:[iu](?:8|16|32|64|128|size))?")
_FLOAT = re.compile(r"-?[0-9][0-9_]*\.[0-9_]*(?:e-?[0-9]+)?(?:f32|f64)?|NaN|-?inf")


def _int(s: str) -> int | None:
    s = s.strip()
    if not _INT.fullmatch(s):
        return None
    digits = re.sub(r"[iu](?:8|16|32|64|128|size)$", "", s).replace("_", "")
    return int(digits.replace("0x", ""), 16) if "0x" in digits else int(digits)


def _length(s: str) -> int | None:
    """Items of a Debug-printed sequence (`[1, 2]`) or chars of a string (`"ab"`), else None."""
    s = s.strip()
    if len(s) >= 2 and s[0] == s[-1] == '"':
        return len(s) - 2 - s.count("\\")
    if len(s) >= 2 and s[0] == "[" and s[-1] == "]":
        inner = s[1:-1].strip()
        depth, n = 0, 1 if inner else 0
        for ch in inner:
            depth += ch in "([{"
            depth -= ch in ")]}"
            n += ch == "," and depth == 0
        return n
    return None


def _variant(s: str) -> str:
    s = s.strip()
    for v in ("Some", "None", "Ok", "Err", "true", "false"):
        if s == v or s.startswith(f"{v}("):
            return v
    return ""


def value_gap(failure: TestFailure, macro: str) -> frozenset[str]:
    """The grammar site kinds that can make the difference the assertion saw (empty: no telling)."""
    if macro.removeprefix("debug_") == "assert":
        return DECISION
    left, right = failure.left, failure.right
    if left is None or right is None or macro.endswith("_ne"):
        return frozenset()
    a, b = _int(left), _int(right)
    if a is not None and b is not None:
        return OFF_BY_ONE if abs(a - b) == 1 else ARITHMETIC
    if _FLOAT.fullmatch(left.strip()) and _FLOAT.fullmatch(right.strip()):
        return ARITHMETIC
    va, vb = _variant(left), _variant(right)
    if va and vb and va != vb:
        return DECISION
    la, lb = _length(left), _length(right)
    if la is not None and lb is not None and abs(la - lb) == 1:
        return OFF_BY_ONE
    return frozenset()


def assertion_values(
    files: Mapping[str, bytes],
    fns: Mapping[str, Sequence[FnInfo]],
    graph: CallGraph,
    checks: Sequence[tuple[TestFailure, str, int]],
) -> dict[tuple[str, int], tuple[float, float]]:
    """(file, line) -> (values, values_gap), the best over the failing assertions. `checks`: each
    failing test's failure and where it checked (crate-relative file, 1-based line: its own frame,
    or the panic's place); a place with no assertion macro adds nothing."""
    out: dict[tuple[str, int], tuple[float, float]] = {}
    seen: set[tuple[str, int]] = set()
    kinds_of: dict[str, dict[int, set[str]]] = {}
    for failure, rel, line in checks:
        found = asserted_expressions(files[rel], line)
        if found is None or (rel, line) in seen:
            continue
        seen.add((rel, line))
        macro, exprs = found
        gap = value_gap(failure, macro)
        dist = graph.from_calls(asserted_calls(files[rel], line, exprs))
        for frel, found_fns in fns.items():
            for f in found_fns:
                d = dist.get(fn_key(f))
                if d is None or d > MAX_CALLS or f.is_test or f.in_test_code:
                    continue
                if frel not in kinds_of:
                    kinds_of[frel] = {}
                    for s in sites(files[frel]):
                        kinds_of[frel].setdefault(s.range.line, set()).add(s.kind)
                for ln, k in value_lines(files[frel], f.range.start).items():
                    v = 1.0 / d / (1 + k)
                    g = v if gap & kinds_of[frel].get(ln, set()) else 0.0
                    old = out.get((frel, ln), (0.0, 0.0))
                    out[(frel, ln)] = (max(old[0], v), max(old[1], g))
    return out
