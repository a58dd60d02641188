"""The localization signals of one crate and one test run: a feature vector per line of library code.

The call graph is static (`engine.testrepair.callgraph`): a method call goes to its receiver's type
where the syntax tree shows it, else to every function of that name. It over-approximates and misses
calls rustc resolves through traits (`==`, `for`, `?`), so reach is a proxy for coverage, not coverage.
The line-level coverage features therefore come from a probed build when `engine.testrepair.coverage`
could measure one, and fall back to this reach otherwise. Ochiai uses that reach as each test's
spectrum. Short `const`/`static` items are suspects too, scored through the code that uses them.

Pure apart from the optional LM, which is passed in.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
import tree_sitter

from engine.bytelm.hotspots import line_bits
from engine.heads.naturalness import Scorer
from engine.syntax.program import FnInfo, calls_at_line, functions, in_test_code, test_modules
from engine.syntax.sites import sites
from engine.syntax.tree import _range as _node_range
from engine.syntax.tree import parse
from engine.testrepair.callgraph import CallGraph, fn_key
from engine.testrepair.dataflow import assertion_flow
from engine.testrepair.grammar import mutants
from engine.testrepair.types import FEATURES
from engine.testrepair.values import assertion_values

if TYPE_CHECKING:
    from engine.testrepair.coverage import Spectra
from toolbelt.types import TestFailure, TestResult


class Line:
    """A candidate line while its features are computed (internal; Suspect is what leaves)."""

    __slots__ = ("file", "line", "fn", "text", "x")

    def __init__(self, file: str, line: int, fn: FnInfo, text: str) -> None:
        self.file, self.line, self.fn, self.text = file, line, fn, text
        self.x = dict.fromkeys(FEATURES, 0.0)


def library_file(rel: str, test_files: set[str]) -> bool:
    """Library source: under src/, not a binary's main, not a module declared `#[cfg(test)]`."""
    return rel.startswith("src/") and rel.endswith(".rs") and rel not in test_files and "/bin/" not in rel


def test_files(files: Mapping[str, bytes]) -> set[str]:
    out = set()
    for rel, data in files.items():
        if not rel.endswith(".rs"):
            continue
        folder = rel.rsplit("/", 1)[0]
        stem = rel.rsplit("/", 1)[-1].removesuffix(".rs")
        here = folder if stem in ("lib", "main", "mod") else f"{folder}/{stem}"
        for name in test_modules(data):
            out |= {f"{here}/{name}.rs", f"{here}/{name}/mod.rs"}
    return out


def lines_with_features(
    files: Mapping[str, bytes],
    failing: Sequence[TestResult],
    passing: Sequence[str],
    lm: Scorer | None,
    spectra: Spectra | None = None,
) -> list[Line]:
    """Every line of code in the crate's non-test functions, with its FEATURES filled in.

    `spectra`: measured line coverage; without it (or for a line it has no probe for) the coverage
    features take the call graph's function-level proxies."""
    tests_only = test_files(files)
    fns: dict[str, list[FnInfo]] = {
        rel: functions(data) for rel, data in files.items() if rel.endswith(".rs")
    }
    graph = CallGraph(files, fns, {rel for rel in fns if library_file(rel, tests_only)})
    fail_reach = [graph.of_test(t.name) for t in failing]
    pass_reach = [graph.of_test(n) for n in passing]
    frames = [fr for t in failing if t.failure is not None for fr in t.failure.frames]
    panics = [(fr.file, fr.line) for fr in frames] + [
        (t.failure.file, t.failure.line) for t in failing if t.failure is not None and t.failure.file
    ]
    assert_reach: dict[str, int] = {}
    checked: list[tuple[str, int]] = []
    checks: list[tuple[TestFailure, str, int]] = []
    for t in failing:  # the test's own frame (or the panic's place) is the line that checked
        f = t.failure
        spots = [(fr.file, fr.line) for fr in (f.frames if f else ())] + (
            [(f.file, f.line)] if f and f.file else []
        )
        for file, line in spots:
            rel = next((r for r in files if r.endswith(file) or file.endswith(r)), None)
            if rel is None:
                continue
            checked.append((rel, line))
            if f is not None:
                checks.append((f, rel, line))
            for name, d in graph.from_calls(calls_at_line(files[rel], line)).items():
                assert_reach[name] = min(assert_reach.get(name, d), d)
    flow = assertion_flow(files, fns, graph, checked)
    values = assertion_values(files, fns, graph, checks)

    out: list[Line] = []
    for rel, found in fns.items():
        if not library_file(rel, tests_only):
            continue
        data = files[rel]
        text_lines = data.split(b"\n")
        site_lines, slip_lines = line_sites(data, rel)
        for fn in found:
            if fn.in_test_code or fn.is_test:
                continue
            key = fn_key(fn)
            d = min((r[key] for r in fail_reach if key in r), default=0)
            reach_all = sum(key in r for r in fail_reach) / max(1, len(fail_reach))
            ef = sum(key in r for r in fail_reach)
            ep = sum(key in r for r in pass_reach)
            ochiai = ef / math.sqrt(max(1, len(fail_reach)) * (ef + ep)) if ef else 0.0
            in_frames = [fr for fr in frames if rel.endswith(fr.file) or fr.file.endswith(rel)]
            in_panics = [p for file, p in panics if rel.endswith(file) or file.endswith(rel)]
            fn_hit = any(
                fn.range.line <= fr.line <= fn.range.line + fn.range.text.count("\n") for fr in in_frames
            )
            for ln in fn.lines:
                text = text_lines[ln - 1].decode("utf-8", "replace") if ln - 1 < len(text_lines) else ""
                row = Line(rel, ln, fn, text.strip())
                x = row.x
                x["frame_line"] = float(any(fr.line == ln for fr in in_frames))
                x["frame_fn"] = float(fn_hit)
                near = [abs(p - ln) for p in in_panics if fn.lines and fn.lines[0] <= p <= fn.lines[-1]]
                x["frame_near"] = 1.0 / (1 + min(near)) if near else 0.0
                x["flow"] = flow.get((rel, ln), 0.0)
                x["values"], x["values_gap"] = values.get((rel, ln), (0.0, 0.0))
                x["reach"] = 1.0 / d if d else 0.0
                x["reach_all"] = reach_all
                x["assert_reach"] = 1.0 / assert_reach[key] if key in assert_reach else 0.0
                x["ochiai"] = ochiai
                x["sites"] = min(site_lines.get(ln, 0), 3) / 3
                x["slips"] = math.log1p(slip_lines.get(ln, 0))
                x["small_fn"] = 1.0 / math.sqrt(max(1, len(fn.lines)))
                x["sites_x_ochiai"] = x["sites"] * ochiai
                x["sites_x_assert"] = x["sites"] * x["assert_reach"]
                seen = spectra.lines.get((rel, ln)) if spectra is not None else None
                if seen is None or spectra is None:
                    x["cov_fail"], x["cov_ochiai"] = reach_all, ochiai
                else:
                    ef_l, ep_l = seen
                    x["cov_fail"] = ef_l / spectra.failing
                    x["cov_ochiai"] = ef_l / math.sqrt(spectra.failing * (ef_l + ep_l)) if ef_l else 0.0
                x["sites_x_cov"] = x["sites"] * x["cov_ochiai"]
                out.append(row)

    def const_spectrum(users: Sequence[Line]) -> dict[str, float]:
        """A const runs with any of its users: union of their tests (measured, else by reach)."""
        names = {fn_key(u.fn) for u in users}
        ef = sum(any(n in r for n in names) for r in fail_reach)
        ep = sum(any(n in r for n in names) for r in pass_reach)
        x = {"reach_all": ef / max(1, len(fail_reach))}
        x["ochiai"] = ef / math.sqrt(max(1, len(fail_reach)) * (ef + ep)) if ef else 0.0
        ran = [spectra.who.get((u.file, u.line)) for u in users] if spectra is not None else []
        if spectra is not None and all(r is not None for r in ran) and ran:
            ef_l = len({i for r in ran if r for i in r[0]})
            ep_l = len({i for r in ran if r for i in r[1]})
            x["cov_fail"] = ef_l / spectra.failing
            x["cov_ochiai"] = ef_l / math.sqrt(spectra.failing * (ef_l + ep_l)) if ef_l else 0.0
        else:
            x["cov_fail"], x["cov_ochiai"] = x["reach_all"], x["ochiai"]
        return x

    out.extend(_const_lines(files, tests_only, out, const_spectrum))
    if lm is not None:
        _add_lm(out, files, lm)
    return out


def line_sites(data: bytes, rel: str) -> tuple[dict[int, int], dict[int, int]]:
    """Per line: how many grammar sites it holds, and how many one-token slips the grammar can make
    there (`mutants(slips=True)`: a relational site counts its two plausible slips, an integer two,
    a `!` one). The second is a line's prior: the more ways a line can be mistyped, the likelier it
    holds the slip, and no coverage tells apart the lines of one straight run of code."""
    site_lines: dict[int, int] = {}
    for s in sites(data):
        site_lines[s.range.line] = site_lines.get(s.range.line, 0) + 1
    slip_lines: dict[int, int] = {}
    for m in mutants(data, rel, slips=True):
        slip_lines[m.line] = slip_lines.get(m.line, 0) + 1
    return site_lines, slip_lines


CONST_MAX_LINES = 3  # longer items are tables: one inherited score on each row would flood the ranking


def _const_lines(
    files: Mapping[str, bytes],
    tests_only: set[str],
    code: Sequence[Line],
    spectrum: Callable[[Sequence[Line]], dict[str, float]],
) -> list[Line]:
    """A short `const`/`static` item of library code (associated consts too) as a suspect: a wrong
    limit or constant is a slip no statement shows. It has no coverage of its own: it ran in a test
    that ran any line naming it (`spectrum`), and takes the other features of the user that looks most
    suspect; its own grammar sites count as its own. An item no fn line names is left out."""
    uses: dict[str, list[Line]] = {}
    for ln in code:
        for word in set(_WORD.findall(ln.text)):
            uses.setdefault(word, []).append(ln)
    out: list[Line] = []
    for rel, data in files.items():
        if not library_file(rel, tests_only):
            continue
        site_lines, slip_lines = line_sites(data, rel)
        text_lines = data.split(b"\n")
        for node in _const_items(parse(data).root_node):
            name_node = node.child_by_field_name("name")
            name = (name_node.text or b"").decode() if name_node is not None else ""
            first, last = node.start_point[0] + 1, node.end_point[0] + 1
            users = uses.get(name, [])
            if not users or last - first >= CONST_MAX_LINES:
                continue
            best = max(users, key=lambda u: (u.x["cov_ochiai"], u.x["cov_fail"], u.x["reach"]))
            shared = spectrum(users)
            info = FnInfo(
                name=name,
                range=_node_range(node),
                body=_node_range(node),
                lines=tuple(range(first, last + 1)),
            )
            for number in range(first, last + 1):
                line = Line(rel, number, info, text_lines[number - 1].decode("utf-8", "replace").strip())
                line.x.update(best.x)
                line.x.update(shared)
                line.x["frame_line"] = line.x["frame_near"] = 0.0
                line.x["small_fn"] = 1.0
                line.x["sites"] = min(site_lines.get(number, 0), 3) / 3
                line.x["slips"] = math.log1p(slip_lines.get(number, 0))
                line.x["sites_x_ochiai"] = line.x["sites"] * line.x["ochiai"]
                line.x["sites_x_assert"] = line.x["sites"] * line.x["assert_reach"]
                line.x["sites_x_cov"] = line.x["sites"] * line.x["cov_ochiai"]
                out.append(line)
    return out


_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _const_items(root: tree_sitter.Node) -> list[tree_sitter.Node]:
    """`const` and `static` items outside fns and test code."""
    found, stack = [], [root]
    while stack:
        n = stack.pop()
        if n.type in ("function_item", "macro_definition", "macro_invocation"):
            continue
        if n.type in ("const_item", "static_item"):
            if not in_test_code(n):
                found.append(n)
            continue
        stack.extend(n.named_children)
    return found


def _add_lm(lines: list[Line], files: Mapping[str, bytes], lm: Scorer) -> None:
    """Mean bits per byte of each line, z-scored over the lines that some failing test reaches
    (the LM is slow on big crates; lines no failing test reaches are not suspects anyway)."""
    wanted = sorted(
        {ln.file for ln in lines if ln.x["reach"] > 0 or ln.x["frame_fn"] > 0 or ln.x["cov_fail"] > 0}
    )
    if not wanted:
        return
    scored = lm.score_batch([files[rel] for rel in wanted])
    bits: dict[tuple[str, int], float] = {}
    for rel, logp in zip(wanted, scored, strict=True):
        for number, b, _ in line_bits(files[rel], logp):
            bits[(rel, number)] = b
    vals = np.array([bits[(ln.file, ln.line)] for ln in lines if (ln.file, ln.line) in bits], np.float64)
    if vals.size < 2:
        return
    mu, sd = float(vals.mean()), float(vals.std()) or 1.0
    for ln in lines:
        got = bits.get((ln.file, ln.line))
        if got is not None:
            ln.x["lm"] = (got - mu) / sd
